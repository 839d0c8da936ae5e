/**
 * The apply dashboard in a real terminal, on moto, through the built binary in a tmux pane (a TTY,
 * CI unset: the TUI path), checked through the AWS API and panka's state afterwards:
 * - `panka apply` opens the review, y applies, the dashboard shows the ✓ rows and the outputs, a
 *   key leaves, exit 0, and the terminal is restored;
 * - one ctrl+c during a long apply stops it: the notice shows, the steps in flight finish (none
 *   is aborted: the key is not also delivered as SIGINT), exit 130, nothing pending in the state
 *   and no queue in AWS that the state does not record;
 * - `panka destroy`: ctrl+c right after the stack name is typed (a SIGINT, before the dashboard
 *   holds the terminal) interrupts it: nothing is deleted, the dashboard says interrupted, exit 130;
 * - the workbench: a plans, y applies, and back in the tree every component shows deployed.
 */
import {mkdirSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {ListQueuesCommand, SQSClient} from '@aws-sdk/client-sqs';
import {afterEach, expect, it} from 'vitest';
import {dataStack} from '../helpers/data-stack.js';
import {describeAws, useMoto} from '../helpers/moto.js';
import {pankaWorld} from '../helpers/panka-world.js';
import {tmuxTerminal} from '../helpers/tmux.js';

const term = tmuxTerminal('dashboard');
afterEach(() => term.kill());

/**
 * The data stack plus `queues` SQS queues (each with a dead-letter queue), in services of at most
 * 25 components (the tenant allows 50 per service).
 */
function queueStack(stack: string, queues: number): string {
	const dir = dataStack({stack});
	for (let service = 0; service * 25 < queues; service++) {
		const folder = path.join(dir, 'services', `work${service}`);
		mkdirSync(folder, {recursive: true});
		writeFileSync(path.join(folder, 'service.yaml'), `apiVersion: core.panka.io/v1\nkind: Service\nmetadata:\n  name: work${service}\n`);
		const count = Math.min(25, queues - service * 25);
		const docs = Array.from(
			{length: count},
			(_, i) =>
				`---\napiVersion: components.panka.io/v1\nkind: SQS\nmetadata:\n  name: work-${String(service * 25 + i).padStart(3, '0')}\nspec:\n  deadLetterQueue:\n    enabled: true\n`,
		);
		writeFileSync(path.join(folder, 'queues.yaml'), docs.join(''));
	}
	return dir;
}

describeAws('the apply dashboard in a real terminal', () => {
	const moto = useMoto();

	function tenantWorld() {
		const world = pankaWorld(moto.env);
		expect(world.run(['admin', 'init']).code).toBe(0);
		const init = world.run(['admin', 'tenant', 'init', 'acme', '--aws-account', '123456789012', '--region', 'us-east-1']);
		expect(init.code, init.stderr).toBe(0);
		const tenant = {PANKA_TENANT: 'acme', PANKA_TENANT_SECRET: world.secretIn(init.stdout)};
		return {world, tenant, env: {...world.env, ...moto.env, ...tenant}};
	}

	async function queuesInAws(prefix: string): Promise<string[]> {
		const urls =
			(
				await moto
					.clients()
					.get(SQSClient)
					.send(new ListQueuesCommand({QueueNamePrefix: prefix, MaxResults: 1000}))
			).QueueUrls ?? [];
		return urls.map((u) => u.split('/').pop()!).sort();
	}

	function stateList(world: ReturnType<typeof pankaWorld>, tenant: Record<string, string>, stack: string) {
		const listed = world.run(['state', 'list', '--stack', stack, '--json'], tenant);
		expect(listed.code, listed.stderr).toBe(0);
		return JSON.parse(listed.stdout) as {
			resources: Array<{address: string; kind: string; status: string; physicalId: string}>;
			pending: unknown[];
		};
	}

	it('panka apply: the review, y, the dashboard with ✓ rows and the outputs, a key leaves, exit 0', async () => {
		const {world, tenant, env} = tenantWorld();
		const name = `shop-${Date.now().toString(36)}`;
		const stack = dataStack({stack: name});
		term.start(['apply', stack], {env, cwd: world.root});
		let text = await term.waitForScreen(
			(t) => t.includes(`Plan review · ${name} · test`) && t.includes('y apply approved changes'),
			'the review',
		);
		expect(text).toContain('Plan: 4 to add, 0 to change, 0 to replace, 0 to destroy');
		expect(text).toContain('y applies the 4 approved changes');

		term.keys('y');
		text = await term.waitForScreen((t) => t.includes('✓ Stack deployed successfully!'), 'the end of the apply');
		expect(text).toContain(`Apply · ${name} · test`);
		expect(text).toContain('4 of 4 steps · 100%');
		for (const address of ['data/orders-queue', 'data/order-events', 'data/orders-table', 'data/uploads'])
			expect(text).toMatch(new RegExp(`✓ create +${address} `));
		expect(text).toMatch(/Outputs \(\d+\)/);
		expect(text).toMatch(new RegExp(`orders-queue\\.queueUrl = http://127\\.0\\.0\\.1:\\d+/123456789012/acme-${name}-test-orders-queue`));
		expect(text).not.toMatch(/\._\w+ = /);
		expect(text.trimEnd().split('\n').at(-1)).toContain('enter/esc/q leave');
		// The frame fits the terminal: its top border is still the first row.
		expect(text.split('\n')[0]).toMatch(/^╭─ Apply/);

		term.keys('Enter');
		const exit = await term.waitForExit();
		expect(exit).toEqual({status: '0', tty: ['icanon', 'echo'], cursor: '1'});
		// The dashboard cleared itself; the result stays in the scrollback as --no-tui prints it.
		text = term.screen();
		expect(text).not.toContain('╭─ Apply');
		expect(text).toContain('✓ Stack deployed successfully!');

		const state = stateList(world, tenant, stack);
		expect(state.resources.map((r) => r.address).sort()).toEqual([
			'data/order-events',
			'data/orders-queue',
			'data/orders-table',
			'data/uploads',
		]);
		// The stack name holds a hyphen: both names carry the identity hash.
		const queues = await queuesInAws(`acme-${name}-test-`);
		expect(queues).toHaveLength(2);
		expect(queues).toEqual(
			expect.arrayContaining([
				expect.stringMatching(new RegExp(`^acme-${name}-test-orders-queue-dlq-[0-9a-f]{8}$`)),
				expect.stringMatching(new RegExp(`^acme-${name}-test-orders-queue-[0-9a-f]{8}$`)),
			]),
		);
	}, 90_000);

	it('ctrl+c once: the notice, the steps in flight finish, exit 130, nothing pending and no orphaned queue', async () => {
		const {world, tenant, env} = tenantWorld();
		const name = `big-${Date.now().toString(36)}`;
		const queues = 100;
		const stack = queueStack(name, queues);
		const total = queues + 4;
		term.start(['apply', stack, '--parallelism', '2'], {env, cwd: world.root});
		await term.waitForScreen((t) => t.includes('y apply approved changes'), 'the review', 30_000);
		term.keys('y');
		// Some steps done, the run far from over: interrupt it.
		const doneCount = (t: string) => Number(/✓ (\d+) done/.exec(t)?.[1] ?? 0);
		let text = await term.waitForScreen((t) => doneCount(t) >= 5, 'a few steps done', 30_000);
		expect(doneCount(text)).toBeLessThan(total - 10);
		term.keys('C-c');
		// The question shows while the steps in flight finish (on moto, for a few dozen ms at most).
		const asked = await term.waitForScreen(
			(t) => t.includes('Stop after in-flight operations?') || t.includes('Deploy interrupted'),
			'the stop notice',
			15_000,
			0,
		);
		if (asked.includes('Stop after in-flight operations?'))
			expect(asked).toMatch(
				/Stop after in-flight operations\? \(Ctrl-C again aborts them\)\s*│\n│ +Stopping: nothing new starts; the (1 step in flight finishes and is|\d steps in flight finish and are) saved/,
			);
		text = await term.waitForScreen((t) => t.includes('⚠ Deploy interrupted'), 'the interrupted summary', 30_000);
		expect(text).toMatch(/⚠ Stopped after the in-flight operations \(finished and saved\); \d+ not started · finished in/);
		// One ctrl+c is one stop: nothing was aborted (the key did not also arrive as SIGINT), nothing failed.
		expect(text).toMatch(/⚠ Deploy interrupted: \d+ done, 0 failed, \d+ not started/);
		expect(text).not.toContain('Aborting');
		const [, doneSteps = '0', notStarted = '0'] = /Deploy interrupted: (\d+) done, 0 failed, (\d+) not started/.exec(text) ?? [];
		expect(Number(doneSteps) + Number(notStarted)).toBe(total);
		expect(Number(notStarted)).toBeGreaterThan(0);

		term.keys('Enter');
		const exit = await term.waitForExit();
		expect(exit).toEqual({status: '130', tty: ['icanon', 'echo'], cursor: '1'});

		// The state records exactly what was done, nothing is pending, and AWS holds nothing else.
		const state = stateList(world, tenant, stack);
		expect(state.pending).toEqual([]);
		expect(state.resources).toHaveLength(Number(doneSteps));
		expect(state.resources.every((r) => r.status === 'ready')).toBe(true);
		// Each recorded queue and its dead-letter queue, by the names the state records.
		const recorded = state.resources
			.filter((r) => r.kind === 'SQS')
			.flatMap((r) => {
				const shown = world.run(['state', 'show', r.address, '--stack', stack, '--json'], tenant);
				const {primary, deadLetterQueue} = (JSON.parse(shown.stdout) as {resource: {physicalNames: Record<string, string>}}).resource
					.physicalNames;
				return [primary!, deadLetterQueue!];
			});
		expect(await queuesInAws(`acme-${name}-test-`)).toEqual(recorded.sort());
	}, 120_000);

	it('panka destroy: ctrl+c right after the confirmation interrupts it before any step: nothing deleted, exit 130', async () => {
		const {world, tenant, env} = tenantWorld();
		const name = `gone-${Date.now().toString(36)}`;
		const stack = dataStack({stack: name});
		const applied = world.run(['apply', stack, '--yes', '--no-tui'], tenant);
		expect(applied.code, applied.stderr).toBe(0);
		const queues = await queuesInAws(`acme-${name}-test-`);
		expect(queues).toHaveLength(2);

		term.start(['destroy', stack], {env, cwd: world.root});
		await term.waitForScreen((t) => t.includes('Type the stack name to confirm'), 'the confirmation');
		expect(term.ttyModes()).toContain('-icanon');
		term.keys(name, 'Enter');
		// The prompt let the terminal go (cooked again, so ^C is a SIGINT) and the dashboard has not
		// taken it yet: the stop comes before the engine has started anything.
		const started = Date.now();
		while (!term.ttyModes().includes('icanon')) {
			if (Date.now() - started > 10_000) throw new Error(`the confirmation never let the terminal go; the screen was:\n${term.screen()}`);
		}
		term.keys('C-c');
		const text = await term.waitForScreen((t) => t.includes('⚠ Destroy interrupted'), 'the interrupted summary', 30_000);
		expect(text).toMatch(/⚠ Destroy interrupted: 0 done, 0 failed, 4 not started/);

		term.keys('Enter');
		expect(await term.waitForExit()).toEqual({status: '130', tty: ['icanon', 'echo'], cursor: '1'});
		const state = stateList(world, tenant, stack);
		expect(state.pending).toEqual([]);
		expect(state.resources.map((r) => r.address).sort()).toEqual([
			'data/order-events',
			'data/orders-queue',
			'data/orders-table',
			'data/uploads',
		]);
		expect(await queuesInAws(`acme-${name}-test-`)).toEqual(queues);
	}, 90_000);

	it('the workbench: a plans, y applies on the dashboard, and the tree shows each component deployed', async () => {
		const {world, env} = tenantWorld();
		const name = `wb-${Date.now().toString(36)}`;
		const stack = dataStack({stack: name});
		term.start([stack], {env, cwd: world.root});
		let text = await term.waitForScreen((t) => t.includes('╭─ Components') && t.includes('0 deployed'), 'the tree with what is deployed');
		expect(text).toMatch(/orders-queue +SQS +○/);

		term.keys('a');
		text = await term.waitForScreen((t) => t.includes(`Plan review · ${name} · test`), 'the review');
		expect(text).toContain('y applies the 4 approved changes');
		term.keys('y');
		text = await term.waitForScreen((t) => t.includes('✓ Stack deployed successfully!'), 'the end of the apply');
		expect(text).toMatch(/orders-queue\.queueUrl = http/);

		term.keys('Escape');
		text = await term.waitForScreen((t) => t.includes('╭─ Components') && t.includes('4 deployed'), 'the tree again');
		for (const component of ['orders-queue', 'order-events', 'orders-table', 'uploads'])
			expect(text).toMatch(new RegExp(`${component} +\\w+ +●`));
		expect(text).toContain('✓ Stack deployed successfully!');
		expect(text).toMatch(/● deployed {2}http:\/\/127\.0\.0\.1:\d+\/123456789012\/acme-wb-/);

		term.keys('q');
		expect(await term.waitForExit()).toEqual({status: '0', tty: ['icanon', 'echo'], cursor: '1'});
	}, 90_000);
});
