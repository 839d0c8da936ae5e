/**
 * What interrupts a stack change from outside (the dashboard handles its own ctrl+c keys), turned
 * into the two-level stop of engine/apply/stack-change.ts: the first interruption of any kind stops the run
 * (nothing new starts; the steps in flight finish and are saved; the lock is released at the end),
 * the second aborts the steps in flight (they stay recorded as pending).
 *
 *   cause                                             exit code
 *   SIGINT    Ctrl-C, kill -INT                       130
 *   SIGTERM   a CI job cancelled, kill                143
 *   SIGHUP    the terminal or the CI runner went away 129
 *   stdout or stderr closed (EPIPE: `… | head -3`)    141, as a shell reports a SIGPIPE
 *
 * The stop's reason is the cause's label (none for Ctrl-C, whose line the README shows): the
 * engine repeats it in `apply.interrupted` and in the outcome. A closed output cannot carry that
 * line, so it is said on the other stream, if that one is still open.
 *
 * Invariants: listeners exist only between `listen` and `dispose`, so Node's own handling is back
 * once the change is over; each cause is announced once.
 */
import type {CommandContext} from './context.js';
import {isOutputClosed, onOutputClosed, type OutputStream} from './closed-output.js';
import {exitCodes} from './errors.js';

export type InterruptionCause = 'SIGINT' | 'SIGTERM' | 'SIGHUP' | 'stdout closed' | 'stderr closed';

export interface Interruption {
	cause: InterruptionCause;
	exitCode: number;
	/** The stop's reason as the engine shows it (undefined for Ctrl-C). */
	label?: string;
}

const signals = {SIGINT: exitCodes.interrupted, SIGTERM: 143, SIGHUP: 129} as const;
const closedOutputExitCode = 141;

export interface InterruptionListener {
	/** The first interruption, once there was one. */
	readonly first: Interruption | undefined;
	dispose(): void;
}

/** Listens for interruptions and calls `stop` (first) then `abort` (second) with the cause's label. */
export function listenForInterruptions(
	context: Pick<CommandContext, 'stdout' | 'stderr'>,
	controls: {stop: AbortController; abort: AbortController},
): InterruptionListener {
	let first: Interruption | undefined;
	const interrupt = (interruption: Interruption) => {
		first ??= interruption;
		const control = controls.stop.signal.aborted ? controls.abort : controls.stop;
		if (!control.signal.aborted) control.abort(interruption.label);
	};
	const handlers = Object.entries(signals).map(([signal, exitCode]) => {
		const handler = () => interrupt({cause: signal as keyof typeof signals, exitCode, ...(signal === 'SIGINT' ? {} : {label: signal})});
		process.on(signal, handler);
		return () => process.off(signal, handler);
	});
	const stopListening = onOutputClosed((stream: OutputStream) => {
		const other = stream === 'stdout' ? context.stderr : context.stdout;
		if (!isOutputClosed(stream === 'stdout' ? 'stderr' : 'stdout'))
			other.write(
				`panka: standard ${stream === 'stdout' ? 'output' : 'error'} was closed: starting nothing new; the steps in flight finish and are saved, then the lock is released\n`,
			);
		interrupt({
			cause: `${stream} closed`,
			exitCode: closedOutputExitCode,
			label: `standard ${stream === 'stdout' ? 'output' : 'error'} closed`,
		});
	});
	return {
		get first() {
			return first;
		},
		dispose() {
			for (const off of handlers) off();
			stopListening();
		},
	};
}
