/**
 * The verdicts of conditions moto cannot produce (docs/status.md), from the facts the readers
 * derive out of AWS's answers: a FAILED rollout, no task running, unhealthy load-balancer targets,
 * a failed Lambda function or update, a trigger reporting a problem. The moto suite
 * (stack-status.test.ts) covers the rest through real calls.
 */
import type {Service} from '@aws-sdk/client-ecs';
import {describe, expect, test} from 'vitest';
import {functionFacts, mappingFact} from '../../../engine/kinds/lambda/health.js';
import {targetFacts, taskFacts} from '../../../engine/kinds/microservice/health.js';
import {verdictOfFacts} from '../../../engine/status/health.js';

const service = (fields: Partial<Service>): Service => ({runningCount: 3, desiredCount: 3, pendingCount: 0, ...fields});

describe('MicroService', () => {
	test('no task running while some are desired is failing; fewer than desired degraded', () => {
		expect(verdictOfFacts(taskFacts(service({runningCount: 0})))).toBe('failing');
		expect(verdictOfFacts(taskFacts(service({runningCount: 1, pendingCount: 2})))).toBe('degraded');
		expect(taskFacts(service({runningCount: 1, pendingCount: 2}))).toContainEqual({name: 'tasks pending', value: '2'});
		expect(verdictOfFacts(taskFacts(service({runningCount: 0, desiredCount: 0})))).toBe('healthy');
	});

	test('a FAILED rollout is failing, with its reason; one in progress with every task running is information', () => {
		const failed = taskFacts(
			service({deployments: [{status: 'PRIMARY', rolloutState: 'FAILED', rolloutStateReason: 'tasks failed to start'}]}),
		);
		expect(failed).toContainEqual({name: 'rollout', value: 'failed: tasks failed to start', verdict: 'failing'});
		const rolling = taskFacts(service({deployments: [{status: 'PRIMARY', rolloutState: 'IN_PROGRESS'}, {status: 'ACTIVE'}]}));
		expect(verdictOfFacts(rolling)).toBe('healthy');
		expect(rolling).toContainEqual({name: 'older deployments draining', value: '1'});
	});

	test('an unhealthy target is degraded, every target unhealthy failing, with each one’s reason', () => {
		const healthy = {Target: {Id: '10.0.1.1'}, TargetHealth: {State: 'healthy' as const}};
		const unhealthy = {Target: {Id: '10.0.1.2'}, TargetHealth: {State: 'unhealthy' as const, Description: 'Health checks failed with 503'}};
		expect(verdictOfFacts(targetFacts([healthy, unhealthy], 2))).toBe('degraded');
		expect(targetFacts([healthy, unhealthy], 2)).toContainEqual({
			name: 'target 10.0.1.2',
			value: 'unhealthy: Health checks failed with 503',
		});
		expect(verdictOfFacts(targetFacts([unhealthy], 1))).toBe('failing');
		expect(verdictOfFacts(targetFacts([], 0))).toBe('healthy');
	});
});

describe('Lambda', () => {
	test('a failed function or update is failing; pending or updating degraded', () => {
		expect(functionFacts('Failed', 'Successful', 'the role cannot be assumed')).toContainEqual({
			name: 'function',
			value: 'failed: the role cannot be assumed',
			verdict: 'failing',
		});
		expect(verdictOfFacts(functionFacts('Active', 'Failed', undefined))).toBe('failing');
		expect(verdictOfFacts(functionFacts('Pending', undefined, undefined))).toBe('degraded');
		expect(verdictOfFacts(functionFacts('Active', 'InProgress', undefined))).toBe('degraded');
		expect(verdictOfFacts(functionFacts('Active', 'Successful', undefined))).toBe('healthy');
	});

	test('a trigger whose last processing reports a problem is degraded', () => {
		const fact = mappingFact({
			EventSourceArn: 'arn:aws:sqs:us-east-1:123456789012:orders',
			State: 'Enabled',
			LastProcessingResult: 'PROBLEM: Function call failed',
		});
		expect(fact).toEqual({name: 'trigger orders', value: 'enabled, last result: PROBLEM: Function call failed', verdict: 'degraded'});
	});
});
