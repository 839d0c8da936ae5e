/**
 * `panka history`, `history show` and `rollback`'s refusals through the CLI, without AWS: states
 * written to a local backend as two runs would have left them (the demo's production applied with
 * VERSION 1.4.2, then 1.4.3). The history lists both and shows the second's diff; a rollback is
 * refused, with the reason and exit 1, for a serial never recorded, for the state deployed now and
 * for a version whose run failed; a protected environment needs --confirm-env (exit 2); without
 * --to it is a usage error. Nothing reaches AWS: every refusal comes before the lock.
 */
import {beforeAll, describe, expect, it} from 'vitest';
import {stateAsIfApplied} from '../../engine/plan/applied-state.js';
import {openBackend} from '../../engine/state/backend.js';
import type {RunRecord, StateDocument} from '../../engine/state/state-document.js';
import {basisOf, readState, writeState} from '../../engine/state/state-store.js';
import {loadWorkspace} from '../../engine/workspace.js';
import {expectDocument} from '../helpers/json-schemas.js';
import {pankaWorld} from '../helpers/panka-world.js';
import {demoStack, demoTenant} from '../helpers/stack-fixture.js';

const key = {tenant: 'notifications-team', stack: 'notification-platform', environment: 'production'};

function run(id: string, changes: RunRecord['changes']): RunRecord {
	return {id, operation: 'apply', startedAt: '2026-12-01T08:00:00.000Z', changes, outcome: 'completed'};
}

describe('panka history and rollback without AWS', () => {
	const world = pankaWorld();
	let tenant: Record<string, string>;
	const cli = (args: string[]) => world.run([...args, '--no-tui'], tenant);

	beforeAll(async () => {
		expect(world.run(['admin', 'init']).code).toBe(0);
		const init = world.run(['admin', 'tenant', 'init', 'notifications-team', '--config', demoTenant]);
		expect(init.code, init.stderr).toBe(0);
		tenant = {PANKA_TENANT: 'notifications-team', PANKA_TENANT_SECRET: world.secretIn(init.stdout)};
		const backend = openBackend({kind: 'local', home: world.pankaHome});
		// As an apply records them: the resources, and the release variables (spec.promote) it deployed.
		const applied = async (version: string, at: string): Promise<StateDocument> => {
			const workspace = await loadWorkspace(demoStack, {tenantConfigPath: demoTenant, environment: 'production', vars: {VERSION: version}});
			const state = stateAsIfApplied(workspace, {lineage: 'prod-lineage', serial: 0, at, deployedBy: 'ci@runner'});
			state.metadata.variables = {VERSION: version};
			return state;
		};
		// Serial 1: a first apply whose api-db failed; serial 2: the next apply, complete; serial 3: a release.
		const failed = await applied('1.4.2', '2026-12-01T08:15:00.000Z');
		failed.serial = 1;
		failed.metadata.run = {...run('run-1', {create: 10, update: 0, replace: 0, delete: 0}), outcome: 'partial'};
		failed.resources['api/api-db']!.status = 'failed';
		await writeState(backend, key, failed, {serial: 0, lineage: 'prod-lineage'});
		const first = await applied('1.4.2', '2026-12-01T08:30:00.000Z');
		first.serial = 2;
		first.metadata.run = run('run-2', {create: 0, update: 1, replace: 0, delete: 0});
		await writeState(backend, key, first, basisOf((await readState(backend, key))!));
		const second = await applied('1.4.3', '2026-12-02T09:00:00.000Z');
		second.serial = 3;
		second.metadata.run = run('run-3', {create: 0, update: 1, replace: 0, delete: 0});
		await writeState(backend, key, second, basisOf((await readState(backend, key))!));
	});

	it('lists the deployments and shows what one changed', () => {
		const listed = cli(['history', demoStack, '--env', 'production']);
		expect(listed.code, listed.stderr).toBe(0);
		expect(listed.stdout).toContain('History of notification-platform · tenant notifications-team · environment production [protected]');
		expect(listed.stdout).toMatch(/^3 +2026-12-02 09:00:00 +ci@runner +apply +~1 +completed$/m);
		expect(listed.stdout).toMatch(/^1 +2026-12-01 08:15:00 +ci@runner +apply +\+10 +partial$/m);

		const json = expectDocument(cli(['history', demoStack, '--env', 'production', '--json']).stdout);
		expect(json).toMatchObject({kind: 'DeploymentHistory', stack: key, exists: true});
		expect((json.deployments as Array<{label: string; operation: string}>).map((d) => d.label)).toEqual(['3', '2', '1']);
		expect(expectDocument(cli(['history', 'show', '2', demoStack, '--env', 'production', '--json']).stdout)).toMatchObject({
			kind: 'DeploymentChanges',
			// Serial 2 applied the database serial 1 had failed on.
			changes: [{address: 'api/api-db', action: 'update', diff: [{path: '(status)', before: 'failed', after: 'ready'}]}],
			summary: {create: 0, update: 1, replace: 0, delete: 0},
		});

		const typo = cli(['history', demoStack, '--env', 'prodution']);
		expect(typo.stderr).toContain('environment "prodution" is not declared in stack.yaml — did you mean "production"?');
		expect(typo.code).toBe(2);

		const shown = cli(['history', 'show', '3', demoStack, '--env', 'production']);
		expect(shown.code, shown.stderr).toBe(0);
		expect(shown.stdout).toContain('variables.VERSION: "1.4.2" → "1.4.3"');
		expect(shown.stdout).toMatch(/~ api\/api-server {2}MicroService .*\n +~ image\.tag: "1\.4\.2" → "1\.4\.3"/);
		expect(shown.stdout).toContain('Changed: 0 add, 1 change, 0 replace, 0 destroy.');
	});

	it('refuses a rollback it cannot make, naming why, before taking the lock', () => {
		const never = cli(['rollback', demoStack, '--env', 'production', '--to', '7', '--yes', '--confirm-env', 'production']);
		expect(never.stderr).toContain('cannot roll back to 7: no deployment with serial 7');
		expect(never.code).toBe(1);
		const now = cli(['rollback', demoStack, '--env', 'production', '--to', '3', '--yes', '--confirm-env', 'production']);
		expect(now.stderr).toContain('cannot roll back to 3: serial 3 is the state deployed now: there is nothing to roll back');
		expect(now.code).toBe(1);
		const partial = cli(['rollback', demoStack, '--env', 'production', '--to', '1', '--yes', '--confirm-env', 'production']);
		expect(partial.stderr).toContain('cannot roll back to 1: serial 1 records api/api-db as failed: its run did not complete');
		expect(partial.stderr).toContain(
			'hint: panka history lists the deployments that can be rolled back to; pick one whose outcome is completed',
		);
		expect(partial.code).toBe(1);
		const typo = cli(['rollback', demoStack, '--env', 'prodution', '--to', '2', '--yes']);
		expect(typo.stderr).toContain('environment "prodution" is not declared in stack.yaml');
		expect(typo.code).toBe(2);
		const staging = cli(['rollback', demoStack, '--env', 'staging', '--to', '2', '--yes']);
		expect(staging.stderr).toContain('cannot roll back to 2: no deployment with serial 2');
		expect(staging.code).toBe(1);
	});

	it('needs --to, and for a protected environment --confirm-env naming it', () => {
		const noTo = cli(['rollback', demoStack, '--env', 'production', '--yes']);
		expect(noTo.stderr).toContain('panka rollback needs --to <serial>');
		expect(noTo.code).toBe(2);
		const unconfirmed = cli(['rollback', demoStack, '--env', 'production', '--to', '2', '--yes']);
		expect(unconfirmed.stderr).toContain(
			'production is a protected environment: rolling back it needs --confirm-env production (--yes alone is not enough)',
		);
		expect(unconfirmed.code).toBe(2);
		const patch = cli(['rollback', demoStack, '--env', 'production', '--to', '2', '--write-patch']);
		expect(patch.code, patch.stderr).toBe(0);
		expect(patch.stdout).toContain('release variables (spec.promote) as deployed then: --var VERSION=1.4.2');
		const patchJson = expectDocument(cli(['rollback', demoStack, '--env', 'production', '--to', '2', '--write-patch', '--json']).stdout);
		expect(patchJson).toMatchObject({kind: 'RollbackPatch', serial: 2, variables: {VERSION: '1.4.2'}, values: [], addedSince: []});
	});

	it('lists the new commands in --help', () => {
		const help = world.run(['--help']).stdout;
		for (const command of ['history', 'history show', 'rollback']) expect(help).toContain(`panka ${command}`);
	});
});
