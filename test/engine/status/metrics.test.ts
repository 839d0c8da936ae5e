/**
 * The metric facts' rules without AWS: the window every reader of one read shares, how counts and
 * shares are said, that a metric AWS published nothing for is "no datapoints" (never a 0 panka made
 * up), and that metrics that cannot be read are said without a verdict (the resource's own status
 * decides). The moto suite (stack-status.test.ts) covers each kind through PutMetricData.
 */
import {describe, expect, test} from 'vitest';
import {invocationFacts} from '../../../engine/kinds/lambda/health.js';
import {storageUsedFact} from '../../../engine/kinds/rds/health.js';
import {deliveryFact} from '../../../engine/kinds/sns-health.js';
import {oldestMessageFact} from '../../../engine/kinds/sqs-health.js';
import {verdictOfFacts} from '../../../engine/status/health.js';
import {countWithShare, metricWindow, percent} from '../../../engine/status/metrics.js';

describe('the window', () => {
	test('is the 15 minutes before the read, ending on the next whole minute', () => {
		const {start, end} = metricWindow(new Date('2026-12-06T19:00:20.500Z'));
		expect(end.toISOString()).toBe('2026-12-06T19:01:00.000Z');
		expect(start.toISOString()).toBe('2026-12-06T18:46:00.000Z');
		expect(metricWindow(new Date('2026-12-06T19:00:00.000Z')).end.toISOString()).toBe('2026-12-06T19:00:00.000Z');
	});
});

describe('how shares are said', () => {
	test('a share as a percentage, one decimal below 10%, none for a zero count', () => {
		expect(percent(0.25)).toBe('25%');
		expect(percent(0.004)).toBe('0.4%');
		expect(countWithShare(3, 12)).toBe('3 (25%)');
		expect(countWithShare(0, 12)).toBe('0');
		expect(countWithShare(2, 0)).toBe('2');
	});
});

describe('metrics that cannot be read', () => {
	const denied = new Error('CloudWatch GetMetricData svc/fn: AccessDenied: not authorized to perform cloudwatch:GetMetricData');

	test('are said, without a verdict, for every kind that reads them', () => {
		const facts = [
			invocationFacts(denied),
			[oldestMessageFact(denied, 345600)],
			[deliveryFact(denied)],
			[storageUsedFact(denied, 20)],
		].flat();
		for (const fact of facts) expect(fact).toEqual({name: 'metrics', value: `not read: ${denied.message}`});
		expect(verdictOfFacts(facts)).toBe('healthy');
	});
});

describe('datapoints AWS did not publish', () => {
	test('a function with errors but no Invocations datapoint is still degraded, its invocations said as 0', () => {
		const facts = invocationFacts({invocations: [], errors: [2], throttles: []});
		expect(facts).toContainEqual({name: 'errors', value: '2', verdict: 'degraded'});
		expect(verdictOfFacts(facts)).toBe('degraded');
	});

	test('a gauge reads its newest datapoint (they come newest first)', () => {
		expect(oldestMessageFact({oldestAge: [30, 400_000]}, 345600)).toEqual({name: 'oldest message', value: '30s old'});
		expect(oldestMessageFact({oldestAge: [0]}, 345600)).toEqual({name: 'oldest message', value: 'none waiting'});
		expect(storageUsedFact({freeStorage: []}, 20)).toEqual({
			name: 'storage used',
			value: 'no FreeStorageSpace datapoints in the last 15 min',
		});
	});

	test('free space above the allocation (a grown volume not yet in the record) is 0 used, not negative', () => {
		expect(storageUsedFact({freeStorage: [30 * 1024 ** 3]}, 20)).toEqual({name: 'storage used', value: '0 of 20 GB (0%)'});
	});
});
