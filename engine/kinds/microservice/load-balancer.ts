/**
 * The load balancer of a MicroService's http/https port: an internet-facing Application Load
 * Balancer in the tenant's public subnets, an HTTP listener on 80 forwarding to an `ip` target
 * group, and two security groups, the ALB's and the tasks'.
 *
 * Security groups (made and reconciled with engine/networking/security-groups.ts):
 * - `{service}-alb` on the ALB: ingress tcp 80 and 443 from the CIDRs of the stack's ingress
 *   rules that open tcp 80 or 443 (or all traffic); when no stack rule opens 80/443 (or the stack
 *   rules are not passed: `networking.stackIngress` absent), from 0.0.0.0/0, the internet-facing
 *   default. Egress only to the task group, on the container port(s).
 * - `{service}-tasks`, a dedicated group added to the service's ENIs next to the tenant default
 *   and the stack group: ingress tcp on the container port (and the health check port when it
 *   differs) from the ALB group only. A dedicated group, not a rule on the stack group, because
 *   applyPlan reconciles the stack group's ingress to exactly the stack's configured rules on every
 *   apply (a rule added here would be revoked), and because the opening then covers this
 *   service's tasks only, not every member of the stack group.
 *
 * Invariants:
 * - Everything is found by its deterministic name (ALB and target group names are unique per
 *   account and region, security group names per VPC), so a create whose answer was lost is
 *   adopted; an ALB, target group or security group with another owner's panka tags is never
 *   taken over, read, changed or deleted (the ownership rule, `requireOwned`).
 * - A target group's port, protocol, VPC and target type cannot change: when they differ, the
 *   caller's `detach` removes it from the ECS service, the listener answers 503 meanwhile, and the
 *   group is deleted and created again under the same name (a port change briefly serves 503).
 * - Teardown order: listeners, the ALB (waited until deleted, so its ENIs are released), then the
 *   target group (AWS and moto refuse while a listener uses it), then the rules that reference the
 *   other group, revoked by rule ID on both groups, then both groups. Everything already gone is
 *   skipped.
 */
import {
	AddTagsCommand,
	CreateListenerCommand,
	CreateLoadBalancerCommand,
	CreateTargetGroupCommand,
	DeleteListenerCommand,
	DeleteLoadBalancerCommand,
	DeleteTargetGroupCommand,
	DescribeListenersCommand,
	DescribeLoadBalancersCommand,
	DescribeTagsCommand,
	DescribeTargetGroupsCommand,
	ElasticLoadBalancingV2Client,
	type Listener,
	type LoadBalancer,
	ModifyListenerCommand,
	ModifyTargetGroupCommand,
	type ModifyTargetGroupCommandInput,
	RemoveTagsCommand,
	SetSecurityGroupsCommand,
	SetSubnetsCommand,
	type TargetGroup,
	waitUntilLoadBalancersDeleted,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import {type AwsRequest, awsCall, awsCallUnlessMissing} from '../../aws/call.js';
import type {SecurityGroupRule} from '../../model/security-group.js';
import {networkCallOf} from '../../networking/ec2-calls.js';
import {
	type AtomicRule,
	deleteOwnedSecurityGroup,
	describeRules,
	ensureSecurityGroup,
	expandRule,
	findSecurityGroupByName,
	reconcileRules,
	revokeRules,
	ruleKey,
	securityGroupTags,
} from '../../networking/security-groups.js';
import {type NetworkingIds, ProviderError, type ResourceContext} from '../../providers/provider.js';
import {fromTagList, isOwnedBy, type OwnershipAction, requireOwned, tagChanges, toTagList} from '../../providers/resource-tags.js';
import {waiterOptions} from '../../providers/wait.js';
import type {MicroServicePort, MicroServiceSpec} from '../microservice.js';

export interface LoadBalancerNames {
	loadBalancer: string;
	targetGroup: string;
	loadBalancerSecurityGroup: string;
	taskSecurityGroup: string;
}

/** The names of the load balancer's resources, when the names have a load balancer. */
export function loadBalancerNames(names: Readonly<Record<string, string>>): LoadBalancerNames | undefined {
	if (!names.loadBalancer || !names.targetGroup || !names.primary) return undefined;
	const group = (suffix: string) => `${names.primary!.slice(0, 255 - suffix.length)}${suffix}`;
	return {
		loadBalancer: names.loadBalancer,
		targetGroup: names.targetGroup,
		loadBalancerSecurityGroup: group('-alb'),
		taskSecurityGroup: group('-tasks'),
	};
}

export interface LoadBalancerResources {
	loadBalancerArn: string;
	dnsName: string;
	targetGroupArn: string;
	listenerArn: string;
	loadBalancerSecurityGroupId: string;
	taskSecurityGroupId: string;
}

const webPorts = [80, 443] as const;
const anywhere = '0.0.0.0/0';
/** ELBv2's answers for a load balancer, or a target group, that is not there. */
export const loadBalancerMissing = ['LoadBalancerNotFound'];
export const targetGroupMissing = ['TargetGroupNotFound'];

function elb(context: Pick<ResourceContext, 'clients'>): ElasticLoadBalancingV2Client {
	return context.clients.get(ElasticLoadBalancingV2Client);
}

function opensPort(rule: AtomicRule, port: number): boolean {
	return rule.protocol === '-1' || (rule.protocol === 'tcp' && rule.fromPort <= port && port <= rule.toPort);
}

/** The ALB group's ingress: 80 and 443 from the stack's web ingress sources, else from anywhere. */
export function loadBalancerIngress(stackIngress: readonly SecurityGroupRule[] | undefined): AtomicRule[] {
	const stackRules = (stackIngress ?? []).flatMap((rule) => expandRule(rule, 'ingress', '')).filter((rule) => !('groupId' in rule.source));
	const web = (port: number, source: AtomicRule['source']): AtomicRule => ({
		direction: 'ingress',
		protocol: 'tcp',
		fromPort: port,
		toPort: port,
		source,
		description: port === 80 ? 'HTTP to the load balancer' : 'HTTPS to the load balancer',
	});
	const rules = webPorts.flatMap((port) => stackRules.filter((rule) => opensPort(rule, port)).map((rule) => web(port, rule.source)));
	const unique = [...new Map(rules.map((rule) => [ruleKey(rule), rule])).values()];
	return unique.length > 0 ? unique : webPorts.map((port) => web(port, {cidrIpv4: anywhere}));
}

/** Ports the ALB reaches the tasks on: the traffic port and the health check port. */
export function taskPorts(spec: MicroServiceSpec, port: MicroServicePort): number[] {
	return [...new Set([port.port, spec.healthCheck?.port ?? port.port])];
}

function tcpRule(direction: AtomicRule['direction'], port: number, groupId: string): AtomicRule {
	return {direction, protocol: 'tcp', fromPort: port, toPort: port, source: {groupId}};
}

/** Create or reconcile both groups and their rules; their IDs. */
async function ensureSecurityGroups(
	context: ResourceContext,
	spec: MicroServiceSpec,
	port: MicroServicePort,
	names: LoadBalancerNames,
	networking: NetworkingIds,
) {
	const call = networkCallOf(context);
	const group = (name: string, description: string) =>
		ensureSecurityGroup(call, {name, description, vpcId: networking.vpcId, tags: {...context.tags, Name: name}});
	const loadBalancerGroup = await group(names.loadBalancerSecurityGroup, `Load balancer of ${names.loadBalancer} (panka)`);
	const taskGroup = await group(names.taskSecurityGroup, `Tasks of ${context.names.primary} behind ${names.loadBalancer} (panka)`);
	const ports = taskPorts(spec, port);
	await reconcileRules(call, loadBalancerGroup.id, {
		ingress: loadBalancerIngress(networking.stackIngress),
		egress: ports.map((p) => tcpRule('egress', p, taskGroup.id)),
	});
	await reconcileRules(call, taskGroup.id, {ingress: ports.map((p) => tcpRule('ingress', p, loadBalancerGroup.id))});
	return {loadBalancerSecurityGroupId: loadBalancerGroup.id, taskSecurityGroupId: taskGroup.id};
}

function targetProtocol(port: MicroServicePort): 'HTTP' | 'HTTPS' {
	return port.protocol === 'https' ? 'HTTPS' : 'HTTP';
}

/** The target group's health check from `healthCheck` (path, port, interval, timeout, thresholds). */
export function targetGroupHealthCheck(
	spec: MicroServiceSpec,
	port: MicroServicePort,
): Omit<ModifyTargetGroupCommandInput, 'TargetGroupArn'> {
	const check = spec.healthCheck;
	const threshold = Math.max(2, check?.failureThreshold ?? 3);
	return {
		HealthCheckEnabled: true,
		HealthCheckProtocol: targetProtocol(port),
		HealthCheckPath: check?.path ?? '/',
		HealthCheckPort: check?.port !== undefined && check.port !== port.port ? String(check.port) : 'traffic-port',
		HealthCheckIntervalSeconds: check?.periodSeconds ?? 30,
		HealthCheckTimeoutSeconds: check?.timeoutSeconds ?? 5,
		HealthyThresholdCount: threshold,
		UnhealthyThresholdCount: threshold,
		Matcher: {HttpCode: '200-399'},
	};
}

async function describeByName<T>(
	context: Pick<ResourceContext, 'clients' | 'signal'>,
	action: string,
	missing: string,
	request: AwsRequest<T[] | undefined>,
): Promise<T | undefined> {
	const found = await awsCallUnlessMissing(context, action, [missing], request);
	return found?.[0];
}

export async function findLoadBalancer(context: ResourceContext, name: string): Promise<LoadBalancer | undefined> {
	return describeByName(
		context,
		`ELBv2 DescribeLoadBalancers ${name}`,
		'LoadBalancerNotFound',
		async (options) => (await elb(context).send(new DescribeLoadBalancersCommand({Names: [name]}), options)).LoadBalancers,
	);
}

export async function findTargetGroup(
	context: Pick<ResourceContext, 'clients' | 'signal'>,
	name: string,
): Promise<TargetGroup | undefined> {
	return describeByName(
		context,
		`ELBv2 DescribeTargetGroups ${name}`,
		'TargetGroupNotFound',
		async (options) => (await elb(context).send(new DescribeTargetGroupsCommand({Names: [name]}), options)).TargetGroups,
	);
}

/** The tags of a load balancer or target group. */
export async function elbTagsOf(context: Pick<ResourceContext, 'clients' | 'signal'>, arn: string): Promise<Record<string, string>> {
	const {TagDescriptions = []} = await awsCall(context, `ELBv2 DescribeTags ${arn}`, (options) =>
		elb(context).send(new DescribeTagsCommand({ResourceArns: [arn]}), options),
	);
	return fromTagList(TagDescriptions[0]?.Tags);
}

/** The ALB of that name when it is this component's; someone else's is never read (find and read). */
export async function findOwnedLoadBalancer(context: ResourceContext, name: string): Promise<LoadBalancer | undefined> {
	const found = await findLoadBalancer(context, name);
	return found?.LoadBalancerArn && isOwnedBy(await elbTagsOf(context, found.LoadBalancerArn), context.tags) ? found : undefined;
}

/** Refuse a resource with another owner (the ownership rule) before `action`. */
async function requireOwnedElb(
	context: ResourceContext,
	arn: string,
	what: string,
	action: OwnershipAction,
): Promise<Record<string, string>> {
	const tags = await elbTagsOf(context, arn);
	requireOwned(tags, context.tags, action, `ELBv2 ${what}`);
	return tags;
}

/** Refuse a same-named resource with another owner; make the tags of ours match. */
async function adoptTagged(context: ResourceContext, arn: string, what: string, name: string): Promise<void> {
	const tags = await requireOwnedElb(context, arn, `${what} ${name}`, 'adopt');
	const changes = tagChanges(tags, context.tags);
	if (changes.remove.length > 0)
		await awsCall(context, `ELBv2 RemoveTags ${name}`, (options) =>
			elb(context).send(new RemoveTagsCommand({ResourceArns: [arn], TagKeys: changes.remove}), options),
		);
	if (Object.keys(changes.set).length > 0)
		await awsCall(context, `ELBv2 AddTags ${name}`, (options) =>
			elb(context).send(new AddTagsCommand({ResourceArns: [arn], Tags: toTagList(changes.set)}), options),
		);
}

function sameHealthCheck(group: TargetGroup, wanted: ReturnType<typeof targetGroupHealthCheck>): boolean {
	return (
		group.HealthCheckPath === wanted.HealthCheckPath &&
		group.HealthCheckPort === wanted.HealthCheckPort &&
		group.HealthCheckProtocol === wanted.HealthCheckProtocol &&
		group.HealthCheckIntervalSeconds === wanted.HealthCheckIntervalSeconds &&
		group.HealthCheckTimeoutSeconds === wanted.HealthCheckTimeoutSeconds &&
		group.HealthyThresholdCount === wanted.HealthyThresholdCount &&
		group.UnhealthyThresholdCount === wanted.UnhealthyThresholdCount &&
		group.Matcher?.HttpCode === wanted.Matcher?.HttpCode
	);
}

async function createTargetGroup(
	context: ResourceContext,
	spec: MicroServiceSpec,
	port: MicroServicePort,
	name: string,
	vpcId: string,
): Promise<string> {
	context.progress(`creating target group ${name}`);
	const {TargetGroups = []} = await awsCall(context, `ELBv2 CreateTargetGroup ${name}`, (options) =>
		elb(context).send(
			new CreateTargetGroupCommand({
				Name: name,
				Protocol: targetProtocol(port),
				Port: port.port,
				VpcId: vpcId,
				TargetType: 'ip',
				...targetGroupHealthCheck(spec, port),
				Tags: toTagList(context.tags),
			}),
			options,
		),
	);
	const arn = TargetGroups[0]?.TargetGroupArn;
	if (!arn) throw new ProviderError(`ELBv2 CreateTargetGroup ${name}: no ARN returned`);
	return arn;
}

/** Point the listener at `action`; the listener's ARN (created on port 80 when missing). */
async function ensureListener(
	context: ResourceContext,
	loadBalancerArn: string,
	defaultAction: NonNullable<Listener['DefaultActions']>[number],
): Promise<string> {
	const {Listeners = []} = await awsCall(context, `ELBv2 DescribeListeners ${loadBalancerArn}`, (options) =>
		elb(context).send(new DescribeListenersCommand({LoadBalancerArn: loadBalancerArn}), options),
	);
	const listener = Listeners.find((l) => l.Port === 80);
	if (listener?.ListenerArn) {
		const current = listener.DefaultActions?.[0];
		const same =
			listener.DefaultActions?.length === 1 &&
			current?.Type === defaultAction.Type &&
			current?.TargetGroupArn === defaultAction.TargetGroupArn &&
			listener.Protocol === 'HTTP';
		if (!same)
			await awsCall(context, `ELBv2 ModifyListener ${listener.ListenerArn}`, (options) =>
				elb(context).send(
					new ModifyListenerCommand({ListenerArn: listener.ListenerArn, Protocol: 'HTTP', Port: 80, DefaultActions: [defaultAction]}),
					options,
				),
			);
		return listener.ListenerArn;
	}
	context.progress('creating HTTP listener on port 80');
	const created = await awsCall(context, `ELBv2 CreateListener ${loadBalancerArn}`, (options) =>
		elb(context).send(
			new CreateListenerCommand({
				LoadBalancerArn: loadBalancerArn,
				Protocol: 'HTTP',
				Port: 80,
				DefaultActions: [defaultAction],
				Tags: toTagList(context.tags),
			}),
			options,
		),
	);
	const arn = created.Listeners?.[0]?.ListenerArn;
	if (!arn) throw new ProviderError(`ELBv2 CreateListener ${loadBalancerArn}: no ARN returned`);
	return arn;
}

async function ensureApplicationLoadBalancer(
	context: ResourceContext,
	name: string,
	subnets: readonly string[],
	securityGroupId: string,
): Promise<{arn: string; dnsName: string}> {
	const found = await findLoadBalancer(context, name);
	if (found?.LoadBalancerArn) {
		const arn = found.LoadBalancerArn;
		await adoptTagged(context, arn, 'load balancer', name);
		if (found.Scheme !== 'internet-facing' || found.Type !== 'application')
			throw new ProviderError(
				`ELBv2 load balancer ${name} is ${found.Scheme} ${found.Type}, not an internet-facing application load balancer; delete it or rename the component`,
				'LoadBalancerMismatch',
			);
		const currentSubnets = (found.AvailabilityZones ?? []).map((zone) => zone.SubnetId ?? '').sort();
		if (currentSubnets.join() !== [...subnets].sort().join())
			await awsCall(context, `ELBv2 SetSubnets ${name}`, (options) =>
				elb(context).send(new SetSubnetsCommand({LoadBalancerArn: arn, Subnets: [...subnets]}), options),
			);
		if ((found.SecurityGroups ?? []).join() !== securityGroupId)
			await awsCall(context, `ELBv2 SetSecurityGroups ${name}`, (options) =>
				elb(context).send(new SetSecurityGroupsCommand({LoadBalancerArn: arn, SecurityGroups: [securityGroupId]}), options),
			);
		return {arn, dnsName: found.DNSName ?? ''};
	}
	context.progress(`creating load balancer ${name}`);
	const {LoadBalancers = []} = await awsCall(context, `ELBv2 CreateLoadBalancer ${name}`, (options) =>
		elb(context).send(
			new CreateLoadBalancerCommand({
				Name: name,
				Type: 'application',
				Scheme: 'internet-facing',
				IpAddressType: 'ipv4',
				Subnets: [...subnets],
				SecurityGroups: [securityGroupId],
				Tags: toTagList(context.tags),
			}),
			options,
		),
	);
	const created = LoadBalancers[0];
	if (!created?.LoadBalancerArn) throw new ProviderError(`ELBv2 CreateLoadBalancer ${name}: no ARN returned`);
	return {arn: created.LoadBalancerArn, dnsName: created.DNSName ?? ''};
}

/**
 * Create or reconcile the ALB, its groups, target group and listener. `detach` removes the target
 * group from the ECS service; it is called only when the group must be recreated.
 */
export async function ensureLoadBalancer(
	context: ResourceContext,
	spec: MicroServiceSpec,
	port: MicroServicePort,
	networking: NetworkingIds,
	detach: () => Promise<void>,
): Promise<LoadBalancerResources> {
	const names = loadBalancerNames(context.names)!;
	const groups = await ensureSecurityGroups(context, spec, port, names, networking);
	const loadBalancer = await ensureApplicationLoadBalancer(
		context,
		names.loadBalancer,
		networking.publicSubnetIds,
		groups.loadBalancerSecurityGroupId,
	);

	const existing = await findTargetGroup(context, names.targetGroup);
	let targetGroupArn = existing?.TargetGroupArn;
	if (existing && targetGroupArn) {
		await adoptTagged(context, targetGroupArn, 'target group', names.targetGroup);
		const immutableChanged =
			existing.Port !== port.port ||
			existing.Protocol !== targetProtocol(port) ||
			existing.VpcId !== networking.vpcId ||
			existing.TargetType !== 'ip';
		if (immutableChanged) {
			context.progress(`replacing target group ${names.targetGroup} (port, protocol or VPC changed)`);
			await detach();
			await ensureListener(context, loadBalancer.arn, {
				Type: 'fixed-response',
				FixedResponseConfig: {StatusCode: '503', ContentType: 'text/plain', MessageBody: 'deploying'},
			});
			await deleteTargetGroup(context, targetGroupArn);
			targetGroupArn = undefined;
		} else {
			const wanted = targetGroupHealthCheck(spec, port);
			if (!sameHealthCheck(existing, wanted))
				await awsCall(context, `ELBv2 ModifyTargetGroup ${names.targetGroup}`, (options) =>
					elb(context).send(new ModifyTargetGroupCommand({TargetGroupArn: targetGroupArn, ...wanted}), options),
				);
		}
	}
	targetGroupArn ??= await createTargetGroup(context, spec, port, names.targetGroup, networking.vpcId);
	const listenerArn = await ensureListener(context, loadBalancer.arn, {Type: 'forward', TargetGroupArn: targetGroupArn});
	return {loadBalancerArn: loadBalancer.arn, dnsName: loadBalancer.dnsName, targetGroupArn, listenerArn, ...groups};
}

async function deleteTargetGroup(context: ResourceContext, arn: string): Promise<void> {
	await awsCallUnlessMissing(context, `ELBv2 DeleteTargetGroup ${arn}`, targetGroupMissing, (options) =>
		elb(context).send(new DeleteTargetGroupCommand({TargetGroupArn: arn}), options),
	);
}

/** IDs of the two groups: by name in the VPC when networking is known, else the recorded ones. */
async function securityGroupIds(
	context: ResourceContext,
	names: LoadBalancerNames,
	recorded: readonly (string | undefined)[],
): Promise<string[]> {
	const vpcId = context.networking?.vpcId;
	if (!vpcId) return recorded.filter((id): id is string => Boolean(id));
	const call = networkCallOf(context);
	const found = await Promise.all(
		[names.loadBalancerSecurityGroup, names.taskSecurityGroup].map((name) => findSecurityGroupByName(call, vpcId, name)),
	);
	return found.flatMap((group) => (group ? [group.id] : []));
}

/** Tear the load balancer down (see the module header for the order); everything gone is skipped. */
export async function deleteLoadBalancer(
	context: ResourceContext,
	names: LoadBalancerNames,
	recordedGroupIds: readonly (string | undefined)[] = [],
): Promise<void> {
	const loadBalancer = await findLoadBalancer(context, names.loadBalancer);
	if (loadBalancer?.LoadBalancerArn) {
		const arn = loadBalancer.LoadBalancerArn;
		await requireOwnedElb(context, arn, `load balancer ${names.loadBalancer}`, 'delete');
		const {Listeners = []} = await awsCall(context, `ELBv2 DescribeListeners ${names.loadBalancer}`, (options) =>
			elb(context).send(new DescribeListenersCommand({LoadBalancerArn: arn}), options),
		);
		for (const listener of Listeners)
			await awsCallUnlessMissing(context, `ELBv2 DeleteListener ${listener.ListenerArn}`, ['ListenerNotFound'], (options) =>
				elb(context).send(new DeleteListenerCommand({ListenerArn: listener.ListenerArn}), options),
			);
		context.progress(`deleting load balancer ${names.loadBalancer}`);
		await awsCallUnlessMissing(context, `ELBv2 DeleteLoadBalancer ${names.loadBalancer}`, loadBalancerMissing, (options) =>
			elb(context).send(new DeleteLoadBalancerCommand({LoadBalancerArn: arn}), options),
		);
		context.progress(`waiting for load balancer ${names.loadBalancer} to be deleted`);
		await awsCall(context, `ELBv2 wait for ${names.loadBalancer} deleted`, () =>
			waitUntilLoadBalancersDeleted(waiterOptions(context, elb(context)), {LoadBalancerArns: [arn]}),
		);
	}
	const targetGroup = await findTargetGroup(context, names.targetGroup);
	if (targetGroup?.TargetGroupArn) {
		await requireOwnedElb(context, targetGroup.TargetGroupArn, `target group ${names.targetGroup}`, 'delete');
		context.progress(`deleting target group ${names.targetGroup}`);
		await deleteTargetGroup(context, targetGroup.TargetGroupArn);
	}
	const call = networkCallOf(context);
	const groupIds = await securityGroupIds(context, names, recordedGroupIds);
	const groupTags = {...context.tags};
	// The two groups reference each other: both sides' rules go first, by rule ID (once both are known to be ours).
	for (const groupId of groupIds) {
		const tags = await securityGroupTags(call, groupId);
		if (tags) requireOwned(tags, groupTags, 'delete', `security group ${groupId} of load balancer ${names.loadBalancer}`);
	}
	for (const groupId of groupIds) {
		const referencing = (await describeRules(call, groupId)).filter((rule) => 'groupId' in rule.source);
		if (referencing.length > 0) await revokeRules(call, groupId, referencing);
	}
	for (const groupId of groupIds)
		await deleteOwnedSecurityGroup(call, groupId, groupTags, `security group of load balancer ${names.loadBalancer}`);
}
