/**
 * `npm run bench`: panka's speed targets, measured the way a user meets them.
 *
 *   validate + graph, 500 and 5,000 generated components   target: 5,000 in ≤ 1.0 s and ≤ 250 MB, linear
 *   panka --version vs node -e 0 (cold starts, median)      target: ≤ 1.5 ×
 *   panka validate demo vs node -e 0 (cold starts, median)  target: ≤ 2.5 ×
 *   workbench first frame, demo / 5,000 components (a pty)  target: ≤ 0.8 s / ≤ 1.5 s (workbench-first-frame.ts)
 *   file save → new graph in the watcher (demo stack)       target: ≤ 200 ms
 *   plan, 5,000 components vs 5,000 resources, 5 % changed   target: ≤ 1.5 s and ≤ 300 MB (plan-bench.ts)
 *   plan review key → frame, 2,000 changes                   target: p95 ≤ 50 ms (review-bench.tsx)
 *   workbench env switch (e) → frame, demo stack              target: p95 ≤ 200 ms (env-switch-bench.tsx)
 *   log tail into the workbench, key → frame while tailing   target: ≥ 10,000 lines/s, none lost; ≤ 50 ms (logs-bench.tsx)
 *   graph layout + first draw, demo / 500 components          target: ≤ 50 ms / ≤ 300 ms (graph-bench.tsx)
 *   graph pan key → frame (500), save → redrawn graph (demo)  target: p95 ≤ 50 ms / ≤ 200 ms (graph-bench.tsx)
 *   executor schedule vs the critical path                   target: ≤ 1.10 × ideal (executor-bench.ts)
 *   apply vs a bare SDK loop on moto, 200 resources          target: ≥ 0.80 of its calls/s (apply-bench.ts)
 *   the full demo apply on moto: wall time, calls/s vs bare   report (demo-apply-bench.ts)
 *   panka status of the demo stack on moto (parallel reads)   target: ≤ 1.5 × slowest call + 50 ms (status-bench.ts)
 *
 * Each figure is a median of several runs in fresh processes where it matters (RSS, cold start).
 * Exit code 1 when a target is missed, so the numbers cannot silently regress.
 */
import {spawnSync} from 'node:child_process';
import {cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {watchWorkspace} from '../engine/watch-workspace.js';
import {benchApplyAgainstMoto} from './apply-bench.js';
import {benchDemoApply} from './demo-apply-bench.js';
import {benchExecutor} from './executor-bench.js';
import {generateStack} from './generate-stack.js';
import {motoInstalled} from '../demo/moto-server.js';
import {planAtScale} from './plan-bench.js';
import {reviewKeyToFrame} from './review-bench.js';
import {envSwitchToFrame} from './env-switch-bench.js';
import {scriptAvailable, workbenchFirstFrame} from './workbench-first-frame.js';

// As in source/cli.ts: the SDK's notice that its 2027 releases need Node 22 (README covers Node support).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');
const cli = path.join(repo, 'dist', 'bin', 'cli.js');
const results: Array<{name: string; value: string; target: string; ok: boolean}> = [];
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;

function record(name: string, value: string, target: string, ok: boolean) {
	results.push({name, value, target, ok});
	process.stdout.write(`${ok ? 'ok  ' : 'MISS'}  ${name.padEnd(46)} ${value.padEnd(28)} target ${target}\n`);
}

async function validateAtScale() {
	const parent = mkdtempSync(path.join(os.tmpdir(), 'panka-bench-'));
	try {
		const runs: Record<number, {ms: number; maxRssMb: number}> = {};
		for (const size of [500, 5_000]) {
			const dir = generateStack(parent, size);
			const samples = Array.from({length: 5}, () => {
				const child = spawnSync(process.execPath, [path.join(here, 'validate-child.js'), dir], {encoding: 'utf8'});
				if (child.status !== 0) throw new Error(child.stderr);
				return JSON.parse(child.stdout) as {ms: number; maxRssMb: number; components: number; edges: number; errors: number};
			});
			if (samples[0]!.errors > 0) throw new Error(`generated stack of ${size} has ${samples[0]!.errors} errors`);
			runs[size] = {ms: median(samples.map((s) => s.ms)), maxRssMb: median(samples.map((s) => s.maxRssMb))};
			const {ms, maxRssMb} = runs[size]!;
			const label = `validate + graph, ${size} components (${samples[0]!.edges} edges)`;
			const value = `${ms.toFixed(0)} ms, ${maxRssMb.toFixed(0)} MB RSS`;
			if (size === 5_000) record(label, value, '≤ 1000 ms, ≤ 250 MB', ms <= 1_000 && maxRssMb <= 250);
			else record(label, value, 'report', true);
		}
		const growth = runs[5_000]!.ms / runs[500]!.ms;
		record('growth 500 → 5,000 (10× components)', `${growth.toFixed(1)}× time`, '≤ 12× (linear)', growth <= 12);
	} finally {
		rmSync(parent, {recursive: true, force: true});
	}
}

function coldStarts() {
	const time = (args: string[]) =>
		median(
			Array.from({length: 21}, () => {
				const started = performance.now();
				const child = spawnSync(process.execPath, args, {encoding: 'utf8'});
				if (child.status !== 0) throw new Error(child.stderr);
				return performance.now() - started;
			}),
		);
	time(['-e', '0']); // warm the file cache
	const node = time(['-e', '0']);
	const panka = time([cli, '--version']);
	record(
		'panka --version vs node -e 0',
		`${panka.toFixed(0)} ms vs ${node.toFixed(0)} ms = ${(panka / node).toFixed(2)}×`,
		'≤ 1.50×',
		panka / node <= 1.5,
	);
	const validate = time([cli, 'validate', path.join(repo, 'demo', 'notification-platform')]);
	record(
		'panka validate demo vs node -e 0',
		`${validate.toFixed(0)} ms vs ${node.toFixed(0)} ms = ${(validate / node).toFixed(2)}×`,
		'≤ 2.50×',
		validate / node <= 2.5,
	);
}

async function workbenchFrames() {
	if (!scriptAvailable()) {
		record('workbench first frame', 'skipped: util-linux script not installed', 'a pseudo-terminal', false);
		return;
	}
	const parent = mkdtempSync(path.join(os.tmpdir(), 'panka-bench-'));
	try {
		for (const [label, folder, targetMs] of [
			['demo', path.join(repo, 'demo', 'notification-platform'), 800],
			['5,000 components', generateStack(parent, 5_000), 1_500],
		] as const) {
			const {firstMs, loadedMs} = await workbenchFirstFrame(cli, folder);
			record(
				`workbench first frame, ${label}`,
				`${loadedMs.toFixed(0)} ms (loading frame ${firstMs.toFixed(0)} ms)`,
				`≤ ${targetMs} ms`,
				loadedMs <= targetMs,
			);
		}
	} finally {
		rmSync(parent, {recursive: true, force: true});
	}
}

async function saveToGraph() {
	const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'panka-bench-')), 'notification-platform');
	cpSync(path.join(repo, 'demo', 'notification-platform'), dir, {recursive: true});
	const controller = new AbortController();
	const file = path.join(dir, 'services', 'api', 'resources.yaml');
	const original = readFileSync(file, 'utf8');
	const iterator = watchWorkspace(dir, {}, {signal: controller.signal})[Symbol.asyncIterator]();
	await iterator.next();
	const latencies: number[] = [];
	for (let i = 0; i < 20; i++) {
		// Alternate between adding and removing a dependsOn edge, so every save changes the graph.
		const withEdge = i % 2 === 0;
		const text = withEdge ? original.replace('  type: standard\n', '  type: standard\n  dependsOn: [uploads-bucket]\n') : original;
		const started = performance.now();
		writeFileSync(file, text);
		for (;;) {
			const next = await iterator.next();
			if (next.done) throw new Error('watcher ended');
			if ((next.value.graph.edge('notification-queue', 'uploads-bucket') !== undefined) === withEdge) break;
		}
		latencies.push(performance.now() - started);
	}
	controller.abort();
	await iterator.return?.(undefined);
	rmSync(path.dirname(dir), {recursive: true, force: true});
	record(
		'file save → new graph (demo, watcher)',
		`median ${median(latencies).toFixed(0)} ms, p95 ${percentile(latencies, 0.95).toFixed(0)} ms`,
		'≤ 200 ms',
		percentile(latencies, 0.95) <= 200,
	);
}

/**
 * A bench in a child process with NODE_ENV=production, as the workbench runs (see logs-bench.tsx);
 * a fresh process also makes its first-call figures honest (graph-bench.tsx).
 */
function childBench(script: string) {
	const child = spawnSync(process.execPath, [path.join(here, script), '--json'], {
		encoding: 'utf8',
		env: {...process.env, NODE_ENV: 'production'},
	});
	const lines = child.stdout.split('\n').filter((l) => l.startsWith('{'));
	if (lines.length === 0) throw new Error(`${script} failed: ${child.stderr}`);
	for (const line of lines) {
		const {name, value, target, ok} = JSON.parse(line) as {name: string; value: string; target: string; ok: boolean};
		record(name, value, target, ok);
	}
}

async function executorSchedule() {
	const result = await benchExecutor();
	record(
		'executor: random 1,000-node DAG, 20 ms ops, ×10',
		`${result.wallMs.toFixed(0)} ms vs ideal ${result.idealMs.toFixed(0)} ms = ${result.ratio.toFixed(2)}×`,
		'≤ 1.10× ideal',
		result.ratio <= 1.1,
	);
}

/** Runs a moto bench, or records it as missed with the install hint when moto_server is missing. */
async function onMoto(name: string, bench: () => Promise<void>): Promise<void> {
	if (motoInstalled()) return bench();
	record(name, 'skipped: moto_server not installed', "pip install 'moto[server]'", false);
}

const applyOverhead = () =>
	onMoto('apply vs bare SDK loop on moto', async () => {
		const result = await benchApplyAgainstMoto();
		record(
			`apply ${result.resources} queues+tables on moto (${result.calls} calls)`,
			`${result.pankaCallsPerSecond.toFixed(0)} vs ${result.bareCallsPerSecond.toFixed(0)} calls/s = ${result.ratio.toFixed(2)}`,
			'≥ 0.80 of a bare SDK loop',
			result.ratio >= 0.8,
		);
	});

const demoApply = () =>
	onMoto('full demo apply on moto', async () => {
		const result = await benchDemoApply();
		record(
			`full demo apply on moto (${result.steps} steps, ${result.calls} calls)`,
			`${(result.applyMs / 1000).toFixed(1)} s wall, ${result.pankaCallsPerSecond.toFixed(0)} calls/s vs ${result.bareCallsPerSecond.toFixed(0)} calls/s bare`,
			'report',
			true,
		);
	});

process.stdout.write(`panka benchmarks — node ${process.version}, ${os.cpus().length} cpus, ${os.platform()}\n\n`);
await validateAtScale();
coldStarts();
await workbenchFrames();
await saveToGraph();
await planAtScale(record);
await reviewKeyToFrame(record);
await envSwitchToFrame(record);
childBench('logs-bench.js');
childBench('graph-bench.js');
await executorSchedule();
await applyOverhead();
await demoApply();
await onMoto('status of the demo stack on moto', async () => childBench('status-bench.js'));
const missed = results.filter((r) => !r.ok);
process.stdout.write(`\n${missed.length === 0 ? 'all targets met' : `${missed.length} target(s) missed`}\n`);
process.exitCode = missed.length === 0 ? 0 : 1;
