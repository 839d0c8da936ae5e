/**
 * MicroService on moto: create → verify through the AWS API (task definition, service placement,
 * load balancer, security groups, roles, log group) → new image tag (a new revision) → replicas
 * only (no revision) → delete → everything gone; the stack's cluster shared by several services;
 * Cloud Map discovery and Application Auto Scaling; rollout progress; never adopting a stranger.
 *
 * moto runs no tasks: CreateService reports runningCount = MOTO_ECS_SERVICE_RUNNING (default 0)
 * and never changes it until an UpdateService sets a desiredCount. This suite starts moto with
 * MOTO_ECS_SERVICE_RUNNING=2 and creates services with 2 replicas, so rollouts converge; a
 * service created with 3 shows "2/3 tasks running" and never converges (the timeout test).
 */
import {
	ApplicationAutoScalingClient,
	DescribeScalableTargetsCommand,
	DescribeScalingPoliciesCommand,
} from '@aws-sdk/client-application-auto-scaling';
import {CloudWatchLogsClient, DescribeLogGroupsCommand} from '@aws-sdk/client-cloudwatch-logs';
import {DescribeSecurityGroupRulesCommand, DescribeSecurityGroupsCommand, DescribeVpcsCommand, EC2Client} from '@aws-sdk/client-ec2';
import {
	CreateClusterCommand,
	CreateServiceCommand,
	DeleteClusterCommand,
	DeleteServiceCommand,
	DescribeClustersCommand,
	DescribeServicesCommand,
	DescribeTaskDefinitionCommand,
	ECSClient,
	ListTaskDefinitionsCommand,
	RegisterTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';
import {
	DescribeListenersCommand,
	DescribeLoadBalancersCommand,
	DescribeTargetGroupsCommand,
	ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import {GetRoleCommand, IAMClient, ListAttachedRolePoliciesCommand} from '@aws-sdk/client-iam';
import {ListNamespacesCommand, ListServicesCommand, ServiceDiscoveryClient} from '@aws-sdk/client-servicediscovery';
import {CreateSecretCommand, SecretsManagerClient} from '@aws-sdk/client-secrets-manager';
import {beforeAll, expect, it} from 'vitest';
import type {AwsClients} from '../../../engine/aws/aws-clients.js';
import type {MicroServiceSpec} from '../../../engine/kinds/microservice.js';
import {microServiceProvider} from '../../../engine/kinds/microservice-provider.js';
import {ensureStackSecurityGroup} from '../../../engine/networking/stack-security-group.js';
import {provisionTenantNetwork} from '../../../engine/networking/tenant-network.js';
import {networkingIds} from '../../../engine/networking/tenant-network-state.js';
import {roleInlinePolicies} from '../../../engine/providers/iam-roles.js';
import type {AppliedResource, NetworkingIds, ResourceContext} from '../../../engine/providers/provider.js';
import type {StateResource} from '../../../engine/state/state-document.js';
import {describeAws, useMoto} from '../../helpers/moto.js';
import {providerFixture} from '../../helpers/resource-context.js';
import {contractTenant, fastWait} from '../networking/network-test-helpers.js';
import {sharedStackTags, toEcsTags} from '../../../engine/kinds/microservice/ecs-calls.js';
import {appliedState} from './applied-state.js';

// Read by moto_server when useMoto starts it (it inherits this process's environment).
process.env.MOTO_ECS_SERVICE_RUNNING = '2';

interface SentCall {
	command: string;
	input: Record<string, unknown>;
}

/** The state applyPlan records: what update, delete and read receive as `previous`. */
function recorded(context: ResourceContext, result: AppliedResource, spec: MicroServiceSpec): StateResource {
	return {...appliedState('MicroService', result, spec), physicalNames: {...context.names}};
}

const secretValue = 'pa55-w0rd-that-must-never-leak';
const repository = '123456789012.dkr.ecr.us-east-1.amazonaws.com/api';

describeAws('MicroService provider', () => {
	const moto = useMoto({managedPolicies: true});
	const sent: SentCall[] = [];
	let clients: AwsClients;
	let networking: NetworkingIds;
	let secretArn: string;

	const calls = (command: string) => sent.filter((call) => call.command === command);
	const indexOf = (command: string) => sent.findIndex((call) => call.command === command);
	const ecs = () => clients.get(ECSClient);
	const elb = () => clients.get(ElasticLoadBalancingV2Client);
	const ec2 = () => clients.get(EC2Client);

	beforeAll(async () => {
		clients = moto.clients({
			onSend: (_client, command) =>
				sent.push({command: command.constructor.name.replace(/Command$/, ''), input: (command as {input: Record<string, unknown>}).input}),
		});
		await ec2().send(new DescribeVpcsCommand({})); // moto loads EC2 lazily: the first call takes ~1.5 s
		const tenant = await provisionTenantNetwork(contractTenant('acme', {natGateway: {enabled: false}}), {clients, wait: fastWait});
		const stackGroup = await ensureStackSecurityGroup(
			{
				clients,
				signal: new AbortController().signal,
				wait: fastWait,
				tags: {'panka:tenant': 'acme', 'panka:component': 'stack-security-group'},
			},
			{name: 'acme-shop-test-stack-sg', vpcId: tenant.vpcId, tenantSecurityGroupId: tenant.defaultSecurityGroupId, ingress: []},
		);
		networking = networkingIds(tenant, stackGroup.groupId);
		const created = await clients
			.get(SecretsManagerClient)
			.send(new CreateSecretCommand({Name: 'panka/acme/api/db-password', SecretString: secretValue}));
		secretArn = created.ARN!;
	}, 60_000);

	const apiSpec = (overrides: Partial<Record<keyof MicroServiceSpec, unknown>> = {}) => ({
		image: {repository, tag: '1.0.0'},
		runtime: {cpu: '0.5 vCPU', memory: '1GB'},
		replicas: 2,
		ports: [
			{name: 'http', port: 8080, protocol: 'http'},
			{name: 'metrics', port: 9090, protocol: 'tcp'},
		],
		healthCheck: {path: '/health', port: 8080, initialDelaySeconds: 30, periodSeconds: 10, timeoutSeconds: 4, failureThreshold: 3},
		environment: [
			{name: 'ENV', value: 'test'},
			{name: 'DB_HOST', value: 'db.internal.example'},
		],
		// In tenant acme's namespace: panka/acme/api/db-password.
		secrets: [{name: 'DB_PASSWORD', secretRef: 'api/db-password'}],
		...overrides,
	});

	it('creates the cluster, task definition, roles, log group, load balancer and service; updates the image and the replicas; deletes everything', async () => {
		const fixture = providerFixture<MicroServiceSpec>('MicroService', 'api', apiSpec(), clients, {networking});
		const {names} = fixture.context;
		sent.length = 0;
		const created = await microServiceProvider.create(fixture.context, fixture.spec);

		// Task definition: Fargate size as strings, the container as specified, secrets as ARNs.
		const taskDefinitionArn = created.outputs.taskDefinitionArn as string;
		const {taskDefinition} = await ecs().send(new DescribeTaskDefinitionCommand({taskDefinition: taskDefinitionArn}));
		expect(taskDefinition).toMatchObject({
			family: names.taskDefinitionFamily,
			requiresCompatibilities: ['FARGATE'],
			networkMode: 'awsvpc',
			cpu: '512',
			memory: '1024',
			executionRoleArn: `arn:aws:iam::123456789012:role/${names.executionRole}`,
			taskRoleArn: `arn:aws:iam::123456789012:role/${names.taskRole}`,
		});
		const container = taskDefinition!.containerDefinitions![0]!;
		expect(container).toMatchObject({
			name: 'api',
			image: `${repository}:1.0.0`,
			essential: true,
			environment: [
				{name: 'ENV', value: 'test'},
				{name: 'DB_HOST', value: 'db.internal.example'},
			],
			secrets: [{name: 'DB_PASSWORD', valueFrom: secretArn}],
			healthCheck: {
				command: [
					'CMD-SHELL',
					"curl -fsS -o /dev/null 'http://localhost:8080/health' || wget -q -O /dev/null 'http://localhost:8080/health' || exit 1",
				],
				interval: 10,
				timeout: 4,
				retries: 3,
				startPeriod: 30,
			},
			logConfiguration: {
				logDriver: 'awslogs',
				options: {'awslogs-group': names.logGroup, 'awslogs-region': 'us-east-1', 'awslogs-stream-prefix': 'ecs'},
			},
		});
		expect(container.portMappings?.map((m) => `${m.containerPort}/${m.protocol}`)).toEqual(['8080/tcp', '9090/tcp']);

		// The service: private subnets, tenant default + stack SG + its task SG, no public IP.
		const {services = []} = await ecs().send(
			new DescribeServicesCommand({cluster: names.cluster, services: [names.primary!], include: ['TAGS']}),
		);
		const service = services[0]!;
		const taskGroupId = created.outputs._taskSecurityGroupId as string;
		expect(service).toMatchObject({
			status: 'ACTIVE',
			desiredCount: 2,
			launchType: 'FARGATE',
			taskDefinition: taskDefinitionArn,
			propagateTags: 'SERVICE',
		});
		expect(service.networkConfiguration?.awsvpcConfiguration).toEqual({
			subnets: networking.privateSubnetIds,
			securityGroups: [...networking.securityGroupIds, taskGroupId],
			assignPublicIp: 'DISABLED',
		});
		expect(service.tags).toEqual(
			expect.arrayContaining([
				{key: 'panka:component', value: 'api'},
				{key: 'team', value: 'tests'},
			]),
		);
		expect(calls('CreateService')[0]?.input).toMatchObject({
			clientToken: fixture.context.token,
			deploymentConfiguration: {deploymentCircuitBreaker: {enable: true, rollback: true}},
			enableECSManagedTags: true,
		});

		// Load balancer: internet-facing in the public subnets; listener 80 → ip target group with the health check.
		const {LoadBalancers = []} = await elb().send(new DescribeLoadBalancersCommand({Names: [names.loadBalancer!]}));
		const alb = LoadBalancers[0]!;
		const albGroupId = created.outputs._loadBalancerSecurityGroupId as string;
		expect(alb).toMatchObject({Scheme: 'internet-facing', Type: 'application', VpcId: networking.vpcId, SecurityGroups: [albGroupId]});
		expect(alb.AvailabilityZones?.map((zone) => zone.SubnetId).sort()).toEqual([...networking.publicSubnetIds].sort());
		expect(names.loadBalancer!.length).toBeLessThanOrEqual(32);
		const {Listeners = []} = await elb().send(new DescribeListenersCommand({LoadBalancerArn: alb.LoadBalancerArn}));
		expect(Listeners).toHaveLength(1);
		expect(Listeners[0]).toMatchObject({Port: 80, Protocol: 'HTTP'});
		const {TargetGroups = []} = await elb().send(
			new DescribeTargetGroupsCommand({TargetGroupArns: [Listeners[0]!.DefaultActions![0]!.TargetGroupArn!]}),
		);
		expect(TargetGroups[0]).toMatchObject({
			TargetGroupName: names.targetGroup,
			TargetType: 'ip',
			Protocol: 'HTTP',
			Port: 8080,
			VpcId: networking.vpcId,
			HealthCheckPath: '/health',
			HealthCheckIntervalSeconds: 10,
			HealthCheckTimeoutSeconds: 4,
			UnhealthyThresholdCount: 3,
		});
		expect(service.loadBalancers).toEqual([{targetGroupArn: TargetGroups[0]!.TargetGroupArn, containerName: 'api', containerPort: 8080}]);
		expect(created.outputs.endpoint).toBe(`http://${alb.DNSName}`);

		// Security groups: 80/443 from anywhere (no stack ingress rules given) to the ALB; 8080 from the ALB only to the tasks.
		const rulesOf = async (groupId: string) => {
			const {SecurityGroupRules = []} = await ec2().send(
				new DescribeSecurityGroupRulesCommand({Filters: [{Name: 'group-id', Values: [groupId]}]}),
			);
			return SecurityGroupRules.map(
				(r) => `${r.IsEgress ? 'egress' : 'ingress'} ${r.IpProtocol} ${r.FromPort} ${r.CidrIpv4 ?? r.ReferencedGroupInfo?.GroupId}`,
			).sort();
		};
		expect(await rulesOf(albGroupId)).toEqual([`egress tcp 8080 ${taskGroupId}`, 'ingress tcp 443 0.0.0.0/0', 'ingress tcp 80 0.0.0.0/0']);
		expect(await rulesOf(taskGroupId)).toEqual(expect.arrayContaining([`ingress tcp 8080 ${albGroupId}`]));
		expect((await rulesOf(taskGroupId)).filter((rule) => rule.startsWith('ingress'))).toHaveLength(1);

		// Roles: the execution role may pull from its ECR repository, write its log group, read its secret; the task role nothing.
		const logGroupArn = `arn:aws:logs:us-east-1:123456789012:log-group:${names.logGroup}`;
		expect(await roleInlinePolicies({clients}, names.executionRole!)).toEqual({
			'pull-image': {
				Version: '2012-10-17',
				Statement: [
					{Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*'},
					{
						Effect: 'Allow',
						Action: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
						Resource: 'arn:aws:ecr:us-east-1:123456789012:repository/api',
					},
				],
			},
			'write-logs': {
				Version: '2012-10-17',
				Statement: [
					{Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: [logGroupArn, `${logGroupArn}:log-stream:*`]},
				],
			},
			'read-secrets': {
				Version: '2012-10-17',
				Statement: [{Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: [secretArn]}],
			},
		});
		const iam = clients.get(IAMClient);
		for (const role of [names.executionRole!, names.taskRole!])
			expect((await iam.send(new ListAttachedRolePoliciesCommand({RoleName: role}))).AttachedPolicies).toEqual([]);
		expect(await roleInlinePolicies({clients}, names.taskRole!)).toEqual({});
		expect(decodeURIComponent((await iam.send(new GetRoleCommand({RoleName: names.taskRole!}))).Role!.AssumeRolePolicyDocument!)).toContain(
			'ecs-tasks.amazonaws.com',
		);

		// Log group with retention; outputs; the secret's value nowhere (only its ARN was ever used).
		const {logGroups = []} = await clients
			.get(CloudWatchLogsClient)
			.send(new DescribeLogGroupsCommand({logGroupNamePrefix: names.logGroup}));
		expect(logGroups.find((g) => g.logGroupName === names.logGroup)?.retentionInDays).toBe(30);
		expect(created.outputs).toMatchObject({
			serviceArn: service.serviceArn,
			serviceName: names.primary,
			clusterName: names.cluster,
			logGroup: names.logGroup,
			taskDefinitionArn,
		});
		expect(calls('GetSecretValue')).toEqual([]);
		expect(JSON.stringify({created, taskDefinition, services, phases: fixture.phases, sent})).not.toContain(secretValue);
		expect(fixture.phases).toContain('2/2 tasks running');
		expect(await microServiceProvider.find(fixture.context, fixture.spec)).toMatchObject({
			physicalId: service.serviceArn,
			outputs: {endpoint: created.outputs.endpoint, taskDefinitionArn},
		});

		// A new image tag: one new revision, the service moved to it, the old revision deregistered.
		const newImage = fixture.withSpec(apiSpec({image: {repository, tag: '1.1.0'}}));
		sent.length = 0;
		const updated = await microServiceProvider.update(newImage.context, newImage.spec, recorded(fixture.context, created, fixture.spec));
		expect(calls('RegisterTaskDefinition')).toHaveLength(1);
		expect(updated.outputs.taskDefinitionArn).not.toBe(taskDefinitionArn);
		expect(calls('UpdateService').map((call) => call.input)).toEqual([
			{cluster: names.cluster, service: names.primary, taskDefinition: updated.outputs.taskDefinitionArn},
		]);
		const moved = (await ecs().send(new DescribeServicesCommand({cluster: names.cluster, services: [names.primary!]}))).services![0]!;
		expect(moved.taskDefinition).toBe(updated.outputs.taskDefinitionArn);
		expect(
			(await ecs().send(new DescribeTaskDefinitionCommand({taskDefinition: updated.outputs.taskDefinitionArn as string}))).taskDefinition
				?.containerDefinitions?.[0]?.image,
		).toBe(`${repository}:1.1.0`);
		expect((await ecs().send(new DescribeTaskDefinitionCommand({taskDefinition: taskDefinitionArn}))).taskDefinition?.status).toBe(
			'INACTIVE',
		);
		expect(calls('CreateLoadBalancer').concat(calls('CreateTargetGroup'), calls('CreateListener'), calls('CreateService'))).toEqual([]);

		// Replicas only: UpdateService with the desired count alone, no new revision.
		const moreReplicas = fixture.withSpec(apiSpec({image: {repository, tag: '1.1.0'}, replicas: 3}));
		sent.length = 0;
		const scaled = await microServiceProvider.update(
			moreReplicas.context,
			moreReplicas.spec,
			recorded(fixture.context, updated, newImage.spec),
		);
		expect(calls('RegisterTaskDefinition')).toEqual([]);
		expect(calls('UpdateService').map((call) => call.input)).toEqual([{cluster: names.cluster, service: names.primary, desiredCount: 3}]);
		expect(scaled.outputs.taskDefinitionArn).toBe(updated.outputs.taskDefinitionArn);
		expect(fixture.phases).toContain('3/3 tasks running');

		const read = await microServiceProvider.read(moreReplicas.context, recorded(fixture.context, scaled, moreReplicas.spec));
		expect(read.exists && read.observed).toEqual({
			'image.repository': repository,
			'image.tag': '1.1.0',
			'runtime.cpu': 512,
			'runtime.memory': 1024,
			'ports[].port': [8080, 9090],
			'environment[].name': ['ENV', 'DB_HOST'],
			'secrets[].envVar': ['DB_PASSWORD'],
			replicas: 3,
		});

		// Delete: everything gone, in an order AWS accepts.
		sent.length = 0;
		await microServiceProvider.delete(moreReplicas.context, recorded(fixture.context, scaled, moreReplicas.spec));
		const after = (await ecs().send(new DescribeServicesCommand({cluster: names.cluster, services: [names.primary!]}))).services ?? [];
		expect(after.every((s) => s.status === 'INACTIVE')).toBe(true);
		expect(calls('UpdateService')[0]?.input).toMatchObject({desiredCount: 0});
		expect(indexOf('UpdateService')).toBeLessThan(indexOf('DeleteService'));
		await expect(elb().send(new DescribeLoadBalancersCommand({Names: [names.loadBalancer!]}))).rejects.toMatchObject({
			name: 'LoadBalancerNotFoundException',
		});
		await expect(elb().send(new DescribeTargetGroupsCommand({Names: [names.targetGroup!]}))).rejects.toMatchObject({
			name: 'TargetGroupNotFoundException',
		});
		expect(indexOf('DeleteListener')).toBeLessThan(indexOf('DeleteLoadBalancer'));
		expect(indexOf('DeleteLoadBalancer')).toBeLessThan(indexOf('DeleteTargetGroup'));
		expect(indexOf('DeleteTargetGroup')).toBeLessThan(indexOf('DeleteSecurityGroup'));
		expect(indexOf('RevokeSecurityGroupEgress')).toBeLessThan(indexOf('DeleteSecurityGroup'));
		const {SecurityGroups = []} = await ec2().send(
			new DescribeSecurityGroupsCommand({Filters: [{Name: 'group-id', Values: [albGroupId, taskGroupId]}]}),
		);
		expect(SecurityGroups).toEqual([]);
		for (const role of [names.executionRole!, names.taskRole!])
			await expect(iam.send(new GetRoleCommand({RoleName: role}))).rejects.toMatchObject({name: 'NoSuchEntityException'});
		const logGroupsAfter =
			(await clients.get(CloudWatchLogsClient).send(new DescribeLogGroupsCommand({logGroupNamePrefix: names.logGroup}))).logGroups ?? [];
		expect(logGroupsAfter.filter((g) => g.logGroupName === names.logGroup)).toEqual([]);
		expect(
			(await ecs().send(new ListTaskDefinitionsCommand({familyPrefix: names.taskDefinitionFamily, status: 'ACTIVE'}))).taskDefinitionArns,
		).toEqual([]);
		expect((await ecs().send(new DescribeClustersCommand({clusters: [names.cluster!]}))).clusters?.[0]?.status).toBe('INACTIVE');
		expect(await microServiceProvider.read(moreReplicas.context, recorded(fixture.context, scaled, moreReplicas.spec))).toEqual({
			exists: false,
		});
		expect(await microServiceProvider.find(moreReplicas.context, moreReplicas.spec)).toBeUndefined();
		await microServiceProvider.delete(moreReplicas.context, recorded(fixture.context, scaled, moreReplicas.spec)); // deleting what is gone succeeds
	});

	it('shares the stack cluster between services, with Cloud Map discovery and autoscaling that can be turned off; the cluster goes with the last service', async () => {
		const stack = `shared${Date.now().toString(36)}`;
		const workerSpec = {
			image: {repository: 'public.ecr.aws/docker/library/busybox', tag: '1.36'},
			replicas: 2,
			ports: [{name: 'grpc', port: 9000, protocol: 'tcp'}],
			healthCheck: {command: 'test -f /tmp/ready'},
			serviceDiscovery: {enabled: true},
			autoscaling: {enabled: true, minReplicas: 2, maxReplicas: 4, targetCPUUtilization: 60},
		};
		const worker = providerFixture<MicroServiceSpec>('MicroService', 'worker', workerSpec, clients, {networking, stack});
		const cron = providerFixture<MicroServiceSpec>('MicroService', 'cron', {image: {repository: 'busybox'}, replicas: 2}, clients, {
			networking,
			stack,
		});
		expect(worker.context.names.cluster).toBe(cron.context.names.cluster);
		const cluster = worker.context.names.cluster!;
		const workerCreated = await microServiceProvider.create(worker.context, worker.spec);
		const cronCreated = await microServiceProvider.create(cron.context, cron.spec);
		expect((await ecs().send(new DescribeClustersCommand({clusters: [cluster]}))).clusters?.map((c) => c.status)).toEqual(['ACTIVE']);

		// Cloud Map: the stack's private namespace, the worker's service in it, registered on the ECS service.
		const namespaceName = `${stack}.test.local`;
		const cloudMap = clients.get(ServiceDiscoveryClient);
		const namespace = (await cloudMap.send(new ListNamespacesCommand({}))).Namespaces?.find((ns) => ns.Name === namespaceName);
		expect(namespace).toMatchObject({Type: 'DNS_PRIVATE'});
		const registry = (await cloudMap.send(new ListServicesCommand({}))).Services?.find((s) => s.Name === 'worker');
		expect(registry).toBeDefined();
		const workerService = (await ecs().send(new DescribeServicesCommand({cluster, services: [worker.context.names.primary!]})))
			.services![0]!;
		expect(workerService.serviceRegistries).toEqual([{registryArn: registry!.Arn}]);
		expect(workerService.loadBalancers).toEqual([]);
		expect(workerService.networkConfiguration?.awsvpcConfiguration?.securityGroups).toEqual(networking.securityGroupIds);
		expect(workerCreated.outputs.endpoint).toBe(`worker.${namespaceName}`);
		expect(cronCreated.outputs.endpoint).toBe('');
		const workerDefinition = (
			await ecs().send(new DescribeTaskDefinitionCommand({taskDefinition: workerCreated.outputs.taskDefinitionArn as string}))
		).taskDefinition!;
		expect(workerDefinition.containerDefinitions?.[0]?.healthCheck?.command).toEqual(['CMD-SHELL', 'test -f /tmp/ready']);
		expect(await roleInlinePolicies({clients}, worker.context.names.executionRole!)).not.toHaveProperty('pull-image'); // not an ECR private repository
		expect(await roleInlinePolicies({clients}, worker.context.names.executionRole!)).not.toHaveProperty('read-secrets');

		// Application Auto Scaling: the target on the service's desired count and the CPU policy.
		const autoScaling = clients.get(ApplicationAutoScalingClient);
		const resourceId = `service/${cluster}/${worker.context.names.primary}`;
		const targets = async () =>
			(await autoScaling.send(new DescribeScalableTargetsCommand({ServiceNamespace: 'ecs', ResourceIds: [resourceId]}))).ScalableTargets ??
			[];
		const policies = async () =>
			(
				(await autoScaling.send(new DescribeScalingPoliciesCommand({ServiceNamespace: 'ecs', ResourceId: resourceId}))).ScalingPolicies ??
				[]
			).filter((p) => p.ResourceId === resourceId);
		expect(await targets()).toEqual([
			expect.objectContaining({ScalableDimension: 'ecs:service:DesiredCount', MinCapacity: 2, MaxCapacity: 4}),
		]);
		expect(await policies()).toEqual([
			expect.objectContaining({
				PolicyType: 'TargetTrackingScaling',
				TargetTrackingScalingPolicyConfiguration: expect.objectContaining({
					TargetValue: 60,
					PredefinedMetricSpecification: {PredefinedMetricType: 'ECSServiceAverageCPUUtilization'},
				}),
			}),
		]);
		const read = await microServiceProvider.read(worker.context, recorded(worker.context, workerCreated, worker.spec));
		expect(read.exists && read.observed).toMatchObject({
			'autoscaling.minReplicas': 2,
			'autoscaling.maxReplicas': 4,
			'autoscaling.targetCPUUtilization': 60,
		});
		expect(read.exists && read.observed).not.toHaveProperty('replicas');

		// Both turned off: the scaling target and policy go, the registry leaves the service, Cloud Map is cleaned up.
		const plain = worker.withSpec({...workerSpec, serviceDiscovery: {enabled: false}, autoscaling: {enabled: false}});
		const updated = await microServiceProvider.update(plain.context, plain.spec, recorded(worker.context, workerCreated, worker.spec));
		expect(await targets()).toEqual([]);
		expect(await policies()).toEqual([]);
		expect(
			(await ecs().send(new DescribeServicesCommand({cluster, services: [worker.context.names.primary!]}))).services![0]!.serviceRegistries,
		).toEqual([]);
		expect((await cloudMap.send(new ListServicesCommand({}))).Services?.filter((s) => s.Name === 'worker')).toEqual([]);
		expect((await cloudMap.send(new ListNamespacesCommand({}))).Namespaces?.filter((ns) => ns.Name === namespaceName)).toEqual([]);
		expect(updated.outputs.endpoint).toBe('');

		// The cluster stays while another service is in it, and goes with the last one.
		await microServiceProvider.delete(plain.context, recorded(worker.context, updated, plain.spec));
		expect((await ecs().send(new DescribeClustersCommand({clusters: [cluster]}))).clusters?.[0]?.status).toBe('ACTIVE');
		await microServiceProvider.delete(cron.context, recorded(cron.context, cronCreated, cron.spec));
		expect((await ecs().send(new DescribeClustersCommand({clusters: [cluster]}))).clusters?.[0]?.status).toBe('INACTIVE');
	});

	it('finishes a delete a crash cut short: with the ECS service gone already, the load balancer, groups, roles, log group and cluster go too', async () => {
		const fixture = providerFixture<MicroServiceSpec>('MicroService', 'half', apiSpec({secrets: []}), clients, {networking});
		const {names} = fixture.context;
		const created = await microServiceProvider.create(fixture.context, fixture.spec);
		// The crashed delete had scaled the service down and deleted it, and got no further.
		await ecs().send(new DeleteServiceCommand({cluster: names.cluster, service: names.primary, force: true}));
		expect(await microServiceProvider.read(fixture.context, recorded(fixture.context, created, fixture.spec))).toEqual({exists: false});

		// Recovery runs the delete again, from the state alone (here without the tenant networking: the recorded group IDs).
		const {networking: _ignored, ...fromState} = fixture.context;
		await microServiceProvider.delete(fromState, recorded(fixture.context, created, fixture.spec));
		await expect(elb().send(new DescribeLoadBalancersCommand({Names: [names.loadBalancer!]}))).rejects.toMatchObject({
			name: 'LoadBalancerNotFoundException',
		});
		await expect(elb().send(new DescribeTargetGroupsCommand({Names: [names.targetGroup!]}))).rejects.toMatchObject({
			name: 'TargetGroupNotFoundException',
		});
		const groupIds = [created.outputs._loadBalancerSecurityGroupId as string, created.outputs._taskSecurityGroupId as string];
		expect((await ec2().send(new DescribeSecurityGroupsCommand({Filters: [{Name: 'group-id', Values: groupIds}]}))).SecurityGroups).toEqual(
			[],
		);
		for (const role of [names.executionRole!, names.taskRole!])
			await expect(clients.get(IAMClient).send(new GetRoleCommand({RoleName: role}))).rejects.toMatchObject({
				name: 'NoSuchEntityException',
			});
		const logGroups =
			(await clients.get(CloudWatchLogsClient).send(new DescribeLogGroupsCommand({logGroupNamePrefix: names.logGroup}))).logGroups ?? [];
		expect(logGroups.filter((g) => g.logGroupName === names.logGroup)).toEqual([]);
		expect(
			(await ecs().send(new ListTaskDefinitionsCommand({familyPrefix: names.taskDefinitionFamily, status: 'ACTIVE'}))).taskDefinitionArns,
		).toEqual([]);
		expect((await ecs().send(new DescribeClustersCommand({clusters: [names.cluster!]}))).clusters?.[0]?.status).toBe('INACTIVE');
	});

	it("opens the load balancer to the stack's web ingress rules, and reports rollout progress until the wait gives up", async () => {
		const stackIngress = [
			{protocol: 'tcp' as const, port: 443, cidrBlocks: ['10.0.0.0/8'], description: 'HTTPS from the office'},
			{protocol: 'tcp' as const, port: 22, cidrBlocks: ['192.0.2.0/24']},
		];
		const withIngress: NetworkingIds = {...networking, stackIngress};
		// Three replicas while moto reports two running: the rollout never completes.
		const fixture = providerFixture<MicroServiceSpec>('MicroService', 'slow', apiSpec({replicas: 3, secrets: []}), clients, {
			networking: withIngress,
		});
		const impatient = {...fixture.context, wait: {minDelay: 1, maxDelay: 1, maxWaitTime: 0}};
		await expect(microServiceProvider.create(impatient, fixture.spec)).rejects.toMatchObject({
			code: 'WaitTimeout',
			message: expect.stringContaining('ECS service'),
		});
		expect(fixture.phases).toContain('2/3 tasks running, 1 pending');

		const found = await microServiceProvider.find(fixture.context, fixture.spec);
		const albGroupId = (
			await ec2().send(
				new DescribeSecurityGroupsCommand({
					Filters: [
						{Name: 'vpc-id', Values: [networking.vpcId]},
						{Name: 'group-name', Values: [`${fixture.context.names.primary}-alb`]},
					],
				}),
			)
		).SecurityGroups![0]!.GroupId!;
		const {SecurityGroupRules = []} = await ec2().send(
			new DescribeSecurityGroupRulesCommand({Filters: [{Name: 'group-id', Values: [albGroupId]}]}),
		);
		expect(SecurityGroupRules.filter((r) => !r.IsEgress).map((r) => `${r.IpProtocol} ${r.FromPort} ${r.CidrIpv4}`)).toEqual([
			'tcp 443 10.0.0.0/8',
		]);
		await microServiceProvider.delete(fixture.context, recorded(fixture.context, found!, fixture.spec));
		await expect(elb().send(new DescribeLoadBalancersCommand({Names: [fixture.context.names.loadBalancer!]}))).rejects.toMatchObject({
			name: 'LoadBalancerNotFoundException',
		});
	});

	it('recreates the target group under its name when the load-balanced port changes, detaching it from the service first', async () => {
		const webSpec = (port: number) => ({
			image: {repository: 'nginx', tag: '1.27'},
			replicas: 2,
			ports: [{name: 'http', port, protocol: 'http'}],
			healthCheck: {path: '/'},
		});
		const fixture = providerFixture<MicroServiceSpec>('MicroService', 'web', webSpec(8080), clients, {networking});
		const {names} = fixture.context;
		const created = await microServiceProvider.create(fixture.context, fixture.spec);
		const targetGroup = async () => (await elb().send(new DescribeTargetGroupsCommand({Names: [names.targetGroup!]}))).TargetGroups![0]!;
		const oldGroupArn = (await targetGroup()).TargetGroupArn;

		const moved = fixture.withSpec(webSpec(8081));
		sent.length = 0;
		const updated = await microServiceProvider.update(moved.context, moved.spec, recorded(fixture.context, created, fixture.spec));
		const newGroup = await targetGroup();
		expect(newGroup).toMatchObject({Port: 8081, TargetType: 'ip'});
		expect(newGroup.TargetGroupArn).not.toBe(oldGroupArn);
		const updates = calls('UpdateService').map((call) => call.input);
		expect(updates[0]).toEqual({cluster: names.cluster, service: names.primary, loadBalancers: []});
		expect(updates[1]).toMatchObject({
			taskDefinition: updated.outputs.taskDefinitionArn,
			loadBalancers: [{targetGroupArn: newGroup.TargetGroupArn, containerName: 'web', containerPort: 8081}],
		});
		expect(indexOf('ModifyListener')).toBeLessThan(indexOf('DeleteTargetGroup'));
		const {LoadBalancers = []} = await elb().send(new DescribeLoadBalancersCommand({Names: [names.loadBalancer!]}));
		const {Listeners = []} = await elb().send(new DescribeListenersCommand({LoadBalancerArn: LoadBalancers[0]!.LoadBalancerArn}));
		expect(Listeners[0]?.DefaultActions).toEqual([expect.objectContaining({Type: 'forward', TargetGroupArn: newGroup.TargetGroupArn})]);
		const {SecurityGroupRules = []} = await ec2().send(
			new DescribeSecurityGroupRulesCommand({Filters: [{Name: 'group-id', Values: [updated.outputs._taskSecurityGroupId as string]}]}),
		);
		expect(SecurityGroupRules.filter((r) => !r.IsEgress).map((r) => `${r.FromPort} ${r.ReferencedGroupInfo?.GroupId}`)).toEqual([
			`8081 ${updated.outputs._loadBalancerSecurityGroupId}`,
		]);
		await microServiceProvider.delete(moved.context, recorded(fixture.context, updated, moved.spec));
	});

	it('never adopts a same-named service that panka did not create for the component', async () => {
		const fixture = providerFixture<MicroServiceSpec>('MicroService', 'taken', {image: {repository: 'busybox'}, replicas: 2}, clients, {
			networking,
		});
		const {names} = fixture.context;
		// The stack's own cluster (its tags say so), holding a service panka did not make.
		await ecs().send(
			new CreateClusterCommand({clusterName: names.cluster, tags: toEcsTags(sharedStackTags(fixture.context.tags, 'ecs-cluster'))}),
		);
		const {taskDefinition} = await ecs().send(
			new RegisterTaskDefinitionCommand({
				family: 'hand-made',
				requiresCompatibilities: ['FARGATE'],
				networkMode: 'awsvpc',
				cpu: '256',
				memory: '512',
				containerDefinitions: [{name: 'x', image: 'busybox'}],
			}),
		);
		await ecs().send(
			new CreateServiceCommand({
				cluster: names.cluster,
				serviceName: names.primary,
				taskDefinition: taskDefinition!.taskDefinitionArn,
				desiredCount: 1,
				launchType: 'FARGATE',
				networkConfiguration: {awsvpcConfiguration: {subnets: networking.privateSubnetIds, securityGroups: networking.securityGroupIds}},
			}),
		);
		sent.length = 0;
		await expect(microServiceProvider.create(fixture.context, fixture.spec)).rejects.toMatchObject({
			code: 'OwnedElsewhere',
			message: `ECS service ${names.primary} already exists and was not created by panka for this component (it has no matching panka:* tags); panka does not adopt it`,
		});
		expect(calls('RegisterTaskDefinition').concat(calls('CreateRole'), calls('UpdateService'))).toEqual([]);
		expect(await microServiceProvider.find(fixture.context, fixture.spec)).toBeUndefined();
		await ecs().send(new DeleteServiceCommand({cluster: names.cluster, service: names.primary, force: true}));
		await ecs().send(new DeleteClusterCommand({cluster: names.cluster}));
	});
});
