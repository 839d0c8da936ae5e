/**
 * panka in the AWS environment users really have, through the binary on moto, checked through AWS
 * describe calls in each region:
 * - a shell's AWS_REGION names another region than the tenant's: every resource of the tenant's
 *   stacks still lands in the tenant's region (and nothing in the shell's), networking included;
 * - HTTPS_PROXY / HTTP_PROXY: every AWS call goes through the proxy (one on 127.0.0.1 in front of
 *   moto), and NO_PROXY sends them past it.
 */
import {mkdirSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {ListTablesCommand, DynamoDBClient} from '@aws-sdk/client-dynamodb';
import {DescribeSecurityGroupsCommand, EC2Client} from '@aws-sdk/client-ec2';
import {LambdaClient, ListFunctionsCommand} from '@aws-sdk/client-lambda';
import {GetBucketLocationCommand, S3Client} from '@aws-sdk/client-s3';
import {ListTopicsCommand, SNSClient} from '@aws-sdk/client-sns';
import {ListQueuesCommand, SQSClient} from '@aws-sdk/client-sqs';
import {afterEach, expect, it} from 'vitest';
import {dataStack} from '../helpers/data-stack.js';
import {startTestProxy, type TestProxy} from '../helpers/http-proxy.js';
import {describeAws, useMoto} from '../helpers/moto.js';
import {pankaWorld} from '../helpers/panka-world.js';

const vpcFunction =
	'apiVersion: components.panka.io/v1\nkind: Lambda\nmetadata:\n  name: ingest\nspec:\n  runtime: nodejs24.x\n  handler: index.handler\n  code:\n    path: ./src\n  vpc:\n    enabled: true\n';

describeAws('the AWS environment users really have', () => {
	const moto = useMoto({managedPolicies: true});
	let proxy: TestProxy | undefined;
	afterEach(async () => {
		await proxy?.close();
		proxy = undefined;
	});

	/** An admin on an S3 backend and tenant acme in us-east-1, from a shell with `shell` in its environment. */
	function tenantWorld(shell: Record<string, string> = {}) {
		const world = pankaWorld({...moto.env, ...shell}, {network: true});
		const bucket = `panka-env-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
		const admin = world.run(['admin', 'init', '--backend', `s3://${bucket}/state`]);
		expect(admin.code, admin.stderr).toBe(0);
		const init = world.run([
			'admin',
			'tenant',
			'init',
			'acme',
			'--aws-account',
			'123456789012',
			'--region',
			'us-east-1',
			'--vpc-cidr',
			'10.40.0.0/16',
		]);
		expect(init.code, init.stderr).toBe(0);
		return {world, tenant: {PANKA_TENANT: 'acme', PANKA_TENANT_SECRET: world.secretIn(init.stdout)}};
	}

	function stackWithVpcFunction(name: string): string {
		const stack = dataStack({stack: name, extra: vpcFunction});
		mkdirSync(path.join(stack, 'services', 'data', 'src'), {recursive: true});
		writeFileSync(path.join(stack, 'services', 'data', 'src', 'index.mjs'), 'export const handler = async () => ({});\n');
		return stack;
	}

	/** The stack's resources as each region's API lists them. */
	async function resourcesIn(region: string, prefix: string) {
		const clients = moto.clients({region});
		const [queues, tables, topics, functions, groups] = await Promise.all([
			clients.get(SQSClient).send(new ListQueuesCommand({QueueNamePrefix: prefix})),
			clients.get(DynamoDBClient).send(new ListTablesCommand({})),
			clients.get(SNSClient).send(new ListTopicsCommand({})),
			clients.get(LambdaClient).send(new ListFunctionsCommand({})),
			clients.get(EC2Client).send(new DescribeSecurityGroupsCommand({Filters: [{Name: 'tag:panka:tenant', Values: ['acme']}]})),
		]);
		const named = (names: Array<string | undefined>) => names.filter((n): n is string => Boolean(n?.includes(prefix))).sort();
		return {
			queues: named((queues.QueueUrls ?? []).map((url) => url.split('/').pop())),
			tables: named(tables.TableNames ?? []),
			topics: named((topics.Topics ?? []).map((t) => t.TopicArn?.split(':').pop())),
			functions: named((functions.Functions ?? []).map((f) => f.FunctionName)),
			securityGroups: (groups.SecurityGroups ?? []).map((g) => g.GroupName).sort(),
		};
	}

	it("a shell's AWS_REGION does not move the tenant's resources: all of them land in the tenant's region", async () => {
		const {world, tenant} = tenantWorld({AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'eu-west-1'});
		const name = `rg-${Date.now().toString(36)}`;
		const apply = world.run(['apply', stackWithVpcFunction(name), '--yes', '--no-tui'], tenant);
		expect(apply.stdout).toMatch(/✓ Stack deployed successfully!/);
		expect(apply.code, apply.stderr).toBe(0);
		expect(apply.stdout).toMatch(/orders-queue\.queueUrl = .*acme-rg-/);

		const prefix = `acme-${name}-test-`;
		const home = await resourcesIn('us-east-1', prefix);
		expect(home).toEqual({
			queues: [`${prefix}orders-queue`, `${prefix}orders-queue-dlq`],
			tables: [`${prefix}orders-table`],
			topics: [`${prefix}order-events`],
			functions: [`${prefix}ingest`],
			securityGroups: ['acme-default-sg', expect.stringMatching(new RegExp(`^${prefix}`))],
		});
		expect(await resourcesIn('eu-west-1', prefix)).toEqual({queues: [], tables: [], topics: [], functions: [], securityGroups: []});
		const state = JSON.parse(world.run(['state', 'list', '--stack', stackWithVpcFunction(name), '--json'], tenant).stdout);
		const bucket = state.resources.find((r: {address: string}) => r.address === 'data/uploads').physicalId as string;
		const location = await moto
			.clients()
			.get(S3Client)
			.send(new GetBucketLocationCommand({Bucket: bucket}));
		// us-east-1 is the location AWS reports as empty.
		expect(location.LocationConstraint ?? 'us-east-1').toBe('us-east-1');
	}, 180_000);

	it('HTTPS_PROXY / HTTP_PROXY: every AWS call goes through the proxy; NO_PROXY sends them past it', async () => {
		proxy = await startTestProxy();
		const motoHost = new URL(moto.endpoint).host;
		const {world, tenant} = tenantWorld({HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url, NO_PROXY: ''});
		const name = `px-${Date.now().toString(36)}`;
		const apply = world.run(['apply', dataStack({stack: name}), '--yes', '--no-tui'], tenant);
		expect(apply.code, apply.stderr).toBe(0);
		const through = proxy.seen().length;
		// admin init, tenant init (networking), apply: dozens of calls, every one to moto through the proxy.
		expect(through).toBeGreaterThan(30);
		expect(new Set(proxy.seen())).toEqual(new Set([motoHost]));

		const bypassed = world.run(['stack', 'list'], {...tenant, NO_PROXY: '127.0.0.1'});
		expect(bypassed.code, bypassed.stderr).toBe(0);
		expect(bypassed.stdout).toMatch(new RegExp(`^${name} +test +4 `, 'm'));
		expect(proxy.seen().length).toBe(through);
	}, 180_000);
});
