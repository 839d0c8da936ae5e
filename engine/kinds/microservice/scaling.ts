/**
 * Autoscaling of a MicroService with Application Auto Scaling: a scalable target on
 * `service/{cluster}/{service}` / `ecs:service:DesiredCount` (minReplicas..maxReplicas) and one
 * target-tracking policy on ECSServiceAverageCPUUtilization at `targetCPUUtilization` percent.
 *
 * Invariants:
 * - RegisterScalableTarget and PutScalingPolicy are idempotent upserts, so ensure is a plain
 *   re-send; the target is registered after the ECS service exists (AWS and moto check it).
 * - Turning autoscaling off (or deleting the service) deletes panka's policy first and then
 *   deregisters the target. AWS deletes a target's policies with it; moto does not, so the policy
 *   is always deleted explicitly. Both are looked up first: deleting what is gone is success.
 * - moto 5.2.1 filters DescribeScalingPolicies by ResourceId with a substring match, so results
 *   are filtered again by exact ResourceId and policy name (aws/emulator-workarounds.ts). moto creates the policy's CloudWatch
 *   alarms but never evaluates them and runs no tasks, so scaling itself cannot be exercised
 *   there: tests check the registered target and policy through the API. moto ignores
 *   RegisterScalableTarget's Tags.
 */
import {
	ApplicationAutoScalingClient,
	DeleteScalingPolicyCommand,
	DeregisterScalableTargetCommand,
	DescribeScalableTargetsCommand,
	DescribeScalingPoliciesCommand,
	PutScalingPolicyCommand,
	RegisterScalableTargetCommand,
	type ScalableTarget,
	type ScalingPolicy,
} from '@aws-sdk/client-application-auto-scaling';
import {awsCall, awsCallUnlessMissing} from '../../aws/call.js';
import {exactScalingMatch} from '../../aws/emulator-workarounds.js';
import type {ResourceContext} from '../../providers/provider.js';
import type {MicroServiceSpec} from '../microservice.js';

const namespace = 'ecs';
const dimension = 'ecs:service:DesiredCount';
const missing = ['ObjectNotFoundException'];

function autoScaling(context: Pick<ResourceContext, 'clients'>): ApplicationAutoScalingClient {
	return context.clients.get(ApplicationAutoScalingClient);
}

export function scalingResourceId(cluster: string, service: string): string {
	return `service/${cluster}/${service}`;
}

export function cpuPolicyName(service: string): string {
	return `${service}-cpu-target`.slice(0, 256);
}

export interface ScalingSettings {
	minReplicas: number;
	maxReplicas: number;
	targetCPUUtilization: number;
}

/** The autoscaling the spec asks for, or undefined when it is off. */
export function wantedScaling(spec: MicroServiceSpec): ScalingSettings | undefined {
	const autoscaling = spec.autoscaling;
	if (!autoscaling?.enabled || autoscaling.maxReplicas === undefined) return undefined;
	return {
		minReplicas: autoscaling.minReplicas,
		maxReplicas: autoscaling.maxReplicas,
		targetCPUUtilization: autoscaling.targetCPUUtilization,
	};
}

async function describeTarget(context: ResourceContext, resourceId: string): Promise<ScalableTarget | undefined> {
	const {ScalableTargets = []} = await awsCall(context, `ApplicationAutoScaling DescribeScalableTargets ${resourceId}`, (options) =>
		autoScaling(context).send(
			new DescribeScalableTargetsCommand({ServiceNamespace: namespace, ResourceIds: [resourceId], ScalableDimension: dimension}),
			options,
		),
	);
	return ScalableTargets.find((t) => t.ResourceId === resourceId && t.ScalableDimension === dimension);
}

async function describePolicy(context: ResourceContext, resourceId: string, policyName: string): Promise<ScalingPolicy | undefined> {
	const {ScalingPolicies = []} = await awsCall(context, `ApplicationAutoScaling DescribeScalingPolicies ${resourceId}`, (options) =>
		autoScaling(context).send(
			new DescribeScalingPoliciesCommand({
				ServiceNamespace: namespace,
				ResourceId: resourceId,
				ScalableDimension: dimension,
				PolicyNames: [policyName],
			}),
			options,
		),
	);
	return exactScalingMatch(ScalingPolicies, resourceId, policyName);
}

/** Register the target and put the CPU policy (both upserts). */
export async function ensureScaling(context: ResourceContext, cluster: string, service: string, settings: ScalingSettings): Promise<void> {
	const resourceId = scalingResourceId(cluster, service);
	context.progress(
		`autoscaling ${service}: ${settings.minReplicas}–${settings.maxReplicas} tasks at ${settings.targetCPUUtilization}% CPU`,
	);
	await awsCall(context, `ApplicationAutoScaling RegisterScalableTarget ${resourceId}`, (options) =>
		autoScaling(context).send(
			new RegisterScalableTargetCommand({
				ServiceNamespace: namespace,
				ResourceId: resourceId,
				ScalableDimension: dimension,
				MinCapacity: settings.minReplicas,
				MaxCapacity: settings.maxReplicas,
				Tags: {...context.tags},
			}),
			options,
		),
	);
	await awsCall(context, `ApplicationAutoScaling PutScalingPolicy ${cpuPolicyName(service)}`, (options) =>
		autoScaling(context).send(
			new PutScalingPolicyCommand({
				PolicyName: cpuPolicyName(service),
				ServiceNamespace: namespace,
				ResourceId: resourceId,
				ScalableDimension: dimension,
				PolicyType: 'TargetTrackingScaling',
				TargetTrackingScalingPolicyConfiguration: {
					TargetValue: settings.targetCPUUtilization,
					PredefinedMetricSpecification: {PredefinedMetricType: 'ECSServiceAverageCPUUtilization'},
					ScaleOutCooldown: 60,
					ScaleInCooldown: 300,
				},
			}),
			options,
		),
	);
}

/** Delete panka's policy and deregister the target; what is gone already is skipped. */
export async function removeScaling(context: ResourceContext, cluster: string, service: string): Promise<void> {
	const resourceId = scalingResourceId(cluster, service);
	const policyName = cpuPolicyName(service);
	if (await describePolicy(context, resourceId, policyName))
		await awsCallUnlessMissing(context, `ApplicationAutoScaling DeleteScalingPolicy ${policyName}`, missing, (options) =>
			autoScaling(context).send(
				new DeleteScalingPolicyCommand({
					PolicyName: policyName,
					ServiceNamespace: namespace,
					ResourceId: resourceId,
					ScalableDimension: dimension,
				}),
				options,
			),
		);
	if (await describeTarget(context, resourceId)) {
		context.progress(`removing autoscaling of ${service}`);
		await awsCallUnlessMissing(context, `ApplicationAutoScaling DeregisterScalableTarget ${resourceId}`, missing, (options) =>
			autoScaling(context).send(
				new DeregisterScalableTargetCommand({ServiceNamespace: namespace, ResourceId: resourceId, ScalableDimension: dimension}),
				options,
			),
		);
	}
}

/** The registered settings, for read(); undefined when no target is registered. */
export async function readScaling(
	context: ResourceContext,
	cluster: string,
	service: string,
): Promise<Partial<ScalingSettings> | undefined> {
	const resourceId = scalingResourceId(cluster, service);
	const target = await describeTarget(context, resourceId);
	if (!target) return undefined;
	const policy = await describePolicy(context, resourceId, cpuPolicyName(service));
	const targetValue = policy?.TargetTrackingScalingPolicyConfiguration?.TargetValue;
	return {
		...(target.MinCapacity !== undefined ? {minReplicas: target.MinCapacity} : {}),
		...(target.MaxCapacity !== undefined ? {maxReplicas: target.MaxCapacity} : {}),
		...(targetValue !== undefined ? {targetCPUUtilization: targetValue} : {}),
	};
}
