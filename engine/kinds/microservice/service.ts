/**
 * The ECS service of a MicroService: Fargate tasks of one task definition revision in the
 * tenant's private subnets (no public IP), behind the load balancer's target group and in the
 * Cloud Map registry when those exist, with the deployment circuit breaker on.
 *
 * Invariants:
 * - CreateService carries `clientToken` = context.token, so a retried create of the same pending
 *   operation never makes a second service; the service is tagged with context.tags, tags
 *   propagate to its tasks (`propagateTags: SERVICE`) and ECS adds its managed tags.
 * - UpdateService sends only what differs from what ECS reports now: a replicas-only change is
 *   `{desiredCount}` alone, a new revision is `{taskDefinition}`. Settings moto does not echo
 *   (deploymentConfiguration, enableECSManagedTags) are compared only when ECS reports them.
 *   With autoscaling enabled, the desired count belongs to Application Auto Scaling after the
 *   create: updates leave it alone.
 * - A rollout is waited for by polling DescribeServices within `context.wait`, reporting
 *   "2/3 tasks running" from the service's own runningCount/desiredCount/pendingCount. It is
 *   done when one deployment is left, running = desired, nothing is pending and the primary
 *   deployment is not IN_PROGRESS; a FAILED rollout, or a service that the circuit breaker rolled
 *   back to another revision, is an error naming the reason. `service.taskDefinition` is what the
 *   service runs (moto does not roll `deployments[]` on UpdateService).
 * - Delete scales to 0, deletes with force, and waits until ECS reports the service INACTIVE
 *   (its tasks stopped, their ENIs and Cloud Map instances released). A service that is gone or
 *   INACTIVE already is success; one with another owner's panka tags is never touched.
 *
 * moto 5.2.1 gaps: CreateService reports runningCount = MOTO_ECS_SERVICE_RUNNING (default 0,
 * pendingCount the rest) and never changes it, so a rollout converges on moto only when it runs
 * with that variable equal to the replicas at create (UpdateService with a desiredCount sets
 * runningCount to it); `deployments[]` never rolls; clientToken, deploymentConfiguration,
 * enableECSManagedTags and healthCheckGracePeriodSeconds are accepted but not stored or echoed
 * (tests check what was sent); ListTasks is always empty.
 */
import {
	type CreateServiceCommandInput,
	CreateServiceCommand,
	DeleteServiceCommand,
	DescribeServicesCommand,
	type LoadBalancer,
	type Service,
	TagResourceCommand,
	UntagResourceCommand,
	UpdateServiceCommand,
	type UpdateServiceCommandInput,
	waitUntilServicesInactive,
} from '@aws-sdk/client-ecs';
import {awsCall, awsCallUnlessMissing} from '../../aws/call.js';
import {ProviderError, type ResourceContext} from '../../providers/provider.js';
import {type OwnershipAction, requireOwned, tagChanges} from '../../providers/resource-tags.js';
import {pollUntil, waiterOptions} from '../../providers/wait.js';
import {ecsOf, fromEcsTags, toEcsTags} from './ecs-calls.js';

/** ECS's answers for a service (or its cluster) that is not there. */
export const missingService = ['ServiceNotFoundException', 'ServiceNotActiveException', 'ClusterNotFoundException'];

/** Where and how the service runs: everything CreateService/UpdateService set besides the count. */
export interface ServicePlacement {
	cluster: string;
	taskDefinitionArn: string;
	subnets: readonly string[];
	securityGroups: readonly string[];
	loadBalancer?: {targetGroupArn: string; containerName: string; containerPort: number};
	registryArn?: string;
	healthCheckGracePeriodSeconds?: number;
}

export interface FoundService {
	service: Service;
	tags: Record<string, string>;
}

/** The service when ECS still runs it (ACTIVE or DRAINING), with its tags. */
export async function describeService(
	context: Pick<ResourceContext, 'clients' | 'signal'>,
	cluster: string,
	name: string,
): Promise<FoundService | undefined> {
	const found = await awsCallUnlessMissing(context, `ECS DescribeServices ${name}`, ['ClusterNotFoundException'], (options) =>
		ecsOf(context).send(new DescribeServicesCommand({cluster, services: [name], include: ['TAGS']}), options),
	);
	const service = found?.services?.find((s) => s.serviceName === name && (s.status === 'ACTIVE' || s.status === 'DRAINING'));
	return service ? {service, tags: fromEcsTags(service.tags)} : undefined;
}

/** Refuse a same-named service that panka did not create for this component (the ownership rule). */
export function requireOwnedService(context: ResourceContext, found: FoundService, action: OwnershipAction): void {
	requireOwned(found.tags, context.tags, action, `ECS service ${found.service.serviceName}`);
}

const circuitBreaker = {enable: true, rollback: true};

function loadBalancers(placement: ServicePlacement): LoadBalancer[] {
	return placement.loadBalancer ? [{...placement.loadBalancer}] : [];
}

function networkConfiguration(placement: ServicePlacement) {
	return {
		awsvpcConfiguration: {
			subnets: [...placement.subnets],
			securityGroups: [...placement.securityGroups],
			assignPublicIp: 'DISABLED' as const,
		},
	};
}

export async function createService(
	context: ResourceContext,
	name: string,
	desiredCount: number,
	placement: ServicePlacement,
): Promise<Service> {
	context.progress(`creating ECS service ${name}`);
	const input: CreateServiceCommandInput = {
		cluster: placement.cluster,
		serviceName: name,
		taskDefinition: placement.taskDefinitionArn,
		desiredCount,
		launchType: 'FARGATE',
		platformVersion: 'LATEST',
		schedulingStrategy: 'REPLICA',
		networkConfiguration: networkConfiguration(placement),
		loadBalancers: loadBalancers(placement),
		serviceRegistries: placement.registryArn ? [{registryArn: placement.registryArn}] : [],
		...(placement.loadBalancer && placement.healthCheckGracePeriodSeconds !== undefined
			? {healthCheckGracePeriodSeconds: placement.healthCheckGracePeriodSeconds}
			: {}),
		deploymentConfiguration: {deploymentCircuitBreaker: circuitBreaker, maximumPercent: 200, minimumHealthyPercent: 100},
		tags: toEcsTags(context.tags),
		propagateTags: 'SERVICE',
		enableECSManagedTags: true,
		clientToken: context.token,
	};
	const {service} = await awsCall(context, `ECS CreateService ${name}`, (options) =>
		ecsOf(context).send(new CreateServiceCommand(input), options),
	);
	if (!service) throw new ProviderError(`ECS CreateService ${name}: no service returned`);
	return service;
}

const sorted = (values: readonly (string | undefined)[] | undefined) => [...(values ?? [])].map(String).sort().join();

function loadBalancerKey(list: readonly LoadBalancer[] | undefined): string {
	return sorted((list ?? []).map((lb) => `${lb.targetGroupArn}|${lb.containerName}|${lb.containerPort}`));
}

/** The UpdateService fields whose wanted value differs from what ECS reports. */
export function serviceChanges(
	current: Service,
	placement: ServicePlacement,
	desiredCount: number | undefined,
): Partial<UpdateServiceCommandInput> {
	const changes: Partial<UpdateServiceCommandInput> = {};
	if (current.taskDefinition !== placement.taskDefinitionArn) changes.taskDefinition = placement.taskDefinitionArn;
	if (desiredCount !== undefined && current.desiredCount !== desiredCount) changes.desiredCount = desiredCount;
	const network = current.networkConfiguration?.awsvpcConfiguration;
	if (
		sorted(network?.subnets) !== sorted(placement.subnets) ||
		sorted(network?.securityGroups) !== sorted(placement.securityGroups) ||
		network?.assignPublicIp !== 'DISABLED'
	)
		changes.networkConfiguration = networkConfiguration(placement);
	if (loadBalancerKey(current.loadBalancers) !== loadBalancerKey(loadBalancers(placement))) {
		changes.loadBalancers = loadBalancers(placement);
		if (placement.loadBalancer && placement.healthCheckGracePeriodSeconds !== undefined)
			changes.healthCheckGracePeriodSeconds = placement.healthCheckGracePeriodSeconds;
	} else if (
		placement.loadBalancer &&
		current.healthCheckGracePeriodSeconds !== undefined &&
		current.healthCheckGracePeriodSeconds !== placement.healthCheckGracePeriodSeconds
	)
		changes.healthCheckGracePeriodSeconds = placement.healthCheckGracePeriodSeconds;
	if (sorted(current.serviceRegistries?.map((r) => r.registryArn)) !== sorted(placement.registryArn ? [placement.registryArn] : []))
		changes.serviceRegistries = placement.registryArn ? [{registryArn: placement.registryArn}] : [];
	const breaker = current.deploymentConfiguration?.deploymentCircuitBreaker;
	if (current.deploymentConfiguration && (breaker?.enable !== true || breaker.rollback !== true))
		changes.deploymentConfiguration = {...current.deploymentConfiguration, deploymentCircuitBreaker: circuitBreaker};
	if (current.propagateTags !== undefined && current.propagateTags !== 'SERVICE') changes.propagateTags = 'SERVICE';
	if (current.enableECSManagedTags === false) changes.enableECSManagedTags = true;
	return changes;
}

/** Send the changes (nothing when there are none); what was sent. */
export async function updateService(
	context: ResourceContext,
	cluster: string,
	name: string,
	changes: Partial<UpdateServiceCommandInput>,
): Promise<Partial<UpdateServiceCommandInput>> {
	if (Object.keys(changes).length === 0) return changes;
	context.progress(`updating ECS service ${name} (${Object.keys(changes).join(', ')})`);
	await awsCall(context, `ECS UpdateService ${name}`, (options) =>
		ecsOf(context).send(new UpdateServiceCommand({cluster, service: name, ...changes}), options),
	);
	return changes;
}

/** Make the service's tags exactly context.tags. */
export async function syncServiceTags(context: ResourceContext, found: FoundService): Promise<void> {
	const arn = found.service.serviceArn!;
	const changes = tagChanges(found.tags, context.tags);
	if (changes.remove.length > 0)
		await awsCall(context, `ECS UntagResource ${arn}`, (options) =>
			ecsOf(context).send(new UntagResourceCommand({resourceArn: arn, tagKeys: changes.remove}), options),
		);
	if (Object.keys(changes.set).length > 0)
		await awsCall(context, `ECS TagResource ${arn}`, (options) =>
			ecsOf(context).send(new TagResourceCommand({resourceArn: arn, tags: toEcsTags(changes.set)}), options),
		);
}

/** "2/3 tasks running, 1 pending, 1 old deployment draining", from DescribeServices' fields. */
export function rolloutProgress(service: Service): string {
	const parts = [`${service.runningCount ?? 0}/${service.desiredCount ?? 0} tasks running`];
	if ((service.pendingCount ?? 0) > 0) parts.push(`${service.pendingCount} pending`);
	const old = (service.deployments ?? []).filter((d) => d.status !== 'PRIMARY').length;
	if (old > 0) parts.push(`${old} old deployment${old === 1 ? '' : 's'} draining`);
	return parts.join(', ');
}

export function isSteady(service: Service): boolean {
	const deployments = service.deployments ?? [];
	const primary = deployments.find((d) => d.status === 'PRIMARY');
	return (
		deployments.length <= 1 &&
		service.runningCount === service.desiredCount &&
		(service.pendingCount ?? 0) === 0 &&
		primary?.rolloutState !== 'IN_PROGRESS'
	);
}

/** Poll until the service runs `taskDefinitionArn` steadily (see the module header). */
export async function waitForSteadyService(
	context: ResourceContext,
	cluster: string,
	name: string,
	taskDefinitionArn: string,
): Promise<Service> {
	let reported = '';
	return pollUntil(context, `ECS service ${name} to run its desired tasks`, async () => {
		const found = await describeService(context, cluster, name);
		if (!found) throw new ProviderError(`ECS service ${name} disappeared while its deployment rolled out`, 'ServiceNotFound');
		const {service} = found;
		const failed = (service.deployments ?? []).find((d) => d.rolloutState === 'FAILED' && d.taskDefinition === taskDefinitionArn);
		if (failed)
			throw new ProviderError(
				`ECS deployment of ${name} failed: ${failed.rolloutStateReason ?? 'the circuit breaker stopped it'}`,
				'DeploymentFailed',
			);
		if (service.taskDefinition !== taskDefinitionArn)
			throw new ProviderError(
				`ECS service ${name} was rolled back to ${service.taskDefinition?.split('/').at(-1)}: the new tasks did not become healthy`,
				'DeploymentRolledBack',
			);
		const progress = rolloutProgress(service);
		if (progress !== reported) {
			reported = progress;
			context.progress(progress);
		}
		return isSteady(service) ? service : undefined;
	});
}

/** Scale to 0, delete (force) and wait until INACTIVE; gone already is success. */
export async function deleteService(context: ResourceContext, cluster: string, name: string): Promise<void> {
	const found = await describeService(context, cluster, name);
	if (!found) return;
	requireOwnedService(context, found, 'delete');
	if (found.service.status === 'ACTIVE' && (found.service.desiredCount ?? 0) > 0) {
		context.progress(`scaling ECS service ${name} to 0`);
		await awsCallUnlessMissing(context, `ECS UpdateService ${name}`, missingService, (options) =>
			ecsOf(context).send(new UpdateServiceCommand({cluster, service: name, desiredCount: 0}), options),
		);
	}
	context.progress(`deleting ECS service ${name}`);
	const deleted = await awsCallUnlessMissing(context, `ECS DeleteService ${name}`, missingService, (options) =>
		ecsOf(context).send(new DeleteServiceCommand({cluster, service: name, force: true}), options),
	);
	if (!deleted) return;
	context.progress(`waiting for ECS service ${name} to be inactive`);
	await awsCall(context, `ECS wait for ${name} inactive`, () =>
		waitUntilServicesInactive(waiterOptions(context, ecsOf(context)), {cluster, services: [name]}),
	);
}
