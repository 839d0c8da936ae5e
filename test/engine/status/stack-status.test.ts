/**
 * Health verdicts on moto, per kind: each case puts AWS in a known condition (a message in a
 * dead-letter queue, a disabled rule, a stopped database, fewer tasks running than desired, an
 * unhealthy target…), records the resource as an apply would, and reads the stack's status. The
 * verdict and the facts behind it are what AWS says; nothing is taken from panka's own state but
 * the resource's names.
 *
 * The CloudWatch facts (Lambda invocations, errors and throttles; SQS oldest message age; SNS
 * failed deliveries; RDS free storage) are written with PutMetricData, as AWS would publish them,
 * under the resource's own dimensions; moto answers GetMetricData from what was put.
 *
 * moto reports ECS runningCount = MOTO_ECS_SERVICE_RUNNING for every service (2 here), runs no
 * tasks, and answers DescribeTargetHealth from the targets registered.
 */
import {CloudWatchClient, PutMetricDataCommand} from '@aws-sdk/client-cloudwatch';
import {CreateClusterCommand, CreateServiceCommand, ECSClient, RegisterTaskDefinitionCommand} from '@aws-sdk/client-ecs';
import {CreateTargetGroupCommand, ElasticLoadBalancingV2Client, RegisterTargetsCommand} from '@aws-sdk/client-elastic-load-balancing-v2';
import {EventBridgeClient, PutRuleCommand, PutTargetsCommand} from '@aws-sdk/client-eventbridge';
import {CreateRoleCommand, IAMClient} from '@aws-sdk/client-iam';
import {CreateEventSourceMappingCommand, CreateFunctionCommand, LambdaClient} from '@aws-sdk/client-lambda';
import {CreateDBInstanceCommand, RDSClient, StopDBInstanceCommand} from '@aws-sdk/client-rds';
import {CreateBucketCommand} from '@aws-sdk/client-s3';
import {CreateTopicCommand, DeleteTopicCommand, SNSClient, SubscribeCommand} from '@aws-sdk/client-sns';
import {CreateQueueCommand, GetQueueAttributesCommand, SendMessageCommand, SQSClient} from '@aws-sdk/client-sqs';
import {CreateTableCommand, DynamoDBClient} from '@aws-sdk/client-dynamodb';
import {DescribeVpcsCommand, EC2Client} from '@aws-sdk/client-ec2';
import {zipSync} from 'fflate';
import {beforeAll, describe, expect, it} from 'vitest';
import type {AwsClients} from '../../../engine/aws/aws-clients.js';
import {readStackStatus} from '../../../engine/status/stack-status.js';
import {emptyState, type StateResource} from '../../../engine/state/state-document.js';
import {describeAws, useMoto} from '../../helpers/moto.js';

// Read by moto_server when useMoto starts it (it inherits this process's environment).
process.env.MOTO_ECS_SERVICE_RUNNING = '2';

let counter = 0;
const unique = (base: string) => `${base}-${Date.now().toString(36)}${(counter++).toString(36)}`;

function recorded(kind: string, fields: Partial<StateResource> & Pick<StateResource, 'physicalId' | 'outputs'>): StateResource {
	return {
		kind,
		type: `AWS::${kind}`,
		service: 'svc',
		name: fields.name ?? kind.toLowerCase(),
		status: 'ready',
		inputs: {},
		physicalNames: {},
		dependsOn: [],
		createdAt: '',
		updatedAt: '',
		...fields,
	};
}

async function statusOf(clients: AwsClients, resource: StateResource) {
	const state = emptyState({tenant: 'acme', stack: 'shop', environment: 'test'});
	state.resources[`${resource.service}/${resource.name}`] = resource;
	const status = await readStackStatus({state, clients});
	expect(status.components).toHaveLength(1);
	return {...status.components[0]!, stack: status.verdict};
}

const factsOf = (health: {facts: {name: string; value: string; verdict?: string}[]}) =>
	Object.fromEntries(health.facts.map((f) => [f.name, f.verdict ? `${f.value} [${f.verdict}]` : f.value]));

describeAws('stack status on moto', () => {
	const moto = useMoto();
	let clients: AwsClients;
	beforeAll(() => {
		clients = moto.clients();
	});

	/** Publishes one datapoint per metric, now, as AWS would for the resource `dimensions` name. */
	async function publish(namespace: string, dimensions: Record<string, string>, values: Record<string, number>) {
		await clients.get(CloudWatchClient).send(
			new PutMetricDataCommand({
				Namespace: namespace,
				MetricData: Object.entries(values).map(([MetricName, Value]) => ({
					MetricName,
					Value,
					Dimensions: Object.entries(dimensions).map(([Name, Value]) => ({Name, Value})),
				})),
			}),
		);
	}

	describe('SQS', () => {
		async function queueWithDeadLetters() {
			const sqs = clients.get(SQSClient);
			const dlq = await sqs.send(new CreateQueueCommand({QueueName: unique('orders-dlq')}));
			const queue = await sqs.send(new CreateQueueCommand({QueueName: unique('orders')}));
			const arn = async (url: string) =>
				(await sqs.send(new GetQueueAttributesCommand({QueueUrl: url, AttributeNames: ['QueueArn']}))).Attributes!.QueueArn!;
			const resource = recorded('SQS', {
				physicalId: queue.QueueUrl!,
				outputs: {
					queueUrl: queue.QueueUrl,
					arn: await arn(queue.QueueUrl!),
					deadLetterQueueUrl: dlq.QueueUrl,
					deadLetterQueueArn: await arn(dlq.QueueUrl!),
				},
			});
			return {sqs, queueUrl: queue.QueueUrl!, dlqUrl: dlq.QueueUrl!, resource};
		}

		it('is healthy with messages waiting and an empty dead-letter queue', async () => {
			const {sqs, queueUrl, resource} = await queueWithDeadLetters();
			await sqs.send(new SendMessageCommand({QueueUrl: queueUrl, MessageBody: 'order 1'}));
			await sqs.send(new SendMessageCommand({QueueUrl: queueUrl, MessageBody: 'order 2'}));
			await publish('AWS/SQS', {QueueName: queueUrl.split('/').pop()!}, {ApproximateAgeOfOldestMessage: 720});
			const health = await statusOf(clients, resource);
			expect(health.verdict).toBe('healthy');
			expect(factsOf(health)).toEqual({
				'messages visible': '2',
				'messages in flight': '0',
				'oldest message': '12m old',
				'dead-letter queue': 'empty',
			});
		});

		it('is degraded when its oldest message nears the retention period (deleted unread)', async () => {
			const {queueUrl, resource} = await queueWithDeadLetters();
			// The default retention is 4 days (345600 s); 80% of it is 76.8 h.
			await publish('AWS/SQS', {QueueName: queueUrl.split('/').pop()!}, {ApproximateAgeOfOldestMessage: 80 * 3600});
			const health = await statusOf(clients, resource);
			expect(health.verdict).toBe('degraded');
			expect(factsOf(health)['oldest message']).toBe('80h old (deleted unread at 96h) [degraded]');
		});

		it('says so when no age was published for the queue', async () => {
			const {resource} = await queueWithDeadLetters();
			const health = await statusOf(clients, resource);
			expect(health.verdict).toBe('healthy');
			expect(factsOf(health)['oldest message']).toBe('no datapoints in the last 15 min');
		});

		it('is degraded when any message is in the dead-letter queue', async () => {
			const {sqs, dlqUrl, resource} = await queueWithDeadLetters();
			await sqs.send(new SendMessageCommand({QueueUrl: dlqUrl, MessageBody: 'poison'}));
			const health = await statusOf(clients, resource);
			expect(health.verdict).toBe('degraded');
			expect(health.stack).toBe('degraded');
			expect(factsOf(health)['dead-letter queue']).toBe('1 message (failed processing) [degraded]');
		});

		it('is failing when the queue is gone from AWS', async () => {
			const url = `${moto.endpoint}/123456789012/${unique('gone')}`;
			const health = await statusOf(clients, recorded('SQS', {physicalId: url, outputs: {queueUrl: url}}));
			expect(health.verdict).toBe('failing');
			expect(health.facts[0]!.value).toContain('not found in AWS');
		});
	});

	describe('DynamoDB', () => {
		it('is healthy when the table is active', async () => {
			const name = unique('sessions');
			await clients.get(DynamoDBClient).send(
				new CreateTableCommand({
					TableName: name,
					BillingMode: 'PAY_PER_REQUEST',
					AttributeDefinitions: [{AttributeName: 'id', AttributeType: 'S'}],
					KeySchema: [{AttributeName: 'id', KeyType: 'HASH'}],
				}),
			);
			const health = await statusOf(clients, recorded('DynamoDB', {physicalId: name, outputs: {tableName: name}}));
			expect(health.verdict).toBe('healthy');
			expect(factsOf(health)).toMatchObject({table: 'active'});
		});

		it('is failing when the table is gone', async () => {
			const name = unique('never-made');
			const health = await statusOf(clients, recorded('DynamoDB', {physicalId: name, outputs: {tableName: name}}));
			expect(health.verdict).toBe('failing');
		});
	});

	describe('S3', () => {
		it('is healthy when the bucket exists and failing when it does not', async () => {
			const name = unique('uploads');
			await clients.s3().send(new CreateBucketCommand({Bucket: name}));
			expect((await statusOf(clients, recorded('S3', {physicalId: name, outputs: {bucketName: name}}))).verdict).toBe('healthy');
			const missing = unique('missing');
			expect((await statusOf(clients, recorded('S3', {physicalId: missing, outputs: {bucketName: missing}}))).verdict).toBe('failing');
		});
	});

	describe('SNS', () => {
		// moto confirms every subscription at once (email included), so "pending confirmation"
		// (degraded) cannot be produced on it: docs/status.md lists it.
		it('is healthy with its subscriptions confirmed, and failing once the topic is deleted', async () => {
			const sns = clients.get(SNSClient);
			const sqs = clients.get(SQSClient);
			const {TopicArn} = await sns.send(new CreateTopicCommand({Name: unique('events')}));
			const queue = await sqs.send(new CreateQueueCommand({QueueName: unique('subscriber')}));
			const queueArn = (await sqs.send(new GetQueueAttributesCommand({QueueUrl: queue.QueueUrl, AttributeNames: ['QueueArn']}))).Attributes!
				.QueueArn!;
			await sns.send(new SubscribeCommand({TopicArn, Protocol: 'sqs', Endpoint: queueArn}));
			const resource = recorded('SNS', {physicalId: TopicArn!, outputs: {topicArn: TopicArn}});
			const healthy = await statusOf(clients, resource);
			expect(healthy.verdict).toBe('healthy');
			expect(factsOf(healthy)).toEqual({'subscriptions confirmed': '1', 'failed deliveries': 'none in the last 15 min'});

			await publish('AWS/SNS', {TopicName: TopicArn!.split(':').pop()!}, {NumberOfNotificationsDelivered: 12});
			expect(factsOf(await statusOf(clients, resource))['failed deliveries']).toBe('0 of 12 in the last 15 min');

			await sns.send(new DeleteTopicCommand({TopicArn}));
			expect((await statusOf(clients, resource)).verdict).toBe('failing');
		});
	});

	it('SNS is degraded when deliveries failed', async () => {
		const sns = clients.get(SNSClient);
		const name = unique('events');
		const {TopicArn} = await sns.send(new CreateTopicCommand({Name: name}));
		await publish('AWS/SNS', {TopicName: name}, {NumberOfNotificationsDelivered: 9, NumberOfNotificationsFailed: 3});
		const health = await statusOf(clients, recorded('SNS', {physicalId: TopicArn!, outputs: {topicArn: TopicArn}}));
		expect(health.verdict).toBe('degraded');
		expect(factsOf(health)['failed deliveries']).toBe('3 of 12 in the last 15 min (25%) [degraded]');
	});

	describe('EventBridge', () => {
		async function rule(state: 'ENABLED' | 'DISABLED') {
			const events = clients.get(EventBridgeClient);
			const name = unique('daily');
			await events.send(new PutRuleCommand({Name: name, ScheduleExpression: 'rate(1 day)', State: state}));
			await events.send(
				new PutTargetsCommand({Rule: name, Targets: [{Id: 'function', Arn: 'arn:aws:lambda:us-east-1:123456789012:function:f'}]}),
			);
			return recorded('EventBridge', {physicalId: name, outputs: {ruleName: name}, inputs: {eventBus: 'default'}});
		}

		it('is healthy when the rule is enabled with a target', async () => {
			const health = await statusOf(clients, await rule('ENABLED'));
			expect(health.verdict).toBe('healthy');
			expect(factsOf(health)).toEqual({rule: 'enabled', schedule: 'rate(1 day)', targets: '1'});
		});

		it('is degraded when the rule is disabled', async () => {
			const health = await statusOf(clients, await rule('DISABLED'));
			expect(health.verdict).toBe('degraded');
			expect(factsOf(health).rule).toBe('disabled (triggers nothing) [degraded]');
		});
	});

	describe('RDS', () => {
		async function instance() {
			const id = unique('db');
			const created = await clients.get(RDSClient).send(
				new CreateDBInstanceCommand({
					DBInstanceIdentifier: id,
					DBInstanceClass: 'db.t3.micro',
					Engine: 'postgres',
					AllocatedStorage: 20,
					MasterUsername: 'app',
					MasterUserPassword: 'not-a-real-password-1',
				}),
			);
			return {
				id,
				resource: recorded('RDS', {physicalId: id, physicalNames: {primary: id}, outputs: {arn: created.DBInstance!.DBInstanceArn}}),
			};
		}

		it('is healthy when the instance is available, with its storage and pending maintenance', async () => {
			const {id, resource} = await instance();
			await publish('AWS/RDS', {DBInstanceIdentifier: id}, {FreeStorageSpace: 15 * 1024 ** 3});
			const health = await statusOf(clients, resource);
			expect(health.verdict).toBe('healthy');
			expect(factsOf(health)).toMatchObject({instance: 'available', 'storage allocated': '20 GB', 'storage used': '5 of 20 GB (25%)'});
			// moto does not implement DescribePendingMaintenanceActions: said, without a verdict.
			expect(factsOf(health)['pending maintenance']).toMatch(/^(none|not read: .*HTTP 500)/);
		});

		it('is degraded when more than 90% of its storage is used', async () => {
			const {id, resource} = await instance();
			await publish('AWS/RDS', {DBInstanceIdentifier: id}, {FreeStorageSpace: 1024 ** 3});
			const health = await statusOf(clients, resource);
			expect(health.verdict).toBe('degraded');
			expect(factsOf(health)).toMatchObject({instance: 'available', 'storage used': '19 of 20 GB (95%) [degraded]'});
		});

		it('is degraded when the instance is stopped', async () => {
			const {id, resource} = await instance();
			await clients.get(RDSClient).send(new StopDBInstanceCommand({DBInstanceIdentifier: id}));
			const health = await statusOf(clients, resource);
			expect(health.verdict).toBe('degraded');
			expect(factsOf(health).instance).toBe('stopped [degraded]');
		});
	});

	describe('Lambda', () => {
		async function functionWithTrigger(enabled: boolean) {
			const role = await clients.get(IAMClient).send(
				new CreateRoleCommand({
					RoleName: unique('fn-role'),
					AssumeRolePolicyDocument: JSON.stringify({
						Version: '2012-10-17',
						Statement: [{Effect: 'Allow', Principal: {Service: 'lambda.amazonaws.com'}, Action: 'sts:AssumeRole'}],
					}),
				}),
			);
			const name = unique('processor');
			const lambda = clients.get(LambdaClient);
			const created = await lambda.send(
				new CreateFunctionCommand({
					FunctionName: name,
					Runtime: 'nodejs20.x',
					Handler: 'index.handler',
					Role: role.Role!.Arn,
					Code: {ZipFile: zipSync({'index.js': new TextEncoder().encode('exports.handler = async () => ({});')})},
				}),
			);
			const sqs = clients.get(SQSClient);
			const queue = await sqs.send(new CreateQueueCommand({QueueName: unique('work')}));
			const queueArn = (await sqs.send(new GetQueueAttributesCommand({QueueUrl: queue.QueueUrl, AttributeNames: ['QueueArn']}))).Attributes!
				.QueueArn!;
			await lambda.send(new CreateEventSourceMappingCommand({FunctionName: name, EventSourceArn: queueArn, Enabled: enabled}));
			return {
				name,
				queueName: queueArn.split(':').pop()!,
				resource: recorded('Lambda', {physicalId: created.FunctionArn!, outputs: {functionName: name}}),
			};
		}

		it('is healthy when the function is active and its trigger enabled', async () => {
			const {name, queueName, resource} = await functionWithTrigger(true);
			const idle = await statusOf(clients, resource);
			expect(idle.verdict).toBe('healthy');
			expect(factsOf(idle)).toMatchObject({
				function: 'active',
				[`trigger ${queueName}`]: expect.stringMatching(/^enabled/),
				invocations: 'none in the last 15 min',
			});

			await publish('AWS/Lambda', {FunctionName: name}, {Invocations: 40, Errors: 0, Throttles: 0});
			const invoked = await statusOf(clients, resource);
			expect(invoked.verdict).toBe('healthy');
			expect(factsOf(invoked)).toMatchObject({invocations: '40 in the last 15 min', errors: '0', throttles: '0'});
		});

		it('is degraded when invocations failed or were throttled, with the rates', async () => {
			const {name, resource} = await functionWithTrigger(true);
			await publish('AWS/Lambda', {FunctionName: name}, {Invocations: 40, Errors: 10, Throttles: 10});
			const health = await statusOf(clients, resource);
			expect(health.verdict).toBe('degraded');
			expect(factsOf(health)).toMatchObject({
				invocations: '40 in the last 15 min',
				errors: '10 (25%) [degraded]',
				throttles: '10 (20%) [degraded]',
			});
		});

		it('is degraded when its trigger is disabled', async () => {
			const {queueName, resource} = await functionWithTrigger(false);
			const health = await statusOf(clients, resource);
			expect(health.verdict).toBe('degraded');
			expect(factsOf(health)[`trigger ${queueName}`]).toMatch(/^disabled.*\[degraded\]$/);
		});
	});

	describe('MicroService', () => {
		async function service(desiredCount: number, target?: 'registered') {
			const ecs = clients.get(ECSClient);
			const cluster = unique('cluster');
			const name = unique('api');
			await ecs.send(new CreateClusterCommand({clusterName: cluster}));
			const definition = await ecs.send(
				new RegisterTaskDefinitionCommand({family: name, containerDefinitions: [{name: 'api', image: 'nginx', memory: 512}]}),
			);
			await ecs.send(
				new CreateServiceCommand({cluster, serviceName: name, taskDefinition: definition.taskDefinition!.taskDefinitionArn, desiredCount}),
			);
			const physicalNames: Record<string, string> = {primary: name, cluster};
			if (target) {
				const elb = clients.get(ElasticLoadBalancingV2Client);
				const groupName = unique('tg').slice(0, 32);
				const group = await elb.send(
					new CreateTargetGroupCommand({
						Name: groupName,
						Protocol: 'HTTP',
						Port: 8080,
						TargetType: 'ip',
						VpcId: (await clients.get(EC2Client).send(new DescribeVpcsCommand({}))).Vpcs![0]!.VpcId,
					}),
				);
				await elb.send(
					new RegisterTargetsCommand({TargetGroupArn: group.TargetGroups![0]!.TargetGroupArn, Targets: [{Id: '10.0.1.10', Port: 8080}]}),
				);
				physicalNames.targetGroup = groupName;
			}
			return recorded('MicroService', {physicalId: name, physicalNames, outputs: {clusterName: cluster, serviceName: name}});
		}

		it('is healthy when every desired task runs', async () => {
			const health = await statusOf(clients, await service(2));
			expect(health.verdict).toBe('healthy');
			expect(factsOf(health)).toMatchObject({'tasks running': '2 of 2'});
			expect(health.hasLogs).toBe(true);
		});

		it('is degraded when fewer tasks run than desired', async () => {
			const health = await statusOf(clients, await service(3));
			expect(health.verdict).toBe('degraded');
			expect(factsOf(health)['tasks running']).toBe('2 of 3 [degraded]');
		});

		// moto reports every registered target healthy, so an unhealthy target (degraded, or
		// failing when none is healthy) cannot be produced on it: docs/status.md lists it.
		it('reads its load balancer targets', async () => {
			const health = await statusOf(clients, await service(2, 'registered'));
			expect(health.verdict).toBe('healthy');
			expect(factsOf(health)).toMatchObject({'tasks running': '2 of 2', 'load balancer targets': '1 of 1 healthy'});
		});

		it('is failing when its service is gone', async () => {
			const health = await statusOf(
				clients,
				recorded('MicroService', {physicalId: 'api', physicalNames: {primary: 'api', cluster: unique('no-cluster')}, outputs: {}}),
			);
			expect(health.verdict).toBe('failing');
		});
	});
});
