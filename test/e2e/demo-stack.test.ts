/**
 * The whole demo stack (demo/notification-platform) applied on moto through the binary, then
 * destroyed: every kind's provider, the cross-service wiring checked through AWS, and a secrets
 * scan of everything panka wrote or printed.
 */
import {cpSync, readdirSync, readFileSync, statSync} from 'node:fs';
import path from 'node:path';
import {CloudWatchLogsClient, DescribeLogGroupsCommand} from '@aws-sdk/client-cloudwatch-logs';
import {DynamoDBClient, ListTablesCommand} from '@aws-sdk/client-dynamodb';
import {
	DescribeClustersCommand,
	DescribeServicesCommand,
	DescribeTaskDefinitionCommand,
	ECSClient,
	ListClustersCommand,
} from '@aws-sdk/client-ecs';
import {DescribeLoadBalancersCommand, ElasticLoadBalancingV2Client} from '@aws-sdk/client-elastic-load-balancing-v2';
import {EventBridgeClient, ListRulesCommand} from '@aws-sdk/client-eventbridge';
import {IAMClient, ListRolesCommand} from '@aws-sdk/client-iam';
import {LambdaClient, ListFunctionsCommand} from '@aws-sdk/client-lambda';
import {DescribeDBInstancesCommand, DescribeDBSnapshotsCommand, RDSClient} from '@aws-sdk/client-rds';
import {CreateSecretCommand, SecretsManagerClient} from '@aws-sdk/client-secrets-manager';
import {ListTopicsCommand, SNSClient} from '@aws-sdk/client-sns';
import {ListQueuesCommand, SQSClient} from '@aws-sdk/client-sqs';
import {expect, it} from 'vitest';
import {describeAws, useMoto} from '../helpers/moto.js';
import {pankaWorld} from '../helpers/panka-world.js';
import {demoStack, demoTenant, tempDir} from '../helpers/stack-fixture.js';

const prefix = 'notifications-team-notification-platform-production-';

function filesUnder(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const full = path.join(dir, name);
		return statSync(full).isDirectory() ? filesUnder(full) : [full];
	});
}

async function activeClusters(ecs: ECSClient, arns: string[]): Promise<string[]> {
	if (arns.length === 0) return [];
	const {clusters = []} = await ecs.send(new DescribeClustersCommand({clusters: arns}));
	return clusters.filter((c) => c.status === 'ACTIVE').map((c) => c.clusterArn ?? '');
}

describeAws('the demo stack end to end', () => {
	// api-server runs 3 replicas; moto reports this many running tasks for every new service.
	const moto = useMoto({managedPolicies: true, env: {MOTO_ECS_SERVICE_RUNNING: '3'}});

	it('applies every component, wires them through AWS, leaks no secret, and destroys everything', async () => {
		const world = pankaWorld(moto.env, {network: true});
		expect(world.run(['admin', 'init', '--backend', `s3://panka-demo-e2e-${Date.now().toString(36)}`]).code).toBe(0);
		const init = world.run([
			'admin',
			'tenant',
			'init',
			'notifications-team',
			'--aws-account',
			'123456789012',
			'--region',
			'us-east-1',
			'--vpc-cidr',
			'10.0.0.0/16',
			'--nat-gateway',
			'--config',
			demoTenant,
		]);
		expect(init.code, init.stderr).toBe(0);
		// The contract's summary, then the networking provisioned for real.
		expect(init.stdout).toMatch(/^✓ Tenant created: notifications-team\n✓ VPC configured: 10\.0\.0\.0\/16\n/);
		expect(init.stdout).toMatch(/\n✓ Networking provisioned: vpc-\w+, 4 subnets, 1 NAT gateway/);
		const tenant = {...moto.env, PANKA_TENANT: 'notifications-team', PANKA_TENANT_SECRET: world.secretIn(init.stdout)};
		const dir = path.join(tempDir(), 'notification-platform');
		cpSync(demoStack, dir, {recursive: true});

		// A known database password, so the scan below can look for it.
		const password = `Demo-Pw-${Date.now().toString(36)}-Secret!`;
		await moto
			.clients()
			.get(SecretsManagerClient)
			.send(new CreateSecretCommand({Name: 'panka/notifications-team/production/api/db-password', SecretString: password}));

		// The demo's production: three API tasks on a multi-AZ database, protected (applying it names it).
		const plan = world.run(['plan', dir, '--env', 'production', '--json', '--out', path.join(world.root, 'demo.plan.json')], tenant);
		expect(plan.code, plan.stderr).toBe(0);
		// Its first deploy opens it to the internet and grants its roles access: CI approves that on its own.
		const apply = world.run(
			['apply', dir, '--env', 'production', '--confirm-env', 'production', '--yes', '--approve-broadening', '--json'],
			tenant,
		);
		const events = apply.stdout
			.trim()
			.split('\n')
			.map((line) => JSON.parse(line));
		const summary = events.at(-1);
		expect(summary, apply.stderr).toMatchObject({type: 'summary', failed: [], skipped: []});
		// Ten resources and, before those in the tenant VPC, the stack security group: every step apply.start listed.
		expect(summary.done).toHaveLength(11);
		expect(summary.done).toContain('stack#security-group');
		expect(events.find((e) => e.type === 'apply.start').changes).toHaveLength(11);
		expect(events.find((e) => e.type === 'resource.done' && e.address === 'stack#security-group')).toMatchObject({action: 'create'});
		expect(summary.outputs['api-server.endpoint']).toMatch(/^http:\/\/.*elb/);

		// Cross-service wiring: the task definition carries what AWS reports for its dependencies.
		const clients = moto.clients();
		const dbIdentifier = String(summary.outputs['api-db.arn']).split(':').pop();
		const db = (await clients.get(RDSClient).send(new DescribeDBInstancesCommand({DBInstanceIdentifier: dbIdentifier}))).DBInstances![0]!;
		expect(db.DBInstanceIdentifier).toMatch(new RegExp(`^${prefix}ap-[0-9a-f]{8}$`));
		const queueUrl = (
			await clients.get(SQSClient).send(new ListQueuesCommand({QueueNamePrefix: `${prefix}notification-queue`}))
		).QueueUrls!.find((u) => u.endsWith(`/${summary.outputs['notification-queue.queueName']}`))!;
		const service = (
			await clients.get(ECSClient).send(
				new DescribeServicesCommand({
					cluster: summary.outputs['api-server.clusterName'],
					services: [summary.outputs['api-server.serviceName']],
				}),
			)
		).services![0]!;
		const taskDefinition = (await clients.get(ECSClient).send(new DescribeTaskDefinitionCommand({taskDefinition: service.taskDefinition!})))
			.taskDefinition!;
		const environment = Object.fromEntries(taskDefinition.containerDefinitions![0]!.environment!.map((e) => [e.name, e.value]));
		expect(environment).toMatchObject({
			DB_HOST: db.Endpoint!.Address,
			QUEUE_URL: queueUrl,
			UPLOADS_BUCKET: summary.outputs['uploads-bucket.bucketName'],
			ENV: 'production',
			PORT: '8080',
		});
		expect(taskDefinition.containerDefinitions![0]!.secrets).toEqual([
			{
				name: 'DB_PASSWORD',
				valueFrom: expect.stringMatching(/^arn:aws:secretsmanager:.*:secret:panka\/notifications-team\/production\/api\/db-password/),
			},
		]);
		expect(service.networkConfiguration?.awsvpcConfiguration?.assignPublicIp).toBe('DISABLED');
		const balancers = (await clients.get(ElasticLoadBalancingV2Client).send(new DescribeLoadBalancersCommand({}))).LoadBalancers ?? [];
		expect(balancers.map((b) => `http://${b.DNSName}`)).toContain(summary.outputs['api-server.endpoint']);

		// The secret value appears nowhere panka wrote or printed.
		const written = [
			apply.stdout,
			apply.stderr,
			plan.stdout,
			plan.stderr,
			...filesUnder(world.root).map((f) => readFileSync(f, 'utf8')),
		].join('\n');
		expect(written).not.toContain(password);
		const state = world.run(['state', 'show', 'api/api-db', '--stack', dir, '--env', 'production'], tenant);
		expect(state.stdout).not.toContain(password);

		// Destroy removes everything; AWS lists show nothing of the stack afterwards.
		const destroy = world.run(
			['destroy', dir, '--env', 'production', '--confirm-env', 'production', '--yes', '--no-tui', '--skip-final-snapshot'],
			tenant,
		);
		expect(destroy.code, `${destroy.stdout}\n${destroy.stderr}`).toBe(0);
		const leftovers = {
			queues: (await clients.get(SQSClient).send(new ListQueuesCommand({QueueNamePrefix: prefix}))).QueueUrls ?? [],
			tables: ((await clients.get(DynamoDBClient).send(new ListTablesCommand({}))).TableNames ?? []).filter((n) => n.startsWith(prefix)),
			topics: ((await clients.get(SNSClient).send(new ListTopicsCommand({}))).Topics ?? []).filter((t) => t.TopicArn?.includes(prefix)),
			functions: ((await clients.get(LambdaClient).send(new ListFunctionsCommand({}))).Functions ?? []).filter((f) =>
				f.FunctionName?.startsWith(prefix),
			),
			databases: ((await clients.get(RDSClient).send(new DescribeDBInstancesCommand({}))).DBInstances ?? []).filter((d) =>
				d.DBInstanceIdentifier?.startsWith(prefix),
			),
			balancers: ((await clients.get(ElasticLoadBalancingV2Client).send(new DescribeLoadBalancersCommand({}))).LoadBalancers ?? []).length,
			// moto keeps deleted clusters listed (AWS does not): their status tells.
			clusters: await activeClusters(
				clients.get(ECSClient),
				((await clients.get(ECSClient).send(new ListClustersCommand({}))).clusterArns ?? []).filter((a) => a.includes(prefix)),
			),
			rules: ((await clients.get(EventBridgeClient).send(new ListRulesCommand({}))).Rules ?? []).filter((r) => r.Name?.startsWith(prefix)),
			roles: ((await clients.get(IAMClient).send(new ListRolesCommand({}))).Roles ?? []).filter((r) =>
				r.RoleName?.startsWith('notifications-team-notification'),
			),
			logGroups:
				(
					await clients
						.get(CloudWatchLogsClient)
						.send(new DescribeLogGroupsCommand({logGroupNamePrefix: '/panka/notifications-team/notification-platform/'}))
				).logGroups ?? [],
			// The database has backups on, so only --skip-final-snapshot explains no final snapshot.
			snapshots: ((await clients.get(RDSClient).send(new DescribeDBSnapshotsCommand({}))).DBSnapshots ?? []).filter((s) =>
				s.DBInstanceIdentifier?.startsWith(prefix),
			),
		};
		expect(leftovers, destroy.stdout).toEqual({
			queues: [],
			tables: [],
			topics: [],
			functions: [],
			databases: [],
			balancers: 0,
			clusters: [],
			rules: [],
			roles: [],
			logGroups: [],
			snapshots: [],
		});
	}, 240_000);
});
