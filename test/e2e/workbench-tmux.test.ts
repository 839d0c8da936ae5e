/**
 * Smoke test in a real terminal: the built CLI (`dist/source/cli.js`, from `npm run build`) runs
 * the workbench on a copy of the demo inside a detached tmux pane (120×40, TERM=xterm-256color,
 * CI unset so the TUI is allowed). Keys go in with send-keys, the screen comes back with
 * capture-pane. It checks that the tree renders, that keys move, focus and open/close the help,
 * and that q (exit 0) and ctrl+c (exit 130) leave the terminal restored (raw mode off, cursor
 * visible).
 *
 * tmux runs on a private socket (-L) with no config (-f /dev/null), so neither the user's tmux
 * server nor their config takes part. Waiting polls the pane: no fixed sleeps.
 */
import {execFileSync, spawnSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {setTimeout as delay} from 'node:timers/promises';
import {fileURLToPath} from 'node:url';
import {afterAll, afterEach, beforeAll, describe, expect, test} from 'vitest';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cli = path.join(repoRoot, 'dist/source/cli.js');
const demoTenant = path.join(repoRoot, 'demo/tenant.yaml');
const socket = `panka-e2e-${process.pid}`;
const session = 'workbench';

/**
 * The environment the tmux server (and so the workbench) starts with: a minimal one, so nothing of
 * the test runner leaks into the pane (vitest's NODE_CHANNEL_FD, NODE_ENV, CI, VITEST_*).
 */
function cleanEnvironment(): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {TERM: 'xterm-256color'};
	for (const key of ['PATH', 'HOME', 'USER', 'LANG', 'LC_ALL', 'TMPDIR']) if (process.env[key] !== undefined) env[key] = process.env[key];
	return env;
}

function tmux(...args: string[]): string {
	return execFileSync('tmux', ['-L', socket, '-f', '/dev/null', ...args], {encoding: 'utf8', env: cleanEnvironment()});
}

function screen(): string {
	return tmux('capture-pane', '-p', '-t', session);
}

function pane(format: string): string {
	return tmux('display', '-p', '-t', session, format).trim();
}

/** Poll the pane until `check` passes (or time out with the last screen in the message). */
async function waitForScreen(check: (text: string) => boolean, what: string, timeoutMs = 15_000): Promise<string> {
	const started = Date.now();
	let text = '';
	while (Date.now() - started < timeoutMs) {
		text = screen();
		if (check(text)) return text;
		await delay(50);
	}
	throw new Error(`timed out waiting for ${what}; the screen was:\n${text}`);
}

const exitLine = /\[panka exited (\d+)\] \[tty ([^\]]*)\]/;

/**
 * How the workbench left the terminal: its exit status, the tty modes that matter (raw mode must
 * be off again: `icanon echo`, not `-icanon -echo`) and whether the cursor is visible. The pane's
 * shell prints the first two after node exits, then keeps the pane alive, so tmux's cursor flag
 * is what the app left behind (a dead pane gets tmux's own "Pane is dead" text instead).
 */
async function waitForExit(timeoutMs = 10_000): Promise<{status: string; tty: string[]; cursor: string}> {
	const text = await waitForScreen((t) => exitLine.test(t), 'the workbench to exit', timeoutMs);
	const [, status = '', tty = ''] = exitLine.exec(text) ?? [];
	return {status, tty: tty.trim().split(/\s+/), cursor: pane('#{cursor_flag}')};
}

const footer = (text: string) => text.trimEnd().split('\n').at(-1) ?? '';

let workDir = '';

beforeAll(() => {
	workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'panka-tmux-'));
});

/** Each test fails (never skips) without tmux or without the build. */
function requireTmuxAndBuild(): void {
	const probe = spawnSync('tmux', ['-V'], {encoding: 'utf8'});
	if (probe.error || probe.status !== 0) throw new Error('tmux is not installed; this test needs it: apt-get install -y tmux');
	if (!fs.existsSync(cli)) throw new Error(`${cli} is missing: run \`npm run build\` first (npm test does)`);
}

afterEach(() => {
	const socketPath = spawnSync('tmux', ['-L', socket, 'display', '-p', '#{socket_path}'], {encoding: 'utf8'}).stdout?.trim();
	spawnSync('tmux', ['-L', socket, 'kill-server']);
	if (socketPath) fs.rmSync(socketPath, {force: true});
});

afterAll(() => {
	if (workDir) fs.rmSync(workDir, {recursive: true, force: true});
});

const quote = (part: string) => `'${part.replaceAll("'", "'\\''")}'`;

/** Start the workbench in a fresh 120×40 pane; the pane's shell reports how it ended (waitForExit). */
function startWorkbench(): string {
	requireTmuxAndBuild();
	const stack = fs.mkdtempSync(path.join(workDir, 'stack-'));
	fs.cpSync(path.join(repoRoot, 'demo/notification-platform'), stack, {recursive: true});
	const workbench = ['env', '-u', 'CI', 'TERM=xterm-256color', process.execPath, cli, stack, '--tenant-config', demoTenant].map(quote).join(' ');
	const report = `printf '\\n[panka exited %s] [tty %s]\\n' "$status" "$(stty -a | tr ' ;' '\\n\\n' | grep -Ex -- '-?(icanon|echo)' | tr '\\n' ' ')"`;
	tmux('new-session', '-d', '-s', session, '-x', '120', '-y', '40', `${workbench}; status=$?; ${report}; exec sleep 600`);
	return stack;
}

describe('the workbench in a real terminal', () => {
	test('renders the tree, moves, focuses, opens and closes help, and q exits 0 with the terminal restored', async () => {
		startWorkbench();
		let text = await waitForScreen((t) => t.includes('╭─ Components') && t.includes('api-server') && /loaded/.test(t), 'the tree');
		expect(text).toContain('notification-platform');
		expect(text).toMatch(/│▌ {2}api-server\s+MicroService/);
		expect(text).toContain('╭─ api/api-server');
		// The frame fits the terminal: had it been taller, the header would have scrolled away.
		expect(text.split('\n')[0]).toMatch(/^panka notification-platform/);

		tmux('send-keys', '-t', session, 'Down', 'Down');
		text = await waitForScreen((t) => t.includes('╭─ api/notification-queue'), 'the selection to move two rows');
		expect(text).toMatch(/│▌ {2}notification-queue\s+SQS/);
		expect(text).toContain('Needed by (4)');

		tmux('send-keys', '-t', session, 'Tab');
		text = await waitForScreen((t) => !footer(t).includes('←→ fold'), 'the focus to move to the details');
		expect(footer(text)).toContain('tab/⇧tab pane');

		tmux('send-keys', '-t', session, '?');
		text = await waitForScreen((t) => t.includes('╭─ Keys'), 'the help overlay');
		expect(text).toContain('Everywhere');
		expect(text).toMatch(/q {2,}quit the workbench/);
		expect(text).toMatch(/tab {2,}focus the next pane/);

		tmux('send-keys', '-t', session, 'Escape');
		text = await waitForScreen((t) => t.includes('╭─ Components') && !t.includes('╭─ Keys'), 'the help to close');
		expect(text).toContain('╭─ api/notification-queue');

		tmux('send-keys', '-t', session, 'q');
		const exit = await waitForExit();
		expect(exit.status).toBe('0');
		expect(exit.tty).toEqual(['icanon', 'echo']);
		expect(exit.cursor).toBe('1');
		expect(screen()).not.toContain('╭─ Components');
	}, 60_000);

	test('follows a file save live, and ctrl+c exits 130 with the terminal restored', async () => {
		const stack = startWorkbench();
		await waitForScreen((t) => t.includes('api-server') && t.includes('✓ no problems'), 'the tree');
		const ecs = path.join(stack, 'services/api/ecs.yaml');
		fs.writeFileSync(ecs, fs.readFileSync(ecs, 'utf8').replace('  replicas: "${REPLICAS}"', '  replicas: "${REPLICAS}"\n  replicaz: 4'));
		const text = await waitForScreen((t) => t.includes('services/api/ecs.yaml:21:3'), 'the new diagnostic');
		expect(text).toContain('unknown field "replicaz"');
		expect(text).toContain('reloaded');

		tmux('send-keys', '-t', session, 'C-c');
		const exit = await waitForExit();
		expect(exit.status).toBe('130');
		expect(exit.tty).toEqual(['icanon', 'echo']);
		expect(exit.cursor).toBe('1');
	}, 60_000);
});
