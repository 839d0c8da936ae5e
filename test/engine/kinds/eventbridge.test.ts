import {describe, expect, it} from 'vitest';
import {eventBridgeKind, eventBridgeSpecSchema as schema} from '../../../engine/kinds/eventbridge.js';
import {forcesReplace} from '../../../engine/kinds/kind.js';
import {identity, issueAt, longIdentity, parseOk} from './kind-test-helpers.js';

const nightly = {
	schedule: 'cron(0 3 * * ? *)',
	description: 'nightly digest',
	targets: [{component: 'digest-builder', input: {mode: 'nightly'}}],
};

const onOrderPlaced = {
	eventPattern: {source: ['shop.orders'], 'detail-type': ['OrderPlaced'], detail: {total: [{numeric: ['>', 100]}]}},
	eventBus: 'shop-events',
	targets: [{component: 'order-queue'}, {component: 'order-topic', inputPath: '$.detail'}],
};

describe('EventBridge spec', () => {
	it('parses a scheduled rule, serialising an object input to JSON text', () => {
		expect(parseOk(schema, nightly)).toEqual({
			schedule: 'cron(0 3 * * ? *)',
			description: 'nightly digest',
			eventBus: 'default',
			enabled: true,
			targets: [{component: 'digest-builder', input: '{"mode":"nightly"}', id: 'digest-builder'}],
		});
	});

	it('parses an event pattern rule on a custom bus', () => {
		const spec = parseOk(schema, onOrderPlaced);
		expect(spec.eventPattern).toEqual(onOrderPlaced.eventPattern);
		expect(spec.targets.map((target) => target.id)).toEqual(['order-queue', 'order-topic']);
	});

	it('requires exactly one of schedule and eventPattern', () => {
		expect(issueAt(schema, {...nightly, eventPattern: {source: ['x']}}, 'eventPattern').message).toBe(
			'set either schedule or eventPattern, not both',
		);
		expect(issueAt(schema, {targets: nightly.targets}, 'schedule').message).toBe('a rule needs a schedule or an eventPattern');
		expect(issueAt(schema, {...onOrderPlaced, eventPattern: {}}, 'eventPattern').message).toBe(
			'eventPattern must match on at least one field',
		);
		expect(issueAt(schema, {...onOrderPlaced, eventPattern: ['x']}, 'eventPattern').code).toBe('invalid_type');
	});

	it('validates the schedule and keeps schedules on the default bus', () => {
		expect(issueAt(schema, {...nightly, schedule: 'cron(0 3 * * *)'}, 'schedule').message).toMatch(/has 5 fields/);
		expect(issueAt(schema, {...nightly, eventBus: 'shop-events'}, 'eventBus').message).toBe(
			'scheduled rules run only on the default event bus',
		);
	});

	describe('targets', () => {
		const targets = (...list: Record<string, unknown>[]) => ({...nightly, targets: list});

		it('needs one to five', () => {
			expect(issueAt(schema, targets(), 'targets').message).toBe('a rule needs at least one target');
			const six = Array.from({length: 6}, (_, index) => ({component: `fn-${index}`}));
			expect(issueAt(schema, targets(...six), 'targets').code).toBe('too_big');
		});

		it('needs unique ids, defaulting to the component name', () => {
			expect(issueAt(schema, targets({component: 'fn'}, {component: 'fn'}), 'targets.1.component').message).toBe(
				'target id "fn" is already used by entry 0',
			);
			parseOk(schema, targets({component: 'fn'}, {component: 'fn', id: 'fn-again'}));
		});

		it('takes input as JSON text or an object, never with inputPath', () => {
			expect(parseOk(schema, targets({component: 'fn', input: '{"a":1}'})).targets[0]?.input).toBe('{"a":1}');
			expect(issueAt(schema, targets({component: 'fn', input: 'hello'}), 'targets.0.input').message).toMatch(/must be valid JSON/);
			expect(issueAt(schema, targets({component: 'fn', input: '{}', inputPath: '$.detail'}), 'targets.0.inputPath').message).toBe(
				'set either input or inputPath, not both',
			);
			expect(issueAt(schema, targets({component: 'fn', inputPath: 'detail'}), 'targets.0.inputPath').code).toBe('invalid_format');
		});
	});

	it('reads enabled from text and rejects unknown keys', () => {
		expect(parseOk(schema, {...nightly, enabled: 'false'}).enabled).toBe(false);
		expect(issueAt(schema, {...nightly, state: 'ENABLED'}, '')).toMatchObject({code: 'unrecognized_keys', keys: ['state']});
		expect(issueAt(schema, {...nightly, targets: [{component: 'fn', arn: 'x'}]}, 'targets.0').code).toBe('unrecognized_keys');
	});

	it('reads the same after parsing twice', () => {
		for (const input of [nightly, onOrderPlaced]) {
			const once = parseOk(schema, input);
			expect(parseOk(schema, once)).toEqual(once);
		}
	});
});

describe('EventBridge kind', () => {
	const spec = parseOk(schema, onOrderPlaced);

	it('declares its outputs', () => {
		expect(Object.keys(eventBridgeKind.outputs).sort()).toEqual(['ruleArn', 'ruleName']);
	});

	it('references every target as a Lambda, SQS or SNS component', () => {
		expect(eventBridgeKind.references(spec)).toEqual([
			{path: ['targets', 0, 'component'], component: 'order-queue', acceptsKinds: ['Lambda', 'SQS', 'SNS'], label: 'target'},
			{path: ['targets', 1, 'component'], component: 'order-topic', acceptsKinds: ['Lambda', 'SQS', 'SNS'], label: 'target'},
		]);
	});

	it('replaces when the rule moves to another bus', () => {
		expect(forcesReplace(eventBridgeKind.replaceOn, 'eventBus')).toBe('eventBus');
		expect(forcesReplace(eventBridgeKind.replaceOn, 'schedule')).toBeUndefined();
	});

	it('names the rule within the limit', () => {
		expect(eventBridgeKind.physicalNames(identity, spec)).toEqual({primary: 'acme-shop-prod-api'});
		const long = eventBridgeKind.physicalNames(longIdentity, spec).primary;
		expect(long.length).toBeLessThanOrEqual(64);
		expect(long).toMatch(/^[A-Za-z0-9_.-]+$/);
	});

	it('is not placed in the VPC', () => {
		expect(eventBridgeKind.placement(spec)).toBe('none');
	});

	it('describes trigger, bus and targets', () => {
		expect(eventBridgeKind.describe(spec)).toBe('event pattern on shop-events → order-queue, order-topic');
		expect(eventBridgeKind.describe(parseOk(schema, {...nightly, enabled: false}))).toBe('cron(0 3 * * ? *) → digest-builder (disabled)');
	});
});
