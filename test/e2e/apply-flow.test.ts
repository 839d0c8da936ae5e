/**
 * The whole user journey on moto, through the built binary, checked through AWS describe calls:
 * admin init on S3 → tenant init (networking provisioned) → apply → drift → plan --refresh →
 * apply restores → state commands → destroy → tenant delete tears the network down.
 */
import {DescribeVpcsCommand, EC2Client} from '@aws-sdk/client-ec2';
import {DescribeTableCommand, DynamoDBClient} from '@aws-sdk/client-dynamodb';
import {GetQueueAttributesCommand, GetQueueUrlCommand, SetQueueAttributesCommand, SQSClient} from '@aws-sdk/client-sqs';
import {expect, it} from 'vitest';
import {dataStack} from '../helpers/data-stack.js';
import {describeAws, useMoto} from '../helpers/moto.js';
import {pankaWorld} from '../helpers/panka-world.js';
import {expectDocument, expectEvents} from '../helpers/json-schemas.js';

describeAws('apply, drift and destroy through the CLI', () => {
	const moto = useMoto();

	it('deploys a stack, reports drift, restores it, destroys it, and tears the tenant network down', async () => {
		const world = pankaWorld(moto.env, {network: true});
		const bucket = `panka-e2e-${Date.now().toString(36)}`;
		expect(world.run(['admin', 'init', '--backend', `s3://${bucket}/state`])).toMatchObject({code: 0});
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
			'10.20.0.0/16',
			'--nat-gateway',
		]);
		expect(init.stderr).toMatch(/^The secret is shown only this once/);
		expect(init.code).toBe(0);
		expect(init.stdout).toMatch(/✓ Networking provisioned: vpc-\w+, 4 subnets, 1 NAT gateway/);
		const tenant = {PANKA_TENANT: 'acme', PANKA_TENANT_SECRET: world.secretIn(init.stdout)};
		const ec2 = moto.clients().get(EC2Client);
		const vpcs = await ec2.send(new DescribeVpcsCommand({Filters: [{Name: 'tag:panka:tenant', Values: ['acme']}]}));
		expect(vpcs.Vpcs?.map((v) => v.CidrBlock)).toEqual(['10.20.0.0/16']);

		const stack = dataStack({stack: `shop-${Date.now().toString(36)}`});
		const apply = world.run(['apply', stack, '--yes', '--no-tui'], tenant);
		expect(apply.stderr).toBe('');
		expect(apply.stdout).toMatch(/📦 Deploying Stack: shop-/);
		expect(apply.stdout).toMatch(/Resources to create: 4/);
		expect(apply.stdout).toMatch(/Creating data\/orders-queue\.\.\. ✓/);
		expect(apply.stdout).toMatch(/✓ Stack deployed successfully!/);
		expect(apply.stdout).toMatch(/Outputs:\n(.*\n)*\s+orders-queue\.queueUrl = http/);
		expect(apply.code).toBe(0);

		const list = JSON.parse(world.run(['state', 'list', '--stack', stack, '--json'], tenant).stdout);
		expect(list.resources.map((r: {address: string}) => r.address).sort()).toEqual([
			'data/order-events',
			'data/orders-queue',
			'data/orders-table',
			'data/uploads',
		]);
		const queueUrl = (
			await moto
				.clients()
				.get(SQSClient)
				.send(
					new GetQueueUrlCommand({
						QueueName: list.resources
							.find((r: {address: string}) => r.address === 'data/orders-queue')
							.physicalId.split('/')
							.pop(),
					}),
				)
		).QueueUrl!;

		// Someone changes the queue outside panka.
		await moto
			.clients()
			.get(SQSClient)
			.send(new SetQueueAttributesCommand({QueueUrl: queueUrl, Attributes: {VisibilityTimeout: '999'}}));
		const drift = world.run(['drift', stack], tenant);
		expect(drift.code).toBe(3); // drift found: not 2, the usage-error code
		expect(drift.stdout).toMatch(/~ data\/orders-queue .* changed outside panka: visibilityTimeout/);
		expect(drift.stdout).toMatch(/visibilityTimeout: 60 \(state\) → 999 \(AWS\)/);
		const refreshed = world.run(['plan', stack, '--refresh', '--detailed-exitcode'], tenant);
		expect(refreshed.code).toBe(2);
		// The refreshed plan is an update back to the configuration, from what AWS has, because of the change outside panka.
		expect(refreshed.stdout).toMatch(
			/~ data\/orders-queue .*\n\s+# changed outside panka: visibilityTimeout\n\s+~ visibilityTimeout: 999 → 60\n/,
		);
		expect(refreshed.stdout).toMatch(/Plan: 0 to add, 1 to change, 0 to replace, 0 to destroy/);
		expect(refreshed.stdout).not.toMatch(/last apply of this resource failed/);
		// The refresh tells its drift first, on stderr; stdout keeps the plan, or its one document under --json.
		const driftTold = /~ data\/orders-queue .* changed outside panka: visibilityTimeout\n[\s\S]*Drift: 1 changed, 0 deleted outside panka/;
		expect(refreshed.stderr).toMatch(driftTold);
		const refreshedJson = world.run(['plan', stack, '--refresh', '--json'], tenant);
		expect(refreshedJson.stderr).toMatch(driftTold);
		expect(JSON.parse(refreshedJson.stdout)).toMatchObject({kind: 'Plan', summary: {update: 1}});
		const applied = world.run(['apply', stack, '--refresh', '--yes', '--no-tui'], tenant);
		expect(applied.code, applied.stderr).toBe(0);
		expect(applied.stderr).toMatch(driftTold);
		const {Attributes} = await moto
			.clients()
			.get(SQSClient)
			.send(new GetQueueAttributesCommand({QueueUrl: queueUrl, AttributeNames: ['VisibilityTimeout']}));
		expect(Attributes?.VisibilityTimeout).toBe('60');
		const clean = world.run(['drift', stack], tenant);
		expect(clean.code, clean.stdout + clean.stderr).toBe(0);

		// JSON events stream one versioned object per line.
		const noop = world.run(['apply', stack, '--yes', '--json'], tenant);
		expect(expectEvents(noop.stdout).at(-1)).toMatchObject({apiVersion: 'panka.io/cli/v1', type: 'summary', failed: []});
		expect(expectDocument(world.run(['state', 'list', '--stack', stack, '--json'], tenant).stdout)).toMatchObject({kind: 'StateList'});

		const tableName = list.resources.find((r: {address: string}) => r.address === 'data/orders-table').physicalId;
		// Without a terminal and without --yes, destroy shows its plan and asks for --yes (a saved plan cannot destroy).
		const unapproved = world.run(['destroy', stack, '--no-tui'], tenant);
		expect(unapproved.code).toBe(2);
		expect(unapproved.stdout).toMatch(/- data\/orders-table .*\n\s+# destroying the stack\n/);
		expect(unapproved.stdout).not.toMatch(/no longer in the stack folder/);
		expect(unapproved.stderr).toMatch(/panka destroy needs approval.*\n.*pass --yes to destroy without asking/);
		expect(unapproved.stderr).not.toMatch(/plan --out/);
		const destroy = world.run(['destroy', stack, '--yes', '--no-tui'], tenant);
		expect(destroy.stdout).toMatch(/✓ Stack destroyed successfully!/);
		expect(destroy.code).toBe(0);
		await expect(
			moto
				.clients()
				.get(DynamoDBClient)
				.send(new DescribeTableCommand({TableName: tableName})),
		).rejects.toMatchObject({name: 'ResourceNotFoundException'});
		await expect(
			moto
				.clients()
				.get(SQSClient)
				.send(new GetQueueAttributesCommand({QueueUrl: queueUrl, AttributeNames: ['All']})),
		).rejects.toBeDefined();
		expect(world.run(['state', 'list', '--stack', stack], tenant).stdout).toMatch(/nothing deployed/);

		const deleted = world.run(['admin', 'tenant', 'delete', 'acme', '--yes']);
		expect(deleted.code).toBe(0);
		expect(deleted.stdout).toMatch(/✓ Networking removed: vpc-/);
		const after = await ec2.send(new DescribeVpcsCommand({Filters: [{Name: 'tag:panka:tenant', Values: ['acme']}]}));
		expect(after.Vpcs).toEqual([]);
	}, 120_000);

	it('refuses to apply without approval when there is no terminal, naming --yes', () => {
		const world = pankaWorld(moto.env);
		const bucket = `panka-e2e-${Date.now().toString(36)}b`;
		world.run(['admin', 'init', '--backend', `s3://${bucket}`]);
		const init = world.run(['admin', 'tenant', 'init', 'globex', '--aws-account', '123456789012', '--region', 'us-east-1']);
		const tenant = {PANKA_TENANT: 'globex', PANKA_TENANT_SECRET: world.secretIn(init.stdout)};
		const result = world.run(['apply', dataStack({stack: 'refused', tenant: 'globex'}), '--no-tui'], tenant);
		expect(result.stderr).toMatch(/needs approval/);
		expect(result.code).toBe(2);
		expect(result.stderr).toMatch(/needs approval.*\n.*--yes/);
		expect(result.stdout).toMatch(/Plan: 4 to add/);
	});
});
