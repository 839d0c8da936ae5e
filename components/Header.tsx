/**
 * The top row: stack, tenant, environment, counts, what a cut-off run left on the stack (a held
 * or dead lock, operations in flight: only when there are any), the tenant's budget once its
 * spend passes the warning threshold, and the reload indicator
 * ("reloading…" while the first load or a wizard's files are pending, else "reloaded 4s ago (35 ms)").
 *
 * Invariant: to fit, the labels go first, then the reload's duration, then the lock holder's name;
 * the lock and in-flight marks themselves stay.
 */
import {countBySeverity, environmentLabel} from '../engine/index.js';
import type {Workspace} from '../engine/index.js';
import {useNow} from './hooks/use-now.js';
import {LineText} from './LineText.js';
import {type Line, lineWidth, seg, spread} from './model/line.js';
import type {StackCondition} from './services.js';
import {theme} from './theme.js';

export interface HeaderProps {
	workspace: Workspace | undefined;
	root: string;
	reloading: boolean;
	loads: number;
	failure?: string;
	/** What a cut-off run left on the stack (services.ts `stackCondition`). */
	condition?: StackCondition;
	width: number;
}

export function formatAgo(ms: number): string {
	if (ms < 1000) return 'just now';
	if (ms < 60_000) return `${Math.floor(ms / 1000)}s ago`;
	if (ms < 3_600_000) return `${Math.floor(ms / 60_000)}m ago`;
	return `${Math.floor(ms / 3_600_000)}h ago`;
}

export function Header({workspace, root, reloading, loads, failure, condition, width}: HeaderProps) {
	const now = useNow();
	const reload = (withDuration: boolean): Line => {
		if (failure) return [seg(`watch failed: ${failure}`, {color: theme.error})];
		if (reloading || !workspace) return [seg(workspace ? 'reloading…' : 'loading…', {color: theme.warning})];
		const ago = `${loads > 1 ? 'reloaded' : 'loaded'} ${formatAgo(Math.max(0, now - workspace.loadedAt))}`;
		return [seg(withDuration ? `${ago} (${Math.round(workspace.durationMs)} ms)` : ago, {dim: true})];
	};
	// Widest variant that fits: labels go first, then the load time, then the lock holder's name.
	const rightSide = (compact: boolean, withDuration: boolean): Line => {
		const marks = conditionMarks(condition, compact);
		return marks.length > 0 ? [...marks, seg('  '), ...reload(withDuration)] : reload(withDuration);
	};
	const variants: Array<[Line, Line]> = [
		[headerLeft(workspace, root, false), rightSide(false, true)],
		[headerLeft(workspace, root, true), rightSide(false, true)],
		[headerLeft(workspace, root, true), rightSide(false, false)],
		[headerLeft(workspace, root, true), rightSide(true, false)],
	];
	const [left, right] = variants.find(([l, r]) => lineWidth(l) + 1 + lineWidth(r) <= width) ?? variants[variants.length - 1]!;
	return <LineText line={spread(left, right, width)} width={width} />;
}

/** `✗ dead lock (ci@runner)`, `⚠ locked by ci@runner`, `⚠ 2 in flight`: nothing when the stack is free and nothing is in flight. */
export function conditionMarks(condition: StackCondition | undefined, compact: boolean): Line {
	if (!condition) return [];
	const marks: Line = [];
	const {lock, inFlight} = condition;
	if (lock) {
		const holder = lock.holder && !compact ? lock.holder : undefined;
		marks.push(
			lock.dead
				? seg(`✗ dead lock${holder ? ` (${holder})` : ''}`, {color: theme.error, bold: true})
				: seg(`⚠ locked${holder ? ` by ${holder}` : ''}`, {color: theme.warning}),
		);
	}
	if (inFlight > 0) marks.push(...(marks.length > 0 ? [seg(' ')] : []), seg(`⚠ ${inFlight} in flight`, {color: theme.warning}));
	const budget = budgetMark(condition.budget);
	if (budget) marks.push(...(marks.length > 0 ? [seg(' ')] : []), budget);
	return marks;
}

/** `⚠ budget 87 %` from the tenant's warning threshold, `✗ over budget 104 %` past its limit; nothing below the threshold. */
function budgetMark(budget: StackCondition['budget']): Line[number] | undefined {
	if (!budget || budget.spend < budget.warnAt * budget.limit) return undefined;
	const share = budget.limit > 0 ? ` ${Math.round((budget.spend / budget.limit) * 100)} %` : '';
	return budget.spend > budget.limit
		? seg(`✗ over budget${share}`, {color: theme.error, bold: true})
		: seg(`⚠ budget${share}`, {color: theme.warning});
}

/** Stack, tenant, environment and counts; `compact` drops the labels for narrow terminals. */
function headerLeft(workspace: Workspace | undefined, root: string, compact: boolean): Line {
	const left: Line = [seg('panka ', {bold: true, color: theme.accent})];
	if (!workspace) return [...left, seg(root, {dim: true})];
	const counts = countBySeverity(workspace.diagnostics);
	const gap = seg(compact ? '  ' : '  │  ', {dim: true});
	left.push(
		seg(workspace.stack.name || '(unnamed stack)', {bold: true}),
		seg(compact ? '  ' : '  tenant ', {dim: true}),
		seg(workspace.tenantName),
		seg(compact ? '/' : '  env ', {dim: true}),
		seg(
			environmentLabel(workspace.environment, workspace.environmentSettings?.protected),
			workspace.environmentSettings?.protected ? {color: theme.warning, bold: true} : {},
		),
		gap,
		seg(
			compact
				? `${workspace.components.length} components`
				: `${workspace.services.length} services · ${workspace.components.length} components`,
		),
		gap,
		seg(compact ? `✗${counts.error}` : `✗ ${counts.error}`, counts.error > 0 ? {color: theme.error, bold: true} : {dim: true}),
		seg(compact ? ' ' : '  '),
		seg(compact ? `⚠${counts.warning}` : `⚠ ${counts.warning}`, counts.warning > 0 ? {color: theme.warning} : {dim: true}),
	);
	return left;
}
