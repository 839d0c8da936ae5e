/**
 * Real plans for the review's tests, made by the engine: the demo stack (a private copy) planned
 * against no state, or against the state a full apply of it recorded (stateAsIfApplied) after
 * edits to the folder; and a generated stack of thousands of components. Nothing is hand-built.
 */
import {generateStack} from '../../bench/generate-stack.js';
import {type Plan, planChanges} from '../../engine/plan/plan.js';
import {loadWorkspace} from '../../engine/workspace.js';
import {deployed, edit, loadDemo, removeDocument} from '../engine/plan/plan-fixture.js';
import {copyDemo, tempDir} from './stack-fixture.js';

export {loadDemo};

/** The demo against an empty state: ten creates. */
export async function freshDemoPlan(): Promise<Plan> {
	return planChanges(await loadDemo(copyDemo()), undefined);
}

export const secretToken = 'tok-123-do-not-print';

/**
 * The demo deployed at serial 4, then: 4 replicas (update api/api-server), a new sessions key
 * (replace worker/sessions, delete first), a secret-looking variable in worker/processor (an
 * update that also reads the replaced table), daily-digest removed (delete), audit-queue added.
 */
export async function changedDemoPlan(): Promise<Plan> {
	const dir = copyDemo();
	const state = deployed(await loadDemo(dir), 4);
	edit(dir, 'services/api/service.yaml', 'REPLICAS: "3"', 'REPLICAS: "4"');
	edit(dir, 'services/worker/lambda.yaml', '    name: sessionId\n', '    name: userId\n');
	edit(dir, 'services/worker/lambda.yaml', 'LOG_LEVEL: "${LOG_LEVEL}"', 'LOG_LEVEL: "${LOG_LEVEL}"\n    API_TOKEN: "${TOKEN}"');
	removeDocument(dir, 'services/scheduler/eventbridge.yaml', 'daily-digest');
	edit(
		dir,
		'services/api/resources.yaml',
		'---\napiVersion: components.panka.io/v1\nkind: S3',
		'---\napiVersion: components.panka.io/v1\nkind: SQS\nmetadata:\n  name: audit-queue\nspec:\n  visibilityTimeout: 60\n---\napiVersion: components.panka.io/v1\nkind: S3',
	);
	return planChanges(await loadDemo(dir, {vars: {TOKEN: secretToken}}), state);
}

/** A generated stack of `components` components against an empty state: that many creates. */
export async function generatedPlan(components: number): Promise<Plan> {
	const dir = generateStack(tempDir('panka-ui-gen-'), components);
	const workspace = await loadWorkspace(dir);
	return planChanges(workspace, undefined);
}

