/**
 * EventBridge provider: one rule (a schedule or an event pattern, on its event bus) with
 * components of the stack as targets, and the grants that let the rule deliver to them. Loaded
 * only when something is applied (eventbridge.ts points here lazily).
 *
 * Invariants:
 * - The rule name is the kind's physical name; `find` adopts a rule only when its panka:* tags
 *   are this component's, and a same-named rule with other tags is never modified. PutRule
 *   replaces the whole definition, so create and update are the same convergence.
 * - Targets name components; their ARNs come from `context.references`, and the kind of target
 *   from the outputs it has: `functionArn` (Lambda), `topicArn` (SNS), `arn` + `queueUrl` (SQS).
 * - Each target gets exactly one grant, keyed by the rule ARN (Sid `PankaEvents<hash>`,
 *   providers/event-rules.ts `ruleStatementSid`): a Lambda invoke permission for
 *   events.amazonaws.com with SourceArn = the rule (providers/lambda-permissions.ts), or a
 *   statement in the queue's or topic's policy allowing events.amazonaws.com sqs:SendMessage /
 *   sns:Publish with aws:SourceArn = the rule, merged with the statements already there
 *   (providers/resource-policies.ts, shared with the SNS provider's queue statements).
 * - Grants come before targets: a target is only added once it can be delivered to, and a
 *   target's grant is revoked while the target is still listed on the rule, then the target is
 *   removed. So a crash at any point leaves every granted-but-unwanted target findable through
 *   ListTargetsByRule by the next run, and never a stale grant that nothing lists. (EventBridge
 *   drops what a rule cannot deliver; a target being removed losing its grant a moment early
 *   loses nothing that was wanted.)
 * - Removing a target updates the rule in place: grant revoked (unless another target of the
 *   rule still delivers to the same ARN), RemoveTargets. Targets whose id stays but whose
 *   component changed are replaced by PutTargets and the old ARN's grant revoked.
 * - FIFO queue targets get SqsParameters.MessageGroupId = the target id (AWS requires a group).
 * - Delete: grants revoked, targets removed, rule deleted (EventBridge refuses to delete a rule
 *   with targets); everything already gone is success.
 */
import type {Target} from '@aws-sdk/client-eventbridge';
import {parseArn} from '../providers/arn.js';
import {
	deleteRule,
	describeRule,
	ownedRule,
	putRule,
	putTargets,
	removeTargets,
	type RuleDefinition,
	ruleArnOf,
	ruleStatementSid,
	ruleTags,
	ruleTargets,
} from '../providers/event-rules.js';
import {allowRuleToInvoke, revokeRuleInvoke} from '../providers/lambda-permissions.js';
import {type AppliedResource, type Provider, ProviderError, type ResourceContext} from '../providers/provider.js';
import {optionalReferencedOutput, referencedOutput} from '../providers/references.js';
import {
	putQueueStatement,
	putTopicStatement,
	type QueueRef,
	queueUrlOf,
	removeQueueStatement,
	removeTopicStatement,
	serviceStatement,
} from '../providers/resource-policies.js';
import {isOwnedBy} from '../providers/resource-tags.js';
import type {StateResource} from '../state/state-document.js';
import type {EventBridgeSpec} from './eventbridge.js';

const eventsPrincipal = 'events.amazonaws.com';

type DesiredTarget = {id: string; component: string; arn: string; input?: string; inputPath?: string} & (
	| {kind: 'Lambda'}
	| {kind: 'SNS'}
	| {kind: 'SQS'; queue: QueueRef}
);

function ruleName(context: ResourceContext): string {
	return context.names.primary!;
}

function ruleDefinition(context: ResourceContext, spec: EventBridgeSpec): RuleDefinition {
	return {
		name: ruleName(context),
		eventBus: spec.eventBus,
		...(spec.schedule !== undefined ? {schedule: spec.schedule} : {}),
		...(spec.eventPattern !== undefined ? {eventPattern: JSON.stringify(spec.eventPattern)} : {}),
		...(spec.description !== undefined ? {description: spec.description} : {}),
		enabled: spec.enabled,
	};
}

/** The target's ARN and kind, from the referenced component's outputs. */
async function desiredTarget(context: ResourceContext, target: EventBridgeSpec['targets'][number], index: number): Promise<DesiredTarget> {
	const usedFor = `EventBridge target ${index + 1} (${target.component})`;
	const base = {
		id: target.id,
		component: target.component,
		...(target.input !== undefined ? {input: target.input} : {}),
		...(target.inputPath !== undefined ? {inputPath: target.inputPath} : {}),
	};
	const functionArn = optionalReferencedOutput(context, target.component, 'functionArn');
	if (functionArn) return {...base, kind: 'Lambda', arn: functionArn};
	const topicArn = optionalReferencedOutput(context, target.component, 'topicArn');
	if (topicArn) return {...base, kind: 'SNS', arn: topicArn};
	const queueUrl = optionalReferencedOutput(context, target.component, 'queueUrl');
	const queueArn = referencedOutput(context, target.component, 'arn', usedFor);
	if (parseArn(queueArn)?.service !== 'sqs')
		throw new ProviderError(
			`${usedFor}: component ${target.component} is not a Lambda, SQS or SNS component (no functionArn, queue ARN or topicArn output)`,
			'InvalidTarget',
		);
	return {...base, kind: 'SQS', arn: queueArn, queue: {arn: queueArn, url: queueUrl ?? (await queueUrlOf(context, queueArn, usedFor))}};
}

function apiTarget(target: DesiredTarget): Target {
	return {
		Id: target.id,
		Arn: target.arn,
		...(target.input !== undefined ? {Input: target.input} : {}),
		...(target.inputPath !== undefined ? {InputPath: target.inputPath} : {}),
		...(target.kind === 'SQS' && target.arn.endsWith('.fifo') ? {SqsParameters: {MessageGroupId: target.id}} : {}),
	};
}

/** Let the rule deliver to the target. */
async function grant(context: ResourceContext, ruleArn: string, target: DesiredTarget): Promise<void> {
	const sid = ruleStatementSid(ruleArn);
	switch (target.kind) {
		case 'Lambda':
			return allowRuleToInvoke(context, target.arn, ruleArn);
		case 'SQS':
			return putQueueStatement(
				context,
				target.queue,
				serviceStatement({sid, service: eventsPrincipal, action: 'sqs:SendMessage', resource: target.arn, sourceArn: ruleArn}),
			);
		case 'SNS':
			return putTopicStatement(
				context,
				target.arn,
				serviceStatement({sid, service: eventsPrincipal, action: 'sns:Publish', resource: target.arn, sourceArn: ruleArn}),
			);
	}
}

/** Revoke what the rule was granted on the resource at `arn` (by the ARN's service); gone is fine. */
async function revoke(context: ResourceContext, ruleArn: string, arn: string): Promise<void> {
	context.progress(`revoking the rule's access to ${arn}`);
	switch (parseArn(arn)?.service) {
		case 'lambda':
			return revokeRuleInvoke(context, arn, ruleArn);
		case 'sqs':
			return removeQueueStatement(context, arn, ruleStatementSid(ruleArn));
		case 'sns':
			return removeTopicStatement(context, arn, ruleStatementSid(ruleArn));
	}
}

/** Make the rule's targets exactly the spec's, grants first (see the module header). */
async function reconcileTargets(context: ResourceContext, spec: EventBridgeSpec, ruleArn: string): Promise<void> {
	const name = ruleName(context);
	const desired = await Promise.all(spec.targets.map((target, index) => desiredTarget(context, target, index)));
	const current = (await ruleTargets(context, name, spec.eventBus)) ?? [];
	for (const target of desired) {
		context.progress(`allowing the rule to deliver to ${target.component}`);
		await grant(context, ruleArn, target);
	}
	const desiredArns = new Set(desired.map((target) => target.arn));
	const replaced = current.filter((target) => !desired.some((wanted) => wanted.id === target.Id && wanted.arn === target.Arn));
	for (const target of replaced) if (target.Arn && !desiredArns.has(target.Arn)) await revoke(context, ruleArn, target.Arn);
	const desiredIds = new Set(desired.map((target) => target.id));
	await removeTargets(
		context,
		name,
		spec.eventBus,
		current.flatMap((target) => (target.Id && !desiredIds.has(target.Id) ? [target.Id] : [])),
	);
	await putTargets(context, name, spec.eventBus, desired.map(apiTarget));
}

async function converge(context: ResourceContext, spec: EventBridgeSpec, action: 'adopt' | 'change'): Promise<AppliedResource> {
	const name = ruleName(context);
	context.progress(`putting rule ${name}`);
	const ruleArn = await putRule(context, ruleDefinition(context, spec), action);
	await reconcileTargets(context, spec, ruleArn);
	return {physicalId: ruleArn, outputs: {ruleArn, ruleName: name}};
}

/** The bus the recorded rule lives on (`eventBus` is a replace, so it never changes under a rule). */
export function recordedBus(previous: StateResource): string {
	const bus = previous.inputs.eventBus;
	return typeof bus === 'string' && bus !== '' ? bus : 'default';
}

/** The referenced component whose ARN this is, for reading targets back as the spec writes them. */
function componentWithArn(context: ResourceContext, arn: string): string | undefined {
	return Object.entries(context.references ?? {}).find(
		([, outputs]) => outputs.functionArn === arn || outputs.topicArn === arn || outputs.arn === arn,
	)?.[0];
}

export const eventBridgeProvider: Provider<EventBridgeSpec> = {
	create: (context, spec) => converge(context, spec, 'adopt'),

	update: (context, spec) => converge(context, spec, 'change'),

	async delete(context, previous) {
		const name = ruleName(context);
		const bus = recordedBus(previous);
		const ruleArn = ruleArnOf(context, name, bus);
		context.progress(`deleting rule ${name}`);
		await deleteRule(context, name, bus, async (targets) => {
			for (const arn of new Set(targets.flatMap((target) => target.Arn ?? []))) await revoke(context, ruleArn, arn);
		});
	},

	async read(context, previous) {
		const name = ruleName(context);
		const bus = recordedBus(previous);
		const rule = await ownedRule(context, name, bus, 'read');
		if (!rule) return {exists: false};
		const ruleArn = rule.Arn ?? ruleArnOf(context, name, bus);
		const targets = (await ruleTargets(context, name, bus)) ?? [];
		return {
			exists: true,
			physicalId: ruleArn,
			outputs: {...previous.outputs, ruleArn, ruleName: name},
			// Keys are spec paths; `[]` marks a list observed by its elements' identities.
			observed: {
				...(rule.ScheduleExpression ? {schedule: rule.ScheduleExpression} : {}),
				...(rule.EventPattern ? {eventPattern: JSON.parse(rule.EventPattern)} : {}),
				description: rule.Description,
				enabled: rule.State === 'ENABLED',
				'targets[].id': targets.map((target) => target.Id),
				'targets[].component': targets.map((target) => componentWithArn(context, target.Arn ?? '') ?? target.Arn),
			},
		};
	},

	async find(context, spec) {
		const name = ruleName(context);
		if (!(await describeRule(context, name, spec.eventBus))) return undefined;
		const ruleArn = ruleArnOf(context, name, spec.eventBus);
		const tags = await ruleTags(context, ruleArn);
		return tags && isOwnedBy(tags, context.tags) ? {physicalId: ruleArn, outputs: {ruleArn, ruleName: name}} : undefined;
	},
};
