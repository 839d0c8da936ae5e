/**
 * The drawn graph in a real terminal: the built CLI runs the workbench on a copy of the demo in a
 * detached tmux pane (test/helpers/tmux.ts), 90 columns wide and with NO_COLOR set, so the graph
 * degrades as it should: one-row boxes, and glyphs where colour would say something (the
 * critical path drawn heavy). `/` jumps, a file save that adds an edge is redrawn, q exits 0 with
 * the terminal restored.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {afterAll, afterEach, beforeAll, describe, expect, test} from 'vitest';
import {tmuxTerminal} from '../helpers/tmux.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const demoTenant = path.join(repoRoot, 'demo/tenant.yaml');
const term = tmuxTerminal('graph');
const {waitForScreen, waitForExit} = term;

let workDir = '';
beforeAll(() => {
	workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'panka-graph-tmux-'));
});
afterEach(() => term.kill());
afterAll(() => {
	if (workDir) fs.rmSync(workDir, {recursive: true, force: true});
});

describe('the drawn graph in a real terminal', () => {
	test('narrow and without colour: compact boxes, a heavy critical path; / jumps; a save adds an edge; q exits 0', async () => {
		const stack = fs.mkdtempSync(path.join(workDir, 'stack-'));
		fs.cpSync(path.join(repoRoot, 'demo/notification-platform'), stack, {recursive: true});
		term.start([stack, '--tenant-config', demoTenant], {env: {NO_COLOR: '1'}, columns: 90, rows: 40});
		await waitForScreen((t) => t.includes('╭─ Components') && /loaded/.test(t), 'the tree');

		term.keys('g');
		let text = await waitForScreen((t) => t.includes('Graph · api/api-server'), 'the drawn graph');
		expect(text).toContain('whole stack · 10 components');
		expect(text).toMatch(/◉ +api-server\]/); // one-row box, pinned
		expect(text).toMatch(/\[ +api-db\]━+/); // the critical path, heavy without colour
		expect(text).toContain('━▶ critical path');
		expect(text).not.toContain('╭──'); // no full boxes at this width

		term.keys('/', 'c', 'r', 'o', 'n', 'Enter');
		text = await waitForScreen((t) => t.includes('Graph · scheduler/cron-job'), 'the jump to cron-job');
		expect(text).toMatch(/◉ +cron-job\]/);

		const file = path.join(stack, 'services/scheduler/eventbridge.yaml');
		const original = fs.readFileSync(file, 'utf8');
		fs.writeFileSync(
			file,
			original.replace(
				'  description: "Queue the daily digest notification"\n',
				'  description: "Queue the daily digest notification"\n  dependsOn:\n    - cron-job\n',
			),
		);
		term.keys('s'); // the neighbourhood: cron-job's dependents now include daily-digest
		text = await waitForScreen((t) => /neighbourhood, depth 2/.test(t) && t.includes('daily-digest'), 'the new edge to be drawn');
		expect(text).toMatch(/cron-job\][╌─]*/);

		term.keys('q');
		const exit = await waitForExit();
		expect(exit.status).toBe('0');
		expect(exit.tty).toEqual(['icanon', 'echo']);
	}, 60_000);
});
