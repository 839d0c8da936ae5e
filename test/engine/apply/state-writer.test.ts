/** StateWriter: every commit is durable when it resolves; parallel commits share writes. */
import {describe, expect, it} from 'vitest';
import {StateWriter} from '../../../engine/apply/state-writer.js';
import {openBackend} from '../../../engine/state/backend.js';
import {emptyState} from '../../../engine/state/state-document.js';
import {readState} from '../../../engine/state/state-store.js';
import {tempDir} from '../../helpers/stack-fixture.js';

const key = {tenant: 'acme', stack: 'shop', environment: 'test'};

describe('StateWriter', () => {
	it('resolves a commit only once a write containing it is stored, in order', async () => {
		const backend = openBackend({kind: 'local', home: tempDir()});
		const initial = emptyState(key);
		const writer = new StateWriter(
			initial,
			{serial: 0, lineage: initial.lineage},
			{backend, key, deployedBy: 't@h', now: () => new Date(0)},
		);
		await writer.commit((d) => {
			d.outputs.first = 1;
		});
		expect((await readState(backend, key))?.state.outputs).toEqual({first: 1});
		await writer.commit((d) => {
			d.outputs.second = 2;
		});
		expect((await readState(backend, key))?.state).toMatchObject({serial: 2, outputs: {first: 1, second: 2}});
	});

	it('groups commits that arrive while a write is in flight', async () => {
		const backend = openBackend({kind: 'local', home: tempDir()});
		const initial = emptyState(key);
		const writer = new StateWriter(
			initial,
			{serial: 0, lineage: initial.lineage},
			{backend, key, deployedBy: 't@h', now: () => new Date(0)},
		);
		await Promise.all(Array.from({length: 50}, (_, i) => writer.commit((d) => (d.outputs[`k${i}`] = i))));
		const stored = (await readState(backend, key))!.state;
		expect(Object.keys(stored.outputs)).toHaveLength(50);
		expect(writer.writes).toBeLessThan(50);
		expect(stored.serial).toBe(writer.writes);
	});

	it('keeps the document in memory and writes nothing more after a failed write', async () => {
		const backend = openBackend({kind: 'local', home: tempDir()});
		const initial = emptyState(key);
		// A basis that does not match what is stored (serial 5 of nothing): the first write fails.
		const writer = new StateWriter(
			initial,
			{serial: 5, lineage: initial.lineage, etag: 'nope'},
			{backend, key, deployedBy: 't@h', now: () => new Date(0)},
		);
		await writer.commit((d) => (d.outputs.a = 1));
		await writer.commit((d) => (d.outputs.b = 2));
		expect(writer.broken).toBe(true);
		expect(writer.document.outputs).toEqual({a: 1, b: 2});
		// Still the successor of the last state stored (5), however many writes failed after it.
		expect(writer.document.serial).toBe(6);
		expect(await readState(backend, key)).toBeUndefined();
	});

	it('records the run on every write, running until finish writes its outcome; a run that wrote nothing leaves nothing', async () => {
		const backend = openBackend({kind: 'local', home: tempDir()});
		const initial = emptyState(key);
		const run = {
			id: 'run-1',
			operation: 'apply' as const,
			startedAt: '1970-01-01T00:00:00.000Z',
			changes: {create: 1, update: 0, replace: 0, delete: 0},
			outcome: 'running' as const,
		};
		const writer = new StateWriter(
			initial,
			{serial: 0, lineage: initial.lineage},
			{backend, key, deployedBy: 't@h', now: () => new Date(0), run},
		);
		await writer.commit((d) => (d.outputs.a = 1));
		expect((await readState(backend, key))!.state.metadata.run).toEqual(run);
		await writer.finish('completed');
		expect((await readState(backend, key))!.state).toMatchObject({serial: 2, metadata: {run: {...run, outcome: 'completed'}}});

		const idle = new StateWriter(
			initial,
			{serial: 0, lineage: initial.lineage},
			{backend: openBackend({kind: 'local', home: tempDir()}), key, deployedBy: 't@h', now: () => new Date(0), run},
		);
		await idle.finish('completed');
		expect(idle.writes).toBe(0);
	});
});
