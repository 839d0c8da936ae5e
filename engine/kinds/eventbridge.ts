/**
 * EventBridge: a rule, on a schedule or matching an event pattern, with components of the stack
 * (Lambda functions, SQS queues, SNS topics) as targets.
 *
 * Invariants:
 * - A rule has exactly one of `schedule` (rate/cron, see schedule-expression.ts) and
 *   `eventPattern` (a non-empty JSON object); schedules run only on the default event bus.
 * - Targets: 1 to 5 (the AWS limit), each with `id` (defaulting to the component name, unique in
 *   the rule) and at most one of `input` and `inputPath`. `input` is normalised to JSON text, as
 *   PutTargets takes it: an object is serialised, a string must already be JSON.
 * - The rule lives on one bus: changing `eventBus` is a replace; everything else is PutRule /
 *   PutTargets / RemoveTargets in place.
 */
import {z} from '../zod.js';
import {estimateFrom, formatRate, usageLine} from '../cost/cost-rules.js';
import {boolean, componentName, dependsOnSchema, tagsSchema} from '../model/fields.js';
import {nameRules, physicalName} from '../resolve/physical-names.js';
import {newItems} from './broadening.js';
import {defineKind} from './kind.js';
import {scheduleExpression} from './schedule-expression.js';
import {addFieldIssue, reportDuplicates} from './spec-rules.js';

export const eventTargetKinds = ['Lambda', 'SQS', 'SNS'] as const;

const defaultBus = 'default';

const inputSchema = z
	.union([z.string(), z.record(z.string(), z.unknown())], {error: 'input is JSON text or an object'})
	.transform((input, ctx) => {
		if (typeof input !== 'string') return JSON.stringify(input);
		try {
			JSON.parse(input);
			return input;
		} catch {
			ctx.addIssue({code: 'custom', message: 'input text must be valid JSON; write an object to send a JSON object'});
			return z.NEVER;
		}
	});

const targetSchema = z
	.strictObject({
		component: componentName(),
		/** Constant input sent instead of the event. */
		input: inputSchema.optional(),
		/** JSONPath of the part of the event to send, e.g. $.detail. */
		inputPath: z.string().startsWith('$', {error: 'inputPath is a JSONPath such as $.detail'}).optional(),
		id: z
			.string()
			.regex(/^[A-Za-z0-9_.-]{1,64}$/, {error: 'target ids are 1–64 letters, digits, underscores, periods and hyphens'})
			.optional(),
	})
	.superRefine((target, ctx) => {
		if (target.input !== undefined && target.inputPath !== undefined)
			addFieldIssue(ctx, ['inputPath'], 'set either input or inputPath, not both');
	})
	.transform((target) => ({...target, id: target.id ?? target.component}));

export const eventBridgeSpecSchema = z
	.strictObject({
		schedule: scheduleExpression().optional(),
		/** An event pattern: {source: [...], 'detail-type': [...], detail: {...}}. */
		eventPattern: z
			.record(z.string(), z.unknown())
			.refine((pattern) => Object.keys(pattern).length > 0, {error: 'eventPattern must match on at least one field'})
			.optional(),
		/** Bus name or ARN. */
		eventBus: z.string().min(1).default(defaultBus),
		description: z.string().max(512).optional(),
		enabled: boolean().default(true),
		targets: z.array(targetSchema).min(1, {error: 'a rule needs at least one target'}).max(5),
		tags: tagsSchema.optional(),
		dependsOn: dependsOnSchema.optional(),
	})
	.superRefine((spec, ctx) => {
		if (spec.schedule !== undefined && spec.eventPattern !== undefined)
			addFieldIssue(ctx, ['eventPattern'], 'set either schedule or eventPattern, not both');
		if (spec.schedule === undefined && spec.eventPattern === undefined)
			addFieldIssue(ctx, ['schedule'], 'a rule needs a schedule or an eventPattern');
		if (spec.schedule !== undefined && spec.eventBus !== defaultBus)
			addFieldIssue(ctx, ['eventBus'], 'scheduled rules run only on the default event bus');
		reportDuplicates(
			ctx,
			spec.targets,
			(target) => target.id,
			(index) => ['targets', index, spec.targets[index]?.id === spec.targets[index]?.component ? 'component' : 'id'],
			'target id',
		);
	});

export type EventBridgeSpec = z.output<typeof eventBridgeSpecSchema>;

export const eventBridgeKind = defineKind<EventBridgeSpec>({
	kind: 'EventBridge',
	summary: 'An EventBridge rule, scheduled or matching events, targeting Lambda, SQS or SNS',
	awsType: 'AWS::Events::Rule',
	spec: eventBridgeSpecSchema,
	outputs: {
		ruleArn: {description: 'The rule ARN'},
		ruleName: {description: 'The rule name'},
	},
	replaceOn: ['eventBus'],
	placement: () => 'none',
	physicalNames: (identity) => ({primary: physicalName(identity, nameRules.eventRule)}),
	references: (spec) =>
		spec.targets.map((target, index) => ({
			path: ['targets', index, 'component'],
			component: target.component,
			acceptsKinds: eventTargetKinds,
			label: 'target',
		})),
	broadening: (input, context) =>
		newItems(input.spec.targets, input.before?.targets, (target: {component?: unknown}) =>
			typeof target.component === 'string' ? target.component : undefined,
		).map((target) => ({
			class: 'iam-permissions' as const,
			what: `new permission: rule ${context.address} may invoke ${target.component} (target)`,
		})),
	describe(spec) {
		const trigger = spec.schedule ?? 'event pattern';
		const bus = spec.eventBus === defaultBus ? '' : ` on ${spec.eventBus}`;
		const state = spec.enabled ? '' : ' (disabled)';
		return `${trigger}${bus} → ${spec.targets.map((target) => target.component).join(', ')}${state}`;
	},
	/** A rule costs nothing; custom events put on its bus are billed by use (usage file `requestsPerMonth`). Scheduled rules: free. */
	cost(spec, context) {
		if (spec.schedule) return estimateFrom([], ['scheduled rule: no charge']);
		const {eventbridge} = context.prices;
		const events = context.usage?.requestsPerMonth;
		const lines = usageLine(`${events} custom events/month`, events, eventbridge.eventMillion, 1_000_000);
		const notes =
			lines.length > 0 ? [] : [`${formatRate(eventbridge.eventMillion)} per million custom events (AWS service events are free)`];
		return estimateFrom(lines, notes, {billedByUse: true});
	},
	allowedByDefault: true,
	typicalCreateSeconds: 2,
	provider: async () => (await import('./eventbridge-provider.js')).eventBridgeProvider,
	health: async () => (await import('./eventbridge-health.js')).eventBridgeHealth,
});
