/**
 * The step generator: what applyPlan runs and the dashboard shows, from a plan and a selection.
 */
import {describe, expect, it} from 'vitest';
import {factsFromPlan, generateSteps, type PlannedStep} from '../../../engine/apply/steps.js';
import {planChanges} from '../../../engine/plan/plan.js';
import {selectChanges} from '../../../engine/plan/selection.js';
import {changedDemoPlan, loadDemo} from '../plan/plan-fixture.js';

const ids = (steps: PlannedStep[]) => steps.map((s) => `${s.action} ${s.id}`);
const step = (steps: PlannedStep[], id: string) => steps.find((s) => s.id === id)!;

describe('generateSteps', () => {
	it('on a fresh stack: the stack security group first, and every resource in the tenant VPC waits for it', async () => {
		const plan = planChanges(await loadDemo(), undefined);
		const steps = generateSteps(plan, undefined, factsFromPlan(plan));
		expect(steps[0]).toMatchObject({id: 'stack#security-group', action: 'create', dependsOn: []});
		const inVpc = plan.changes.filter((c) => c.after?.networking !== undefined).map((c) => c.address);
		expect(inVpc.length).toBeGreaterThan(0);
		for (const address of inVpc) expect(step(steps, address).dependsOn).toContain('stack#security-group');
		expect(steps).toHaveLength(plan.changes.length);
	});

	it('reconciles a recorded group before an update in the VPC, though the plan has no change for it', async () => {
		const plan = await changedDemoPlan('t0ken');
		expect(plan.changes.some((c) => c.address === 'stack#security-group')).toBe(false);
		const steps = generateSteps(plan, undefined, factsFromPlan(plan));
		expect(steps[0]).toMatchObject({id: 'stack#security-group', action: 'update'});
		expect(step(steps, 'api/api-server').dependsOn).toContain('stack#security-group');
		expect(generateSteps(plan, undefined, {stackSecurityGroupRecorded: false, tenantNetworkKnown: true})[0]!.action).toBe('create');
	});

	it('splits a delete-first replace into its delete, then its create', async () => {
		const plan = await changedDemoPlan('t0ken');
		const steps = generateSteps(plan, undefined, factsFromPlan(plan));
		expect(ids(steps)).toEqual(expect.arrayContaining(['replace-delete worker/sessions#delete', 'replace-create worker/sessions#create']));
		expect(step(steps, 'worker/sessions#create').dependsOn).toContain('worker/sessions#delete');
		expect(steps.findIndex((s) => s.id === 'worker/sessions#delete')).toBeLessThan(
			steps.findIndex((s) => s.id === 'worker/sessions#create'),
		);
	});

	it('gives a skipped change no step, and no step waits for one outside the run', async () => {
		const plan = await changedDemoPlan('t0ken');
		const selection = selectChanges(plan, {skip: ['scheduler/daily-digest']});
		const steps = generateSteps(plan, selection, factsFromPlan(plan));
		expect(steps.map((s) => s.address)).not.toContain('scheduler/daily-digest');
		const run = new Set(steps.map((s) => s.id));
		for (const s of steps) for (const d of s.dependsOn) expect(run.has(d), `${s.id} waits for ${d}`).toBe(true);
	});
});
