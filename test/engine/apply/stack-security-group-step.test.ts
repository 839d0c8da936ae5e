/**
 * applyPlan's stack security group step on moto, checked through EC2: `apply.start` lists it with
 * the resources (so every count is right before the first step starts); it is `create` the first
 * time, `update` when the stack's ingress rules changed, `update` reported `unchanged` when nothing
 * differed, and in a destroy a `delete` that runs last, or is skipped when a delete before it
 * failed. The Lambda provider is replaced by one that records what it is given, so only the group
 * (and the SQS queue) touch AWS. A change of the stack's ingress rules alone is planned as an
 * update of the group and applied, never "No changes".
 */
import {mkdirSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {
	CreateSecurityGroupCommand,
	CreateSubnetCommand,
	CreateVpcCommand,
	DescribeSecurityGroupRulesCommand,
	DescribeSecurityGroupsCommand,
	EC2Client,
} from '@aws-sdk/client-ec2';
import {beforeAll, expect, it, vi} from 'vitest';
import type {EngineEvent} from '../../../engine/apply/events.js';
import type {TenantNetworkState} from '../../../engine/networking/tenant-network-state.js';
import {planDestroy} from '../../../engine/plan/destroy-plan.js';
import {type Plan, planChanges} from '../../../engine/plan/plan.js';
import type {ResourceContext} from '../../../engine/providers/provider.js';
import {openBackend} from '../../../engine/state/backend.js';
import {readState} from '../../../engine/state/state-store.js';
import {loadWorkspace} from '../../../engine/workspace.js';
import {ApplyLineRenderer} from '../../../source/render/apply-text.js';
import {startApply} from '../../helpers/apply-run.js';
import {describeAws, useMoto} from '../../helpers/moto.js';
import {tempDir} from '../../helpers/stack-fixture.js';

const lambda = vi.hoisted(() => ({
	/** The security groups each create/update was given, in call order. */
	securityGroups: [] as string[][],
	failDelete: false,
}));

vi.mock('../../../engine/kinds/lambda-provider.js', () => {
	const applied = async (context: ResourceContext) => {
		lambda.securityGroups.push(context.networking?.securityGroupIds ?? []);
		return {
			physicalId: `arn:aws:lambda:us-east-1:123456789012:function:${context.names.primary}`,
			outputs: {functionName: context.names.primary},
		};
	};
	return {
		lambdaProvider: {
			create: applied,
			update: applied,
			async delete() {
				if (lambda.failDelete)
					throw Object.assign(new Error('Lambda DeleteFunction: ServiceException: try again'), {code: 'ServiceException'});
			},
			async read() {
				throw new Error('not used');
			},
			async find() {
				return undefined;
			},
		},
	};
});

const group = 'stack#security-group';
const plain = (text: string) => text;

function writeStack(dir: string, stack: string, options: {ports: number[]; memory: number}) {
	mkdirSync(path.join(dir, 'services', 'jobs'), {recursive: true});
	const ingress = options.ports
		.map((port) => `        - port: ${port}\n          protocol: tcp\n          cidrBlocks: ["0.0.0.0/0"]\n`)
		.join('');
	writeFileSync(
		path.join(dir, 'stack.yaml'),
		`apiVersion: core.panka.io/v1\nkind: Stack\nmetadata:\n  name: ${stack}\n  tenant: acme\n  labels:\n    environment: test\nspec:\n  networking:\n    securityGroup:\n      ingress:\n${ingress}`,
	);
	writeFileSync(
		path.join(dir, 'services', 'jobs', 'service.yaml'),
		'apiVersion: core.panka.io/v1\nkind: Service\nmetadata:\n  name: jobs\n',
	);
	writeFileSync(
		path.join(dir, 'services', 'jobs', 'resources.yaml'),
		`---\napiVersion: components.panka.io/v1\nkind: SQS\nmetadata:\n  name: work\n` +
			`---\napiVersion: components.panka.io/v1\nkind: Lambda\nmetadata:\n  name: worker\nspec:\n  runtime: nodejs24.x\n  handler: index.handler\n  code:\n    s3Bucket: code\n    s3Key: worker.zip\n  memory: ${options.memory}\n  vpc:\n    enabled: true\n`,
	);
}

describeAws('applyPlan: the stack security group step', () => {
	const moto = useMoto();
	let ec2: EC2Client;
	let network: TenantNetworkState;
	let tenantConfig: string;

	beforeAll(async () => {
		ec2 = moto.clients().get(EC2Client);
		const {Vpc} = await ec2.send(new CreateVpcCommand({CidrBlock: '10.30.0.0/16'}));
		const {Subnet} = await ec2.send(
			new CreateSubnetCommand({VpcId: Vpc!.VpcId!, CidrBlock: '10.30.10.0/24', AvailabilityZone: 'us-east-1a'}),
		);
		const {GroupId} = await ec2.send(
			new CreateSecurityGroupCommand({VpcId: Vpc!.VpcId!, GroupName: 'acme-default-sg', Description: 'tenant default'}),
		);
		network = {
			vpcId: Vpc!.VpcId!,
			subnets: {public: [], private: [{id: Subnet!.SubnetId!, cidr: '10.30.10.0/24', az: 'us-east-1a'}]},
			natGateways: [],
			routeTables: {private: []},
			defaultSecurityGroupId: GroupId!,
		};
		tenantConfig = path.join(tempDir(), 'acme.yaml');
		writeFileSync(
			tenantConfig,
			'apiVersion: admin.panka.io/v1\nkind: TenantConfig\nmetadata:\n  name: acme\nspec:\n  aws:\n    accountId: "123456789012"\n    region: us-east-1\n  networking:\n    vpc:\n      cidrBlock: "10.30.0.0/16"\n    subnets:\n      public: []\n      private:\n        - cidrBlock: "10.30.10.0/24"\n          availabilityZone: us-east-1a\n',
		);
	}, 30_000);

	async function run(dir: string, home: string, stack: string, operation: 'apply' | 'destroy' = 'apply') {
		const backend = openBackend({kind: 'local', home});
		const key = {tenant: 'acme', stack, environment: 'test'};
		const workspace = await loadWorkspace(dir, {tenantConfigPath: tenantConfig});
		const stored = await readState(backend, key);
		const plan: Plan = operation === 'destroy' ? planDestroy(workspace, stored!.state) : planChanges(workspace, stored?.state);
		const run = startApply({
			plan,
			workspace,
			stored,
			backend,
			key,
			clients: moto.clients(),
			network,
			operation,
			wait: {minDelay: 1, maxDelay: 1, maxWaitTime: 20},
		});
		await run.done;
		const {events} = run;
		const renderer = new ApplyLineRenderer(plain);
		const text = events.flatMap((event) => renderer.event(event)).join('\n');
		const state = (await readState(backend, key))?.state;
		const listed = events.find((e): e is Extract<EngineEvent, {type: 'apply.start'}> => e.type === 'apply.start')?.changes ?? [];
		/** The group's step events, progress left out. */
		const ofGroup = events.filter(
			(e): e is Extract<EngineEvent, {address: string}> => 'address' in e && e.address === group && e.type !== 'resource.progress',
		);
		return {plan, events, text, state, listed, ofGroup, summary: events.at(-1) as Extract<EngineEvent, {type: 'summary'}>};
	}

	async function ingressPorts(groupId: string) {
		const {SecurityGroupRules = []} = await ec2.send(
			new DescribeSecurityGroupRulesCommand({Filters: [{Name: 'group-id', Values: [groupId]}]}),
		);
		return SecurityGroupRules.filter((r) => !r.IsEgress && r.CidrIpv4 === '0.0.0.0/0')
			.map((r) => r.FromPort)
			.sort();
	}

	it('is listed and counted from apply.start, created the first time, updated when rules change, unchanged otherwise, deleted last', async () => {
		const stack = `sg${Date.now().toString(36)}`;
		const dir = path.join(tempDir('panka-apply-'), 'stack');
		const home = tempDir();
		writeStack(dir, stack, {ports: [443], memory: 128});

		// First apply: the state records no group, so the step creates it, before the function.
		const first = await run(dir, home, stack);
		expect(first.listed).toEqual([
			{address: group, action: 'create', kind: 'SecurityGroup'},
			{address: 'jobs/work', action: 'create', kind: 'SQS'},
			{address: 'jobs/worker', action: 'create', kind: 'Lambda'},
		]);
		expect(first.events.filter((e) => e.type === 'resource.start')).toHaveLength(first.listed.length);
		expect(first.ofGroup.map((e) => `${e.type} ${e.action}`)).toEqual(['resource.start create', 'resource.done create']);
		expect(first.ofGroup.at(-1)).not.toHaveProperty('unchanged');
		expect(first.summary).toMatchObject({failed: [], skipped: [], notStarted: []});
		expect([...first.summary.done].sort()).toEqual(['jobs/work', 'jobs/worker', group]);
		expect(first.text).toContain('🚀 Deploying... (3 steps, up to 10 at once)');
		expect(first.text).toMatch(/ {2}├── Creating stack#security-group\.\.\. ✓ \(/);
		const groupId = first.state!.networking.stackSecurityGroupId!;
		expect(lambda.securityGroups.at(-1)).toEqual([network.defaultSecurityGroupId, groupId]);
		expect(await ingressPorts(groupId)).toEqual([443]);

		// The stack opens port 80 too, and nothing else changes: the plan says so, and the group's rules are updated.
		writeStack(dir, stack, {ports: [443, 80], memory: 128});
		const second = await run(dir, home, stack);
		expect(second.plan.changes.map((c) => `${c.action} ${c.address}`)).toEqual([`update ${group}`, 'no-op jobs/work', 'no-op jobs/worker']);
		expect(second.plan.changes[0]!.diff).toEqual([
			{path: 'ingress[1]', action: 'add', after: {port: 80, protocol: 'tcp', cidrBlocks: ['0.0.0.0/0']}},
		]);
		expect(second.listed).toEqual([{address: group, action: 'update', kind: 'SecurityGroup'}]);
		expect(second.ofGroup.map((e) => `${e.type} ${e.action}`)).toEqual(['resource.start update', 'resource.done update']);
		expect(second.ofGroup.at(-1)).not.toHaveProperty('unchanged');
		expect(second.text).toContain('(1 step, up to 10 at once)');
		expect(second.text).toMatch(/Updating stack#security-group\.\.\. ✓ \(/);
		expect(second.state!.networking.stackSecurityGroupId).toBe(groupId);
		expect(await ingressPorts(groupId)).toEqual([443, 80].sort());
		// What it was applied with is recorded: planning again changes nothing.
		expect(second.state!.networking.stackSecurityGroupInputs).toMatchObject({ingress: [{port: 443}, {port: 80}]});
		expect((await run(dir, home, stack)).listed).toEqual([]);

		// Only the function changes: the group's step runs and says it changed nothing.
		writeStack(dir, stack, {ports: [443, 80], memory: 512});
		const third = await run(dir, home, stack);
		expect(third.listed.map((s) => `${s.action} ${s.address}`)).toEqual([`update ${group}`, 'update jobs/worker']);
		expect(third.ofGroup.at(-1)).toMatchObject({type: 'resource.done', action: 'update', unchanged: true});
		expect(third.text).toMatch(/Updating stack#security-group\.\.\. ✓ nothing to change \(/);

		// A destroy whose function delete fails keeps the group: its step is skipped, and says why.
		lambda.failDelete = true;
		const failed = await run(dir, home, stack, 'destroy');
		expect(failed.listed.at(-1)).toEqual({address: group, action: 'delete', kind: 'SecurityGroup'});
		expect(failed.listed).toHaveLength(3);
		expect(failed.ofGroup).toEqual([
			expect.objectContaining({type: 'resource.skipped', action: 'delete', reason: 'skipped because jobs/worker failed'}),
		]);
		expect(failed.summary).toMatchObject({failed: ['jobs/worker'], skipped: [group]});
		expect(failed.text).toContain('🚀 Destroying... (3 steps, up to 10 at once)');
		expect((await ec2.send(new DescribeSecurityGroupsCommand({GroupIds: [groupId]}))).SecurityGroups).toHaveLength(1);

		// Then it goes, last, once everything else is deleted.
		lambda.failDelete = false;
		const destroyed = await run(dir, home, stack, 'destroy');
		expect(destroyed.listed.map((s) => `${s.action} ${s.address}`)).toEqual(['delete jobs/worker', `delete ${group}`]);
		expect(destroyed.events.filter((e) => e.type === 'resource.done').at(-1)).toMatchObject({address: group, action: 'delete'});
		expect(destroyed.summary).toMatchObject({failed: [], skipped: [], notStarted: []});
		expect(destroyed.state!.networking.stackSecurityGroupId).toBeUndefined();
		await expect(ec2.send(new DescribeSecurityGroupsCommand({GroupIds: [groupId]}))).rejects.toMatchObject({name: 'InvalidGroup.NotFound'});
	}, 60_000);
});
