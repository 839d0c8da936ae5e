/**
 * MicroService health: the ECS service's running, desired and pending tasks, its rollout, its
 * latest events, and, behind a load balancer, its targets' health.
 *
 * Verdicts: no task running while some are desired, a FAILED rollout, or every registered target
 * unhealthy is failing; fewer running than desired, an unhealthy target, or tasks running with no
 * target registered is degraded. A rollout in progress with every desired task running is
 * information (a deployment is under way, the service serves).
 */
import {
	DescribeTargetHealthCommand,
	ElasticLoadBalancingV2Client,
	type TargetHealthDescription,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type {Service} from '@aws-sdk/client-ecs';
import {awsCallUnlessMissing} from '../../aws/call.js';
import type {HealthContext, HealthEvent, HealthFact, HealthReader} from '../../status/health.js';
import {findTargetGroup} from './load-balancer.js';
import {describeService} from './service.js';

/** How many of the service's latest events are shown. */
const latestEvents = 5;

/**
 * The targets of the service's group: by the ARN the apply recorded (one call), else (a state
 * written before panka recorded it) looked up by name first. Undefined when the group is gone.
 */
async function targetHealth(
	context: HealthContext,
	targetGroupName: string,
	recordedArn: unknown,
): Promise<TargetHealthDescription[] | undefined> {
	const arn =
		typeof recordedArn === 'string' && recordedArn !== '' ? recordedArn : (await findTargetGroup(context, targetGroupName))?.TargetGroupArn;
	if (!arn) return undefined;
	const described = await awsCallUnlessMissing(
		context,
		`ELBv2 DescribeTargetHealth ${targetGroupName}`,
		['TargetGroupNotFound'],
		(options) => context.clients.get(ElasticLoadBalancingV2Client).send(new DescribeTargetHealthCommand({TargetGroupArn: arn}), options),
	);
	return described ? (described.TargetHealthDescriptions ?? []) : undefined;
}

export function taskFacts(service: Service): HealthFact[] {
	const running = service.runningCount ?? 0;
	const desired = service.desiredCount ?? 0;
	const pending = service.pendingCount ?? 0;
	const facts: HealthFact[] = [
		{
			name: 'tasks running',
			value: `${running} of ${desired}`,
			...(desired > 0 && running === 0 ? {verdict: 'failing' as const} : running < desired ? {verdict: 'degraded' as const} : {}),
		},
	];
	if (pending > 0) facts.push({name: 'tasks pending', value: String(pending)});
	const primary = service.deployments?.find((d) => d.status === 'PRIMARY');
	if (primary?.rolloutState) {
		const state = primary.rolloutState;
		facts.push({
			name: 'rollout',
			value: `${state.toLowerCase().replace('_', ' ')}${primary.rolloutStateReason && state !== 'COMPLETED' ? `: ${primary.rolloutStateReason}` : ''}`,
			...(state === 'FAILED' ? {verdict: 'failing' as const} : {}),
		});
	}
	const old = (service.deployments ?? []).filter((d) => d.status !== 'PRIMARY').length;
	if (old > 0) facts.push({name: 'older deployments draining', value: String(old)});
	return facts;
}

export function targetFacts(targets: readonly TargetHealthDescription[], running: number): HealthFact[] {
	if (targets.length === 0)
		return [{name: 'load balancer targets', value: 'none registered', ...(running > 0 ? {verdict: 'degraded' as const} : {})}];
	const healthy = targets.filter((t) => t.TargetHealth?.State === 'healthy').length;
	const unhealthy = targets.filter((t) => t.TargetHealth?.State === 'unhealthy');
	const facts: HealthFact[] = [
		{
			name: 'load balancer targets',
			value: `${healthy} of ${targets.length} healthy`,
			...(healthy === 0 && unhealthy.length > 0
				? {verdict: 'failing' as const}
				: unhealthy.length > 0
					? {verdict: 'degraded' as const}
					: {}),
		},
	];
	for (const target of unhealthy)
		facts.push({
			name: `target ${target.Target?.Id ?? '?'}`,
			value: `unhealthy${target.TargetHealth?.Description ? `: ${target.TargetHealth.Description}` : ''}`,
		});
	return facts;
}

export const microServiceHealth: HealthReader = async (context, resource) => {
	const cluster = String(resource.outputs.clusterName ?? resource.physicalNames.cluster ?? '');
	const name = String(resource.outputs.serviceName ?? resource.physicalNames.primary ?? '');
	const targetGroup = resource.physicalNames.targetGroup;
	const [found, targets] = await Promise.all([
		describeService(context, cluster, name),
		targetGroup ? targetHealth(context, targetGroup, resource.outputs._targetGroupArn) : undefined,
	]);
	if (!found) return {exists: false};
	const facts = taskFacts(found.service);
	if (targetGroup)
		facts.push(
			...(targets
				? targetFacts(targets, found.service.runningCount ?? 0)
				: [{name: 'target group', value: `${targetGroup} not found in AWS`, verdict: 'failing' as const}]),
		);
	const events: HealthEvent[] = (found.service.events ?? [])
		.slice(0, latestEvents)
		.map((event) => ({at: event.createdAt?.toISOString() ?? '', message: event.message ?? ''}));
	return {exists: true, facts, events};
};
