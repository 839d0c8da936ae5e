/**
 * Scripted engine event streams for the dashboard's tests: a push-driven async iterable (the test
 * decides when each event arrives, so frames can be asserted in between), and event builders
 * that take the steps from a real plan, as applyPlan would list them.
 */
import type {ApplyAction, EngineEvent} from '../../engine/apply/events.js';
import {runOutcome} from '../../engine/apply/outcome.js';
import type {Plan} from '../../engine/plan/plan.js';

export interface EventChannel<T = EngineEvent> extends AsyncIterable<T> {
	push(...events: T[]): void;
	/** Ends the stream (after what was pushed). */
	end(): void;
	/** Makes the stream throw (after what was pushed). */
	fail(error: Error): void;
	/** How many times the reader asked for the next event (0: nobody reads). */
	readonly reads: number;
}

/** The engine's events, pushed by the test. */
export const eventChannel = (): EventChannel => pushChannel<EngineEvent>();

/** Any stream (log events too), pushed by the test. */
export function pushChannel<T>(): EventChannel<T> {
	const queue: T[] = [];
	let waiting: {resolve(result: IteratorResult<T>): void; reject(error: unknown): void} | undefined;
	let ended = false;
	let failure: Error | undefined;
	let reads = 0;
	const settle = () => {
		if (!waiting) return;
		const next = queue.shift();
		const w = waiting;
		if (next !== undefined) {
			waiting = undefined;
			w.resolve({value: next, done: false});
		} else if (failure) {
			waiting = undefined;
			w.reject(failure);
		} else if (ended) {
			waiting = undefined;
			w.resolve({value: undefined, done: true});
		}
	};
	return {
		push(...events) {
			queue.push(...events);
			settle();
		},
		end() {
			ended = true;
			settle();
		},
		fail(error) {
			failure = error;
			settle();
		},
		get reads() {
			return reads;
		},
		[Symbol.asyncIterator]() {
			return {
				next() {
					reads++;
					return new Promise<IteratorResult<T>>((resolve, reject) => {
						waiting = {resolve, reject};
						settle();
					});
				},
			};
		},
	};
}

const at = () => new Date().toISOString();

/** The steps of a plan of creates, as apply.start lists them. */
export function applyStart(plan: Plan, parallelism = 10): Extract<EngineEvent, {type: 'apply.start'}> {
	const changes = plan.changes
		.filter((c) => c.action !== 'no-op')
		.map((c) => ({address: c.address, action: c.action as ApplyAction, kind: c.kind}));
	return {
		type: 'apply.start',
		at: at(),
		stack: plan.stack,
		tenant: plan.tenant,
		environment: plan.environment,
		operation: 'apply',
		changes,
		parallelism,
	};
}

export function kindOf(plan: Plan, address: string): string {
	return plan.changes.find((c) => c.address === address)?.kind ?? 'SQS';
}

export const started = (plan: Plan, address: string, startedAt = at()): EngineEvent => ({
	type: 'resource.start',
	at: startedAt,
	address,
	action: 'create',
	kind: kindOf(plan, address),
});
export const progressed = (address: string, phase: string): EngineEvent => ({
	type: 'resource.progress',
	at: at(),
	address,
	action: 'create',
	phase,
});
export const done = (plan: Plan, address: string, outputs: Record<string, unknown> = {}): EngineEvent => ({
	type: 'resource.done',
	at: at(),
	address,
	action: 'create',
	kind: kindOf(plan, address),
	physicalId: `id-of-${address.split('/')[1]}`,
	outputs,
	elapsedMs: 1234,
});
export const failed = (plan: Plan, address: string, code: string, message: string): EngineEvent => ({
	type: 'resource.failed',
	at: at(),
	address,
	action: 'create',
	kind: kindOf(plan, address),
	code,
	message,
	elapsedMs: 400,
});
export const skipped = (plan: Plan, address: string, cause: string): EngineEvent => ({
	type: 'resource.skipped',
	at: at(),
	address,
	action: 'create',
	kind: kindOf(plan, address),
	reason: `skipped because ${cause} failed`,
});
export const notStarted = (plan: Plan, address: string): EngineEvent => ({
	type: 'resource.not-started',
	at: at(),
	address,
	action: 'create',
	kind: kindOf(plan, address),
});

/** A summary; its outcome is the engine's verdict on its lists (runOutcome), unless given. */
export function summary(partial: Partial<Extract<EngineEvent, {type: 'summary'}>> = {}): EngineEvent {
	const lists = {done: [], failed: [], skipped: [], notStarted: [], ...partial};
	const steps = (['done', 'failed', 'skipped', 'notStarted'] as const).flatMap((key) =>
		lists[key].map((address) => ({address, outcome: key === 'notStarted' ? ('not-started' as const) : key})),
	);
	const operation = partial.operation ?? 'apply';
	return {
		type: 'summary',
		at: at(),
		operation,
		outputs: {},
		durationMs: 3210,
		interrupted: false,
		stateSerial: 7,
		outcome: runOutcome({operation, steps, unselected: [], ...(partial.interrupted ? {interrupted: {}} : {})}),
		...lists,
		...partial,
	};
}
