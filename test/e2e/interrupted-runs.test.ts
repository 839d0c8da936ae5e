/**
 * Runs cut short from outside, through the real binary on moto: a closed stdout or stderr
 * (`panka apply … | head -3`), SIGHUP (a CI runner going away), SIGINT, and a lock broken while
 * the run holds it. Each stops cleanly: nothing new starts, what ran is saved, the lock is
 * released, the exit code says what happened and the last line printed says how the run ended.
 */
import {existsSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {expect, it} from 'vitest';
import {dataStack} from '../helpers/data-stack.js';
import {describeAws, useMoto} from '../helpers/moto.js';
import {pankaWorld} from '../helpers/panka-world.js';
import {spawnCli} from '../helpers/spawn-cli.js';

/** The data stack plus 40 queues, applied one at a time: long enough to be interrupted. */
function slowStack(stack: string): string {
	const extra = Array.from({length: 40}, (_, i) => `apiVersion: components.panka.io/v1\nkind: SQS\nmetadata:\n  name: slow-${i}\n`).join(
		'---\n',
	);
	return dataStack({stack, extra});
}

describeAws('runs interrupted from outside', () => {
	const moto = useMoto();

	function setup() {
		const world = pankaWorld(moto.env);
		world.run(['admin', 'init']);
		const init = world.run(['admin', 'tenant', 'init', 'acme', '--aws-account', '123456789012', '--region', 'us-east-1']);
		const tenant = {...moto.env, PANKA_TENANT: 'acme', PANKA_TENANT_SECRET: world.secretIn(init.stdout)};
		const stack = `cut-${Date.now().toString(36)}`;
		const dir = slowStack(stack);
		const stateDir = path.join(world.pankaHome, 'tenants', 'acme', 'v1', 'stacks', stack, 'test');
		const env = {...world.env, ...tenant};
		const apply = (...flags: string[]) => spawnCli(['apply', dir, '--yes', '--parallelism', '1', ...flags], {cwd: world.root, env});
		const state = () => JSON.parse(world.run(['state', 'list', '--stack', dir, '--json'], tenant).stdout);
		return {world, tenant, dir, stateDir, apply, state, lockHeld: () => existsSync(path.join(stateDir, 'state.lock'))};
	}

	it('a closed stdout (`| head -3`) stops cleanly: lock released, what ran saved, exit 141, the outcome on stderr', async () => {
		const s = setup();
		const run = s.apply('--no-tui');
		await run.waitForLine(/Creating data\//);
		run.child.stdout!.destroy();
		const {code, stderr} = await run.exit;
		expect(code).toBe(141);
		expect(stderr).toMatch(/^panka: standard output was closed: starting nothing new; the steps in flight finish and are saved/m);
		expect(stderr.trim().split('\n').at(-1)).toMatch(
			/^⚠ Deploy interrupted \(standard output closed\): \d+ done, 0 failed, \d+ not started\. Run it again to finish\.$/,
		);
		expect(s.lockHeld()).toBe(false);
		const recorded = s.state();
		expect(recorded.pending).toEqual([]);
		expect(recorded.resources.length).toBeLessThan(44);
		// The next run finishes the job.
		expect(s.world.run(['apply', s.dir, '--yes', '--no-tui'], s.tenant)).toMatchObject({code: 0});
		expect(s.state().resources).toHaveLength(44);
	}, 90_000);

	it('a closed stderr stops cleanly too, and says so on stdout', async () => {
		const s = setup();
		// A refresh reports to stderr before the run: that write finds it closed.
		expect(s.world.run(['apply', s.dir, '--yes', '--no-tui', '--target', 'data/orders-queue'], s.tenant).code).toBe(0);
		const run = s.apply('--no-tui', '--refresh');
		run.child.stderr!.destroy();
		const {code} = await run.exit;
		expect(code).toBe(141);
		expect(run.lines.join('\n')).toMatch(/panka: standard error was closed: starting nothing new/);
		expect(run.lines.at(-1)).toMatch(/^⚠ Deploy interrupted \(standard error closed\): /);
		expect(s.lockHeld()).toBe(false);
	}, 90_000);

	it('SIGHUP (a CI runner going away) stops cleanly: the --json stream says why, exit 129', async () => {
		const s = setup();
		const run = s.apply('--json');
		await run.waitForLine(/"type":"resource\.start"/);
		run.child.kill('SIGHUP');
		const {code} = await run.exit;
		expect(code).toBe(129);
		const events = run.lines.map((line) => JSON.parse(line));
		expect(events.filter((e) => e.type === 'apply.interrupted')).toEqual([expect.objectContaining({mode: 'stop', cause: 'SIGHUP'})]);
		expect(events.at(-1)).toMatchObject({type: 'summary', interrupted: true, outcome: {kind: 'interrupted'}});
		expect(events.at(-1).outcome.headline).toMatch(/^⚠ Deploy interrupted \(SIGHUP\)/);
		expect(s.lockHeld()).toBe(false);
		expect(s.state().pending).toEqual([]);
	}, 90_000);

	it('the first Ctrl-C in --no-tui says at once that nothing new starts; the run ends with 130', async () => {
		const s = setup();
		const run = s.apply('--no-tui');
		await run.waitForLine(/Creating data\//);
		run.child.kill('SIGINT');
		await run.waitForLine(/^Interrupted: starting nothing new; waiting for the steps in flight to finish \(Ctrl-C again to abort them\)…$/);
		const {code} = await run.exit;
		expect(code).toBe(130);
		expect(run.lines.at(-1)).toMatch(/^⚠ Deploy interrupted: \d+ done, 0 failed, \d+ not started\. Run it again to finish\.$/);
		expect(s.lockHeld()).toBe(false);
	}, 90_000);

	it('a lock broken while the run holds it ends the run with the lock-lost outcome and exit 1, never a success', async () => {
		const s = setup();
		const run = s.apply('--json');
		await run.waitForLine(/"type":"resource\.start"/);
		const {id} = JSON.parse(readFileSync(path.join(s.stateDir, 'state.lock'), 'utf8'));
		expect(s.world.run(['state', 'unlock', id, '--stack', s.dir, '--yes'], s.tenant).code).toBe(0);
		const {code} = await run.exit;
		expect(code).toBe(1);
		const summary = JSON.parse(run.lines.at(-1)!);
		expect(summary.outcome.kind).toBe('lock-lost');
		expect(summary.outcome.headline).toMatch(/^✗ The stack's lock was lost while this run held it/);
		expect(summary.outcome.details[0]).toMatch(/was removed \(broken with panka state unlock\)/);
	}, 90_000);
});
