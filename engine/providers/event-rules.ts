/**
 * EventBridge rules as providers make them: the EventBridge kind's rule and the schedule rules of
 * Lambda triggers. One module, so every rule is created, tagged, targeted and deleted the same way.
 *
 * Invariants:
 * - PutRule replaces the whole rule definition (schedule or pattern, description, state): what
 *   is not passed is removed, so callers always pass everything. Tags go with PutRule on create
 *   (so `find` can adopt a rule whose create crashed) and are made to match exactly afterwards.
 * - A same-named rule whose panka tags name another owner is never adopted, modified, read or
 *   deleted (`ownedRule`, through the ownership rule of resource-tags.ts).
 * - PutTargets and RemoveTargets report per-entry failures in a 200 response; any failed entry
 *   is an error here.
 * - Deleting a rule removes its targets first (EventBridge refuses to delete a rule that has
 *   targets), after the caller revoked what the targets were granted (Lambda permissions, queue
 *   and topic policy statements) while they are still listed; a rule already gone is success.
 */
import {
	DeleteRuleCommand,
	DescribeRuleCommand,
	ListRulesCommand,
	type DescribeRuleCommandOutput,
	EventBridgeClient,
	ListTagsForResourceCommand,
	ListTargetsByRuleCommand,
	PutRuleCommand,
	PutTargetsCommand,
	RemoveTargetsCommand,
	TagResourceCommand,
	type Target,
	UntagResourceCommand,
} from '@aws-sdk/client-eventbridge';
import {awsCall, awsCallUnlessMissing} from '../aws/call.js';
import {allPages, candidates, continuing, type LeftoverSweep} from '../kinds/leftovers.js';
import {partitionOf} from './arn.js';
import {ProviderError, type ResourceContext} from './provider.js';
import {sourceStatementSid} from './resource-policies.js';
import {fromTagList, type OwnershipAction, requireOwned, tagChanges, toTagList} from './resource-tags.js';

type RuleContext = Pick<ResourceContext, 'clients' | 'signal' | 'tags' | 'region' | 'accountId'>;
/** What reading a rule's tags or targets, or removing targets, needs. */
type RuleCallContext = Pick<ResourceContext, 'clients' | 'signal'>;

export const defaultEventBus = 'default';
export const ruleMissing = ['ResourceNotFoundException'];

export interface RuleDefinition {
	name: string;
	/** Bus name or ARN. */
	eventBus: string;
	schedule?: string;
	/** JSON text. */
	eventPattern?: string;
	description?: string;
	enabled: boolean;
}

function events(context: Pick<ResourceContext, 'clients'>): EventBridgeClient {
	return context.clients.get(EventBridgeClient);
}

/**
 * The Sid of the statement that lets a rule deliver to a target (Lambda permission, queue or
 * topic policy statement): `PankaEvents<hash of the rule ARN>`.
 */
export function ruleStatementSid(ruleArn: string): string {
	return sourceStatementSid('PankaEvents', ruleArn);
}

/** `orders` or `arn:aws:events:…:event-bus/orders` → `orders`. */
export function eventBusName(eventBus: string): string {
	const marker = ':event-bus/';
	const at = eventBus.indexOf(marker);
	return at === -1 ? eventBus : eventBus.slice(at + marker.length);
}

/** The rule's ARN, known before it exists: `rule/{name}` on the default bus, else `rule/{bus}/{name}`. */
export function ruleArnOf(context: Pick<ResourceContext, 'region' | 'accountId'>, name: string, eventBus = defaultEventBus): string {
	const bus = eventBusName(eventBus);
	return `arn:${partitionOf(context.region)}:events:${context.region}:${context.accountId}:rule/${bus === defaultEventBus ? '' : `${bus}/`}${name}`;
}

export function describeRule(context: RuleContext, name: string, eventBus: string): Promise<DescribeRuleCommandOutput | undefined> {
	return awsCallUnlessMissing(context, `EventBridge DescribeRule ${name}`, ruleMissing, (options) =>
		events(context).send(new DescribeRuleCommand({Name: name, EventBusName: eventBus}), options),
	);
}

/** The rule's tags, or undefined when there is no such rule. */
export async function ruleTags(context: RuleCallContext, ruleArn: string): Promise<Record<string, string> | undefined> {
	const listed = await awsCallUnlessMissing(context, `EventBridge ListTagsForResource ${ruleArn}`, ruleMissing, (options) =>
		events(context).send(new ListTagsForResourceCommand({ResourceARN: ruleArn}), options),
	);
	return listed ? fromTagList(listed.Tags) : undefined;
}

/** The rule when it exists, after refusing one that another component (or no panka component) owns. */
export async function ownedRule(
	context: RuleContext,
	name: string,
	eventBus: string,
	action: OwnershipAction,
): Promise<DescribeRuleCommandOutput | undefined> {
	const rule = await describeRule(context, name, eventBus);
	if (rule)
		requireOwned((await ruleTags(context, ruleArnOf(context, name, eventBus))) ?? {}, context.tags, action, `EventBridge rule ${name}`);
	return rule;
}

/** Create or replace the rule definition and make its tags exact; returns the rule ARN. */
export async function putRule(context: RuleContext, rule: RuleDefinition, action: 'adopt' | 'change' = 'adopt'): Promise<string> {
	const existed = (await ownedRule(context, rule.name, rule.eventBus, action)) !== undefined;
	const {RuleArn} = await awsCall(context, `EventBridge PutRule ${rule.name}`, (options) =>
		events(context).send(
			new PutRuleCommand({
				Name: rule.name,
				EventBusName: rule.eventBus,
				...(rule.schedule !== undefined ? {ScheduleExpression: rule.schedule} : {}),
				...(rule.eventPattern !== undefined ? {EventPattern: rule.eventPattern} : {}),
				...(rule.description !== undefined ? {Description: rule.description} : {}),
				State: rule.enabled ? 'ENABLED' : 'DISABLED',
				...(existed ? {} : {Tags: toTagList(context.tags)}),
			}),
			options,
		),
	);
	const ruleArn = RuleArn ?? ruleArnOf(context, rule.name, rule.eventBus);
	if (existed) await syncRuleTags(context, ruleArn);
	return ruleArn;
}

async function syncRuleTags(context: RuleContext, ruleArn: string): Promise<void> {
	const changes = tagChanges((await ruleTags(context, ruleArn)) ?? {}, context.tags);
	if (changes.remove.length > 0)
		await awsCall(context, `EventBridge UntagResource ${ruleArn}`, (options) =>
			events(context).send(new UntagResourceCommand({ResourceARN: ruleArn, TagKeys: changes.remove}), options),
		);
	if (Object.keys(changes.set).length > 0)
		await awsCall(context, `EventBridge TagResource ${ruleArn}`, (options) =>
			events(context).send(new TagResourceCommand({ResourceARN: ruleArn, Tags: toTagList(changes.set)}), options),
		);
}

/** Every target of the rule (paginated), or undefined when the rule is gone. */
export async function ruleTargets(context: RuleCallContext, name: string, eventBus: string): Promise<Target[] | undefined> {
	const targets: Target[] = [];
	let nextToken: string | undefined;
	do {
		const page = await awsCallUnlessMissing(context, `EventBridge ListTargetsByRule ${name}`, ruleMissing, (options) =>
			events(context).send(
				new ListTargetsByRuleCommand({Rule: name, EventBusName: eventBus, ...(nextToken ? {NextToken: nextToken} : {})}),
				options,
			),
		);
		if (!page) return undefined;
		targets.push(...(page.Targets ?? []));
		nextToken = page.NextToken;
	} while (nextToken);
	return targets;
}

function failedEntries(
	action: string,
	count: number | undefined,
	entries: readonly {TargetId?: string; ErrorCode?: string; ErrorMessage?: string}[] | undefined,
): void {
	if (!count) return;
	const reasons = (entries ?? []).map((entry) => `${entry.TargetId}: ${entry.ErrorCode} ${entry.ErrorMessage ?? ''}`.trim()).join('; ');
	throw new ProviderError(`${action}: ${count} target(s) failed: ${reasons}`, (entries ?? [])[0]?.ErrorCode ?? 'FailedEntries');
}

/** Add or replace targets (by Id). */
export async function putTargets(context: RuleContext, name: string, eventBus: string, targets: readonly Target[]): Promise<void> {
	if (targets.length === 0) return;
	const action = `EventBridge PutTargets ${name}`;
	const result = await awsCall(context, action, (options) =>
		events(context).send(new PutTargetsCommand({Rule: name, EventBusName: eventBus, Targets: [...targets]}), options),
	);
	failedEntries(action, result.FailedEntryCount, result.FailedEntries);
}

/** Remove targets by Id; a rule already gone has none. */
export async function removeTargets(context: RuleCallContext, name: string, eventBus: string, ids: readonly string[]): Promise<void> {
	if (ids.length === 0) return;
	const action = `EventBridge RemoveTargets ${name}`;
	const result = await awsCallUnlessMissing(context, action, ruleMissing, (options) =>
		events(context).send(new RemoveTargetsCommand({Rule: name, EventBusName: eventBus, Ids: [...ids]}), options),
	);
	if (result) failedEntries(action, result.FailedEntryCount, result.FailedEntries);
}

/**
 * Delete the rule: `releaseTargets` (revoking what the targets were granted) runs while the
 * targets are still listed, so a crash part-way leaves them findable by the retry; then the
 * targets are removed and the rule deleted. A rule already gone is success.
 */
export async function deleteRule(
	context: RuleContext,
	name: string,
	eventBus: string,
	releaseTargets?: (targets: Target[]) => Promise<void>,
): Promise<void> {
	if (!(await ownedRule(context, name, eventBus, 'delete'))) return;
	const targets = await ruleTargets(context, name, eventBus);
	if (!targets) return;
	await releaseTargets?.(targets);
	await removeTargets(
		context,
		name,
		eventBus,
		targets.flatMap((target) => target.Id ?? []),
	);
	await awsCallUnlessMissing(context, `EventBridge DeleteRule ${name}`, ruleMissing, (options) =>
		events(context).send(new DeleteRuleCommand({Name: name, EventBusName: eventBus}), options),
	);
}

/**
 * Rules on the default bus the sweep after a destroy may find (engine/kinds/leftovers.ts), the
 * EventBridge kind's and the Lambda triggers' alike: listed by the stack's name prefix; deleting
 * one removes its targets first. What the targets were granted went with their components.
 */
export const ruleLeftovers: LeftoverSweep = async (scope) => {
	const rules = await allPages(async (token) => {
		const page = await awsCall(scope, 'EventBridge ListRules', (options) =>
			events(scope).send(new ListRulesCommand({NamePrefix: scope.prefix, ...continuing(token, 'NextToken')}), options),
		);
		return {items: (page.Rules ?? []).flatMap((r) => (r.Name && r.Arn ? [{name: r.Name, arn: r.Arn}] : [])), next: page.NextToken};
	});
	return candidates(
		'users',
		rules,
		({name}) => `EventBridge rule ${name}`,
		async ({arn}) => (await ruleTags(scope, arn)) ?? {},
		async ({name}) => {
			const targets = await ruleTargets(scope, name, defaultEventBus);
			await removeTargets(
				scope,
				name,
				defaultEventBus,
				(targets ?? []).flatMap((target) => target.Id ?? []),
			);
			await awsCallUnlessMissing(scope, `EventBridge DeleteRule ${name}`, ruleMissing, (options) =>
				events(scope).send(new DeleteRuleCommand({Name: name}), options),
			);
		},
	);
};
