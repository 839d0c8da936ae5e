/**
 * Lambda provider: the function with its code, configuration, reserved concurrency and tags; the
 * log group it writes to and the execution role panka makes for it; its triggers (SQS event source
 * mappings, EventBridge schedule rules with their invoke permission). Loaded only when something
 * is applied (lambda.ts points here lazily).
 *
 * Invariants:
 * - Names are the kind's physical names: `primary` (the function), `role`, `logGroup` and
 *   `triggers.N` (the schedule rule of `triggers[N]`). `find` adopts a function only when its
 *   panka:* tags are this component's; `create` refuses a same-named function with other tags and
 *   converges one of its own (a create whose state was lost) through the update path. Every part
 *   (function, role, log group, schedule rules) goes through the ownership rule (`requireOwned`)
 *   before it is adopted, changed, read or deleted.
 * - Everything is checked before anything is changed: the code folder is packaged (lambda-package.ts:
 *   deterministic zip, size limits), environment values must be resolved, a VPC function needs
 *   `context.networking`, and SQS triggers need their queue in `context.references`.
 * - The log group (physicalNames.logGroup, with retention) exists before the function, which logs
 *   to it through LoggingConfig.LogGroup, so AWS never auto-creates an untagged group.
 * - The execution role holds exactly (least privilege, reconciled on every apply by ensureRole):
 *     panka-logs           logs:CreateLogStream + logs:PutLogEvents on this function's log group
 *                          (instead of AWSLambdaBasicExecutionRole's logs:* on every group);
 *     panka-sqs-triggers   sqs:ReceiveMessage, DeleteMessage, GetQueueAttributes and
 *                          ChangeMessageVisibility on the queues of its sqs triggers;
 *     panka-value-sources  what its valueFrom values imply (providers/value-sources.ts: table
 *                          CRUD, SendMessage, Publish, bucket get/put/list, InvokeFunction), from
 *                          `context.valueSources`; nothing when the context has none;
 *     AWSLambdaVPCAccessExecutionRole (AWS-managed) only when `vpc.enabled`.
 *   KMS-encrypted queues with a customer key would also need kms:Decrypt; not granted.
 * - IAM is eventually consistent: a role (or permission) a few seconds old may not be usable by
 *   Lambda yet, so CreateFunction and CreateEventSourceMapping are retried on "cannot be assumed" /
 *   "does not have permissions" errors within `context.wait.maxWaitTime` (at most two minutes;
 *   then AWS's refusal is the error).
 * - Updates: AWS refuses an update while the previous one is in progress, so code and
 *   configuration are never in flight together: wait until the function is updated, then
 *   UpdateFunctionCode (only when the zip's SHA-256 differs from CodeSha256, the image URI or the
 *   architecture changed, or S3 code moved or is not pinned to a version), wait, then
 *   UpdateFunctionConfiguration (only when a field differs), wait.
 * - Triggers are reconciled on create and update: event source mappings are found by queue ARN
 *   (created, changed in place, or deleted when their trigger is gone); each schedule trigger has
 *   its rule (default bus), the function as its only target and an invoke permission for the rule
 *   (providers/lambda-permissions.ts). Rules of triggers no longer in the spec (from
 *   previous.physicalNames) lose the permission, their targets, then the rule.
 * - Delete: event source mappings, schedule rules (permission, targets, rule), the function, the
 *   role, and the log group (deleted: it is this component's, created by panka with a retention
 *   period; `panka logs` cannot show a function that no longer exists). Everything already gone is
 *   success.
 * - Tags are made to match `context.tags` exactly on the function (aws:* tags are AWS's own).
 */
import {resolve} from 'node:path';
import {
	CreateEventSourceMappingCommand,
	CreateFunctionCommand,
	DeleteEventSourceMappingCommand,
	DeleteFunctionCommand,
	DeleteFunctionConcurrencyCommand,
	type EventSourceMappingConfiguration,
	type FunctionCode,
	type FunctionConfiguration,
	GetEventSourceMappingCommand,
	GetFunctionCommand,
	GetFunctionConcurrencyCommand,
	type GetFunctionCommandOutput,
	LambdaClient,
	ListEventSourceMappingsCommand,
	PutFunctionConcurrencyCommand,
	TagResourceCommand,
	UntagResourceCommand,
	UpdateEventSourceMappingCommand,
	UpdateFunctionCodeCommand,
	UpdateFunctionConfigurationCommand,
	type UpdateFunctionConfigurationCommandInput,
	waitUntilFunctionActiveV2,
	waitUntilFunctionUpdatedV2,
} from '@aws-sdk/client-lambda';
import {awsCall, awsCallUnlessMissing, hasAwsErrorCode, type TransientRefusal} from '../aws/call.js';
import {canonicalJson} from '../plan/inputs.js';
import {partitionOf} from '../providers/arn.js';
import {defaultEventBus, deleteRule, putRule, putTargets, removeTargets, ruleArnOf, ruleTargets} from '../providers/event-rules.js';
import {deleteRole, ensureRole, type RoleSpec} from '../providers/iam-roles.js';
import {allowRuleToInvoke, revokeRuleInvoke} from '../providers/lambda-permissions.js';
import {deleteLogGroup, ensureLogGroup} from '../providers/log-groups.js';
import {type AppliedResource, type Provider, ProviderError, type ResourceContext} from '../providers/provider.js';
import {referencedOutput} from '../providers/references.js';
import {isOwnedBy, type OwnershipAction, requireOwned, tagChanges} from '../providers/resource-tags.js';
import {valueSourceStatements} from '../providers/value-sources.js';
import {pollUntil, waiterOptions} from '../providers/wait.js';
import type {StateResource} from '../state/state-document.js';
import type {LambdaCode, LambdaSpec} from './lambda.js';
import {type CodePackage, packageFolder} from './lambda-package.js';

const functionMissing = ['ResourceNotFoundException'];
/** IAM changes usually reach Lambda within seconds; longer means the permission is really missing. */
const iamPropagationSeconds = 120;
const sqsConsumerActions = ['sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ReceiveMessage'];
/** The id of the function in its schedule rules' target lists. */
const functionTargetId = 'function';
const triggerNamePrefix = 'triggers.';
/** Event source mapping states in which AWS refuses an update. */
const mappingInTransition = new Set(['Creating', 'Enabling', 'Disabling', 'Updating']);

function lambda(context: ResourceContext): LambdaClient {
	return context.clients.get(LambdaClient);
}

function functionName(context: ResourceContext): string {
	return context.names.primary!;
}

function requiredName(context: ResourceContext, role: string): string {
	const name = context.names[role];
	if (!name)
		throw new ProviderError(
			`${context.address}: no physical name for ${role} (the Lambda kind's physicalNames must give one)`,
			'MissingName',
		);
	return name;
}

// ---- the desired function, checked before anything changes ----

type DesiredCode =
	| {form: 'zip'; package: CodePackage}
	| {form: 's3'; bucket: string; key: string; version?: string}
	| {form: 'image'; uri: string};

interface SqsTrigger {
	queueArn: string;
	batchSize: number;
	maximumBatchingWindowInSeconds: number;
	enabled: boolean;
}

interface ScheduleTrigger {
	ruleName: string;
	schedule: string;
	description: string;
}

interface DesiredFunction {
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

async function desiredFunction(context: ResourceContext, spec: LambdaSpec): Promise<DesiredFunction> {
	const variables = environmentVariables(context, spec);
	const vpc = vpcConfig(context, spec);
	const triggers = triggersOf(context, spec);
	return {code: await desiredCode(context, spec.code), variables, vpc, ...triggers};
}

// ---- log group and role ----

function roleSpec(context: ResourceContext, spec: LambdaSpec, desired: DesiredFunction, logGroupArn: string): RoleSpec {
	const queues = [...new Set(desired.sqsTriggers.map((trigger) => trigger.queueArn))];
	return {
		name: requiredName(context, 'role'),
		service: 'lambda.amazonaws.com',
		description: `panka: execution role of Lambda ${context.address}`,
		inline: {
			'panka-logs': [{Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: `${logGroupArn}:*`}],
			'panka-sqs-triggers':
				queues.length > 0 ? [{Effect: 'Allow', Action: sqsConsumerActions, Resource: queues.length === 1 ? queues[0]! : queues}] : [],
			'panka-value-sources': valueSourceStatements(context.valueSources),
		},
		managed: spec.vpc?.enabled ? [`arn:${partitionOf(context.region)}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole`] : [],
	};
}

/** The log group, then the role; returns the role ARN. */
async function ensureLogGroupAndRole(context: ResourceContext, spec: LambdaSpec, desired: DesiredFunction): Promise<string> {
	const logGroupArn = await ensureLogGroup(context, requiredName(context, 'logGroup'));
	return ensureRole(context, roleSpec(context, spec, desired, logGroupArn));
}

// ---- the function ----

function getFunction(context: ResourceContext): Promise<GetFunctionCommandOutput | undefined> {
	const name = functionName(context);
	return awsCallUnlessMissing(context, `Lambda GetFunction ${name}`, functionMissing, (options) =>
		lambda(context).send(new GetFunctionCommand({FunctionName: name}), options),
	);
}

/** The function when it exists, after checking it is this component's. */
async function ownedFunction(context: ResourceContext, action: OwnershipAction): Promise<GetFunctionCommandOutput | undefined> {
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
function iamPropagation(phase: string): TransientRefusal {
	return {matches: isIamPropagationError, phase, maxSeconds: iamPropagationSeconds};
}

/** LoggingConfig, memory, timeout, environment, VPC, role, runtime and handler: what UpdateFunctionConfiguration takes. */
function configuration(
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

async function createFunction(
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
async function updateFunction(
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

async function syncReservedConcurrency(context: ResourceContext, spec: LambdaSpec, isNew: boolean): Promise<void> {
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

async function syncFunctionTags(context: ResourceContext, functionArn: string, current: Record<string, string>): Promise<void> {
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

// ---- triggers ----

/** Every event source mapping of the function (paginated); none when the function is gone. */
async function eventSourceMappings(context: ResourceContext): Promise<EventSourceMappingConfiguration[]> {
	const name = functionName(context);
	const mappings: EventSourceMappingConfiguration[] = [];
	let marker: string | undefined;
	do {
		const page = await awsCallUnlessMissing(context, `Lambda ListEventSourceMappings ${name}`, functionMissing, (options) =>
			lambda(context).send(new ListEventSourceMappingsCommand({FunctionName: name, ...(marker ? {Marker: marker} : {})}), options),
		);
		if (!page) return mappings;
		mappings.push(...(page.EventSourceMappings ?? []));
		marker = page.NextMarker;
	} while (marker);
	return mappings;
}

function mappingDiffers(mapping: EventSourceMappingConfiguration, trigger: SqsTrigger): boolean {
	const enabled = mapping.State === 'Enabled' || mapping.State === 'Enabling';
	return (
		mapping.BatchSize !== trigger.batchSize ||
		(mapping.MaximumBatchingWindowInSeconds ?? 0) !== trigger.maximumBatchingWindowInSeconds ||
		enabled !== trigger.enabled
	);
}

/** Wait while AWS is still creating or changing the mapping (it refuses updates meanwhile). */
async function settledMapping(
	context: ResourceContext,
	mapping: EventSourceMappingConfiguration,
): Promise<EventSourceMappingConfiguration> {
	if (!mappingInTransition.has(mapping.State ?? '')) return mapping;
	context.progress(`waiting for the event source mapping of ${mapping.EventSourceArn} to settle`);
	return pollUntil(context, `event source mapping ${mapping.UUID} to settle`, async () => {
		const current = await awsCall(context, `Lambda GetEventSourceMapping ${mapping.UUID}`, (options) =>
			lambda(context).send(new GetEventSourceMappingCommand({UUID: mapping.UUID}), options),
		);
		return mappingInTransition.has(current.State ?? '') ? undefined : current;
	});
}

async function deleteMapping(context: ResourceContext, mapping: EventSourceMappingConfiguration): Promise<void> {
	context.progress(`removing the trigger on ${mapping.EventSourceArn}`);
	await awsCallUnlessMissing(context, `Lambda DeleteEventSourceMapping ${mapping.UUID}`, functionMissing, (options) =>
		lambda(context).send(new DeleteEventSourceMappingCommand({UUID: mapping.UUID}), options),
	);
}

/** Make the function's event source mappings exactly its sqs triggers, by queue ARN. */
async function reconcileEventSourceMappings(context: ResourceContext, triggers: readonly SqsTrigger[]): Promise<void> {
	const name = functionName(context);
	const current = (await eventSourceMappings(context)).filter((mapping) => mapping.State !== 'Deleting');
	const wanted = new Set(triggers.map((trigger) => trigger.queueArn));
	for (const mapping of current) if (!wanted.has(mapping.EventSourceArn ?? '')) await deleteMapping(context, mapping);
	for (const trigger of triggers) {
		const settings = {
			BatchSize: trigger.batchSize,
			MaximumBatchingWindowInSeconds: trigger.maximumBatchingWindowInSeconds,
			Enabled: trigger.enabled,
		};
		const existing = current.find((mapping) => mapping.EventSourceArn === trigger.queueArn);
		if (!existing) {
			context.progress(`adding the trigger on ${trigger.queueArn}`);
			await awsCall(
				context,
				`Lambda CreateEventSourceMapping ${name} ${trigger.queueArn}`,
				(options) =>
					lambda(context).send(
						new CreateEventSourceMappingCommand({FunctionName: name, EventSourceArn: trigger.queueArn, ...settings}),
						options,
					),
				iamPropagation("waiting for the role's new permissions to propagate"),
			);
		} else if (mappingDiffers(existing, trigger)) {
			const mapping = await settledMapping(context, existing);
			if (!mappingDiffers(mapping, trigger)) continue;
			context.progress(`updating the trigger on ${trigger.queueArn}`);
			await awsCall(context, `Lambda UpdateEventSourceMapping ${mapping.UUID}`, (options) =>
				lambda(context).send(new UpdateEventSourceMappingCommand({UUID: mapping.UUID, FunctionName: name, ...settings}), options),
			);
		}
	}
}

/** Revoke the rule's invoke permission, remove its targets, delete it. */
function deleteScheduleRule(context: ResourceContext, ruleName: string): Promise<void> {
	context.progress(`deleting schedule rule ${ruleName}`);
	return deleteRule(context, ruleName, defaultEventBus, () =>
		revokeRuleInvoke(context, functionName(context), ruleArnOf(context, ruleName)),
	);
}

/** Each schedule trigger's rule → the function (with permission); rules of removed triggers deleted. */
async function reconcileScheduleRules(
	context: ResourceContext,
	functionArn: string,
	triggers: readonly ScheduleTrigger[],
	previousRuleNames: readonly string[],
): Promise<void> {
	const wanted = new Set(triggers.map((trigger) => trigger.ruleName));
	for (const ruleName of previousRuleNames) if (!wanted.has(ruleName)) await deleteScheduleRule(context, ruleName);
	for (const trigger of triggers) {
		context.progress(`scheduling ${trigger.schedule} with rule ${trigger.ruleName}`);
		const ruleArn = await putRule(context, {
			name: trigger.ruleName,
			eventBus: defaultEventBus,
			schedule: trigger.schedule,
			description: trigger.description,
			enabled: true,
		});
		await allowRuleToInvoke(context, functionName(context), ruleArn);
		await putTargets(context, trigger.ruleName, defaultEventBus, [{Id: functionTargetId, Arn: functionArn}]);
		const strays = ((await ruleTargets(context, trigger.ruleName, defaultEventBus)) ?? []).flatMap((target) =>
			target.Id && target.Id !== functionTargetId ? [target.Id] : [],
		);
		await removeTargets(context, trigger.ruleName, defaultEventBus, strays);
	}
}

/** Rule names of schedule triggers in a set of physical names. */
function scheduleRuleNames(names: Readonly<Record<string, string>>): string[] {
	return Object.entries(names).flatMap(([role, name]) => (role.startsWith(triggerNamePrefix) ? [name] : []));
}

// ---- the provider ----

function outputs(context: ResourceContext, configuration: FunctionConfiguration | undefined): AppliedResource {
	const functionArn = configuration?.FunctionArn ?? '';
	return {
		physicalId: functionArn,
		outputs: {
			functionArn,
			functionName: functionName(context),
			logGroup: requiredName(context, 'logGroup'),
			roleArn: configuration?.Role ?? '',
		},
	};
}

/** Converge an existing function (ours) and its triggers to the spec. */
async function converge(
	context: ResourceContext,
	spec: LambdaSpec,
	desired: DesiredFunction,
	current: GetFunctionCommandOutput,
	previous: StateResource | undefined,
): Promise<AppliedResource> {
	const roleArn = await ensureLogGroupAndRole(context, spec, desired);
	await updateFunction(context, spec, desired, roleArn, current, previous);
	const functionArn = current.Configuration?.FunctionArn ?? '';
	await syncReservedConcurrency(context, spec, false);
	await syncFunctionTags(context, functionArn, current.Tags ?? {});
	await reconcileEventSourceMappings(context, desired.sqsTriggers);
	await reconcileScheduleRules(context, functionArn, desired.scheduleTriggers, [
		...new Set([...scheduleRuleNames(previous?.physicalNames ?? {}), ...scheduleRuleNames(context.names)]),
	]);
	return outputs(context, {...current.Configuration, Role: roleArn});
}

export const lambdaProvider: Provider<LambdaSpec> = {
	async create(context, spec) {
		const desired = await desiredFunction(context, spec);
		const existing = await ownedFunction(context, 'adopt');
		if (existing) return converge(context, spec, desired, existing, undefined);
		const roleArn = await ensureLogGroupAndRole(context, spec, desired);
		const created = await createFunction(context, spec, desired, roleArn);
		await syncReservedConcurrency(context, spec, true);
		await reconcileEventSourceMappings(context, desired.sqsTriggers);
		await reconcileScheduleRules(context, created.FunctionArn ?? '', desired.scheduleTriggers, []);
		return outputs(context, {...created, Role: roleArn});
	},

	async update(context, spec, previous) {
		const desired = await desiredFunction(context, spec);
		const current = await ownedFunction(context, 'change');
		if (!current)
			throw new ProviderError(
				`Lambda function ${functionName(context)} does not exist (deleted outside panka?): run panka plan --refresh`,
				'NotFound',
			);
		return converge(context, spec, desired, current, previous);
	},

	async delete(context) {
		// The mappings belong to the function: nothing is touched when it is someone else's.
		await ownedFunction(context, 'delete');
		for (const mapping of await eventSourceMappings(context)) await deleteMapping(context, mapping);
		for (const ruleName of scheduleRuleNames(context.names)) await deleteScheduleRule(context, ruleName);
		const name = functionName(context);
		context.progress(`deleting function ${name}`);
		await awsCallUnlessMissing(context, `Lambda DeleteFunction ${name}`, functionMissing, (options) =>
			lambda(context).send(new DeleteFunctionCommand({FunctionName: name}), options),
		);
		if (context.names.role) await deleteRole(context, context.names.role);
		if (context.names.logGroup) await deleteLogGroup(context, context.names.logGroup);
	},

	async read(context, previous) {
		const current = await ownedFunction(context, 'read');
		if (!current?.Configuration) return {exists: false};
		const configuration = current.Configuration;
		const name = functionName(context);
		const {ReservedConcurrentExecutions} = await awsCall(context, `Lambda GetFunctionConcurrency ${name}`, (options) =>
			lambda(context).send(new GetFunctionConcurrencyCommand({FunctionName: name}), options),
		);
		const isZip = (configuration.PackageType ?? 'Zip') === 'Zip';
		return {
			exists: true,
			physicalId: configuration.FunctionArn ?? previous.physicalId,
			outputs: {...previous.outputs, ...outputs(context, configuration).outputs},
			// Keys are spec paths. Environment values are left out: they may be secrets, and the
			// state records valueFrom references, not the values AWS holds.
			observed: {
				packageType: configuration.PackageType ?? 'Zip',
				...(isZip ? {runtime: configuration.Runtime, handler: configuration.Handler} : {}),
				memory: configuration.MemorySize,
				timeout: configuration.Timeout,
				architecture: configuration.Architectures?.[0] ?? 'x86_64',
				'vpc.enabled': (configuration.VpcConfig?.SubnetIds ?? []).length > 0,
				reservedConcurrentExecutions: ReservedConcurrentExecutions,
			},
		};
	},

	async find(context) {
		const current = await getFunction(context);
		if (!current?.Configuration || !isOwnedBy(current.Tags ?? {}, context.tags)) return undefined;
		return outputs(context, current.Configuration);
	},
};
