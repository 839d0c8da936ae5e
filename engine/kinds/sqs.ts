/**
 * SQS: a standard or FIFO queue, optionally with a dead-letter queue that panka creates and wires
 * with a RedrivePolicy. Switching between standard and FIFO is a replace (AWS cannot convert a
 * queue); every attribute is an in-place update.
 */
import {z} from '../zod.js';
import {estimateFrom, formatRate, usageLine} from '../cost/cost-rules.js';
import {physicalName, nameRules} from '../resolve/physical-names.js';
import {boolean, dependsOnSchema, integer, tagsSchema} from '../model/fields.js';
import {encryptionTurnedOff} from './broadening.js';
import {encryptionRequired} from './policies.js';
import {arnInOutput, defineKind, type ReaderAccess} from './kind.js';

export const sqsSpecSchema = z.strictObject({
	type: z.enum(['standard', 'fifo']).default('standard'),
	/** Seconds a message is kept: 60 s to 14 days. */
	messageRetentionPeriod: integer({min: 60, max: 1_209_600}).default(345_600),
	/** Seconds a received message stays hidden: 0 to 12 hours. */
	visibilityTimeout: integer({min: 0, max: 43_200}).default(30),
	/** Long-polling wait in seconds: 0 to 20. */
	receiveWaitTime: integer({min: 0, max: 20}).default(0),
	delaySeconds: integer({min: 0, max: 900}).default(0),
	maxMessageSize: integer({min: 1_024, max: 262_144}).default(262_144),
	contentBasedDeduplication: boolean().optional(),
	deadLetterQueue: z
		.strictObject({
			enabled: boolean().default(true),
			maxReceiveCount: integer({min: 1, max: 1_000}).default(5),
			messageRetentionPeriod: integer({min: 60, max: 1_209_600}).default(1_209_600),
		})
		.optional(),
	encryption: z
		.strictObject({
			enabled: boolean().default(true),
			kmsKeyId: z.string().optional(),
		})
		.optional(),
	tags: tagsSchema.optional(),
	dependsOn: dependsOnSchema.optional(),
});

export type SqsSpec = z.output<typeof sqsSpecSchema>;

/** What reading the queue's URL or ARN grants: sending to it; by name, also looking its URL up. */
const queueSend: ReaderAccess = {name: 'queue', actions: ['sqs:SendMessage'], resources: arnInOutput('arn')};
const queueSendByName: ReaderAccess = {name: 'queue', actions: ['sqs:GetQueueUrl', 'sqs:SendMessage'], resources: arnInOutput('arn')};
/** What reading the dead-letter queue's URL or ARN grants: sending to it. */
const deadLetterSend: ReaderAccess = {
	name: 'dead-letter-queue',
	actions: ['sqs:SendMessage'],
	resources: arnInOutput('deadLetterQueueArn'),
};

export const sqsKind = defineKind<SqsSpec>({
	kind: 'SQS',
	summary: 'An SQS queue (standard or FIFO) with an optional dead-letter queue',
	awsType: 'AWS::SQS::Queue',
	spec: sqsSpecSchema,
	outputs: {
		queueUrl: {description: 'The queue URL, for SendMessage/ReceiveMessage'},
		arn: {description: 'The queue ARN, for IAM policies and subscriptions'},
		queueName: {description: 'The queue name'},
		deadLetterQueueUrl: {description: 'The dead-letter queue URL (when enabled)'},
		deadLetterQueueArn: {description: 'The dead-letter queue ARN (when enabled)'},
	},
	replaceOn: ['type'],
	placement: () => 'none',
	physicalNames(identity, spec) {
		const rule = spec.type === 'fifo' ? nameRules.sqsFifoQueue : nameRules.sqsQueue;
		const names: {primary: string} & Record<string, string> = {primary: physicalName(identity, rule)};
		if (spec.deadLetterQueue?.enabled) names.deadLetterQueue = physicalName(identity, rule, 'dlq');
		return names;
	},
	references: () => [],
	describe(spec) {
		const dlq = spec.deadLetterQueue?.enabled ? `, DLQ after ${spec.deadLetterQueue.maxReceiveCount} receives` : '';
		return `${spec.type} queue, visibility ${spec.visibilityTimeout}s${dlq}`;
	},
	/** Billed by use: requests (usage file), at the standard or FIFO rate. */
	cost(spec, context) {
		const {sqs} = context.prices;
		const rate = spec.type === 'fifo' ? sqs.fifoRequestMillion : sqs.standardRequestMillion;
		const requests = context.usage?.requestsPerMonth;
		const lines = usageLine(`${requests} requests/month`, requests, rate, 1_000_000);
		const notes = lines.length > 0 ? [] : [`${formatRate(rate)} per million requests`];
		return estimateFrom(lines, notes, {billedByUse: true});
	},
	broadening: (input) => encryptionTurnedOff(input, input.spec.encryption?.enabled, 'the queue'),
	policyIssues: (spec, context) => encryptionRequired(spec.encryption, context, 'a queue'),
	// A reader of the queue is a producer (consuming is what an sqs trigger grants).
	readerAccess: {
		queueUrl: [queueSend],
		arn: [queueSend],
		queueName: [queueSendByName],
		deadLetterQueueUrl: [deadLetterSend],
		deadLetterQueueArn: [deadLetterSend],
	},
	holdsData: true,
	allowedByDefault: true,
	typicalCreateSeconds: 2,
	provider: async () => (await import('./sqs-provider.js')).sqsProvider,
	health: async () => (await import('./sqs-health.js')).sqsHealth,
	leftovers: async () => (await import('./sqs-leftovers.js')).sqsLeftovers,
});
