/**
 * The whole demo stack (demo/notification-platform: 10 components, every kind) applied on moto,
 * in-process: its wall time and AWS calls per second, next to a bare SDK loop sending the same
 * calls (issue 5 §8; report only, no target). One run:
 *
 *   1. start moto as `npm run demo` does (AWS-managed IAM policies loaded, ECS services report 3
 *      running tasks); load the stack with demo/tenant.yaml; provision the tenant's network;
 *   2. warm up: every kind's provider loaded, one call per SDK client the apply uses (checked
 *      after the apply, so the list cannot go stale);
 *   3. timed: applyPlan of the full plan, parallelism 10, a local backend, fast waits, every
 *      command recorded; any failed, skipped or unstarted step throws;
 *   4. untimed: destroy the stack (--skip-final-snapshot) and delete the DB password secret the
 *      apply generated, so moto is back to where the apply started;
 *   5. timed: the recorded commands again from the bare loop of moto-apply.ts, same concurrency,
 *      same moto.
 *
 * Why destroy rather than reset (apply-bench resets): the commands carry the IDs of the tenant's
 * VPC, subnets and security groups, which a reset and a new network would change, making every
 * VPC-placed create refer to things that do not exist. The destroy keeps the network and also
 * the stack security group (it is destroyed without `network`, which is what deletes that group),
 * so those IDs stay valid.
 *
 * What the replay still cannot redo, and how it shows: moto generates some IDs afresh (the load
 * balancer's and target group's ARNs, the security groups panka makes for the database and the
 * load balancer), so replayed calls naming the apply's IDs are refused, and so is re-creating the
 * stack security group the destroy kept: about ten calls of the 131, every run (the listener, the
 * ECS service, those groups' rules). The bare loop also sends a command without waiting for the
 * ones it depends on, so a few more lose a race (a HeadBucket before its CreateBucket lands).
 * Refusals are counted and listed (`diverged`: refused on replay, not in the apply), never hidden;
 * moto still answers them, usually faster than a success, so the bare rate is if anything flattered.
 * (Seeding moto's IDs, POST /moto-api/seed, does not help: request IDs draw from the same source.)
 *
 * Not measured: AssumeRole. The tenant's account is moto's default one, so the apply's clients
 * act with the default credentials, where `panka apply` would first call STS once.
 *
 * `node dist/bench/demo-apply-bench.js` runs this alone; bench/run.ts calls `benchDemoApply`.
 */
import {cpSync, mkdtempSync, rmSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {ApplicationAutoScalingClient, DescribeScalableTargetsCommand} from '@aws-sdk/client-application-auto-scaling';
import {CloudWatchLogsClient, DescribeLogGroupsCommand} from '@aws-sdk/client-cloudwatch-logs';
import {DynamoDBClient, ListTablesCommand} from '@aws-sdk/client-dynamodb';
import {DescribeVpcsCommand, EC2Client} from '@aws-sdk/client-ec2';
import {ECSClient, ListClustersCommand} from '@aws-sdk/client-ecs';
import {DescribeLoadBalancersCommand, ElasticLoadBalancingV2Client} from '@aws-sdk/client-elastic-load-balancing-v2';
import {EventBridgeClient, ListRulesCommand} from '@aws-sdk/client-eventbridge';
import {IAMClient, ListRolesCommand} from '@aws-sdk/client-iam';
import {LambdaClient, ListFunctionsCommand} from '@aws-sdk/client-lambda';
import {DescribeDBInstancesCommand, RDSClient} from '@aws-sdk/client-rds';
import {ListBucketsCommand, S3Client} from '@aws-sdk/client-s3';
import {DeleteSecretCommand, ListSecretsCommand, SecretsManagerClient} from '@aws-sdk/client-secrets-manager';
import {ListNamespacesCommand, ServiceDiscoveryClient} from '@aws-sdk/client-servicediscovery';
import {ListTopicsCommand, SNSClient} from '@aws-sdk/client-sns';
import {ListQueuesCommand, SQSClient} from '@aws-sdk/client-sqs';
import {type ApplyInput, applyPlan} from '../engine/apply/apply-plan.js';
import {AwsClients} from '../engine/aws/aws-clients.js';
import {kindNames} from '../engine/kinds/registry.js';
import {provisionTenantNetwork} from '../engine/networking/tenant-network.js';
import {planDestroy} from '../engine/plan/destroy-plan.js';
import {planChanges} from '../engine/plan/plan.js';
import {openBackend} from '../engine/state/backend.js';
import {readState} from '../engine/state/state-store.js';
import {loadWorkspace, type Workspace, workspaceHasErrors} from '../engine/workspace.js';
import {startMotoServer} from '../demo/moto-server.js';
import {benchWait, CallRecorder, describeDiverged, motoSettings, replayCalls, type WarmUpProbe, warmUp} from './moto-apply.js';

export interface DemoApplyBenchResult {
	/** Steps the apply ran (the plan's changes; the stack security group is not counted). */
	steps: number;
	calls: number;
	applyMs: number;
	pankaCallsPerSecond: number;
	bareMs: number;
	bareCallsPerSecond: number;
	stateWrites: number;
	/** Replayed calls moto refused, and of those the ones the apply's same call did not meet. */
	bareFailures: number;
	bareDiverged: string;
}

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const parallelism = 10;
const passwordSecret = 'production/api/db-password';

/** One cheap read per SDK client the providers use. */
export const probes: WarmUpProbe[] = [
	{Client: EC2Client, command: new DescribeVpcsCommand({})},
	{Client: IAMClient, command: new ListRolesCommand({})},
	{Client: ECSClient, command: new ListClustersCommand({})},
	{Client: ElasticLoadBalancingV2Client, command: new DescribeLoadBalancersCommand({})},
	{Client: ApplicationAutoScalingClient, command: new DescribeScalableTargetsCommand({ServiceNamespace: 'ecs'})},
	{Client: ServiceDiscoveryClient, command: new ListNamespacesCommand({})},
	{Client: CloudWatchLogsClient, command: new DescribeLogGroupsCommand({})},
	{Client: LambdaClient, command: new ListFunctionsCommand({})},
	{Client: RDSClient, command: new DescribeDBInstancesCommand({})},
	{Client: SecretsManagerClient, command: new ListSecretsCommand({})},
	{Client: DynamoDBClient, command: new ListTablesCommand({})},
	{Client: S3Client, command: new ListBucketsCommand({})},
	{Client: SQSClient, command: new ListQueuesCommand({})},
	{Client: SNSClient, command: new ListTopicsCommand({})},
	{Client: EventBridgeClient, command: new ListRulesCommand({})},
];

/** Run applyPlan to its summary; throws naming every step that did not succeed. Returns steps done and state writes. */
export async function runToEnd(input: ApplyInput): Promise<{done: number; stateWrites: number}> {
	const problems: string[] = [];
	let stateWrites = 0;
	for await (const event of applyPlan(input)) {
		if (event.type === 'state.saved') stateWrites++;
		if (event.type === 'resource.failed') problems.push(`${event.address} failed: ${event.code}: ${event.message}`);
		if (event.type === 'state.save-failed') problems.push(event.message);
		if (event.type === 'summary') {
			for (const address of event.skipped) problems.push(`${address} skipped`);
			for (const address of event.notStarted) problems.push(`${address} not started`);
			if (problems.length > 0) throw new Error(`bench ${event.operation} of the demo stack failed:\n  ${problems.join('\n  ')}`);
			return {done: event.done.length, stateWrites};
		}
	}
	throw new Error('applyPlan ended without a summary');
}

async function loadDemo(dir: string): Promise<Workspace> {
	const workspace = await loadWorkspace(dir, {tenantConfigPath: path.join(repo, 'demo', 'tenant.yaml'), env: {}});
	if (workspaceHasErrors(workspace) || !workspace.tenant)
		throw new Error(`the demo stack does not load: ${workspace.diagnostics.map((d) => d.message).join('; ') || 'no tenant config'}`);
	return workspace;
}

/** The demo stack loaded in a scratch copy, its tenant's network provisioned on `moto`, ready to apply. */
export async function demoOnMoto(scratch: string, setup: AwsClients) {
	const dir = path.join(scratch, 'notification-platform');
	cpSync(path.join(repo, 'demo', 'notification-platform'), dir, {recursive: true});
	const workspace = await loadDemo(dir);
	const tenant = workspace.tenant!.config;
	const network = await provisionTenantNetwork(tenant, {clients: setup, wait: benchWait});
	const backend = openBackend({kind: 'local', home: path.join(scratch, 'home')});
	const key = {tenant: workspace.tenantName, stack: workspace.stack.name, environment: workspace.environment};
	const common = {
		workspace,
		backend,
		key,
		region: tenant.spec.aws.region,
		accountId: tenant.spec.aws.accountId,
		deployedBy: 'bench@host',
		parallelism,
		wait: benchWait,
	};
	return {common, network};
}

/** moto as `npm run demo` starts it: AWS-managed IAM policies loaded, ECS services report 3 running tasks. */
export const startDemoMoto = () => startMotoServer({MOTO_IAM_LOAD_MANAGED_POLICIES: 'true', MOTO_ECS_SERVICE_RUNNING: '3'});

export async function benchDemoApply(): Promise<DemoApplyBenchResult> {
	const moto = await startDemoMoto();
	const scratch = mkdtempSync(path.join(os.tmpdir(), 'panka-demo-apply-bench-'));
	const settings = motoSettings(moto.endpoint);
	const setup = new AwsClients(settings);
	try {
		const {common, network} = await demoOnMoto(scratch, setup);
		const {workspace, backend, key} = common;
		const plan = planChanges(workspace, undefined);
		await warmUp(settings, kindNames, probes);

		const recorder = new CallRecorder();
		const clients = new AwsClients({...settings, onSend: recorder.onSend});
		const started = performance.now();
		const applied = await runToEnd({...common, plan, stored: undefined, clients, network});
		const applyMs = performance.now() - started;
		clients.destroy();
		const cold = [...recorder.clientClasses()].filter((Client) => !probes.some((probe) => probe.Client === Client));
		if (cold.length > 0)
			throw new Error(`the apply used SDK clients the warm-up did not: ${cold.map((c) => c.name).join(', ')}; add a probe for each`);

		// Back to where the apply started: network and stack security group kept (see the header).
		const stored = await readState(backend, key);
		if (!stored) throw new Error('the apply left no state');
		await runToEnd({
			...common,
			plan: planDestroy(workspace, stored.state),
			stored,
			clients: setup,
			operation: 'destroy',
			deleteOptions: {skipFinalSnapshot: true},
		});
		await setup.get(SecretsManagerClient).send(new DeleteSecretCommand({SecretId: passwordSecret, ForceDeleteWithoutRecovery: true}));

		const bare = await replayCalls(recorder, settings, parallelism);
		return {
			steps: applied.done,
			calls: recorder.calls.length,
			applyMs,
			pankaCallsPerSecond: recorder.calls.length / (applyMs / 1000),
			bareMs: bare.ms,
			bareCallsPerSecond: bare.callsPerSecond,
			stateWrites: applied.stateWrites,
			bareFailures: bare.failed,
			bareDiverged: describeDiverged(bare.diverged),
		};
	} finally {
		setup.destroy();
		moto.stop();
		rmSync(scratch, {recursive: true, force: true});
	}
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) {
	const result = await benchDemoApply();
	process.stdout.write(
		[
			`full demo apply on moto: ${result.steps} steps, ${result.calls} AWS calls, ${result.stateWrites} state writes`,
			`  panka: ${(result.applyMs / 1000).toFixed(2)} s wall, ${result.pankaCallsPerSecond.toFixed(0)} calls/s`,
			`  bare:  ${(result.bareMs / 1000).toFixed(2)} s, ${result.bareCallsPerSecond.toFixed(0)} calls/s (same calls, same concurrency)`,
			`  replay refusals: ${result.bareFailures}${result.bareDiverged ? `; not met by the apply: ${result.bareDiverged}` : ''}`,
			'',
		].join('\n'),
	);
}
