/**
 * The plan review as styled lines: one line per change (check state, action symbol, address,
 * kind, one-line reason), group headings with counts, and the field diff of an expanded change
 * (`~ runtime.memory: 512 → 1024`, `(sensitive)`, `(known after apply: …)`, `# forces replacement`).
 *
 * Pure. What depends on the Selection (✓/○, skip reasons, skipped counts) is drawn here, for the
 * visible window only, so toggling a change never rebuilds the rows (review-rows.ts) and a frame
 * costs the same with 20 changes as with 2,000. A row's Line is cached on what it shows (the
 * change, its skip reason, the widths), so an unchanged row keeps its Line object and ListView
 * skips re-rendering it.
 */
import type {Change, FieldChange, Plan, Selection} from '../../engine/index.js';
import {
	changeCostDelta,
	changeCostText,
	changeSymbol,
	deepEqual,
	formatDelta,
	formatMonthly,
	formatPath,
	formatPlanValue,
	isLeafValue,
	isPlainObject,
	listKeyField,
	type PathPart,
	planCounts,
	noChanges,
	replaceReason,
	symbolTone,
	type Tone,
} from '../../engine/index.js';
import {wrapText} from '../model/diagnostic-lines.js';
import {column, type Line, seg} from '../model/line.js';
import {theme} from '../theme.js';
import type {GroupKey, ReviewModel, ReviewRow} from './review-types.js';

const toneColor: Record<Tone, string> = {ok: theme.ok, warning: theme.warning, error: theme.error};

export const groupTitles: Record<GroupKey, string> = {
	broadening: 'Widens access: needs its own approval (space or B; a does not)',
	delete: 'Delete',
	replace: 'Replace',
	create: 'Create',
	update: 'Update in place',
};
const groupColor: Record<GroupKey, string> = {
	broadening: theme.warning,
	delete: theme.error,
	replace: theme.error,
	create: theme.ok,
	update: theme.warning,
};

/** `Plan: 3 to add, 1 to change, 1 to replace, 2 to destroy`, as the CLI's summary line reads. */
export function summaryText(plan: Plan): string {
	const counts = planCounts(plan.summary);
	return counts ? `Plan: ${counts}` : `${noChanges.head} ${noChanges.rest}`;
}

/** Why the change happens, in one line: the replace reason, "no longer in the stack folder", the one field changed, the create's summary. */
export function oneLineReason(change: Change): string {
	switch (change.action) {
		case 'replace':
			return replaceReason(change.reasons);
		case 'delete':
			return change.reasons[0] ?? 'no longer in the stack folder';
		case 'create':
			return change.summary ?? 'new';
		default: {
			if (change.reasons.length > 0) return change.reasons[0]!;
			if (change.diff.length === 1) return fieldText(change.diff[0]!);
			const paths = change.diff.map((d) => d.path);
			return `${paths.length} fields: ${paths.slice(0, 4).join(', ')}${paths.length > 4 ? ', …' : ''}`;
		}
	}
}

/** `~ path: before → after` without the marker, for one-line reasons. */
function fieldText(entry: FieldChange): string {
	const show = (value: unknown) => formatPlanValue(value, entry.sensitive, 60);
	if (entry.action === 'add') return `${entry.path}: ${show(entry.after)} (added)`;
	if (entry.action === 'remove') return `${entry.path}: removed`;
	if (entry.knownAfterApply && deepEqual(entry.before, entry.after)) return `${entry.path}: ${show(entry.after)}`;
	return `${entry.path}: ${show(entry.before)} → ${show(entry.after)}`;
}

const indent = '      ';
const comment = (text: string, color?: string): Line => [seg(indent), seg(`# ${text}`, color ? {color} : {dim: true})];

function fieldLine(entry: FieldChange): Line {
	const show = (value: unknown) => formatPlanValue(value, entry.sensitive);
	const line: Line = [seg(indent)];
	if (entry.action === 'add') line.push(seg('+ ', {color: theme.ok}), seg(`${entry.path}: `), seg(show(entry.after)));
	else if (entry.action === 'remove') line.push(seg('- ', {color: theme.error}), seg(`${entry.path}: `), seg(show(entry.before)));
	else if (entry.knownAfterApply && deepEqual(entry.before, entry.after))
		line.push(seg('~ ', {color: theme.warning}), seg(`${entry.path}: `), seg(show(entry.after)));
	else
		line.push(
			seg('~ ', {color: theme.warning}),
			seg(`${entry.path}: `),
			seg(show(entry.before), {dim: true}),
			seg(' → '),
			seg(show(entry.after)),
		);
	if (entry.forcesReplace) line.push(seg('  # forces replacement', {color: theme.error}));
	if (entry.knownAfterApply)
		line.push(
			seg(`  # ${entry.knownAfterApply.address} is ${entry.knownAfterApply.action === 'create' ? 'created' : 'replaced'}`, {dim: true}),
		);
	return line;
}

/** The lines under an expanded change: why, names, what it waits for, then its field diff (or, for a create or delete, its inputs). */
export function changeDetailLines(change: Change, width = Number.POSITIVE_INFINITY): Line[] {
	const lines: Line[] = [];
	if (change.action === 'replace') {
		lines.push(comment(replaceReason(change.reasons)));
		lines.push(
			comment(
				change.replaceStrategy === 'create-before-delete'
					? 'the new one is created first, then the old one is deleted'
					: 'the old one is deleted first: the new one reuses its name',
			),
		);
	} else for (const reason of change.reasons) lines.push(comment(reason));
	// What it widens, whole: the reason it needs its own approval.
	for (const widening of change.broadening ?? [])
		wrapText(`widens access: ${widening.what}`, Math.max(20, width - indent.length - 2)).forEach((text, i) => {
			lines.push([seg(indent), seg(`${i === 0 ? '⚠' : ' '} ${text}`, {color: theme.warning, bold: i === 0})]);
		});
	// The kind's own warnings (data lost on a replace, a secret that will be generated).
	// Wrapped, never cut: these are the lines a reviewer must read whole.
	for (const note of change.notes ?? [])
		wrapText(note, Math.max(20, width - indent.length - 2)).forEach((text, i) => {
			lines.push([seg(indent), seg(`${i === 0 ? '⚠' : ' '} ${text}`, {color: theme.warning})]);
		});
	if (change.action === 'create' && change.summary) lines.push([seg(indent), seg(change.summary, {dim: true})]);
	lines.push([
		seg(indent),
		seg('name ', {dim: true}),
		...(change.previousPhysicalName ? [seg(change.previousPhysicalName, {dim: true}), seg(' → ')] : []),
		seg(change.physicalName),
	]);
	const cost = changeCostText(change.cost);
	if (cost)
		lines.push([
			seg(indent),
			seg('cost ', {dim: true}),
			seg(cost),
			seg((change.cost?.notes ?? []).map((note) => ` · ${note}`).join(''), {dim: true}),
		]);
	const needs = change.requires.filter((r) => r.relation === 'depends-on').map((r) => r.address);
	const users = change.requires.filter((r) => r.relation === 'used-by').map((r) => r.address);
	if (needs.length > 0) lines.push(comment(`after ${listed(needs)}: it depends on ${needs.length === 1 ? 'it' : 'them'}`));
	if (users.length > 0) lines.push(comment(`after ${listed(users)}: ${users.length === 1 ? 'it still uses' : 'they still use'} this one`));
	if (change.diff.length > 0) for (const entry of change.diff) lines.push(fieldLine(entry));
	else if (change.action === 'create' && change.after)
		for (const leaf of leaves(change.after))
			lines.push([seg(indent), seg('+ ', {color: theme.ok}), seg(`${leaf.path}: `), seg(formatPlanValue(leaf.value))]);
	else if (change.action === 'delete' && change.before)
		for (const leaf of leaves(change.before))
			lines.push([seg(indent), seg('- ', {color: theme.error}), seg(`${leaf.path}: `), seg(formatPlanValue(leaf.value), {dim: true})]);
	else lines.push([seg(indent), seg('(no field changes)', {dim: true})]);
	return lines;
}

/** Every leaf of a resource's inputs with its path, as the diff names paths (`environment[PORT]`, `engine.type`). */
function leaves(root: unknown): Array<{path: string; value: unknown}> {
	const out: Array<{path: string; value: unknown}> = [];
	const parts: PathPart[] = [];
	const visit = (value: unknown) => {
		if (value === undefined) return;
		const empty = Array.isArray(value) ? value.length === 0 : isPlainObject(value) && Object.keys(value).length === 0;
		if (isLeafValue(value) || empty) {
			out.push({path: formatPath(parts), value});
			return;
		}
		if (Array.isArray(value)) {
			const keyField = listKeyField(value);
			value.forEach((item, index) => {
				if (keyField && isPlainObject(item)) {
					const {[keyField]: key, ...rest} = item;
					parts.push({item: String(key)});
					visit(rest);
				} else {
					parts.push({index});
					visit(item);
				}
				parts.pop();
			});
			return;
		}
		for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
			parts.push({key});
			visit(child);
			parts.pop();
		}
	};
	visit(root);
	return out;
}

function listed(addresses: readonly string[]): string {
	return addresses.length <= 3 ? addresses.join(', ') : `${addresses.slice(0, 3).join(', ')} and ${addresses.length - 3} more`;
}

/** The lines of rows [start, start + count): only what the window shows. */
export function windowLines(model: ReviewModel, selection: Selection, start: number, count: number, width: number): Line[] {
	const out: Line[] = [];
	const end = Math.min(model.rows.length, start + count);
	for (let i = Math.max(0, start); i < end; i++) out.push(rowLine(model, model.rows[i]!, selection, width));
	return out;
}

/** A cached line and what it was drawn from. */
interface Drawn {
	of: string;
	line: Line;
}

const drawn = new WeakMap<object, Drawn>();

function cached(owner: object, of: string, draw: () => Line): Line {
	const known = drawn.get(owner);
	if (known?.of === of) return known.line;
	const line = draw();
	drawn.set(owner, {of, line});
	return line;
}

function rowLine(model: ReviewModel, row: ReviewRow, selection: Selection, width: number): Line {
	switch (row.type) {
		case 'warning':
			return cached(row, '', () => [
				seg(row.first ? '⚠ ' : '  ', {color: theme.warning, bold: true}),
				seg(row.text, {color: theme.warning}),
			]);
		case 'empty':
			return cached(row, '', () => [seg(row.text, {dim: true})]);
		case 'detail':
			return row.line;
		case 'group': {
			let skipped = 0;
			for (const change of row.changes) if (selection.skipped.has(change.address)) skipped++;
			return cached(row, String(skipped), () => [
				seg(`${groupTitles[row.action]} `, {bold: true, color: groupColor[row.action]}),
				seg(row.shown === row.total ? `(${row.total})` : `(${row.shown} of ${row.total})`, {bold: true}),
				...(skipped > 0 ? [seg(`  ${skipped} skipped`, {color: theme.warning})] : []),
			]);
		}
		case 'change': {
			const skip = selection.skipped.get(row.change.address);
			return cached(row.change, `${width}:${model.addressWidth}:${model.kindWidth}:${model.costWidth}:${skip ?? '✓'}`, () =>
				changeLine(model, row.change, skip, width),
			);
		}
	}
}

function changeLine(model: ReviewModel, change: Change, skip: string | undefined, width: number): Line {
	const symbol = changeSymbol(change);
	const kind = change.previousKind ? `${change.previousKind}→${change.kind}` : change.kind;
	const addressWidth = Math.max(12, Math.min(model.addressWidth, Math.floor(width * 0.45)));
	const line: Line = [
		skip === undefined ? seg('✓ ', {color: theme.ok, bold: true}) : seg('○ ', {color: theme.warning, bold: true}),
		seg(symbol.padStart(3), {color: toneColor[symbolTone[symbol]], bold: true}),
		seg(' '),
		seg(column(change.address, addressWidth), skip === undefined ? {} : {dim: true}),
		seg('  '),
		seg(column(kind, model.kindWidth), {color: theme.kind}),
		seg('  '),
	];
	// The monthly cost column: what the change adds or saves a month (right-aligned, like figures).
	if (model.costWidth > 0) {
		const delta = changeCostDelta(change.cost);
		line.push(
			seg(delta.padStart(model.costWidth), {
				color: delta.startsWith('+') ? theme.warning : delta.startsWith('-') ? theme.ok : undefined,
				dim: !/^[+-]/.test(delta),
			}),
			seg('  '),
		);
	}
	const widens = change.broadening ?? [];
	if (widens.length > 0)
		// What widens comes first, approved or not: it is why the change is in this section.
		line.push(seg(`⚠ ${widens[0]!.what}${widens.length > 1 ? ` (+${widens.length - 1})` : ''}  `, {color: theme.warning}));
	if (skip === undefined) {
		// A kind's warning comes before the summary, which is often long enough to be cut.
		if (change.notes?.length)
			line.push(seg(`⚠ ${change.notes[0]}${change.notes.length > 1 ? ` (+${change.notes.length - 1})` : ''}  `, {color: theme.warning}));
		line.push(seg(oneLineReason(change), {dim: true}));
	} else if (skip.startsWith('skipped because')) line.push(seg(skip, {color: theme.warning}));
	else
		line.push(
			seg(skip === 'skipped as requested' ? 'skipped' : `skipped: ${skip}`, {color: theme.warning}),
			seg(` · ${oneLineReason(change)}`, {dim: true}),
		);
	return line;
}

/** The plan's cost for the review's summary line: ` · $50.48/month (+$50.48)`; nothing when the plan was not priced. */
export function costSummaryLine(plan: Plan): Line {
	const cost = plan.cost;
	if (!cost) return [];
	if (cost.unavailable) return [seg(' · cost not estimated', {dim: true})];
	return [
		seg(' · '),
		seg(`${formatMonthly(cost.monthlyTotal)}/month`, {bold: true}),
		seg(` (${formatDelta(cost.monthlyDelta)})`, {dim: true}),
	];
}

/** The tenant budget for the review's title bar when it warns or refuses: `⚠ budget 83 % of $250.00`, `✗ over budget …`. */
export function budgetBadge(plan: Plan): string | undefined {
	const budget = plan.cost?.budget;
	if (!budget || budget.status === 'within') return undefined;
	const share = budget.limit > 0 ? `${Math.round((budget.estimate / budget.limit) * 100)} % of ` : '';
	return `${budget.refused ? '✗ over budget' : '⚠ budget'} ${share}${formatMonthly(budget.limit)}`;
}
