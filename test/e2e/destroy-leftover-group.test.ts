/**
 * A stack security group that outlives the stack's resources (in AWS its delete can fail while
 * Lambda ENIs are still being released) is deleted by the next `panka destroy`, instead of the
 * destroy saying "nothing to destroy" and forgetting the group. Through the binary on moto,
 * checked with EC2 describe calls.
 */
import {DescribeSecurityGroupsCommand, EC2Client} from '@aws-sdk/client-ec2';
import {expect, it} from 'vitest';
import {vpcDataStack} from '../helpers/data-stack.js';
import {describeAws, useMoto} from '../helpers/moto.js';
import {pankaWorld} from '../helpers/panka-world.js';

describeAws('destroy and the stack security group', () => {
	const moto = useMoto({managedPolicies: true});

	it('a group left behind by an earlier destroy is deleted by the next one, then the state goes', async () => {
		const world = pankaWorld(moto.env, {network: true});
		expect(world.run(['admin', 'init']).code).toBe(0);
		const {tenant} = world.initTenant('acme', {vpcCidr: '10.30.0.0/16'});
		const name = `sg-${Date.now().toString(36)}`;
		const stack = vpcDataStack({stack: name});
		const apply = world.run(['apply', stack, '--yes', '--no-tui'], tenant);
		expect(apply.code, apply.stdout + apply.stderr).toBe(0);

		const groups = async () =>
			(
				await moto
					.clients()
					.get(EC2Client)
					.send(
						new DescribeSecurityGroupsCommand({
							Filters: [
								{Name: 'tag:panka:stack', Values: [name]},
								{Name: 'tag:panka:component', Values: ['stack-security-group']},
							],
						}),
					)
			).SecurityGroups ?? [];
		expect(await groups()).toHaveLength(1);

		// Every resource is forgotten (as after a destroy whose last step, the group, failed): only the group is recorded.
		for (const address of ['data/ingest', 'data/orders-table', 'data/order-events', 'data/orders-queue', 'data/uploads'])
			expect(world.run(['state', 'remove', address, '--stack', stack, '--yes'], tenant).code).toBe(0);

		const destroy = world.run(['destroy', stack, '--yes', '--no-tui'], tenant);
		expect(destroy.code, destroy.stdout + destroy.stderr).toBe(0);
		expect(destroy.stdout).toMatch(/Only the stack's security group sg-\w+ is left .*: deleting it/);
		expect(destroy.stdout).not.toContain('Nothing to destroy');
		expect(await groups()).toEqual([]);
		expect(world.run(['destroy', stack, '--yes', '--no-tui'], tenant).stdout).toContain('Nothing to destroy');
	}, 90_000);
});
