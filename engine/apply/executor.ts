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
	const execution = prepareExecution(operations, options);
	const stopListening = listenForInterrupts(execution);
	try {
		for (;;) {
			const stopping = options.stop?.aborted || options.abort?.aborted;
			if (!stopping) startReadyOperations(execution, parallelism);
			while (execution.queue.length > 0) yield execution.queue.shift()!;
			if (execution.running.size === 0 && (stopping || execution.ready.length === 0)) break;
			// Operations may have finished (and made others ready) while the consumer handled events:
			// start those now instead of waiting for a wake-up that already happened.
			if (!stopping && execution.ready.length > 0 && execution.running.size < parallelism) continue;
			await new Promise<void>((resolve) => {
				execution.wake = resolve;
				if (execution.queue.length > 0) resolve();
			}).finally(wakeUpForHeartbeats(execution));
			execution.wake = undefined;
		}
		for (const op of operations) {
			if (execution.outcomes.has(op.id)) continue;
			execution.outcomes.set(op.id, 'not-started');
			yield {type: 'operation.not-started', id: op.id, at: execution.now()};
		}
		yield {type: 'summary', outcomes: execution.outcomes, at: execution.now()};
	} finally {
		stopListening();
		abortRunning(execution);
	}
}

/** One run's state, shared by the scheduling loop and the callbacks of the running operations. */
interface Execution<Result> {
	options: ExecutorOptions;
	now: () => number;
	byId: ReadonlyMap<string, Operation<Result>>;
	/** Per operation, the operations that depend on it. */
	dependents: ReadonlyMap<string, string[]>;
	/** Per operation, how many of its distinct dependencies have not succeeded yet. */
	waitingOn: Map<string, number>;
	/** Per operation, the longest estimated chain from it to the end of the graph: the longest goes first. */
	priority: ReadonlyMap<string, number>;
	/** Operations whose dependencies have all succeeded, not started yet. */
	ready: string[];
	outcomes: Map<string, OperationOutcome>;
	running: Map<string, AbortController>;
	/** Per running operation: when it started, when it last reported, its latest phase. */
	heard: Map<string, {started: number; last: number; phase?: string}>;
	/** Events produced by running operations, consumed in order by the generator. */
	queue: ExecutorEvent<Result>[];
	/** Resumes the generator waiting for an event, if it is waiting. */
	wake: (() => void) | undefined;
	interrupted: Set<'stop' | 'abort'>;
}

/** The run's graph and empty bookkeeping; throws ExecutorInputError for duplicate ids, unknown dependencies or a cycle. */
function prepareExecution<Result>(operations: readonly Operation<Result>[], options: ExecutorOptions): Execution<Result> {
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
	const priority = heaviestChainFrom(
		ids,
		(id) => dependents.get(id) ?? [],
		(id) => estimate.get(id)!,
	);
	const ready: string[] = operations.filter((op) => waitingOn.get(op.id) === 0).map((op) => op.id);
	const stuck = stuckInCycles(ids, (id) => dependents.get(id) ?? [], waitingOn);
	if (stuck.length > 0)
		throw new ExecutorInputError(`the operations form a cycle: ${stuck.slice(0, 10).join(', ')}${stuck.length > 10 ? ', …' : ''}`);
	return {
		options,
		now: options.now ?? Date.now,
		byId,
		dependents,
		waitingOn,
		priority,
		ready,
		outcomes: new Map(),
		running: new Map(),
		heard: new Map(),
		queue: [],
		wake: undefined,
		interrupted: new Set(),
	};
}

function emit<Result>(execution: Execution<Result>, event: ExecutorEvent<Result>): void {
	execution.queue.push(event);
	execution.wake?.();
}

function abortRunning(execution: Execution<unknown>): void {
	for (const controller of execution.running.values()) controller.abort();
}

/** Reports each signal once, as soon as it fires (at once when it fired before the run); returns the removal of the listeners. */
function listenForInterrupts<Result>(execution: Execution<Result>): () => void {
	const {options} = execution;
	const interrupt = (mode: 'stop' | 'abort') => {
		if (execution.interrupted.has(mode)) return;
		execution.interrupted.add(mode);
		emit(execution, {type: 'interrupt', mode, at: execution.now()});
	};
	const onAbort = () => {
		interrupt('abort');
		abortRunning(execution);
	};
	const onStop = () => interrupt('stop');
	options.abort?.addEventListener('abort', onAbort, {once: true});
	options.stop?.addEventListener('abort', onStop, {once: true});
	if (options.stop?.aborted) interrupt('stop');
	if (options.abort?.aborted) interrupt('abort');
	return () => {
		options.abort?.removeEventListener('abort', onAbort);
		options.stop?.removeEventListener('abort', onStop);
	};
}

/** Starts ready operations, longest remaining chain first (then by id), while fewer than `parallelism` run. */
function startReadyOperations<Result>(execution: Execution<Result>, parallelism: number): void {
	const {ready, priority} = execution;
	ready.sort((a, b) => priority.get(b)! - priority.get(a)! || (a < b ? -1 : 1));
	while (execution.running.size < parallelism && ready.length > 0) {
		const id = ready.shift()!;
		if (!execution.outcomes.has(id)) startOperation(execution, id);
	}
}

function startOperation<Result>(execution: Execution<Result>, id: string): void {
	const {now} = execution;
	const op = execution.byId.get(id)!;
	const controller = new AbortController();
	if (execution.options.abort?.aborted) controller.abort();
	execution.running.set(id, controller);
	const started = now();
	execution.heard.set(id, {started, last: started});
	emit(execution, {type: 'operation.start', id, at: started});
	const context: OperationContext = {
		signal: controller.signal,
		progress: (phase) => {
			if (execution.outcomes.has(id)) return;
			const at = now();
			execution.heard.set(id, {started, last: at, phase});
			emit(execution, {type: 'operation.progress', id, phase, at});
		},
	};
	Promise.resolve()
		.then(() => op.run(context))
		.then(
			(result) => operationSucceeded(execution, id, started, result),
			(error: unknown) => operationFailed(execution, id, started, controller.signal.aborted, error),
		);
}

/** Done: its dependents whose last dependency this was become ready. */
function operationSucceeded<Result>(execution: Execution<Result>, id: string, started: number, result: Result): void {
	const {now, waitingOn} = execution;
	execution.running.delete(id);
	execution.heard.delete(id);
	execution.outcomes.set(id, 'done');
	emit(execution, {type: 'operation.done', id, result, at: now(), elapsedMs: now() - started});
	for (const next of execution.dependents.get(id) ?? []) {
		const left = waitingOn.get(next)! - 1;
		waitingOn.set(next, left);
		if (left === 0 && !execution.outcomes.has(next)) execution.ready.push(next);
	}
}

/** Aborted (its signal had fired) or failed: either way its dependents are skipped, saying why. */
function operationFailed<Result>(execution: Execution<Result>, id: string, started: number, aborted: boolean, error: unknown): void {
	const {now} = execution;
	execution.running.delete(id);
	execution.heard.delete(id);
	if (aborted) {
		execution.outcomes.set(id, 'aborted');
		emit(execution, {type: 'operation.aborted', id, error, at: now(), elapsedMs: now() - started});
		skipDependents(execution, id, id, 'not run because this was aborted');
	} else {
		execution.outcomes.set(id, 'failed');
		emit(execution, {type: 'operation.failed', id, error, at: now(), elapsedMs: now() - started});
		skipDependents(execution, id, id, 'skipped because it depends on');
	}
}

/** Every operation depending on `id`, transitively and not yet ended, ends as skipped with the reason `why: cause`. */
function skipDependents<Result>(execution: Execution<Result>, id: string, cause: string, why: string): void {
	const pending = [...(execution.dependents.get(id) ?? [])];
	while (pending.length > 0) {
		const next = pending.shift()!;
		if (execution.outcomes.has(next)) continue;
		execution.outcomes.set(next, 'skipped');
		emit(execution, {type: 'operation.skipped', id: next, cause, reason: `${why}: ${cause}`, at: execution.now()});
		pending.push(...(execution.dependents.get(next) ?? []));
	}
}

/** Arms a timer for the next heartbeat that falls due (it wakes the loop); returns its disarm. */
function wakeUpForHeartbeats<Result>(execution: Execution<Result>): () => void {
	const {heard, now} = execution;
	const every = execution.options.heartbeatMs;
	if (!every || heard.size === 0) return () => {};
	const due = Math.min(...[...heard.values()].map((h) => h.last + every));
	const timer = setTimeout(
		() => {
			const at = now();
			for (const [id, h] of heard)
				if (at - h.last >= every) {
					h.last = at;
					emit(execution, {
						type: 'operation.heartbeat',
						id,
						...(h.phase !== undefined ? {phase: h.phase} : {}),
						at,
						elapsedMs: at - h.started,
					});
				}
			execution.wake?.();
		},
		Math.max(0, due - now()),
	);
	return () => clearTimeout(timer);
}
