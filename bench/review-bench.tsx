/**
 * The plan review at scale (issue 3 §5, §7): a generated 2,000-component stack planned against an
 * empty state (2,000 creates, chained through valueFrom, so skipping one change skips a long tail
 * of dependents), rendered by the real review component in ink-testing-library.
 *
 *   key → frame for ↓, space (approve/skip), enter (diff), page down     target: p95 ≤ 50 ms
 *
 * "Frame" is the first `lastFrame()` that differs from the one before the key, found by polling
 * with setImmediate turns (no sleeps), so the figure includes the keymap, the reducer (the engine's
 * toggle for space), React and Ink's render of the whole frame. After each measured key the loop
 * lets the event loop turn a few more times, as a user's next key would find it. Figures are over
 * 50 presses per key after 3 warm-up presses; React runs its development build unless NODE_ENV is
 * set to production, so they are on the slow side of what a user sees.
 *
 * `node dist/bench/review-bench.js` runs this alone; bench/run.ts calls `reviewKeyToFrame`.
 */
import {mkdtempSync, rmSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {setImmediate as immediate} from 'node:timers/promises';
import {render} from 'ink-testing-library';
import {PlanReview} from '../components/review/PlanReview.js';
import {planChanges} from '../engine/plan/plan.js';
import {loadWorkspace} from '../engine/workspace.js';
import {generateStack} from './generate-stack.js';
import {type RecordResult, runStandalone} from './standalone.js';

const components = 2_000;
const presses = 50;
const warmUp = 3;
const budgetMs = 50;

const keys: ReadonlyArray<[name: string, sequence: string]> = [
	['↓', '\u001B[B'],
	['space (approve/skip)', ' '],
	['enter (diff)', '\r'],
	['page down', '\u001B[6~'],
];

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
export const median = (xs: number[]) => sorted(xs)[Math.floor(xs.length / 2)]!;
export const percentile = (xs: number[], p: number) => sorted(xs)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;

/** Milliseconds from writing `sequence` until the frame changes. */
export async function keyToFrame(
	stdin: {write(data: string): void},
	lastFrame: () => string | undefined,
	sequence: string,
): Promise<number> {
	const before = lastFrame();
	const started = performance.now();
	stdin.write(sequence);
	while (lastFrame() === before) {
		await immediate();
		if (performance.now() - started > 5_000) throw new Error(`no new frame within 5 s of ${JSON.stringify(sequence)}`);
	}
	const elapsed = performance.now() - started;
	for (let i = 0; i < 3; i++) await immediate(); // let the input handler re-bind before the next key
	return elapsed;
}

export async function reviewKeyToFrame(record: RecordResult): Promise<void> {
	const parent = mkdtempSync(path.join(os.tmpdir(), 'panka-review-bench-'));
	const rendered = {unmount: () => {}};
	try {
		const workspace = await loadWorkspace(generateStack(parent, components));
		const plan = planChanges(workspace, undefined);
		if (plan.summary.create !== components) throw new Error(`expected ${components} creates, planned ${JSON.stringify(plan.summary)}`);
		const {stdin, lastFrame, unmount} = render(<PlanReview plan={plan} onDone={() => {}} />);
		rendered.unmount = unmount;
		for (const [name, sequence] of keys) {
			for (let i = 0; i < warmUp; i++) await keyToFrame(stdin, lastFrame, sequence);
			const samples: number[] = [];
			for (let i = 0; i < presses; i++) samples.push(await keyToFrame(stdin, lastFrame, sequence));
			const p95 = percentile(samples, 0.95);
			record(
				`review key → frame, ${components} changes: ${name}`,
				`median ${median(samples).toFixed(1)} ms, p95 ${p95.toFixed(1)} ms`,
				`≤ ${budgetMs} ms`,
				p95 <= budgetMs,
			);
		}
	} finally {
		rendered.unmount();
		rmSync(parent, {recursive: true, force: true});
	}
}

await runStandalone(import.meta.url, reviewKeyToFrame);
