/**
 * The desired function, worked out before anything changes: the packaged code (lambda-package.ts),
 * resolved environment values, the VPC placement (which needs `context.networking`) and the
 * triggers (SQS queues from `context.references`, schedule rules by physical name).
 */
import {resolve} from 'node:path';
import {ProviderError, type ResourceContext} from '../../providers/provider.js';
import {referencedOutput} from '../../providers/references.js';
import {type CodePackage, packageFolder} from '../lambda-package.js';
import type {LambdaCode, LambdaSpec} from '../lambda.js';
import {requiredName, triggerNamePrefix} from './shared.js';

export type DesiredCode =
	| {form: 'zip'; package: CodePackage}
	| {form: 's3'; bucket: string; key: string; version?: string}
	| {form: 'image'; uri: string};

export interface SqsTrigger {
	queueArn: string;
	batchSize: number;
	maximumBatchingWindowInSeconds: number;
	enabled: boolean;
}

export interface ScheduleTrigger {
	ruleName: string;
	schedule: string;
	description: string;
}

export interface DesiredFunction {
	code: DesiredCode;
	variables: Record<string, string>;
	vpc: {SubnetIds: string[]; SecurityGroupIds: string[]} | undefined;
	sqsTriggers: SqsTrigger[];
	scheduleTriggers: ScheduleTrigger[];
}

async function desiredCode(context: ResourceContext, code: LambdaCode): Promise<DesiredCode> {
	if (code.imageUri !== undefined) return {form: 'image', uri: code.imageUri};
	if (code.path !== undefined)
		return {form: 'zip', package: await packageFolder(resolve(context.serviceDir, code.path), `code.path ${code.path}`)};
	return {
		form: 's3',
		bucket: code.s3Bucket!,
		key: code.s3Key!,
		...(code.s3ObjectVersion !== undefined ? {version: code.s3ObjectVersion} : {}),
	};
}

/** `{NAME: {value}}` → `{NAME: value}`; a valueFrom left unresolved is an error (applyPlan substitutes them). */
function environmentVariables(context: ResourceContext, spec: LambdaSpec): Record<string, string> {
	const variables: Record<string, string> = {};
	for (const [name, entry] of Object.entries(spec.environment ?? {})) {
		if (entry.value === undefined)
			throw new ProviderError(
				`${context.address}: environment ${name} has an unresolved valueFrom (${entry.valueFrom?.component}.${entry.valueFrom?.output})`,
				'UnresolvedValue',
			);
		variables[name] = entry.value;
	}
	return variables;
}

function vpcConfig(context: ResourceContext, spec: LambdaSpec): DesiredFunction['vpc'] {
	if (!spec.vpc?.enabled) return undefined;
	const networking = context.networking;
	if (!networking || networking.privateSubnetIds.length === 0)
		throw new ProviderError(
			`${context.address}: vpc.enabled needs the tenant's private subnets and the stack security group, and none were passed (is the tenant's networking provisioned?)`,
			'NoTenantNetwork',
		);
	return {SubnetIds: [...networking.privateSubnetIds], SecurityGroupIds: [...networking.securityGroupIds]};
}

function triggersOf(context: ResourceContext, spec: LambdaSpec): Pick<DesiredFunction, 'sqsTriggers' | 'scheduleTriggers'> {
	const sqsTriggers: SqsTrigger[] = [];
	const scheduleTriggers: ScheduleTrigger[] = [];
	(spec.triggers ?? []).forEach((trigger, index) => {
		if (trigger.type === 'sqs')
			sqsTriggers.push({
				queueArn: referencedOutput(context, trigger.source.component, 'arn', `Lambda trigger ${index + 1} (sqs)`),
				batchSize: trigger.batchSize,
				maximumBatchingWindowInSeconds: trigger.maximumBatchingWindowInSeconds ?? 0,
				enabled: trigger.enabled ?? true,
			});
		else
			scheduleTriggers.push({
				ruleName: requiredName(context, `${triggerNamePrefix}${index}`),
				schedule: trigger.schedule,
				description: trigger.description ?? `panka: schedule trigger ${index + 1} of ${context.address}`,
			});
	});
	return {sqsTriggers, scheduleTriggers};
}

export async function desiredFunction(context: ResourceContext, spec: LambdaSpec): Promise<DesiredFunction> {
	const variables = environmentVariables(context, spec);
	const vpc = vpcConfig(context, spec);
	const triggers = triggersOf(context, spec);
	return {code: await desiredCode(context, spec.code), variables, vpc, ...triggers};
}
