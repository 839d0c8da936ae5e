/**
 * The rows of the plan review: the plan's warnings (word-wrapped), then the changes that widen
 * access (engine/plan/broadening.ts) in a section of their own, then the other changes grouped by
 * action — deletes, replaces, creates, updates, each group in the plan's apply order under a
 * heading with its count — with the field diff of every expanded change under it. No-ops are not
 * rows (the summary counts them).
 *
 * Invariants:
 * - Rows depend on (plan, filter, expanded, width) only, never on the Selection: approving or
 *   skipping redraws the visible rows and rebuilds nothing. The model is memoised per plan on
 *   those four values, so the reducer and the view share one copy and a key that changes none of
 *   them (a cursor move, a toggle) costs no O(changes) work here.
 * - Row keys are stable: `change:<address>` for a change, `detail:<address>:<n>` for its diff lines,
 *   so the cursor is kept by key across filtering and expanding.
 * - Only change and detail rows are selectable; headings, warnings and the empty line are not.
 * - Filtering is a case-insensitive match of every word of the filter against the change's
 *   address, kind, action (and its plain-language aliases) and symbol.
 */
import type {Change, ChangeAction, Plan} from '../../engine/index.js';
import {changeCostDelta, changeSymbol} from '../../engine/index.js';
import {wrapText} from '../model/diagnostic-lines.js';
import type {Line} from '../model/line.js';
import {changeDetailLines} from './review-lines.js';
import type {GroupKey, ReviewModel, ReviewRow} from './review-types.js';

export type {GroupAction, GroupKey, ReviewModel, ReviewRow} from './review-types.js';

/** What widens access is read first, then destructive changes. */
export const groupOrder: readonly GroupKey[] = ['broadening', 'delete', 'replace', 'create', 'update'];

export const changeKey = (address: string) => `change:${address}`;

export function isSelectable(row: ReviewRow | undefined): row is Extract<ReviewRow, {type: 'change' | 'detail'}> {
	return row !== undefined && (row.type === 'change' || row.type === 'detail');
}

interface PlanFacts {
	groups: Record<GroupKey, Change[]>;
	haystacks: Map<Change, string>;
	byAddress: Map<string, Change>;
	/** Detail lines by change, for the text width they were wrapped to. */
	details: Map<Change, {width: number; lines: Line[]}>;
	total: number;
	addressWidth: number;
	kindWidth: number;
	costWidth: number;
}

const aliases: Record<ChangeAction, string> = {
	create: 'create add new',
	update: 'update change in place',
	replace: 'replace recreate',
	delete: 'delete destroy remove',
	'no-op': '',
};

const factsMemo = new WeakMap<Plan, PlanFacts>();

/** What the review needs of a plan, computed once per plan. */
export function planFacts(plan: Plan): PlanFacts {
	const known = factsMemo.get(plan);
	if (known) return known;
	const groups: Record<GroupKey, Change[]> = {broadening: [], delete: [], replace: [], create: [], update: []};
	const haystacks = new Map<Change, string>();
	const byAddress = new Map<string, Change>();
	let addressWidth = 0;
	let kindWidth = 0;
	let costWidth = 0;
	let total = 0;
	for (const change of plan.changes) {
		byAddress.set(change.address, change);
		if (change.action === 'no-op') continue;
		total++;
		groups[change.broadening?.length ? 'broadening' : change.action].push(change);
		haystacks.set(
			change,
			`${change.address} ${change.kind} ${change.previousKind ?? ''} ${aliases[change.action]} ${changeSymbol(change)}`.toLowerCase(),
		);
		addressWidth = Math.max(addressWidth, change.address.length);
		kindWidth = Math.max(kindWidth, change.kind.length + (change.previousKind ? change.previousKind.length + 1 : 0));
		if (plan.cost) costWidth = Math.max(costWidth, changeCostDelta(change.cost).length);
	}
	const facts = {groups, haystacks, byAddress, details: new Map(), total, addressWidth, kindWidth: Math.min(kindWidth, 24), costWidth};
	factsMemo.set(plan, facts);
	return facts;
}

function detailsOf(facts: PlanFacts, change: Change, width: number): Line[] {
	const known = facts.details.get(change);
	if (known?.width === width) return known.lines;
	const lines = changeDetailLines(change, width);
	facts.details.set(change, {width, lines});
	return lines;
}

const modelMemo = new WeakMap<Plan, {filter: string; expanded: ReadonlySet<string>; width: number; model: ReviewModel}>();

/** The rows for a plan, a filter, the expanded changes and the text width (memoised, see the header). */
export function reviewModel(plan: Plan, filter: string, expanded: ReadonlySet<string>, width: number): ReviewModel {
	const known = modelMemo.get(plan);
	if (known && known.filter === filter && known.expanded === expanded && known.width === width) return known.model;
	const model = buildModel(plan, filter, expanded, width);
	modelMemo.set(plan, {filter, expanded, width, model});
	return model;
}

function buildModel(plan: Plan, filter: string, expanded: ReadonlySet<string>, width: number): ReviewModel {
	const facts = planFacts(plan);
	const rows: ReviewRow[] = [];
	plan.warnings.forEach((warning, w) => {
		wrapText(warning, width - 2).forEach((text, i) => {
			rows.push({type: 'warning', key: `warning:${w}:${i}`, text, first: i === 0});
		});
	});
	const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
	const matches = (change: Change) => {
		if (words.length === 0) return true;
		const haystack = facts.haystacks.get(change)!;
		return words.every((word) => haystack.includes(word));
	};
	let shown = 0;
	for (const action of groupOrder) {
		const all = facts.groups[action];
		const listed = words.length === 0 ? all : all.filter(matches);
		if (listed.length === 0) continue;
		shown += listed.length;
		rows.push({type: 'group', key: `group:${action}`, action, shown: listed.length, total: all.length, changes: all});
		for (const change of listed) {
			rows.push({type: 'change', key: changeKey(change.address), change});
			if (!expanded.has(change.address)) continue;
			detailsOf(facts, change, width).forEach((line, n) => {
				rows.push({type: 'detail', key: `detail:${change.address}:${n}`, change, line});
			});
		}
	}
	if (facts.total === 0) rows.push({type: 'empty', key: 'empty', text: 'No changes. Your infrastructure matches the configuration.'});
	else if (shown === 0) rows.push({type: 'empty', key: 'empty', text: `no change matches “${filter.trim()}” (esc clears the filter)`});
	const indexByKey = new Map<string, number>();
	rows.forEach((row, i) => {
		indexByKey.set(row.key, i);
	});
	return {
		rows,
		indexByKey,
		shown,
		total: facts.total,
		addressWidth: facts.addressWidth,
		kindWidth: Math.max(3, facts.kindWidth),
		costWidth: facts.costWidth,
	};
}
