/**
 * SNS on moto: create → read back through the AWS API → update in place → delete → gone, FIFO
 * topics, SQS subscriptions to components of the stack with the queue policy statement that lets
 * the topic send, subscription reconciliation, and never adopting another stack's topic.
 */
import {
	CreateTopicCommand,
	GetSubscriptionAttributesCommand,
	GetTopicAttributesCommand,
	ListSubscriptionsByTopicCommand,
	ListTagsForResourceCommand,
	PublishCommand,
	SNSClient,
} from '@aws-sdk/client-sns';
import {GetQueueAttributesCommand, ReceiveMessageCommand, SetQueueAttributesCommand, SQSClient} from '@aws-sdk/client-sqs';
import {expect, it} from 'vitest';
import type {AwsClients} from '../../../engine/aws/aws-clients.js';
import type {SnsSpec} from '../../../engine/kinds/sns.js';
import {snsProvider} from '../../../engine/kinds/sns-provider.js';
import type {SqsSpec} from '../../../engine/kinds/sqs.js';
import {sqsProvider} from '../../../engine/kinds/sqs-provider.js';
import {ProviderError, type ResourceContext} from '../../../engine/providers/provider.js';
import {describeAws, useMoto} from '../../helpers/moto.js';
import {providerFixture} from '../../helpers/resource-context.js';
import {appliedState} from './applied-state.js';

const tagRecord = (tags: {Key?: string; Value?: string}[] | undefined) =>
	Object.fromEntries((tags ?? []).map((tag) => [tag.Key, tag.Value]));

interface PolicyStatement {
	Sid?: string;
	Condition?: {ArnEquals?: Record<string, string>};
	[key: string]: unknown;
}

async function queueStatements(clients: AwsClients, queueUrl: string): Promise<PolicyStatement[]> {
	const {Attributes} = await clients.get(SQSClient).send(new GetQueueAttributesCommand({QueueUrl: queueUrl, AttributeNames: ['Policy']}));
	if (!Attributes?.Policy) return [];
	const statement = (JSON.parse(Attributes.Policy) as {Statement: PolicyStatement | PolicyStatement[]}).Statement;
	return Array.isArray(statement) ? statement : [statement];
}

/** Statements that let `topicArn` send (the aws:SourceArn condition names it). */
const fromTopic = (statements: PolicyStatement[], topicArn: string) =>
	statements.filter((statement) => statement.Condition?.ArnEquals?.['aws:SourceArn'] === topicArn);

async function subscriptionsOf(clients: AwsClients, topicArn: string) {
	const {Subscriptions = []} = await clients.get(SNSClient).send(new ListSubscriptionsByTopicCommand({TopicArn: topicArn}));
	return Subscriptions.map(({Protocol, Endpoint, SubscriptionArn}) => ({Protocol, Endpoint, SubscriptionArn}));
}

/** The context applyPlan builds for a resource whose spec names other components. */
const withReferences = (context: ResourceContext, references: NonNullable<ResourceContext['references']>): ResourceContext => ({
	...context,
	references,
});

async function createQueue(clients: AwsClients, component: string) {
	const fixture = providerFixture<SqsSpec>('SQS', component, {}, clients);
	return (await sqsProvider.create(fixture.context, fixture.spec)).outputs as {queueUrl: string; arn: string};
}

describeAws('SNS provider', () => {
	const moto = useMoto();

	it('creates a topic with display name, KMS encryption and tags; updates them in place; deletes it', async () => {
		const clients = moto.clients();
		const sns = clients.get(SNSClient);
		const fixture = providerFixture<SnsSpec>('SNS', 'events', {displayName: 'Order events', encryption: {enabled: true}}, clients);
		const created = await snsProvider.create(fixture.context, fixture.spec);
		const TopicArn = `arn:aws:sns:us-east-1:123456789012:${fixture.context.names.primary}`;
		expect(created).toEqual({physicalId: TopicArn, outputs: {topicArn: TopicArn, topicName: fixture.context.names.primary}});
		expect((await sns.send(new GetTopicAttributesCommand({TopicArn}))).Attributes).toMatchObject({
			DisplayName: 'Order events',
			KmsMasterKeyId: 'alias/aws/sns',
		});
		expect(tagRecord((await sns.send(new ListTagsForResourceCommand({ResourceArn: TopicArn}))).Tags)).toEqual(fixture.context.tags);

		const next = fixture.withSpec({displayName: 'Orders', encryption: {enabled: true, kmsKeyId: 'alias/orders'}});
		const {team: _dropped, ...keptTags} = fixture.context.tags;
		const nextContext = {...next.context, tags: {...keptTags, owner: 'payments'}};
		const updated = await snsProvider.update(nextContext, next.spec, appliedState('SNS', created, fixture.spec));
		expect(updated).toEqual(created);
		expect((await sns.send(new GetTopicAttributesCommand({TopicArn}))).Attributes).toMatchObject({
			DisplayName: 'Orders',
			KmsMasterKeyId: 'alias/orders',
		});
		expect(tagRecord((await sns.send(new ListTagsForResourceCommand({ResourceArn: TopicArn}))).Tags)).toEqual(nextContext.tags);
		expect(await snsProvider.read(nextContext, appliedState('SNS', updated, next.spec))).toMatchObject({
			exists: true,
			observed: {
				displayName: 'Orders',
				fifoTopic: false,
				'encryption.enabled': true,
				'encryption.kmsKeyId': 'alias/orders',
				'subscriptions[]': [],
			},
		});

		const plain = fixture.withSpec({});
		await snsProvider.update(plain.context, plain.spec, appliedState('SNS', updated, next.spec));
		expect((await sns.send(new GetTopicAttributesCommand({TopicArn}))).Attributes?.KmsMasterKeyId ?? '').toBe('');

		await snsProvider.delete(plain.context, appliedState('SNS', updated, plain.spec));
		await expect(sns.send(new GetTopicAttributesCommand({TopicArn}))).rejects.toMatchObject({name: expect.stringMatching(/NotFound/)});
		expect(await snsProvider.read(plain.context, appliedState('SNS', updated, plain.spec))).toEqual({exists: false});
		expect(await snsProvider.find(plain.context, plain.spec)).toBeUndefined();
		await snsProvider.delete(plain.context, appliedState('SNS', updated, plain.spec)); // deleting what is gone succeeds
	});

	it('creates FIFO topics with the .fifo suffix and content-based deduplication', async () => {
		const clients = moto.clients();
		const sns = clients.get(SNSClient);
		const fixture = providerFixture<SnsSpec>('SNS', 'ledger', {fifoTopic: true, contentBasedDeduplication: true}, clients);
		const created = await snsProvider.create(fixture.context, fixture.spec);
		const TopicArn = String(created.outputs.topicArn);
		expect(TopicArn).toMatch(/\.fifo$/);
		expect((await sns.send(new GetTopicAttributesCommand({TopicArn}))).Attributes).toMatchObject({
			FifoTopic: 'true',
			ContentBasedDeduplication: 'true',
		});
		const next = fixture.withSpec({fifoTopic: true, contentBasedDeduplication: false});
		await snsProvider.update(next.context, next.spec, appliedState('SNS', created, fixture.spec));
		expect((await sns.send(new GetTopicAttributesCommand({TopicArn}))).Attributes?.ContentBasedDeduplication).toBe('false');
	});

	it('subscribes queues of the stack, adding the queue policy statement next to existing ones, and reconciles subscriptions on update and delete', async () => {
		const clients = moto.clients();
		const sns = clients.get(SNSClient);
		const orders = await createQueue(clients, 'orders');
		const audit = await createQueue(clients, 'audit');
		const keepMe = {
			Sid: 'KeepMe',
			Effect: 'Allow',
			Principal: {AWS: 'arn:aws:iam::123456789012:root'},
			Action: 'sqs:ReceiveMessage',
			Resource: orders.arn,
		};
		await clients.get(SQSClient).send(
			new SetQueueAttributesCommand({
				QueueUrl: orders.queueUrl,
				Attributes: {Policy: JSON.stringify({Version: '2012-10-17', Statement: [keepMe]})},
			}),
		);
		const references = {orders, audit};

		const fixture = providerFixture<SnsSpec>(
			'SNS',
			'events',
			{
				subscriptions: [
					{protocol: 'sqs', component: 'orders', rawMessageDelivery: true, filterPolicy: {type: ['order']}},
					{protocol: 'https', endpoint: 'https://hooks.example.com/events'},
				],
			},
			clients,
		);
		const created = await snsProvider.create(withReferences(fixture.context, references), fixture.spec);
		const topicArn = String(created.outputs.topicArn);

		const subscriptions = await subscriptionsOf(clients, topicArn);
		expect(subscriptions.map(({Protocol, Endpoint}) => ({Protocol, Endpoint}))).toEqual(
			expect.arrayContaining([
				{Protocol: 'sqs', Endpoint: orders.arn},
				{Protocol: 'https', Endpoint: 'https://hooks.example.com/events'},
			]),
		);
		expect(subscriptions).toHaveLength(2);
		const ordersSubscription = subscriptions.find((subscription) => subscription.Protocol === 'sqs')!.SubscriptionArn!;
		const attributes = (await sns.send(new GetSubscriptionAttributesCommand({SubscriptionArn: ordersSubscription}))).Attributes!;
		expect(attributes.RawMessageDelivery).toBe('true');
		expect(JSON.parse(attributes.FilterPolicy!)).toEqual({type: ['order']});

		const ordersStatements = await queueStatements(clients, orders.queueUrl);
		expect(ordersStatements).toContainEqual(keepMe);
		expect(fromTopic(ordersStatements, topicArn)).toEqual([
			expect.objectContaining({
				Effect: 'Allow',
				Principal: {Service: 'sns.amazonaws.com'},
				Action: 'sqs:SendMessage',
				Resource: orders.arn,
			}),
		]);

		// Update: drop the https endpoint, change the orders subscription in place, add audit.
		const next = fixture.withSpec({
			subscriptions: [
				{protocol: 'sqs', component: 'orders', filterPolicy: {type: ['refund']}},
				{protocol: 'sqs', component: 'audit'},
			],
		});
		await snsProvider.update(withReferences(next.context, references), next.spec, appliedState('SNS', created, fixture.spec));
		const afterUpdate = await subscriptionsOf(clients, topicArn);
		expect(afterUpdate.map(({Endpoint}) => Endpoint).sort()).toEqual([orders.arn, audit.arn].sort());
		expect(afterUpdate.find((subscription) => subscription.Endpoint === orders.arn)?.SubscriptionArn).toBe(ordersSubscription);
		const changed = (await sns.send(new GetSubscriptionAttributesCommand({SubscriptionArn: ordersSubscription}))).Attributes!;
		expect([changed.RawMessageDelivery, JSON.parse(changed.FilterPolicy!)]).toEqual(['false', {type: ['refund']}]);
		expect(fromTopic(await queueStatements(clients, audit.queueUrl), topicArn)).toHaveLength(1);

		// The topic delivers to the queue, filtered by message attributes. (Publishing while the https
		// endpoint was subscribed would make moto try to reach it.)
		await sns.send(
			new PublishCommand({TopicArn: topicArn, Message: 'refund 7', MessageAttributes: {type: {DataType: 'String', StringValue: 'refund'}}}),
		);
		const received = await clients.get(SQSClient).send(new ReceiveMessageCommand({QueueUrl: orders.queueUrl, MaxNumberOfMessages: 1}));
		expect(JSON.parse(received.Messages?.[0]?.Body ?? '{}')).toMatchObject({Type: 'Notification', TopicArn: topicArn, Message: 'refund 7'});

		// Update: orders is no longer subscribed, so its statement goes and the other statement stays.
		const auditOnly = fixture.withSpec({subscriptions: [{protocol: 'sqs', component: 'audit'}]});
		const updated = await snsProvider.update(
			withReferences(auditOnly.context, references),
			auditOnly.spec,
			appliedState('SNS', created, next.spec),
		);
		expect((await subscriptionsOf(clients, topicArn)).map(({Endpoint}) => Endpoint)).toEqual([audit.arn]);
		expect(await queueStatements(clients, orders.queueUrl)).toEqual([keepMe]);

		// Delete: subscriptions, the statement it added, and the topic.
		await snsProvider.delete(auditOnly.context, appliedState('SNS', updated, auditOnly.spec));
		expect(await queueStatements(clients, audit.queueUrl)).toEqual([]);
		await expect(sns.send(new ListSubscriptionsByTopicCommand({TopicArn: topicArn}))).rejects.toMatchObject({
			name: expect.stringMatching(/NotFound/),
		});
		await expect(sns.send(new GetTopicAttributesCommand({TopicArn: topicArn}))).rejects.toMatchObject({
			name: expect.stringMatching(/NotFound/),
		});
	});

	it('keeps both statements when two topics subscribe the same queue at once', async () => {
		const clients = moto.clients();
		const jobs = await createQueue(clients, 'jobs');
		const subscribeJobs = {subscriptions: [{protocol: 'sqs', component: 'jobs'}]};
		const topics = [
			providerFixture<SnsSpec>('SNS', 'created', subscribeJobs, clients),
			providerFixture<SnsSpec>('SNS', 'cancelled', subscribeJobs, clients),
		];
		const applied = await Promise.all(topics.map((fixture) => snsProvider.create(withReferences(fixture.context, {jobs}), fixture.spec)));
		const statements = await queueStatements(clients, jobs.queueUrl);
		for (const topic of applied) expect(fromTopic(statements, String(topic.outputs.topicArn))).toHaveLength(1);
		expect(statements).toHaveLength(2);
	});

	it('fails clearly when a component subscription arrives without the component outputs', async () => {
		const fixture = providerFixture<SnsSpec>('SNS', 'events', {subscriptions: [{protocol: 'sqs', component: 'orders'}]}, moto.clients());
		const failure = snsProvider.create(fixture.context, fixture.spec);
		await expect(failure).rejects.toBeInstanceOf(ProviderError);
		await expect(failure).rejects.toThrow('component orders has no arn output here');
	});

	it('adopts its own topic by tags, and never a same-named topic that belongs to another stack', async () => {
		const clients = moto.clients();
		const sns = clients.get(SNSClient);
		const mine = providerFixture<SnsSpec>('SNS', 'alerts', {}, clients);
		const created = await snsProvider.create(mine.context, mine.spec);
		expect(await snsProvider.find(mine.context, mine.spec)).toEqual(created);

		const fixture = providerFixture<SnsSpec>('SNS', 'billing', {displayName: 'Mine'}, clients);
		const foreignTags = {...fixture.context.tags, 'panka:stack': 'other-stack'};
		const {TopicArn} = await sns.send(
			new CreateTopicCommand({
				Name: fixture.context.names.primary,
				Attributes: {DisplayName: 'Theirs'},
				Tags: Object.entries(foreignTags).map(([Key, Value]) => ({Key, Value})),
			}),
		);
		expect(await snsProvider.find(fixture.context, fixture.spec)).toBeUndefined();
		await expect(snsProvider.create(fixture.context, fixture.spec)).rejects.toThrow(
			`topic ${fixture.context.names.primary} already exists and belongs to component svc/billing of stack other-stack (tenant acme, env test)`,
		);
		expect((await sns.send(new GetTopicAttributesCommand({TopicArn}))).Attributes?.DisplayName).toBe('Theirs');
	});
});
