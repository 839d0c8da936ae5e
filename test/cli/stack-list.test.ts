/**
 * `panka stack list`: the logged-in tenant's stacks as the backend has them — environments,
 * resource counts, last apply (when, who, serial) and locks — in columns, per environment with
 * --all-envs, and complete in --json. Other tenants' stacks never show.
 */
import {describe, expect, it} from 'vitest';
import {openBackend} from '../../engine/state/backend.js';
import {acquireLock} from '../../engine/state/lock.js';
import {stateAsIfApplied} from '../../engine/plan/applied-state.js';
import {writeState} from '../../engine/state/state-store.js';
import {loadWorkspace} from '../../engine/workspace.js';
import {pankaWorld} from '../helpers/panka-world.js';
import {demoStack, demoTenant} from '../helpers/stack-fixture.js';

describe('panka stack list', () => {
	it("lists the tenant's stacks with environments, resources, last apply and locks", async () => {
		const world = pankaWorld();
		expect(world.run(['admin', 'init']).code).toBe(0);
		const init = world.run(['admin', 'tenant', 'init', 'notifications-team', '--config', demoTenant]);
		const other = world.run(['admin', 'tenant', 'init', 'other-team', '--aws-account', '222222222222', '--region', 'us-east-1']);
		expect([init.code, other.code]).toEqual([0, 0]);
		const tenant = {PANKA_TENANT: 'notifications-team', PANKA_TENANT_SECRET: world.secretIn(init.stdout)};
		expect(world.run(['stack', 'list'], tenant).stdout).toMatch(/^Tenant notifications-team has no stacks on local folder .* yet/);

		const backend = openBackend({kind: 'local', home: world.pankaHome});
		const record = async (tenantName: string, environment: string, at: string, by: string) => {
			const workspace = await loadWorkspace(demoStack, {tenantConfigPath: demoTenant, environment});
			const state = stateAsIfApplied(workspace, {lineage: `lineage-${environment}`, serial: 1, at, deployedBy: by});
			const key = {tenant: tenantName, stack: 'notification-platform', environment};
			await writeState(
				backend,
				key,
				{...state, metadata: {...state.metadata, tenant: tenantName, deployedAt: at, deployedBy: by}},
				{serial: 0, lineage: state.lineage},
			);
			return key;
		};
		await record('notifications-team', 'production', '2026-11-26T23:42:48.000Z', 'ci@runner');
		const staging = await record('notifications-team', 'staging', '2026-11-27T08:15:00.000Z', 'me@laptop');
		await record('other-team', 'production', '2026-11-28T00:00:00.000Z', 'them@elsewhere');
		await acquireLock(backend, staging, {operation: 'apply', who: 'me@laptop', host: 'laptop', pid: 4242, version: 'test'});

		const list = world.run(['stack', 'list'], tenant);
		expect(list.stdout.split('\n')).toEqual([
			expect.stringMatching(/^STACK +ENVIRONMENTS +RESOURCES +MONTHLY +LAST APPLY +LOCK$/),
			expect.stringMatching(
				/^notification-platform +production, staging +20 +\$\d+\.\d\d +2026-11-27 08:15 by me@laptop \(serial 1\) in staging +staging locked: apply by me@laptop since \d{4}-\d\d-\d\d \d\d:\d\d \([\w-]+\)$/,
			),
			expect.stringMatching(/^Estimated spend: \$[\d,.]+ a month \(networking \$36\.50\), no limit set · prices: panka 2026-12-06$/),
			expect.stringMatching(/^1 stack, 2 environments · tenant notifications-team · local folder /),
			'',
		]);
		expect(list.code).toBe(0);

		const perEnv = world.run(['stack', 'list', '--all-envs'], tenant).stdout;
		// Staging at the shipped us-east-1 prices: $25.04 for its database, $25.44 for its API (cli/cost.test.ts).
		expect(perEnv).toMatch(/^notification-platform +production +10 +\$\d+\.\d\d +2026-11-26 23:42 by ci@runner \(serial 1\) +-$/m);
		expect(perEnv).toMatch(
			/^notification-platform +staging +10 +\$50\.48 +2026-11-27 08:15 by me@laptop \(serial 1\) +locked: apply by me@laptop/m,
		);

		const json = JSON.parse(world.run(['stack', 'list', '--json'], tenant).stdout);
		expect(json).toMatchObject({apiVersion: 'panka.io/cli/v1', kind: 'StackList', tenant: 'notifications-team'});
		expect(json.cost).toMatchObject({currency: 'USD', networking: 36.5, prices: {name: 'panka 2026-12-06', date: '2026-12-06'}});
		expect(json.cost.environments).toEqual([
			{stack: 'notification-platform', environment: 'production', monthly: expect.any(Number), usageBased: 7},
			{stack: 'notification-platform', environment: 'staging', monthly: expect.closeTo(25.04 + 9.010025 + 16.425, 6), usageBased: 7},
		]);
		expect(json.cost.monthlyTotal).toBeCloseTo(36.5 + json.cost.environments[0].monthly + json.cost.environments[1].monthly, 9);
		expect(json.stacks).toEqual([
			{
				name: 'notification-platform',
				environments: [
					{
						name: 'production',
						resources: 10,
						pending: 0,
						serial: 1,
						lastApply: {serial: 1, at: '2026-11-26T23:42:48.000Z', by: 'ci@runner'},
					},
					{
						name: 'staging',
						resources: 10,
						pending: 0,
						serial: 1,
						lastApply: {serial: 1, at: '2026-11-27T08:15:00.000Z', by: 'me@laptop'},
						lock: {id: expect.any(String), info: expect.objectContaining({operation: 'apply', who: 'me@laptop', pid: 4242})},
					},
				],
			},
		]);
	}, 90_000);

	it('needs a tenant (exit 2, naming panka login)', () => {
		const world = pankaWorld();
		const result = world.run(['stack', 'list']);
		expect(result.stderr).toMatch(/not logged in as a tenant\nhint: run panka login/);
		expect(result.code).toBe(2);
	});
});
