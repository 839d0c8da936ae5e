/**
 * Smoke test in a real terminal: the built CLI (`dist/bin/cli.js`, from `npm run build`) runs
 * the workbench on a copy of the demo inside a detached tmux pane (test/helpers/tmux.ts: 120×40,
 * TERM=xterm-256color, CI unset so the TUI is allowed). It checks that the tree renders, that
 * keys move, focus and open/close the help, and that q (exit 0) and ctrl+c (exit 130) leave the
 * terminal restored (raw mode off, cursor visible); and that --read-only (how the demo opens it
 * without moto_server) offers no plan or apply; and that e switches the environment.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {afterAll, afterEach, beforeAll, describe, expect, test} from 'vitest';
import {tmuxTerminal} from '../helpers/tmux.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const demoTenant = path.join(repoRoot, 'demo/tenant.yaml');
const term = tmuxTerminal('workbench');
const {screen, waitForScreen, waitForExit} = term;

const footer = (text: string) => text.trimEnd().split('\n').at(-1) ?? '';

let workDir = '';

beforeAll(() => {
	workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'panka-tmux-'));
});

afterEach(() => term.kill());

afterAll(() => {
	if (workDir) fs.rmSync(workDir, {recursive: true, force: true});
});

/** Start the workbench on a copy of the demo in a fresh 120×40 pane; the pane's shell reports how it ended (waitForExit). */
function startWorkbench(...flags: string[]): string {
	const stack = fs.mkdtempSync(path.join(workDir, 'stack-'));
	fs.cpSync(path.join(repoRoot, 'demo/notification-platform'), stack, {recursive: true});
	term.start([stack, '--tenant-config', demoTenant, ...flags]);
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

		term.keys('Down', 'Down');
		text = await waitForScreen((t) => t.includes('╭─ api/notification-queue'), 'the selection to move two rows');
		expect(text).toMatch(/│▌ {2}notification-queue\s+SQS/);
		expect(text).toContain('Needed by (4)');

		term.keys('Tab');
		text = await waitForScreen((t) => !footer(t).includes('←→ fold'), 'the focus to move to the details');
		expect(footer(text)).toContain('tab/⇧tab pane');

		term.keys('?');
		text = await waitForScreen((t) => t.includes('╭─ Keys'), 'the help overlay');
		expect(text).toContain('Everywhere');
		expect(text).toMatch(/q {2,}quit the workbench/);
		expect(text).toMatch(/tab {2,}focus the next pane/);

		term.keys('Escape');
		text = await waitForScreen((t) => t.includes('╭─ Components') && !t.includes('╭─ Keys'), 'the help to close');
		expect(text).toContain('╭─ api/notification-queue');

		term.keys('q');
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

		term.keys('C-c');
		const exit = await waitForExit();
		expect(exit.status).toBe('130');
		expect(exit.tty).toEqual(['icanon', 'echo']);
		expect(exit.cursor).toBe('1');
	}, 60_000);

	test('--read-only (the demo without moto_server): p and a are not offered, and pressed they say why instead of opening a review', async () => {
		startWorkbench('--read-only');
		let text = await waitForScreen((t) => t.includes('api-server') && t.includes('✓ no problems'), 'the tree');
		expect(footer(text)).not.toMatch(/p plan|a apply/);
		term.keys('p');
		text = await waitForScreen((t) => footer(t).includes('read-only'), 'the read-only notice');
		expect(footer(text)).toContain('read-only (--read-only): this workbench plans, applies and tails nothing');
		term.keys('a', 'y');
		text = await waitForScreen((t) => footer(t).includes('read-only'), 'the notice again');
		expect(text).not.toContain('Plan review');
		expect(text).not.toContain('Apply ·');
		term.keys('q');
		expect((await waitForExit()).status).toBe('0');
	}, 60_000);

	test('e switches the environment: the header names the other one (production marked protected) and the selection stays', async () => {
		startWorkbench();
		let text = await waitForScreen((t) => t.includes('api-server') && t.includes('✓ no problems'), 'the tree');
		const header = (t: string) => t.split('\n')[0] ?? '';
		const opened = /production/.test(header(text)) ? 'production' : 'staging';
		const other = opened === 'production' ? 'staging' : 'production';
		term.keys('Down', 'Down');
		await waitForScreen((t) => t.includes('╭─ api/notification-queue'), 'the selection to move');
		term.keys('e');
		text = await waitForScreen((t) => header(t).includes(other), `the header to name ${other}`);
		expect(header(text).includes('production [protected]')).toBe(other === 'production');
		expect(text).toContain('╭─ api/notification-queue');
		term.keys('q');
		expect((await waitForExit()).status).toBe('0');
	}, 60_000);
});
