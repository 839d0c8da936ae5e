/**
 * SNS: a standard or FIFO topic with subscriptions to components of the stack (SQS queues,
 * Lambda functions) or to external endpoints (email, HTTP(S), SMS, ARNs).
 *
 * Invariants:
 * - A subscription names exactly one of `endpoint` (external, checked against its protocol) and
 *   `component` (only for the sqs and lambda protocols; resolved to the component's ARN).
 * - FIFO topics deliver only to SQS; `contentBasedDeduplication` is only for FIFO topics;
 *   `rawMessageDelivery` only for sqs, http and https subscriptions.
 * - Protocols are lowercase. Switching between standard and FIFO is a replace (AWS cannot
 *   convert a topic); everything else, subscriptions included, is an update.
 */
import {z} from '../zod.js';
import {estimateFrom, formatRate, usageLine} from '../cost/cost-rules.js';
import {boolean, componentName, dependsOnSchema, tagsSchema} from '../model/fields.js';
import {nameRules, physicalName} from '../resolve/physical-names.js';
import {encryptionTurnedOff} from './broadening.js';
import {encryptionRequired} from './policies.js';
import {arnInOutput, defineKind, type ReaderAccess} from './kind.js';
import {addFieldIssue, caseInsensitiveEnum} from './spec-rules.js';
import {plural} from '../presentation.js';

export const snsProtocols = ['sqs', 'lambda', 'email', 'email-json', 'http', 'https', 'sms'] as const;
export type SnsProtocol = (typeof snsProtocols)[number];

/** Kinds a `component` subscription may name, by protocol. */
const componentKinds: Partial<Record<SnsProtocol, readonly string[]>> = {sqs: ['SQS'], lambda: ['Lambda']};

const email = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const endpointRules: Record<SnsProtocol, {pattern: RegExp; is: string}> = {
	sqs: {pattern: /^arn:aws[a-z-]*:sqs:/, is: 'an SQS queue ARN'},
	lambda: {pattern: /^arn:aws[a-z-]*:lambda:/, is: 'a Lambda function ARN'},
	email: {pattern: email, is: 'an email address'},
	'email-json': {pattern: email, is: 'an email address'},
	http: {pattern: /^http:\/\/\S+$/, is: 'an http:// URL'},
	https: {pattern: /^https:\/\/\S+$/, is: 'an https:// URL'},
	sms: {pattern: /^\+[1-9]\d{1,14}$/, is: 'a phone number in E.164 form, e.g. +14155550100'},
};

const rawDeliveryProtocols: readonly SnsProtocol[] = ['sqs', 'http', 'https'];

const subscriptionSchema = z
	.strictObject({
		protocol: caseInsensitiveEnum(snsProtocols),
		/** An external endpoint: email address, URL, phone number or ARN. */
		endpoint: z.string().min(1).optional(),
		/** A component of the stack: an SQS queue (sqs) or a Lambda function (lambda). */
		component: componentName().optional(),
		/** An SNS filter policy: attribute name → allowed values or conditions. */
		filterPolicy: z.record(z.string(), z.unknown()).optional(),
		rawMessageDelivery: boolean().optional(),
	})
	.superRefine((subscription, ctx) => {
		const {protocol, endpoint, component} = subscription;
		if (endpoint !== undefined && component !== undefined) addFieldIssue(ctx, ['component'], 'set either endpoint or component, not both');
		if (endpoint === undefined && component === undefined)
			addFieldIssue(ctx, ['endpoint'], `a ${protocol} subscription needs an endpoint or a component`);
		if (component !== undefined && !componentKinds[protocol])
			addFieldIssue(ctx, ['component'], `component subscriptions are for sqs and lambda; ${protocol} needs an endpoint`);
		const rule = endpointRules[protocol];
		if (endpoint !== undefined && !rule.pattern.test(endpoint))
			addFieldIssue(ctx, ['endpoint'], `a ${protocol} endpoint is ${rule.is}, not "${endpoint}"`);
		if (subscription.rawMessageDelivery !== undefined && !rawDeliveryProtocols.includes(protocol))
			addFieldIssue(ctx, ['rawMessageDelivery'], `rawMessageDelivery applies to sqs, http and https, not ${protocol}`);
	});

export const snsSpecSchema = z
	.strictObject({
		displayName: z.string().max(100).optional(),
		fifoTopic: boolean().default(false),
		contentBasedDeduplication: boolean().optional(),
		subscriptions: z.array(subscriptionSchema).optional(),
		/** Enabled without kmsKeyId uses the AWS managed key alias/aws/sns. */
		encryption: z.strictObject({enabled: boolean().default(true), kmsKeyId: z.string().min(1).optional()}).optional(),
		tags: tagsSchema.optional(),
		dependsOn: dependsOnSchema.optional(),
	})
	.superRefine((spec, ctx) => {
		if (spec.contentBasedDeduplication !== undefined && !spec.fifoTopic)
			addFieldIssue(ctx, ['contentBasedDeduplication'], 'contentBasedDeduplication needs fifoTopic: true');
		if (spec.fifoTopic)
			spec.subscriptions?.forEach((subscription, index) => {
				if (subscription.protocol !== 'sqs')
					addFieldIssue(ctx, ['subscriptions', index, 'protocol'], `FIFO topics deliver only to sqs, not ${subscription.protocol}`);
			});
	});

export type SnsSpec = z.output<typeof snsSpecSchema>;

/** What reading the topic's name or ARN grants: publishing to it. */
const topicPublish: ReaderAccess = {name: 'topic', actions: ['sns:Publish'], resources: arnInOutput('topicArn')};

export const snsKind = defineKind<SnsSpec>({
	kind: 'SNS',
	summary: 'An SNS topic (standard or FIFO) with subscriptions',
	awsType: 'AWS::SNS::Topic',
	spec: snsSpecSchema,
	outputs: {
		topicArn: {description: 'The topic ARN, for Publish and IAM policies'},
		topicName: {description: 'The topic name'},
	},
	replaceOn: ['fifoTopic'],
	placement: () => 'none',
	physicalNames: (identity, spec) => ({
		primary: physicalName(identity, spec.fifoTopic ? nameRules.snsFifoTopic : nameRules.snsTopic),
	}),
	references: (spec) =>
		(spec.subscriptions ?? []).flatMap((subscription, index) => {
			const acceptsKinds = componentKinds[subscription.protocol];
			if (subscription.component === undefined || !acceptsKinds) return [];
			return [{path: ['subscriptions', index, 'component'], component: subscription.component, acceptsKinds, label: 'subscription'}];
		}),
	policyIssues: (spec, context) => encryptionRequired(spec.encryption, context, 'a topic'),
	broadening: (input) => encryptionTurnedOff(input, input.spec.encryption?.enabled, 'the topic'),
	describe(spec) {
		const count = spec.subscriptions?.length ?? 0;
		return `${spec.fifoTopic ? 'FIFO' : 'standard'} topic, ${plural(count, 'subscription')}`;
	},
	/** Billed by use: publishes (usage file `requestsPerMonth`); deliveries are the subscribers' cost. */
	cost(_spec, context) {
		const {sns} = context.prices;
		const publishes = context.usage?.requestsPerMonth;
		const lines = usageLine(`${publishes} publishes/month`, publishes, sns.publishMillion, 1_000_000);
		const notes = lines.length > 0 ? [] : [`${formatRate(sns.publishMillion)} per million publishes`];
		return estimateFrom(lines, notes, {billedByUse: true});
	},
	// A reader of the topic publishes to it.
	readerAccess: {topicArn: [topicPublish], topicName: [topicPublish]},
	allowedByDefault: true,
	typicalCreateSeconds: 2,
	provider: async () => (await import('./sns-provider.js')).snsProvider,
	health: async () => (await import('./sns-health.js')).snsHealth,
	leftovers: async () => (await import('./sns-leftovers.js')).snsLeftovers,
});
