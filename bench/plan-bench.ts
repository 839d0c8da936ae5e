/**
 * The plan at scale (issue 3 §7): a generated 5,000-component stack against the 5,000-resource
 * state a full apply of it would have recorded, after 5 % of the components changed —
 * 100 spec edits (10 of them replaces), 75 removals, 75 additions.
 *
 *   planChanges + its cost (no refresh)       target: ≤ 1.5 s and ≤ 300 MB peak RSS
 *   load + state parse + plan, end to end     report
 *   toggle one change in the review           target: ≤ 50 ms (the review's key → frame budget)
 *
 * Each run is a fresh child process (`--child DIR STATE`), so the peak RSS is that run's alone;
 * figures are medians of five. `node dist/bench/plan-bench.js` runs this alone; bench/run.ts
 * calls `planAtScale` with its own `record`.
 */
import {spawnSync} from 'node:child_process';
import {mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {withPlanCost} from '../engine/cost/plan-cost.js';
import {shippedPriceTable} from '../engine/cost/prices/shipped.js';
import {stateAsIfApplied} from '../engine/plan/applied-state.js';
import {planChanges} from '../engine/plan/plan.js';
import {approveAll, toggle} from '../engine/plan/selection.js';
import {stateDocumentSchema} from '../engine/state/state-document.js';
import {loadWorkspace} from '../engine/workspace.js';
import {generateStack} from './generate-stack.js';

type RecordResult = (name: string, value: string, target: string, ok: boolean) => void;

const components = 5_000;
const edits = 100;
const replaces = 10;
const removals = 75;
const additions = 75;

interface ChildResult {
	loadMs: number;
	stateMs: number;
	planMs: number;
	/** Of planMs, pricing the plan. */
	costMs: number;
	toggleMs: number;
	maxRssMb: number;
	summary: {create: number; update: number; replace: number; delete: number; noop: number};
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function planAtScale(record: RecordResult): Promise<void> {
	const parent = mkdtempSync(path.join(os.tmpdir(), 'panka-plan-bench-'));
	try {
		const dir = generateStack(parent, components);
		const workspace = await loadWorkspace(dir);
		const state = stateAsIfApplied(workspace, {lineage: 'bench', serial: 42, at: '2026-12-01T00:00:00.000Z'});
		const stateFile = path.join(parent, 'state.json');
		writeFileSync(stateFile, JSON.stringify(state));
		changeFivePercent(dir);

		const self = fileURLToPath(import.meta.url);
		const samples = Array.from({length: 5}, () => {
			const child = spawnSync(process.execPath, [self, '--child', dir, stateFile], {encoding: 'utf8'});
			if (child.status !== 0) throw new Error(child.stderr);
			return JSON.parse(child.stdout) as ChildResult;
		});
		const {summary} = samples[0]!;
		const expected = {create: additions, delete: removals, replace: replaces};
		for (const [action, count] of Object.entries(expected))
			if (summary[action as keyof typeof expected] !== count)
				throw new Error(`expected ${count} ${action}s, planned ${JSON.stringify(summary)}`);
		const planMs = median(samples.map((s) => s.planMs));
		const rss = median(samples.map((s) => s.maxRssMb));
		const total = median(samples.map((s) => s.loadMs + s.stateMs + s.planMs));
		const changes = summary.create + summary.update + summary.replace + summary.delete;
		record(
			`plan with costs, ${components} components, ${changes} changes`,
			`${planMs.toFixed(0)} ms, ${rss.toFixed(0)} MB RSS`,
			'≤ 1500 ms, ≤ 300 MB',
			planMs <= 1_500 && rss <= 300,
		);
		record('  of which pricing the plan', `${median(samples.map((s) => s.costMs)).toFixed(0)} ms`, 'report', true);
		record('  load + state parse + plan, end to end', `${total.toFixed(0)} ms`, 'report', true);
		const toggleMs = median(samples.map((s) => s.toggleMs));
		record('  review: toggle one change of that plan', `${toggleMs.toFixed(1)} ms`, '≤ 50 ms', toggleMs <= 50);
	} finally {
		rmSync(parent, {recursive: true, force: true});
	}
}

/**
 * Edits the generated folder in place. Generated components are `cNNNNN-kind`, kinds repeating
 * every ten (see generate-stack.ts); removals take S3 buckets (index ≡ 5 mod 10), which nothing
 * reads, so the folder stays valid.
 */
export function changeFivePercent(dir: string): void {
	const files = readdirSync(path.join(dir, 'services'))
		.sort()
		.flatMap((service) =>
			readdirSync(path.join(dir, 'services', service))
				.filter((name) => name.startsWith('components-'))
				.sort()
				.map((name) => path.join(dir, 'services', service, name)),
		);
	const texts = new Map(files.map((file) => [file, readFileSync(file, 'utf8')]));
	const stride = Math.floor(files.length / edits);
	for (let i = 0; i < edits; i++) {
		const file = files[i * stride]!;
		let text = texts.get(file)!;
		if (i < replaces)
			text = text.replace('    name: id\n', '    name: pk\n'); // a DynamoDB hashKey: replace
		else text = text.replace('  timeout: 30\n', '  timeout: 45\n'); // a Lambda timeout: update
		texts.set(file, text);
	}
	for (let i = 0; i < removals; i++) {
		const file = files[(i * stride + 3) % files.length]!;
		const documents = texts.get(file)!.split(/^---\n/m);
		const index = documents.findIndex((doc) => /^ {2}name: c\d{5}-s3$/m.test(doc));
		if (index < 0) throw new Error(`no S3 bucket left in ${file}`);
		documents.splice(index, 1);
		texts.set(file, documents.join('---\n'));
	}
	for (let i = 0; i < additions; i++) {
		const file = files[(i * stride + 7) % files.length]!;
		texts.set(
			file,
			`${texts.get(file)!}---\napiVersion: components.panka.io/v1\nkind: SQS\nmetadata:\n  name: added-${String(i).padStart(3, '0')}\nspec:\n  visibilityTimeout: 45\n`,
		);
	}
	for (const [file, text] of texts) writeFileSync(file, text);
}

/** One measured run: load, parse the state as a backend would, plan, toggle; prints ChildResult. */
async function child(dir: string, stateFile: string): Promise<void> {
	let started = performance.now();
	const workspace = await loadWorkspace(dir);
	const loadMs = performance.now() - started;
	started = performance.now();
	const state = stateDocumentSchema.parse(JSON.parse(readFileSync(stateFile, 'utf8')));
	const stateMs = performance.now() - started;
	started = performance.now();
	const unpriced = planChanges(workspace, state);
	const costStarted = performance.now();
	// Every plan panka shows is priced (engine/cost/plan-cost.ts): the target covers both.
	const plan = withPlanCost(unpriced, state, {table: shippedPriceTable, region: 'us-east-1'});
	const costMs = performance.now() - costStarted;
	const planMs = performance.now() - started;
	const first = plan.changes.find((change) => change.action !== 'no-op');
	const all = approveAll(plan);
	started = performance.now();
	if (first) toggle(all, plan, first.address);
	const toggleMs = performance.now() - started;
	const result: ChildResult = {
		loadMs,
		stateMs,
		planMs,
		costMs,
		toggleMs,
		maxRssMb: process.resourceUsage().maxRSS / 1024,
		summary: plan.summary,
	};
	process.stdout.write(`${JSON.stringify(result)}\n`);
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly && process.argv[2] === '--child') await child(process.argv[3]!, process.argv[4]!);
else if (invokedDirectly) {
	let missed = 0;
	await planAtScale((name, value, target, ok) => {
		if (!ok) missed++;
		process.stdout.write(`${ok ? 'ok  ' : 'MISS'}  ${name.padEnd(46)} ${value.padEnd(28)} target ${target}\n`);
	});
	process.exitCode = missed === 0 ? 0 : 1;
}
