/**
 * EventBridge on moto: a scheduled rule targeting a Lambda (with its invoke permission), an
 * event-pattern rule targeting a queue (with the queue policy statement, next to the statements
 * already there), an SNS target added and removed in place (with its topic policy statement),
 * read back, deleted → gone, grants revoked. Lambda targets are never invoked.
 */
import {mkdir, mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {
	DescribeRuleCommand,
	EventBridgeClient,
	ListTagsForResourceCommand,
	ListTargetsByRuleCommand,
	PutEventsCommand,
} from '@aws-sdk/client-eventbridge';
import {GetPolicyCommand, LambdaClient} from '@aws-sdk/client-lambda';
import {GetTopicAttributesCommand, SNSClient} from '@aws-sdk/client-sns';
import {GetQueueAttributesCommand, ReceiveMessageCommand, SetQueueAttributesCommand, SQSClient} from '@aws-sdk/client-sqs';
import {afterAll, beforeAll, expect, it} from 'vitest';
import type {AwsClients} from '../../../engine/aws/aws-clients.js';
import type {EventBridgeSpec} from '../../../engine/kinds/eventbridge.js';
import {eventBridgeProvider} from '../../../engine/kinds/eventbridge-provider.js';
import type {LambdaSpec} from '../../../engine/kinds/lambda.js';
import {lambdaProvider} from '../../../engine/kinds/lambda-provider.js';
import type {SnsSpec} from '../../../engine/kinds/sns.js';
import {snsProvider} from '../../../engine/kinds/sns-provider.js';
import type {SqsSpec} from '../../../engine/kinds/sqs.js';
import {sqsProvider} from '../../../engine/kinds/sqs-provider.js';
import type {ResourceContext} from '../../../engine/providers/provider.js';
import {describeAws, useMoto} from '../../helpers/moto.js';
import {providerFixture} from '../../helpers/resource-context.js';
import {appliedState} from './applied-state.js';

interface Statement {
	Sid?: string;
	Principal?: unknown;
	Action?: unknown;
	Resource?: unknown;
	Condition?: Record<string, Record<string, string>>;
}

const statementsOf = (policy: string | undefined): Statement[] => {
	if (!policy) return [];
	const statement = (JSON.parse(policy) as {Statement?: Statement | Statement[]}).Statement ?? [];
	return Array.isArray(statement) ? statement : [statement];
};

/** Statements whose condition names the rule as the source. */
const fromRule = (statements: Statement[], ruleArn: string) =>
	statements.filter((statement) => Object.values(statement.Condition ?? {}).some((operator) => Object.values(operator).includes(ruleArn)));

async function queueStatements(clients: AwsClients, queueUrl: string): Promise<Statement[]> {
	return statementsOf(
		(await clients.get(SQSClient).send(new GetQueueAttributesCommand({QueueUrl: queueUrl, AttributeNames: ['Policy']}))).Attributes?.Policy,
	);
}

async function topicStatements(clients: AwsClients, topicArn: string): Promise<Statement[]> {
	return statementsOf((await clients.get(SNSClient).send(new GetTopicAttributesCommand({TopicArn: topicArn}))).Attributes?.Policy);
}

async function functionStatements(clients: AwsClients, functionName: string): Promise<Statement[]> {
	const policy = await clients
		.get(LambdaClient)
		.send(new GetPolicyCommand({FunctionName: functionName}))
		.catch((error: Error) => {
			if (error.name === 'ResourceNotFoundException') return {Policy: undefined};
			throw error;
		});
	return statementsOf(policy.Policy);
}

const withReferences = (context: ResourceContext, references: NonNullable<ResourceContext['references']>): ResourceContext => ({
	...context,
	references,
});

describeAws('EventBridge provider', () => {
	const moto = useMoto();
	let serviceDir: string;
	beforeAll(async () => {
		serviceDir = await mkdtemp(join(tmpdir(), 'panka-events-'));
		await mkdir(join(serviceDir, 'fn'));
		await writeFile(join(serviceDir, 'fn', 'index.js'), 'exports.handler = async () => 1;\n');
	});
	afterAll(async () => {
		await rm(serviceDir, {recursive: true, force: true});
	});

	it('runs a Lambda on a schedule, with an invoke permission for exactly that rule, and deletes both', async () => {
		const clients = moto.clients();
		const events = clients.get(EventBridgeClient);
		const worker = providerFixture<LambdaSpec>(
			'Lambda',
			'sweeper',
			{runtime: 'nodejs24.x', handler: 'index.handler', code: {path: 'fn'}},
			clients,
			{serviceDir},
		);
		const fn = (await lambdaProvider.create(worker.context, worker.spec)).outputs as {functionArn: string; functionName: string};

		const fixture = providerFixture<EventBridgeSpec>(
			'EventBridge',
			'nightly',
			{schedule: 'cron(0 3 * * ? *)', description: 'nightly sweep', targets: [{component: 'sweeper', input: {job: 'sweep'}}]},
			clients,
		);
		const context = withReferences(fixture.context, {sweeper: fn});
		const created = await eventBridgeProvider.create(context, fixture.spec);
		const Name = fixture.context.names.primary!;
		const ruleArn = `arn:aws:events:us-east-1:123456789012:rule/${Name}`;
		expect(created).toEqual({physicalId: ruleArn, outputs: {ruleArn, ruleName: Name}});
		expect(await events.send(new DescribeRuleCommand({Name}))).toMatchObject({
			ScheduleExpression: 'cron(0 3 * * ? *)',
			Description: 'nightly sweep',
			State: 'ENABLED',
		});
		expect((await events.send(new ListTargetsByRuleCommand({Rule: Name}))).Targets).toEqual([
			{Id: 'sweeper', Arn: fn.functionArn, Input: '{"job":"sweep"}'},
		]);
		const tags = Object.fromEntries(
			((await events.send(new ListTagsForResourceCommand({ResourceARN: ruleArn}))).Tags ?? []).map((tag) => [tag.Key, tag.Value]),
		);
		expect(tags).toEqual(fixture.context.tags);
		expect(await functionStatements(clients, fn.functionName)).toEqual([
			expect.objectContaining({
				Principal: {Service: 'events.amazonaws.com'},
				Action: 'lambda:InvokeFunction',
				Condition: {ArnLike: {'AWS:SourceArn': ruleArn}},
			}),
		]);

		// Applying again changes nothing (the permission is found, not added twice).
		await eventBridgeProvider.update(context, fixture.spec, appliedState('EventBridge', created, fixture.spec));
		expect(await functionStatements(clients, fn.functionName)).toHaveLength(1);
		expect(await eventBridgeProvider.find(context, fixture.spec)).toEqual(created);

		await eventBridgeProvider.delete(context, appliedState('EventBridge', created, fixture.spec));
		await expect(events.send(new DescribeRuleCommand({Name}))).rejects.toMatchObject({name: 'ResourceNotFoundException'});
		expect(await functionStatements(clients, fn.functionName)).toEqual([]);
		expect(await eventBridgeProvider.read(context, appliedState('EventBridge', created, fixture.spec))).toEqual({exists: false});
		await eventBridgeProvider.delete(context, appliedState('EventBridge', created, fixture.spec)); // deleting what is gone succeeds
		await lambdaProvider.delete(worker.context, {
			...appliedState('Lambda', {physicalId: fn.functionArn, outputs: fn}),
			physicalNames: worker.context.names,
		});
	});

	it('sends matching events to a queue; adds and removes an SNS target in place; keeps others’ policy statements', async () => {
		const clients = moto.clients();
		const events = clients.get(EventBridgeClient);
		const queueFixture = providerFixture<SqsSpec>('SQS', 'orders', {}, clients);
		const orders = (await sqsProvider.create(queueFixture.context, queueFixture.spec)).outputs as {queueUrl: string; arn: string};
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
		const topicFixture = providerFixture<SnsSpec>('SNS', 'alerts', {}, clients);
		const alerts = (await snsProvider.create(topicFixture.context, topicFixture.spec)).outputs as {topicArn: string};
		const topicStatementsBefore = await topicStatements(clients, alerts.topicArn);
		const references = {orders, alerts};

		const pattern = {source: ['shop.orders'], 'detail-type': ['OrderPlaced']};
		const fixture = providerFixture<EventBridgeSpec>(
			'EventBridge',
			'placed',
			{eventPattern: pattern, targets: [{component: 'orders', inputPath: '$.detail'}]},
			clients,
		);
		const created = await eventBridgeProvider.create(withReferences(fixture.context, references), fixture.spec);
		const Name = fixture.context.names.primary!;
		const ruleArn = String(created.outputs.ruleArn);
		const rule = await events.send(new DescribeRuleCommand({Name}));
		expect(JSON.parse(rule.EventPattern!)).toEqual(pattern);
		expect(rule.State).toBe('ENABLED');
		expect((await events.send(new ListTargetsByRuleCommand({Rule: Name}))).Targets).toEqual([
			{Id: 'orders', Arn: orders.arn, InputPath: '$.detail'},
		]);
		const eventsToQueue = {
			Sid: expect.stringMatching(/^PankaEvents[0-9a-f]{16}$/),
			Effect: 'Allow',
			Principal: {Service: 'events.amazonaws.com'},
			Action: 'sqs:SendMessage',
			Resource: orders.arn,
			Condition: {ArnEquals: {'aws:SourceArn': ruleArn}},
		};
		expect(await queueStatements(clients, orders.queueUrl)).toEqual([keepMe, eventsToQueue]);

		// The pattern matches: moto delivers the event to the queue (it ignores InputPath).
		await events.send(
			new PutEventsCommand({Entries: [{Source: 'shop.orders', DetailType: 'OrderPlaced', Detail: JSON.stringify({orderId: 'o-1'})}]}),
		);
		await events.send(new PutEventsCommand({Entries: [{Source: 'shop.billing', DetailType: 'OrderPlaced', Detail: '{}'}]}));
		const {Messages = []} = await clients
			.get(SQSClient)
			.send(new ReceiveMessageCommand({QueueUrl: orders.queueUrl, MaxNumberOfMessages: 10}));
		expect(Messages.map((message) => JSON.parse(message.Body!).detail)).toEqual([{orderId: 'o-1'}]);

		// Add an SNS target: the rule is updated in place and the topic lets the rule publish.
		const withAlerts = fixture.withSpec({
			eventPattern: pattern,
			description: 'orders placed',
			targets: [
				{component: 'orders', inputPath: '$.detail'},
				{component: 'alerts', id: 'page-on-call'},
			],
		});
		const updated = await eventBridgeProvider.update(
			withReferences(withAlerts.context, references),
			withAlerts.spec,
			appliedState('EventBridge', created, fixture.spec),
		);
		expect(updated).toEqual(created);
		expect((await events.send(new ListTargetsByRuleCommand({Rule: Name}))).Targets).toEqual([
			{Id: 'orders', Arn: orders.arn, InputPath: '$.detail'},
			{Id: 'page-on-call', Arn: alerts.topicArn},
		]);
		expect(fromRule(await topicStatements(clients, alerts.topicArn), ruleArn)).toEqual([
			{
				Sid: eventsToQueue.Sid,
				Effect: 'Allow',
				Principal: {Service: 'events.amazonaws.com'},
				Action: 'sns:Publish',
				Resource: alerts.topicArn,
				Condition: {ArnEquals: {'aws:SourceArn': ruleArn}},
			},
		]);
		expect(
			await eventBridgeProvider.read(withReferences(withAlerts.context, references), appliedState('EventBridge', updated, withAlerts.spec)),
		).toMatchObject({
			exists: true,
			observed: {
				eventPattern: pattern,
				description: 'orders placed',
				enabled: true,
				'targets[].id': ['orders', 'page-on-call'],
				'targets[].component': ['orders', 'alerts'],
			},
		});

		// Remove it again (and disable the rule): in place, and the topic statement goes.
		const ordersOnly = fixture.withSpec({eventPattern: pattern, enabled: false, targets: [{component: 'orders', inputPath: '$.detail'}]});
		await eventBridgeProvider.update(
			withReferences(ordersOnly.context, references),
			ordersOnly.spec,
			appliedState('EventBridge', updated, withAlerts.spec),
		);
		expect((await events.send(new ListTargetsByRuleCommand({Rule: Name}))).Targets).toEqual([
			{Id: 'orders', Arn: orders.arn, InputPath: '$.detail'},
		]);
		expect((await events.send(new DescribeRuleCommand({Name}))).State).toBe('DISABLED');
		expect(await topicStatements(clients, alerts.topicArn)).toEqual(topicStatementsBefore);
		expect(await queueStatements(clients, orders.queueUrl)).toEqual([keepMe, eventsToQueue]);

		// Delete: no references are needed (the rule's targets say what to revoke).
		await eventBridgeProvider.delete(ordersOnly.context, appliedState('EventBridge', updated, ordersOnly.spec));
		await expect(events.send(new DescribeRuleCommand({Name}))).rejects.toMatchObject({name: 'ResourceNotFoundException'});
		expect(await queueStatements(clients, orders.queueUrl)).toEqual([keepMe]);
	});

	it('never takes over a rule another component owns', async () => {
		const clients = moto.clients();
		const queueFixture = providerFixture<SqsSpec>('SQS', 'inbox', {}, clients);
		const inbox = (await sqsProvider.create(queueFixture.context, queueFixture.spec)).outputs as {queueUrl: string; arn: string};
		const stack = `own${Date.now().toString(36)}`;
		const mine = providerFixture<EventBridgeSpec>(
			'EventBridge',
			'hourly',
			{schedule: 'rate(1 hour)', targets: [{component: 'inbox'}]},
			clients,
			{stack},
		);
		const context = withReferences(mine.context, {inbox});
		const created = await eventBridgeProvider.create(context, mine.spec);
		const theirs = {...context, tags: {...context.tags, 'panka:service': 'elsewhere'}};
		await expect(eventBridgeProvider.create(theirs, mine.spec)).rejects.toThrow(
			/rule .* already exists and belongs to component svc\/hourly/,
		);
		expect(await eventBridgeProvider.find(theirs, mine.spec)).toBeUndefined();
		await eventBridgeProvider.delete(context, appliedState('EventBridge', created, mine.spec));
		expect(await queueStatements(clients, inbox.queueUrl)).toEqual([]);
	});
});
