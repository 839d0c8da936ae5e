/**
 * panka in the AWS environment users really have, through the binary on moto, checked through AWS
 * describe calls in each region:
 * - a shell's AWS_REGION names another region than the tenant's: every resource of the tenant's
 *   stacks still lands in the tenant's region (and nothing in the shell's), networking included;
 * - HTTPS_PROXY / HTTP_PROXY: every AWS call goes through the proxy (one on 127.0.0.1 in front of
 *   moto), and NO_PROXY sends them past it;
 * - tenant init records no role nobody creates: --create-role shows and creates one (trusting the
 *   admin), and init and login say whether STS lets the caller act in the tenant's account.
 */
import {ListTablesCommand, DynamoDBClient} from '@aws-sdk/client-dynamodb';
import {DescribeSecurityGroupsCommand, EC2Client} from '@aws-sdk/client-ec2';
import {GetRoleCommand, GetRolePolicyCommand, IAMClient} from '@aws-sdk/client-iam';
import {LambdaClient, ListFunctionsCommand} from '@aws-sdk/client-lambda';
import {GetBucketLocationCommand, S3Client} from '@aws-sdk/client-s3';
import {ListTopicsCommand, SNSClient} from '@aws-sdk/client-sns';
import {ListQueuesCommand, SQSClient} from '@aws-sdk/client-sqs';
import {afterEach, expect, it} from 'vitest';
import {dataStack, vpcDataStack} from '../helpers/data-stack.js';
import {startTestProxy, type TestProxy} from '../helpers/http-proxy.js';
import {describeAws, useMoto} from '../helpers/moto.js';
import {pankaWorld} from '../helpers/panka-world.js';

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
		return {world, tenant: world.initTenant('acme', {vpcCidr: '10.40.0.0/16'}).tenant};
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
		// Sorted by the name without its identity hash, so the order does not depend on the hash.
		const unhashed = (name: string) => name.replace(/-[0-9a-f]{8}$/, '');
		const named = (names: Array<string | undefined>) =>
			names.filter((n): n is string => Boolean(n?.includes(prefix))).sort((a, b) => unhashed(a).localeCompare(unhashed(b)));
		return {
			queues: named((queues.QueueUrls ?? []).map((url) => url.split('/').pop())),
			tables: named(tables.TableNames ?? []),
			topics: named((topics.Topics ?? []).map((t) => t.TopicArn?.split(':').pop())),
			functions: named((functions.Functions ?? []).map((f) => f.FunctionName)),
			securityGroups: (groups.SecurityGroups ?? []).map((g) => g.GroupName).sort(),
		};
	}

	const hashed = (name: string) => expect.stringMatching(new RegExp(`^${name}-[0-9a-f]{8}$`));

	it("a shell's AWS_REGION does not move the tenant's resources: all of them land in the tenant's region", async () => {
		const {world, tenant} = tenantWorld({AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'eu-west-1'});
		const name = `rg-${Date.now().toString(36)}`;
		const apply = world.run(['apply', vpcDataStack({stack: name}), '--yes', '--no-tui'], tenant);
		expect(apply.stdout).toMatch(/✓ Stack deployed successfully!/);
		expect(apply.code, apply.stderr).toBe(0);
		expect(apply.stdout).toMatch(/orders-queue\.queueUrl = .*acme-rg-/);

		const prefix = `acme-${name}-test-`;
		const home = await resourcesIn('us-east-1', prefix);
		expect(home).toEqual({
			// Names carry the identity hash (component names with a hyphen are ambiguous without it).
			queues: [hashed(`${prefix}orders-queue`), hashed(`${prefix}orders-queue-dlq`)],
			tables: [hashed(`${prefix}orders-table`)],
			topics: [hashed(`${prefix}order-events`)],
			functions: [hashed(`${prefix}ingest`)],
			securityGroups: ['acme-default-sg', expect.stringMatching(new RegExp(`^${prefix}`))],
		});
		expect(await resourcesIn('eu-west-1', prefix)).toEqual({queues: [], tables: [], topics: [], functions: [], securityGroups: []});
		const state = JSON.parse(world.run(['state', 'list', '--stack', vpcDataStack({stack: name}), '--json'], tenant).stdout);
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

	it('--create-role shows, creates and records the role, trusting the admin; init and login check it with STS', async () => {
		const world = pankaWorld(moto.env, {network: true});
		expect(world.run(['admin', 'init']).code).toBe(0);
		const {result: init, tenant} = world.initTenant('roles', {more: ['--create-role', '--no-network']});
		expect(init.stdout).toContain(
			'Role panka-roles for tenant roles, in account 123456789012:\n  trust policy: {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/moto"},"Action":"sts:AssumeRole"}]}\n',
		);
		expect(init.stdout).toMatch(/^ {2}permissions \(inline policy panka-deploy\): ec2:\*, ecs:\*, .*iam:PassRole.* on \*$/m);
		expect(init.stdout).toMatch(/^✓ Role created: arn:aws:iam::123456789012:role\/panka-roles$/m);
		expect(init.stdout).toMatch(
			/^✓ AWS access: arn:aws:sts::123456789012:user\/moto can assume arn:aws:iam::123456789012:role\/panka-roles \(account 123456789012\)$/m,
		);
		const iam = moto.clients().get(IAMClient);
		const role = await iam.send(new GetRoleCommand({RoleName: 'panka-roles'}));
		expect(JSON.parse(decodeURIComponent(role.Role?.AssumeRolePolicyDocument ?? ''))).toMatchObject({
			Statement: [{Principal: {AWS: 'arn:aws:iam::123456789012:user/moto'}}],
		});
		expect(role.Role?.Tags).toEqual(expect.arrayContaining([{Key: 'panka:tenant', Value: 'roles'}]));
		const policy = await iam.send(new GetRolePolicyCommand({RoleName: 'panka-roles', PolicyName: 'panka-deploy'}));
		expect(decodeURIComponent(policy.PolicyDocument ?? '')).toContain('"sqs:*"');
		expect(world.run(['admin', 'tenant', 'show', 'roles']).stdout).toMatch(
			/^AWS +account 123456789012, region us-east-1, role arn:aws:iam::123456789012:role\/panka-roles$/m,
		);

		const login = world.run(['login', '--tenant', 'roles'], {PANKA_TENANT_SECRET: tenant.PANKA_TENANT_SECRET});
		expect(login.code).toBe(0);
		expect(login.stdout).toMatch(
			/^✓ AWS access: arn:aws:sts::123456789012:user\/moto can assume arn:aws:iam::123456789012:role\/panka-roles/m,
		);

		// No role, and credentials for another account: said at init, and the networking waits.
		const elsewhere = world.run(['admin', 'tenant', 'init', 'elsewhere', '--aws-account', '222222222222', '--region', 'us-east-1']);
		expect(elsewhere.stderr).toMatch(
			/✗ AWS access: your AWS identity arn:aws:sts::123456789012:user\/moto is in account 123456789012, but tenant elsewhere is account 222222222222 and records no role to reach it\nhint: /,
		);
		expect(elsewhere.stderr).toMatch(/Networking not provisioned: fix the AWS access, then run panka admin tenant update elsewhere/);
		expect(elsewhere.code).toBe(1);
		// --create-role cannot make a role in an account the credentials are not for: refused, after showing the policies.
		const refused = world.run([
			'admin',
			'tenant',
			'init',
			'faraway',
			'--aws-account',
			'333333333333',
			'--region',
			'us-east-1',
			'--create-role',
		]);
		expect(refused.stdout).toMatch(/Role panka-faraway for tenant faraway, in account 333333333333:/);
		expect(refused.stderr).toMatch(
			/--create-role creates the role with your credentials, which are for account 123456789012, not the tenant's account 333333333333/,
		);
		expect(refused.code).toBe(1);
		expect(world.run(['admin', 'tenant', 'show', 'faraway']).code).not.toBe(0);
	}, 120_000);
});
