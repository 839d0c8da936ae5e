/**
 * Rollback (engine/plan/rollback.ts): the folder's workspace turned back into the configuration an
 * earlier state version recorded, planned like any apply; what was added since is deleted, and
 * what a rollback cannot undo is said. Versions that cannot be rolled back to are refused, naming why.
 */
import {appendFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {planChanges} from '../../../engine/plan/plan.js';
import {describeRollback, rollbackWorkspace, rolledBackValues, withRollbackWarnings} from '../../../engine/plan/rollback.js';
import {redactedValue, type StateDocument} from '../../../engine/state/state-document.js';
import type {Workspace} from '../../../engine/workspace.js';
import {byAddress, demoCopy, deployed, edit, loadDemo} from './plan-fixture.js';

const auditQueue = '---\napiVersion: components.panka.io/v1\nkind: SQS\nmetadata:\n  name: audit-queue\nspec:\n  visibilityTimeout: 45\n';
const withToken = {vars: {TOKEN: 'token-value-1'}};

/** The demo deployed at serial 4, then changed (4 replicas, an audit queue added) and deployed at serial 9. */
async function changedSince(): Promise<{dir: string; earlier: StateDocument; current: StateDocument; folder: Workspace}> {
	const dir = demoCopy();
	edit(dir, 'services/worker/lambda.yaml', 'LOG_LEVEL: "${LOG_LEVEL}"', 'LOG_LEVEL: "${LOG_LEVEL}"\n    API_TOKEN: "${TOKEN}"');
	const earlier = deployed(await loadDemo(dir, withToken), 4);
	edit(dir, 'services/api/service.yaml', 'REPLICAS: "3"', 'REPLICAS: "4"');
	appendFileSync(path.join(dir, 'services/api/resources.yaml'), auditQueue);
	const folder = await loadDemo(dir, withToken);
	return {dir, earlier, current: deployed(folder, 9), folder};
}

describe('rollbackWorkspace', () => {
	it('plans the recorded configuration back: the changed field restored, what was added since deleted, nothing else', async () => {
		const {earlier, current, folder} = await changedSince();
		const source = rollbackWorkspace(folder, earlier, current);
		if (!source.ok) throw new Error(source.message);
		expect(source.rollback).toEqual({
			serial: 4,
			lineage: earlier.lineage,
			deployedAt: '2026-11-30T12:00:00.000Z',
			deployedBy: 'ci@example.com',
		});
		const plan = withRollbackWarnings(planChanges(source.workspace, current, {rollback: source.rollback}), source.notes, earlier);
		expect(plan.rollback?.serial).toBe(4);
		expect(plan.changes.filter((c) => c.action !== 'no-op').map((c) => [c.address, c.action])).toEqual([
			['api/api-server', 'update'],
			['api/audit-queue', 'delete'],
		]);
		expect(byAddress(plan, 'api/api-server').diff.map((f) => [f.path, f.before, f.after])).toContainEqual(['replicas', 4, 3]);
		const removed = byAddress(plan, 'api/audit-queue');
		expect(removed.reasons).toEqual(['added after serial 4: not in the configuration rolled back to']);
		expect(removed.notes).toContain('deleting it deletes the data it holds, and nothing brings that back');
		expect(plan.warnings[0]).toBe(
			'the stack folder still holds the newer configuration than serial 4, so the next panka apply from it moves forward again (panka rollback --to 4 --write-patch prints the rolled-back values to put in the folder)',
		);
		expect(describeRollback(source.rollback)).toBe('serial 4, deployed 2026-11-30 12:00 by ci@example.com');
	});

	it('takes a secret the version could not record from the folder, and says so', async () => {
		const {earlier, current, folder} = await changedSince();
		const recordedEnvironment = JSON.stringify(earlier.resources['worker/processor']!.inputs);
		expect(recordedEnvironment).toContain(redactedValue);
		expect(recordedEnvironment).not.toContain('token-value-1');
		const source = rollbackWorkspace(folder, earlier, current);
		if (!source.ok) throw new Error(source.message);
		expect(source.notes).toEqual([
			expect.stringMatching(
				/^worker\/processor: .*API_TOKEN.* keeps its value from the folder \(secrets are never recorded in the state\)$/,
			),
		]);
		expect(JSON.stringify(source.workspace.componentsByName.get('processor')!.spec)).toContain('token-value-1');
	});

	it("says that the stack security group keeps the folder's rules when the version had others", async () => {
		const {earlier, current, folder} = await changedSince();
		const older = structuredClone(earlier);
		older.networking.stackSecurityGroupInputs = {name: 'sg', ingress: [{port: 5432}], egress: []};
		const source = rollbackWorkspace(folder, older, {
			...current,
			networking: {...current.networking, stackSecurityGroupInputs: {name: 'sg', ingress: [], egress: []}},
		});
		if (!source.ok) throw new Error(source.message);
		expect(source.notes).toContain(
			"the stack security group keeps the folder's rules: a rollback does not restore the rules it had at serial 4",
		);
	});

	it('gives the values that differ from the folder, to write back', async () => {
		const {earlier, current, folder} = await changedSince();
		const source = rollbackWorkspace(folder, earlier, current);
		if (!source.ok) throw new Error(source.message);
		const values = rolledBackValues(folder, source.workspace);
		expect(values.map((v) => v.address)).toEqual(['api/api-server']);
		expect(values[0]!.changes).toContainEqual({path: 'replicas', action: 'change', before: 4, after: 3});
	});

	it('refuses, naming why, a version it cannot roll back to', async () => {
		const {earlier, current, folder, dir} = await changedSince();
		const refusal = (target: StateDocument, now: StateDocument | undefined = current, workspace = folder) => {
			const source = rollbackWorkspace(workspace, target, now);
			return source.ok ? undefined : source.message;
		};
		expect(rollbackWorkspace(folder, earlier, undefined)).toMatchObject({
			ok: false,
			message: 'nothing is deployed: there is no state to roll back',
		});
		expect(refusal(earlier, {...current, lineage: 'another-lineage'})).toBe(
			`serial 4 belongs to an earlier deployment of the stack (lineage ${earlier.lineage}), destroyed since; a rollback stays within the current one (lineage another-lineage)`,
		);
		expect(refusal(current)).toBe('serial 9 is the state deployed now: there is nothing to roll back');
		expect(
			refusal({...earlier, pending: [{id: 'op-1', address: 'api/api-db', operation: 'create', startedAt: '2026-11-30T12:00:00.000Z'}]}),
		).toBe('serial 4 was written while operations were in flight (api/api-db): it is not a configuration that was ever wholly deployed');
		const failed = structuredClone(earlier);
		failed.resources['api/api-db']!.status = 'failed';
		expect(refusal(failed)).toBe('serial 4 records api/api-db as failed: its run did not complete');
		const unknown = structuredClone(earlier);
		unknown.resources['api/gone'] = {...unknown.resources['api/api-db']!, name: 'gone'};
		expect(refusal(unknown)).toMatch(/^serial 4 records api\/gone \(RDS\), which the stack folder no longer declares/);
		const hidden = structuredClone(earlier);
		hidden.resources['api/api-server']!.inputs.apiKey = redactedValue;
		expect(refusal(hidden)).toBe(
			'serial 4 hides api/api-server apiKey (a secret is never recorded), and the folder has no value for it now',
		);
		edit(
			dir,
			'services/api/resources.yaml',
			'kind: SQS\nmetadata:\n  name: notification-queue',
			'kind: SNS\nmetadata:\n  name: notification-queue',
		);
		expect(refusal(earlier, current, await loadDemo(dir, withToken))).toMatch(
			/^serial 4 records api\/notification-queue as a SQS; the folder declares it as a SNS now$/,
		);
	});
});
