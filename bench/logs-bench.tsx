/**
 * Log tail into the workbench (issue 5 §5, §8): the real Workbench on the demo stack, `l` on a
 * component, and a logs service that yields synthetic lines the way tailLogs does (one event at
 * a time from an async generator, giving the event loop a turn now and then as network reads
 * would). Three figures:
 *
 *   throughput  200,000 lines as fast as the pane takes them: lines/s from the first line to the
 *               frame that shows the last one; and none lost: the pane's count (kept + dropped
 *               by its capacity) equals what was sent.                 target: ≥ 10,000 lines/s
 *   lag         10,000 lines/s paced for 4 s: how long after the last line was written the frame
 *               shows it.                                              report
 *   key → frame space (pause / live) pressed 40 times while 10,000 lines/s arrive: from the key
 *               to the first frame that shows the new mode.            target: p95 ≤ 50 ms
 *
 * Frames are read with ink-testing-library (`lastFrame()`, polled with setImmediate turns, no
 * sleeps in the measurement). Ink there renders every commit (debug mode), where a terminal
 * renders at most 30 frames/s, so the frame count is on the high side of what a user's terminal
 * gets. Run it with NODE_ENV=production, as the workbench runs (source/ui.ts): React's
 * development build records a diff of every changed prop for its performance tracks, walking the
 * pane's 50,000 kept lines on every frame, which no user ever runs.
 *
 * `NODE_ENV=production node dist/bench/logs-bench.js [--json]` runs this alone (one JSON record
 * per line with --json); bench/run.ts runs it that way in a child process.
 */
import {cpSync, mkdtempSync, rmSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {setImmediate as immediate, setTimeout as sleep} from 'node:timers/promises';
import {fileURLToPath} from 'node:url';
import {render} from 'ink-testing-library';
import type {LogsService} from '../components/services.js';
import {Workbench} from '../components/Workbench.js';
import type {LogEvent} from '../engine/logs/tail-logs.js';
import {type RecordResult, runStandalone} from './standalone.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const burstLines = 200_000;
const pacedRate = 10_000;
const pacedSeconds = 4;
const presses = 40;

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const median = (xs: number[]) => sorted(xs)[Math.floor(xs.length / 2)]!;
const percentile = (xs: number[], p: number) => sorted(xs)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;

const event = (i: number, run: string): LogEvent => ({
	type: 'log.line',
	component: 'api-server',
	address: 'api/api-server',
	timestamp: Date.now(),
	message: `${run} ${i} GET /notifications/${i % 997} 200 12ms user=${(i * 7919) % 10_000}`,
	eventId: `${run}-${i}`,
});

/** What each tail yields: a burst, or lines paced at `rate` for `seconds`. */
type Feed = {kind: 'burst'; lines: number} | {kind: 'paced'; rate: number; seconds: number};

async function* feed(
	spec: Feed,
	run: string,
	progress: {sent: number; lastWrittenAt: number},
	signal: AbortSignal,
): AsyncGenerator<LogEvent> {
	if (spec.kind === 'burst') {
		for (let i = 0; i < spec.lines; i++) {
			if (signal.aborted) return;
			yield event(i, run);
			progress.sent++;
			if (i % 1_000 === 999) await immediate();
		}
		progress.lastWrittenAt = performance.now();
		return;
	}
	const started = performance.now();
	const total = spec.rate * spec.seconds;
	let i = 0;
	while (i < total && !signal.aborted) {
		const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * spec.rate));
		for (; i < due; i++) {
			yield event(i, run);
			progress.sent++;
		}
		await sleep(2);
	}
	progress.lastWrittenAt = performance.now();
}

async function until(
	lastFrame: () => string | undefined,
	test: (frame: string) => boolean,
	what: string,
	limitMs = 60_000,
): Promise<number> {
	const started = performance.now();
	while (!test(lastFrame() ?? '')) {
		await immediate();
		if (performance.now() - started > limitMs) throw new Error(`logs bench: no frame with ${what} within ${limitMs} ms:\n${lastFrame()}`);
	}
	return performance.now();
}

/** Lines the pane has received, from its status line: kept ("N lines") plus dropped by the capacity. */
function paneCount(frame: string): number {
	const kept = /([\d,]+) lines/.exec(frame)?.[1];
	const dropped = /\(([\d,]+) older dropped\)/.exec(frame)?.[1];
	const n = (s: string | undefined) => (s ? Number(s.replaceAll(',', '')) : 0);
	return n(kept) + n(dropped);
}

export async function logTailBench(record: RecordResult): Promise<void> {
	const scratch = mkdtempSync(path.join(os.tmpdir(), 'panka-logs-bench-'));
	const root = path.join(scratch, 'notification-platform');
	cpSync(path.join(repo, 'demo', 'notification-platform'), root, {recursive: true});
	const feeds: Feed[] = [];
	const progress = {sent: 0, lastWrittenAt: 0};
	let runs = 0;
	const logs: LogsService = (_workspace, request) =>
		feed(feeds.shift() ?? {kind: 'burst', lines: 0}, `run${++runs}`, progress, request.signal);
	const options = {tenantConfigPath: path.join(repo, 'demo', 'tenant.yaml'), env: {}};
	const app = render(<Workbench root={root} options={options} services={{logs}} debounceMs={50} />);
	const {stdin, lastFrame} = app;
	try {
		await until(lastFrame, (f) => /loaded/.test(f) && f.includes('Components'), 'the workspace');
		await immediate();

		// 1. Throughput: a burst, as fast as the pane takes it.
		feeds.push({kind: 'burst', lines: burstLines});
		const opened = performance.now();
		stdin.write('l');
		await until(lastFrame, (f) => f.includes('logs · '), 'the logs pane');
		const shownAt = await until(lastFrame, (f) => f.includes(`run1 ${burstLines - 1} GET`), 'the last line');
		const counted = paneCount(lastFrame() ?? '');
		const rate = burstLines / ((shownAt - opened) / 1000);
		record(
			`log tail into the workbench: ${burstLines.toLocaleString('en-US')} lines`,
			`${Math.round(rate).toLocaleString('en-US')} lines/s, ${counted === burstLines ? 'none lost' : `${burstLines - counted} LOST`}`,
			'≥ 10,000 lines/s, none lost',
			rate >= 10_000 && counted === burstLines,
		);

		// 2 and 3. Paced at 10,000 lines/s: keys while tailing, then the lag of the last line.
		stdin.write('\u001B'); // back to the tree
		await until(lastFrame, (f) => f.includes('╭─ Components'), 'the tree');
		feeds.push({kind: 'paced', rate: pacedRate, seconds: pacedSeconds});
		progress.sent = 0;
		progress.lastWrittenAt = 0;
		stdin.write('l');
		await until(lastFrame, (f) => f.includes('run2 '), 'the paced lines');
		const samples: number[] = [];
		for (let i = 0; i < presses && progress.lastWrittenAt === 0; i++) {
			const pausing = i % 2 === 0;
			const started = performance.now();
			stdin.write(' ');
			const at = await until(lastFrame, (f) => (pausing ? f.includes('⏸ paused') : f.includes('● live')), pausing ? 'paused' : 'live');
			samples.push(at - started);
			await sleep(40); // a user's next key comes later; lines keep arriving meanwhile
		}
		if (lastFrame()?.includes('⏸ paused')) stdin.write(' ');
		const total = pacedRate * pacedSeconds;
		await until(lastFrame, () => progress.lastWrittenAt > 0, 'the end of the paced feed');
		const lastShown = await until(lastFrame, (f) => f.includes(`run2 ${total - 1} GET`), 'the last paced line');
		const lag = lastShown - progress.lastWrittenAt;
		const countedPaced = paneCount(lastFrame() ?? '');
		record(
			`log tail at ${pacedRate.toLocaleString('en-US')} lines/s for ${pacedSeconds} s: last line on screen`,
			`${lag.toFixed(0)} ms after it was written, ${countedPaced === total ? 'none lost' : `${total - countedPaced} LOST`}`,
			'report, none lost',
			countedPaced === total,
		);
		const p95 = percentile(samples, 0.95);
		record(
			`key → frame while tailing ${pacedRate.toLocaleString('en-US')} lines/s (space, ${samples.length}×)`,
			`median ${median(samples).toFixed(1)} ms, p95 ${p95.toFixed(1)} ms`,
			'≤ 50 ms',
			p95 <= 50 && samples.length >= 10,
		);
	} finally {
		app.unmount();
		rmSync(scratch, {recursive: true, force: true});
	}
}

await runStandalone(import.meta.url, logTailBench);
