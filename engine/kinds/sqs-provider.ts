/**
 * SQS provider: the queue, its dead-letter queue (created first, wired with a RedrivePolicy),
 * attributes, SSE and tags. Loaded only when something is applied (sqs.ts points here lazily).
 *
 * Invariants: queue names are the kind's deterministic physical names, so `find` adopts by name;
 * every attribute is updated in place with SetQueueAttributes (standard ↔ FIFO is a replace,
 * decided by the planner); tags are made to match exactly (added, changed and removed).
 * Ownership: CreateQueue answers with the existing queue when one has the name (and the same
 * attributes), so the queue and its dead-letter queue are looked up, and their tags checked with
 * `requireOwned`, before anything is created, changed, read or deleted: a same-named queue of
 * another tenant, stack, environment or component (e.g. the dead-letter queue `x-dlq` of `x` and
 * a component named `x-dlq`, under panka 0.1's names) is never adopted, re-tagged or deleted.
 * Progress phases say what is done: an update touches the dead-letter queue (and says so) only
 * to create it, to set the attributes AWS has otherwise, or to delete it once it is turned off.
 */
import {
	CreateQueueCommand,
	DeleteQueueCommand,
	GetQueueAttributesCommand,
	GetQueueUrlCommand,
	ListQueueTagsCommand,
	type QueueAttributeName,
	SetQueueAttributesCommand,
	SQSClient,
	TagQueueCommand,
	UntagQueueCommand,
} from '@aws-sdk/client-sqs';
import {awsCall, awsCallUnlessMissing} from '../aws/call.js';
import {queueMissing} from '../aws/missing-codes.js';
import {type AppliedResource, awsError, type Provider, ProviderError, type ResourceContext} from '../providers/provider.js';
import {applyTagChanges, isOwnedBy, type OwnershipAction, requireOwned} from '../providers/resource-tags.js';
import type {StateResource} from '../state/state-document.js';
import type {SqsSpec} from './sqs.js';

function sqs(context: ResourceContext): SQSClient {
	return context.clients.get(SQSClient);
}

function queueAttributes(spec: SqsSpec, deadLetterArn?: string): Partial<Record<QueueAttributeName, string>> {
	const attributes: Partial<Record<QueueAttributeName, string>> = {
		DelaySeconds: String(spec.delaySeconds),
		MaximumMessageSize: String(spec.maxMessageSize),
		MessageRetentionPeriod: String(spec.messageRetentionPeriod),
		ReceiveMessageWaitTimeSeconds: String(spec.receiveWaitTime),
		VisibilityTimeout: String(spec.visibilityTimeout),
		RedrivePolicy: deadLetterArn
			? JSON.stringify({deadLetterTargetArn: deadLetterArn, maxReceiveCount: spec.deadLetterQueue?.maxReceiveCount ?? 5})
			: '',
		...encryptionAttributes(spec),
	};
	if (spec.type === 'fifo') attributes.ContentBasedDeduplication = String(spec.contentBasedDeduplication ?? false);
	return attributes;
}

function encryptionAttributes(spec: SqsSpec): Partial<Record<QueueAttributeName, string>> {
	const encryption = spec.encryption ?? {enabled: true};
	if (!encryption.enabled) return {SqsManagedSseEnabled: 'false'};
	return encryption.kmsKeyId ? {KmsMasterKeyId: encryption.kmsKeyId} : {SqsManagedSseEnabled: 'true'};
}

async function queueArn(context: ResourceContext, url: string): Promise<string> {
	const {Attributes} = await awsCall(context, `SQS GetQueueAttributes ${url}`, (options) =>
		sqs(context).send(new GetQueueAttributesCommand({QueueUrl: url, AttributeNames: ['QueueArn']}), options),
	);
	return Attributes?.QueueArn ?? '';
}

async function urlOf(context: ResourceContext, name: string): Promise<string | undefined> {
	const found = await awsCallUnlessMissing(context, `SQS GetQueueUrl ${name}`, queueMissing, (options) =>
		sqs(context).send(new GetQueueUrlCommand({QueueName: name}), options),
	);
	return found?.QueueUrl;
}

function deadLetterAttributes(
	spec: SqsSpec,
	deadLetterQueue: NonNullable<SqsSpec['deadLetterQueue']>,
): Partial<Record<QueueAttributeName, string>> {
	return {MessageRetentionPeriod: String(deadLetterQueue.messageRetentionPeriod), ...encryptionAttributes(spec)};
}

/** The queue's URL when one has this name, after checking it is this component's (see the header). */
async function ownedQueueUrl(context: ResourceContext, name: string, action: OwnershipAction, what = 'queue'): Promise<string | undefined> {
	const url = await urlOf(context, name);
	if (url) requireOwned(await queueTags(context, url), context.tags, action, `SQS ${what} ${name}`);
	return url;
}

async function queueTags(context: ResourceContext, url: string): Promise<Record<string, string>> {
	const {Tags} = await awsCall(context, `SQS ListQueueTags ${url}`, (options) =>
		sqs(context).send(new ListQueueTagsCommand({QueueUrl: url}), options),
	);
	return Tags ?? {};
}

/** Create the dead-letter queue, or adopt ours (a crash, an edit) and set its attributes; its URL and ARN. */
async function ensureDeadLetterQueue(context: ResourceContext, spec: SqsSpec): Promise<{url: string; arn: string} | undefined> {
	const name = context.names.deadLetterQueue;
	if (!spec.deadLetterQueue?.enabled || !name) return undefined;
	const attributes = deadLetterAttributes(spec, spec.deadLetterQueue);
	let url = await ownedQueueUrl(context, name, 'adopt', 'dead-letter queue');
	context.progress(`creating dead-letter queue ${name}`);
	if (url)
		await awsCall(context, `SQS SetQueueAttributes ${name}`, (options) =>
			sqs(context).send(new SetQueueAttributesCommand({QueueUrl: url, Attributes: attributes}), options),
		);
	else {
		if (spec.type === 'fifo') attributes.FifoQueue = 'true';
		url = (
			await awsCall(context, `SQS CreateQueue ${name}`, (options) =>
				sqs(context).send(new CreateQueueCommand({QueueName: name, Attributes: attributes, tags: {...context.tags}}), options),
			)
		).QueueUrl;
	}
	if (!url) throw awsError(`SQS CreateQueue ${name}`, new Error('no queue URL returned'));
	return {url, arn: await queueArn(context, url)};
}

/** On update: the dead-letter queue created when it is new, else its attributes set where AWS differs (silently when none does). */
async function updateDeadLetterQueue(context: ResourceContext, spec: SqsSpec): Promise<{url: string; arn: string} | undefined> {
	const name = context.names.deadLetterQueue;
	if (!spec.deadLetterQueue?.enabled || !name) return undefined;
	const url = await ownedQueueUrl(context, name, 'change', 'dead-letter queue');
	if (!url) return ensureDeadLetterQueue(context, spec);
	const Attributes = await allAttributes(context, url);
	const changed = Object.fromEntries(
		Object.entries(deadLetterAttributes(spec, spec.deadLetterQueue)).filter(
			([key, value]) => Attributes[key as QueueAttributeName] !== value,
		),
	);
	if (Object.keys(changed).length > 0) {
		context.progress(`updating dead-letter queue ${name}`);
		await awsCall(context, `SQS SetQueueAttributes ${name}`, (options) =>
			sqs(context).send(new SetQueueAttributesCommand({QueueUrl: url, Attributes: changed}), options),
		);
	}
	return {url, arn: Attributes.QueueArn ?? (await queueArn(context, url))};
}

async function allAttributes(context: ResourceContext, url: string): Promise<Partial<Record<QueueAttributeName, string>>> {
	const {Attributes = {}} = await awsCall(context, `SQS GetQueueAttributes ${url}`, (options) =>
		sqs(context).send(new GetQueueAttributesCommand({QueueUrl: url, AttributeNames: ['All']}), options),
	);
	return Attributes;
}

async function syncTags(context: ResourceContext, url: string): Promise<void> {
	await applyTagChanges(await queueTags(context, url), context.tags, {
		untag: (TagKeys) =>
			awsCall(context, `SQS UntagQueue ${url}`, (options) => sqs(context).send(new UntagQueueCommand({QueueUrl: url, TagKeys}), options)),
		tag: (Tags) =>
			awsCall(context, `SQS TagQueue ${url}`, (options) => sqs(context).send(new TagQueueCommand({QueueUrl: url, Tags}), options)),
	});
}

function outputs(name: string, url: string, arn: string, dlq?: {url: string; arn: string}): AppliedResource {
	return {
		physicalId: url,
		outputs: {queueUrl: url, arn, queueName: name, ...(dlq ? {deadLetterQueueUrl: dlq.url, deadLetterQueueArn: dlq.arn} : {})},
	};
}

/** Attributes and tags of an existing queue of ours, its dead-letter queue made as the spec says. */
async function converge(
	context: ResourceContext,
	spec: SqsSpec,
	url: string,
	previous: StateResource | undefined,
): Promise<AppliedResource> {
	const name = context.names.primary!;
	const dlq = await updateDeadLetterQueue(context, spec);
	context.progress(`updating queue ${name}`);
	await awsCall(context, `SQS SetQueueAttributes ${name}`, (options) =>
		sqs(context).send(new SetQueueAttributesCommand({QueueUrl: url, Attributes: queueAttributes(spec, dlq?.arn)}), options),
	);
	await syncTags(context, url);
	// A dead-letter queue that was turned off is deleted after the redrive policy stops using it.
	const previousDlq = previous?.outputs.deadLetterQueueUrl;
	if (!dlq && typeof previousDlq === 'string') {
		const dlqName = previousDlq.split('/').pop() ?? previousDlq;
		if (await ownedQueueUrl(context, dlqName, 'delete', 'dead-letter queue')) {
			context.progress(`deleting dead-letter queue ${dlqName}`);
			await deleteQueue(context, previousDlq);
		}
	}
	return outputs(name, url, await queueArn(context, url), dlq);
}

export const sqsProvider: Provider<SqsSpec> = {
	async create(context, spec) {
		const name = context.names.primary!;
		// Ours already (a create whose state was lost): converge in place. Someone else's: refused.
		const existing = await ownedQueueUrl(context, name, 'adopt');
		if (existing) return converge(context, spec, existing, undefined);
		const dlq = await ensureDeadLetterQueue(context, spec);
		context.progress(`creating queue ${name}`);
		const attributes = queueAttributes(spec, dlq?.arn);
		if (!dlq) delete attributes.RedrivePolicy;
		if (spec.type === 'fifo') attributes.FifoQueue = 'true';
		const {QueueUrl} = await awsCall(context, `SQS CreateQueue ${name}`, (options) =>
			sqs(context).send(new CreateQueueCommand({QueueName: name, Attributes: attributes, tags: {...context.tags}}), options),
		);
		if (!QueueUrl) throw awsError(`SQS CreateQueue ${name}`, new Error('no queue URL returned'));
		return outputs(name, QueueUrl, await queueArn(context, QueueUrl), dlq);
	},

	async update(context, spec, previous) {
		const name = context.names.primary!;
		const url = await ownedQueueUrl(context, name, 'change');
		if (!url) throw new ProviderError(`SQS queue ${name} does not exist (deleted outside panka?): run panka plan --refresh`, 'NotFound');
		return converge(context, spec, url, previous);
	},

	async delete(context) {
		const url = await ownedQueueUrl(context, context.names.primary ?? '', 'delete');
		const dlqName = context.names.deadLetterQueue;
		const dlqUrl = dlqName ? await ownedQueueUrl(context, dlqName, 'delete', 'dead-letter queue') : undefined;
		if (url) await deleteQueue(context, url);
		if (dlqUrl) await deleteQueue(context, dlqUrl);
	},

	async read(context, previous: StateResource) {
		const name = context.names.primary!;
		const url = await ownedQueueUrl(context, name, 'read');
		if (!url) return {exists: false};
		const Attributes = await allAttributes(context, url);
		const redrive = Attributes.RedrivePolicy ? (JSON.parse(Attributes.RedrivePolicy) as {maxReceiveCount?: number}) : undefined;
		return {
			exists: true,
			physicalId: url,
			outputs: {...previous.outputs, queueUrl: url, arn: Attributes.QueueArn, queueName: name},
			observed: {
				type: Attributes.FifoQueue === 'true' ? 'fifo' : 'standard',
				messageRetentionPeriod: Number(Attributes.MessageRetentionPeriod),
				visibilityTimeout: Number(Attributes.VisibilityTimeout),
				receiveWaitTime: Number(Attributes.ReceiveMessageWaitTimeSeconds),
				delaySeconds: Number(Attributes.DelaySeconds),
				maxMessageSize: Number(Attributes.MaximumMessageSize),
				...(redrive ? {'deadLetterQueue.maxReceiveCount': Number(redrive.maxReceiveCount)} : {}),
			},
		};
	},

	async find(context, spec) {
		const name = context.names.primary!;
		const url = await urlOf(context, name);
		if (!url || !isOwnedBy(await queueTags(context, url), context.tags)) return undefined;
		const dlqName = context.names.deadLetterQueue;
		const dlqUrl = spec.deadLetterQueue?.enabled && dlqName ? await urlOf(context, dlqName) : undefined;
		const dlq =
			dlqUrl && isOwnedBy(await queueTags(context, dlqUrl), context.tags) ? {url: dlqUrl, arn: await queueArn(context, dlqUrl)} : undefined;
		return outputs(name, url, await queueArn(context, url), dlq);
	},
};

async function deleteQueue(context: ResourceContext, url: string): Promise<void> {
	await awsCallUnlessMissing(context, `SQS DeleteQueue ${url}`, queueMissing, (options) =>
		sqs(context).send(new DeleteQueueCommand({QueueUrl: url}), options),
	);
}
