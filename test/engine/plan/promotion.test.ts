/**
 * Promotion (engine/plan/promotion.ts): the values of spec.promote are read from the source
 * environment's state, and a source that is not wholly deployed is refused, naming why.
 */
import {describe, expect, it} from 'vitest';
import {planChanges} from '../../../engine/plan/plan.js';
import {describePromotion, promotableValues, readPromotion, undeployedChanges} from '../../../engine/plan/promotion.js';
import type {StateDocument} from '../../../engine/state/state-document.js';
import {deployed, loadDemo} from './plan-fixture.js';

const staging = (vars: Record<string, string> = {VERSION: '1.4.2'}) => loadDemo(undefined, {environment: 'staging', vars});
const withVariables = (state: StateDocument, variables: Record<string, string>): StateDocument => ({
	...state,
	metadata: {...state.metadata, variables},
});

describe('readPromotion', () => {
	it('reads the promoted values, when and by whom they were deployed', async () => {
		const state = withVariables(deployed(await staging(), 7), {VERSION: '1.4.2'});
		const source = readPromotion('staging', ['VERSION'], state);
		expect(source).toEqual({
			ok: true,
			promotion: {
				from: 'staging',
				variables: {VERSION: '1.4.2'},
				deployedAt: '2026-11-30T12:00:00.000Z',
				deployedBy: 'ci@example.com',
				serial: 7,
			},
		});
		if (source.ok)
			expect(describePromotion(source.promotion)).toBe(
				'VERSION 1.4.2, deployed to staging at 2026-11-30 12:00 by ci@example.com (state serial 7)',
			);
	});

	it('refuses a source never applied, interrupted, failed, or applied before the variable was promoted', async () => {
		const state = withVariables(deployed(await staging()), {VERSION: '1.4.2'});
		const refusal = (s: StateDocument | undefined, names = ['VERSION']) => {
			const source = readPromotion('staging', names, s);
			return source.ok ? undefined : source.message;
		};
		expect(refusal(undefined)).toBe('staging has never been applied: there is nothing deployed to promote');
		expect(refusal(state, [])).toBe('stack.yaml names no variable to promote');
		expect(
			refusal({...state, pending: [{id: 'op-1', address: 'api/api-db', operation: 'create', startedAt: '2026-11-30T12:00:00.000Z'}]}),
		).toBe("staging's last apply was interrupted: 1 operation is still in flight (api/api-db)");
		const failed = structuredClone(state);
		failed.resources['api/api-server']!.status = 'failed';
		expect(refusal(failed)).toBe("staging's last apply failed: api/api-server is failed");
		expect(refusal(withVariables(state, {}))).toBe(
			"staging's state records no value for VERSION: it was last applied before it was listed in spec.promote",
		);
	});
});

describe('undeployedChanges', () => {
	it('is nothing when the source planned with its recorded values has no change, else names what differs', async () => {
		const workspace = await staging();
		const state = deployed(workspace);
		expect(undeployedChanges('staging', planChanges(workspace, state))).toBeUndefined();
		const partial = structuredClone(state);
		delete partial.resources['api/uploads-bucket'];
		expect(undeployedChanges('staging', planChanges(workspace, partial))?.message).toBe(
			'staging is not wholly deployed with these values: api/uploads-bucket (create), api/api-server (update) differ from the folder (its last apply was partial, or the folder changed since)',
		);
	});
});

describe('promotableValues', () => {
	it('are the resolved values of spec.promote, what an apply records', async () => {
		expect(promotableValues(await staging({VERSION: '2'}))).toEqual({VERSION: '2'});
		expect(promotableValues(await loadDemo(undefined, {environment: 'staging'}))).toEqual({});
	});
});
