/**
 * Crash safety, as users would meet it: the apply process is SIGKILLed at random points (after a
 * random number of NDJSON events), then panka apply runs again. Every rerun converges: the state
 * records every resource exactly once, nothing is pending, and AWS has no resource panka does not
 * know about (counted through AWS list calls, not panka's state). 3 runs here; PANKA_LONG_TESTS=1
 * runs 12. The same file checks that two concurrent applies of one stack exclude each other.
 */
import {DynamoDBClient, ListTablesCommand} from '@aws-sdk/client-dynamodb';
import {ListQueuesCommand, SQSClient} from '@aws-sdk/client-sqs';
import {ListTopicsCommand, SNSClient} from '@aws-sdk/client-sns';
import {expect, it} from 'vitest';
import {dataStack} from '../helpers/data-stack.js';
import {describeAws, useMoto} from '../helpers/moto.js';
import {pankaWorld} from '../helpers/panka-world.js';
import {spawnCli} from '../helpers/spawn-cli.js';

const runs = process.env.PANKA_LONG_TESTS === '1' ? 12 : 3;
const extraQueues = 8;

function crashStack(stack: string): string {
	const extra = Array.from(
		{length: extraQueues},
		(_, i) => `apiVersion: components.panka.io/v1\nkind: SQS\nmetadata:\n  name: work-${i}\nspec:\n  deadLetterQueue:\n    enabled: true\n`,
	).join('---\n');
	return dataStack({stack, extra});
}

describeAws('crash convergence and locking', () => {
	const moto = useMoto();

	async function awsInventory(prefix: string) {
		const clients = moto.clients();
		const queues = (await clients.get(SQSClient).send(new ListQueuesCommand({QueueNamePrefix: prefix}))).QueueUrls ?? [];
		const tables = ((await clients.get(DynamoDBClient).send(new ListTablesCommand({}))).TableNames ?? []).filter((n) =>
			n.startsWith(prefix),
		);
		const topics = ((await clients.get(SNSClient).send(new ListTopicsCommand({}))).Topics ?? [])
			.map((t) => t.TopicArn!.split(':').pop()!)
			.filter((n) => n.startsWith(prefix));
		return {queues: queues.map((u) => u.split('/').pop()!), tables, topics};
	}

	for (let run = 0; run < runs; run++) {
		it(`converges after a SIGKILL at a random point (run ${run + 1} of ${runs})`, async () => {
			const world = pankaWorld(moto.env);
			world.run(['admin', 'init']);
			const init = world.run(['admin', 'tenant', 'init', 'acme', '--aws-account', '123456789012', '--region', 'us-east-1']);
			const tenant = {...moto.env, PANKA_TENANT: 'acme', PANKA_TENANT_SECRET: world.secretIn(init.stdout)};
			const stack = `crash${run}-${Date.now().toString(36)}`;
			const dir = crashStack(stack);
			const total = 4 + extraQueues;

			// Kill after a random number of events: anywhere from the first intent to the last result.
			const killAfter = 2 + Math.floor(Math.random() * total * 3);
			const first = spawnCli(['apply', dir, '--yes', '--json', '--parallelism', '3'], {cwd: world.root, env: {...world.env, ...tenant}});
			let events = 0;
			await new Promise<void>((resolve) => {
				first.child.stdout!.on('data', () => {
					events = first.lines.length;
					if (events >= killAfter && first.child.exitCode === null) {
						first.child.kill('SIGKILL');
						resolve();
					}
				});
				void first.exit.then(() => resolve());
			});
			await first.exit;

			// Rerun until it reports success (an interrupted create is adopted, never duplicated).
			let rerun = world.run(['apply', dir, '--yes', '--no-tui'], tenant);
			if (rerun.code !== 0) rerun = world.run(['apply', dir, '--yes', '--no-tui'], tenant);
			expect(rerun.code, `${rerun.stdout}\n${rerun.stderr}`).toBe(0);
			const state = JSON.parse(world.run(['state', 'list', '--stack', dir, '--json'], tenant).stdout);
			expect(state.pending).toEqual([]);
			expect(state.resources).toHaveLength(total);
			expect(state.resources.every((r: {status: string}) => r.status === 'ready')).toBe(true);

			// AWS has exactly what the state records: no orphans, no duplicates.
			const prefix = `acme-${stack}-test-`;
			const aws = await awsInventory(prefix);
			const recordedQueues = state.resources.filter((r: {kind: string}) => r.kind === 'SQS').length;
			expect(aws.queues).toHaveLength(recordedQueues * 2); // each with its dead-letter queue
			expect(new Set(aws.queues).size).toBe(aws.queues.length);
			// The stack name holds a hyphen: every name carries the identity hash.
			expect(aws.tables).toEqual([expect.stringMatching(new RegExp(`^${prefix}orders-table-[0-9a-f]{8}$`))]);
			expect(aws.topics).toEqual([expect.stringMatching(new RegExp(`^${prefix}order-events-[0-9a-f]{8}$`))]);
			expect(world.run(['plan', dir, '--detailed-exitcode'], tenant).code).toBe(0);

			expect(world.run(['destroy', dir, '--yes', '--no-tui'], tenant).code).toBe(0);
			expect(await awsInventory(prefix)).toEqual({queues: [], tables: [], topics: []});
		}, 90_000);
	}

	it('lets one of two concurrent applies of a stack run, and the other names the holder', async () => {
		const world = pankaWorld(moto.env);
		world.run(['admin', 'init']);
		const init = world.run(['admin', 'tenant', 'init', 'acme', '--aws-account', '123456789012', '--region', 'us-east-1']);
		const tenant = {...moto.env, PANKA_TENANT: 'acme', PANKA_TENANT_SECRET: world.secretIn(init.stdout)};
		// Enough work (40 more queues, one at a time) that the first apply is still running when the second starts.
		const dir = dataStack({
			stack: `locked-${Date.now().toString(36)}`,
			extra: Array.from({length: 40}, (_, i) => `apiVersion: components.panka.io/v1\nkind: SQS\nmetadata:\n  name: slow-${i}\n`).join(
				'---\n',
			),
		});
		const env = {...world.env, ...tenant};
		const a = spawnCli(['apply', dir, '--yes', '--json', '--parallelism', '1'], {cwd: world.root, env});
		await a.waitForLine(/"type":"apply\.start"/);
		const b = spawnCli(['apply', dir, '--yes', '--no-tui'], {cwd: world.root, env});
		const [first, second] = await Promise.all([a.exit, b.exit]);
		expect(first.code).toBe(0);
		expect(second.code).toBe(1);
		expect(second.stderr).toMatch(/is locked: "apply" by .*pid \d+/);
		expect(second.stderr).toMatch(/panka state unlock \S+/);
	}, 90_000);
});
