/**
 * Real plans for the review's tests, made by the engine: the demo stack (a private copy) planned
 * against no state, or against the state a full apply of it recorded (stateAsIfApplied) after
 * edits to the folder; and a generated stack of thousands of components. Nothing is hand-built.
 */
import {generateStack} from '../../bench/generate-stack.js';
import {type Plan, planChanges} from '../../engine/plan/plan.js';
import {loadWorkspace} from '../../engine/workspace.js';
import {changedDemoPlan as changedDemoEdits, loadDemo} from '../engine/plan/plan-fixture.js';
import {copyDemo, tempDir} from './stack-fixture.js';

export {loadDemo};

/** The demo against an empty state: ten creates. */
export async function freshDemoPlan(): Promise<Plan> {
	return planChanges(await loadDemo(copyDemo()), undefined);
}

/**
 * The same plan as if nothing in it widened access: for the specs of the review's general
 * behaviour (grouping, skipping, approving, the filter), which a section of changes held for their
 * own approval would only obscure. That section has its own specs (plan-review.test.tsx).
 */
export function nothingWidens(plan: Plan): Plan {
	return {...plan, changes: plan.changes.map(({broadening: _broadening, ...change}) => change)};
}

export const secretToken = 'tok-123-do-not-print';

/** The demo deployed, then edited (see test/engine/plan/plan-fixture.ts), with `secretToken` as its secret-looking variable. */
export const changedDemoPlan = (): Promise<Plan> => changedDemoEdits(secretToken, copyDemo());

/** A generated stack of `components` components against an empty state: that many creates. */
export async function generatedPlan(components: number): Promise<Plan> {
	const dir = generateStack(tempDir('panka-ui-gen-'), components);
	const workspace = await loadWorkspace(dir);
	return planChanges(workspace, undefined);
}
