/**
 * Per-kind wait limits (`--wait-timeout`): a wait that gives up says which limit it hit and how to
 * raise it, and the state records what the create made, so nothing exists in AWS that the state
 * does not name. On moto, an ECS service with more replicas than moto reports running never
 * finishes its rollout, which is the long wait this exercises.
 */
import {DescribeServicesCommand, ECSClient} from '@aws-sdk/client-ecs';
import {describe, expect, it} from 'vitest';
import {planChanges} from '../../../engine/plan/plan.js';
import {waitSettingsFor} from '../../../engine/providers/wait.js';
import {openBackend} from '../../../engine/state/backend.js';
import {readState} from '../../../engine/state/state-store.js';
import {loadWorkspace} from '../../../engine/workspace.js';
import {UsageError} from '../../../source/errors.js';
import {parseWaitTimeouts} from '../../../source/stack-change.js';
import {describeAws, useMoto} from '../../helpers/moto.js';
import {startApply} from '../../helpers/apply-run.js';
import {tempDir, writeStackFolder} from '../../helpers/stack-fixture.js';
import {fastWait, useProvisionedTenant} from '../networking/network-test-helpers.js';

// Read by moto_server when useMoto starts it: every new ECS service reports 1 task running.
process.env.MOTO_ECS_SERVICE_RUNNING = '1';

describe('--wait-timeout', () => {
	it('takes one limit for every kind and limits per kind, which win', () => {
		const timeouts = parseWaitTimeouts(['20m', 'MicroService=45m,RDS=1h']);
		expect(timeouts).toEqual({all: 1200, byKind: {MicroService: 2700, RDS: 3600}});
		expect(waitSettingsFor(fastWait, timeouts, 'MicroService').maxWaitTime).toBe(2700);
		expect(waitSettingsFor(fastWait, timeouts, 'Lambda')).toEqual({...fastWait, maxWaitTime: 1200});
		expect(waitSettingsFor(fastWait, undefined, 'Lambda')).toBe(fastWait);
	});

	it('refuses what it cannot use, naming it', () => {
		expect(() => parseWaitTimeouts(['MicroServce=5m'])).toThrow(/unknown kind MicroServce — did you mean "MicroService"\?/);
		expect(() => parseWaitTimeouts(['soon'])).toThrow(UsageError);
		expect(() => parseWaitTimeouts(['RDS=500ms'])).toThrow(/at least 1s/);
	});
});

describeAws('a wait that gives up', () => {
	const moto = useMoto({managedPolicies: true});
	const provisioned = useProvisionedTenant(moto);

	it('says which limit it hit and how to raise it, and the state records the service it made (failed)', async () => {
		const stack = `slow${Date.now().toString(36)}`;
		const dir = writeStackFolder(stack, {
			api: {
				'server.yaml':
					'apiVersion: components.panka.io/v1\nkind: MicroService\nmetadata:\n  name: server\nspec:\n  image:\n    repository: nginx\n    tag: "1.27"\n  replicas: 2\n  ports:\n    - name: http\n      port: 80\n      protocol: http\n',
			},
		});
		const backend = openBackend({kind: 'local', home: tempDir()});
		const key = {tenant: 'acme', stack, environment: 'default'};
		const workspace = await loadWorkspace(dir, {tenantConfig: {config: provisioned.tenant, file: 'tenant.yaml'}});
		expect(workspace.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
		const plan = planChanges(workspace, undefined);
		const run = startApply({
			plan,
			workspace,
			stored: undefined,
			backend,
			key,
			clients: moto.clients(),
			network: provisioned.network,
			wait: {minDelay: 1, maxDelay: 1, maxWaitTime: 600},
			waitTimeouts: {byKind: {MicroService: 2}},
		});
		await run.done;
		const {events} = run;

		const failure = events.find((e) => e.type === 'resource.failed');
		expect(failure).toMatchObject({address: 'api/server', code: 'WaitTimeout'});
		expect(failure?.type === 'resource.failed' && failure.message).toMatch(
			/gave up after 2s waiting for ECS service \S+ to run its desired tasks \(the MicroService wait limit is 2s; --wait-timeout MicroService=4s waits longer\); it exists in AWS and is recorded as failed: the next apply checks it and waits again$/,
		);
		expect(run.summary().outcome.kind).toBe('partial-by-failure');

		const state = (await readState(backend, key))!.state;
		expect(state.pending).toEqual([]);
		const recorded = state.resources['api/server']!;
		expect(recorded.status).toBe('failed');
		// What the state records is what AWS has: the service exists.
		const {services} = await moto
			.clients()
			.get(ECSClient)
			.send(new DescribeServicesCommand({cluster: recorded.physicalNames.cluster!, services: [recorded.physicalNames.primary!]}));
		expect(services?.map((s) => s.status)).toEqual(['ACTIVE']);
		// The next plan re-applies it (an update, never a second create).
		expect(planChanges(workspace, state).changes.find((c) => c.address === 'api/server')?.action).toBe('update');
	}, 90_000);
});
