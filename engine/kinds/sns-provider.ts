/**
 * SNS provider: the topic (standard or FIFO), its attributes (DisplayName, KMS encryption,
 * content-based deduplication), tags and subscriptions, plus the SQS queue policy statements that
 * let the topic deliver to queues of the stack. Loaded only when something is applied (sns.ts
 * points here lazily).
 *
 * Invariants:
 * - The topic name is the kind's deterministic physical name, so its ARN is known before it
 *   exists; `find` adopts it only when its panka:* tags are this component's, and create, update,
 *   read and delete refuse a same-named topic with other tags (`requireOwned`), naming its owner
 *   (CreateTopic on an existing name would otherwise hand back that topic).
 * - Subscriptions are identified by (protocol, endpoint) and reconciled on every create and
 *   update: missing ones are subscribed, ones no longer in the spec are unsubscribed, kept ones
 *   get their FilterPolicy and RawMessageDelivery set only when they differ.
 * - A `component` subscription's endpoint comes from the referenced component's outputs in
 *   `context.references` (see providers/references.ts): an SQS queue's `arn` (and `queueUrl`), a
 *   Lambda function's `functionArn`. Invoke permission for Lambda belongs to the Lambda provider.
 * - For each `component` SQS subscription, the queue's policy holds one statement of panka's
 *   (Sid `PankaSns<hash of topic ARN>`, sqs:SendMessage from sns.amazonaws.com, condition
 *   aws:SourceArn = the topic). Other statements are kept as they are; the statement is removed
 *   when the subscription is, and on delete.
 * - Queue policies are edited through providers/resource-policies.ts, which serialises edits of
 *   one queue's policy within this process (SQS has no conditional write), so two topics (or a
 *   topic and an EventBridge rule) adding statements to one queue never lose each other's.
 * - Subscriptions still pending confirmation (email, HTTP) have no ARN to unsubscribe; deleting the
 *   topic removes them.
 */
import {
	CreateTopicCommand,
	DeleteTopicCommand,
	GetSubscriptionAttributesCommand,
	GetTopicAttributesCommand,
	ListSubscriptionsByTopicCommand,
	ListTagsForResourceCommand,
	SetSubscriptionAttributesCommand,
	SetTopicAttributesCommand,
	SNSClient,
	SubscribeCommand,
	TagResourceCommand,
	UnsubscribeCommand,
	UntagResourceCommand,
} from '@aws-sdk/client-sns';
import {awsCall, awsCallUnlessMissing} from '../aws/call.js';
import {canonicalJson} from '../canonical-json.js';
import {partitionOf} from '../providers/arn.js';
import {type AppliedResource, type Provider, ProviderError, type ResourceContext} from '../providers/provider.js';
import {optionalReferencedOutput, referencedOutput} from '../providers/references.js';
import {
	putQueueStatement,
	type QueueRef,
	queueUrlOf,
	removeQueueStatement,
	serviceStatement,
	sourceStatementSid,
} from '../providers/resource-policies.js';
import {
	fromTagList,
	hasTagChanges,
	isOwnedBy,
	type OwnershipAction,
	requireOwned,
	tagChanges,
	toTagList,
} from '../providers/resource-tags.js';
import type {StateResource} from '../state/state-document.js';
import type {SnsProtocol, SnsSpec} from './sns.js';
import {topicMissing} from '../aws/missing-codes.js';

/** What ListSubscriptionsByTopic shows instead of an ARN for unconfirmed subscriptions. */
const pendingConfirmation = 'PendingConfirmation';

function sns(context: Pick<ResourceContext, 'clients'>): SNSClient {
	return context.clients.get(SNSClient);
}

function topicName(context: ResourceContext): string {
	return context.names.primary!;
}

function topicArnOf(context: ResourceContext): string {
	return `arn:${partitionOf(context.region)}:sns:${context.region}:${context.accountId}:${topicName(context)}`;
}

function outputs(context: ResourceContext, topicArn: string): AppliedResource {
	return {physicalId: topicArn, outputs: {topicArn, topicName: topicName(context)}};
}

/** The topic attributes panka manages, with the value meaning "unset" where the spec leaves one out. */
function managedTopicAttributes(spec: SnsSpec): Record<string, string> {
	const encryption = spec.encryption;
	return {
		DisplayName: spec.displayName ?? '',
		KmsMasterKeyId: encryption?.enabled ? (encryption.kmsKeyId ?? 'alias/aws/sns') : '',
		...(spec.fifoTopic ? {ContentBasedDeduplication: String(spec.contentBasedDeduplication ?? false)} : {}),
	};
}

/** The topic's tags, or undefined when there is no topic at this ARN. */
function topicTags(context: ResourceContext, topicArn: string): Promise<Record<string, string> | undefined> {
	return awsCallUnlessMissing(context, `SNS ListTagsForResource ${topicArn}`, topicMissing, async (options) =>
		fromTagList((await sns(context).send(new ListTagsForResourceCommand({ResourceArn: topicArn}), options)).Tags),
	);
}

function topicAttributes(context: ResourceContext, topicArn: string): Promise<Record<string, string> | undefined> {
	return awsCallUnlessMissing(context, `SNS GetTopicAttributes ${topicArn}`, topicMissing, async (options) => {
		const {Attributes} = await sns(context).send(new GetTopicAttributesCommand({TopicArn: topicArn}), options);
		return Attributes ?? {};
	});
}

/** The topic's tags after checking it is this component's; undefined when there is no topic. */
async function ownedTopicTags(
	context: ResourceContext,
	topicArn: string,
	action: OwnershipAction,
): Promise<Record<string, string> | undefined> {
	const tags = await topicTags(context, topicArn);
	if (tags) requireOwned(tags, context.tags, action, `SNS topic ${topicName(context)}`);
	return tags;
}

async function setChangedTopicAttributes(context: ResourceContext, topicArn: string, spec: SnsSpec): Promise<void> {
	const current = await topicAttributes(context, topicArn);
	if (!current) throw new ProviderError(`SNS topic ${topicName(context)} does not exist (deleted outside panka?)`, 'NotFound');
	for (const [name, value] of Object.entries(managedTopicAttributes(spec))) {
		if ((current[name] ?? '') === value) continue;
		await awsCall(context, `SNS SetTopicAttributes ${name} ${topicArn}`, (options) =>
			sns(context).send(new SetTopicAttributesCommand({TopicArn: topicArn, AttributeName: name, AttributeValue: value}), options),
		);
	}
}

async function syncTopicTags(context: ResourceContext, topicArn: string): Promise<void> {
	const changes = tagChanges((await topicTags(context, topicArn)) ?? {}, context.tags);
	if (!hasTagChanges(changes)) return;
	if (changes.remove.length > 0)
		await awsCall(context, `SNS UntagResource ${topicArn}`, (options) =>
			sns(context).send(new UntagResourceCommand({ResourceArn: topicArn, TagKeys: changes.remove}), options),
		);
	if (Object.keys(changes.set).length > 0)
		await awsCall(context, `SNS TagResource ${topicArn}`, (options) =>
			sns(context).send(new TagResourceCommand({ResourceArn: topicArn, Tags: toTagList(changes.set)}), options),
		);
}

// ---- subscriptions ----

interface DesiredSubscription {
	protocol: SnsProtocol;
	endpoint: string;
	/** Canonical JSON of the filter policy, '' for none. */
	filterPolicy: string;
	/** Only for protocols that have the attribute (sqs, http, https). */
	rawMessageDelivery?: boolean;
	/** The stack's own queue, whose policy panka maintains for this topic. */
	queue?: QueueRef;
}

interface CurrentSubscription {
	subscriptionArn: string;
	protocol: string;
	endpoint: string;
}

const subscriptionKey = (protocol: string, endpoint: string) => `${protocol} ${endpoint}`;

function canonicalPolicyText(text: string | undefined): string {
	if (!text) return '';
	try {
		return canonicalJson(JSON.parse(text));
	} catch {
		return text;
	}
}

async function desiredSubscriptions(context: ResourceContext, spec: SnsSpec): Promise<DesiredSubscription[]> {
	const byKey = new Map<string, DesiredSubscription>();
	for (const [index, subscription] of (spec.subscriptions ?? []).entries()) {
		const usedFor = `SNS subscription ${index + 1} (${subscription.protocol})`;
		let endpoint = subscription.endpoint ?? '';
		let queue: QueueRef | undefined;
		if (subscription.component !== undefined) {
			if (subscription.protocol === 'sqs') {
				endpoint = referencedOutput(context, subscription.component, 'arn', usedFor);
				queue = {
					arn: endpoint,
					url: optionalReferencedOutput(context, subscription.component, 'queueUrl') ?? (await queueUrlOf(context, endpoint, usedFor)),
				};
			} else endpoint = referencedOutput(context, subscription.component, 'functionArn', usedFor);
		}
		const hasRawDelivery = subscription.protocol === 'sqs' || subscription.protocol === 'http' || subscription.protocol === 'https';
		byKey.set(subscriptionKey(subscription.protocol, endpoint), {
			protocol: subscription.protocol,
			endpoint,
			filterPolicy: subscription.filterPolicy ? canonicalJson(subscription.filterPolicy) : '',
			...(hasRawDelivery ? {rawMessageDelivery: subscription.rawMessageDelivery ?? false} : {}),
			...(queue ? {queue} : {}),
		});
	}
	return [...byKey.values()];
}

/** Every subscription of the topic (paginated), or undefined when the topic is gone. */
export async function currentSubscriptions(
	context: Pick<ResourceContext, 'clients' | 'signal'>,
	topicArn: string,
): Promise<CurrentSubscription[] | undefined> {
	const found: CurrentSubscription[] = [];
	let nextToken: string | undefined;
	do {
		const page = await awsCallUnlessMissing(context, `SNS ListSubscriptionsByTopic ${topicArn}`, topicMissing, (options) =>
			sns(context).send(new ListSubscriptionsByTopicCommand({TopicArn: topicArn, ...(nextToken ? {NextToken: nextToken} : {})}), options),
		);
		if (!page) return undefined;
		for (const subscription of page.Subscriptions ?? [])
			found.push({
				subscriptionArn: subscription.SubscriptionArn ?? '',
				protocol: subscription.Protocol ?? '',
				endpoint: subscription.Endpoint ?? '',
			});
		nextToken = page.NextToken;
	} while (nextToken);
	return found;
}

export function isConfirmed(subscription: Pick<CurrentSubscription, 'subscriptionArn'>): boolean {
	return subscription.subscriptionArn !== '' && subscription.subscriptionArn !== pendingConfirmation;
}

async function subscribe(context: ResourceContext, topicArn: string, wanted: DesiredSubscription): Promise<void> {
	context.progress(`subscribing ${wanted.protocol} ${wanted.endpoint}`);
	const attributes: Record<string, string> = {};
	if (wanted.filterPolicy) attributes.FilterPolicy = wanted.filterPolicy;
	if (wanted.rawMessageDelivery) attributes.RawMessageDelivery = 'true';
	await awsCall(context, `SNS Subscribe ${wanted.protocol} ${wanted.endpoint}`, (options) =>
		sns(context).send(
			new SubscribeCommand({
				TopicArn: topicArn,
				Protocol: wanted.protocol,
				Endpoint: wanted.endpoint,
				Attributes: attributes,
				ReturnSubscriptionArn: true,
			}),
			options,
		),
	);
}

async function updateSubscriptionAttributes(context: ResourceContext, subscriptionArn: string, wanted: DesiredSubscription): Promise<void> {
	const {Attributes = {}} = await awsCall(context, `SNS GetSubscriptionAttributes ${subscriptionArn}`, (options) =>
		sns(context).send(new GetSubscriptionAttributesCommand({SubscriptionArn: subscriptionArn}), options),
	);
	const changes: [string, string][] = [];
	if (canonicalPolicyText(Attributes.FilterPolicy) !== wanted.filterPolicy) changes.push(['FilterPolicy', wanted.filterPolicy]);
	if (wanted.rawMessageDelivery !== undefined && (Attributes.RawMessageDelivery === 'true') !== wanted.rawMessageDelivery)
		changes.push(['RawMessageDelivery', String(wanted.rawMessageDelivery)]);
	for (const [name, value] of changes)
		await awsCall(context, `SNS SetSubscriptionAttributes ${name} ${subscriptionArn}`, (options) =>
			sns(context).send(
				new SetSubscriptionAttributesCommand({SubscriptionArn: subscriptionArn, AttributeName: name, AttributeValue: value}),
				options,
			),
		);
}

async function unsubscribe(context: ResourceContext, topicArn: string, subscription: CurrentSubscription): Promise<void> {
	context.progress(`unsubscribing ${subscription.protocol} ${subscription.endpoint}`);
	if (subscription.protocol === 'sqs') await removeTopicStatementFromQueueArn(context, subscription.endpoint, topicArn);
	if (!isConfirmed(subscription)) return;
	await awsCallUnlessMissing(context, `SNS Unsubscribe ${subscription.subscriptionArn}`, topicMissing, (options) =>
		sns(context).send(new UnsubscribeCommand({SubscriptionArn: subscription.subscriptionArn}), options),
	);
}

/** Make the topic's subscriptions exactly the spec's: add new, remove old, fix attributes of kept ones. */
async function reconcileSubscriptions(context: ResourceContext, topicArn: string, spec: SnsSpec): Promise<void> {
	const desired = await desiredSubscriptions(context, spec);
	const current = (await currentSubscriptions(context, topicArn)) ?? [];
	const wantedKeys = new Set(desired.map((wanted) => subscriptionKey(wanted.protocol, wanted.endpoint)));
	for (const subscription of current)
		if (!wantedKeys.has(subscriptionKey(subscription.protocol, subscription.endpoint))) await unsubscribe(context, topicArn, subscription);
	const currentByKey = new Map(
		current.map((subscription) => [subscriptionKey(subscription.protocol, subscription.endpoint), subscription]),
	);
	for (const wanted of desired) {
		// The queue lets the topic send before the subscription exists, so no message is refused.
		if (wanted.queue) await addTopicStatementToQueue(context, wanted.queue, topicArn);
		const existing = currentByKey.get(subscriptionKey(wanted.protocol, wanted.endpoint));
		if (!existing) await subscribe(context, topicArn, wanted);
		else if (isConfirmed(existing)) await updateSubscriptionAttributes(context, existing.subscriptionArn, wanted);
	}
}

// ---- queue policies ----

function topicStatementSid(topicArn: string): string {
	return sourceStatementSid('PankaSns', topicArn);
}

function addTopicStatementToQueue(context: ResourceContext, queue: QueueRef, topicArn: string): Promise<void> {
	return putQueueStatement(
		context,
		queue,
		serviceStatement({
			sid: topicStatementSid(topicArn),
			service: 'sns.amazonaws.com',
			action: 'sqs:SendMessage',
			resource: queue.arn,
			sourceArn: topicArn,
		}),
	);
}

function removeTopicStatementFromQueueArn(context: ResourceContext, queueArn: string, topicArn: string): Promise<void> {
	return removeQueueStatement(context, queueArn, topicStatementSid(topicArn));
}

// ---- the provider ----

async function createTopic(context: ResourceContext, spec: SnsSpec): Promise<string> {
	const name = topicName(context);
	context.progress(`creating topic ${name}`);
	const attributes = Object.fromEntries(Object.entries(managedTopicAttributes(spec)).filter(([, value]) => value !== ''));
	if (spec.fifoTopic) attributes.FifoTopic = 'true';
	const {TopicArn} = await awsCall(context, `SNS CreateTopic ${name}`, (options) =>
		sns(context).send(new CreateTopicCommand({Name: name, Attributes: attributes, Tags: toTagList(context.tags)}), options),
	);
	if (!TopicArn) throw new ProviderError(`SNS CreateTopic ${name}: no topic ARN returned`);
	return TopicArn;
}

/** Attributes, tags and subscriptions of an existing topic of this component, in place. */
async function configureTopic(context: ResourceContext, topicArn: string, spec: SnsSpec): Promise<AppliedResource> {
	await ownedTopicTags(context, topicArn, 'change');
	context.progress(`configuring topic ${topicName(context)}`);
	await setChangedTopicAttributes(context, topicArn, spec);
	await syncTopicTags(context, topicArn);
	await reconcileSubscriptions(context, topicArn, spec);
	return outputs(context, topicArn);
}

function previousTopicArn(context: ResourceContext, previous: StateResource): string {
	const recorded = previous.outputs.topicArn;
	return typeof recorded === 'string' && recorded !== '' ? recorded : topicArnOf(context);
}

export const snsProvider: Provider<SnsSpec> = {
	async create(context, spec) {
		// An existing topic of ours (state lost after a create) converges through the update path.
		if (await ownedTopicTags(context, topicArnOf(context), 'adopt')) return configureTopic(context, topicArnOf(context), spec);
		const topicArn = await createTopic(context, spec);
		await reconcileSubscriptions(context, topicArn, spec);
		return outputs(context, topicArn);
	},

	async update(context, spec, previous) {
		return configureTopic(context, previousTopicArn(context, previous), spec);
	},

	async delete(context, previous) {
		const topicArn = previousTopicArn(context, previous);
		if (!(await ownedTopicTags(context, topicArn, 'delete'))) return;
		const subscriptions = await currentSubscriptions(context, topicArn);
		if (!subscriptions) return;
		for (const subscription of subscriptions) await unsubscribe(context, topicArn, subscription);
		context.progress(`deleting topic ${topicName(context)}`);
		await awsCallUnlessMissing(context, `SNS DeleteTopic ${topicArn}`, topicMissing, (options) =>
			sns(context).send(new DeleteTopicCommand({TopicArn: topicArn}), options),
		);
	},

	async read(context, previous) {
		const topicArn = previousTopicArn(context, previous);
		if (!(await ownedTopicTags(context, topicArn, 'read'))) return {exists: false};
		const attributes = await topicAttributes(context, topicArn);
		if (!attributes) return {exists: false};
		const subscriptions = (await currentSubscriptions(context, topicArn)) ?? [];
		const kmsKeyId = attributes.KmsMasterKeyId ?? '';
		return {
			exists: true,
			physicalId: topicArn,
			outputs: {...previous.outputs, ...outputs(context, topicArn).outputs},
			// Keys are spec paths; `[]` marks a list observed by its elements' identities.
			observed: {
				displayName: attributes.DisplayName ?? '',
				fifoTopic: attributes.FifoTopic === 'true',
				...(attributes.FifoTopic === 'true' ? {contentBasedDeduplication: attributes.ContentBasedDeduplication === 'true'} : {}),
				'encryption.enabled': kmsKeyId !== '',
				...(kmsKeyId ? {'encryption.kmsKeyId': kmsKeyId} : {}),
				// Subscriptions to stack components read back as the spec writes them: by component name.
				'subscriptions[]': subscriptions.map(({protocol, endpoint}) => {
					const component = componentWithEndpoint(context, endpoint);
					return component ? {component, protocol} : {protocol, endpoint};
				}),
			},
		};
	},

	async find(context) {
		const topicArn = topicArnOf(context);
		const tags = await topicTags(context, topicArn);
		return tags && isOwnedBy(tags, context.tags) ? outputs(context, topicArn) : undefined;
	},
};

/** The referenced component whose ARN (queue `arn`, Lambda `functionArn`) is this endpoint. */
function componentWithEndpoint(context: ResourceContext, endpoint: string): string | undefined {
	return Object.entries(context.references ?? {}).find(([, outputs]) => outputs.arn === endpoint || outputs.functionArn === endpoint)?.[0];
}
