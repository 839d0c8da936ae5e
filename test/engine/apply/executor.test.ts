/**
 * The executor's invariants, with operations the test controls (deferred promises), so ordering,
 * parallelism, failure isolation and cancellation are checked exactly, with no timing.
 */
import {setImmediate as immediate} from 'node:timers/promises';
import {describe, expect, it} from 'vitest';
import {type ExecutorEvent, executeOperations, ExecutorInputError, type Operation} from '../../../engine/apply/executor.js';

interface Controlled {
	operations: Operation<string>[];
	started: string[];
	finish(id: string, outcome?: 'ok' | 'fail'): void;
	running(): string[];
}

/** Operations that run until the test finishes them; `edges` maps id → its dependencies. */
function controlled(edges: Record<string, string[]>, estimates: Record<string, number> = {}): Controlled {
	const started: string[] = [];
	const pending = new Map<string, {resolve(v: string): void; reject(e: Error): void}>();
	const operations = Object.entries(edges).map(
		([id, dependsOn]): Operation<string> => ({
			id,
			dependsOn,
			...(estimates[id] !== undefined ? {estimateMs: estimates[id]} : {}),
			run: (context) =>
				new Promise<string>((resolve, reject) => {
					started.push(id);
					pending.set(id, {resolve, reject});
					context.signal.addEventListener('abort', () => reject(new Error(`${id} aborted`)), {once: true});
				}),
		}),
	);
	return {
		operations,
		started,
		finish(id, outcome = 'ok') {
			const p = pending.get(id);
			if (!p) throw new Error(`${id} is not running`);
			pending.delete(id);
			if (outcome === 'ok') p.resolve(`${id}-result`);
			else p.reject(new Error(`${id} broke`));
		},
		running: () => [...pending.keys()].sort(),
	};
}

/** Drains the event stream in the background, so the test can steer operations meanwhile. */
function collect(stream: AsyncGenerator<ExecutorEvent<string>>) {
	const events: ExecutorEvent<string>[] = [];
	const done = (async () => {
		for await (const event of stream) events.push(event);
	})();
	return {events, done};
}

const settle = async () => {
	for (let i = 0; i < 5; i++) await immediate();
};

describe('executeOperations', () => {
	it('starts an operation only after everything it depends on succeeded', async () => {
		const c = controlled({db: [], queue: [], api: ['db', 'queue'], worker: ['queue']});
		const {events, done} = collect(executeOperations(c.operations));
		await settle();
		expect(c.running()).toEqual(['db', 'queue']);
		c.finish('queue');
		await settle();
		expect(c.running()).toEqual(['db', 'worker']);
		c.finish('db');
		await settle();
		expect(c.running()).toEqual(['api', 'worker']);
		c.finish('api');
		c.finish('worker');
		await done;
		const summary = events.at(-1);
		expect(summary?.type === 'summary' && [...summary.outcomes.values()]).toEqual(['done', 'done', 'done', 'done']);
	});

	it('never runs more than `parallelism` operations at once', async () => {
		const edges = Object.fromEntries(Array.from({length: 12}, (_, i) => [`op${i}`, []]));
		const c = controlled(edges);
		const {done} = collect(executeOperations(c.operations, {parallelism: 3}));
		let peak = 0;
		for (let round = 0; round < 12; round++) {
			await settle();
			peak = Math.max(peak, c.running().length);
			const first = c.running()[0];
			if (first) c.finish(first);
		}
		await done;
		expect(peak).toBe(3);
		expect(c.started).toHaveLength(12);
	});

	it('starts the longest remaining chain first', async () => {
		// short: one step; long: a → b → c. With one slot, `a` must go first.
		const c = controlled({short: [], a: [], b: ['a'], c: ['b']}, {short: 5, a: 5, b: 5, c: 5});
		const {done} = collect(executeOperations(c.operations, {parallelism: 1}));
		await settle();
		expect(c.running()).toEqual(['a']);
		for (const id of ['a', 'b', 'c', 'short']) {
			await settle();
			c.finish(id);
		}
		await done;
		expect(c.started).toEqual(['a', 'b', 'c', 'short']);
	});

	it('skips every dependent of a failure, with the reason, and lets independent branches finish', async () => {
		const c = controlled({db: [], api: ['db'], web: ['api'], queue: [], worker: ['queue']});
		const {events, done} = collect(executeOperations(c.operations));
		await settle();
		c.finish('db', 'fail');
		await settle();
		expect(c.running()).toEqual(['queue']);
		c.finish('queue');
		await settle();
		c.finish('worker');
		await done;
		const skipped = events.filter((e) => e.type === 'operation.skipped');
		expect(skipped.map((e) => e.type === 'operation.skipped' && [e.id, e.reason])).toEqual([
			['api', 'skipped because it depends on: db'],
			['web', 'skipped because it depends on: db'],
		]);
		const summary = events.at(-1);
		expect(summary?.type === 'summary' && Object.fromEntries(summary.outcomes)).toEqual({
			db: 'failed',
			api: 'skipped',
			web: 'skipped',
			queue: 'done',
			worker: 'done',
		});
	});

	it('on stop, starts nothing new and lets running operations finish', async () => {
		const stop = new AbortController();
		const c = controlled({a: [], b: [], c: ['a'], d: []});
		const {events, done} = collect(executeOperations(c.operations, {stop: stop.signal, parallelism: 2}));
		await settle();
		expect(c.running()).toEqual(['a', 'b']);
		stop.abort();
		c.finish('a');
		await settle();
		expect(c.running()).toEqual(['b']); // c and d never start
		c.finish('b');
		await done;
		const summary = events.at(-1);
		expect(summary?.type === 'summary' && Object.fromEntries(summary.outcomes)).toEqual({
			a: 'done',
			b: 'done',
			c: 'not-started',
			d: 'not-started',
		});
	});

	it('on abort, signals running operations and reports them aborted', async () => {
		const abort = new AbortController();
		const c = controlled({a: [], b: ['a']});
		const {events, done} = collect(executeOperations(c.operations, {abort: abort.signal}));
		await settle();
		abort.abort();
		await done;
		expect(events.map((e) => e.type)).toEqual(['operation.start', 'interrupt', 'operation.aborted', 'operation.skipped', 'summary']);
	});

	it('reports a stop the moment it comes, not with the next operation event', async () => {
		const stop = new AbortController();
		const c = controlled({slow: [], next: ['slow']});
		const {events, done} = collect(executeOperations(c.operations, {stop: stop.signal}));
		await settle();
		stop.abort();
		await settle();
		// `slow` is still running, yet the stop is already in the stream.
		expect(events.map((e) => e.type)).toEqual(['operation.start', 'interrupt']);
		expect(events.at(-1)).toMatchObject({type: 'interrupt', mode: 'stop'});
		c.finish('slow');
		await done;
		expect(events.filter((e) => e.type === 'interrupt')).toHaveLength(1);
	});

	it('reports a stop given before the run first, and starts nothing', async () => {
		const stop = new AbortController();
		stop.abort();
		const c = controlled({a: []});
		const {events, done} = collect(executeOperations(c.operations, {stop: stop.signal}));
		await done;
		expect(events.map((e) => e.type)).toEqual(['interrupt', 'operation.not-started', 'summary']);
		expect(c.started).toEqual([]);
	});

	it('sends a heartbeat for every running operation that has been quiet for heartbeatMs, with its phase', async () => {
		const operations: Operation<string>[] = [
			{
				id: 'rollout',
				dependsOn: [],
				run: async (context) => {
					context.progress('waiting for 3/3 tasks');
					await new Promise((resolve) => setTimeout(resolve, 130));
					return 'r';
				},
			},
			{id: 'quick', dependsOn: [], run: async () => 'q'},
		];
		const events: ExecutorEvent<string>[] = [];
		for await (const event of executeOperations(operations, {heartbeatMs: 40})) events.push(event);
		const beats = events.filter((e) => e.type === 'operation.heartbeat');
		expect(beats.length).toBeGreaterThanOrEqual(2);
		expect(beats.every((e) => e.type === 'operation.heartbeat' && e.id === 'rollout' && e.phase === 'waiting for 3/3 tasks')).toBe(true);
		const elapsed = beats.map((e) => (e.type === 'operation.heartbeat' ? e.elapsedMs : 0));
		expect(elapsed).toEqual([...elapsed].sort((a, b) => a - b));
		expect(elapsed[0]).toBeGreaterThanOrEqual(40);
		// Nothing after the operation ended.
		const doneAt = events.findIndex((e) => e.type === 'operation.done' && e.id === 'rollout');
		expect(events.slice(doneAt).some((e) => e.type === 'operation.heartbeat')).toBe(false);
	});

	it('streams progress between start and the end of an operation', async () => {
		const operations: Operation<string>[] = [
			{
				id: 'nat',
				dependsOn: [],
				run: async (context) => {
					context.progress('waiting for NAT gateway available');
					return 'nat-1';
				},
			},
		];
		const events: ExecutorEvent<string>[] = [];
		for await (const event of executeOperations(operations)) events.push(event);
		expect(events.map((e) => (e.type === 'operation.progress' ? e.phase : e.type))).toEqual([
			'operation.start',
			'waiting for NAT gateway available',
			'operation.done',
			'summary',
		]);
	});

	it('keeps going when operations finish while the consumer is still handling events', async () => {
		const operations: Operation<string>[] = [
			{id: 'a', dependsOn: [], run: async () => 'a'},
			{id: 'b', dependsOn: [], run: () => new Promise((resolve) => setTimeout(() => resolve('b'), 5))},
			{id: 'c', dependsOn: ['b'], run: async () => 'c'},
		];
		const done: string[] = [];
		for await (const event of executeOperations(operations)) {
			if (event.type === 'operation.done') done.push(event.id);
			await new Promise((resolve) => setTimeout(resolve, 20)); // a slow consumer (rendering, saving state)
		}
		expect(done.sort()).toEqual(['a', 'b', 'c']);
	});

	it('refuses unknown dependencies and cycles before running anything', async () => {
		const run = async () => 'x';
		await expect(executeOperations([{id: 'a', dependsOn: ['nope'], run}]).next()).rejects.toBeInstanceOf(ExecutorInputError);
		await expect(
			executeOperations([
				{id: 'a', dependsOn: [], run},
				{id: 'b', dependsOn: ['c'], run},
				{id: 'c', dependsOn: ['b'], run},
			]).next(),
		).rejects.toThrow(/cycle: b, c/);
	});
});
