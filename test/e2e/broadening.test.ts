/**
 * Changes that widen access in CI, through the built binary on moto, checked with describe calls:
 * `--yes` applies everything else and holds back a new ingress from 0.0.0.0/0 (the run ends
 * awaiting approval, exit 1, naming what widens); `--yes --approve-broadening` then applies it.
 * A tenant whose rule is `never` applies it on `--yes` alone; one whose rule is `any-change`
 * refuses `--yes` before anything runs.
 */
import {readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {DescribeSecurityGroupRulesCommand, DescribeSecurityGroupsCommand, EC2Client} from '@aws-sdk/client-ec2';
import {GetQueueAttributesCommand, GetQueueUrlCommand, SQSClient} from '@aws-sdk/client-sqs';
import {expect, it} from 'vitest';
import {dataStack, vpcDataStack} from '../helpers/data-stack.js';
import {expectEvents} from '../helpers/json-schemas.js';
import {describeAws, useMoto} from '../helpers/moto.js';
import {pankaWorld} from '../helpers/panka-world.js';

/** The ingress rules on port 22 of the stack's security group, read from EC2: their IPv4 sources. */
async function sshSources(ec2: EC2Client, stack: string): Promise<Array<string | undefined>> {
	const filters = [
		{Name: 'tag:panka:stack', Values: [stack]},
		{Name: 'tag:panka:component', Values: ['stack-security-group']},
	];
	const [group] = (await ec2.send(new DescribeSecurityGroupsCommand({Filters: filters}))).SecurityGroups ?? [];
	const rules =
		(await ec2.send(new DescribeSecurityGroupRulesCommand({Filters: [{Name: 'group-id', Values: [group!.GroupId!]}]})))
			.SecurityGroupRules ?? [];
	return rules.filter((rule) => !rule.IsEgress && rule.FromPort === 22).map((rule) => rule.CidrIpv4);
}

const sshFromAnywhere =
	'spec:\n  networking:\n    securityGroup:\n      ingress:\n        - port: 22\n          protocol: tcp\n          cidrBlocks: ["0.0.0.0/0"]\n';

describeAws('changes that widen access, in CI', () => {
	const moto = useMoto({managedPolicies: true});

	it('--yes holds a new ingress from the internet back and applies the rest; --approve-broadening applies it', async () => {
		const world = pankaWorld(moto.env, {network: true});
		expect(world.run(['admin', 'init']).code).toBe(0);
		const {tenant} = world.initTenant('acme', {vpcCidr: '10.40.0.0/16'});
		const name = `wide-${Date.now().toString(36)}`;
		const stack = vpcDataStack({stack: name});
		const first = world.run(['apply', stack, '--yes', '--no-tui'], tenant);
		expect(first.code, first.stdout + first.stderr).toBe(0);

		const clients = moto.clients();
		const ec2 = clients.get(EC2Client);
		const sshRules = () => sshSources(ec2, name);
		expect(await sshRules()).toEqual([]);

		// SSH from anywhere on the stack's group, and a queue setting that widens nothing.
		writeFileSync(path.join(stack, 'stack.yaml'), `${readFileSync(path.join(stack, 'stack.yaml'), 'utf8')}${sshFromAnywhere}`);
		const resources = path.join(stack, 'services', 'data', 'resources.yaml');
		writeFileSync(resources, readFileSync(resources, 'utf8').replace('visibilityTimeout: 60', 'visibilityTimeout: 90'));

		const plan = world.run(['plan', stack, '--no-tui'], tenant);
		expect(plan.stdout).toContain('⚠ widens access: ingress 22/tcp from 0.0.0.0/0 (the internet) on the stack security group');
		expect(plan.stdout).toContain('1 change widens access and needs its own approval (in the review, or --approve-broadening with --yes):');

		const held = world.run(['apply', stack, '--yes', '--json'], tenant);
		expect(held.code, held.stderr).toBe(1);
		const summary = expectEvents(held.stdout).at(-1) as {type: string; outcome: {kind: string; headline: string; details: string[]}};
		expect(summary).toMatchObject({type: 'summary', outcome: {kind: 'awaiting-approval'}});
		expect(summary.outcome.headline).toBe(
			'⚠ Applied 1 of 2 changes; 1 skipped: the stack is not fully deployed: 1 change that widens access waits for its own approval',
		);
		expect(summary.outcome.details).toEqual([
			'stack#security-group: widens access (ingress 22/tcp from 0.0.0.0/0 (the internet) on the stack security group); pass --approve-broadening to apply it',
		]);
		const sqs = clients.get(SQSClient);
		const list = JSON.parse(world.run(['state', 'list', '--stack', stack, '--json'], tenant).stdout);
		const queueId: string = list.resources.find((r: {address: string}) => r.address === 'data/orders-queue').physicalId;
		const queueUrl = (await sqs.send(new GetQueueUrlCommand({QueueName: queueId.split('/').pop()}))).QueueUrl;
		const visibility = async () =>
			(await sqs.send(new GetQueueAttributesCommand({QueueUrl: queueUrl, AttributeNames: ['VisibilityTimeout']}))).Attributes
				?.VisibilityTimeout;
		expect(await visibility()).toBe('90');
		expect(await sshRules()).toEqual([]);
		// The history says so too: the run made only some of the plan's changes.
		const deployments = JSON.parse(world.run(['history', stack, '--json'], tenant).stdout).deployments;
		expect(deployments[0].outcome).toBe('partial');

		const approved = world.run(['apply', stack, '--yes', '--approve-broadening', '--no-tui'], tenant);
		expect(approved.code, approved.stdout + approved.stderr).toBe(0);
		expect(approved.stdout).toContain('✓ Stack deployed successfully!');
		expect(await sshRules()).toEqual(['0.0.0.0/0']);
		expect(world.run(['plan', stack, '--no-tui'], tenant).stdout).toContain('No changes.');
	}, 120_000);

	it('a tenant whose rule is never applies what widens access on --yes alone', async () => {
		const world = pankaWorld(moto.env, {network: true});
		expect(world.run(['admin', 'init']).code).toBe(0);
		const {tenant} = world.initTenant('open', {vpcCidr: '10.42.0.0/16', more: ['--require-approval', 'never']});
		const name = `open-${Date.now().toString(36)}`;
		const stack = vpcDataStack({stack: name, tenant: 'open'});
		writeFileSync(path.join(stack, 'stack.yaml'), `${readFileSync(path.join(stack, 'stack.yaml'), 'utf8')}${sshFromAnywhere}`);
		const apply = world.run(['apply', stack, '--yes', '--no-tui'], tenant);
		expect(apply.code, apply.stdout + apply.stderr).toBe(0);
		expect(apply.stderr).not.toContain('held back');
		expect(await sshSources(moto.clients().get(EC2Client), name)).toEqual(['0.0.0.0/0']);
	}, 120_000);

	it('a tenant that requires approval of any change refuses --yes before anything runs', async () => {
		const world = pankaWorld(moto.env, {network: true});
		expect(world.run(['admin', 'init']).code).toBe(0);
		const {tenant} = world.initTenant('strict', {vpcCidr: '10.41.0.0/16', more: ['--require-approval', 'any-change']});
		const stack = dataStack({stack: `strict-${Date.now().toString(36)}`, tenant: 'strict'});
		const refused = world.run(['apply', stack, '--yes', '--approve-broadening', '--no-tui'], tenant);
		expect(refused.stderr).toContain(
			'panka: apply refused: tenant strict requires every change to be approved in a review (requireApproval: any-change); --yes is not enough',
		);
		expect(refused.code).toBe(1);
		expect(world.run(['state', 'list', '--stack', stack, '--json'], tenant).stdout).not.toContain('orders-queue');
	}, 60_000);
});
