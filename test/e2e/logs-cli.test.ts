/** `panka logs` through the binary on moto: lines of several components, in order, filtered, as NDJSON. */
import {mkdirSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand} from '@aws-sdk/client-cloudwatch-logs';
import {expect, it} from 'vitest';
import {dataStack} from '../helpers/data-stack.js';
import {describeAws, useMoto} from '../helpers/moto.js';
import {pankaWorld} from '../helpers/panka-world.js';

function functionDoc(name: string): string {
	return `apiVersion: components.panka.io/v1\nkind: Lambda\nmetadata:\n  name: ${name}\nspec:\n  runtime: nodejs20.x\n  handler: index.handler\n  code:\n    path: ./src\n`;
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
			await logs.send(new PutLogEventsCommand({logGroupName, logStreamName: 'a', logEvents: offsets.map((o) => ({timestamp: now + o, message: `${component} line ${o}${o === 3 ? ' ERROR' : ''}`}))}));
		}

		const text = world.run(['logs', dir, 'ingest', 'notify', '--since', '1h'], tenant);
		expect(text.code).toBe(0);
		expect(text.stdout.trim().split('\n').map((l) => l.replace(/^\S+ /, ''))).toEqual(['ingest │ ingest line 0', 'notify │ notify line 1', 'ingest │ ingest line 2', 'notify │ notify line 3 ERROR', 'ingest │ ingest line 4']);

		const json = world.run(['logs', dir, 'data', '--since', '1h', '--filter', 'ERROR', '--json'], tenant);
		expect(json.stdout.trim().split('\n').map((l) => JSON.parse(l))).toEqual([expect.objectContaining({v: 1, type: 'log.line', component: 'notify', address: 'data/notify', message: 'notify line 3 ERROR'})]);

		const unknown = world.run(['logs', dir, 'ingset'], tenant);
		expect(unknown.code).toBe(2);
		expect(unknown.stderr).toMatch(/did you mean "ingest"/);
	});
});
