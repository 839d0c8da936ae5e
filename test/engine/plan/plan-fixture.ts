/**
 * Plan specs work on real stack folders: a fresh copy of the demo (or the base fixture), the state
 * a complete apply of it would have recorded (stateAsIfApplied), then edits to the folder.
 */
import {readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {stateAsIfApplied} from '../../../engine/plan/applied-state.js';
import {type Change, type Plan, planChanges} from '../../../engine/plan/plan.js';
import type {StateDocument} from '../../../engine/state/state-document.js';
import {loadWorkspace, type Workspace, type WorkspaceOptions} from '../../../engine/workspace.js';
import {copyStack, demoStack, demoTenant} from '../../helpers/stack-fixture.js';

export const planTime = '2026-12-01T09:00:00.000Z';
export const lineage = '0d5d2b1e-6a3f-4c1e-9b8e-2f4a1c3d5e7f';

/** A fresh copy of the demo stack. */
export function demoCopy(): string {
	return copyStack(demoStack);
}

/**
 * The demo (or any folder) loaded with the demo tenant, at a fixed time, in the demo's production
 * environment (three API tasks, a multi-AZ db.t3.medium): what these specs describe.
 */
export function loadDemo(dir: string = demoStack, options: WorkspaceOptions = {}): Promise<Workspace> {
	return loadWorkspace(dir, {tenantConfigPath: demoTenant, now: () => Date.parse(planTime), environment: 'production', ...options});
}

/** The state an apply of `workspace` would have written (serial 1 unless given). */
export function deployed(workspace: Workspace, serial = 1): StateDocument {
	return stateAsIfApplied(workspace, {lineage, serial, at: '2026-11-30T12:00:00.000Z', deployedBy: 'ci@example.com'});
}

/** Replaces the one occurrence of `from` in a stack file; fails loudly when it is not there. */
export function edit(dir: string, file: string, from: string, to: string): void {
	const full = path.join(dir, file);
	const text = readFileSync(full, 'utf8');
	if (!text.includes(from)) throw new Error(`${file} does not contain ${JSON.stringify(from)}`);
	writeFileSync(full, text.replace(from, to));
}

/** Removes the YAML document of component `name` from a multi-document file. */
export function removeDocument(dir: string, file: string, name: string): void {
	const full = path.join(dir, file);
	const documents = readFileSync(full, 'utf8').split(/^---\n/m);
	const kept = documents.filter((doc) => !new RegExp(`^  name: ${name}$`, 'm').test(doc));
	if (kept.length !== documents.length - 1) throw new Error(`${file} has no document named ${name}`);
	writeFileSync(full, kept.join('---\n'));
}

/** The plan's change of `address`; fails when there is none. */
export function byAddress(plan: Plan, address: string): Change {
	const change = plan.changes.find((c) => c.address === address);
	if (!change) throw new Error(`no change for ${address}`);
	return change;
}

export const errorsOf = (workspace: Workspace) => workspace.diagnostics.filter((d) => d.severity === 'error');

/**
 * The demo deployed at serial 4, then edited: 4 replicas (update api/api-server), a new sessions
 * key (replace worker/sessions, delete first), a secret-looking variable set to `token` in
 * worker/processor (an update that also reads the replaced table), daily-digest removed
 * (delete), audit-queue added (create).
 */
export async function changedDemoPlan(token: string, dir: string = demoCopy()): Promise<Plan> {
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
	return planChanges(await loadDemo(dir, {vars: {TOKEN: token}}), state);
}
