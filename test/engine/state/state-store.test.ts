/**
 * State documents through a backend (engine/state/state-store.ts), on both backends: what is
 * written, what is refused (corrupt, foreign, stale), and that concurrent writers never lose an
 * update.
 */
import {randomUUID} from 'node:crypto';
import {describe, expect, it} from 'vitest';
import {type Backend, stateKey} from '../../../engine/state/backend.js';
import type {BlobStore} from '../../../engine/state/blob-store.js';
import {emptyState, type StateDocument, type StateResource} from '../../../engine/state/state-document.js';
import {
	basisOf,
	deleteState,
	LineageMismatchError,
	readState,
	readStateVersion,
	serializeState,
	StaleStateError,
	StateCorruptError,
	stateHistory,
	writeState,
} from '../../../engine/state/state-store.js';
import {backendKinds, runWorkers, useBackend} from '../../helpers/backend-fixture.js';
import {recordWrite, seedState, shopProd, stamped} from '../../helpers/state-workload.js';

const statePath = stateKey(shopProd);

const queue: StateResource = {
	kind: 'SQS',
	type: 'AWS::SQS::Queue',
	service: 'api',
	name: 'orders-queue',
	physicalId: 'https://sqs.us-east-1.amazonaws.com/123456789012/acme-shop-prod-orders-queue',
	status: 'ready',
	inputs: {visibilityTimeout: 30, fifo: false},
	outputs: {
		queueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/acme-shop-prod-orders-queue',
		arn: 'arn:aws:sqs:us-east-1:123456789012:acme-shop-prod-orders-queue',
	},
	physicalNames: {primary: 'acme-shop-prod-orders-queue'},
	dependsOn: [],
	createdAt: '2026-11-26T12:00:00.000Z',
	updatedAt: '2026-11-26T12:00:00.000Z',
};

/** The successor of `state` (serial + 1) with `change` applied. */
function successor(state: StateDocument, change: Partial<StateDocument> = {}): StateDocument {
	return stamped({...state, ...change, serial: state.serial + 1});
}

/** Reads the raw blob, so tests can check that a refused write changed no byte. */
async function rawState(backend: Backend): Promise<string | undefined> {
	return (await backend.store.get(statePath))?.body;
}

async function failure(promise: Promise<unknown>): Promise<Error> {
	return promise.then(
		() => {
			throw new Error('expected the operation to fail');
		},
		(error: Error) => error,
	);
}

describe.each(backendKinds)('state store: %s backend', (kind) => {
	const fixture = useBackend(kind);

	describe('reading and writing', () => {
		it('reads a state that was never written as undefined', async () => {
			expect(await readState(fixture.backend, shopProd)).toBeUndefined();
		});

		it('writes the first state (serial 1) create-only, and reads it back with its etag', async () => {
			const empty = emptyState(shopProd);
			const first = successor(empty, {resources: {'api/orders-queue': queue}});
			const {etag} = await writeState(fixture.backend, shopProd, first, {serial: 0, lineage: empty.lineage});
			expect(await readState(fixture.backend, shopProd)).toEqual({state: first, etag});
		});

		it('writes successors serial by serial', async () => {
			const seeded = await seedState(fixture.backend);
			const second = successor(seeded.state, {outputs: {'orders-queue.arn': queue.outputs.arn}});
			const {etag} = await writeState(fixture.backend, shopProd, second, basisOf(seeded));
			const third = successor(second);
			await writeState(fixture.backend, shopProd, third, {etag, serial: 2, lineage: seeded.state.lineage});
			expect((await readState(fixture.backend, shopProd))?.state).toEqual(third);
		});

		it('writes canonical JSON: two-space indent, fields in schema order, map keys sorted, who and when as given', async () => {
			const empty = emptyState(shopProd);
			const first = stamped(
				{
					...empty,
					serial: 1,
					outputs: {'b.out': 2, 'a.out': {z: 1, y: [{d: 1, c: 2}]}},
					resources: {'web/site': {...queue, service: 'web', name: 'site'}, 'api/orders-queue': queue},
				},
				'alice@laptop',
				'2026-11-26T21:00:00.000Z',
			);
			await writeState(fixture.backend, shopProd, first, {serial: 0, lineage: empty.lineage});
			const body = (await rawState(fixture.backend))!;
			expect(body).toBe(serializeState(first));
			expect(body.split('\n').slice(0, 4)).toEqual(['{', '  "version": "1.0.0",', '  "serial": 1,', `  "lineage": "${empty.lineage}",`]);
			expect(body).toMatch(/"deployedBy": "alice@laptop",\n {4}"deployedAt": "2026-11-26T21:00:00.000Z"/);
			expect(body.indexOf('"api/orders-queue"')).toBeLessThan(body.indexOf('"web/site"'));
			expect(body.indexOf('"a.out"')).toBeLessThan(body.indexOf('"b.out"'));
			expect(body).toContain('"y": [\n        {\n          "c": 2,\n          "d": 1');
			expect(body.endsWith('}\n')).toBe(true);
		});

		it('serialises the same state to the same bytes whatever the key order it was built in', async () => {
			const state = stamped({...emptyState(shopProd), serial: 3, resources: {'api/orders-queue': queue}});
			const reordered = JSON.parse(JSON.stringify(state, Object.keys(flattenKeys(state)).reverse())) as StateDocument;
			expect(Object.keys(reordered)[0]).not.toBe('version');
			expect(serializeState(reordered)).toBe(serializeState(state));
		});

		it('refuses a document without who and when, or for another stack, and writes nothing', async () => {
			const empty = emptyState(shopProd);
			const first = {...empty, serial: 1};
			await expect(writeState(fixture.backend, shopProd, first, {serial: 0, lineage: empty.lineage})).rejects.toThrow(
				/metadata\.deployedBy and metadata\.deployedAt/,
			);
			const otherStack = stamped({...first, metadata: {...first.metadata, stack: 'billing'}});
			await expect(writeState(fixture.backend, shopProd, otherStack, {serial: 0, lineage: empty.lineage})).rejects.toThrow(
				/state of acme\/billing\/prod at .* \(the place of acme\/shop\/prod\)/,
			);
			expect(await rawState(fixture.backend)).toBeUndefined();
		});
	});

	describe('a corrupt state is reported and never overwritten', () => {
		const corruptions: {name: string; body: string; problem: RegExp}[] = [
			{
				name: 'truncated JSON',
				body: '{\n  "version": "1.0.0",\n  "serial": 4,\n  "lineage": "abc"\n  "metadata": {}\n}\n',
				problem: /not JSON: Expected ',' or '}' after property value at line 5, column 3/,
			},
			{name: 'not JSON at all', body: 'this is not json', problem: /not JSON: Unexpected token/},
			{name: 'an empty file', body: '', problem: /the file is empty/},
			{
				name: 'JSON of the wrong shape',
				body: JSON.stringify({
					version: '1.0.0',
					serial: 'three',
					lineage: 'abc',
					metadata: {stack: 'shop', tenant: 'acme', environment: 'prod'},
					resources: {'api/q': {kind: 'SQS'}},
					outputs: {},
				}),
				problem: /not a panka state document: serial: .*expected (an )?(int|number).*; resources\["api\/q"\]\.type: /,
			},
		];

		it.each(corruptions)(
			'$name: reading throws StateCorruptError with the location, the problem and how to find earlier versions',
			async ({body, problem}) => {
				await fixture.backend.store.put(statePath, body);
				const error = await failure(readState(fixture.backend, shopProd));
				expect(error).toBeInstanceOf(StateCorruptError);
				const corrupt = error as StateCorruptError;
				const {spec} = fixture.backend;
				const location = spec.kind === 'local' ? `${spec.home}/${statePath}` : `s3://${spec.bucket}/panka/${statePath}`;
				expect(corrupt.message).toContain(`state at ${location} is corrupt`);
				expect(corrupt.location).toBe(location);
				expect(corrupt.problem).toMatch(problem);
				expect(corrupt.hint).toMatch(
					fixture.kind === 'local'
						? /restore an earlier version: .*state\.json\.backups\/ .*ls -l/
						: /restore an earlier version: .*aws s3api list-object-versions --bucket panka-state-\S+ --prefix panka\/tenants\/acme\/v1\/stacks\/shop\/prod\/state\.json/,
				);
			},
		);

		it.each(corruptions)('$name: a write refuses to replace it and leaves every byte as it was', async ({body}) => {
			const seeded = await seedState(fixture.backend);
			await fixture.backend.store.put(statePath, body);
			await expect(writeState(fixture.backend, shopProd, successor(seeded.state), basisOf(seeded))).rejects.toBeInstanceOf(
				StateCorruptError,
			);
			const empty = emptyState(shopProd);
			await expect(writeState(fixture.backend, shopProd, successor(empty), {serial: 0, lineage: empty.lineage})).rejects.toBeInstanceOf(
				StateCorruptError,
			);
			await expect(deleteState(fixture.backend, shopProd, basisOf(seeded))).rejects.toBeInstanceOf(StateCorruptError);
			expect(await rawState(fixture.backend)).toBe(body);
		});

		it('lists a corrupt version in the history with its problem, beside the good ones', async () => {
			const seeded = await seedState(fixture.backend);
			await fixture.backend.store.put(statePath, '{"version": ');
			const history = await stateHistory(fixture.backend, shopProd);
			expect(history.map((v) => [v.serial, v.problem === undefined])).toEqual([
				[undefined, false],
				[1, true],
			]);
			expect(history[0]?.problem).toMatch(/Unexpected end of JSON input/);
			expect(await readStateVersion(fixture.backend, shopProd, history[1]!.id)).toEqual(seeded.state);
			await expect(readStateVersion(fixture.backend, shopProd, history[0]!.id)).rejects.toThrow(
				new RegExp(`\\(version ${history[0]!.id}\\) is corrupt`),
			);
		});
	});

	describe('only a successor of the stored state is written', () => {
		it('refuses a state of another lineage, and writes nothing', async () => {
			const seeded = await seedState(fixture.backend);
			const before = await rawState(fixture.backend);
			const foreign = {...seeded.state, lineage: randomUUID()};
			const error = await failure(
				writeState(fixture.backend, shopProd, successor(foreign), {...basisOf(seeded), lineage: foreign.lineage}),
			);
			expect(error).toBeInstanceOf(LineageMismatchError);
			expect(error.message).toMatch(
				new RegExp(`has lineage ${seeded.state.lineage}, but this write is based on lineage ${foreign.lineage}`),
			);
			expect(await rawState(fixture.backend)).toBe(before);
		});

		it('refuses a document whose lineage differs from its basis', async () => {
			const seeded = await seedState(fixture.backend);
			await expect(
				writeState(fixture.backend, shopProd, successor({...seeded.state, lineage: randomUUID()}), basisOf(seeded)),
			).rejects.toBeInstanceOf(LineageMismatchError);
		});

		it('refuses a serial that is not the basis serial + 1', async () => {
			const seeded = await seedState(fixture.backend);
			for (const serial of [1, 3, 0]) {
				const error = await failure(writeState(fixture.backend, shopProd, stamped({...seeded.state, serial}), basisOf(seeded)));
				expect(error).toBeInstanceOf(StaleStateError);
				expect(error.message).toMatch(`refusing to write state serial ${serial}`);
			}
			expect((await readState(fixture.backend, shopProd))?.state.serial).toBe(1);
		});

		it('refuses a write based on an older serial: someone else wrote state serial N', async () => {
			const seeded = await seedState(fixture.backend);
			await writeState(fixture.backend, shopProd, successor(seeded.state), basisOf(seeded));
			const error = await failure(writeState(fixture.backend, shopProd, successor(seeded.state, {outputs: {lost: true}}), basisOf(seeded)));
			expect(error).toBeInstanceOf(StaleStateError);
			expect(error.message).toMatch(/someone else wrote state serial 2 \(this write is based on serial 1\)/);
			expect((error as StaleStateError).currentSerial).toBe(2);
			expect((await readState(fixture.backend, shopProd))?.state.outputs).toEqual({});
		});

		it('refuses a first write when a state already exists', async () => {
			const seeded = await seedState(fixture.backend);
			const empty = emptyState(shopProd);
			await expect(writeState(fixture.backend, shopProd, successor(empty), {serial: 0, lineage: empty.lineage})).rejects.toBeInstanceOf(
				LineageMismatchError,
			);
			const sameLineage = {...empty, lineage: seeded.state.lineage};
			const error = await failure(writeState(fixture.backend, shopProd, successor(sameLineage), {serial: 0, lineage: sameLineage.lineage}));
			expect(error).toBeInstanceOf(StaleStateError);
			expect(error.message).toMatch(/someone else wrote state serial 1 \(this write expected no state yet\)/);
			expect((await readState(fixture.backend, shopProd))?.state).toEqual(seeded.state);
		});

		it('reports a write that loses the race at the conditional put exactly like one refused up front', async () => {
			const seeded = await seedState(fixture.backend);
			const rival = successor(seeded.state, {outputs: {rival: true}});
			// The rival writes after our write has checked the stored state, just before our put.
			const racing: Backend = {
				...fixture.backend,
				store: beforeFirstPut(fixture.backend.store, () => writeState(fixture.backend, shopProd, rival, basisOf(seeded))),
			};
			const error = await failure(writeState(racing, shopProd, successor(seeded.state, {outputs: {ours: true}}), basisOf(seeded)));
			expect(error).toBeInstanceOf(StaleStateError);
			expect(error.message).toMatch(/someone else wrote state serial 2 \(this write is based on serial 1\)/);
			expect((await readState(fixture.backend, shopProd))?.state).toEqual(rival);
		});

		it('lets exactly one of several writers on the same basis win', async () => {
			const seeded = await seedState(fixture.backend);
			const outcomes = await Promise.allSettled(
				Array.from({length: 6}, (_, i) =>
					writeState(fixture.backend, shopProd, successor(seeded.state, {outputs: {writer: i}}), basisOf(seeded)),
				),
			);
			expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
			for (const o of outcomes) if (o.status === 'rejected') expect(o.reason).toBeInstanceOf(StaleStateError);
		});
	});

	describe('concurrent writers never lose an update', () => {
		it('20 concurrent read-modify-write writers (retrying on StaleStateError): serial = 20 + initial, every update kept, history strictly increasing', async () => {
			await seedState(fixture.backend);
			const labels = Array.from({length: 20}, (_, i) => `writer-${i}`);
			const attempts = await Promise.all(labels.map((label) => recordWrite(fixture.backend, shopProd, label)));
			expect(attempts.some((n) => n > 1)).toBe(true); // they really did collide
			await expectNoLostUpdate(fixture.backend, labels, 21);
		});

		it('4 processes with 5 writes each: the same', async () => {
			await seedState(fixture.backend);
			const results = await runWorkers(
				fixture.target,
				Array.from({length: 4}, () => ({command: 'write' as const, times: 5})),
			);
			const state = (await readState(fixture.backend, shopProd))!.state;
			const labels = Object.keys(state.outputs);
			expect(results.flatMap((r) => ('attempts' in r ? r.attempts : []))).toHaveLength(20);
			expect(new Set(labels.map((l) => l.split('-')[1])).size).toBe(4);
			await expectNoLostUpdate(fixture.backend, labels, 21);
		}, 60_000);
	});

	describe('history and delete', () => {
		it('lists every version newest first with its serial, who and when, each readable', async () => {
			const seeded = await seedState(fixture.backend);
			const second = stamped({...seeded.state, serial: 2}, 'bob@ci', '2026-11-26T13:00:00.000Z');
			await writeState(fixture.backend, shopProd, second, basisOf(seeded));
			const history = await stateHistory(fixture.backend, shopProd);
			expect(history.map((v) => [v.serial, v.latest, v.deployedBy, v.deployedAt])).toEqual([
				[2, true, 'bob@ci', '2026-11-26T13:00:00.000Z'],
				[1, false, 'tester@test-host', '2026-11-26T12:00:00.000Z'],
			]);
			expect(await readStateVersion(fixture.backend, shopProd, history[1]!.id)).toEqual(seeded.state);
			expect(await stateHistory(fixture.backend, shopProd, {limit: 1})).toHaveLength(1);
		});

		it('deletes an empty state and keeps it as an earlier version', async () => {
			const seeded = await seedState(fixture.backend);
			await deleteState(fixture.backend, shopProd, basisOf(seeded));
			expect(await readState(fixture.backend, shopProd)).toBeUndefined();
			const history = await stateHistory(fixture.backend, shopProd);
			expect(history.map((v) => v.serial)).toEqual([1]);
			expect(await readStateVersion(fixture.backend, shopProd, history[0]!.id)).toEqual(seeded.state);
		});

		it('refuses to delete a state that still records resources', async () => {
			const seeded = await seedState(fixture.backend);
			const withQueue = successor(seeded.state, {resources: {'api/orders-queue': queue}});
			const {etag} = await writeState(fixture.backend, shopProd, withQueue, basisOf(seeded));
			await expect(deleteState(fixture.backend, shopProd, {etag, serial: 2, lineage: withQueue.lineage})).rejects.toThrow(
				/still records 1 resource \(api\/orders-queue\)/,
			);
			expect((await readState(fixture.backend, shopProd))?.state).toEqual(withQueue);
		});

		it('refuses to delete on a stale basis', async () => {
			const seeded = await seedState(fixture.backend);
			await writeState(fixture.backend, shopProd, successor(seeded.state), basisOf(seeded));
			await expect(deleteState(fixture.backend, shopProd, basisOf(seeded))).rejects.toThrow(/someone else wrote state serial 2/);
			expect((await readState(fixture.backend, shopProd))?.state.serial).toBe(2);
		});

		it('reports a write based on a state that was deleted since', async () => {
			const seeded = await seedState(fixture.backend);
			await deleteState(fixture.backend, shopProd, basisOf(seeded));
			await expect(writeState(fixture.backend, shopProd, successor(seeded.state), basisOf(seeded))).rejects.toThrow(
				/was deleted by someone else after serial 1 was read/,
			);
		});
	});
});

/** Final serial, every label present, and the version history holds serials 1..final in order with no gap. */
async function expectNoLostUpdate(backend: Backend, labels: string[], finalSerial: number): Promise<void> {
	const {state} = (await readState(backend, shopProd))!;
	expect(state.serial).toBe(finalSerial);
	expect(Object.keys(state.outputs).sort()).toEqual([...labels].sort());
	expect(new Set(Object.values(state.outputs)).size).toBe(labels.length); // each wrote its own serial
	const serials = (await stateHistory(backend, shopProd, {limit: Number.POSITIVE_INFINITY})).map((v) => v.serial);
	expect(serials).toEqual(Array.from({length: finalSerial}, (_, i) => finalSerial - i));
}

/** A store that runs `rival` just before its first `put` is sent, and otherwise is `store`. */
function beforeFirstPut(store: BlobStore, rival: () => Promise<unknown>): BlobStore {
	let fired = false;
	return {
		description: store.description,
		get: (key) => store.get(key),
		async put(key, body, condition) {
			if (!fired) {
				fired = true;
				await rival();
			}
			return store.put(key, body, condition);
		},
		delete: (key, condition) => store.delete(key, condition),
		list: (prefix) => store.list(prefix),
		versions: (key) => store.versions(key),
		getVersion: (key, id) => store.getVersion(key, id),
	};
}

/** Every key that occurs anywhere in `value` (for a JSON.stringify allow-list). */
function flattenKeys(value: unknown, into: Record<string, true> = {}): Record<string, true> {
	if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) flattenKeys(v, Object.assign(into, {[k]: true}));
	return into;
}
