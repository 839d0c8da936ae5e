/**
 * valueFrom sources and the IAM permissions they imply, for compute kinds whose code uses the
 * values it is given (a Lambda reading TABLE_NAME from its environment calls DynamoDB on that
 * table). `context.valueSources` lists what a spec reads; `valueSourceStatements` turns it into
 * least-privilege statements for the function's (or task's) role.
 *
 * The mapping, by the source's kind and the output read (several outputs of one component grant
 * the union, once):
 *   DynamoDB  tableName, arn      read/write items: Get/Put/Update/DeleteItem, BatchGet/BatchWriteItem,
 *                                 ConditionCheckItem, Query, Scan, DescribeTable on the table and
 *                                 `table/index/*`
 *             streamArn           read the stream: DescribeStream, GetRecords, GetShardIterator
 *   SQS       queueUrl, arn       sqs:SendMessage (+ sqs:GetQueueUrl for queueName) on the queue:
 *             queueName           a producer; consuming is what an sqs trigger grants
 *             deadLetterQueueUrl, deadLetterQueueArn   sqs:SendMessage on the dead-letter queue
 *   SNS       topicArn, topicName sns:Publish on the topic
 *   S3        bucketName, arn, domainName, regionalDomainName
 *                                 s3:GetObject + s3:PutObject on `bucket/*`, s3:ListBucket on the bucket
 *   Lambda    functionArn, functionName   lambda:InvokeFunction on the function
 *   anything else (RDS endpoint/port, MicroService endpoint, log group names, rule ARNs):
 *             nothing; those are reached over the network or not called at all.
 *
 * Invariants:
 * - Pure: no AWS calls. A source whose ARN output is missing grants nothing (it cannot be scoped).
 * - Deterministic: statements are ordered by component, then by access, with sorted actions, so
 *   the same sources always give the same policy document.
 * - Without `context.valueSources` (a caller that does not fill it) no statement is produced: the
 *   role gets less, never more.
 */
import type {PolicyStatement} from './iam-roles.js';
import type {ValueSource} from './provider.js';

/** What applyPlan knows about a component named in valueFrom: its kind and current outputs. */
export type DescribeComponent = (component: string) => {kind: string; outputs: Readonly<Record<string, unknown>>} | undefined;

/**
 * Every `{valueFrom: {component, output}}` in an unsubstituted spec, once each, in spec order,
 * for `ResourceContext.valueSources`. Components `describe` does not know (not applied yet) are
 * left out.
 */
export function valueSourcesOf(spec: unknown, describe: DescribeComponent): ValueSource[] {
	const found = new Map<string, ValueSource>();
	const visit = (node: unknown): void => {
		if (Array.isArray(node)) {
			node.forEach(visit);
			return;
		}
		if (!node || typeof node !== 'object') return;
		const from = (node as {valueFrom?: {component?: unknown; output?: unknown}}).valueFrom;
		if (from && typeof from.component === 'string' && typeof from.output === 'string') {
			const key = `${from.component}.${from.output}`;
			const source = describe(from.component);
			if (source && !found.has(key))
				found.set(key, {component: from.component, output: from.output, kind: source.kind, outputs: source.outputs});
			return;
		}
		Object.values(node).forEach(visit);
	};
	visit(spec);
	return [...found.values()];
}

interface Access {
	/** Orders statements of one component. */
	name: string;
	actions: string[];
	resources: (outputs: Readonly<Record<string, unknown>>) => string[];
}

function stringOutput(outputs: Readonly<Record<string, unknown>>, name: string): string | undefined {
	const value = outputs[name];
	return typeof value === 'string' && value !== '' ? value : undefined;
}

/** An access on the ARN in one output (`suffix` appended, e.g. `/*` for a bucket's objects). */
const onOutput =
	(name: string, suffixes: readonly string[] = ['']) =>
	(outputs: Readonly<Record<string, unknown>>) => {
		const arn = stringOutput(outputs, name);
		return arn ? suffixes.map((suffix) => `${arn}${suffix}`) : [];
	};

const tableReadWrite: Access = {
	name: 'table',
	actions: [
		'dynamodb:BatchGetItem',
		'dynamodb:BatchWriteItem',
		'dynamodb:ConditionCheckItem',
		'dynamodb:DeleteItem',
		'dynamodb:DescribeTable',
		'dynamodb:GetItem',
		'dynamodb:PutItem',
		'dynamodb:Query',
		'dynamodb:Scan',
		'dynamodb:UpdateItem',
	],
	resources: onOutput('arn', ['', '/index/*']),
};
const streamRead: Access = {
	name: 'stream',
	actions: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'],
	resources: onOutput('streamArn'),
};
const queueSend: Access = {name: 'queue', actions: ['sqs:SendMessage'], resources: onOutput('arn')};
const queueSendByName: Access = {name: 'queue', actions: ['sqs:GetQueueUrl', 'sqs:SendMessage'], resources: onOutput('arn')};
const deadLetterSend: Access = {name: 'dead-letter-queue', actions: ['sqs:SendMessage'], resources: onOutput('deadLetterQueueArn')};
const topicPublish: Access = {name: 'topic', actions: ['sns:Publish'], resources: onOutput('topicArn')};
const bucketReadWrite: Access[] = [
	{name: 'bucket', actions: ['s3:ListBucket'], resources: onOutput('arn')},
	{name: 'objects', actions: ['s3:GetObject', 's3:PutObject'], resources: onOutput('arn', ['/*'])},
];
const functionInvoke: Access = {name: 'function', actions: ['lambda:InvokeFunction'], resources: onOutput('functionArn')};

/** kind → output → the access reading that output implies. */
const accessByOutput: Readonly<Record<string, Readonly<Record<string, readonly Access[]>>>> = {
	DynamoDB: {tableName: [tableReadWrite], arn: [tableReadWrite], streamArn: [streamRead]},
	SQS: {
		queueUrl: [queueSend],
		arn: [queueSend],
		queueName: [queueSendByName],
		deadLetterQueueUrl: [deadLetterSend],
		deadLetterQueueArn: [deadLetterSend],
	},
	SNS: {topicArn: [topicPublish], topicName: [topicPublish]},
	S3: {bucketName: bucketReadWrite, arn: bucketReadWrite, domainName: bucketReadWrite, regionalDomainName: bucketReadWrite},
	Lambda: {functionArn: [functionInvoke], functionName: [functionInvoke]},
};

/** The IAM statements the values read through valueFrom need (see the mapping above). */
export function valueSourceStatements(sources: readonly ValueSource[] | undefined): PolicyStatement[] {
	/** component → access name → {actions, resources} */
	const grants = new Map<string, Map<string, {actions: Set<string>; resources: Set<string>}>>();
	for (const source of sources ?? []) {
		for (const access of accessByOutput[source.kind]?.[source.output] ?? []) {
			const resources = access.resources(source.outputs);
			if (resources.length === 0) continue;
			const byAccess = grants.get(source.component) ?? new Map();
			grants.set(source.component, byAccess);
			const grant = byAccess.get(access.name) ?? {actions: new Set<string>(), resources: new Set<string>()};
			byAccess.set(access.name, grant);
			for (const action of access.actions) grant.actions.add(action);
			for (const resource of resources) grant.resources.add(resource);
		}
	}
	const statements: PolicyStatement[] = [];
	for (const component of [...grants.keys()].sort())
		for (const [, grant] of [...grants.get(component)!.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
			const resources = [...grant.resources];
			statements.push({Effect: 'Allow', Action: [...grant.actions].sort(), Resource: resources.length === 1 ? resources[0]! : resources});
		}
	return statements;
}
