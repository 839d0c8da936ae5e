/**
 * The dashboard as styled lines: the progress bar, the counts, one line per step (a spinner, then
 * ✓ / ✗ / ⊘ skipped / not started; the action, address and kind; the phase, the result or the skip
 * reason; the elapsed time), the AWS error under a failed step, the notice line, and the result
 * block at the end (summary, failures and skips with their reasons, outputs).
 *
 * Pure. A settled step's line is cached on its row object and the column widths, so an unchanged
 * row keeps its Line and ListView skips it; a running step's line depends on the clock (`now`:
 * spinner frame, elapsed time) and is drawn for the visible window only.
 */
import type {ApplyAction} from '../../engine/index.js';
import {haltTitle, plural, type RunOutcome, stepActionWords} from '../../engine/index.js';
import {wrapText} from '../model/diagnostic-lines.js';
import {column, type Line, seg, spread} from '../model/line.js';
import {theme} from '../theme.js';
import type {DashboardModel, DashboardState, StepCounts, StepRow} from './dashboard-types.js';

/**
 * ink-spinner's "dots" (the frames the plan status and the wizards draw with <Spinner>), drawn here
 * as a segment of a step's line, not as that component: the dashboard is lines of segments
 * (ListView), and every running row ticks on the dashboard's one clock (`now`) instead of a timer
 * per row. docs/ARCHITECTURE.md §7 lists what is drawn by hand and why.
 */
export const spinnerFrames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'] as const;
export const spinnerIntervalMs = 80;

export function spinnerFrame(now: number): string {
	return spinnerFrames[Math.floor(now / spinnerIntervalMs) % spinnerFrames.length]!;
}

/** `0.4s`, `12.3s`, `2m 05s`. */
export function formatElapsed(ms: number): string {
	const safe = Math.max(0, ms);
	if (safe < 60_000) return `${(safe / 1000).toFixed(1)}s`;
	const minutes = Math.floor(safe / 60_000);
	return `${minutes}m ${String(Math.floor((safe % 60_000) / 1000)).padStart(2, '0')}s`;
}

/**
 * Outputs providers keep for themselves have a last segment starting with `_`; they are not shown.
 * (The `--no-tui` renderer applies the same rule: source/render/apply-text.ts.)
 */
export function isUserOutput(key: string): boolean {
	return !key.split('.').pop()?.startsWith('_');
}

/** The indent of the error lines under a failed step. */
export const errorIndent = 6;

/** The action column's word for a step (engine/presentation.ts), `create` or `replace: new`. */
export function actionLabel(action: ApplyAction): string {
	return stepActionWords[action].label;
}

function icon(row: StepRow, now: number): Line[number] {
	switch (row.status) {
		case 'running':
			return seg(spinnerFrame(now), {color: theme.accent});
		case 'done':
			return seg('✓', {color: theme.ok, bold: true});
		case 'failed':
			return seg('✗', {color: theme.error, bold: true});
		case 'skipped':
			return seg('⊘', {color: theme.warning, bold: true});
		case 'not-started':
			return seg('–', {color: theme.warning});
		case 'pending':
			return seg('·', {dim: true});
	}
}

function statusText(row: StepRow): Line {
	switch (row.status) {
		case 'pending':
			return [seg('waiting', {dim: true})];
		case 'running':
			return [seg(row.phase ?? stepActionWords[row.action].running, {color: theme.accent})];
		case 'done':
			return [
				seg(row.unchanged ? 'unchanged' : stepActionWords[row.action].done, {color: theme.ok}),
				...(row.physicalId ? [seg(`  ${row.physicalId}`, {dim: true})] : []),
			];
		case 'failed':
			return [seg('failed', {color: theme.error, bold: true})];
		case 'skipped':
			return [seg(`skipped: ${row.reason ?? 'a step it needs did not run'}`, {color: theme.warning})];
		case 'not-started':
			return [seg('not started (stopped before it began)', {color: theme.warning})];
	}
}

function stepLine(row: StepRow, model: DashboardModel, width: number, now: number): Line {
	const addressWidth = Math.max(12, Math.min(model.addressWidth, Math.floor(width * 0.4)));
	const left: Line = [
		icon(row, now),
		seg(' '),
		seg(column(actionLabel(row.action), model.actionWidth), {dim: true}),
		seg('  '),
		seg(column(row.address, addressWidth), row.status === 'pending' || row.status === 'not-started' ? {dim: true} : {}),
		seg('  '),
		seg(column(row.kind, model.kindWidth), {color: theme.kind}),
		seg('  '),
		...statusText(row),
	];
	const elapsed = row.status === 'running' && row.startedAt !== undefined ? now - row.startedAt : row.elapsedMs;
	return spread(left, elapsed === undefined ? [] : [seg(formatElapsed(elapsed), {dim: row.status !== 'running'})], width);
}

interface Drawn {
	of: string;
	line: Line;
}

const drawn = new WeakMap<StepRow, Drawn>();

/** A settled or waiting step's line, cached on the row; a running one is drawn afresh. */
function cachedStepLine(row: StepRow, model: DashboardModel, width: number, now: number): Line {
	if (row.status === 'running') return stepLine(row, model, width, now);
	const of = `${width}:${model.addressWidth}:${model.actionWidth}:${model.kindWidth}`;
	const known = drawn.get(row);
	if (known?.of === of) return known.line;
	const line = stepLine(row, model, width, now);
	drawn.set(row, {of, line});
	return line;
}

/** The lines of entries [start, start + count): only what the window shows. */
export function windowLines(model: DashboardModel, start: number, count: number, width: number, now: number): Line[] {
	const out: Line[] = [];
	const end = Math.min(model.entries.length, start + count);
	for (let i = Math.max(0, start); i < end; i++) {
		const entry = model.entries[i]!;
		if (entry.type === 'step') out.push(cachedStepLine(entry.row, model, width, now));
		else if (entry.type === 'error')
			out.push([seg(' '.repeat(errorIndent)), seg(entry.first ? '' : '  '), seg(entry.text, {color: theme.error})]);
		else out.push(entry.line);
	}
	return out;
}

/**
 * `████████░░░░░░░░  12 of 40 steps · 30%`: the steps that ran (done or failed) or were skipped; not
 * those a stop left out. A line, not @inkjs/ui's ProgressBar: it shares its row with the count, is
 * coloured by how the run goes, and is drawn full on the first frame (docs/ARCHITECTURE.md §7).
 */
export function progressLine(counts: StepCounts, width: number): Line {
	const progressed = counts.done + counts.failed + counts.skipped;
	const fraction = counts.total === 0 ? 1 : progressed / counts.total;
	const label = `  ${progressed} of ${plural(counts.total, 'step')} · ${Math.floor(fraction * 100)}%`;
	const barWidth = Math.max(10, Math.min(48, width - label.length - 1));
	const filled = Math.round(fraction * barWidth);
	const color = counts.failed > 0 ? theme.error : counts.skipped + counts.notStarted > 0 ? theme.warning : theme.ok;
	return [seg('█'.repeat(filled), {color}), seg('░'.repeat(barWidth - filled), {dim: true}), seg(label, {bold: true})];
}

/** `✓ 10 done  ✗ 1 failed  ⊘ 1 skipped  ⠋ 2 running  · 26 pending` (not started, when there are any). */
export function countsLine(counts: StepCounts, now: number): Line {
	const part = (symbol: string, n: number, label: string, color: string | undefined): Line => [
		seg(`${symbol} ${n} ${label}`, n > 0 && color ? {color, bold: symbol === '✗'} : {dim: true}),
	];
	return [
		...part('✓', counts.done, 'done', theme.ok),
		seg('  '),
		...part('✗', counts.failed, 'failed', theme.error),
		seg('  '),
		...part('⊘', counts.skipped, 'skipped', theme.warning),
		seg('  '),
		...part(counts.running > 0 ? spinnerFrame(now) : '⠿', counts.running, 'running', theme.accent),
		seg('  '),
		...part('·', counts.pending, 'pending', undefined),
		...(counts.notStarted > 0 ? [seg('  '), ...part('–', counts.notStarted, 'not started', theme.warning)] : []),
	];
}

/**
 * The lines under the list (noticeRows of them): what ctrl+c does (two lines: the question and
 * what happens meanwhile), why the run failed, or whether the view follows.
 */
export function noticeLines(run: DashboardState, counts: StepCounts): Line[] {
	if (run.ended) {
		if (run.failure && !run.summary) return [[seg(`✗ ${run.failure.message}`, {color: theme.error, bold: true})]];
		const finished = seg(
			`finished in ${formatElapsed(run.summary?.durationMs ?? 0)}${run.serial !== undefined ? ` · state serial ${run.serial}` : ''}`,
			{dim: true},
		);
		// What the ctrl+c did, once it is done: the notice that asked may have shown only for a moment.
		const asked = [run.interrupt, run.interruptedBy];
		const interruptedBy = asked.includes('abort') ? 'abort' : asked.includes('stop') ? 'stop' : undefined;
		if (interruptedBy === 'stop')
			return [
				[
					seg(`⚠ Stopped after the in-flight operations (finished and saved); ${counts.notStarted} not started · `, {color: theme.warning}),
					finished,
				],
			];
		if (interruptedBy === 'abort')
			return [[seg('✗ Aborted the in-flight operations (pending: the next apply resolves them) · ', {color: theme.error}), finished]];
		return [[finished]];
	}
	const one = counts.running === 1;
	const inFlight = `${counts.running} step${one ? '' : 's'} in flight`;
	if (run.halted)
		return [
			[
				seg(`✗ ${haltTitle(run.halted.reason)}: `, {
					color: theme.error,
					bold: true,
				}),
				seg(`nothing new starts; the ${inFlight} ${one ? 'finishes' : 'finish'}, then the run ends.`, {color: theme.error}),
			],
		];
	if (run.interrupt === 'abort')
		return [
			[seg(`✗ Aborting the ${inFlight}.`, {color: theme.error, bold: true})],
			[seg('  What was aborted stays recorded as pending in the state; the next apply resolves it first.', {color: theme.error})],
		];
	if (run.interrupt === 'stop')
		return [
			[
				seg('⚠ Stop after in-flight operations? ', {color: theme.warning, bold: true}),
				seg('(Ctrl-C again aborts them)', {color: theme.warning}),
			],
			[
				seg(`  Stopping: nothing new starts; the ${inFlight} ${one ? 'finishes and is' : 'finish and are'} saved, then the run ends.`, {
					color: theme.warning,
				}),
			],
		];
	if (!run.started) return [[seg('taking the stack lock and reading the state…', {dim: true})]];
	if (run.follow) return [[seg('following the running steps · ↑↓ scroll', {dim: true})]];
	return [[seg('scrolled: f follows the running steps again', {dim: true})]];
}

const heading = (text: string, color?: string): Line => [seg(text, {bold: true, ...(color ? {color} : {})})];

/** An outcome's tone as a colour. */
const toneColor: Record<RunOutcome['tone'], string> = {ok: theme.ok, warning: theme.warning, error: theme.error};

/** `  key = value`, a long value continued on indented lines: outputs are shown whole, never cut. */
function outputLines(key: string, value: string, width: number): Line[] {
	const head = `  ${key} = `;
	const first = Math.max(10, width - head.length);
	const rest = Math.max(10, width - 6);
	const lines: Line[] = [[seg(`  ${key}`, {color: theme.accent}), seg(' = ', {dim: true}), seg(value.slice(0, first))]];
	for (let at = first; at < value.length; at += rest) lines.push([seg('      '), seg(value.slice(at, at + rest))]);
	return lines;
}

const shownNotStarted = 5;

type ResultInput = Pick<DashboardState, 'rows' | 'summary' | 'failure' | 'stateProblem' | 'operation'>;

/** The result block at the end: headline, what failed or was skipped and why, the state's problems, the outputs. */
export function resultLines(run: ResultInput, width: number): Line[] {
	const lines: Line[] = [];
	const {summary, failure, stateProblem} = run;
	if (!summary) {
		lines.push([seg(`✗ ${run.operation === 'destroy' ? 'Destroy' : 'Apply'} did not run to the end`, {color: theme.error, bold: true})]);
		for (const [i, text] of wrapText(failure?.message ?? 'no summary was reported', width - 4).entries())
			lines.push([seg(i === 0 ? '  ' : '  '), seg(text)]);
		if (failure?.hint)
			for (const [i, text] of wrapText(failure.hint, width - 8).entries())
				lines.push([seg(i === 0 ? '  hint: ' : '        ', {color: theme.ok, bold: true}), seg(text)]);
	} else {
		// The engine's verdict, as every view prints it.
		for (const [i, text] of wrapText(summary.outcome.headline, width - 2).entries())
			lines.push([seg(i === 0 ? '' : '  '), seg(text, {color: toneColor[summary.outcome.tone], bold: true})]);
		for (const detail of summary.outcome.details)
			for (const [i, text] of wrapText(detail, width - 4).entries()) lines.push([seg(i === 0 ? '  ' : '    '), seg(text)]);
	}
	const failed = run.rows.filter((r) => r.status === 'failed');
	const skipped = run.rows.filter((r) => r.status === 'skipped');
	const notStarted = run.rows.filter((r) => r.status === 'not-started');
	if (failed.length > 0) {
		lines.push([], heading(`Failed (${failed.length})`, theme.error));
		for (const r of failed)
			lines.push([
				seg('  ✗ ', {color: theme.error, bold: true}),
				seg(r.address),
				seg(`  ${r.error?.code ?? 'Error'}: `, {color: theme.error, bold: true}),
				seg(r.error?.message ?? ''),
			]);
	}
	if (skipped.length > 0) {
		lines.push([], heading(`Skipped (${skipped.length})`, theme.warning));
		for (const r of skipped)
			lines.push([seg('  ⊘ ', {color: theme.warning, bold: true}), seg(r.address), seg(`  ${r.reason ?? ''}`, {color: theme.warning})]);
	}
	if (notStarted.length > 0) {
		// Usually a long tail after a stop: the first few, the rest are marked under Steps.
		lines.push([], heading(`Not started (${notStarted.length}): the next ${run.operation} runs them`, theme.warning));
		for (const r of notStarted.slice(0, shownNotStarted)) lines.push([seg('  – ', {color: theme.warning}), seg(r.address, {dim: true})]);
		if (notStarted.length > shownNotStarted)
			lines.push([seg(`    … and ${notStarted.length - shownNotStarted} more, marked – under Steps`, {dim: true})]);
	}
	// With a summary, the outcome's details say it (above); a stream that broke off says it here.
	if (stateProblem && !summary) {
		lines.push([], [seg('✗ the state could not be saved: ', {color: theme.error, bold: true}), seg(stateProblem.message)]);
		for (const text of wrapText(stateProblem.instructions, width - 4)) lines.push([seg('  '), seg(text)]);
	}
	if (summary && run.operation === 'apply') {
		const outputs = Object.entries(summary.outputs)
			.filter(([key]) => isUserOutput(key))
			.sort(([a], [b]) => a.localeCompare(b));
		if (outputs.length > 0) {
			lines.push([], heading(`Outputs (${outputs.length})`));
			for (const [key, value] of outputs) lines.push(...outputLines(key, typeof value === 'string' ? value : JSON.stringify(value), width));
		}
	}
	lines.push([], heading(`Steps (${run.rows.length})`));
	return lines;
}
