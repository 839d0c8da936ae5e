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
import {hasAwsErrorCode} from '../providers/aws-errors.js';
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

/** The tags again, then the delete: the ownership rule is applied at the moment of deleting. */
function owned(key: StateKey, what: string, tags: () => Promise<TagMap>, remove: () => Promise<unknown>): () => Promise<void> {
	return async () => {
		requireOwned(await tags(), stackIdentityTags(key), 'delete', what);
		await remove();
	};
}

const listers: Lister[] = [
	async (clients, key, prefix) => {
		const sqs = clients.get(SQSClient);
		const urls: string[] = [];
		let token: string | undefined;
		do {
			const page = await sqs.send(new ListQueuesCommand({QueueNamePrefix: prefix, MaxResults: 1000, ...(token ? {NextToken: token} : {})}));
			urls.push(...(page.QueueUrls ?? []));
			token = page.NextToken;
		} while (token);
		const tagsOf = async (url: string) => (await sqs.send(new ListQueueTagsCommand({QueueUrl: url}))).Tags ?? {};
		return Promise.all(
			urls.map(async (url) => {
				const what = `SQS queue ${url.split('/').pop()}`;
				return {
					what,
					tags: await tagsOf(url),
					remove: owned(
						key,
						what,
						() => tagsOf(url),
						() => sqs.send(new DeleteQueueCommand({QueueUrl: url})),
					),
				};
			}),
		);
	},
	async (clients, key, prefix) => {
		const sns = clients.get(SNSClient);
		const arns: string[] = [];
		let token: string | undefined;
		do {
			const page = await sns.send(new ListTopicsCommand(token ? {NextToken: token} : {}));
			arns.push(...(page.Topics ?? []).map((t) => t.TopicArn ?? '').filter((arn) => arn.split(':').pop()!.startsWith(prefix)));
			token = page.NextToken;
		} while (token);
		const tagsOf = async (arn: string) => fromTagList((await sns.send(new ListTopicTagsCommand({ResourceArn: arn}))).Tags);
		return Promise.all(
			arns.map(async (arn) => {
				const what = `SNS topic ${arn.split(':').pop()}`;
				return {
					what,
					tags: await tagsOf(arn),
					remove: owned(
						key,
						what,
						() => tagsOf(arn),
						() => sns.send(new DeleteTopicCommand({TopicArn: arn})),
					),
				};
			}),
		);
	},
	async (clients, key, prefix) => {
		const dynamo = clients.get(DynamoDBClient);
		const names: string[] = [];
		let start: string | undefined;
		do {
			const page = await dynamo.send(new ListTablesCommand(start ? {ExclusiveStartTableName: start} : {}));
			names.push(...(page.TableNames ?? []).filter((name) => name.startsWith(prefix)));
			start = page.LastEvaluatedTableName;
		} while (start);
		const tagsOf = async (name: string) => {
			const arn = (await dynamo.send(new DescribeTableCommand({TableName: name}))).Table?.TableArn ?? '';
			return fromTagList((await dynamo.send(new ListTagsOfResourceCommand({ResourceArn: arn}))).Tags);
		};
		return Promise.all(
			names.map(async (name) => {
				const what = `DynamoDB table ${name}`;
				return {
					what,
					tags: await tagsOf(name),
					remove: owned(
						key,
						what,
						() => tagsOf(name),
						() => dynamo.send(new DeleteTableCommand({TableName: name})),
					),
				};
			}),
		);
	},
	async (clients, key, prefix) => {
		const s3 = clients.s3();
		const names = ((await s3.send(new ListBucketsCommand({}))).Buckets ?? [])
			.map((b) => b.Name ?? '')
			.filter((name) => name.startsWith(prefix));
		const tagsOf = async (name: string) => {
			try {
				return fromTagList((await s3.send(new GetBucketTaggingCommand({Bucket: name}))).TagSet);
			} catch (error) {
				if (hasAwsErrorCode(error, 'NoSuchTagSet')) return {};
				throw error;
			}
		};
		return Promise.all(
			names.map(async (name) => {
				const what = `S3 bucket ${name}`;
				const remove = async () => {
					const versions = await s3.send(new ListObjectVersionsCommand({Bucket: name, MaxKeys: 1}));
					if ((versions.Versions?.length ?? 0) + (versions.DeleteMarkers?.length ?? 0) > 0)
						throw new ProviderError(
							`${what} is not empty: panka deletes only an empty leftover bucket; empty it first if its objects can go`,
							'BucketNotEmpty',
						);
					await s3.send(new DeleteBucketCommand({Bucket: name}));
				};
				return {what, tags: await tagsOf(name), remove: owned(key, what, () => tagsOf(name), remove)};
			}),
		);
	},
	async (clients, key, prefix) => {
		const lambda = clients.get(LambdaClient);
		const functions: Array<{name: string; arn: string}> = [];
		let marker: string | undefined;
		do {
			const page = await lambda.send(new ListFunctionsCommand(marker ? {Marker: marker} : {}));
			for (const f of page.Functions ?? [])
				if (f.FunctionName?.startsWith(prefix) && f.FunctionArn) functions.push({name: f.FunctionName, arn: f.FunctionArn});
			marker = page.NextMarker;
		} while (marker);
		const tagsOf = async (arn: string) => (await lambda.send(new ListTagsCommand({Resource: arn}))).Tags ?? {};
		return Promise.all(
			functions.map(async ({name, arn}) => {
				const what = `Lambda function ${name}`;
				return {
					what,
					tags: await tagsOf(arn),
					remove: owned(
						key,
						what,
						() => tagsOf(arn),
						() => lambda.send(new DeleteFunctionCommand({FunctionName: name})),
					),
				};
			}),
		);
	},
	async (clients, key, prefix) => {
		const iam = clients.get(IAMClient);
		const names: string[] = [];
		let marker: string | undefined;
		do {
			const page = await iam.send(new ListRolesCommand(marker ? {Marker: marker} : {}));
			names.push(...(page.Roles ?? []).map((r) => r.RoleName ?? '').filter((name) => name.startsWith(prefix)));
			marker = page.IsTruncated ? page.Marker : undefined;
		} while (marker);
		const tagsOf = async (name: string) => fromTagList((await iam.send(new ListRoleTagsCommand({RoleName: name}))).Tags);
		const context = {clients, signal: new AbortController().signal, progress: () => {}, tags: stackIdentityTags(key)};
		return Promise.all(
			names.map(async (name) => ({what: `IAM role ${name}`, tags: await tagsOf(name), remove: () => deleteRole(context, name)})),
		);
	},
	async (clients, key) => {
		const logs = clients.get(CloudWatchLogsClient);
		const groups: Array<{name: string; arn: string}> = [];
		let token: string | undefined;
		do {
			const page = await logs.send(
				new DescribeLogGroupsCommand({
					logGroupNamePrefix: `/panka/${key.tenant}/${key.stack}/${key.environment}/`,
					...(token ? {nextToken: token} : {}),
				}),
			);
			for (const g of page.logGroups ?? [])
				if (g.logGroupName && g.arn) groups.push({name: g.logGroupName, arn: g.arn.replace(/:\*$/, '')});
			token = page.nextToken;
		} while (token);
		const tagsOf = async (arn: string) => (await logs.send(new ListLogTagsCommand({resourceArn: arn}))).tags ?? {};
		return Promise.all(
			groups.map(async ({name, arn}) => {
				const what = `log group ${name}`;
				return {
					what,
					tags: await tagsOf(arn),
					remove: owned(
						key,
						what,
						() => tagsOf(arn),
						() => logs.send(new DeleteLogGroupCommand({logGroupName: name})),
					),
				};
			}),
		);
	},
	async (clients, key) => {
		const ec2 = clients.get(EC2Client);
		const filters = Object.entries(stackIdentityTags(key)).map(([name, value]) => ({Name: `tag:${name}`, Values: [value]}));
		const groups = (await ec2.send(new DescribeSecurityGroupsCommand({Filters: filters}))).SecurityGroups ?? [];
		const tagsOf = async (id: string) =>
			fromTagList((await ec2.send(new DescribeSecurityGroupsCommand({GroupIds: [id]}))).SecurityGroups?.[0]?.Tags);
		return groups.map((group) => {
			const id = group.GroupId ?? '';
			const what = `security group ${id} (${group.GroupName})`;
			return {
				what,
				tags: fromTagList(group.Tags),
				remove: owned(
					key,
					what,
					() => tagsOf(id),
					() => ec2.send(new DeleteSecurityGroupCommand({GroupId: id})),
				),
			};
		});
	},
];
