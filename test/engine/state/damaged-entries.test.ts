/**
 * A state entry of an unknown kind, or whose inputs are not what its kind records, is damaged: it
 * is named with how to repair it, and the plan never replaces or deletes from it. Whatever panka
 * records itself (every field of every kind, secrets redacted) is never damaged.
 */
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {stateAsIfApplied} from '../../../engine/plan/applied-state.js';
import {planChanges} from '../../../engine/plan/plan.js';
import {damagedEntries} from '../../../engine/state/damaged-entries.js';
import {loadWorkspace} from '../../../engine/workspace.js';
import {demoStack, fixturesDir} from '../../helpers/stack-fixture.js';
import {dataStack} from '../../helpers/data-stack.js';

const everyField = path.join(fixturesDir, 'every-field');

describe('damaged state entries', () => {
	it('finds none in what panka records: every field of every kind, and the demo stack', async () => {
		for (const workspace of [
			await loadWorkspace(everyField, {tenantConfigPath: path.join(everyField, 'tenant.yaml')}),
			await loadWorkspace(demoStack),
		]) {
			expect(workspace.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
			expect(damagedEntries(stateAsIfApplied(workspace, {lineage: 'l', at: '2026-01-01T00:00:00Z'}))).toEqual([]);
		}
	});

	it('names an entry of an unknown kind and one whose inputs fail its kind schema, with how to repair each', async () => {
		const workspace = await loadWorkspace(dataStack({stack: 'shop'}));
		const state = stateAsIfApplied(workspace, {lineage: 'l', at: '2026-01-01T00:00:00Z'});
		state.resources['data/orders-queue']!.kind = 'Teleporter';
		state.resources['data/orders-table']!.inputs.billingMode = 42;
		expect(damagedEntries(state)).toEqual([
			{
				address: 'data/orders-queue',
				problem: 'its kind "Teleporter" is unknown to this panka',
				repair: expect.stringMatching(/panka state history .*panka state remove data\/orders-queue/),
			},
			{
				address: 'data/orders-table',
				problem: expect.stringMatching(/^its inputs are not what a DynamoDB records \(billingMode: /),
				repair: expect.any(String),
			},
		]);
	});

	it('plans no replace or delete from a damaged entry: its change is held back, and a warning says why', async () => {
		const workspace = await loadWorkspace(dataStack({stack: 'shop'}));
		const state = stateAsIfApplied(workspace, {lineage: 'l', at: '2026-01-01T00:00:00Z'});
		state.resources['data/orders-queue']!.kind = 'Teleporter';
		state.resources['data/old-thing'] = {...state.resources['data/uploads']!, kind: 'Gizmo', name: 'old-thing'};
		const plan = planChanges(workspace, state);
		const action = (address: string) => plan.changes.find((c) => c.address === address)?.action;
		expect(action('data/orders-queue')).toBe('no-op');
		expect(action('data/old-thing')).toBeUndefined();
		expect(plan.warnings).toEqual(
			expect.arrayContaining([
				expect.stringMatching(
					/^data\/old-thing: the state entry is damaged: its kind "Gizmo" is unknown to this panka; nothing is planned for it until it is repaired: restore/,
				),
				expect.stringMatching(/^data\/orders-queue: the state entry is damaged: its kind "Teleporter"/),
			]),
		);
		// Undamaged entries plan as always.
		expect(action('data/orders-table')).toBe('no-op');
	});
});
