/**
 * The sweep after a destroy: what AWS still holds that is tagged for this (tenant, stack, env) and
 * that no state records any more, listed service by service by the panka identity tags, and on
 * request deleted.
 *
 *   findLeftovers(clients, key)           every resource carrying the stack's identity tags
 *                                         (panka:tenant, panka:stack, panka:env) of every kind
 *                                         panka creates: ECS services and clusters, ELBv2 load
 *                                         balancers and target groups, RDS DB instances, DB subnet
 *                                         groups and parameter groups, EventBridge rules, Lambda
 *                                         functions, SQS queues, SNS topics, DynamoDB tables, S3
 *                                         buckets, Secrets Manager secrets under panka/{tenant}/,
 *                                         Cloud Map services and namespaces, IAM roles, log groups,
 *                                         EC2 security groups
 *   leftover.remove()                     deletes one, after checking again that it is owned
 *                                         (requireOwned with the stack's identity tags)
 *
 * Invariants:
 * - Read-only until a leftover's `remove` is called; it never deletes what the ownership rule refuses,
 *   and a bucket with objects is reported, never emptied (only its component's destroy may).
 * - Listing is by the stack's name prefix where the service lists by name and panka's names keep
 *   it (others are listed whole), then decided by tags: a name alone never makes a resource this stack's.
 * - Leftovers come in the order they can be deleted in (`stage`): what uses another thing first
 *   (ECS services before their cluster, load balancers before target groups, DB instances before
 *   their subnet and parameter groups, everything before the security groups and roles it used).
 * - Every AWS request goes through engine/aws/call.ts (the abort signal, errors named by action).
 * - An RDS instance is deleted with a final snapshot (`{id}-sweep-{time}`): a leftover database
 *   is never lost without one. A secret is deleted with Secrets Manager's recovery window.
 * - Called when the stack's state is gone (a complete destroy), so everything found is unknown
 *   to any state of this stack and environment.
 *
 * moto 5.2.1 answers every list, tag and delete call used here (none is skipped); the e2e test
 * (test/e2e/destroy-sweep.test.ts) deletes ECS services and clusters, RDS instances, EventBridge
 * rules and SQS queues, and lists the rest.
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
import {
	DeleteClusterCommand,
	DeleteServiceCommand,
	DescribeClustersCommand,
	DescribeServicesCommand,
	ECSClient,
	ListClustersCommand,
	ListServicesCommand,
	UpdateServiceCommand,
	waitUntilServicesInactive,
} from '@aws-sdk/client-ecs';
import {
	DeleteLoadBalancerCommand,
	DeleteTargetGroupCommand,
	DescribeLoadBalancersCommand,
	DescribeTagsCommand,
	DescribeTargetGroupsCommand,
	ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import {
	DeleteRuleCommand,
	EventBridgeClient,
	ListRulesCommand,
	ListTagsForResourceCommand as ListRuleTagsCommand,
	ListTargetsByRuleCommand,
	RemoveTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import {IAMClient, ListRolesCommand, ListRoleTagsCommand} from '@aws-sdk/client-iam';
import {DeleteFunctionCommand, LambdaClient, ListFunctionsCommand, ListTagsCommand} from '@aws-sdk/client-lambda';
import {
	DeleteDBInstanceCommand,
	DeleteDBParameterGroupCommand,
	DeleteDBSubnetGroupCommand,
	DescribeDBInstancesCommand,
	DescribeDBParameterGroupsCommand,
	DescribeDBSubnetGroupsCommand,
	ListTagsForResourceCommand as ListDbTagsCommand,
	RDSClient,
	waitUntilDBInstanceDeleted,
} from '@aws-sdk/client-rds';
import {DeleteBucketCommand, GetBucketTaggingCommand, ListBucketsCommand, ListObjectVersionsCommand} from '@aws-sdk/client-s3';
import {DeleteSecretCommand, ListSecretsCommand, SecretsManagerClient} from '@aws-sdk/client-secrets-manager';
import {
	DeleteNamespaceCommand,
	DeleteServiceCommand as DeleteDiscoveryServiceCommand,
	ListNamespacesCommand,
	ListServicesCommand as ListDiscoveryServicesCommand,
	ListTagsForResourceCommand as ListDiscoveryTagsCommand,
	ServiceDiscoveryClient,
} from '@aws-sdk/client-servicediscovery';
import {DeleteTopicCommand, ListTagsForResourceCommand as ListTopicTagsCommand, ListTopicsCommand, SNSClient} from '@aws-sdk/client-sns';
import {DeleteQueueCommand, ListQueuesCommand, ListQueueTagsCommand, SQSClient} from '@aws-sdk/client-sqs';
import {setMaxListeners} from 'node:events';
import type {AwsClients} from '../aws/aws-clients.js';
import {awsCall, awsCallUnlessMissing, type CallScope} from '../aws/call.js';
import {deleteRole} from '../providers/iam-roles.js';
import {ProviderError} from '../providers/provider.js';
import {fromTagList, isOwnedBy, requireOwned, type TagMap} from '../providers/resource-tags.js';
import {secretNamespaceRoot} from '../providers/secret-namespace.js';
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

interface Found extends Omit<Leftover, 'component'> {
	/** When it can be deleted: lower first (what uses a thing goes before the thing). */
	stage: number;
}

/** The identity tags every resource of this stack and environment carries. */
export function stackIdentityTags(key: StateKey): Record<string, string> {
	return {'panka:tenant': key.tenant, 'panka:stack': key.stack, 'panka:env': key.environment};
}

/** What panka left tagged for `key`, in the order it can be deleted in. `signal` aborts the requests in flight. */
export async function findLeftovers(clients: AwsClients, key: StateKey, signal = new AbortController().signal): Promise<Leftover[]> {
	const expected = stackIdentityTags(key);
	// Every listing and every tag read runs at once, each request listening on the one signal.
	setMaxListeners(0, signal);
	const sweep: Sweep = {clients, key, prefix: `${key.tenant}-${key.stack}-${key.environment}-`, scope: {signal}};
	const lists = await Promise.all(listers.map((list) => list(sweep)));
	return lists
		.flat()
		.filter((item) => isOwnedBy(item.tags, expected))
		.sort((a, b) => a.stage - b.stage || a.what.localeCompare(b.what))
		.map(({stage: _stage, ...item}) => {
			const service = item.tags['panka:service'];
			const component = item.tags['panka:component'];
			return {...item, ...(service && component ? {component: `${service}/${component}`} : {})};
		});
}

interface Sweep {
	clients: AwsClients;
	key: StateKey;
	/** `{tenant}-{stack}-{env}-`: how panka's names of this stack begin, where a service keeps them whole. */
	prefix: string;
	scope: CallScope;
}

type Lister = (sweep: Sweep) => Promise<Found[]>;

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
	{key}: Sweep,
	stage: number,
	items: readonly T[],
	what: (item: T) => string,
	tagsOf: (item: T) => Promise<TagMap>,
	remove: (item: T) => Promise<unknown>,
): Promise<Found[]> {
	return Promise.all(
		items.map(async (item) => ({
			what: what(item),
			stage,
			tags: await tagsOf(item),
			async remove() {
				requireOwned(await tagsOf(item), stackIdentityTags(key), 'delete', what(item));
				await remove(item);
			},
		})),
	);
}

const lastPart = (text: string, separator: string) => text.split(separator).pop() ?? text;
/** A listing's continuation token, under the name the service gives it, when there is one. */
const continuing = (token: string | undefined, name: string) => (token ? {[name]: token} : {});
/** How long the sweep waits for AWS to finish a delete that takes time (a DB instance, an ECS service draining). */
const deleteWaitSeconds = 1800;

/** When a leftover can be deleted: what uses a thing goes before the thing. */
const stage = {users: 0, balancers: 1, holders: 2, groups: 3, namespaces: 4, foundations: 5} as const;

interface Named {
	arn: string;
	name: string;
}

const ecsTags = (tags: readonly {key?: string; value?: string}[] | undefined) =>
	fromTagList(tags?.map((tag) => ({Key: tag.key, Value: tag.value})));

const listers: Lister[] = [
	async (sweep) => {
		const {scope} = sweep;
		const ecs = sweep.clients.get(ECSClient);
		const missing = ['ServiceNotFoundException', 'ServiceNotActiveException', 'ClusterNotFoundException'];
		const clusterArns = await allPages(async (token) => {
			const page = await awsCall(scope, 'ECS ListClusters', (o) => ecs.send(new ListClustersCommand(continuing(token, 'nextToken')), o));
			return {items: page.clusterArns ?? [], next: page.nextToken};
		});
		const describe = async (arn: string) =>
			(
				await awsCall(scope, `ECS DescribeClusters ${lastPart(arn, '/')}`, (o) =>
					ecs.send(new DescribeClustersCommand({clusters: [arn], include: ['TAGS']}), o),
				)
			).clusters?.[0];
		const clusters = (await Promise.all(clusterArns.map(describe))).flatMap((c) =>
			c?.clusterArn && c.status === 'ACTIVE' ? [{arn: c.clusterArn, name: c.clusterName ?? lastPart(c.clusterArn, '/')}] : [],
		);
		const services = (
			await Promise.all(
				clusters.map(async (cluster) =>
					(
						await allPages(async (token) => {
							const page = await awsCall(scope, `ECS ListServices ${cluster.name}`, (o) =>
								ecs.send(new ListServicesCommand({cluster: cluster.arn, ...continuing(token, 'nextToken')}), o),
							);
							return {items: page.serviceArns ?? [], next: page.nextToken};
						})
					).map((arn) => ({cluster: cluster.arn, arn, name: lastPart(arn, '/')})),
				),
			)
		).flat();
		const serviceTags = async ({cluster, arn, name}: Named & {cluster: string}) => {
			const answer = await awsCall(scope, `ECS DescribeServices ${name}`, (o) =>
				ecs.send(new DescribeServicesCommand({cluster, services: [arn], include: ['TAGS']}), o),
			);
			const found = answer.services?.[0];
			return found && found.status !== 'INACTIVE' ? ecsTags(found.tags) : {};
		};
		return [
			...(await leftoversOf(
				sweep,
				stage.users,
				services,
				({name}) => `ECS service ${name}`,
				serviceTags,
				async ({cluster, arn, name}) => {
					await awsCallUnlessMissing(scope, `ECS UpdateService ${name}`, missing, (o) =>
						ecs.send(new UpdateServiceCommand({cluster, service: arn, desiredCount: 0}), o),
					);
					await awsCallUnlessMissing(scope, `ECS DeleteService ${name}`, missing, (o) =>
						ecs.send(new DeleteServiceCommand({cluster, service: arn, force: true}), o),
					);
					await awsCall(scope, `ECS wait for ${name} inactive`, (o) =>
						waitUntilServicesInactive(
							{client: ecs, maxWaitTime: deleteWaitSeconds, abortSignal: o.abortSignal},
							{cluster, services: [arn]},
						),
					);
				},
			)),
			...(await leftoversOf(
				sweep,
				stage.holders,
				clusters,
				({name}) => `ECS cluster ${name}`,
				async ({arn}) => ecsTags((await describe(arn))?.tags),
				({arn, name}) =>
					awsCallUnlessMissing(scope, `ECS DeleteCluster ${name}`, missing, (o) => ecs.send(new DeleteClusterCommand({cluster: arn}), o)),
			)),
		];
	},
	async (sweep) => {
		const {scope} = sweep;
		const elb = sweep.clients.get(ElasticLoadBalancingV2Client);
		const missing = ['LoadBalancerNotFound', 'TargetGroupNotFound'];
		const tagsOf = async ({arn, name}: Named) =>
			fromTagList(
				(await awsCall(scope, `ELBv2 DescribeTags ${name}`, (o) => elb.send(new DescribeTagsCommand({ResourceArns: [arn]}), o)))
					.TagDescriptions?.[0]?.Tags,
			);
		const balancers = await allPages(async (marker) => {
			const page = await awsCall(scope, 'ELBv2 DescribeLoadBalancers', (o) =>
				elb.send(new DescribeLoadBalancersCommand(continuing(marker, 'Marker')), o),
			);
			const items = (page.LoadBalancers ?? []).flatMap((b) =>
				b.LoadBalancerArn ? [{arn: b.LoadBalancerArn, name: b.LoadBalancerName ?? ''}] : [],
			);
			return {items, next: page.NextMarker};
		});
		const targetGroups = await allPages(async (marker) => {
			const page = await awsCall(scope, 'ELBv2 DescribeTargetGroups', (o) =>
				elb.send(new DescribeTargetGroupsCommand(continuing(marker, 'Marker')), o),
			);
			const items = (page.TargetGroups ?? []).flatMap((g) =>
				g.TargetGroupArn ? [{arn: g.TargetGroupArn, name: g.TargetGroupName ?? ''}] : [],
			);
			return {items, next: page.NextMarker};
		});
		return [
			...(await leftoversOf(
				sweep,
				stage.balancers,
				balancers,
				({name}) => `load balancer ${name}`,
				tagsOf,
				({arn, name}) =>
					awsCallUnlessMissing(scope, `ELBv2 DeleteLoadBalancer ${name}`, missing, (o) =>
						elb.send(new DeleteLoadBalancerCommand({LoadBalancerArn: arn}), o),
					),
			)),
			...(await leftoversOf(
				sweep,
				stage.holders,
				targetGroups,
				({name}) => `target group ${name}`,
				tagsOf,
				({arn, name}) =>
					awsCallUnlessMissing(scope, `ELBv2 DeleteTargetGroup ${name}`, missing, (o) =>
						elb.send(new DeleteTargetGroupCommand({TargetGroupArn: arn}), o),
					),
			)),
		];
	},
	async (sweep) => {
		const {scope} = sweep;
		const rds = sweep.clients.get(RDSClient);
		const tagsOf = async ({arn, name}: Named) =>
			fromTagList(
				(await awsCall(scope, `RDS ListTagsForResource ${name}`, (o) => rds.send(new ListDbTagsCommand({ResourceName: arn}), o))).TagList,
			);
		const instances = await allPages(async (marker) => {
			const page = await awsCall(scope, 'RDS DescribeDBInstances', (o) =>
				rds.send(new DescribeDBInstancesCommand(continuing(marker, 'Marker')), o),
			);
			const items = (page.DBInstances ?? []).flatMap((i) =>
				i.DBInstanceArn && i.DBInstanceIdentifier && i.DBInstanceStatus !== 'deleting'
					? [{arn: i.DBInstanceArn, name: i.DBInstanceIdentifier}]
					: [],
			);
			return {items, next: page.Marker};
		});
		const subnetGroups = await allPages(async (marker) => {
			const page = await awsCall(scope, 'RDS DescribeDBSubnetGroups', (o) =>
				rds.send(new DescribeDBSubnetGroupsCommand(continuing(marker, 'Marker')), o),
			);
			const items = (page.DBSubnetGroups ?? []).flatMap((g) =>
				g.DBSubnetGroupArn && g.DBSubnetGroupName ? [{arn: g.DBSubnetGroupArn, name: g.DBSubnetGroupName}] : [],
			);
			return {items, next: page.Marker};
		});
		const parameterGroups = await allPages(async (marker) => {
			const page = await awsCall(scope, 'RDS DescribeDBParameterGroups', (o) =>
				rds.send(new DescribeDBParameterGroupsCommand(continuing(marker, 'Marker')), o),
			);
			const items = (page.DBParameterGroups ?? []).flatMap((g) =>
				g.DBParameterGroupArn && g.DBParameterGroupName && !g.DBParameterGroupName.startsWith('default.')
					? [{arn: g.DBParameterGroupArn, name: g.DBParameterGroupName}]
					: [],
			);
			return {items, next: page.Marker};
		});
		return [
			...(await leftoversOf(
				sweep,
				stage.holders,
				instances,
				({name}) => `RDS DB instance ${name}`,
				tagsOf,
				async ({name}) => {
					const snapshot = `${name}-sweep-${new Date()
						.toISOString()
						.replace(/[^0-9]/g, '')
						.slice(0, 14)}`;
					await awsCallUnlessMissing(scope, `RDS DeleteDBInstance ${name}`, ['DBInstanceNotFound', 'DBInstanceNotFoundFault'], (o) =>
						rds.send(new DeleteDBInstanceCommand({DBInstanceIdentifier: name, FinalDBSnapshotIdentifier: snapshot}), o),
					);
					await awsCall(scope, `RDS wait for ${name} deleted`, (o) =>
						waitUntilDBInstanceDeleted(
							{client: rds, maxWaitTime: deleteWaitSeconds, abortSignal: o.abortSignal},
							{DBInstanceIdentifier: name},
						),
					);
				},
			)),
			...(await leftoversOf(
				sweep,
				stage.groups,
				subnetGroups,
				({name}) => `RDS DB subnet group ${name}`,
				tagsOf,
				({name}) =>
					awsCallUnlessMissing(scope, `RDS DeleteDBSubnetGroup ${name}`, ['DBSubnetGroupNotFound', 'DBSubnetGroupNotFoundFault'], (o) =>
						rds.send(new DeleteDBSubnetGroupCommand({DBSubnetGroupName: name}), o),
					),
			)),
			...(await leftoversOf(
				sweep,
				stage.groups,
				parameterGroups,
				({name}) => `RDS DB parameter group ${name}`,
				tagsOf,
				({name}) =>
					awsCallUnlessMissing(
						scope,
						`RDS DeleteDBParameterGroup ${name}`,
						['DBParameterGroupNotFound', 'DBParameterGroupNotFoundFault'],
						(o) => rds.send(new DeleteDBParameterGroupCommand({DBParameterGroupName: name}), o),
					),
			)),
		];
	},
	async (sweep) => {
		const {scope, prefix} = sweep;
		const events = sweep.clients.get(EventBridgeClient);
		const missing = ['ResourceNotFoundException'];
		const rules = await allPages(async (token) => {
			const page = await awsCall(scope, 'EventBridge ListRules', (o) =>
				events.send(new ListRulesCommand({NamePrefix: prefix, ...continuing(token, 'NextToken')}), o),
			);
			return {items: (page.Rules ?? []).flatMap((r) => (r.Name && r.Arn ? [{name: r.Name, arn: r.Arn}] : [])), next: page.NextToken};
		});
		return leftoversOf(
			sweep,
			stage.users,
			rules,
			({name}) => `EventBridge rule ${name}`,
			async ({arn, name}) =>
				fromTagList(
					(
						await awsCall(scope, `EventBridge ListTagsForResource ${name}`, (o) =>
							events.send(new ListRuleTagsCommand({ResourceARN: arn}), o),
						)
					).Tags,
				),
			async ({name}) => {
				// EventBridge refuses to delete a rule that still has targets.
				const listed = await awsCallUnlessMissing(scope, `EventBridge ListTargetsByRule ${name}`, missing, (o) =>
					events.send(new ListTargetsByRuleCommand({Rule: name}), o),
				);
				const ids = (listed?.Targets ?? []).flatMap((target) => target.Id ?? []);
				if (ids.length > 0)
					await awsCallUnlessMissing(scope, `EventBridge RemoveTargets ${name}`, missing, (o) =>
						events.send(new RemoveTargetsCommand({Rule: name, Ids: ids}), o),
					);
				await awsCallUnlessMissing(scope, `EventBridge DeleteRule ${name}`, missing, (o) =>
					events.send(new DeleteRuleCommand({Name: name}), o),
				);
			},
		);
	},
	async (sweep) => {
		const {scope, key} = sweep;
		const secrets = sweep.clients.get(SecretsManagerClient);
		const namespace = `${secretNamespaceRoot}/${key.tenant}/`;
		const listSecrets = (action: string, name: string, token?: string) =>
			awsCall(scope, action, (o) =>
				secrets.send(new ListSecretsCommand({Filters: [{Key: 'name', Values: [name]}], ...continuing(token, 'NextToken')}), o),
			);
		const names = await allPages(async (token) => {
			const page = await listSecrets('Secrets Manager ListSecrets', namespace, token);
			const items = (page.SecretList ?? []).flatMap((s) => (s.Name?.startsWith(namespace) && !s.DeletedDate ? [s.Name] : []));
			return {items, next: page.NextToken};
		});
		return leftoversOf(
			sweep,
			stage.users,
			names,
			(name) => `secret ${name}`,
			async (name) =>
				fromTagList((await listSecrets(`Secrets Manager ListSecrets ${name}`, name)).SecretList?.find((s) => s.Name === name)?.Tags),
			(name) =>
				awsCallUnlessMissing(scope, `Secrets Manager DeleteSecret ${name}`, ['ResourceNotFoundException'], (o) =>
					secrets.send(new DeleteSecretCommand({SecretId: name}), o),
				),
		);
	},
	async (sweep) => {
		const {scope} = sweep;
		const cloudMap = sweep.clients.get(ServiceDiscoveryClient);
		const missing = ['ServiceNotFound', 'NamespaceNotFound'];
		const tagsOf = async ({arn, name}: Named) =>
			fromTagList(
				(
					await awsCall(scope, `Cloud Map ListTagsForResource ${name}`, (o) =>
						cloudMap.send(new ListDiscoveryTagsCommand({ResourceARN: arn}), o),
					)
				).Tags,
			);
		const listed = (summary: {Id?: string; Arn?: string; Name?: string}) =>
			summary.Id && summary.Arn ? [{id: summary.Id, arn: summary.Arn, name: summary.Name ?? summary.Id}] : [];
		const services = await allPages(async (token) => {
			const page = await awsCall(scope, 'Cloud Map ListServices', (o) =>
				cloudMap.send(new ListDiscoveryServicesCommand(continuing(token, 'NextToken')), o),
			);
			return {items: (page.Services ?? []).flatMap(listed), next: page.NextToken};
		});
		const namespaces = await allPages(async (token) => {
			const page = await awsCall(scope, 'Cloud Map ListNamespaces', (o) =>
				cloudMap.send(new ListNamespacesCommand(continuing(token, 'NextToken')), o),
			);
			return {items: (page.Namespaces ?? []).flatMap(listed), next: page.NextToken};
		});
		return [
			...(await leftoversOf(
				sweep,
				stage.groups,
				services,
				({name, id}) => `Cloud Map service ${name} (${id})`,
				tagsOf,
				({id, name}) =>
					awsCallUnlessMissing(scope, `Cloud Map DeleteService ${name}`, missing, (o) =>
						cloudMap.send(new DeleteDiscoveryServiceCommand({Id: id}), o),
					),
			)),
			...(await leftoversOf(
				sweep,
				stage.namespaces,
				namespaces,
				({name, id}) => `Cloud Map namespace ${name} (${id})`,
				tagsOf,
				({id, name}) =>
					awsCallUnlessMissing(scope, `Cloud Map DeleteNamespace ${name}`, missing, (o) =>
						cloudMap.send(new DeleteNamespaceCommand({Id: id}), o),
					),
			)),
		];
	},
	async (sweep) => {
		const {scope, prefix} = sweep;
		const sqs = sweep.clients.get(SQSClient);
		const urls = await allPages(async (token) => {
			const page = await awsCall(scope, 'SQS ListQueues', (o) =>
				sqs.send(new ListQueuesCommand({QueueNamePrefix: prefix, MaxResults: 1000, ...continuing(token, 'NextToken')}), o),
			);
			return {items: page.QueueUrls ?? [], next: page.NextToken};
		});
		const name = (url: string) => lastPart(url, '/');
		return leftoversOf(
			sweep,
			stage.holders,
			urls,
			(url) => `SQS queue ${name(url)}`,
			async (url) =>
				(await awsCall(scope, `SQS ListQueueTags ${name(url)}`, (o) => sqs.send(new ListQueueTagsCommand({QueueUrl: url}), o))).Tags ?? {},
			(url) =>
				awsCallUnlessMissing(scope, `SQS DeleteQueue ${name(url)}`, ['QueueDoesNotExist', 'AWS.SimpleQueueService.NonExistentQueue'], (o) =>
					sqs.send(new DeleteQueueCommand({QueueUrl: url}), o),
				),
		);
	},
	async (sweep) => {
		const {scope, prefix} = sweep;
		const sns = sweep.clients.get(SNSClient);
		const name = (arn: string) => lastPart(arn, ':');
		const arns = await allPages(async (token) => {
			const page = await awsCall(scope, 'SNS ListTopics', (o) => sns.send(new ListTopicsCommand(continuing(token, 'NextToken')), o));
			return {items: (page.Topics ?? []).map((t) => t.TopicArn ?? '').filter((arn) => name(arn).startsWith(prefix)), next: page.NextToken};
		});
		return leftoversOf(
			sweep,
			stage.holders,
			arns,
			(arn) => `SNS topic ${name(arn)}`,
			async (arn) =>
				fromTagList(
					(await awsCall(scope, `SNS ListTagsForResource ${name(arn)}`, (o) => sns.send(new ListTopicTagsCommand({ResourceArn: arn}), o)))
						.Tags,
				),
			(arn) => awsCall(scope, `SNS DeleteTopic ${name(arn)}`, (o) => sns.send(new DeleteTopicCommand({TopicArn: arn}), o)),
		);
	},
	async (sweep) => {
		const {scope, prefix} = sweep;
		const dynamo = sweep.clients.get(DynamoDBClient);
		const names = await allPages(async (start) => {
			const page = await awsCall(scope, 'DynamoDB ListTables', (o) =>
				dynamo.send(new ListTablesCommand(continuing(start, 'ExclusiveStartTableName')), o),
			);
			return {items: (page.TableNames ?? []).filter((name) => name.startsWith(prefix)), next: page.LastEvaluatedTableName};
		});
		return leftoversOf(
			sweep,
			stage.holders,
			names,
			(name) => `DynamoDB table ${name}`,
			async (name) => {
				const described = await awsCall(scope, `DynamoDB DescribeTable ${name}`, (o) =>
					dynamo.send(new DescribeTableCommand({TableName: name}), o),
				);
				const arn = described.Table?.TableArn ?? '';
				return fromTagList(
					(
						await awsCall(scope, `DynamoDB ListTagsOfResource ${name}`, (o) =>
							dynamo.send(new ListTagsOfResourceCommand({ResourceArn: arn}), o),
						)
					).Tags,
				);
			},
			(name) =>
				awsCallUnlessMissing(scope, `DynamoDB DeleteTable ${name}`, ['ResourceNotFoundException'], (o) =>
					dynamo.send(new DeleteTableCommand({TableName: name}), o),
				),
		);
	},
	async (sweep) => {
		const {scope, prefix} = sweep;
		const s3 = sweep.clients.s3();
		const names = ((await awsCall(scope, 'S3 ListBuckets', (o) => s3.send(new ListBucketsCommand({}), o))).Buckets ?? [])
			.map((b) => b.Name ?? '')
			.filter((name) => name.startsWith(prefix));
		return leftoversOf(
			sweep,
			stage.holders,
			names,
			(name) => `S3 bucket ${name}`,
			async (name) =>
				fromTagList(
					(
						await awsCallUnlessMissing(scope, `S3 GetBucketTagging ${name}`, ['NoSuchTagSet'], (o) =>
							s3.send(new GetBucketTaggingCommand({Bucket: name}), o),
						)
					)?.TagSet,
				),
			async (name) => {
				const versions = await awsCall(scope, `S3 ListObjectVersions ${name}`, (o) =>
					s3.send(new ListObjectVersionsCommand({Bucket: name, MaxKeys: 1}), o),
				);
				if ((versions.Versions?.length ?? 0) + (versions.DeleteMarkers?.length ?? 0) > 0)
					throw new ProviderError(
						`S3 bucket ${name} is not empty: panka deletes only an empty leftover bucket; empty it first if its objects can go`,
						'BucketNotEmpty',
					);
				await awsCall(scope, `S3 DeleteBucket ${name}`, (o) => s3.send(new DeleteBucketCommand({Bucket: name}), o));
			},
		);
	},
	async (sweep) => {
		const {scope, prefix} = sweep;
		const lambda = sweep.clients.get(LambdaClient);
		const functions = await allPages(async (marker) => {
			const page = await awsCall(scope, 'Lambda ListFunctions', (o) =>
				lambda.send(new ListFunctionsCommand(continuing(marker, 'Marker')), o),
			);
			const items = (page.Functions ?? []).flatMap((f) =>
				f.FunctionName?.startsWith(prefix) && f.FunctionArn ? [{name: f.FunctionName, arn: f.FunctionArn}] : [],
			);
			return {items, next: page.NextMarker};
		});
		return leftoversOf(
			sweep,
			stage.users,
			functions,
			({name}) => `Lambda function ${name}`,
			async ({arn, name}) =>
				(await awsCall(scope, `Lambda ListTags ${name}`, (o) => lambda.send(new ListTagsCommand({Resource: arn}), o))).Tags ?? {},
			({name}) =>
				awsCallUnlessMissing(scope, `Lambda DeleteFunction ${name}`, ['ResourceNotFoundException'], (o) =>
					lambda.send(new DeleteFunctionCommand({FunctionName: name}), o),
				),
		);
	},
	async (sweep) => {
		const {scope, prefix, key, clients} = sweep;
		const iam = clients.get(IAMClient);
		const names = await allPages(async (marker) => {
			const page = await awsCall(scope, 'IAM ListRoles', (o) => iam.send(new ListRolesCommand(continuing(marker, 'Marker')), o));
			return {
				items: (page.Roles ?? []).map((r) => r.RoleName ?? '').filter((name) => name.startsWith(prefix)),
				next: page.IsTruncated ? page.Marker : undefined,
			};
		});
		// deleteRole removes the role's policies first, as IAM requires (ownership is checked by leftoversOf and by it).
		const context = {clients, signal: scope.signal, progress: () => {}, tags: stackIdentityTags(key)};
		return leftoversOf(
			sweep,
			stage.foundations,
			names,
			(name) => `IAM role ${name}`,
			async (name) =>
				fromTagList((await awsCall(scope, `IAM ListRoleTags ${name}`, (o) => iam.send(new ListRoleTagsCommand({RoleName: name}), o))).Tags),
			(name) => deleteRole(context, name),
		);
	},
	async (sweep) => {
		const {scope, key} = sweep;
		const logs = sweep.clients.get(CloudWatchLogsClient);
		const groups = await allPages(async (token) => {
			const page = await awsCall(scope, 'CloudWatch Logs DescribeLogGroups', (o) =>
				logs.send(
					new DescribeLogGroupsCommand({
						logGroupNamePrefix: `/panka/${key.tenant}/${key.stack}/${key.environment}/`,
						...continuing(token, 'nextToken'),
					}),
					o,
				),
			);
			const items = (page.logGroups ?? []).flatMap((g) =>
				g.logGroupName && g.arn ? [{name: g.logGroupName, arn: g.arn.replace(/:\*$/, '')}] : [],
			);
			return {items, next: page.nextToken};
		});
		return leftoversOf(
			sweep,
			stage.users,
			groups,
			({name}) => `log group ${name}`,
			async ({arn, name}) =>
				(
					await awsCall(scope, `CloudWatch Logs ListTagsForResource ${name}`, (o) =>
						logs.send(new ListLogTagsCommand({resourceArn: arn}), o),
					)
				).tags ?? {},
			({name}) =>
				awsCallUnlessMissing(scope, `CloudWatch Logs DeleteLogGroup ${name}`, ['ResourceNotFoundException'], (o) =>
					logs.send(new DeleteLogGroupCommand({logGroupName: name}), o),
				),
		);
	},
	async (sweep) => {
		const {scope, key} = sweep;
		const ec2 = sweep.clients.get(EC2Client);
		const filters = Object.entries(stackIdentityTags(key)).map(([name, value]) => ({Name: `tag:${name}`, Values: [value]}));
		const groups =
			(await awsCall(scope, 'EC2 DescribeSecurityGroups', (o) => ec2.send(new DescribeSecurityGroupsCommand({Filters: filters}), o)))
				.SecurityGroups ?? [];
		return leftoversOf(
			sweep,
			stage.foundations,
			groups.map((group) => ({id: group.GroupId ?? '', name: group.GroupName ?? ''})),
			({id, name}) => `security group ${id} (${name})`,
			async ({id}) =>
				fromTagList(
					(
						await awsCall(scope, `EC2 DescribeSecurityGroups ${id}`, (o) =>
							ec2.send(new DescribeSecurityGroupsCommand({GroupIds: [id]}), o),
						)
					).SecurityGroups?.[0]?.Tags,
				),
			({id}) => awsCall(scope, `EC2 DeleteSecurityGroup ${id}`, (o) => ec2.send(new DeleteSecurityGroupCommand({GroupId: id}), o)),
		);
	},
];
