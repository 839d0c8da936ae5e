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
 *
 * Layout: this module is the provider's five operations; lambda/ holds the rest, one module per
 * concern: shared.ts, desired.ts (the function worked out before anything changes), role.ts (log
 * group and execution role), function.ts (create, update, concurrency, tags) and triggers.ts.
 */
import {
	DeleteFunctionCommand,
	type FunctionConfiguration,
	type GetFunctionCommandOutput,
	GetFunctionConcurrencyCommand,
} from '@aws-sdk/client-lambda';
import {awsCall, awsCallUnlessMissing} from '../aws/call.js';
import {deleteRole} from '../providers/iam-roles.js';
import {deleteLogGroup} from '../providers/log-groups.js';
import {type AppliedResource, type Provider, ProviderError, type ResourceContext} from '../providers/provider.js';
import {isOwnedBy} from '../providers/resource-tags.js';
import type {StateResource} from '../state/state-document.js';
import type {LambdaSpec} from './lambda.js';
import {type DesiredFunction, desiredFunction} from './lambda/desired.js';
import {createFunction, getFunction, ownedFunction, syncFunctionTags, syncReservedConcurrency, updateFunction} from './lambda/function.js';
import {ensureLogGroupAndRole} from './lambda/role.js';
import {functionMissing, functionName, lambda, requiredName} from './lambda/shared.js';
import {
	deleteMapping,
	deleteScheduleRule,
	eventSourceMappings,
	reconcileEventSourceMappings,
	reconcileScheduleRules,
	scheduleRuleNames,
} from './lambda/triggers.js';

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
