/**
 * The dashboard's entries: one terminal line each, the unit its list scrolls and virtualises.
 *
 *   while running   a step line per row, with the AWS error of a failed step word-wrapped under it
 *   at the end      the result first (summary, what failed or was skipped and why, the state's
 *                   problems, the outputs), then a heading and the same step lines
 *
 * Invariants:
 * - Pure, and memoised per (rows, result, width): the reducer and the view share one model, and a
 *   batch that changes no row (state.saved) or a key costs no O(steps) work here.
 * - Entries carry data, not styles, except the result block, which is drawn once per run end;
 *   step lines are drawn for the visible window only (dashboard-lines.ts), since a running step's
 *   line changes with the clock.
 * - Keys are stable (`step:<address>:<action>`, `error:<step key>:<n>`, `result:<n>`), so the
 *   followed step is found by key whatever precedes it.
 */
import type {ApplyAction} from '../../engine/index.js';
import {wrapText} from '../model/diagnostic-lines.js';
import {actionLabel, errorIndent, resultLines} from './dashboard-lines.js';
import type {DashboardEntry, DashboardModel, DashboardState, StepRow} from './dashboard-types.js';

export type {DashboardEntry, DashboardModel} from './dashboard-types.js';

export const stepKey = (address: string, action: ApplyAction) => `step:${address}:${action}`;

/** A long AWS message is cut after this many lines (the summary repeats it in full width). */
const maxErrorLines = 3;

interface Memo {
	width: number;
	/** What the result block was drawn from (all undefined while running). */
	result: readonly unknown[];
	model: DashboardModel;
}

const memo = new WeakMap<readonly StepRow[], Memo>();

type ModelInput = Pick<DashboardState, 'rows' | 'ended' | 'summary' | 'failure' | 'stateProblem' | 'operation'>;

export function dashboardModel(run: ModelInput, width: number): DashboardModel {
	const result = run.ended ? [run.summary, run.failure, run.stateProblem] : [undefined, undefined, undefined];
	const known = memo.get(run.rows);
	if (
		known &&
		known.width === width &&
		known.result.every((part, i) => part === result[i]) &&
		(known.model.entries[0]?.type === 'line') === run.ended
	)
		return known.model;
	const entries: DashboardEntry[] = [];
	if (run.ended) {
		for (const [i, line] of resultLines(run, width).entries()) entries.push({type: 'line', key: `result:${i}`, line});
	}
	let addressWidth = 8;
	let actionWidth = 6;
	let kindWidth = 3;
	for (const row of run.rows) {
		addressWidth = Math.max(addressWidth, row.address.length);
		actionWidth = Math.max(actionWidth, actionLabel(row.action).length);
		kindWidth = Math.max(kindWidth, row.kind.length);
	}
	for (const row of run.rows) {
		entries.push({type: 'step', key: row.key, row});
		if (row.status === 'failed' && row.error) {
			const text = `${row.error.code}: ${row.error.message}`;
			const lines = wrapText(text, width - errorIndent - 2);
			const shown = lines.length > maxErrorLines ? [...lines.slice(0, maxErrorLines - 1), `${lines[maxErrorLines - 1]} …`] : lines;
			for (const [i, part] of shown.entries()) entries.push({type: 'error', key: `error:${row.key}:${i}`, row, text: part, first: i === 0});
		}
	}
	const indexByKey = new Map(entries.map((e, i) => [e.key, i]));
	const model: DashboardModel = {
		entries,
		indexByKey,
		addressWidth: Math.min(addressWidth, 60),
		actionWidth,
		kindWidth: Math.min(kindWidth, 16),
	};
	memo.set(run.rows, {width, result, model});
	return model;
}
