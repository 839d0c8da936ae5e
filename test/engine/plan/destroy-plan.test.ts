/** planDestroy: every recorded resource is deleted, dependents first. */
import {describe, expect, it} from 'vitest';
import {stateAsIfApplied} from '../../../engine/plan/applied-state.js';
import {planDestroy} from '../../../engine/plan/destroy-plan.js';
import {loadWorkspace} from '../../../engine/workspace.js';
import {demoStack, demoTenant} from '../../helpers/stack-fixture.js';

describe('planDestroy', () => {
	it('deletes every resource of the state, users before what they use', async () => {
		const workspace = await loadWorkspace(demoStack, {tenantConfigPath: demoTenant});
		const state = stateAsIfApplied(workspace, {lineage: 'l-1', at: '2026-11-26T00:00:00Z'});
		const plan = planDestroy(workspace, state);
		expect(plan.summary).toEqual({create: 0, update: 0, replace: 0, delete: 11, noop: 0});
		const order = plan.changes.map((c) => c.address);
		// The stack security group goes last, once what ran in the tenant VPC is deleted.
		expect(order.at(-1)).toBe('stack#security-group');
		expect(
			plan.changes
				.at(-1)
				?.requires.map((r) => r.address)
				.sort(),
		).toEqual(['api/api-db', 'api/api-server', 'worker/processor']);
		expect(order.indexOf('api/api-server')).toBeLessThan(order.indexOf('api/api-db'));
		expect(order.indexOf('worker/processor')).toBeLessThan(order.indexOf('api/notification-queue'));
		expect(plan.changes.find((c) => c.address === 'api/api-db')?.requires).toContainEqual({address: 'api/api-server', relation: 'used-by'});
	});

	it('says each resource goes because the stack is destroyed, not because it left the folder', async () => {
		const workspace = await loadWorkspace(demoStack, {tenantConfigPath: demoTenant});
		const plan = planDestroy(workspace, stateAsIfApplied(workspace, {lineage: 'l-1', at: '2026-11-26T00:00:00Z'}));
		expect(new Set(plan.changes.map((c) => c.reasons.join('; ')))).toEqual(new Set(['destroying the stack']));
	});
});
