/**
 * An apply whose state cannot be saved, or whose lock is lost, on both backends (a local folder,
 * S3 on moto): it starts nothing new once it knows, never touches AWS for a step whose intent
 * could not be saved, and ends with an outcome that says so (never a success), naming what exists
 * in AWS but not in the recorded state and the one command that reconciles it.
 *
 * The SQS kind's provider is replaced by one whose creates wait for the test (gated-queues.ts),
 * so the backend is the only real thing here and every moment can be chosen.
 */
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import type {EngineEvent} from '../../../engine/apply/events.js';
import {planChanges} from '../../../engine/plan/plan.js';
import {type Backend, stateKey} from '../../../engine/state/backend.js';
import {BackendError, type BlobStore} from '../../../engine/state/blob-store.js';
import {acquireLock, breakLock, watchLock} from '../../../engine/state/lock.js';
import {basisOf, readState, writeState} from '../../../engine/state/state-store.js';
import {loadWorkspace} from '../../../engine/workspace.js';
import {backendKinds, useBackend} from '../../helpers/backend-fixture.js';
import {type ApplyTestInput, startApply} from '../../helpers/apply-run.js';
import {gatedQueues, queueStack, until} from '../../helpers/gated-queues.js';
import {tempDir} from '../../helpers/stack-fixture.js';
import {writeFileSync} from 'node:fs';

const sqs = gatedQueues();
const key = {tenant: 'acme', stack: 'queues', environment: 'test'};

/** The backend, and a switch that makes it refuse every state write from then on (a throttled or unreachable backend). */
function refusingStateWrites(backend: Backend): {backend: Backend; refuse(): void} {
	let refusing = false;
	const real = backend.store;
	const store: BlobStore = {
		description: real.description,
		get: (k) => real.get(k),
		delete: (k, c) => real.delete(k, c),
		list: (p) => real.list(p),
		versions: (k) => real.versions(k),
		getVersion: (k, id) => real.getVersion(k, id),
		async put(blobKey, body, condition) {
			if (blobKey === stateKey(key) && refusing) throw new BackendError(`SlowDown: please reduce your request rate (${blobKey})`);
			return real.put(blobKey, body, condition);
		},
	};
	return {backend: {...backend, store}, refuse: () => (refusing = true)};
}

describe.each(backendKinds)('%s backend', (kind) => {
	const fixture = useBackend(kind);

	/** A lock on the stack, as a panka would take it. */
	const takeLock = (operation: string, who: string, host: string, pid: number) =>
		acquireLock(fixture.backend, key, {operation, who, host, pid, version: 't'});

	async function start(backend: Backend, extra: Partial<ApplyTestInput> = {}) {
		sqs.reset();
		const dir = queueStack('queues', 5);
		const workspace = await loadWorkspace(dir);
		const stored = await readState(backend, key);
		const plan = planChanges(workspace, stored?.state);
		const errored = path.join(tempDir(), 'errored-state.json');
		const {events, done} = startApply({
			plan,
			workspace,
			stored,
			backend,
			key,
			clients: {} as never,
			parallelism: 2,
			saveErroredState: async (document) => {
				writeFileSync(errored, JSON.stringify(document));
				return 'errored-state.json';
			},
			commands: {statePush: (file) => `panka state push ${file} --stack queues --env test`, rerun: 'panka apply queues --env test'},
			...extra,
		});
		return {events, run: done, errored};
	}

	const summaryOf = (events: EngineEvent[]) => events.at(-1) as Extract<EngineEvent, {type: 'summary'}>;

	it('a refused state write: nothing new starts, no AWS call without a saved intent, and the outcome names what is not recorded', async () => {
		const {backend, refuse} = refusingStateWrites(fixture.backend);
		const {events, run, errored} = await start(backend);
		// Two creates reached AWS: their intents are saved. From now on the backend refuses writes.
		await until(
			() => sqs.waiting.length === 2,
			() => JSON.stringify(events.map((e) => e.type)),
		);
		refuse();
		sqs.next(); // the first result is the write that is refused
		await until(() => events.some((e) => e.type === 'apply.halted'));
		sqs.next();
		await run;

		expect(events.find((e) => e.type === 'apply.halted')).toMatchObject({reason: 'state-not-saved'});
		// Only the two creates whose intents were saved ever reached AWS.
		expect(sqs.created).toHaveLength(2);
		const summary = summaryOf(events);
		expect(summary.outcome.kind).toBe('state-not-saved');
		expect(summary.outcome.changes).toMatchObject({total: 5, applied: 2, notStarted: 3});
		expect(summary.notStarted).toHaveLength(3);
		expect(summary.outcome.headline).toMatch(
			/^✗ The state could not be saved \(applied 2 of 5 changes; 3 not started\): 2 changes made in AWS are not in the recorded state; run: panka state push errored-state\.json --stack queues --env test$/,
		);
		expect(summary.outcome.headline).not.toMatch(/success/);
		expect(summary.outcome.details.join('\n')).toMatch(/could not save the state to .*SlowDown/);
		expect(summary.outcome.unrecorded?.map((u) => u.change)).toEqual(['created', 'created']);
		expect(summary.outcome.reconcile).toBe('panka state push errored-state.json --stack queues --env test');

		// The recorded state names both creates as in flight (the next run adopts them);
		// the errored state has their results.
		const recorded = (await readState(fixture.backend, key))!.state;
		const addresses = summary.outcome.unrecorded!.map((u) => u.address).sort();
		expect(recorded.pending.map((p) => p.address).sort()).toEqual(addresses);
		const saved = JSON.parse(readFileSync(errored, 'utf8'));
		expect(Object.keys(saved.resources).sort()).toEqual(addresses);
		expect(saved.serial).toBeGreaterThan(recorded.serial);
	});

	it('a write refused because someone else wrote the state (a serial conflict) ends the same way', async () => {
		const {events, run} = await start(fixture.backend);
		await until(() => sqs.waiting.length === 2);
		// Another writer, lock or no lock, gets in first.
		const current = (await readState(fixture.backend, key))!;
		await writeState(
			fixture.backend,
			key,
			{
				...current.state,
				serial: current.state.serial + 1,
				metadata: {...current.state.metadata, deployedBy: 'other@host', deployedAt: 'now'},
			},
			basisOf(current),
		);
		sqs.next();
		await until(() => events.some((e) => e.type === 'apply.halted'));
		sqs.next();
		await run;
		const summary = summaryOf(events);
		expect(summary.outcome.kind).toBe('state-not-saved');
		expect(summary.outcome.details.join('\n')).toMatch(/someone else wrote state serial/);
		expect(sqs.created).toHaveLength(2);
	});

	it('a lock broken and taken while the run holds it: noticed, nothing new starts, the outcome says so', async () => {
		const lock = await takeLock('apply', 'me@host', 'host', process.pid);
		const watch = watchLock(lock, {intervalMs: 3_600_000});
		try {
			const {events, run} = await start(fixture.backend, {lock: watch});
			await until(() => sqs.waiting.length === 2);
			await breakLock(fixture.backend, key, lock.info.id);
			const other = await takeLock('destroy', 'ci@runner', 'runner', 77);
			await watch.verify(); // what the watch's next periodic read does
			await until(() => events.some((e) => e.type === 'apply.halted'));
			sqs.next();
			sqs.next();
			await run;

			expect(events.find((e) => e.type === 'apply.halted')).toMatchObject({
				reason: 'lock-lost',
				message: expect.stringMatching(/was broken and is now held by "destroy" by ci@runner \(pid 77 on runner/),
			});
			expect(sqs.created).toHaveLength(2);
			const summary = summaryOf(events);
			expect(summary.outcome.kind).toBe('lock-lost');
			expect(summary.outcome.headline).toMatch(
				/^✗ The stack's lock was lost while this run held it \(nothing new was started once that was known; applied 2 of 5 changes; 3 not started\)/,
			);
			// Both results were still saved (nobody else had written): the state knows what exists.
			expect(summary.outcome.headline).toMatch(/the recorded state still matches what this run did$/);
			expect(Object.keys((await readState(fixture.backend, key))!.state.resources)).toHaveLength(2);
			expect(await lock.release()).toBe('lost');
			expect(await other.release()).toBe('released');
		} finally {
			watch.stop();
		}
	});

	it('a lock broken in the last moment, between two reads of the watch, is still reported', async () => {
		const lock = await takeLock('apply', 'me@host', 'host', process.pid);
		const watch = watchLock(lock, {intervalMs: 3_600_000});
		try {
			const {events, run} = await start(fixture.backend, {lock: watch, parallelism: 5});
			await until(() => sqs.waiting.length === 5);
			await breakLock(fixture.backend, key, lock.info.id);
			for (let i = 0; i < 5; i++) sqs.next();
			await run;
			expect(summaryOf(events).outcome).toMatchObject({kind: 'lock-lost', changes: {applied: 5}});
			expect(summaryOf(events).outcome.headline).toMatch(
				/^✗ The stack's lock was lost while this run held it \(found as the run ended; applied 5 of 5 changes\)/,
			);
			// Found after the last step: no halt line saying that steps are held back.
			expect(events.some((e) => e.type === 'apply.halted')).toBe(false);
			expect(summaryOf(events).outcome.details[0]).toMatch(/was removed \(broken with panka state unlock\)/);
		} finally {
			watch.stop();
		}
	});
});
