/**
 * An operation left in flight for a component that has since left the folder heals like any
 * other: on moto, a MicroService whose rollout waits (moto reports 1 of its 2 tasks running) is
 * cut off mid-wait (an abort leaves its create pending, as a SIGKILL does), its file is deleted,
 * and the next run's recovery deletes what the create made (service, cluster, both roles, log
 * group), checked through AWS describe calls, and forgets the intent. An intent that never made
 * anything is forgotten, and a no-op recovery writes no new serial.
 */
import {rmSync} from 'node:fs';
import path from 'node:path';
import {DescribeClustersCommand, DescribeServicesCommand, ECSClient} from '@aws-sdk/client-ecs';
import {DescribeSecurityGroupsCommand, EC2Client} from '@aws-sdk/client-ec2';
import {GetRoleCommand, IAMClient} from '@aws-sdk/client-iam';
import {expect, it, vi} from 'vitest';
import {recoverPending} from '../../../engine/apply/recover.js';
import {planChanges} from '../../../engine/plan/plan.js';
import {describeLogGroup} from '../../../engine/providers/log-groups.js';
import {openBackend} from '../../../engine/state/backend.js';
import {emptyState} from '../../../engine/state/state-document.js';
import {basisOf, readState, writeState} from '../../../engine/state/state-store.js';
import {loadWorkspace} from '../../../engine/workspace.js';
import {startApply, testAccount} from '../../helpers/apply-run.js';
import {describeAws, useMoto} from '../../helpers/moto.js';
import {tempDir, writeStackFolder} from '../../helpers/stack-fixture.js';
import {useProvisionedTenant} from '../networking/network-test-helpers.js';

// Read by moto_server when useMoto starts it: every new ECS service reports 1 task running, so a
// service of 2 replicas waits for its rollout until the run is cut off.
process.env.MOTO_ECS_SERVICE_RUNNING = '1';

const server =
	'apiVersion: components.panka.io/v1\nkind: MicroService\nmetadata:\n  name: server\nspec:\n  image:\n    repository: nginx\n    tag: "1.27"\n  replicas: 2\n  ports:\n    - name: http\n      port: 80\n      protocol: http\n';
const queue = 'apiVersion: components.panka.io/v1\nkind: SQS\nmetadata:\n  name: jobs\n';

describeAws('recovery of an operation whose component left the folder', () => {
	const moto = useMoto({managedPolicies: true});
	const provisioned = useProvisionedTenant(moto);

	async function setting() {
		const stack = `gone${Date.now().toString(36)}`;
		const dir = writeStackFolder(stack, {api: {'server.yaml': server, 'jobs.yaml': queue}});
		const backend = openBackend({kind: 'local', home: tempDir()});
		const key = {tenant: 'acme', stack, environment: 'default'};
		const load = () => loadWorkspace(dir, {tenantConfig: {config: provisioned.tenant, file: 'tenant.yaml'}});
		const base = {backend, key, clients: moto.clients(), network: provisioned.network, ...testAccount};
		return {dir, backend, key, load, base};
	}

	it('deletes what the interrupted create of a removed MicroService made, and forgets the intent', async () => {
		const {dir, backend, key, load, base} = await setting();
		const workspace = await load();
		expect(workspace.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
		const abort = new AbortController();
		const run = startApply({
			...base,
			plan: planChanges(workspace, undefined),
			workspace,
			stored: undefined,
			abort: abort.signal,
			wait: {minDelay: 1, maxDelay: 1, maxWaitTime: 600},
		});
		const waiting = () =>
			run.events.some((e) => e.type === 'resource.progress' && e.address === 'api/server' && /tasks running/.test(e.phase));
		await vi.waitFor(() => expect(waiting(), JSON.stringify(run.events)).toBe(true), {timeout: 60_000, interval: 100});
		abort.abort();
		await run.done;
		const cut = (await readState(backend, key))!;
		const intent = cut.state.pending.find((p) => p.address === 'api/server');
		expect(intent).toMatchObject({operation: 'create', kind: 'MicroService'});
		const names = intent!.physicalNames!;
		const clients = moto.clients();
		const serviceStatus = async () =>
			(await clients.get(ECSClient).send(new DescribeServicesCommand({cluster: names.cluster!, services: [names.primary!]}))).services?.map(
				(s) => s.status,
			) ?? [];
		expect(await serviceStatus()).toEqual(['ACTIVE']);
		const serverGroups = async () => {
			const filters = [
				{Name: 'tag:panka:stack', Values: [key.stack]},
				{Name: 'tag:panka:component', Values: ['server']},
			];
			const {SecurityGroups = []} = await clients.get(EC2Client).send(new DescribeSecurityGroupsCommand({Filters: filters}));
			return SecurityGroups.map((g) => g.GroupName);
		};
		expect(await serverGroups()).toHaveLength(2); // its load balancer's and its tasks'

		rmSync(path.join(dir, 'services', 'api', 'server.yaml'));
		const {stored, notes} = await recoverPending({
			...base,
			workspace: await load(),
			stored: cut,
			wait: {minDelay: 1, maxDelay: 1, maxWaitTime: 60},
		});

		expect(notes).toEqual([expect.objectContaining({address: 'api/server', operation: 'create', outcome: 'deleted'})]);
		expect(notes[0]!.message).toMatch(
			/server is no longer in the folder, so its interrupted create is undone: adopted \S+, made before the interruption, and deleted it/,
		);
		expect(stored.state.pending).toEqual([]);
		expect(stored.state.resources['api/server']).toBeUndefined();
		expect(stored.state.serial).toBe(cut.state.serial + 1);
		// Through AWS: the service, its cluster, both roles and its log group are gone.
		expect((await serviceStatus()).filter((s) => s !== 'INACTIVE')).toEqual([]);
		const clusters = await clients.get(ECSClient).send(new DescribeClustersCommand({clusters: [names.cluster!]}));
		expect((clusters.clusters ?? []).filter((c) => c.status === 'ACTIVE')).toEqual([]);
		for (const role of [names.taskRole!, names.executionRole!])
			await expect(clients.get(IAMClient).send(new GetRoleCommand({RoleName: role}))).rejects.toMatchObject({
				name: 'NoSuchEntityException',
			});
		expect(await describeLogGroup({clients, signal: new AbortController().signal}, names.logGroup!)).toBeUndefined();
		expect(await serverGroups()).toEqual([]);
		// The next plan has nothing left to do for it.
		expect(planChanges(await load(), stored.state).changes.filter((c) => c.address === 'api/server')).toEqual([]);
	}, 120_000);

	it('forgets the intent of a removed component that never made anything; a recovery that changes nothing writes nothing', async () => {
		const {dir, backend, key, load, base} = await setting();
		rmSync(path.join(dir, 'services', 'api', 'server.yaml'));
		const workspace = await load();
		const empty = {...emptyState(key), serial: 1};
		empty.metadata = {...empty.metadata, deployedBy: 'tester@host', deployedAt: new Date().toISOString()};
		await writeState(backend, key, empty, {serial: 0, lineage: empty.lineage});
		const first = (await readState(backend, key))!;
		const crashed = structuredClone(first.state);
		crashed.serial = 2;
		crashed.pending.push({
			id: 'op-1',
			address: 'api/reports',
			operation: 'create',
			kind: 'SQS',
			startedAt: new Date().toISOString(),
			physicalNames: {primary: `acme-${key.stack}-default-reports-never`},
			token: 'op-1',
		});
		await writeState(backend, key, crashed, basisOf(first));
		const {stored, notes} = await recoverPending({...base, workspace, stored: (await readState(backend, key))!});
		expect(notes).toEqual([expect.objectContaining({address: 'api/reports', outcome: 'not-created'})]);
		expect(notes[0]!.message).toMatch(/nothing it made is left in AWS; removed from state$/);
		expect(stored.state.pending).toEqual([]);
		expect(stored.state.resources).toEqual({});

		// An intent it cannot resolve (no provider for its kind here) stays, and no new serial is written
		// for it: a plan made on this state stays applicable.
		const unknown = structuredClone(stored.state);
		unknown.serial += 1;
		unknown.pending.push({id: 'op-2', address: 'api/odd', operation: 'create', kind: 'Teleporter', startedAt: new Date().toISOString()});
		await writeState(backend, key, unknown, basisOf(stored));
		const before = (await readState(backend, key))!;
		const again = await recoverPending({...base, workspace, stored: before});
		expect(again.notes).toEqual([expect.objectContaining({address: 'api/odd', outcome: 'unresolved'})]);
		expect(again.stored).toBe(before);
	}, 60_000);
});
