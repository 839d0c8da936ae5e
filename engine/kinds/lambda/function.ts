/**
 * The function itself: found (with the ownership rule), created with IAM propagation retried by
 * the call path, updated code first and configuration second (never both in flight), reserved
 * concurrency and tags made to match.
 */
import {
	CreateFunctionCommand,
	DeleteFunctionConcurrencyCommand,
	type FunctionCode,
	type FunctionConfiguration,
	GetFunctionCommand,
	type GetFunctionCommandOutput,
	GetFunctionConcurrencyCommand,
	PutFunctionConcurrencyCommand,
	TagResourceCommand,
	UntagResourceCommand,
	UpdateFunctionCodeCommand,
	UpdateFunctionConfigurationCommand,
	type UpdateFunctionConfigurationCommandInput,
	waitUntilFunctionActiveV2,
	waitUntilFunctionUpdatedV2,
} from '@aws-sdk/client-lambda';
import {awsCall, awsCallUnlessMissing, hasAwsErrorCode, type TransientRefusal} from '../../aws/call.js';
import {canonicalJson} from '../../canonical-json.js';
import type {ResourceContext} from '../../providers/provider.js';
import {type OwnershipAction, requireOwned, tagChanges} from '../../providers/resource-tags.js';
import {waiterOptions} from '../../providers/wait.js';
import type {StateResource} from '../../state/state-document.js';
import type {LambdaCode, LambdaSpec} from '../lambda.js';
import type {DesiredCode, DesiredFunction} from './desired.js';
import {functionMissing, functionName, iamPropagationSeconds, lambda, requiredName} from './shared.js';

export function getFunction(context: ResourceContext): Promise<GetFunctionCommandOutput | undefined> {
	const name = functionName(context);
	return awsCallUnlessMissing(context, `Lambda GetFunction ${name}`, functionMissing, (options) =>
		lambda(context).send(new GetFunctionCommand({FunctionName: name}), options),
	);
}

/** The function when it exists, after checking it is this component's. */
export async function ownedFunction(context: ResourceContext, action: OwnershipAction): Promise<GetFunctionCommandOutput | undefined> {
	const current = await getFunction(context);
	if (current) requireOwned(current.Tags ?? {}, context.tags, action, `Lambda function ${functionName(context)}`);
	return current;
}

/** Errors that mean "IAM has not caught up with a role or policy changed seconds ago". */
function isIamPropagationError(error: unknown): boolean {
	const message = (error as Error | undefined)?.message ?? '';
	return (
		hasAwsErrorCode(error, 'InvalidParameterValueException') &&
		/cannot be assumed|does not have permissions|not authorized to perform/i.test(message)
	);
}

/**
 * IAM propagation as the call path retries it (see the module header): within maxWaitTime, and
 * at most `iamPropagationSeconds`, so a permission that is really missing (not just new) fails
 * with AWS's own message instead of waiting half an hour.
 */
export function iamPropagation(phase: string): TransientRefusal {
	return {matches: isIamPropagationError, phase, maxSeconds: iamPropagationSeconds};
}

/** LoggingConfig, memory, timeout, environment, VPC, role, runtime and handler: what UpdateFunctionConfiguration takes. */
export function configuration(
	context: ResourceContext,
	spec: LambdaSpec,
	desired: DesiredFunction,
	roleArn: string,
): UpdateFunctionConfigurationCommandInput {
	return {
		FunctionName: functionName(context),
		Role: roleArn,
		MemorySize: spec.memory,
		Timeout: spec.timeout,
		Environment: {Variables: desired.variables},
		VpcConfig: desired.vpc ?? {SubnetIds: [], SecurityGroupIds: []},
		LoggingConfig: {LogFormat: 'Text', LogGroup: requiredName(context, 'logGroup')},
		...(spec.packageType === 'Zip' ? {Runtime: spec.runtime, Handler: spec.handler} : {}),
	};
}

/** Where the code is, in the shape CreateFunction's Code and UpdateFunctionCode both take. */
function codeLocation(code: DesiredCode): FunctionCode {
	switch (code.form) {
		case 'zip':
			return {ZipFile: code.package.zip};
		case 's3':
			return {S3Bucket: code.bucket, S3Key: code.key, ...(code.version !== undefined ? {S3ObjectVersion: code.version} : {})};
		case 'image':
			return {ImageUri: code.uri};
	}
}

export async function createFunction(
	context: ResourceContext,
	spec: LambdaSpec,
	desired: DesiredFunction,
	roleArn: string,
): Promise<FunctionConfiguration> {
	const name = functionName(context);
	context.progress(`creating function ${name}`);
	const {VpcConfig, ...config} = configuration(context, spec, desired, roleArn);
	const created = await awsCall(
		context,
		`Lambda CreateFunction ${name}`,
		(options) =>
			lambda(context).send(
				new CreateFunctionCommand({
					...config,
					FunctionName: name,
					Role: roleArn,
					PackageType: spec.packageType,
					Code: codeLocation(desired.code),
					Architectures: [spec.architecture],
					...(desired.vpc ? {VpcConfig} : {}),
					Tags: {...context.tags},
					Publish: false,
				}),
				options,
			),
		iamPropagation('waiting for the new role to propagate'),
	);
	context.progress(`waiting for function ${name} to become active`);
	await awsCall(context, `Lambda waiting for ${name} to become active`, () =>
		waitUntilFunctionActiveV2(waiterOptions(context, lambda(context)), {FunctionName: name}),
	);
	return created;
}

async function waitUntilUpdated(context: ResourceContext, what: string): Promise<void> {
	const name = functionName(context);
	context.progress(`waiting for ${what} of ${name} to finish`);
	await awsCall(context, `Lambda waiting for ${what} of ${name}`, () =>
		waitUntilFunctionUpdatedV2(waiterOptions(context, lambda(context)), {FunctionName: name}),
	);
}

/** Does the deployed code differ from the desired code (or architecture)? */
function codeChanged(
	current: GetFunctionCommandOutput,
	desired: DesiredCode,
	spec: LambdaSpec,
	previous: StateResource | undefined,
): boolean {
	if ((current.Configuration?.Architectures?.[0] ?? 'x86_64') !== spec.architecture) return true;
	switch (desired.form) {
		case 'zip':
			return current.Configuration?.CodeSha256 !== desired.package.sha256;
		case 'image':
			return current.Code?.ImageUri !== desired.uri;
		case 's3': {
			// An unversioned key may hold new content under the same name: redeploy it.
			if (desired.version === undefined) return true;
			const before = previous?.inputs.code as LambdaCode | undefined;
			return before?.s3Bucket !== desired.bucket || before?.s3Key !== desired.key || before?.s3ObjectVersion !== desired.version;
		}
	}
}

const sortedIds = (ids: readonly string[] | undefined) => [...(ids ?? [])].sort();

/** Does the function's configuration differ from `wanted`? (LoggingConfig only where AWS reports it.) */
function configurationChanged(current: FunctionConfiguration, wanted: UpdateFunctionConfigurationCommandInput): boolean {
	const differences = [
		current.Role !== wanted.Role,
		current.MemorySize !== wanted.MemorySize,
		current.Timeout !== wanted.Timeout,
		canonicalJson(current.Environment?.Variables ?? {}) !== canonicalJson(wanted.Environment?.Variables ?? {}),
		canonicalJson(sortedIds(current.VpcConfig?.SubnetIds)) !== canonicalJson(sortedIds(wanted.VpcConfig?.SubnetIds)),
		canonicalJson(sortedIds(current.VpcConfig?.SecurityGroupIds)) !== canonicalJson(sortedIds(wanted.VpcConfig?.SecurityGroupIds)),
		current.LoggingConfig !== undefined && current.LoggingConfig.LogGroup !== wanted.LoggingConfig?.LogGroup,
		wanted.Runtime !== undefined && current.Runtime !== wanted.Runtime,
		wanted.Handler !== undefined && current.Handler !== wanted.Handler,
	];
	return differences.some(Boolean);
}

/** Code first, then configuration, each only when it changed, never both in flight. */
export async function updateFunction(
	context: ResourceContext,
	spec: LambdaSpec,
	desired: DesiredFunction,
	roleArn: string,
	current: GetFunctionCommandOutput,
	previous: StateResource | undefined,
): Promise<void> {
	const name = functionName(context);
	if (current.Configuration?.LastUpdateStatus === 'InProgress') await waitUntilUpdated(context, 'an earlier update');
	if (codeChanged(current, desired.code, spec, previous)) {
		context.progress(`updating code of ${name}`);
		await awsCall(context, `Lambda UpdateFunctionCode ${name}`, (options) =>
			lambda(context).send(
				new UpdateFunctionCodeCommand({
					FunctionName: name,
					...codeLocation(desired.code),
					Architectures: [spec.architecture],
					Publish: false,
				}),
				options,
			),
		);
		await waitUntilUpdated(context, 'the code update');
	}
	const wanted = configuration(context, spec, desired, roleArn);
	if (current.Configuration && configurationChanged(current.Configuration, wanted)) {
		context.progress(`updating configuration of ${name}`);
		await awsCall(
			context,
			`Lambda UpdateFunctionConfiguration ${name}`,
			(options) => lambda(context).send(new UpdateFunctionConfigurationCommand(wanted), options),
			iamPropagation("waiting for the role's new permissions to propagate"),
		);
		await waitUntilUpdated(context, 'the configuration update');
	}
}

export async function syncReservedConcurrency(context: ResourceContext, spec: LambdaSpec, isNew: boolean): Promise<void> {
	const name = functionName(context);
	const wanted = spec.reservedConcurrentExecutions;
	const current = isNew
		? undefined
		: (
				await awsCall(context, `Lambda GetFunctionConcurrency ${name}`, (options) =>
					lambda(context).send(new GetFunctionConcurrencyCommand({FunctionName: name}), options),
				)
			).ReservedConcurrentExecutions;
	if (wanted === current) return;
	if (wanted === undefined)
		await awsCall(context, `Lambda DeleteFunctionConcurrency ${name}`, (options) =>
			lambda(context).send(new DeleteFunctionConcurrencyCommand({FunctionName: name}), options),
		);
	else
		await awsCall(context, `Lambda PutFunctionConcurrency ${name}`, (options) =>
			lambda(context).send(new PutFunctionConcurrencyCommand({FunctionName: name, ReservedConcurrentExecutions: wanted}), options),
		);
}

export async function syncFunctionTags(context: ResourceContext, functionArn: string, current: Record<string, string>): Promise<void> {
	const ours = Object.fromEntries(Object.entries(current).filter(([key]) => !key.startsWith('aws:')));
	const changes = tagChanges(ours, context.tags);
	if (changes.remove.length > 0)
		await awsCall(context, `Lambda UntagResource ${functionArn}`, (options) =>
			lambda(context).send(new UntagResourceCommand({Resource: functionArn, TagKeys: changes.remove}), options),
		);
	if (Object.keys(changes.set).length > 0)
		await awsCall(context, `Lambda TagResource ${functionArn}`, (options) =>
			lambda(context).send(new TagResourceCommand({Resource: functionArn, Tags: changes.set}), options),
		);
}
