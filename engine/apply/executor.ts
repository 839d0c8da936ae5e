/**
 * The executor: runs a set of operations over their dependency DAG, in parallel, and streams what
 * happens. It knows nothing about AWS, plans or state; applyPlan builds the operations (creates,
 * updates, replaces, deletes, with their edges) and gives each its `run`.
 *
 * Invariants:
 * - An operation starts only when every operation it depends on has succeeded, and at most
 *   `parallelism` run at once. Among ready operations, the one with the longest remaining chain
 *   (weighted by `estimateMs`) starts first, which keeps the wall time near
 *   max(critical path, total work / parallelism).
 * - A failure never stops independent branches: its dependents (transitively) are skipped, each
 *   with the reason naming the failed operation, and everything else goes on.
 * - `stop` (first Ctrl-C): no new operation starts; running ones finish and are reported; the
 *   rest end as `not-started`. `abort` (second Ctrl-C): the AbortSignal given to every running
 *   operation fires; they end as `aborted` once their `run` settles (runs must honour the signal).
 *   Each signal is reported once, as an `interrupt` event, as soon as it fires (or first thing,
 *   when it fired before the run), not with the next operation's event: a stop during a
 *   ten-minute wait is said at once.
 * - With `heartbeatMs`, a running operation that reported nothing (start, progress, heartbeat)
 *   for that long gets an `operation.heartbeat`, so a consumer hears about every running
 *   operation at least that often, however long its wait.
 * - Every operation ends in exactly one terminal event; the stream ends with one `summary`.
 * - Events are yielded in the order they happened; the executor never throws for an operation's
 *   failure (only for a malformed input: unknown dependency or a cycle).
 */

import {heaviestChainFrom, stuckInCycles} from '../graph/walks.js';

export interface OperationContext {
	/** Fires on abort (second Ctrl-C): stop waiting and return or throw promptly. */
	signal: AbortSignal;
	/** Report what the operation is doing now ("waiting for NAT gateway available"). */
	progress(phase: string): void;
}

export interface Operation<Result = unknown> {
	id: string;
	/** Operations that must succeed before this one starts. */
	dependsOn: readonly string[];
	/** Rough duration, for scheduling the critical path first (default 1). */
	estimateMs?: number;
	run(context: OperationContext): Promise<Result>;
}

export type OperationOutcome = 'done' | 'failed' | 'skipped' | 'not-started' | 'aborted';

export type ExecutorEvent<Result = unknown> =
	| {type: 'operation.start'; id: string; at: number}
	| {type: 'operation.progress'; id: string; phase: string; at: number}
	| {type: 'operation.done'; id: string; result: Result; at: number; elapsedMs: number}
	| {type: 'operation.failed'; id: string; error: unknown; at: number; elapsedMs: number}
	| {type: 'operation.skipped'; id: string; reason: string; cause: string; at: number}
	| {type: 'operation.not-started'; id: string; at: number}
	| {type: 'operation.aborted'; id: string; error?: unknown; at: number; elapsedMs: number}
	/** A running operation has been quiet for `heartbeatMs`; `phase` is its latest progress. */
	| {type: 'operation.heartbeat'; id: string; phase?: string; at: number; elapsedMs: number}
	/** The stop or abort signal fired (once each). */
	| {type: 'interrupt'; mode: 'stop' | 'abort'; at: number}
	| {type: 'summary'; outcomes: ReadonlyMap<string, OperationOutcome>; at: number};

export interface ExecutorOptions {
	parallelism?: number;
	/** Graceful stop: start nothing new. */
	stop?: AbortSignal;
	/** Hard abort: signal the running operations. */
	abort?: AbortSignal;
	now?: () => number;
	/** Report a running operation quiet for this long (`operation.heartbeat`); absent: never. */
	heartbeatMs?: number;
}

export class ExecutorInputError extends Error {}

export async function* executeOperations<Result>(
	operations: readonly Operation<Result>[],
	options: ExecutorOptions = {},
): AsyncGenerator<ExecutorEvent<Result>> {
	const parallelism = Math.max(1, options.parallelism ?? 10);
	const now = options.now ?? Date.now;
	const byId = new Map(operations.map((op) => [op.id, op]));
	if (byId.size !== operations.length) throw new ExecutorInputError('operation ids must be unique');
	const dependents = new Map<string, string[]>(operations.map((op) => [op.id, []]));
	const waitingOn = new Map<string, number>();
	for (const op of operations) {
		for (const dep of op.dependsOn) {
			if (!byId.has(dep)) throw new ExecutorInputError(`${op.id} depends on unknown operation ${dep}`);
			dependents.get(dep)!.push(op.id);
		}
		waitingOn.set(op.id, new Set(op.dependsOn).size);
	}
	const ids = operations.map((op) => op.id);
	const estimate = new Map(operations.map((op) => [op.id, Math.max(0, op.estimateMs ?? 1)]));
	/** Per operation, the longest estimated chain from it to the end of the graph: the longest goes first. */
	const priority = heaviestChainFrom(
		ids,
		(id) => dependents.get(id) ?? [],
		(id) => estimate.get(id)!,
	);
	const outcomes = new Map<string, OperationOutcome>();
	const ready: string[] = operations.filter((op) => waitingOn.get(op.id) === 0).map((op) => op.id);
	const stuck = stuckInCycles(ids, (id) => dependents.get(id) ?? [], waitingOn);
	if (stuck.length > 0)
		throw new ExecutorInputError(`the operations form a cycle: ${stuck.slice(0, 10).join(', ')}${stuck.length > 10 ? ', …' : ''}`);

	// Events produced by running operations, consumed in order by this generator.
	const queue: ExecutorEvent<Result>[] = [];
	let wake: (() => void) | undefined;
	const emit = (event: ExecutorEvent<Result>) => {
		queue.push(event);
		wake?.();
	};
	const running = new Map<string, AbortController>();
	/** Per running operation: when it started, when it last reported, its latest phase. */
	const heard = new Map<string, {started: number; last: number; phase?: string}>();
	const abortAll = () => {
		for (const controller of running.values()) controller.abort();
	};
	const interrupted = new Set<'stop' | 'abort'>();
	const interrupt = (mode: 'stop' | 'abort') => {
		if (interrupted.has(mode)) return;
		interrupted.add(mode);
		emit({type: 'interrupt', mode, at: now()});
	};
	const onAbort = () => {
		interrupt('abort');
		abortAll();
	};
	const onStop = () => interrupt('stop');
	options.abort?.addEventListener('abort', onAbort, {once: true});
	options.stop?.addEventListener('abort', onStop, {once: true});
	if (options.stop?.aborted) interrupt('stop');
	if (options.abort?.aborted) interrupt('abort');

	const skipDependents = (id: string, cause: string, why: string) => {
		const pending = [...(dependents.get(id) ?? [])];
		while (pending.length > 0) {
			const next = pending.shift()!;
			if (outcomes.has(next)) continue;
			outcomes.set(next, 'skipped');
			emit({type: 'operation.skipped', id: next, cause, reason: `${why}: ${cause}`, at: now()});
			pending.push(...(dependents.get(next) ?? []));
		}
	};

	const start = (id: string) => {
		const op = byId.get(id)!;
		const controller = new AbortController();
		if (options.abort?.aborted) controller.abort();
		running.set(id, controller);
		const started = now();
		heard.set(id, {started, last: started});
		emit({type: 'operation.start', id, at: started});
		const context: OperationContext = {
			signal: controller.signal,
			progress: (phase) => {
				if (outcomes.has(id)) return;
				const at = now();
				heard.set(id, {started, last: at, phase});
				emit({type: 'operation.progress', id, phase, at});
			},
		};
		Promise.resolve()
			.then(() => op.run(context))
			.then(
				(result) => {
					running.delete(id);
					heard.delete(id);
					outcomes.set(id, 'done');
					emit({type: 'operation.done', id, result, at: now(), elapsedMs: now() - started});
					for (const next of dependents.get(id) ?? []) {
						const left = waitingOn.get(next)! - 1;
						waitingOn.set(next, left);
						if (left === 0 && !outcomes.has(next)) ready.push(next);
					}
				},
				(error: unknown) => {
					running.delete(id);
					heard.delete(id);
					if (controller.signal.aborted) {
						outcomes.set(id, 'aborted');
						emit({type: 'operation.aborted', id, error, at: now(), elapsedMs: now() - started});
						skipDependents(id, id, 'not run because this was aborted');
					} else {
						outcomes.set(id, 'failed');
						emit({type: 'operation.failed', id, error, at: now(), elapsedMs: now() - started});
						skipDependents(id, id, 'skipped because it depends on');
					}
				},
			);
	};

	/** Arms a timer for the next heartbeat that falls due (it wakes the loop); returns its disarm. */
	const wakeUpForHeartbeats = (): (() => void) => {
		const every = options.heartbeatMs;
		if (!every || heard.size === 0) return () => {};
		const due = Math.min(...[...heard.values()].map((h) => h.last + every));
		const timer = setTimeout(
			() => {
				const at = now();
				for (const [id, h] of heard)
					if (at - h.last >= every) {
						h.last = at;
						emit({type: 'operation.heartbeat', id, ...(h.phase !== undefined ? {phase: h.phase} : {}), at, elapsedMs: at - h.started});
					}
				wake?.();
			},
			Math.max(0, due - now()),
		);
		return () => clearTimeout(timer);
	};

	try {
		for (;;) {
			const stopping = options.stop?.aborted || options.abort?.aborted;
			if (!stopping) {
				ready.sort((a, b) => priority.get(b)! - priority.get(a)! || (a < b ? -1 : 1));
				while (running.size < parallelism && ready.length > 0) {
					const id = ready.shift()!;
					if (!outcomes.has(id)) start(id);
				}
			}
			while (queue.length > 0) yield queue.shift()!;
			if (running.size === 0 && (stopping || ready.length === 0)) break;
			// Operations may have finished (and made others ready) while the consumer handled events:
			// start those now instead of waiting for a wake-up that already happened.
			if (!stopping && ready.length > 0 && running.size < parallelism) continue;
			await new Promise<void>((resolve) => {
				wake = resolve;
				if (queue.length > 0) resolve();
			}).finally(wakeUpForHeartbeats());
			wake = undefined;
		}
		for (const op of operations) {
			if (outcomes.has(op.id)) continue;
			outcomes.set(op.id, 'not-started');
			yield {type: 'operation.not-started', id: op.id, at: now()};
		}
		yield {type: 'summary', outcomes, at: now()};
	} finally {
		options.abort?.removeEventListener('abort', onAbort);
		options.stop?.removeEventListener('abort', onStop);
		abortAll();
	}
}
