/**
 * One sample component per registered kind, using every part the kind can make, and what each of
 * a kind's physical names is in AWS: the resource type, the scope its name is unique in, and how to
 * read that resource's tags with the SDK (not through panka's providers).
 *
 * Suites that must cover every kind (physical-name injectivity, the ownership conformance suite)
 * iterate the kind registry and look each kind up here: a kind added to the registry without a
 * sample, or a role without a resource description, fails them.
 */
import {
	CloudWatchLogsClient,
	DescribeLogGroupsCommand,
	ListTagsForResourceCommand as ListLogTagsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {DescribeTableCommand, DynamoDBClient, ListTagsOfResourceCommand} from '@aws-sdk/client-dynamodb';
import {DescribeSecurityGroupsCommand, EC2Client} from '@aws-sdk/client-ec2';
import {DescribeClustersCommand, DescribeServicesCommand, DescribeTaskDefinitionCommand, ECSClient} from '@aws-sdk/client-ecs';
import {
	DescribeLoadBalancersCommand,
	DescribeTagsCommand,
	DescribeTargetGroupsCommand,
	ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import {DescribeRuleCommand, EventBridgeClient, ListTagsForResourceCommand as ListRuleTagsCommand} from '@aws-sdk/client-eventbridge';
import {IAMClient, ListRoleTagsCommand} from '@aws-sdk/client-iam';
import {GetFunctionCommand, LambdaClient} from '@aws-sdk/client-lambda';
import {
	DescribeDBInstancesCommand,
	DescribeDBParameterGroupsCommand,
	DescribeDBSubnetGroupsCommand,
	ListTagsForResourceCommand as ListDbTagsCommand,
	RDSClient,
} from '@aws-sdk/client-rds';
import {GetBucketTaggingCommand} from '@aws-sdk/client-s3';
import {
	ListNamespacesCommand,
	ListServicesCommand,
	ListTagsForResourceCommand as ListCloudMapTagsCommand,
	ServiceDiscoveryClient,
} from '@aws-sdk/client-servicediscovery';
import {ListTagsForResourceCommand as ListTopicTagsCommand, SNSClient} from '@aws-sdk/client-sns';
import {GetQueueUrlCommand, ListQueueTagsCommand, SQSClient} from '@aws-sdk/client-sqs';
import type {AwsClients} from '../../engine/aws/aws-clients.js';

export interface KindSample {
	/** A spec that makes every part the kind can make (every role of its physicalNames). */
	spec: unknown;
	/** Components the spec names (EventBridge targets), to be made first for each identity. */
	needs?: readonly {component: string; kind: string; spec: unknown}[];
	/** Runs in the tenant VPC: needs the tenant's networking. */
	vpc?: boolean;
	/** Packages a code folder (Lambda code.path `.`). */
	codeFolder?: boolean;
}

export const kindSamples: Readonly<Record<string, KindSample>> = {
	SQS: {spec: {deadLetterQueue: {enabled: true}}},
	SNS: {spec: {displayName: 'orders'}},
	DynamoDB: {spec: {hashKey: {name: 'id', type: 'S'}}},
	S3: {spec: {}},
	Lambda: {
		spec: {
			runtime: 'nodejs20.x',
			handler: 'index.handler',
			code: {path: '.'},
			triggers: [{type: 'eventbridge', schedule: 'rate(1 hour)'}],
		},
		codeFolder: true,
	},
	EventBridge: {
		spec: {schedule: 'rate(1 hour)', targets: [{component: 'inbox'}]},
		needs: [{component: 'inbox', kind: 'SQS', spec: {}}],
	},
	MicroService: {
		spec: {
			image: {repository: 'public.ecr.aws/nginx/nginx', tag: '1.27'},
			replicas: 2,
			ports: [{name: 'http', port: 8080, protocol: 'http'}],
			healthCheck: {path: '/health'},
			serviceDiscovery: {enabled: true},
		},
		vpc: true,
	},
	RDS: {
		spec: {
			engine: {type: 'postgres', version: '15', parameters: {max_connections: '200'}},
			instance: {class: 'db.t3.micro'},
			database: {name: 'orders', username: 'app', passwordSecret: {ref: 'orders-db-password'}},
			backup: {enabled: false},
			monitoring: {enhancedMonitoring: true, monitoringInterval: 30},
		},
		vpc: true,
	},
};

/**
 * Where a name must be unique: the AWS account and region (most), the tenant VPC (security groups),
 * or one stack and environment (an ECS service in the stack's cluster, a Cloud Map service in the
 * stack's namespace).
 */
export type NameScope = 'account' | 'vpc' | 'stack';

/** What the reader needs besides the name: the component's other names, its VPC and Cloud Map namespace. */
export interface ResourceLocation {
	names: Readonly<Record<string, string>>;
	vpcId?: string;
	namespace?: string;
	region: string;
	accountId: string;
}

export interface NamedResource {
	type: string;
	scope: NameScope;
	/** The resource's tags, or undefined when there is none of that name. */
	tags(clients: AwsClients, name: string, where: ResourceLocation): Promise<Record<string, string> | undefined>;
}

type TagList = readonly {Key?: string; Value?: string}[] | undefined;
const fromList = (tags: TagList) => Object.fromEntries((tags ?? []).map((tag) => [tag.Key ?? '', tag.Value ?? '']));
const fromEcs = (tags: readonly {key?: string; value?: string}[] | undefined) =>
	Object.fromEntries((tags ?? []).map((tag) => [tag.key ?? '', tag.value ?? '']));

/** The call's result, or undefined when AWS says the thing is not there. */
async function unlessMissing<T>(run: () => Promise<T>, ...missing: string[]): Promise<T | undefined> {
	try {
		return await run();
	} catch (error) {
		const {name, Code} = error as {name?: string; Code?: string};
		if (missing.some((code) => code === name || code === Code)) return undefined;
		throw error;
	}
}

/** A resource unique in the account, found by name, whose tags are read by its ARN. */
function byArn(
	type: string,
	arnOf: (clients: AwsClients, name: string) => Promise<string | undefined>,
	tagsOf: (clients: AwsClients, arn: string) => Promise<Record<string, string>>,
): NamedResource {
	return {
		type,
		scope: 'account',
		async tags(clients, name) {
			const arn = await arnOf(clients, name);
			return arn ? tagsOf(clients, arn) : undefined;
		},
	};
}

const queue: NamedResource = {
	type: 'SQS queue',
	scope: 'account',
	async tags(clients, name) {
		const sqs = clients.get(SQSClient);
		const found = await unlessMissing(
			() => sqs.send(new GetQueueUrlCommand({QueueName: name})),
			'QueueDoesNotExist',
			'AWS.SimpleQueueService.NonExistentQueue',
		);
		return found?.QueueUrl ? ((await sqs.send(new ListQueueTagsCommand({QueueUrl: found.QueueUrl}))).Tags ?? {}) : undefined;
	},
};

const topic: NamedResource = {
	type: 'SNS topic',
	scope: 'account',
	async tags(clients, name, where) {
		const arn = `arn:aws:sns:${where.region}:${where.accountId}:${name}`;
		const found = await unlessMissing(
			() => clients.get(SNSClient).send(new ListTopicTagsCommand({ResourceArn: arn})),
			'NotFound',
			'ResourceNotFound',
		);
		return found ? fromList(found.Tags) : undefined;
	},
};

const table = byArn(
	'DynamoDB table',
	async (clients, name) =>
		(await unlessMissing(() => clients.get(DynamoDBClient).send(new DescribeTableCommand({TableName: name})), 'ResourceNotFoundException'))
			?.Table?.TableArn,
	async (clients, arn) => fromList((await clients.get(DynamoDBClient).send(new ListTagsOfResourceCommand({ResourceArn: arn}))).Tags),
);

const bucket: NamedResource = {
	type: 'S3 bucket',
	scope: 'account',
	async tags(clients, name) {
		try {
			return fromList((await clients.s3().send(new GetBucketTaggingCommand({Bucket: name}))).TagSet);
		} catch (error) {
			const code = (error as {name?: string}).name;
			if (code === 'NoSuchTagSet') return {};
			if (code === 'NoSuchBucket' || code === 'NotFound') return undefined;
			throw error;
		}
	},
};

const lambdaFunction: NamedResource = {
	type: 'Lambda function',
	scope: 'account',
	async tags(clients, name) {
		const found = await unlessMissing(
			() => clients.get(LambdaClient).send(new GetFunctionCommand({FunctionName: name})),
			'ResourceNotFoundException',
		);
		return found ? (found.Tags ?? {}) : undefined;
	},
};

const role: NamedResource = {
	type: 'IAM role',
	scope: 'account',
	async tags(clients, name) {
		const found = await unlessMissing(
			() => clients.get(IAMClient).send(new ListRoleTagsCommand({RoleName: name})),
			'NoSuchEntity',
			'NoSuchEntityException',
		);
		return found ? fromList(found.Tags) : undefined;
	},
};

const logGroup: NamedResource = {
	type: 'log group',
	scope: 'account',
	async tags(clients, name) {
		const logs = clients.get(CloudWatchLogsClient);
		const {logGroups = []} = await logs.send(new DescribeLogGroupsCommand({logGroupNamePrefix: name}));
		const group = logGroups.find((g) => g.logGroupName === name);
		if (!group?.arn) return undefined;
		return (await logs.send(new ListLogTagsCommand({resourceArn: group.arn.replace(/:\*$/, '')}))).tags ?? {};
	},
};

const rule = byArn(
	'EventBridge rule',
	async (clients, name) =>
		(await unlessMissing(() => clients.get(EventBridgeClient).send(new DescribeRuleCommand({Name: name})), 'ResourceNotFoundException'))
			?.Arn,
	async (clients, arn) => fromList((await clients.get(EventBridgeClient).send(new ListRuleTagsCommand({ResourceARN: arn}))).Tags),
);

const ecsService: NamedResource = {
	type: 'ECS service',
	scope: 'stack',
	async tags(clients, name, where) {
		const {services = []} = await clients
			.get(ECSClient)
			.send(new DescribeServicesCommand({cluster: where.names.cluster, services: [name], include: ['TAGS']}))
			.catch(() => ({services: []}));
		const service = services.find((s) => s.serviceName === name && s.status === 'ACTIVE');
		return service ? fromEcs(service.tags) : undefined;
	},
};

const ecsCluster: NamedResource = {
	type: 'ECS cluster',
	scope: 'account',
	async tags(clients, name) {
		const {clusters = []} = await clients.get(ECSClient).send(new DescribeClustersCommand({clusters: [name], include: ['TAGS']}));
		const cluster = clusters.find((c) => c.clusterName === name && c.status === 'ACTIVE');
		return cluster ? fromEcs(cluster.tags) : undefined;
	},
};

const taskDefinition: NamedResource = {
	type: 'ECS task definition family',
	scope: 'account',
	async tags(clients, name) {
		const found = await unlessMissing(
			() => clients.get(ECSClient).send(new DescribeTaskDefinitionCommand({taskDefinition: name, include: ['TAGS']})),
			'ClientException',
			'InvalidParameterException',
		);
		if (found?.taskDefinition?.status !== 'ACTIVE') return undefined;
		return fromEcs(found.tags);
	},
};

const elb = (clients: AwsClients) => clients.get(ElasticLoadBalancingV2Client);
const elbTags = async (clients: AwsClients, arn: string) =>
	fromList((await elb(clients).send(new DescribeTagsCommand({ResourceArns: [arn]}))).TagDescriptions?.[0]?.Tags);

const loadBalancer = byArn(
	'load balancer',
	async (clients, name) =>
		(await unlessMissing(() => elb(clients).send(new DescribeLoadBalancersCommand({Names: [name]})), 'LoadBalancerNotFound'))
			?.LoadBalancers?.[0]?.LoadBalancerArn,
	elbTags,
);

const targetGroup = byArn(
	'target group',
	async (clients, name) =>
		(await unlessMissing(() => elb(clients).send(new DescribeTargetGroupsCommand({Names: [name]})), 'TargetGroupNotFound'))
			?.TargetGroups?.[0]?.TargetGroupArn,
	elbTags,
);

const cloudMapService: NamedResource = {
	type: 'Cloud Map service',
	scope: 'stack',
	async tags(clients, name, where) {
		const cloudMap = clients.get(ServiceDiscoveryClient);
		const {Namespaces = []} = await cloudMap.send(new ListNamespacesCommand({}));
		const namespaceIds = new Set(Namespaces.filter((ns) => ns.Name === where.namespace).map((ns) => ns.Id));
		const {Services = []} = await cloudMap.send(new ListServicesCommand({}));
		const service = Services.find(
			(s) => s.Name === name && namespaceIds.has((s as {NamespaceId?: string}).NamespaceId ?? [...namespaceIds][0]),
		);
		return service?.Arn ? fromList((await cloudMap.send(new ListCloudMapTagsCommand({ResourceARN: service.Arn}))).Tags) : undefined;
	},
};

const dbTags = async (clients: AwsClients, arn: string) =>
	fromList((await clients.get(RDSClient).send(new ListDbTagsCommand({ResourceName: arn}))).TagList);

const dbInstance: NamedResource = {
	type: 'DB instance',
	scope: 'account',
	async tags(clients, name) {
		const found = await unlessMissing(
			() => clients.get(RDSClient).send(new DescribeDBInstancesCommand({DBInstanceIdentifier: name})),
			'DBInstanceNotFound',
			'DBInstanceNotFoundFault',
		);
		const instance = found?.DBInstances?.find((i) => i.DBInstanceIdentifier === name);
		return instance ? fromList(instance.TagList) : undefined;
	},
};

const dbSubnetGroup = byArn(
	'DB subnet group',
	async (clients, name) =>
		(
			await unlessMissing(
				() => clients.get(RDSClient).send(new DescribeDBSubnetGroupsCommand({DBSubnetGroupName: name})),
				'DBSubnetGroupNotFound',
				'DBSubnetGroupNotFoundFault',
			)
		)?.DBSubnetGroups?.find((group) => group.DBSubnetGroupName === name)?.DBSubnetGroupArn,
	dbTags,
);

const dbParameterGroup = byArn(
	'DB parameter group',
	async (clients, name) =>
		(
			await unlessMissing(
				() => clients.get(RDSClient).send(new DescribeDBParameterGroupsCommand({DBParameterGroupName: name})),
				'DBParameterGroupNotFound',
				'DBParameterGroupNotFoundFault',
			)
		)?.DBParameterGroups?.find((group) => group.DBParameterGroupName === name)?.DBParameterGroupArn,
	dbTags,
);

const securityGroup: NamedResource = {
	type: 'security group',
	scope: 'vpc',
	async tags(clients, name, where) {
		const {SecurityGroups = []} = await clients.get(EC2Client).send(
			new DescribeSecurityGroupsCommand({
				Filters: [
					{Name: 'vpc-id', Values: [where.vpcId ?? '']},
					{Name: 'group-name', Values: [name]},
				],
			}),
		);
		const group = SecurityGroups.find((g) => g.GroupName === name);
		return group ? fromList(group.Tags) : undefined;
	},
};

/** kind → role → resource; `triggers.*` stands for every `triggers.N`. */
const resourcesByRole: Readonly<Record<string, Readonly<Record<string, NamedResource>>>> = {
	SQS: {primary: queue, deadLetterQueue: queue},
	SNS: {primary: topic},
	DynamoDB: {primary: table},
	S3: {primary: bucket},
	Lambda: {primary: lambdaFunction, role, logGroup, 'triggers.*': rule},
	EventBridge: {primary: rule},
	MicroService: {
		primary: ecsService,
		cluster: ecsCluster,
		taskDefinitionFamily: taskDefinition,
		taskRole: role,
		executionRole: role,
		logGroup,
		loadBalancer,
		targetGroup,
		serviceDiscovery: cloudMapService,
	},
	RDS: {primary: dbInstance, subnetGroup: dbSubnetGroup, parameterGroup: dbParameterGroup, securityGroup, monitoringRole: role},
};

/** The AWS resource a kind's physical name of `role` names; throws for a kind or role not described here. */
export function namedResource(kind: string, role: string): NamedResource {
	const roles = resourcesByRole[kind];
	if (!roles) throw new Error(`no resource description for kind ${kind}: add it to test/helpers/kind-samples.ts`);
	const found = roles[role] ?? roles[role.replace(/\.\d+$/, '.*')];
	if (!found) throw new Error(`no resource description for role ${role} of kind ${kind}: add it to test/helpers/kind-samples.ts`);
	return found;
}

/** The sample of a registered kind; throws for a kind without one. */
export function kindSample(kind: string): KindSample {
	const sample = kindSamples[kind];
	if (!sample) throw new Error(`no sample for kind ${kind}: add one to test/helpers/kind-samples.ts`);
	return sample;
}
