/**
 * A destroy ends with nothing tagged for its stack and environment left in AWS, or names what is
 * left: resources that no state records any more (here: a queue forgotten with `state remove`)
 * are found by their panka identity tags after the destroy and named with the command that deletes
 * them; `--delete-orphans` deletes them, and never a same-prefixed resource without this stack's
 * tags. A damaged state entry is neither deleted nor called a leftover: the destroy ends with no
 * success banner and exit 1, saying the state still records it and how to repair it. Checked through AWS list calls.
 */
import {
	CreateClusterCommand,
	CreateServiceCommand,
	DescribeClustersCommand,
	DescribeServicesCommand,
	ECSClient,
	RegisterTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';
import {EventBridgeClient, ListRulesCommand, PutRuleCommand, PutTargetsCommand} from '@aws-sdk/client-eventbridge';
import {CreateDBInstanceCommand, DescribeDBInstancesCommand, RDSClient} from '@aws-sdk/client-rds';
import {CreateQueueCommand, SQSClient} from '@aws-sdk/client-sqs';
import {expect, it} from 'vitest';
import {stackIdentityTags} from '../../engine/apply/stack-sweep.js';
import {toTagList} from '../../engine/providers/resource-tags.js';
import {basisOf, readState, writeState} from '../../engine/state/state-store.js';
import {convergenceWorld, stackResourceNames} from '../helpers/convergence.js';
import {expectEvents} from '../helpers/json-schemas.js';
import {describeAws, useMoto} from '../helpers/moto.js';

describeAws('the sweep after a destroy', () => {
	const moto = useMoto();

	it('names what no state records, and deletes it with --delete-orphans (owned resources only)', async () => {
		const cw = convergenceWorld(moto, 'local');
		cw.writeStack({queues: 1});
		expect((await cw.run(['apply', cw.dir, '--yes', '--no-tui'])).claimedSuccess).toBe(true);
		const prefix = `acme-${cw.key.stack}-test-`;
		const forgotten = await cw.run(['state', 'remove', 'data/work-0', '--stack', cw.dir, '--yes']);
		expect(forgotten.code, forgotten.stderr).toBe(0);
		const stranger = `${prefix}stranger`;
		await moto
			.clients()
			.get(SQSClient)
			.send(new CreateQueueCommand({QueueName: stranger}));

		// With --json the sweep is one destroy.sweep event after the summary, as its schema says.
		const destroyed = await cw.run(['destroy', cw.dir, '--yes', '--json']);
		expect(destroyed.code, destroyed.stderr).toBe(0);
		const events = expectEvents(destroyed.stdout);
		expect(events.map((e) => e.type).slice(-2)).toEqual(['summary', 'destroy.sweep']);
		expect(events.at(-1)).toMatchObject({
			apiVersion: 'panka.io/cli/v1',
			leftovers: [
				{what: expect.stringMatching(/^SQS queue /), component: 'data/work-0', deleted: false},
				{what: expect.stringMatching(/^SQS queue /), component: 'data/work-0', deleted: false},
			],
		});

		// The stack is gone: the next destroy has nothing to destroy, and names the leftovers on stderr.
		const destroy = await cw.run(['destroy', cw.dir, '--yes', '--no-tui']);
		expect(destroy.code, destroy.stderr).toBe(0);
		expect(destroy.stdout).toMatch(/^Nothing to destroy: /);
		expect(destroy.stderr).toMatch(new RegExp(`^  SQS queue ${prefix}work-0-[0-9a-f]{8} \\(component data/work-0\\)$`, 'm'));
		expect(destroy.stderr).toMatch(new RegExp(`^  SQS queue ${prefix}work-0-dlq-[0-9a-f]{8} \\(component data/work-0\\)$`, 'm'));
		expect(destroy.stderr).toMatch(
			/⚠ 2 resources tagged for this stack are still in AWS and no state records them; delete them with: panka destroy \S+ --env test --delete-orphans/,
		);
		expect(destroy.stderr).not.toContain('stranger');
		// With --json, having nothing to destroy is an event too: stdout holds only events.
		const nothing = await cw.run(['destroy', cw.dir, '--yes', '--json']);
		expect(nothing.code, nothing.stderr).toBe(0);
		expect(expectEvents(nothing.stdout).map((e) => e.type)).toEqual(['destroy.nothing', 'destroy.sweep']);
		// In any order: the queues' hash suffixes decide how they sort.
		const left = await stackResourceNames(moto.clients(), prefix);
		expect(left).toHaveLength(3);
		expect(left).toEqual(
			expect.arrayContaining([stranger, expect.stringMatching(/work-0-[0-9a-f]{8}$/), expect.stringMatching(/work-0-dlq-[0-9a-f]{8}$/)]),
		);

		const sweep = await cw.run(['destroy', cw.dir, '--yes', '--no-tui', '--delete-orphans']);
		expect(sweep.code).toBe(0);
		expect(sweep.stderr).toMatch(new RegExp(`^  deleted SQS queue ${prefix}work-0-[0-9a-f]{8} \\(component data/work-0\\)$`, 'm'));
		expect(sweep.stderr).toMatch(/Deleted 2 leftovers no state recorded\./);
		expect(await stackResourceNames(moto.clients(), prefix)).toEqual([stranger]);

		// Nothing left: the destroy adds nothing after its own last line.
		const again = await cw.run(['destroy', cw.dir, '--yes', '--no-tui']);
		expect(again.stdout.trim().split('\n').at(-1)).toMatch(/^Nothing to destroy: /);
		expect(again.stderr).toBe('');
	}, 90_000);

	it('leaves a damaged entry, and says the state still records it, instead of sweeping it as a leftover', async () => {
		const cw = convergenceWorld(moto, 'local');
		cw.writeStack({queues: 0});
		expect((await cw.run(['apply', cw.dir, '--yes', '--no-tui'])).claimedSuccess).toBe(true);
		const stored = (await readState(cw.stateBackend, cw.key))!;
		const damaged = structuredClone(stored.state);
		damaged.resources['data/orders-queue']!.kind = 'Teleporter';
		damaged.serial += 1;
		await writeState(cw.stateBackend, cw.key, damaged, basisOf(stored));

		const destroy = await cw.run(['destroy', cw.dir, '--yes', '--no-tui']);
		// No success banner: the run ends saying the stack is not fully destroyed, naming the entry and its repair.
		expect(destroy.code).toBe(1);
		expect(destroy.stdout).not.toContain('✓ Stack destroyed successfully!');
		const lines = destroy.stdout.trim().split('\n');
		expect(lines.at(-1)).toMatch(
			/^✗ Deleted \d+ of \d+ resources?: the stack is not fully destroyed: the state still records data\/orders-queue, damaged, so nothing was planned for it; repair it as said above, then run panka destroy again$/,
		);
		expect(destroy.stdout).toMatch(
			/^ {2}data\/orders-queue: the state entry is damaged: .*Teleporter.*; to repair it: .*panka state remove data\/orders-queue/m,
		);
		expect(destroy.stderr).not.toMatch(/no state records/);
		// The --json summary carries the same outcome.
		const json = await cw.run(['destroy', cw.dir, '--yes', '--json']);
		expect(json.code).toBe(1);
		const summary = json.stdout
			.trim()
			.split('\n')
			.map((line) => JSON.parse(line) as {type: string; outcome?: {kind: string; details: string[]}})
			.find((event) => event.type === 'summary');
		expect(summary?.outcome?.kind).toBe('held-back');
		expect(summary?.outcome?.details.join('\n')).toContain('panka state remove data/orders-queue');
		const queue = damaged.resources['data/orders-queue']!.physicalNames.primary!;
		expect(await stackResourceNames(moto.clients(), queue)).toContain(queue);
		expect((await cw.audit()).resources).toBe(1);
	}, 90_000);
});

describeAws('the sweep covers every kind panka creates', () => {
	const moto = useMoto();

	it('names an ECS service and cluster, an RDS instance and an EventBridge rule left tagged for the stack, deletes them with --delete-orphans, and never touches those of another stack', async () => {
		const cw = convergenceWorld(moto, 'local');
		cw.writeStack({queues: 0});
		expect((await cw.run(['apply', cw.dir, '--yes', '--no-tui'])).claimedSuccess).toBe(true);
		const clients = moto.clients();
		const ours = stackIdentityTags(cw.key);
		const theirs = {...ours, 'panka:stack': `${cw.key.stack}x`};
		const prefix = `${cw.key.tenant}-${cw.key.stack}-${cw.key.environment}-`;
		const ecs = clients.get(ECSClient);
		const rds = clients.get(RDSClient);
		const events = clients.get(EventBridgeClient);
		const ecsTags = (tags: Record<string, string>) => Object.entries(tags).map(([key, value]) => ({key, value}));
		const family = `${prefix}task`;
		await ecs.send(
			new RegisterTaskDefinitionCommand({
				family,
				containerDefinitions: [{name: 'app', image: 'nginx', memory: 128}],
				requiresCompatibilities: ['EC2'],
			}),
		);
		const leave = async (suffix: string, tags: Record<string, string>) => {
			const name = `${prefix}${suffix}`;
			await ecs.send(new CreateClusterCommand({clusterName: name, tags: ecsTags(tags)}));
			await ecs.send(
				new CreateServiceCommand({cluster: name, serviceName: name, taskDefinition: family, desiredCount: 1, tags: ecsTags(tags)}),
			);
			await rds.send(
				new CreateDBInstanceCommand({
					DBInstanceIdentifier: name,
					DBInstanceClass: 'db.t3.micro',
					Engine: 'postgres',
					MasterUsername: 'panka',
					MasterUserPassword: 'not-a-secret-1',
					AllocatedStorage: 20,
					Tags: toTagList(tags),
				}),
			);
			await events.send(new PutRuleCommand({Name: name, ScheduleExpression: 'rate(5 minutes)', Tags: toTagList(tags)}));
			await events.send(new PutTargetsCommand({Rule: name, Targets: [{Id: 'target', Arn: `arn:aws:sqs:us-east-1:123456789012:${name}`}]}));
			return name;
		};
		const left = await leave('left', ours);
		const stranger = await leave('stranger', theirs);

		const destroy = await cw.run(['destroy', cw.dir, '--yes', '--no-tui']);
		expect(destroy.claimedSuccess, destroy.stderr).toBe(true);
		for (const what of ['ECS service', 'ECS cluster', 'RDS DB instance', 'EventBridge rule'])
			expect(destroy.stderr).toMatch(new RegExp(`^  ${what} ${left}$`, 'm'));
		expect(destroy.stderr).not.toContain(stranger);
		// What uses a thing is named (and deleted) before it.
		expect(destroy.stderr.indexOf(`ECS service ${left}`)).toBeLessThan(destroy.stderr.indexOf(`ECS cluster ${left}`));

		const sweep = await cw.run(['destroy', cw.dir, '--yes', '--no-tui', '--delete-orphans']);
		expect(sweep.code, sweep.stderr).toBe(0);
		expect(sweep.stderr).toMatch(/Deleted 4 leftovers no state recorded\./);
		const activeClusters = async (name: string) =>
			((await ecs.send(new DescribeClustersCommand({clusters: [name]}))).clusters ?? []).filter((c) => c.status === 'ACTIVE').length;
		const instances = async (name: string) =>
			(await rds.send(new DescribeDBInstancesCommand({Filters: [{Name: 'db-instance-id', Values: [name]}]}))).DBInstances?.length ?? 0;
		const rules = async (name: string) => (await events.send(new ListRulesCommand({NamePrefix: name}))).Rules?.length ?? 0;
		expect([await activeClusters(left), await instances(left), await rules(left)]).toEqual([0, 0, 0]);
		expect([await activeClusters(stranger), await instances(stranger), await rules(stranger)]).toEqual([1, 1, 1]);
		const strangerService = (await ecs.send(new DescribeServicesCommand({cluster: stranger, services: [stranger]}))).services?.[0];
		expect(strangerService?.status).toBe('ACTIVE');
	}, 120_000);
});
