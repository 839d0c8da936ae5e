/**
 * The plan review's state and its pure transitions, shared by the workbench's review screen and
 * `panka plan` in a terminal (run-plan-review.tsx). Each host resolves keys through the keymap
 * with `reviewContexts(review)` plus its own contexts, handles what is its own (back, quit, help,
 * cancel, ctrl+c) and hands every other command to `reviewCommand`.
 *
 * Invariants:
 * - The Selection is only ever made by the engine (engine/plan/selection.ts): `toggle` for space,
 *   and for the review's two approvals: `a` approves every change but those that widen access
 *   (engine/plan/broadening.ts), which start skipped and are approved only on their own (space on
 *   one, `B` for all of them). The review never decides what else is approved or skipped; it
 *   shows the engine's explanations.
 * - The cursor is kept by row key inside the window of `reviewGeometry(viewport)`, on a
 *   selectable row (a change or a line of its diff) whenever there is one; moving to the first
 *   change of a group also shows its heading.
 * - No O(changes) work per key beyond what the engine's toggle does: rows are memoised
 *   (review-rows.ts) and cursor moves step over at most a heading and the warnings.
 * - Effects are requested, never performed: confirming sets `status: 'saving'` (a new
 *   `saveRequest`), the host's hook calls savePlan and reports back through `reviewSaved`.
 *   Nothing changes the selection while a save is in flight.
 */
import type {Plan} from '../../engine/index.js';
import {approveAll, broadeningChanges, restoreSelection, type Selection, type SelectionExplanation, toggle} from '../../engine/index.js';
import type {BindingId, KeyContext, KeyPress} from '../keymap.js';
import type {SaveOutcome} from '../services.js';
import {cursorTo} from '../state/list-cursor.js';
import type {KeyedCursor} from '../state/list-cursor.js';
import {changeKey, isSelectable, planFacts, type ReviewModel, reviewModel} from './review-rows.js';

/** Outer size of the review pane (borders included). */
/** Why the review was opened: to save a plan, or to apply it. */
export type ReviewIntent = 'plan' | 'apply';

export interface ReviewViewport {
	width: number;
	height: number;
}

/** Rows above and below the list inside the pane: the summary, then the notice and the status line. */
const chromeRows = 3;

export function reviewGeometry(viewport: ReviewViewport): {listRows: number; textWidth: number} {
	return {listRows: Math.max(1, viewport.height - 2 - chromeRows), textWidth: Math.max(10, viewport.width - 3)};
}

export interface ReviewNotice {
	tone: 'ok' | 'error' | 'info';
	text: string;
	/** What else the engine decided ("also skipped"), each with why; drawn as many as fit. */
	also?: {label: string; items: Array<{address: string; why?: string}>};
}

export type ReviewStatus = 'reviewing' | 'saving' | 'confirmed';

export interface ReviewOptions {
	/** A savePlan callback exists: confirming saves. */
	canSave: boolean;
	/** Confirming ends the review (panka plan); in the workbench the review stays open. */
	endsOnConfirm: boolean;
}

export interface ReviewState extends ReviewOptions {
	plan: Plan;
	selection: Selection;
	filter: string;
	/** The filter line has the keyboard. */
	typing: boolean;
	/** Addresses whose field diff is shown. */
	expanded: ReadonlySet<string>;
	cursor: KeyedCursor;
	notice?: ReviewNotice;
	status: ReviewStatus;
	/** Incremented by each confirm that saves: the host's save hook runs once per value. */
	saveRequest: number;
	/** Where the last save wrote the plan. */
	saved?: string;
	/**
	 * The name typed so far to confirm a protected environment (the workbench's `y` asks for it);
	 * undefined when nothing is being confirmed. Only the exact name starts the apply.
	 */
	confirmingEnvironment?: string;
}

export function openReview(plan: Plan, viewport: ReviewViewport, options: ReviewOptions): ReviewState {
	const review: ReviewState = {
		...options,
		plan,
		selection: approveAllButBroadening(plan),
		filter: '',
		typing: false,
		expanded: new Set(),
		cursor: {index: 0, offset: 0},
		status: 'reviewing',
		saveRequest: 0,
	};
	return moveTo(review, modelOf(review, viewport), viewport, 'first');
}

/** A review opened to apply (`panka apply`, `a` in the workbench) starts by saying what y does. */
export function withApplyNotice(review: ReviewState): ReviewState {
	if (planFacts(review.plan).total === 0) return {...review, notice: {tone: 'ok', text: 'No changes: there is nothing to apply'}};
	const approved = review.selection.approved.size;
	return {
		...review,
		notice: {
			tone: 'info',
			text: `y applies the ${approved} approved change${approved === 1 ? '' : 's'} · space skips one · esc applies nothing`,
		},
	};
}

/** The review's own keymap contexts, most specific first; hosts append theirs. */
export function reviewContexts(review: Pick<ReviewState, 'typing' | 'filter' | 'confirmingEnvironment'>): KeyContext[] {
	if (review.confirmingEnvironment !== undefined) return ['review-confirm-env'];
	if (review.typing) return ['review-filter'];
	return review.filter.trim() ? ['review-filtered', 'review'] : ['review'];
}

export function modelOf(review: Pick<ReviewState, 'plan' | 'filter' | 'expanded'>, viewport: ReviewViewport): ReviewModel {
	return reviewModel(review.plan, review.filter.trim(), review.expanded, reviewGeometry(viewport).textWidth);
}

/** Applies a review command; commands that are not the review's leave it unchanged. */
export function reviewCommand(review: ReviewState, command: BindingId, viewport: ReviewViewport): ReviewState {
	switch (command) {
		case 'move-up':
		case 'move-down':
		case 'page-up':
		case 'page-down':
		case 'first':
		case 'last':
			return moveTo(review, modelOf(review, viewport), viewport, command);
		case 'review-toggle':
			return toggleCurrent(review, viewport);
		case 'review-expand':
			return expandCurrent(review, viewport);
		case 'review-approve-all': {
			if (review.status === 'saving') return review;
			const selection = approveAllButBroadening(review.plan, review.selection);
			const total = planFacts(review.plan).total;
			const held = selection.skipped.size;
			const skipped = review.selection.skipped.size;
			const text =
				held > 0
					? `✓ approved ${total - held} of ${total} changes; ${held} that widen access or need them stay skipped (B approves those)`
					: skipped > 0
						? `✓ approved all ${total} changes (${skipped} were skipped)`
						: `✓ all ${total} changes are approved`;
			return {...review, selection, notice: {tone: 'ok', text}};
		}
		case 'review-approve-broadening': {
			if (review.status === 'saving') return review;
			let selection = review.selection;
			const held = broadeningChanges(review.plan).filter((change) => !selection.approved.has(change.address));
			for (const change of held) selection = toggle(selection, review.plan, change.address);
			const text =
				held.length > 0
					? `✓ approved ${held.length} change${held.length === 1 ? '' : 's'} that widen${held.length === 1 ? 's' : ''} access`
					: 'every change that widens access is approved already';
			return {...review, selection: {...selection, explanations: []}, notice: {tone: 'ok', text}};
		}
		case 'review-filter':
			return {...review, typing: true, notice: undefined};
		case 'review-filter-done':
			return refilter({...review, typing: false, filter: review.filter.trim()}, viewport);
		case 'review-filter-clear':
			return refilter({...review, typing: false, filter: ''}, viewport);
		case 'review-confirm-env-cancel':
			return review.confirmingEnvironment === undefined
				? review
				: {...review, confirmingEnvironment: undefined, notice: {tone: 'info', text: 'apply cancelled: nothing was changed'}};
		case 'wizard-erase':
			if (review.confirmingEnvironment !== undefined) return {...review, confirmingEnvironment: review.confirmingEnvironment.slice(0, -1)};
			return review.typing ? refilter({...review, filter: review.filter.slice(0, -1)}, viewport) : review;
		case 'wizard-clear':
			if (review.confirmingEnvironment !== undefined) return {...review, confirmingEnvironment: ''};
			return review.typing ? refilter({...review, filter: ''}, viewport) : review;
		case 'review-save':
		case 'review-confirm':
		case 'review-apply':
			return confirm(review);
		default:
			return review;
	}
}

const control = /[\u0000-\u001f\u007f]/g;

/** A key no binding took: typed into the filter while it has the keyboard. */
export function reviewTyped(review: ReviewState, press: KeyPress, viewport: ReviewViewport): ReviewState {
	if (press.ctrl || press.meta || press.escape) return review;
	const typed = press.input.replace(control, '');
	if (review.confirmingEnvironment !== undefined)
		// Bounded: no environment name is longer than this, and a paste must not grow the line without end.
		return typed ? {...review, confirmingEnvironment: (review.confirmingEnvironment + typed).slice(0, 64)} : review;
	if (!review.typing) return review;
	return typed ? refilter({...review, filter: review.filter + typed}, viewport) : review;
}

/** The outcome of the save the review asked for. */
export function reviewSaved(review: ReviewState, outcome: SaveOutcome): ReviewState {
	if (review.status !== 'saving') return review;
	if ('error' in outcome)
		return {...review, status: 'reviewing', notice: {tone: 'error', text: `the plan was not saved: ${outcome.error}`}};
	if (review.endsOnConfirm) return {...review, status: 'confirmed', saved: outcome.path};
	const {approved, skipped} = review.selection;
	const counts = `${approved.size} approved${skipped.size > 0 ? `, ${skipped.size} skipped` : ''}`;
	return {
		...review,
		status: 'reviewing',
		saved: outcome.path,
		notice: {tone: 'ok', text: `✓ saved the plan to ${outcome.path} (${counts})`},
	};
}

/**
 * The workbench's \`y\` on a protected environment: the name must be typed first. Returns the review
 * asking for it, or \`confirmed\` once the typed name is exactly the plan's environment; a wrong name
 * ends the confirmation with nothing applied.
 */
export function confirmEnvironment(review: ReviewState): {review: ReviewState; confirmed: boolean} {
	const environment = review.plan.environment;
	const typed = review.confirmingEnvironment;
	if (typed === undefined)
		return {
			review: {
				...review,
				confirmingEnvironment: '',
				notice: {tone: 'info', text: `${environment} is a protected environment: type its name and press enter to apply it`},
			},
			confirmed: false,
		};
	if (typed === environment) return {review: {...review, confirmingEnvironment: undefined, notice: undefined}, confirmed: true};
	return {
		review: {
			...review,
			confirmingEnvironment: undefined,
			notice: {tone: 'error', text: `apply cancelled: "${typed}" is not ${environment}; nothing was changed`},
		},
		confirmed: false,
	};
}

/** Keeps the cursor on its row after the viewport changed. */
export function refitReview(review: ReviewState, viewport: ReviewViewport): ReviewState {
	return place(review, modelOf(review, viewport), viewport);
}

// ---------------------------------------------------------------------------------------------

/** Why a change that widens access is skipped until it is approved on its own. */
export const needsOwnApproval = 'widens access: approve it on its own (space, or B for all of them)';

/** Every change approved but those that widen access, which stay as `keep` decided (skipped when there is no `keep`). */
function approveAllButBroadening(plan: Plan, keep?: Selection): Selection {
	const held = broadeningChanges(plan).filter((change) => !keep?.approved.has(change.address));
	return held.length === 0 ? approveAll(plan) : restoreSelection(plan, new Map(held.map((change) => [change.address, needsOwnApproval])));
}

function confirm(review: ReviewState): ReviewState {
	if (review.status !== 'reviewing') return review;
	if (!review.endsOnConfirm && planFacts(review.plan).total === 0)
		return {...review, notice: {tone: 'info', text: 'no changes: there is nothing to save'}};
	if (review.canSave)
		return {...review, status: 'saving', saveRequest: review.saveRequest + 1, notice: {tone: 'info', text: 'saving the plan…'}};
	if (review.endsOnConfirm) return {...review, status: 'confirmed'};
	return {...review, notice: {tone: 'error', text: 'this workbench cannot save plans: use panka plan --out FILE'}};
}

function currentRow(review: ReviewState, model: ReviewModel) {
	const row = model.rows[review.cursor.index];
	return isSelectable(row) ? row : undefined;
}

function toggleCurrent(review: ReviewState, viewport: ReviewViewport): ReviewState {
	if (review.status === 'saving') return review;
	const row = currentRow(review, modelOf(review, viewport));
	if (!row) return review;
	const address = row.change.address;
	let selection: Selection;
	try {
		selection = toggle(review.selection, review.plan, address);
	} catch (error) {
		return {...review, notice: {tone: 'error', text: error instanceof Error ? error.message : String(error)}};
	}
	const approved = selection.approved.has(address);
	const items = selection.explanations.map((e) => explain(review.plan, e));
	return {
		...review,
		selection,
		notice: {
			tone: approved ? 'ok' : 'info',
			text: `${approved ? '✓ approved' : '○ skipped'} ${address}`,
			...(items.length > 0 ? {also: {label: `also ${approved ? 'approved' : 'skipped'}`, items}} : {}),
		},
	};
}

/** `worker/processor` because it `depends on api/api-db`; `api/api-db`, `needed by api/api-server`. */
function explain(plan: Plan, explanation: SelectionExplanation): {address: string; why?: string} {
	const {address} = explanation;
	const cause = explanation.because[0];
	if (!cause) return {address};
	if (explanation.decision === 'approved') return {address, why: `needed by ${cause}`};
	const relation = planFacts(plan)
		.byAddress.get(address)
		?.requires.find((r) => r.address === cause)?.relation;
	return {address, why: `${relation === 'used-by' ? 'still used by' : 'depends on'} ${cause}`};
}

function expandCurrent(review: ReviewState, viewport: ReviewViewport): ReviewState {
	const row = currentRow(review, modelOf(review, viewport));
	if (!row) return review;
	const address = row.change.address;
	const expanded = new Set(review.expanded);
	const opening = !expanded.has(address);
	if (opening) expanded.add(address);
	else expanded.delete(address);
	const next = {...review, expanded};
	const model = modelOf(next, viewport);
	const placed = place(next, model, viewport, changeKey(address));
	if (!opening) return placed;
	// Show as much of the diff as fits, without scrolling the change itself out of view.
	const {listRows} = reviewGeometry(viewport);
	const index = placed.cursor.index;
	let end = index;
	while (model.rows[end + 1]?.type === 'detail') end++;
	const offset = Math.min(index, Math.max(placed.cursor.offset, end - listRows + 1));
	return {...placed, cursor: {...placed.cursor, offset}};
}

function refilter(review: ReviewState, viewport: ReviewViewport): ReviewState {
	return place(review, modelOf(review, viewport), viewport);
}

/** The cursor back on its key (or the nearest selectable row), inside the window. */
function place(review: ReviewState, model: ReviewModel, viewport: ReviewViewport, preferKey?: string): ReviewState {
	const wanted = preferKey ?? review.cursor.key;
	let index = wanted === undefined ? -1 : (model.indexByKey.get(wanted) ?? -1);
	if (index < 0) index = nearestSelectable(model, Math.min(review.cursor.index, model.rows.length - 1));
	return withCursor(review, model, viewport, index);
}

function withCursor(
	review: ReviewState,
	model: ReviewModel,
	viewport: ReviewViewport,
	index: number,
	offset = review.cursor.offset,
): ReviewState {
	const {listRows} = reviewGeometry(viewport);
	const count = model.rows.length;
	const placed = cursorTo({index: review.cursor.index, offset}, Math.max(0, index), count, listRows);
	// Reveal the heading (and warnings) directly above the first change of a group.
	let top = placed.index;
	while (top > 0 && !isSelectable(model.rows[top - 1])) top--;
	const revealed = Math.max(Math.min(placed.offset, top), placed.index - listRows + 1);
	return {...review, cursor: {index: placed.index, offset: Math.max(0, revealed), key: model.rows[placed.index]?.key}};
}

function nearestSelectable(model: ReviewModel, from: number): number {
	const rows = model.rows;
	for (let i = Math.max(0, from); i < rows.length; i++) if (isSelectable(rows[i])) return i;
	for (let i = Math.min(from, rows.length - 1); i >= 0; i--) if (isSelectable(rows[i])) return i;
	return Math.max(0, Math.min(from, rows.length - 1));
}

function selectableFrom(model: ReviewModel, from: number, step: 1 | -1): number | undefined {
	const rows = model.rows;
	for (let i = from; i >= 0 && i < rows.length; i += step) if (isSelectable(rows[i])) return i;
	return undefined;
}

function moveTo(
	review: ReviewState,
	model: ReviewModel,
	viewport: ReviewViewport,
	command: 'move-up' | 'move-down' | 'page-up' | 'page-down' | 'first' | 'last',
): ReviewState {
	const {listRows} = reviewGeometry(viewport);
	const index = review.cursor.index;
	const page = Math.max(1, listRows - 1);
	const last = model.rows.length - 1;
	switch (command) {
		case 'move-down':
			return withCursor(review, model, viewport, selectableFrom(model, index + 1, 1) ?? index);
		case 'move-up':
			return withCursor(review, model, viewport, selectableFrom(model, index - 1, -1) ?? index);
		case 'page-down': {
			const target = Math.min(last, index + page);
			return withCursor(review, model, viewport, selectableFrom(model, target, 1) ?? selectableFrom(model, target, -1) ?? index);
		}
		case 'page-up': {
			const target = Math.max(0, index - page);
			return withCursor(review, model, viewport, selectableFrom(model, target, -1) ?? selectableFrom(model, target, 1) ?? index);
		}
		case 'first':
			return withCursor(review, model, viewport, selectableFrom(model, 0, 1) ?? 0, 0);
		case 'last':
			return withCursor(review, model, viewport, selectableFrom(model, last, -1) ?? last, Math.max(0, last));
	}
}
