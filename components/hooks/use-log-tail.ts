/**
 * Runs the caller's logs service for the logs pane and feeds what it yields into the pane in
 * batches: lines are collected as they come and handed over at most every `batchMs` (33 ms by
 * default: Ink draws at most 30 frames/s, so smaller batches would only cost renders), one state
 * update per batch, not per line; statuses as they come.
 *
 * Invariants:
 * - One tail per `tailRequest`; a new request (follow toggled) or unmounting aborts the previous
 *   tail and drops whatever it yields afterwards.
 * - A restarted tail starts at the newest timestamp already shown and skips the event ids already
 *   shown at that timestamp, so toggling follow repeats no line.
 * - Lines pending in a batch are handed over before the end, a status or a failure is reported,
 *   so the pane never says "ended" with lines still in hand.
 * - A rejection or a throw from the stream becomes `onEnded(request, error)`; the hook never
 *   throws into React.
 */
import {useEffect, useRef} from 'react';
import type {Workspace} from '../../engine/index.js';
import type {LogLine, LogsNotice, LogsTarget} from '../logs/logs-state.js';
import {failureOutcome, type LogsService} from '../services.js';

export interface LogTailHandlers {
	onLines: (lines: LogLine[]) => void;
	onStatus: (notice: LogsNotice) => void;
	onEnded: (request: number, error?: {message: string; hint?: string}) => void;
}

export interface LogTailRequest {
	workspace: Workspace;
	target: LogsTarget;
	following: boolean;
	tailRequest: number;
	/** How far back the first tail reads (ms). */
	sinceMs?: number;
	batchMs?: number;
}

export function useLogTail(
	logs: LogsService | undefined,
	request: LogTailRequest | undefined,
	handlers: LogTailHandlers | undefined,
): void {
	const resume = useRef<Resume | undefined>(undefined);
	const {workspace, target, following, tailRequest, sinceMs = 10 * 60_000, batchMs = 33} = request ?? ({} as Partial<LogTailRequest>);

	useEffect(() => {
		if (!workspace || !target || tailRequest === undefined || following === undefined || !handlers) return;
		if (!logs) {
			handlers.onEnded(tailRequest, {message: 'this workbench cannot read logs', hint: 'panka logs --follow does'});
			return;
		}
		const controller = new AbortController();
		let pending: LogLine[] = [];
		let timer: NodeJS.Timeout | undefined;
		const flush = () => {
			if (timer) clearTimeout(timer);
			timer = undefined;
			if (pending.length === 0 || controller.signal.aborted) return;
			const batch = pending;
			pending = [];
			handlers.onLines(batch);
		};
		// Resume only the same target's tail (a follow toggle), never another pane's.
		const previous = resume.current?.target === target ? resume.current : undefined;
		const from = previous ? {timestamp: previous.timestamp, ids: new Set(previous.ids)} : undefined;
		const seen: Resume = previous ?? {target, timestamp: Number.NEGATIVE_INFINITY, ids: new Set()};
		resume.current = seen;
		void (async () => {
			try {
				const since = from && Number.isFinite(from.timestamp) ? from.timestamp : Date.now() - sinceMs;
				for await (const event of logs(workspace, {components: target.components, follow: following, since, signal: controller.signal})) {
					if (controller.signal.aborted) return;
					if (event.type === 'log.status') {
						flush();
						handlers.onStatus({tone: event.level === 'warning' ? 'warning' : 'info', text: event.message});
						continue;
					}
					// Already shown before the restart (the new tail starts at that timestamp, inclusive).
					if (from && event.timestamp === from.timestamp && from.ids.has(event.eventId)) continue;
					if (event.timestamp > seen.timestamp) {
						seen.timestamp = event.timestamp;
						seen.ids = new Set();
					}
					if (event.timestamp === seen.timestamp) seen.ids.add(event.eventId);
					pending.push({timestamp: event.timestamp, component: event.component, message: event.message});
					timer ??= setTimeout(flush, batchMs);
				}
				flush();
				if (!controller.signal.aborted) handlers.onEnded(tailRequest);
			} catch (error) {
				flush();
				if (!controller.signal.aborted) {
					const {error: message, hint} = failureOutcome(error);
					handlers.onEnded(tailRequest, {message, ...(hint ? {hint} : {})});
				}
			}
		})();
		return () => {
			controller.abort();
			if (timer) clearTimeout(timer);
		};
	}, [logs, workspace, target, following, tailRequest, sinceMs, batchMs, handlers]);
}

/** Where a restarted tail of `target` resumes: the newest timestamp delivered and the ids delivered at it. */
interface Resume {
	target: LogsTarget;
	timestamp: number;
	ids: Set<string>;
}
