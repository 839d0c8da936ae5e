/**
 * applyPlan on moto with the local backend: creates, updates and deletes real (emulated) resources
 * in dependency order, checked through AWS describe calls; checkpoints state; isolates failures.
 */
import {DescribeTableCommand, DynamoDBClient} from '@aws-sdk/client-dynamodb';
import {CreateBucketCommand, PutBucketTaggingCommand} from '@aws-sdk/client-s3';
import {GetQueueAttributesCommand, GetQueueUrlCommand, SQSClient} from '@aws-sdk/client-sqs';
import {ListSubscriptionsByTopicCommand, SNSClient} from '@aws-sdk/client-sns';
import {expect, it} from 'vitest';
import {applyPlan} from '../../../engine/apply/apply-plan.js';
import type {EngineEvent} from '../../../engine/apply/events.js';
import {planDestroy} from '../../../engine/plan/destroy-plan.js';
import {planChanges} from '../../../engine/plan/plan.js';
import {openBackend} from '../../../engine/state/backend.js';
import {readState} from '../../../engine/state/state-store.js';
import {loadWorkspace} from '../../../engine/workspace.js';
import {dataStack, writeDataStack} from '../../helpers/data-stack.js';
import {describeAws, useMoto} from '../../helpers/moto.js';
import {tempDir} from '../../helpers/stack-fixture.js';

let runs = 0;

describeAws('applyPlan', () => {
	const moto = useMoto();

	async function apply(dir: string, home: string, stack: string) {
		const backend = openBackend({kind: 'local', home});
		const key = {tenant: 'acme', stack, environment: 'test'};
		const workspace = await loadWorkspace(dir);
		const stored = await readState(backend, key);
		const plan = planChanges(workspace, stored?.state);
		const events: EngineEvent[] = [];
		for await (const event of applyPlan({
			plan,
			workspace,
			stored,
			backend,
			key,
			clients: moto.clients(),
			region: 'us-east-1',
			accountId: '123456789012',
			deployedBy: 'tester@host',
			wait: {minDelay: 1, maxDelay: 1, maxWaitTime: 20},
		}))
			events.push(event);
		return {events, plan, state: (await readState(backend, key))!.state};
	}

	it('creates every resource in dependency order, checkpointing state, and wires references', async () => {
		const stack = `shop${runs++}${Date.now().toString(36)}`;
		const dir = dataStack({stack});
		const home = tempDir();
		const {events, state} = await apply(dir, home, stack);
		const summary = events.at(-1);
		expect(summary).toMatchObject({type: 'summary', failed: [], skipped: [], interrupted: false});
		expect(summary?.type === 'summary' && summary.done.sort()).toEqual([
			'data/order-events',
			'data/orders-queue',
			'data/orders-table',
			'data/uploads',
		]);
		const order = events.filter((e) => e.type === 'resource.start').map((e) => (e.type === 'resource.start' ? e.address : ''));
		expect(order.indexOf('data/orders-queue')).toBeLessThan(order.indexOf('data/order-events'));
		expect(order.indexOf('data/orders-queue')).toBeLessThan(order.indexOf('data/orders-table'));
		// Intents and results are group-committed: at least one write before AWS is touched and one after.
		const saves = events.filter((e) => e.type === 'state.saved');
		expect(saves.length).toBeGreaterThanOrEqual(2);
		expect(state.serial).toBe(saves.length);
		expect(events.findIndex((e) => e.type === 'state.saved')).toBeLessThan(events.findIndex((e) => e.type === 'resource.done'));
		expect(state.pending).toEqual([]);

		// Verified through AWS, not through panka's state.
		const clients = moto.clients();
		const queueName = state.resources['data/orders-queue']!.physicalNames.primary;
		const {QueueUrl} = await clients.get(SQSClient).send(new GetQueueUrlCommand({QueueName: queueName}));
		const {Attributes} = await clients
			.get(SQSClient)
			.send(new GetQueueAttributesCommand({QueueUrl, AttributeNames: ['VisibilityTimeout', 'Policy']}));
		expect(Attributes?.VisibilityTimeout).toBe('60');
		const topicArn = state.outputs['order-events.topicArn'] as string;
		expect(Attributes?.Policy).toContain(topicArn);
		const {Subscriptions} = await clients.get(SNSClient).send(new ListSubscriptionsByTopicCommand({TopicArn: topicArn}));
		expect(Subscriptions?.map((s) => s.Endpoint)).toEqual([state.outputs['orders-queue.arn']]);
		const table = await clients
			.get(DynamoDBClient)
			.send(new DescribeTableCommand({TableName: state.outputs['orders-table.tableName'] as string}));
		expect(table.Table?.TableStatus).toBe('ACTIVE');

		// A second apply of the same folder changes nothing.
		const again = await apply(dir, home, stack);
		expect(again.plan.summary).toMatchObject({create: 0, update: 0, replace: 0, delete: 0});
	});

	it('updates in place and deletes what left the folder', async () => {
		const stack = `shop${runs++}${Date.now().toString(36)}`;
		const dir = dataStack({stack});
		const home = tempDir();
		const first = await apply(dir, home, stack);
		const tableName = first.state.outputs['orders-table.tableName'] as string;
		writeDataStack(dir, {stack, visibilityTimeout: 120, withoutTable: true});
		const {plan, state, events} = await apply(dir, home, stack);
		expect(plan.summary).toMatchObject({update: 1, delete: 1});
		expect(events.at(-1)).toMatchObject({type: 'summary', failed: []});
		const clients = moto.clients();
		const {QueueUrl} = await clients
			.get(SQSClient)
			.send(new GetQueueUrlCommand({QueueName: state.resources['data/orders-queue']!.physicalNames.primary}));
		expect(
			(await clients.get(SQSClient).send(new GetQueueAttributesCommand({QueueUrl, AttributeNames: ['VisibilityTimeout']}))).Attributes
				?.VisibilityTimeout,
		).toBe('120');
		await expect(clients.get(DynamoDBClient).send(new DescribeTableCommand({TableName: tableName}))).rejects.toMatchObject({
			name: 'ResourceNotFoundException',
		});
		expect(state.resources['data/orders-table']).toBeUndefined();
		expect(Object.keys(state.outputs).some((k) => k.startsWith('orders-table.'))).toBe(false);
	});

	/**
	 * A destroy stopped by ctrl+c before any step started: `stopAt` 'before' aborts the stop signal
	 * before applyPlan is called (a SIGINT right after the approval), 'start' while the consumer
	 * holds the apply.start event (the dashboard's first batch).
	 */
	async function destroyStopped(dir: string, home: string, stack: string, stopAt: 'before' | 'start') {
		const backend = openBackend({kind: 'local', home});
		const key = {tenant: 'acme', stack, environment: 'test'};
		const workspace = await loadWorkspace(dir);
		const stored = await readState(backend, key);
		const plan = planDestroy(workspace, stored!.state);
		const stop = new AbortController();
		if (stopAt === 'before') stop.abort();
		const events: EngineEvent[] = [];
		for await (const event of applyPlan({
			plan,
			workspace,
			stored,
			backend,
			key,
			clients: moto.clients(),
			region: 'us-east-1',
			accountId: '123456789012',
			deployedBy: 'tester@host',
			operation: 'destroy',
			stop: stop.signal,
			abort: new AbortController().signal,
		})) {
			events.push(event);
			if (event.type === 'apply.start') stop.abort();
		}
		return {events, state: (await readState(backend, key))!.state};
	}

	for (const stopAt of ['before', 'start'] as const)
		it(`a stop ${stopAt === 'before' ? 'before the run starts' : 'at apply.start'} reports the run interrupted: nothing started, nothing deleted`, async () => {
			const stack = `shop${runs++}${Date.now().toString(36)}`;
			const dir = dataStack({stack});
			const home = tempDir();
			const created = await apply(dir, home, stack);
			const addresses = Object.keys(created.state.resources).sort();
			expect(addresses).toHaveLength(4);

			const {events, state} = await destroyStopped(dir, home, stack, stopAt);
			expect(events.filter((e) => e.type === 'resource.start')).toEqual([]);
			expect(events.find((e) => e.type === 'apply.interrupted')).toMatchObject({mode: 'stop'});
			const summary = events.at(-1);
			expect(summary).toMatchObject({type: 'summary', operation: 'destroy', done: [], failed: [], skipped: [], interrupted: true});
			expect(summary?.type === 'summary' && [...summary.notStarted].sort()).toEqual(addresses);

			// Nothing was deleted: the state and AWS still hold every resource.
			expect(Object.keys(state.resources).sort()).toEqual(addresses);
			expect(state.pending).toEqual([]);
			const queueName = state.resources['data/orders-queue']!.physicalNames.primary;
			await expect(
				moto
					.clients()
					.get(SQSClient)
					.send(new GetQueueUrlCommand({QueueName: queueName})),
			).resolves.toMatchObject({QueueUrl: expect.stringContaining(queueName!)});
		});

	it('isolates a failure: its dependents are skipped, the rest is applied, state stays correct', async () => {
		const stack = `shop${runs++}${Date.now().toString(36)}`;
		const dir = dataStack({
			stack,
			extra: 'apiVersion: components.panka.io/v1\nkind: SQS\nmetadata:\n  name: audit-queue\nspec:\n  dependsOn: [uploads]\n',
		});
		const workspace = await loadWorkspace(dir);
		// Another stack already owns the bucket name this stack wants.
		const bucket = workspace.componentsByName.get('uploads')!.physicalNames.primary!;
		const s3 = moto.clients().s3();
		await s3.send(new CreateBucketCommand({Bucket: bucket}));
		await s3.send(
			new PutBucketTaggingCommand({
				Bucket: bucket,
				Tagging: {
					TagSet: [
						{Key: 'panka:stack', Value: 'someone-else'},
						{Key: 'panka:component', Value: 'files'},
					],
				},
			}),
		);
		const {events, state} = await apply(dir, tempDir(), stack);
		const summary = events.at(-1);
		expect(summary).toMatchObject({type: 'summary', failed: ['data/uploads'], skipped: ['data/audit-queue']});
		const failure = events.find((e) => e.type === 'resource.failed');
		expect(failure?.type === 'resource.failed' && failure.message).toMatch(/someone-else|another|belongs/);
		const skipped = events.find((e) => e.type === 'resource.skipped');
		expect(skipped?.type === 'resource.skipped' && skipped.reason).toBe('skipped because data/uploads failed');
		expect(Object.keys(state.resources).sort()).toEqual(['data/order-events', 'data/orders-queue', 'data/orders-table']);
		expect(state.pending).toEqual([]);
	});
});
