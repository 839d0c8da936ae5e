/**
 * MicroService provider: a container service on ECS Fargate. Loaded only when something is
 * applied (microservice.ts points here lazily); the parts live in engine/kinds/microservice/:
 * cluster.ts (the stack's shared cluster), task-definition.ts (container, roles, revisions),
 * load-balancer.ts (ALB, target group, listener, security groups), service.ts (ECS service and
 * rollout), scaling.ts (Application Auto Scaling), discovery.ts (Cloud Map).
 *
 * Create and update run the same convergence, in dependency order:
 *   cluster → log group → secret ARNs → execution + task roles → task definition revision (only
 *   when its content changed) → load balancer (when an http/https port exists) → Cloud Map
 *   registry (when enabled) → ECS service (CreateService, or UpdateService with only what
 *   differs) → autoscaling → wait for the rollout ("2/3 tasks running") → deregister old
 *   revisions → remove a load balancer or registry the spec no longer has.
 * Delete runs it backwards: autoscaling, the service (scaled to 0, deleted, waited INACTIVE),
 * the Cloud Map service (and namespace when empty), the load balancer, task definition
 * revisions, roles, log group, and the cluster when no service is left in it.
 *
 * Invariants:
 * - Every name is the kind's deterministic physical name (context.names), every resource carries
 *   context.tags (shared ones the stack's identity), so `find` adopts a service whose create
 *   crashed, and nothing with another owner's panka tags is ever adopted, changed or deleted.
 * - Outputs: endpoint (`http://` + ALB DNS name when load-balanced, else the Cloud Map name when
 *   discovery is on, else ''), serviceArn, serviceName, clusterName, logGroup,
 *   taskDefinitionArn; internal: the security group and Cloud Map IDs delete needs when the
 *   tenant networking is not passed.
 * - Secret values never pass through this provider: the task definition names secret ARNs.
 * - The rollout wait is AWS's notion of a finished deployment. On moto it converges only when
 *   moto_server runs with MOTO_ECS_SERVICE_RUNNING equal to the service's replicas at create
 *   (see service.ts); without it an apply waits until `context.wait.maxWaitTime` and fails with
 *   WaitTimeout. Cloud Map and autoscaling gaps are listed in discovery.ts and scaling.ts.
 */
import {deleteRole, ensureRole} from '../providers/iam-roles.js';
import {deleteLogGroup, ensureLogGroup} from '../providers/log-groups.js';
import type {AppliedResource, Provider, ResourceContext} from '../providers/provider.js';
import {isOwnedBy} from '../providers/resource-tags.js';
import type {StateResource} from '../state/state-document.js';
import {loadBalancedPort, type MicroServiceSpec} from './microservice.js';
import {deleteClusterWhenEmpty, ensureCluster} from './microservice/cluster.js';
import {type DiscoveryRegistration, deleteDiscovery, ensureDiscovery, findDiscovery} from './microservice/discovery.js';
import {containerNameOf, requireNetworking} from './microservice/ecs-calls.js';
import {
	deleteLoadBalancer,
	ensureLoadBalancer,
	findOwnedLoadBalancer,
	type LoadBalancerResources,
	loadBalancerNames,
} from './microservice/load-balancer.js';
import {ensureScaling, readScaling, removeScaling, wantedScaling} from './microservice/scaling.js';
import {
	createService,
	deleteService,
	describeService,
	requireOwnedService,
	serviceChanges,
	syncServiceTags,
	updateService,
	waitForSteadyService,
} from './microservice/service.js';
import {
	deregisterRevisions,
	describeTaskDefinition,
	ensureTaskDefinition,
	executionRolePolicies,
	resolveSecrets,
	splitImage,
	taskDefinitionInput,
} from './microservice/task-definition.js';

const tasksPrincipal = 'ecs-tasks.amazonaws.com';

interface Outputs {
	endpoint: string;
	serviceArn: string;
	serviceName: string;
	clusterName: string;
	logGroup: string;
	taskDefinitionArn: string;
	_loadBalancerSecurityGroupId?: string;
	_taskSecurityGroupId?: string;
	/** The target group's ARN, so status reads its targets' health in one call (no lookup by name). */
	_targetGroupArn?: string;
	_discoveryNamespaceId?: string;
	_discoveryServiceId?: string;
}

function applied(
	context: ResourceContext,
	serviceArn: string,
	taskDefinitionArn: string,
	loadBalancer?: Pick<LoadBalancerResources, 'dnsName'> & Partial<LoadBalancerResources>,
	discovery?: DiscoveryRegistration,
): AppliedResource {
	const outputs: Outputs = {
		endpoint: loadBalancer ? `http://${loadBalancer.dnsName}` : (discovery?.dnsName ?? ''),
		serviceArn,
		serviceName: context.names.primary!,
		clusterName: context.names.cluster!,
		logGroup: context.names.logGroup!,
		taskDefinitionArn,
		...(loadBalancer?.loadBalancerSecurityGroupId ? {_loadBalancerSecurityGroupId: loadBalancer.loadBalancerSecurityGroupId} : {}),
		...(loadBalancer?.taskSecurityGroupId ? {_taskSecurityGroupId: loadBalancer.taskSecurityGroupId} : {}),
		...(loadBalancer?.targetGroupArn ? {_targetGroupArn: loadBalancer.targetGroupArn} : {}),
		...(discovery ? {_discoveryNamespaceId: discovery.namespaceId, _discoveryServiceId: discovery.serviceId} : {}),
	};
	return {physicalId: serviceArn, outputs: {...outputs}};
}

/** The roles, then the revision for the spec (an existing one when its content is the same). */
async function ensureRevision(
	context: ResourceContext,
	spec: MicroServiceSpec,
	currentTaskDefinition: string | undefined,
): Promise<string> {
	const logGroup = context.names.logGroup!;
	const logGroupArn = await ensureLogGroup(context, logGroup);
	const secrets = await resolveSecrets(context, spec);
	const executionRoleArn = await ensureRole(context, {
		name: context.names.executionRole!,
		service: tasksPrincipal,
		description: `panka: starts the tasks of ${context.address} (image pull, logs, secrets)`,
		inline: executionRolePolicies(spec, logGroupArn, secrets),
		managed: [],
	});
	const taskRoleArn = await ensureRole(context, {
		name: context.names.taskRole!,
		service: tasksPrincipal,
		description: `panka: the application role of ${context.address}`,
		inline: {},
		managed: [],
	});
	const input = taskDefinitionInput(context, spec, {executionRoleArn, taskRoleArn, logGroup, secrets});
	const family = context.names.taskDefinitionFamily!;
	const revision = await ensureTaskDefinition(context, input, [...(currentTaskDefinition ? [currentTaskDefinition] : []), family]);
	return revision.arn;
}

/** Create or update: the convergence described in the module header. */
async function converge(context: ResourceContext, spec: MicroServiceSpec, previous: StateResource | undefined): Promise<AppliedResource> {
	const networking = requireNetworking(context);
	const name = context.names.primary!;
	const cluster = await ensureCluster(context);
	const existing = await describeService(context, cluster, name);
	if (existing) requireOwnedService(context, existing, previous ? 'change' : 'adopt');

	const taskDefinitionArn = await ensureRevision(context, spec, existing?.service.taskDefinition);
	const port = loadBalancedPort(spec);
	const loadBalancer =
		port && loadBalancerNames(context.names)
			? await ensureLoadBalancer(context, spec, port, networking, async () => {
					if (existing) await updateService(context, cluster, name, {loadBalancers: []});
				})
			: undefined;
	const discovery =
		spec.serviceDiscovery?.enabled && context.names.serviceDiscovery ? await ensureDiscovery(context, spec, networking.vpcId) : undefined;
	const placement = {
		cluster,
		taskDefinitionArn,
		subnets: networking.privateSubnetIds,
		securityGroups: [...networking.securityGroupIds, ...(loadBalancer ? [loadBalancer.taskSecurityGroupId] : [])],
		...(loadBalancer && port
			? {
					loadBalancer: {targetGroupArn: loadBalancer.targetGroupArn, containerName: containerNameOf(context), containerPort: port.port},
					healthCheckGracePeriodSeconds: spec.healthCheck?.initialDelaySeconds ?? 0,
				}
			: {}),
		...(discovery ? {registryArn: discovery.registryArn} : {}),
	};

	const scaling = wantedScaling(spec);
	let serviceArn: string;
	if (existing) {
		// Autoscaling off first, so it cannot move the count panka sets next.
		if (!scaling) await removeScaling(context, cluster, name);
		await updateService(context, cluster, name, serviceChanges(existing.service, placement, scaling ? undefined : spec.replicas));
		await syncServiceTags(context, existing);
		serviceArn = existing.service.serviceArn!;
	} else serviceArn = (await createService(context, name, spec.replicas, placement)).serviceArn!;
	if (scaling) await ensureScaling(context, cluster, name, scaling);

	await waitForSteadyService(context, cluster, name, taskDefinitionArn);
	await deregisterRevisions(context, context.names.taskDefinitionFamily!, taskDefinitionArn);
	await removeWhatTheSpecDropped(context, previous, loadBalancer, discovery);
	return applied(context, serviceArn, taskDefinitionArn, loadBalancer, discovery);
}

/** A load balancer or Cloud Map registry the last applied spec had and this one has not. */
async function removeWhatTheSpecDropped(
	context: ResourceContext,
	previous: StateResource | undefined,
	loadBalancer: unknown,
	discovery: unknown,
): Promise<void> {
	if (!previous) return;
	const previousLoadBalancer = loadBalancerNames(previous.physicalNames);
	if (!loadBalancer && previousLoadBalancer) await deleteLoadBalancer(context, previousLoadBalancer, recordedGroupIds(previous));
	const registration = recordedDiscovery(previous);
	if (!discovery && registration) await deleteDiscovery(context, registration);
}

function recordedGroupIds(previous: StateResource): (string | undefined)[] {
	const {outputs} = previous;
	return [outputs._loadBalancerSecurityGroupId, outputs._taskSecurityGroupId].map((id) => (typeof id === 'string' ? id : undefined));
}

function recordedDiscovery(previous: StateResource): {namespaceId: string; serviceId: string} | undefined {
	const {_discoveryNamespaceId: namespaceId, _discoveryServiceId: serviceId} = previous.outputs;
	return typeof namespaceId === 'string' && typeof serviceId === 'string' ? {namespaceId, serviceId} : undefined;
}

/** Outputs of a service found in AWS (find and read): its load balancer and registry looked up. */
async function observedOutputs(
	context: ResourceContext,
	spec: Pick<MicroServiceSpec, 'serviceDiscovery'>,
	serviceArn: string,
	taskDefinitionArn: string,
): Promise<AppliedResource> {
	const names = loadBalancerNames(context.names);
	const loadBalancer = names ? await findOwnedLoadBalancer(context, names.loadBalancer) : undefined;
	const discovery = await findDiscovery(context, spec);
	return applied(context, serviceArn, taskDefinitionArn, loadBalancer ? {dnsName: loadBalancer.DNSName ?? ''} : undefined, discovery);
}

export const microServiceProvider: Provider<MicroServiceSpec> = {
	create(context, spec) {
		return converge(context, spec, undefined);
	},

	update(context, spec, previous) {
		return converge(context, spec, previous);
	},

	async delete(context, previous) {
		const name = context.names.primary!;
		const cluster = context.names.cluster!;
		// The service's autoscaling is the service's: nothing is touched when the service is someone else's.
		const found = await describeService(context, cluster, name);
		if (found) requireOwnedService(context, found, 'delete');
		await removeScaling(context, cluster, name);
		await deleteService(context, cluster, name);
		const registration =
			recordedDiscovery(previous) ?? (await findDiscovery(context, previous.inputs as Pick<MicroServiceSpec, 'serviceDiscovery'>));
		if (registration) await deleteDiscovery(context, registration);
		const names = loadBalancerNames(context.names);
		if (names) await deleteLoadBalancer(context, names, recordedGroupIds(previous));
		if (context.names.taskDefinitionFamily) await deregisterRevisions(context, context.names.taskDefinitionFamily);
		for (const role of [context.names.taskRole, context.names.executionRole]) if (role) await deleteRole(context, role);
		if (context.names.logGroup) await deleteLogGroup(context, context.names.logGroup);
		await deleteClusterWhenEmpty(context);
	},

	async read(context, previous) {
		const name = context.names.primary!;
		const cluster = context.names.cluster!;
		const found = await describeService(context, cluster, name);
		if (!found?.service.taskDefinition) return {exists: false};
		requireOwnedService(context, found, 'read');
		const {service} = found;
		const definition = (await describeTaskDefinition(context, service.taskDefinition!))?.definition;
		const container = definition?.containerDefinitions?.[0];
		const image = splitImage(container?.image ?? '');
		const scaling = await readScaling(context, cluster, name);
		const recordedScaling = (previous.inputs as Partial<MicroServiceSpec>).autoscaling?.enabled === true;
		const observed: Record<string, unknown> = {
			'image.repository': image.repository,
			'image.tag': image.tag,
			'runtime.cpu': Number(definition?.cpu),
			'runtime.memory': Number(definition?.memory),
			'ports[].port': (container?.portMappings ?? []).map((mapping) => mapping.containerPort),
			'environment[].name': (container?.environment ?? []).map((variable) => variable.name),
			'secrets[].envVar': (container?.secrets ?? []).map((secret) => secret.name),
			// With autoscaling the count is Application Auto Scaling's to change: its bounds are observed instead.
			...(scaling
				? {
						'autoscaling.minReplicas': scaling.minReplicas,
						'autoscaling.maxReplicas': scaling.maxReplicas,
						'autoscaling.targetCPUUtilization': scaling.targetCPUUtilization,
					}
				: {replicas: service.desiredCount, ...(recordedScaling ? {'autoscaling.enabled': false} : {})}),
		};
		const current = await observedOutputs(
			context,
			previous.inputs as Pick<MicroServiceSpec, 'serviceDiscovery'>,
			service.serviceArn!,
			service.taskDefinition!,
		);
		return {exists: true, physicalId: current.physicalId, outputs: {...previous.outputs, ...current.outputs}, observed};
	},

	async find(context, spec) {
		const found = await describeService(context, context.names.cluster!, context.names.primary!);
		if (!found?.service.serviceArn || !found.service.taskDefinition || !isOwnedBy(found.tags, context.tags)) return undefined;
		return observedOutputs(context, spec, found.service.serviceArn, found.service.taskDefinition);
	},
};
