/**
 * Environments through the CLI, without AWS: an undeclared --env is refused with a did-you-mean;
 * a protected environment is never changed on --yes alone (apply, destroy and promote name
 * --confirm-env), nor with a --confirm-env naming another one; `panka env list` shows each declared
 * environment with what the backend holds; `panka diff` compares two environments field by field
 * with where each value comes from.
 */
import {describe, expect, it} from 'vitest';
import {stateAsIfApplied} from '../../engine/plan/applied-state.js';
import {openBackend} from '../../engine/state/backend.js';
import {writeState} from '../../engine/state/state-store.js';
import {loadWorkspace} from '../../engine/workspace.js';
import {pankaWorld} from '../helpers/panka-world.js';
import {runCli} from '../helpers/run-cli.js';
import {demoStack, demoTenant} from '../helpers/stack-fixture.js';

function demoWorld() {
	const world = pankaWorld();
	expect(world.run(['admin', 'init']).code).toBe(0);
	const init = world.run(['admin', 'tenant', 'init', 'notifications-team', '--config', demoTenant]);
	expect(init.code, init.stderr).toBe(0);
	return {world, tenant: {PANKA_TENANT: 'notifications-team', PANKA_TENANT_SECRET: world.secretIn(init.stdout)}};
}

describe('a protected environment in CI', () => {
	const {world, tenant} = demoWorld();

	it('is not applied, destroyed or promoted to on --yes alone: the refusal names --confirm-env', () => {
		const apply = world.run(['apply', demoStack, '--env', 'production', '--yes', '--no-tui'], tenant);
		expect(apply.stderr).toContain(
			'panka: production is a protected environment: applying it needs --confirm-env production (--yes alone is not enough)',
		);
		expect(apply.code).toBe(2);
		const destroy = world.run(['destroy', demoStack, '--env', 'production', '--yes', '--no-tui'], tenant);
		expect(destroy.stderr).toContain('destroying it needs --confirm-env production (--yes alone is not enough)');
		expect(destroy.code).toBe(2);
		const noYes = world.run(['apply', demoStack, '--env', 'production', '--no-tui'], tenant);
		expect(noYes.stderr).toContain('applying it needs --confirm-env production\n');
		expect(noYes.code).toBe(2);
	});

	it('refuses a --confirm-env that names another environment, even for an unprotected one', () => {
		const wrong = world.run(['apply', demoStack, '--env', 'production', '--confirm-env', 'staging', '--yes', '--no-tui'], tenant);
		expect(wrong.stderr).toContain('--confirm-env staging does not name the environment to apply, production');
		expect(wrong.code).toBe(2);
		const other = world.run(['apply', demoStack, '--env', 'staging', '--confirm-env', 'production', '--yes', '--no-tui'], tenant);
		expect(other.stderr).toContain('--confirm-env production does not name the environment to apply, staging');
		expect(other.code).toBe(2);
	});

	it('refuses an undeclared --env with the declared ones and a did-you-mean', () => {
		const result = world.run(['plan', demoStack, '--env', 'prodution', '--no-tui'], tenant);
		expect(result.stderr).toContain('environment "prodution" is not declared in stack.yaml — did you mean "production"?');
		expect(result.stderr).toContain('declared environments: staging, production');
		expect(result.code).toBe(1);
	});
});

describe('panka env list', () => {
	it('lists each declared environment with its resources, last apply and protection', async () => {
		const {world, tenant} = demoWorld();
		const workspace = await loadWorkspace(demoStack, {tenantConfigPath: demoTenant, environment: 'staging'});
		const state = stateAsIfApplied(workspace, {
			lineage: 'staging-lineage',
			serial: 1,
			at: '2026-12-01T08:15:00.000Z',
			deployedBy: 'me@laptop',
		});
		const key = {tenant: 'notifications-team', stack: 'notification-platform', environment: 'staging'};
		await writeState(openBackend({kind: 'local', home: world.pankaHome}), key, state, {serial: 0, lineage: state.lineage});

		const list = world.run(['env', 'list', demoStack], tenant);
		expect(list.code, list.stderr).toBe(0);
		expect(list.stdout.split('\n')).toEqual([
			expect.stringMatching(/^ENVIRONMENT +RESOURCES +LAST APPLY +LOCK +DESCRIPTION$/),
			expect.stringMatching(
				/^staging +10 +2026-12-01 08:15 by me@laptop \(serial 1\) +- +Pre-production: scales down to one API task, the smallest database$/,
			),
			expect.stringMatching(/^production \[protected\] +0 +never +- +Customer traffic$/),
			expect.stringMatching(/^2 declared in stack.yaml · stack notification-platform · tenant notifications-team · local folder /),
			'',
		]);
		const json = JSON.parse(world.run(['env', 'list', demoStack, '--json'], tenant).stdout);
		expect(json).toMatchObject({kind: 'EnvironmentList', stack: 'notification-platform', declared: true});
		expect(json.environments).toEqual([
			expect.objectContaining({
				name: 'staging',
				resources: 10,
				protected: false,
				lastApply: {serial: 1, at: '2026-12-01T08:15:00.000Z', by: 'me@laptop'},
			}),
			expect.objectContaining({name: 'production', resources: 0, protected: true}),
		]);
	});
});

describe('panka diff', () => {
	it('compares two environments field by field, naming where each value comes from', () => {
		const result = runCli(['diff', demoStack, '--env', 'staging', '--to', 'production', '--tenant-config', demoTenant]);
		expect(result.code, result.stderr).toBe(0);
		const lines = result.stdout.split('\n');
		expect(lines[0]).toBe('Stack notification-platform: staging → production [protected]');
		expect(lines).toContain('api/api-server MicroService');
		expect(lines).toContain(
			'  environment[2].value: debug (${LOG_LEVEL} = "debug" (environment staging, stack.yaml:24)) → info (${LOG_LEVEL} = "info" (stack.yaml:14))',
		);
		expect(lines).toContain(
			'  instance.class: db.t3.micro (env staging, services/api/resources.yaml:39) → db.t3.medium (services/api/resources.yaml:17)',
		);
		const json = JSON.parse(
			runCli(['diff', demoStack, '--env', 'staging', '--to', 'production', '--json', '--tenant-config', demoTenant]).stdout,
		);
		expect(json.differences).toContainEqual({
			address: 'api/api-db',
			kind: 'RDS',
			type: 'value',
			path: 'instance.multiAZ',
			from: {value: 'false', origin: 'env staging, services/api/resources.yaml:40'},
			to: {value: 'true', origin: 'services/api/resources.yaml:22'},
		});
	});

	it('needs both environments', () => {
		const result = runCli(['diff', demoStack, '--env', 'staging']);
		expect(result.stderr).toContain('panka diff compares two environments: pass --env A --to B');
		expect(result.code).toBe(2);
	});
});
