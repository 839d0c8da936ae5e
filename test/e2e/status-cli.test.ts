/**
 * `panka status` through the binary on moto: a deployed data stack (SQS with its dead-letter
 * queue, SNS, S3, DynamoDB) is healthy (exit 0); a message in the dead-letter queue makes the
 * queue and the stack degraded (still exit 0); a table deleted outside panka makes the stack
 * failing (exit 1); --json is a Status document; an unknown component name is a usage error with
 * a suggestion (exit 2). In a real terminal (tmux), the workbench's tree shows the verdicts and `s`
 * opens the status pane, which reads again by itself while it is open.
 */
import {CloudWatchClient, PutMetricDataCommand} from '@aws-sdk/client-cloudwatch';
import {DeleteTableCommand, DynamoDBClient} from '@aws-sdk/client-dynamodb';
import {SendMessageCommand, SQSClient} from '@aws-sdk/client-sqs';
import {afterEach, expect, it} from 'vitest';
import {dataStack} from '../helpers/data-stack.js';
import {expectDocument} from '../helpers/json-schemas.js';
import {describeAws, useMoto} from '../helpers/moto.js';
import {pankaWorld} from '../helpers/panka-world.js';
import {spawnCli} from '../helpers/spawn-cli.js';
import {tmuxTerminal} from '../helpers/tmux.js';

const term = tmuxTerminal('status');
afterEach(() => term.kill());

describeAws('panka status', () => {
	const moto = useMoto();

	it('reads each deployed component’s health from AWS, with the stack’s verdict and exit code', async () => {
		const world = pankaWorld(moto.env);
		world.run(['admin', 'init']);
		const {tenant} = world.initTenant('acme');
		const dir = dataStack({stack: `status-${Date.now().toString(36)}`});
		expect(world.run(['apply', dir, '--yes', '--no-tui'], tenant).code).toBe(0);
		const recorded = (address: string) =>
			(
				expectDocument(world.run(['state', 'show', address, '--stack', dir, '--json'], tenant).stdout) as {
					resource: {outputs: Record<string, string>};
				}
			).resource.outputs;
		// The oldest message's age is a CloudWatch metric: published as AWS would, for the queue's name.
		await moto
			.clients()
			.get(CloudWatchClient)
			.send(
				new PutMetricDataCommand({
					Namespace: 'AWS/SQS',
					MetricData: [
						{
							MetricName: 'ApproximateAgeOfOldestMessage',
							Value: 90,
							Dimensions: [{Name: 'QueueName', Value: recorded('data/orders-queue').queueUrl!.split('/').pop()!}],
						},
					],
				}),
			);

		const healthy = world.run(['status', dir], tenant);
		expect(healthy.stderr).toBe('');
		expect(healthy.code).toBe(0);
		expect(healthy.stdout).toMatch(/^✓ status-\w+ \(test\): healthy — 4 healthy/);
		expect(healthy.stdout).toMatch(
			/✓ data\/orders-queue\s+SQS\s+healthy\n\s+messages visible: 0\n\s+messages in flight: 0\n\s+oldest message: 1m 30s old\n\s+dead-letter queue: empty\n/,
		);
		expect(healthy.stdout).toMatch(/✓ data\/orders-table\s+DynamoDB\s+healthy\n\s+table: active\n/);

		await moto
			.clients()
			.get(SQSClient)
			.send(new SendMessageCommand({QueueUrl: recorded('data/orders-queue').deadLetterQueueUrl, MessageBody: 'poison'}));
		const degraded = world.run(['status', dir, 'orders-queue', '--json'], tenant);
		expect(degraded.code).toBe(0);
		const document = expectDocument(degraded.stdout);
		expect(document).toMatchObject({
			kind: 'Status',
			verdict: 'degraded',
			components: [
				{
					address: 'data/orders-queue',
					verdict: 'degraded',
					facts: expect.arrayContaining([{name: 'dead-letter queue', value: '1 message (failed processing)', verdict: 'degraded'}]),
				},
			],
		});

		// --watch: one Status document per line, read again every 5 s, until Ctrl-C (exit 130).
		const watching = spawnCli(['status', dir, 'orders-queue', '--watch', '--json'], {cwd: world.root, env: {...world.env, ...tenant}});
		await watching.waitForLine(/"value":"1 message \(failed processing\)"/);
		await moto
			.clients()
			.get(SQSClient)
			.send(new SendMessageCommand({QueueUrl: recorded('data/orders-queue').deadLetterQueueUrl, MessageBody: 'poison 2'}));
		await watching.waitForLine(/"value":"2 messages \(failed processing\)"/);
		watching.child.kill('SIGINT');
		expect((await watching.exit).code).toBe(130);
		expect(watching.lines.every((line) => JSON.parse(line).kind === 'Status')).toBe(true);

		await moto
			.clients()
			.get(DynamoDBClient)
			.send(new DeleteTableCommand({TableName: recorded('data/orders-table').tableName}));
		const failing = world.run(['status', dir], tenant);
		expect(failing.code).toBe(1);
		expect(failing.stdout).toMatch(/^✗ status-\w+ \(test\): failing — 2 healthy, 1 degraded, 1 failing/);
		expect(failing.stdout).toMatch(/✗ data\/orders-table\s+DynamoDB\s+failing\n\s+resource: .* not found in AWS/);

		const misspelt = world.run(['status', dir, 'orders-qeue'], tenant);
		expect(misspelt.code).toBe(2);
		expect(misspelt.stderr).toMatch(
			/no component or service named orders-qeue — did you mean "orders-queue"\?\nhint: panka service list shows them/,
		);
		expect(misspelt.stdout).toBe('');
	}, 60_000);

	it('the workbench: verdicts in the tree, and s opens the status pane, read again while it is open', async () => {
		const world = pankaWorld(moto.env);
		world.run(['admin', 'init']);
		const {tenant} = world.initTenant('acme');
		const dir = dataStack({stack: `pane-${Date.now().toString(36)}`});
		expect(world.run(['apply', dir, '--yes', '--no-tui'], tenant).code).toBe(0);
		const show = expectDocument(world.run(['state', 'show', 'data/orders-queue', '--stack', dir, '--json'], tenant).stdout) as {
			resource: {outputs: {deadLetterQueueUrl: string}};
		};
		const poison = () =>
			moto
				.clients()
				.get(SQSClient)
				.send(new SendMessageCommand({QueueUrl: show.resource.outputs.deadLetterQueueUrl, MessageBody: 'poison'}));
		await poison();

		term.start([dir], {env: {...world.env, ...moto.env, ...tenant}, cwd: world.root});
		let text = await term.waitForScreen((t) => /orders-queue\s+SQS\s+● ⚠/.test(t), 'the queue degraded in the tree', 20_000);
		expect(text).toMatch(/orders-table\s+DynamoDB\s+● ✓/);
		expect(text).toContain('s status');
		const selected = (t: string) => /│▌(.*?)│/.exec(t)?.[1]?.trim();
		for (let row = 0; row < 6 && !selected(term.screen())?.startsWith('orders-queue'); row++) {
			const before = selected(term.screen());
			term.keys('Down');
			await term.waitForScreen((t) => selected(t) !== before, 'the selection to move');
		}
		await term.waitForScreen((t) => /│▌ {2}orders-queue/.test(t), 'the queue selected');
		term.keys('s');
		text = await term.waitForScreen(
			(t) => t.includes('status · orders-queue') && t.includes('dead-letter queue: 1 message'),
			'the status pane',
		);
		expect(text).toMatch(/⚠ degraded\s+1 read/);
		expect(text).toContain('⚠ data/orders-queue  SQS  degraded');
		// A CloudWatch fact, shown like the rest: moto has no datapoint for the queue, and says so.
		expect(text).toContain('oldest message: no datapoints in the last 15 min');
		expect(text).not.toContain('orders-table');

		await poison();
		await term.waitForScreen((t) => t.includes('dead-letter queue: 2 messages'), 'the pane read again', 20_000);
		term.keys('s');
		text = await term.waitForScreen((t) => t.includes('status · whole stack'), 'the whole stack');
		expect(text).toContain('✓ data/orders-table  DynamoDB  healthy');
		term.keys('Escape');
		await term.waitForScreen((t) => t.includes('╭─ Components'), 'the tree again');
		term.keys('q');
		expect((await term.waitForExit()).status).toBe('0');
	}, 90_000);
});
