/**
 * Reads an engine event stream in render-sized batches: the render budget (docs/ARCHITECTURE.md §7, ~30
 * frames/s) is kept by handing the reducer at most one batch per `frameMs`, however fast the
 * engine reports. The first event of a quiet spell goes out at once (no added latency when events
 * are rare); what arrives within the next frame waits for that frame.
 *
 * Invariants: events are delivered in order and exactly once; the stream is read to its end (the
 * engine's generator releases the stack's lock in its `finally`, so it must never be abandoned
 * half-read); `onEnd` is called once, after the last batch, with the error if the stream threw.
 * After `detach()` nothing more is delivered, but the stream is still read to its end.
 */
import type {EngineEvent} from '../../engine/index.js';

export const defaultFrameMs = 33;

export interface EventBatchHandlers {
	onBatch(events: EngineEvent[]): void;
	onEnd(error: unknown): void;
}

export interface EventBatchReader {
	/** Resolves once the stream has ended (or thrown). */
	done: Promise<void>;
	/** Stop delivering (the screen went away); the stream is still drained. */
	detach(): void;
}

export function readEventBatches(
	events: AsyncIterable<EngineEvent>,
	handlers: EventBatchHandlers,
	frameMs = defaultFrameMs,
): EventBatchReader {
	let attached = true;
	let buffer: EngineEvent[] = [];
	let timer: ReturnType<typeof setTimeout> | undefined;
	let lastFlush = Number.NEGATIVE_INFINITY;
	const flush = () => {
		if (timer) clearTimeout(timer);
		timer = undefined;
		if (buffer.length === 0) return;
		const batch = buffer;
		buffer = [];
		lastFlush = Date.now();
		if (attached) handlers.onBatch(batch);
	};
	const done = (async () => {
		let failure: unknown;
		try {
			for await (const event of events) {
				buffer.push(event);
				if (timer) continue;
				const wait = frameMs - (Date.now() - lastFlush);
				if (wait <= 0) flush();
				else timer = setTimeout(flush, wait);
			}
		} catch (error) {
			failure = error ?? new Error('the event stream failed');
		}
		flush();
		if (attached) handlers.onEnd(failure);
	})();
	return {
		done,
		detach() {
			attached = false;
			if (timer) clearTimeout(timer);
			timer = undefined;
		},
	};
}

/** An error from the stream as the dashboard shows it: its message, and its `hint` when it has one (LockHeldError, refusals). */
export function streamFailure(error: unknown): {message: string; hint?: string} {
	if (!(error instanceof Error)) return {message: String(error)};
	const hint = (error as {hint?: unknown}).hint;
	return {message: error.message, ...(typeof hint === 'string' && hint ? {hint} : {})};
}
