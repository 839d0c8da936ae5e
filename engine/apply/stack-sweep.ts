/**
 * The sweep after a destroy: what AWS still holds that is tagged for this (tenant, stack, env) and
 * that no state records any more, listed service by service by the panka identity tags, and on
 * request deleted.
 *
 *   findLeftovers(clients, key)           every resource carrying the stack's identity tags
 *                                         (panka:tenant, panka:stack, panka:env) in the services
 *                                         panka deploys to: SQS queues, SNS topics, DynamoDB tables,
 *                                         S3 buckets, Lambda functions, IAM roles, log groups,
 *                                         EC2 security groups
 *   leftover.remove()                     deletes one, after checking again that it is owned
 *                                         (requireOwned with the stack's identity tags)
 *
 * Invariants:
 * - Read-only until a leftover's `remove` is called; it never deletes what the ownership rule refuses,
 *   and a bucket with objects is reported, never emptied (only its component's destroy may).
 * - Listing is by the stack's name prefix where the service lists by name, then decided by tags:
 *   a name alone never makes a resource this stack's.
 * - Called when the stack's state is gone (a complete destroy), so everything found is unknown
 *   to any state of this stack and environment.
 */
import {
	CloudWatchLogsClient,
	DeleteLogGroupCommand,
	DescribeLogGroupsCommand,
	ListTagsForResourceCommand as ListLogTagsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {
	DeleteTableCommand,
	DescribeTableCommand,
	DynamoDBClient,
	ListTablesCommand,
	ListTagsOfResourceCommand,
} from '@aws-sdk/client-dynamodb';
import {DeleteSecurityGroupCommand, DescribeSecurityGroupsCommand, EC2Client} from '@aws-sdk/client-ec2';
import {IAMClient, ListRolesCommand, ListRoleTagsCommand} from '@aws-sdk/client-iam';
import {DeleteFunctionCommand, LambdaClient, ListFunctionsCommand, ListTagsCommand} from '@aws-sdk/client-lambda';
import {DeleteBucketCommand, GetBucketTaggingCommand, ListBucketsCommand, ListObjectVersionsCommand} from '@aws-sdk/client-s3';
import {DeleteTopicCommand, ListTagsForResourceCommand as ListTopicTagsCommand, ListTopicsCommand, SNSClient} from '@aws-sdk/client-sns';
import {DeleteQueueCommand, ListQueuesCommand, ListQueueTagsCommand, SQSClient} from '@aws-sdk/client-sqs';
import type {AwsClients} from '../aws/aws-clients.js';
import {hasAwsErrorCode} from '../aws/call.js';
import {deleteRole} from '../providers/iam-roles.js';
import {ProviderError} from '../providers/provider.js';
import {fromTagList, isOwnedBy, requireOwned, type TagMap} from '../providers/resource-tags.js';
import type {StateKey} from '../state/state-document.js';

export interface Leftover {
	/** `SQS queue acme-shop-prod-orders`: the resource as the user finds it in the console. */
	what: string;
	/** The component its tags name (`service/component`), when they name one. */
	component?: string;
	tags: TagMap;
	/** Deletes it, once its tags say again that it is this stack's. */
	remove(): Promise<void>;
}

type Found = Omit<Leftover, 'component'>;

/** The identity tags every resource of this stack and environment carries. */
export function stackIdentityTags(key: StateKey): Record<string, string> {
	return {'panka:tenant': key.tenant, 'panka:stack': key.stack, 'panka:env': key.environment};
}

export async function findLeftovers(clients: AwsClients, key: StateKey): Promise<Leftover[]> {
	const expected = stackIdentityTags(key);
	const prefix = `${key.tenant}-${key.stack}-${key.environment}-`;
	const lists = await Promise.all(listers.map((list) => list(clients, key, prefix)));
	return lists
		.flat()
		.filter((item) => isOwnedBy(item.tags, expected))
		.map((item) => {
			const service = item.tags['panka:service'];
			const component = item.tags['panka:component'];
			return {...item, ...(service && component ? {component: `${service}/${component}`} : {})};
		})
		.sort((a, b) => a.what.localeCompare(b.what));
}

type Lister = (clients: AwsClients, key: StateKey, prefix: string) => Promise<Found[]>;

/** Every page of a listing: `page(token)` returns its items and the next token (none: the last page). */
async function allPages<T>(page: (token: string | undefined) => Promise<{items: T[]; next?: string | undefined}>): Promise<T[]> {
	const items: T[] = [];
	let token: string | undefined;
	do {
		const result = await page(token);
		items.push(...result.items);
		token = result.next;
	} while (token);
	return items;
}

/**
 * The resources of one listing as leftovers: each named, with its tags, and a remove that reads the
 * tags again and applies the ownership rule at the moment of deleting.
 */
function leftoversOf<T>(
	key: StateKey,
	items: readonly T[],
	what: (item: T) => string,
	tagsOf: (item: T) => Promise<TagMap>,
	remove: (item: T) => Promise<unknown>,
): Promise<Found[]> {
	return Promise.all(
		items.map(async (item) => ({
			what: what(item),
			tags: await tagsOf(item),
			async remove() {
				requireOwned(await tagsOf(item), stackIdentityTags(key), 'delete', what(item));
				await remove(item);
			},
		})),
	);
}

const lastPart = (text: string, separator: string) => text.split(separator).pop() ?? text;

const listers: Lister[] = [
	async (clients, key, prefix) => {
		const sqs = clients.get(SQSClient);
		const urls = await allPages(async (token) => {
			const page = await sqs.send(new ListQueuesCommand({QueueNamePrefix: prefix, MaxResults: 1000, ...(token ? {NextToken: token} : {})}));
			return {items: page.QueueUrls ?? [], next: page.NextToken};
		});
		return leftoversOf(
			key,
			urls,
			(url) => `SQS queue ${lastPart(url, '/')}`,
			async (url) => (await sqs.send(new ListQueueTagsCommand({QueueUrl: url}))).Tags ?? {},
			(url) => sqs.send(new DeleteQueueCommand({QueueUrl: url})),
		);
	},
	async (clients, key, prefix) => {
		const sns = clients.get(SNSClient);
		const arns = await allPages(async (token) => {
			const page = await sns.send(new ListTopicsCommand(token ? {NextToken: token} : {}));
			return {
				items: (page.Topics ?? []).map((t) => t.TopicArn ?? '').filter((arn) => lastPart(arn, ':').startsWith(prefix)),
				next: page.NextToken,
			};
		});
		return leftoversOf(
			key,
			arns,
			(arn) => `SNS topic ${lastPart(arn, ':')}`,
			async (arn) => fromTagList((await sns.send(new ListTopicTagsCommand({ResourceArn: arn}))).Tags),
			(arn) => sns.send(new DeleteTopicCommand({TopicArn: arn})),
		);
	},
	async (clients, key, prefix) => {
		const dynamo = clients.get(DynamoDBClient);
		const names = await allPages(async (start) => {
			const page = await dynamo.send(new ListTablesCommand(start ? {ExclusiveStartTableName: start} : {}));
			return {items: (page.TableNames ?? []).filter((name) => name.startsWith(prefix)), next: page.LastEvaluatedTableName};
		});
		return leftoversOf(
			key,
			names,
			(name) => `DynamoDB table ${name}`,
			async (name) => {
				const arn = (await dynamo.send(new DescribeTableCommand({TableName: name}))).Table?.TableArn ?? '';
				return fromTagList((await dynamo.send(new ListTagsOfResourceCommand({ResourceArn: arn}))).Tags);
			},
			(name) => dynamo.send(new DeleteTableCommand({TableName: name})),
		);
	},
	async (clients, key, prefix) => {
		const s3 = clients.s3();
		const names = ((await s3.send(new ListBucketsCommand({}))).Buckets ?? [])
			.map((b) => b.Name ?? '')
			.filter((name) => name.startsWith(prefix));
		return leftoversOf(
			key,
			names,
			(name) => `S3 bucket ${name}`,
			async (name) => {
				try {
					return fromTagList((await s3.send(new GetBucketTaggingCommand({Bucket: name}))).TagSet);
				} catch (error) {
					if (hasAwsErrorCode(error, 'NoSuchTagSet')) return {};
					throw error;
				}
			},
			async (name) => {
				const versions = await s3.send(new ListObjectVersionsCommand({Bucket: name, MaxKeys: 1}));
				if ((versions.Versions?.length ?? 0) + (versions.DeleteMarkers?.length ?? 0) > 0)
					throw new ProviderError(
						`S3 bucket ${name} is not empty: panka deletes only an empty leftover bucket; empty it first if its objects can go`,
						'BucketNotEmpty',
					);
				await s3.send(new DeleteBucketCommand({Bucket: name}));
			},
		);
	},
	async (clients, key, prefix) => {
		const lambda = clients.get(LambdaClient);
		const functions = await allPages(async (marker) => {
			const page = await lambda.send(new ListFunctionsCommand(marker ? {Marker: marker} : {}));
			const items = (page.Functions ?? []).flatMap((f) =>
				f.FunctionName?.startsWith(prefix) && f.FunctionArn ? [{name: f.FunctionName, arn: f.FunctionArn}] : [],
			);
			return {items, next: page.NextMarker};
		});
		return leftoversOf(
			key,
			functions,
			({name}) => `Lambda function ${name}`,
			async ({arn}) => (await lambda.send(new ListTagsCommand({Resource: arn}))).Tags ?? {},
			({name}) => lambda.send(new DeleteFunctionCommand({FunctionName: name})),
		);
	},
	async (clients, key, prefix) => {
		const iam = clients.get(IAMClient);
		const names = await allPages(async (marker) => {
			const page = await iam.send(new ListRolesCommand(marker ? {Marker: marker} : {}));
			return {
				items: (page.Roles ?? []).map((r) => r.RoleName ?? '').filter((name) => name.startsWith(prefix)),
				next: page.IsTruncated ? page.Marker : undefined,
			};
		});
		// deleteRole removes the role's policies first, as IAM requires (ownership is checked by leftoversOf and by it).
		const context = {clients, signal: new AbortController().signal, progress: () => {}, tags: stackIdentityTags(key)};
		return leftoversOf(
			key,
			names,
			(name) => `IAM role ${name}`,
			async (name) => fromTagList((await iam.send(new ListRoleTagsCommand({RoleName: name}))).Tags),
			(name) => deleteRole(context, name),
		);
	},
	async (clients, key) => {
		const logs = clients.get(CloudWatchLogsClient);
		const groups = await allPages(async (token) => {
			const page = await logs.send(
				new DescribeLogGroupsCommand({
					logGroupNamePrefix: `/panka/${key.tenant}/${key.stack}/${key.environment}/`,
					...(token ? {nextToken: token} : {}),
				}),
			);
			const items = (page.logGroups ?? []).flatMap((g) =>
				g.logGroupName && g.arn ? [{name: g.logGroupName, arn: g.arn.replace(/:\*$/, '')}] : [],
			);
			return {items, next: page.nextToken};
		});
		return leftoversOf(
			key,
			groups,
			({name}) => `log group ${name}`,
			async ({arn}) => (await logs.send(new ListLogTagsCommand({resourceArn: arn}))).tags ?? {},
			({name}) => logs.send(new DeleteLogGroupCommand({logGroupName: name})),
		);
	},
	async (clients, key) => {
		const ec2 = clients.get(EC2Client);
		const filters = Object.entries(stackIdentityTags(key)).map(([name, value]) => ({Name: `tag:${name}`, Values: [value]}));
		const groups = (await ec2.send(new DescribeSecurityGroupsCommand({Filters: filters}))).SecurityGroups ?? [];
		return leftoversOf(
			key,
			groups,
			(group) => `security group ${group.GroupId} (${group.GroupName})`,
			async (group) =>
				fromTagList((await ec2.send(new DescribeSecurityGroupsCommand({GroupIds: [group.GroupId ?? '']}))).SecurityGroups?.[0]?.Tags),
			(group) => ec2.send(new DeleteSecurityGroupCommand({GroupId: group.GroupId ?? ''})),
		);
	},
];
