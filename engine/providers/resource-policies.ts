/**
 * Resource policies of SQS queues and SNS topics that panka edits so AWS services can deliver to
 * them: an SNS topic subscribing a queue, an EventBridge rule targeting a queue or a topic. One
 * module, so every provider edits a policy the same way and edits of one policy are serialised
 * across providers.
 *
 * Invariants:
 * - panka owns only the statements it adds, each with a Sid derived from the sending resource's
 *   ARN (`sourceStatementSid`), allowing one service principal one action on the queue or topic,
 *   with `aws:SourceArn` = the sender. Every other statement is kept exactly as it is; a policy
 *   whose text is not JSON is never rewritten.
 * - An edit that changes nothing writes nothing. A queue policy left with no statements is
 *   removed (Policy ''); a topic always keeps a policy (AWS gives every topic a default one).
 * - Concurrency: neither SQS nor SNS has a conditional write for a policy, so read-modify-write
 *   cycles on one queue or topic are serialised within this process; two providers adding
 *   statements to the same queue in one parallel apply never lose each other's statement.
 * - Removing from a queue or topic that is gone is success (deletes are retried after crashes);
 *   adding requires it to exist.
 */
import {createHash} from 'node:crypto';
import {GetTopicAttributesCommand, SetTopicAttributesCommand, SNSClient} from '@aws-sdk/client-sns';
import {GetQueueAttributesCommand, GetQueueUrlCommand, SetQueueAttributesCommand, SQSClient} from '@aws-sdk/client-sqs';
import {awsCall, awsCallUnlessMissing} from '../aws/call.js';
import {canonicalJson} from '../canonical-json.js';
import {queueMissing, topicMissing} from '../aws/missing-codes.js';
import {parseArn} from './arn.js';
import {ProviderError, type ResourceContext} from './provider.js';

export interface ResourcePolicyStatement {
	Sid?: string;
	[key: string]: unknown;
}

export interface QueueRef {
	url: string;
	arn: string;
}

type PolicyContext = Pick<ResourceContext, 'clients' | 'signal' | 'accountId'>;

/** `${prefix}<16 hex of sha256(sourceArn)>`: alphanumeric, as IAM requires, and stable per sender. */
export function sourceStatementSid(prefix: string, sourceArn: string): string {
	return `${prefix}${createHash('sha256').update(sourceArn).digest('hex').slice(0, 16)}`;
}

/** Allow `service` to do `action` on `resource` when the request comes from `sourceArn`. */
export function serviceStatement(options: {
	sid: string;
	service: string;
	action: string;
	resource: string;
	sourceArn: string;
}): ResourcePolicyStatement {
	return {
		Sid: options.sid,
		Effect: 'Allow',
		Principal: {Service: options.service},
		Action: options.action,
		Resource: options.resource,
		Condition: {ArnEquals: {'aws:SourceArn': options.sourceArn}},
	};
}

/** The URL of a queue given its ARN (any account the caller can see). */
export async function queueUrlOf(context: PolicyContext, queueArn: string, usedFor: string): Promise<string> {
	const arn = parseArn(queueArn);
	if (!arn) throw new ProviderError(`${usedFor}: ${queueArn} is not an SQS queue ARN`, 'InvalidParameter');
	const {QueueUrl} = await awsCall(context, `SQS GetQueueUrl ${arn.resource}`, (options) =>
		context.clients.get(SQSClient).send(new GetQueueUrlCommand({QueueName: arn.resource, QueueOwnerAWSAccountId: arn.accountId}), options),
	);
	if (!QueueUrl) throw new ProviderError(`SQS GetQueueUrl ${arn.resource}: no queue URL returned`);
	return QueueUrl;
}

// ---- one read-modify-write at a time per policy ----

interface PolicyDocument {
	Version?: string;
	Statement?: ResourcePolicyStatement | ResourcePolicyStatement[];
	[key: string]: unknown;
}

interface PolicyHolder {
	/** Serialisation key and error text: the queue URL or topic ARN. */
	id: string;
	/** The policy text ('' for none), or undefined when the queue or topic is gone. */
	read(): Promise<string | undefined>;
	write(text: string): Promise<void>;
	/** The text for a policy without statements. */
	emptyPolicy(policy: PolicyDocument): string;
}

const policyEditsInFlight = new Map<string, Promise<void>>();

async function editPolicy(holder: PolicyHolder, edit: (statements: ResourcePolicyStatement[]) => ResourcePolicyStatement[]): Promise<void> {
	const before = policyEditsInFlight.get(holder.id) ?? Promise.resolve();
	const mine = before.catch(() => undefined).then(() => rewritePolicy(holder, edit));
	policyEditsInFlight.set(holder.id, mine);
	try {
		await mine;
	} finally {
		if (policyEditsInFlight.get(holder.id) === mine) policyEditsInFlight.delete(holder.id);
	}
}

async function rewritePolicy(
	holder: PolicyHolder,
	edit: (statements: ResourcePolicyStatement[]) => ResourcePolicyStatement[],
): Promise<void> {
	const text = await holder.read();
	if (text === undefined) return;
	let policy: PolicyDocument = {};
	try {
		if (text) policy = JSON.parse(text);
	} catch (error) {
		throw new ProviderError(`${holder.id} has a policy that is not JSON; panka will not rewrite it`, 'MalformedPolicy', {cause: error});
	}
	const statements = policy.Statement === undefined ? [] : Array.isArray(policy.Statement) ? policy.Statement : [policy.Statement];
	const next = edit(statements);
	if (canonicalJson(next) === canonicalJson(statements)) return;
	await holder.write(
		next.length === 0 ? holder.emptyPolicy(policy) : JSON.stringify({...policy, Version: policy.Version ?? '2012-10-17', Statement: next}),
	);
}

const withStatement = (statement: ResourcePolicyStatement) => (statements: ResourcePolicyStatement[]) => [
	...statements.filter((existing) => existing.Sid !== statement.Sid),
	statement,
];
const withoutStatement = (sid: string) => (statements: ResourcePolicyStatement[]) =>
	statements.filter((statement) => statement.Sid !== sid);

// ---- queues ----

function queuePolicy(context: PolicyContext, queueUrl: string, queueMustExist: boolean): PolicyHolder {
	const sqs = context.clients.get(SQSClient);
	const missing = queueMustExist ? [] : queueMissing;
	return {
		id: `SQS queue ${queueUrl}`,
		read: async () => {
			const attributes = await awsCallUnlessMissing(
				context,
				`SQS GetQueueAttributes Policy ${queueUrl}`,
				missing,
				async (options) =>
					(await sqs.send(new GetQueueAttributesCommand({QueueUrl: queueUrl, AttributeNames: ['Policy']}), options)).Attributes ?? {},
			);
			return attributes === undefined ? undefined : (attributes.Policy ?? '');
		},
		write: async (text) => {
			await awsCallUnlessMissing(context, `SQS SetQueueAttributes Policy ${queueUrl}`, missing, (options) =>
				sqs.send(new SetQueueAttributesCommand({QueueUrl: queueUrl, Attributes: {Policy: text}}), options),
			);
		},
		emptyPolicy: () => '',
	};
}

/** Add (or replace, by Sid) one statement in a queue's policy; the queue must exist. */
export function putQueueStatement(context: PolicyContext, queue: QueueRef, statement: ResourcePolicyStatement): Promise<void> {
	return editPolicy(queuePolicy(context, queue.url, true), withStatement(statement));
}

/** Remove the statement `sid` from a queue of this account, if the queue and the statement exist. */
export async function removeQueueStatement(context: PolicyContext, queueArn: string, sid: string): Promise<void> {
	const arn = parseArn(queueArn);
	if (!arn || arn.accountId !== context.accountId) return;
	const url = await awsCallUnlessMissing(
		context,
		`SQS GetQueueUrl ${arn.resource}`,
		queueMissing,
		async (options) => (await context.clients.get(SQSClient).send(new GetQueueUrlCommand({QueueName: arn.resource}), options)).QueueUrl,
	);
	if (url) await editPolicy(queuePolicy(context, url, false), withoutStatement(sid));
}

// ---- topics ----

function topicPolicy(context: PolicyContext, topicArn: string, topicMustExist: boolean): PolicyHolder {
	const sns = context.clients.get(SNSClient);
	const missing = topicMustExist ? [] : topicMissing;
	return {
		id: `SNS topic ${topicArn}`,
		read: async () => {
			const attributes = await awsCallUnlessMissing(
				context,
				`SNS GetTopicAttributes ${topicArn}`,
				missing,
				async (options) => (await sns.send(new GetTopicAttributesCommand({TopicArn: topicArn}), options)).Attributes ?? {},
			);
			return attributes === undefined ? undefined : (attributes.Policy ?? '');
		},
		write: async (text) => {
			await awsCallUnlessMissing(context, `SNS SetTopicAttributes Policy ${topicArn}`, missing, (options) =>
				sns.send(new SetTopicAttributesCommand({TopicArn: topicArn, AttributeName: 'Policy', AttributeValue: text}), options),
			);
		},
		emptyPolicy: (policy) => JSON.stringify({...policy, Version: policy.Version ?? '2012-10-17', Statement: []}),
	};
}

/** Add (or replace, by Sid) one statement in a topic's policy; the topic must exist. */
export function putTopicStatement(context: PolicyContext, topicArn: string, statement: ResourcePolicyStatement): Promise<void> {
	return editPolicy(topicPolicy(context, topicArn, true), withStatement(statement));
}

/** Remove the statement `sid` from a topic of this account, if the topic and the statement exist. */
export async function removeTopicStatement(context: PolicyContext, topicArn: string, sid: string): Promise<void> {
	const arn = parseArn(topicArn);
	if (!arn || arn.accountId !== context.accountId) return;
	await editPolicy(topicPolicy(context, topicArn, false), withoutStatement(sid));
}
