/**
 * Logs through the binary on moto: `panka logs` prints lines of several components, in order,
 * filtered, as NDJSON; the workbench's logs pane (`l`, in a real terminal) shows what is there and
 * then the lines written while it is open, in order, none missing or doubled.
 */
import {mkdirSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand} from '@aws-sdk/client-cloudwatch-logs';
import {afterEach, expect, it} from 'vitest';
import {dataStack} from '../helpers/data-stack.js';
import {describeAws, useMoto} from '../helpers/moto.js';
import {pankaWorld} from '../helpers/panka-world.js';
import {expectEvents} from '../helpers/json-schemas.js';
import {tmuxTerminal} from '../helpers/tmux.js';

const term = tmuxTerminal('logs');
afterEach(() => term.kill());

function functionDoc(name: string): string {
	return `apiVersion: components.panka.io/v1\nkind: Lambda\nmetadata:\n  name: ${name}\nspec:\n  runtime: nodejs24.x\n  handler: index.handler\n  code:\n    path: ./src\n`;
}

describeAws('panka logs', () => {
	const moto = useMoto();

	it('prints the logs of the named components interleaved by time, and filters them', async () => {
		const world = pankaWorld(moto.env);
		world.run(['admin', 'init']);
		const init = world.run(['admin', 'tenant', 'init', 'acme', '--aws-account', '123456789012', '--region', 'us-east-1']);
		const tenant = {...moto.env, PANKA_TENANT: 'acme', PANKA_TENANT_SECRET: world.secretIn(init.stdout)};
		const stack = `logs-${Date.now().toString(36)}`;
		const dir = dataStack({stack, extra: `${functionDoc('ingest')}---\n${functionDoc('notify')}`});
		mkdirSync(path.join(dir, 'services', 'data', 'src'), {recursive: true});
		writeFileSync(path.join(dir, 'services', 'data', 'src', 'index.js'), 'export const handler = async () => ({});\n');

		const logs = moto.clients().get(CloudWatchLogsClient);
		const now = Date.now() - 5_000;
		for (const [component, offsets] of [
			['ingest', [0, 2, 4]],
			['notify', [1, 3]],
		] as const) {
			const logGroupName = `/panka/acme/${stack}/test/${component}`;
			await logs.send(new CreateLogGroupCommand({logGroupName}));
			await logs.send(new CreateLogStreamCommand({logGroupName, logStreamName: 'a'}));
			await logs.send(
				new PutLogEventsCommand({
					logGroupName,
					logStreamName: 'a',
					logEvents: offsets.map((o) => ({timestamp: now + o, message: `${component} line ${o}${o === 3 ? ' ERROR' : ''}`})),
				}),
			);
		}

		const text = world.run(['logs', dir, 'ingest', 'notify', '--since', '1h'], tenant);
		expect(text.code).toBe(0);
		expect(
			text.stdout
				.trim()
				.split('\n')
				.map((l) => l.replace(/^\S+ /, '')),
		).toEqual([
			'ingest │ ingest line 0',
			'notify │ notify line 1',
			'ingest │ ingest line 2',
			'notify │ notify line 3 ERROR',
			'ingest │ ingest line 4',
		]);

		const json = world.run(['logs', dir, 'data', '--since', '1h', '--filter', 'ERROR', '--json'], tenant);
		expect(expectEvents(json.stdout)).toEqual([
			expect.objectContaining({
				apiVersion: 'panka.io/cli/v1',
				type: 'log.line',
				component: 'notify',
				address: 'data/notify',
				message: 'notify line 3 ERROR',
			}),
		]);

		const unknown = world.run(['logs', dir, 'ingset'], tenant);
		expect(unknown.code).toBe(2);
		expect(unknown.stderr).toMatch(/did you mean "ingest"/);
	});

	it('the workbench: l on a Lambda opens the live logs pane; lines written meanwhile appear in order, none missing or doubled', async () => {
		const world = pankaWorld(moto.env);
		world.run(['admin', 'init']);
		const init = world.run(['admin', 'tenant', 'init', 'acme', '--aws-account', '123456789012', '--region', 'us-east-1']);
		const env = {...world.env, ...moto.env, PANKA_TENANT: 'acme', PANKA_TENANT_SECRET: world.secretIn(init.stdout)};
		const stack = `tail-${Date.now().toString(36)}`;
		const dir = dataStack({stack, extra: functionDoc('ingest')});
		mkdirSync(path.join(dir, 'services', 'data', 'src'), {recursive: true});
		writeFileSync(path.join(dir, 'services', 'data', 'src', 'index.js'), 'export const handler = async () => ({});\n');

		const logs = moto.clients().get(CloudWatchLogsClient);
		const logGroupName = `/panka/acme/${stack}/test/ingest`;
		await logs.send(new CreateLogGroupCommand({logGroupName}));
		await logs.send(new CreateLogStreamCommand({logGroupName, logStreamName: 'a'}));
		const write = (from: number, count: number) =>
			logs.send(
				new PutLogEventsCommand({
					logGroupName,
					logStreamName: 'a',
					logEvents: Array.from({length: count}, (_, i) => ({
						timestamp: Date.now() - 1_000 + i,
						message: `event ${String(from + i).padStart(4, '0')}`,
					})),
				}),
			);
		await write(0, 40);

		term.start([dir], {env, cwd: world.root});
		await term.waitForScreen((t) => t.includes('╭─ Components') && /loaded/.test(t), 'the tree');
		term.keys('End'); // the last row: the Lambda
		await term.waitForScreen((t) => t.includes('╭─ data/ingest'), 'the Lambda selected');
		term.keys('l');
		let text = await term.waitForScreen((t) => t.includes('logs · ingest') && t.includes('event 0039'), 'the lines already written');
		expect(text).toContain('● live');

		// Written while the pane is open: the tail (polling; moto has no live tail) picks them up.
		await write(40, 260);
		text = await term.waitForScreen((t) => t.includes('event 0299'), 'the lines written meanwhile', 20_000);
		expect(text).toMatch(/300 lines/);
		const shown = [...text.matchAll(/event (\d{4})/g)].map((m) => Number(m[1]));
		expect(shown.length).toBeGreaterThan(10);
		expect(shown).toEqual(Array.from({length: shown.length}, (_, i) => shown[0]! + i));
		expect(shown.at(-1)).toBe(299);

		term.keys('Space');
		await write(300, 5);
		text = await term.waitForScreen((t) => t.includes('5 new below'), 'the paused pane counting new lines', 20_000);
		expect(text).not.toContain('event 0304');
		term.keys('G');
		text = await term.waitForScreen((t) => t.includes('event 0304') && t.includes('305 lines'), 'live again');

		term.keys('Escape');
		await term.waitForScreen((t) => t.includes('╭─ Components'), 'the tree again');
		term.keys('q');
		expect((await term.waitForExit()).status).toBe('0');
	}, 90_000);
});
