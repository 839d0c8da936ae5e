/**
 * The history screen's own state (`H` in the workbench): the deployments the caller's history
 * service read from the state backend, the selected one, and what each selected deployment changed
 * (asked of the deploymentChanges service once per deployment, kept while the screen is open).
 *
 * Invariants:
 * - Pure: the hook (use-history-service.ts) asks the services; answers arrive as actions carrying
 *   the screen's `request`, and an answer for another request is dropped by the reducer.
 * - ↑↓ (and home/end) select a deployment, newest first, and reset the diff's scroll; pgup/pgdn
 *   scroll the selected deployment's changes.
 * - The list and the diff are computed as Line[] here (historyView), so a frame is a pure function
 *   of the state and the size.
 */
import {
	changeSymbol,
	countsText,
	type Deployment,
	type DeploymentChanges,
	type DeploymentHistory,
	deploymentTime,
	formatPlanValue,
	type FieldChange,
	operationText,
	outcomeText,
	planCounts,
	symbolTone,
} from '../../engine/index.js';
import type {BindingId, KeyContext} from '../keymap.js';
import {type Line, seg} from '../model/line.js';
import {cursorTarget, cursorTo, type ListCursor, scrollBy, startCursor} from '../state/list-cursor.js';
import {theme} from '../theme.js';

export type HistoryChanges = {changes: DeploymentChanges} | {error: string};

export interface HistoryState {
	/** Undefined while the list is read. */
	list?: {history: DeploymentHistory} | {error: string; hint?: string};
	cursor: ListCursor;
	/** What each deployment changed, by label, once asked and answered. */
	changes: ReadonlyMap<string, HistoryChanges>;
	diffOffset: number;
}

/**
 * The screen's two panes, stacked: the list on top (as tall as its rows, at most 40% of the
 * height, at least 3 rows), the selected deployment's changes below. Heights include the borders.
 */
export function historyLayout(height: number, deployments: number): {listHeight: number; diffHeight: number} {
	const listHeight = Math.max(5, Math.min(deployments + 2, Math.floor(height * 0.4)));
	return {listHeight, diffHeight: Math.max(3, height - listHeight)};
}

/** How many deployments the list holds (0 while it is read or when it failed). */
export function deploymentCount(state: HistoryState): number {
	return state.list && 'history' in state.list ? state.list.history.deployments.length : 0;
}

export const openHistory = (): HistoryState => ({cursor: startCursor, changes: new Map(), diffOffset: 0});

export function historyContexts(): KeyContext[] {
	return ['history'];
}

/** The deployment the cursor is on, once the list is read. */
export function selectedDeployment(state: HistoryState): Deployment | undefined {
	return state.list && 'history' in state.list ? state.list.history.deployments[state.cursor.index] : undefined;
}

export function historyLoaded(state: HistoryState, list: HistoryState['list']): HistoryState {
	return {...state, list, cursor: startCursor, diffOffset: 0};
}

export function historyChangesLoaded(state: HistoryState, label: string, changes: HistoryChanges): HistoryState {
	const next = new Map(state.changes);
	next.set(label, changes);
	return {...state, changes: next};
}

/** A key on the history screen: `rows` is the list's height, `diffRows` the diff pane's. */
export function historyCommand(state: HistoryState, command: BindingId, rows: number, diffRows: number, diffLength: number): HistoryState {
	const count = deploymentCount(state);
	const select = (index: number) => {
		const cursor = cursorTo(state.cursor, index, count, rows);
		return cursor.index === state.cursor.index ? state : {...state, cursor, diffOffset: 0};
	};
	switch (command) {
		case 'move-up':
		case 'move-down':
		case 'first':
		case 'last':
			return select(cursorTarget(command, state.cursor.index, count, rows));
		case 'page-up':
		case 'page-down': {
			const delta = (command === 'page-up' ? -1 : 1) * Math.max(1, diffRows - 1);
			const diffOffset = scrollBy(state.diffOffset, delta, diffLength, diffRows);
			return diffOffset === state.diffOffset ? state : {...state, diffOffset};
		}
		default:
			return state;
	}
}

const outcomeColor: Record<Deployment['outcome'], string | undefined> = {
	completed: theme.ok,
	partial: theme.warning,
	'cut-short': theme.error,
	unknown: undefined,
};

/** One row per deployment: serial, when, operation, counts, outcome. */
export function deploymentRows(history: DeploymentHistory): Line[] {
	const width = Math.max(6, ...history.deployments.map((d) => d.label.length));
	return history.deployments.map((d) => [
		seg(d.label.padEnd(width), {bold: true}),
		seg(`  ${deploymentTime(d.at).slice(0, 16)}  `, {dim: true}),
		seg(operationText(d).padEnd(12)),
		seg(` ${countsText(d).padEnd(9)} `, {color: theme.accent}),
		seg(outcomeText(d), {...(outcomeColor[d.outcome] ? {color: outcomeColor[d.outcome]} : {})}),
	]);
}

const toneColor = {ok: theme.ok, warning: theme.warning, error: theme.error} as const;

/** What the selected deployment changed, as the plan shows changes: a header, each resource and its fields. */
export function changesLines(deployment: Deployment, changes: HistoryChanges | undefined): Line[] {
	const lines: Line[] = [
		[seg(`${operationText(deployment)} by ${deployment.by ?? 'unknown'} at ${deploymentTime(deployment.at)}`, {bold: true})],
		[seg(`${outcomeText(deployment)} · serials ${deployment.firstSerial}–${deployment.serial}`, {dim: true})],
		[],
	];
	if (!changes) return [...lines, [seg('reading the state before and after it…', {dim: true})]];
	if ('error' in changes) return [...lines, [seg(`cannot show what it changed: ${changes.error}`, {color: theme.error})]];
	const {changes: diff} = changes;
	for (const variable of diff.variables) lines.push(fieldLine({...variable, path: `variables.${variable.path}`}, ''));
	for (const change of diff.changes) {
		const symbol = changeSymbol(change);
		lines.push([
			seg(`${symbol.padStart(3)} `, {color: toneColor[symbolTone[symbol]], bold: true}),
			seg(change.address, {bold: true}),
			seg(`  ${change.kind}`, {color: theme.kind}),
		]);
		for (const reason of change.reasons) lines.push([seg(`      # ${reason}`, {dim: true})]);
		for (const field of change.diff) lines.push(fieldLine(field, '      '));
	}
	const counts = planCounts(diff.summary);
	lines.push([]);
	lines.push([seg(counts ? `Changed: ${counts.replace(/ to /g, ' ')}.` : 'It changed no resource.', {dim: true})]);
	return lines;
}

function fieldLine(field: FieldChange, indent: string): Line {
	const show = (value: unknown) => formatPlanValue(value, field.sensitive);
	if (field.action === 'add') return [seg(`${indent}+ `, {color: theme.ok}), seg(`${field.path}: ${show(field.after)}`)];
	if (field.action === 'remove') return [seg(`${indent}- `, {color: theme.error}), seg(`${field.path}: ${show(field.before)}`)];
	return [seg(`${indent}~ `, {color: theme.warning}), seg(`${field.path}: ${show(field.before)} → ${show(field.after)}`)];
}
