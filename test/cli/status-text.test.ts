/**
 * `panka status`'s human view of a read: the stack's verdict with the counts, each component with
 * its facts (the reasons coloured as their verdict) and events, the logs command of a failing
 * component that writes logs, components named but not deployed, and AWS text shown escaped.
 */
import {describe, expect, test} from 'vitest';
import type {ComponentHealth} from '../../engine/index.js';
import {renderStatus} from '../../source/views/status-view.js';
import {painter} from '../../source/context.js';

const key = {stack: 'shop', environment: 'staging'};
const logsCommand = (component: string) => `panka logs shop ${component} --env staging`;

function component(
	address: string,
	kind: string,
	verdict: ComponentHealth['verdict'],
	facts: ComponentHealth['facts'],
	events: ComponentHealth['events'] = [],
): ComponentHealth {
	const [service, name] = address.split('/') as [string, string];
	return {address, service, component: name, kind, verdict, facts, events, hasLogs: kind === 'MicroService' || kind === 'Lambda'};
}

describe('the status text', () => {
	test('says the stack’s verdict, each component’s facts and events, and how to see a failing component’s logs', () => {
		const lines = renderStatus(
			key,
			{
				verdict: 'failing',
				readAt: '2026-12-06T18:31:02.000Z',
				components: [
					component(
						'api/api',
						'MicroService',
						'failing',
						[{name: 'tasks running', value: '0 of 3', verdict: 'failing'}],
						[{at: '2026-12-06T18:30:00.000Z', message: '(service api) was unable to place a task'}],
					),
					component('api/queue', 'SQS', 'healthy', [{name: 'messages visible', value: '0'}]),
				],
			},
			['api/new-table'],
			logsCommand,
			painter(false),
		);
		expect(lines).toEqual([
			'✗ shop (staging): failing — 1 healthy, 1 failing  read 18:31:02 UTC',
			'✗ api/api    MicroService  failing',
			'    tasks running: 0 of 3',
			'    18:30:00 (service api) was unable to place a task',
			'    → panka logs shop api --env staging',
			'✓ api/queue  SQS  healthy',
			'    messages visible: 0',
			'○ api/new-table  not deployed',
		]);
	});

	test('a degraded component without logs names no logs command; nothing deployed says how to deploy', () => {
		const degraded = renderStatus(
			key,
			{
				verdict: 'degraded',
				readAt: '2026-12-06T18:31:02.000Z',
				components: [component('api/queue', 'SQS', 'degraded', [{name: 'dead-letter queue', value: '3 messages', verdict: 'degraded'}])],
			},
			[],
			logsCommand,
			painter(false),
		);
		expect(degraded.join('\n')).not.toContain('panka logs');
		expect(
			renderStatus(key, {verdict: 'unknown', readAt: '2026-12-06T18:31:02.000Z', components: []}, [], logsCommand, painter(false)),
		).toEqual(['? shop (staging): unknown  read 18:31:02 UTC', 'Nothing deployed: panka apply deploys the stack.']);
	});

	test('text from AWS is printed with its control characters escaped', () => {
		const lines = renderStatus(
			key,
			{
				verdict: 'healthy',
				readAt: '2026-12-06T18:31:02.000Z',
				components: [
					component(
						'api/api',
						'MicroService',
						'healthy',
						[{name: 'rollout', value: 'ok\u001b[2J'}],
						[{at: '2026-12-06T18:30:00.000Z', message: 'evil\u0007bell'}],
					),
				],
			},
			[],
			logsCommand,
			painter(false),
		);
		expect(lines.join('\n')).not.toMatch(/[\u0000-\u0008\u001b]/);
	});
});
