/**
 * Triggers: SQS event source mappings found by queue ARN (created, changed in place once settled,
 * deleted when their trigger is gone) and schedule rules on the default bus with the function as
 * their only target and an invoke permission for the rule.
 */
import {
	CreateEventSourceMappingCommand,
	DeleteEventSourceMappingCommand,
	type EventSourceMappingConfiguration,
	GetEventSourceMappingCommand,
	LambdaClient,
	ListEventSourceMappingsCommand,
	UpdateEventSourceMappingCommand,
} from '@aws-sdk/client-lambda';
import {awsCall, awsCallUnlessMissing} from '../../aws/call.js';
import {defaultEventBus, deleteRule, putRule, putTargets, removeTargets, ruleArnOf, ruleTargets} from '../../providers/event-rules.js';
import {allowRuleToInvoke, revokeRuleInvoke} from '../../providers/lambda-permissions.js';
import type {ResourceContext} from '../../providers/provider.js';
import {pollUntil} from '../../providers/wait.js';
import type {ScheduleTrigger, SqsTrigger} from './desired.js';
import {iamPropagation} from './function.js';
import {functionMissing, functionName, functionTargetId, lambda, mappingInTransition, triggerNamePrefix} from './shared.js';

/** Every event source mapping of the function (paginated); none when the function is gone. */
export function eventSourceMappings(context: ResourceContext): Promise<EventSourceMappingConfiguration[]> {
	return eventSourceMappingsOf(context, functionName(context));
}

/** Every event source mapping of the function named `name` (paginated); none when it is gone. */
export async function eventSourceMappingsOf(
	context: Pick<ResourceContext, 'clients' | 'signal'>,
	name: string,
): Promise<EventSourceMappingConfiguration[]> {
	const mappings: EventSourceMappingConfiguration[] = [];
	let marker: string | undefined;
	do {
		const page = await awsCallUnlessMissing(context, `Lambda ListEventSourceMappings ${name}`, functionMissing, (options) =>
			context.clients
				.get(LambdaClient)
				.send(new ListEventSourceMappingsCommand({FunctionName: name, ...(marker ? {Marker: marker} : {})}), options),
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

export async function deleteMapping(context: ResourceContext, mapping: EventSourceMappingConfiguration): Promise<void> {
	context.progress(`removing the trigger on ${mapping.EventSourceArn}`);
	await awsCallUnlessMissing(context, `Lambda DeleteEventSourceMapping ${mapping.UUID}`, functionMissing, (options) =>
		lambda(context).send(new DeleteEventSourceMappingCommand({UUID: mapping.UUID}), options),
	);
}

/** Make the function's event source mappings exactly its sqs triggers, by queue ARN. */
export async function reconcileEventSourceMappings(context: ResourceContext, triggers: readonly SqsTrigger[]): Promise<void> {
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
export function deleteScheduleRule(context: ResourceContext, ruleName: string): Promise<void> {
	context.progress(`deleting schedule rule ${ruleName}`);
	return deleteRule(context, ruleName, defaultEventBus, () =>
		revokeRuleInvoke(context, functionName(context), ruleArnOf(context, ruleName)),
	);
}

/** Each schedule trigger's rule → the function (with permission); rules of removed triggers deleted. */
export async function reconcileScheduleRules(
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
export function scheduleRuleNames(names: Readonly<Record<string, string>>): string[] {
	return Object.entries(names).flatMap(([role, name]) => (role.startsWith(triggerNamePrefix) ? [name] : []));
}
