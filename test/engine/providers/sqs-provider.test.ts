/** SQS on moto: create → read back through the AWS API → update in place → delete → gone. */
import {GetQueueAttributesCommand, GetQueueUrlCommand, ListQueueTagsCommand, SQSClient} from '@aws-sdk/client-sqs';
import {expect, it} from 'vitest';
import type {SqsSpec} from '../../../engine/kinds/sqs.js';
import {sqsProvider} from '../../../engine/kinds/sqs-provider.js';
import type {StateResource} from '../../../engine/state/state-document.js';
import {describeAws, useMoto} from '../../helpers/moto.js';
import {providerFixture} from '../../helpers/resource-context.js';

const asState = (applied: {physicalId: string; outputs: Record<string, unknown>}): StateResource => ({
	kind: 'SQS',
	type: 'AWS::SQS::Queue',
	service: 'svc',
	name: 'orders',
	physicalId: applied.physicalId,
	status: 'ready',
	inputs: {},
	outputs: applied.outputs,
	physicalNames: {},
	dependsOn: [],
	createdAt: '',
	updatedAt: '',
});

describeAws('SQS provider', () => {
	const moto = useMoto();

	it('creates a queue with its dead-letter queue wired by a RedrivePolicy, attributes, SSE and tags', async () => {
		const clients = moto.clients();
		const fixture = providerFixture<SqsSpec>(
			'SQS',
			'orders',
			{visibilityTimeout: 300, receiveWaitTime: 20, deadLetterQueue: {enabled: true, maxReceiveCount: 3}},
			clients,
		);
		const created = await sqsProvider.create(fixture.context, fixture.spec);
		const sqs = clients.get(SQSClient);
		const {Attributes} = await sqs.send(new GetQueueAttributesCommand({QueueUrl: created.physicalId, AttributeNames: ['All']}));
		expect(Attributes).toMatchObject({VisibilityTimeout: '300', ReceiveMessageWaitTimeSeconds: '20', SqsManagedSseEnabled: 'true'});
		expect(JSON.parse(Attributes!.RedrivePolicy!)).toEqual({deadLetterTargetArn: created.outputs.deadLetterQueueArn, maxReceiveCount: 3});
		expect(created.outputs).toMatchObject({queueName: fixture.context.names.primary, arn: Attributes!.QueueArn});
		const {Tags} = await sqs.send(new ListQueueTagsCommand({QueueUrl: created.physicalId}));
		expect(Tags).toMatchObject({'panka:component': 'orders', 'panka:tenant': 'acme', team: 'tests'});
		expect(fixture.phases).toEqual([
			`creating dead-letter queue ${fixture.context.names.deadLetterQueue}`,
			`creating queue ${fixture.context.names.primary}`,
		]);
	});

	it('updates attributes in place, keeping the queue URL', async () => {
		const clients = moto.clients();
		const fixture = providerFixture<SqsSpec>('SQS', 'jobs', {visibilityTimeout: 30}, clients);
		const created = await sqsProvider.create(fixture.context, fixture.spec);
		const next = fixture.withSpec({visibilityTimeout: 120, delaySeconds: 5});
		const updated = await sqsProvider.update(next.context, next.spec, asState(created));
		expect(updated.physicalId).toBe(created.physicalId);
		const {Attributes} = await clients
			.get(SQSClient)
			.send(new GetQueueAttributesCommand({QueueUrl: created.physicalId, AttributeNames: ['All']}));
		expect(Attributes).toMatchObject({VisibilityTimeout: '120', DelaySeconds: '5'});
		const read = await sqsProvider.read(next.context, asState(updated));
		expect(read.exists && read.observed).toMatchObject({visibilityTimeout: 120, delaySeconds: 5, type: 'standard'});
	});

	it('says what an update does to the dead-letter queue: nothing when it is as wanted, updating, creating or deleting it', async () => {
		const clients = moto.clients();
		const sqs = clients.get(SQSClient);
		const fixture = providerFixture<SqsSpec>('SQS', 'mail', {deadLetterQueue: {enabled: true}}, clients);
		const {primary, deadLetterQueue} = fixture.context.names;
		let applied = asState(await sqsProvider.create(fixture.context, fixture.spec));
		const update = async (raw: unknown) => {
			fixture.phases.length = 0;
			const next = fixture.withSpec(raw);
			applied = asState(await sqsProvider.update(next.context, next.spec, applied));
			return [...fixture.phases];
		};
		const dlqRetention = async () => {
			const {QueueUrl} = await sqs.send(new GetQueueUrlCommand({QueueName: deadLetterQueue}));
			return (await sqs.send(new GetQueueAttributesCommand({QueueUrl, AttributeNames: ['MessageRetentionPeriod']}))).Attributes
				?.MessageRetentionPeriod;
		};

		// Only the queue changes: the dead-letter queue is left alone, and no phase claims otherwise.
		expect(await update({visibilityTimeout: 90, deadLetterQueue: {enabled: true}})).toEqual([`updating queue ${primary}`]);
		expect(applied.outputs.deadLetterQueueArn).toMatch(/:.*-dlq$/);

		expect(await update({visibilityTimeout: 90, deadLetterQueue: {enabled: true, messageRetentionPeriod: 86_400}})).toEqual([
			`updating dead-letter queue ${deadLetterQueue}`,
			`updating queue ${primary}`,
		]);
		expect(await dlqRetention()).toBe('86400');

		expect(await update({visibilityTimeout: 90})).toEqual([`updating queue ${primary}`, `deleting dead-letter queue ${deadLetterQueue}`]);
		await expect(sqs.send(new GetQueueUrlCommand({QueueName: deadLetterQueue}))).rejects.toMatchObject({
			name: expect.stringMatching(/NonExistentQueue|QueueDoesNotExist/),
		});

		expect(await update({visibilityTimeout: 90, deadLetterQueue: {enabled: true}})).toEqual([
			`creating dead-letter queue ${deadLetterQueue}`,
			`updating queue ${primary}`,
		]);
		expect(await dlqRetention()).toBe('1209600');
	});

	it('creates FIFO queues with the .fifo suffix', async () => {
		const fixture = providerFixture<SqsSpec>(
			'SQS',
			'ordered',
			{type: 'fifo', contentBasedDeduplication: true, deadLetterQueue: {enabled: true}},
			moto.clients(),
		);
		const created = await sqsProvider.create(fixture.context, fixture.spec);
		expect(created.outputs.queueName).toMatch(/\.fifo$/);
		expect(created.outputs.deadLetterQueueUrl).toMatch(/\.fifo$/);
	});

	it('finds a queue whose create was not recorded (crash recovery), and deletes it and its DLQ', async () => {
		const clients = moto.clients();
		const fixture = providerFixture<SqsSpec>('SQS', 'crashy', {deadLetterQueue: {enabled: true}}, clients);
		const created = await sqsProvider.create(fixture.context, fixture.spec);
		expect(await sqsProvider.find(fixture.context, fixture.spec)).toEqual(created);
		await sqsProvider.delete(fixture.context, asState(created));
		const sqs = clients.get(SQSClient);
		for (const name of [fixture.context.names.primary, fixture.context.names.deadLetterQueue])
			await expect(sqs.send(new GetQueueUrlCommand({QueueName: name}))).rejects.toMatchObject({
				name: expect.stringMatching(/NonExistentQueue|QueueDoesNotExist/),
			});
		expect(await sqsProvider.find(fixture.context, fixture.spec)).toBeUndefined();
		expect(await sqsProvider.read(fixture.context, asState(created))).toEqual({exists: false});
		await sqsProvider.delete(fixture.context, asState(created)); // deleting what is gone succeeds
	});
});
