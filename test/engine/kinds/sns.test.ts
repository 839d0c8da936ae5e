import {describe, expect, it} from 'vitest';
import {forcesReplace} from '../../../engine/kinds/kind.js';
import {snsKind, snsSpecSchema as schema} from '../../../engine/kinds/sns.js';
import {identity, issueAt, longIdentity, parseOk} from './kind-test-helpers.js';

const alerts = {
	displayName: 'Notification alerts',
	subscriptions: [
		{protocol: 'sqs', component: 'notification-queue', rawMessageDelivery: true, filterPolicy: {severity: ['high']}},
		{protocol: 'lambda', component: 'alert-processor'},
		{protocol: 'email', endpoint: 'oncall@example.com'},
		{protocol: 'https', endpoint: 'https://hooks.example.com/alerts'},
	],
	encryption: {enabled: true},
};

const subscription = (value: Record<string, unknown>) => ({subscriptions: [value]});

describe('SNS spec', () => {
	it('parses a topic with component and endpoint subscriptions', () => {
		const spec = parseOk(schema, alerts);
		expect(spec.fifoTopic).toBe(false);
		expect(spec.subscriptions?.[0]).toEqual(alerts.subscriptions[0]);
	});

	it('defaults to a standard topic', () => {
		expect(parseOk(schema, {})).toEqual({fifoTopic: false});
	});

	it('lowercases protocols', () => {
		expect(parseOk(schema, subscription({protocol: 'SQS', component: 'q'})).subscriptions?.[0]?.protocol).toBe('sqs');
		expect(issueAt(schema, subscription({protocol: 'pigeon', endpoint: 'x'}), 'subscriptions.0.protocol').code).toBe('invalid_value');
	});

	it('requires exactly one of endpoint and component', () => {
		expect(issueAt(schema, subscription({protocol: 'sqs'}), 'subscriptions.0.endpoint').message).toBe(
			'a sqs subscription needs an endpoint or a component',
		);
		expect(
			issueAt(schema, subscription({protocol: 'sqs', component: 'q', endpoint: 'arn:aws:sqs:x'}), 'subscriptions.0.component').message,
		).toBe('set either endpoint or component, not both');
	});

	it('allows components only for sqs and lambda', () => {
		expect(issueAt(schema, subscription({protocol: 'email', component: 'q'}), 'subscriptions.0.component').message).toBe(
			'component subscriptions are for sqs and lambda; email needs an endpoint',
		);
	});

	it('checks endpoints against their protocol', () => {
		expect(issueAt(schema, subscription({protocol: 'email', endpoint: 'oncall'}), 'subscriptions.0.endpoint').message).toBe(
			'a email endpoint is an email address, not "oncall"',
		);
		expect(issueAt(schema, subscription({protocol: 'https', endpoint: 'http://x'}), 'subscriptions.0.endpoint').code).toBe('custom');
		expect(issueAt(schema, subscription({protocol: 'sms', endpoint: '555-0100'}), 'subscriptions.0.endpoint').code).toBe('custom');
		parseOk(schema, subscription({protocol: 'sms', endpoint: '+14155550100'}));
		parseOk(schema, subscription({protocol: 'sqs', endpoint: 'arn:aws:sqs:us-east-1:123456789012:external'}));
	});

	it('allows raw message delivery only where AWS supports it', () => {
		expect(
			issueAt(schema, subscription({protocol: 'lambda', component: 'fn', rawMessageDelivery: true}), 'subscriptions.0.rawMessageDelivery')
				.message,
		).toBe('rawMessageDelivery applies to sqs, http and https, not lambda');
	});

	it('keeps FIFO options and subscriptions consistent', () => {
		expect(issueAt(schema, {contentBasedDeduplication: true}, 'contentBasedDeduplication').message).toBe(
			'contentBasedDeduplication needs fifoTopic: true',
		);
		parseOk(schema, {fifoTopic: 'true', contentBasedDeduplication: true, subscriptions: [{protocol: 'sqs', component: 'q'}]});
		expect(
			issueAt(schema, {fifoTopic: true, ...subscription({protocol: 'lambda', component: 'fn'})}, 'subscriptions.0.protocol').message,
		).toBe('FIFO topics deliver only to sqs, not lambda');
	});

	it('rejects unknown keys and wrong types', () => {
		expect(issueAt(schema, {name: 'alerts'}, '')).toMatchObject({code: 'unrecognized_keys', keys: ['name']});
		expect(issueAt(schema, subscription({protocol: 'sqs', component: 'q', queue: 'q'}), 'subscriptions.0').code).toBe('unrecognized_keys');
		expect(issueAt(schema, {fifoTopic: 'perhaps'}, 'fifoTopic').code).toBe('invalid_type');
	});

	it('reads the same after parsing twice', () => {
		const once = parseOk(schema, alerts);
		expect(parseOk(schema, once)).toEqual(once);
	});
});

describe('SNS kind', () => {
	const spec = parseOk(schema, alerts);

	it('declares its outputs', () => {
		expect(Object.keys(snsKind.outputs).sort()).toEqual(['topicArn', 'topicName']);
	});

	it('references subscribed components with the kinds their protocol needs', () => {
		expect(snsKind.references(spec)).toEqual([
			{path: ['subscriptions', 0, 'component'], component: 'notification-queue', acceptsKinds: ['SQS'], label: 'subscription'},
			{path: ['subscriptions', 1, 'component'], component: 'alert-processor', acceptsKinds: ['Lambda'], label: 'subscription'},
		]);
	});

	it('replaces when switching between standard and FIFO', () => {
		expect(forcesReplace(snsKind.replaceOn, 'fifoTopic')).toBe('fifoTopic');
		expect(forcesReplace(snsKind.replaceOn, 'subscriptions.0')).toBeUndefined();
	});

	it('names the topic, with the .fifo suffix for FIFO topics, within the limit', () => {
		expect(snsKind.physicalNames(identity, spec).primary).toBe('acme-shop-prod-api');
		const fifo = parseOk(schema, {fifoTopic: true});
		expect(snsKind.physicalNames(identity, fifo).primary).toBe('acme-shop-prod-api.fifo');
		const long = snsKind.physicalNames(longIdentity, fifo).primary;
		expect(long.length).toBeLessThanOrEqual(256);
		expect(long.endsWith('.fifo')).toBe(true);
	});

	it('is not placed in the VPC', () => {
		expect(snsKind.placement(spec)).toBe('none');
	});

	it('describes the topic', () => {
		expect(snsKind.describe(spec)).toBe('standard topic, 4 subscriptions');
	});
});
