/**
 * Switching environment in the workbench (issue 12 §2): the real Workbench on a copy of the demo
 * stack (staging and production), rendered in ink-testing-library.
 *
 *   e → the header names the other environment, its workspace resolved and drawn   target: p95 ≤ 200 ms
 *
 * Measured from writing `e` to the first frame whose header names the environment switched to,
 * polled with setImmediate turns (no sleeps): the keymap, the reducer, a new watch resolving the
 * folder for that environment, React and Ink's render. 20 switches after 2 warm-up ones.
 *
 * `node dist/bench/env-switch-bench.js` runs this alone; bench/run.ts calls `envSwitchToFrame`.
 */
import {cpSync, mkdtempSync, rmSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {setImmediate as immediate} from 'node:timers/promises';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {render} from 'ink-testing-library';
import {Workbench} from '../components/Workbench.js';

type RecordResult = (name: string, value: string, target: string, ok: boolean) => void;

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const switches = 20;
const warmUp = 2;
const budgetMs = 200;

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const percentile = (xs: number[], p: number) => sorted(xs)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;

async function until(condition: () => boolean, what: string): Promise<void> {
	const started = performance.now();
	while (!condition()) {
		await immediate();
		if (performance.now() - started > 10_000) throw new Error(`no frame with ${what} within 10 s`);
	}
}

export async function envSwitchToFrame(record: RecordResult): Promise<void> {
	const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'panka-env-bench-')), 'notification-platform');
	cpSync(path.join(repo, 'demo', 'notification-platform'), dir, {recursive: true});
	const options = {tenantConfigPath: path.join(repo, 'demo', 'tenant.yaml'), env: {}};
	const app = render(<Workbench root={dir} options={options} />);
	const header = () => (app.lastFrame() ?? '').split('\n')[0] ?? '';
	try {
		await until(() => /loaded/.test(header()) && header().includes('/staging'), 'the first workspace');
		const samples: number[] = [];
		for (let i = 0; i < warmUp + switches; i++) {
			const target = header().includes('/staging') ? '/production' : '/staging';
			const started = performance.now();
			app.stdin.write('e');
			await until(() => header().includes(target), target);
			if (i >= warmUp) samples.push(performance.now() - started);
			for (let turn = 0; turn < 3; turn++) await immediate();
		}
		const p95 = percentile(samples, 0.95);
		record(
			`env switch (e) → frame, demo stack`,
			`p50 ${percentile(samples, 0.5).toFixed(0)} ms, p95 ${p95.toFixed(0)} ms`,
			`p95 ≤ ${budgetMs} ms`,
			p95 <= budgetMs,
		);
	} finally {
		app.unmount();
		app.cleanup();
		rmSync(path.dirname(dir), {recursive: true, force: true});
	}
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
	await envSwitchToFrame((name, value, target, ok) =>
		process.stdout.write(`${ok ? 'ok  ' : 'MISS'}  ${name}  ${value}  target ${target}\n`),
	);
	process.exit(0);
}
