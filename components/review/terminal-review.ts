/**
 * `panka plan` and `panka apply` in a terminal: the review alone, without the workbench around
 * it. This is its reducer: keys through the keymap (the review's contexts, then `review-plan`
 * (s confirms) or `review-apply` (y applies), then `review-terminal` and global), the review's
 * own commands to review-state.ts, and the three ways it ends.
 *
 * Invariants:
 * - Pure; `ended` is set once and never changes after (later actions are ignored).
 * - Ends with the confirmed Selection (and where it was saved, when a savePlan was given and it
 *   succeeded), with `undefined` for esc/q, or with `{interrupted: true}` for ctrl+c. A failed
 *   save does not end it: the error is shown and the user may try again or cancel.
 */
import type {Plan, Selection} from '../../engine/index.js';
import {type KeyContext, type KeyPress, resolveBinding} from '../keymap.js';
import type {SaveOutcome} from '../services.js';
import {layoutFor, type TerminalSize} from '../state/layout.js';
import {
	openReview,
	type ReviewIntent,
	type ReviewState,
	withApplyNotice,
	type ReviewViewport,
	refitReview,
	reviewCommand,
	reviewContexts,
	reviewSaved,
	reviewTyped,
} from './review-state.js';

/** Confirmed (with the file it was saved to, if any), cancelled (undefined), or ctrl+c. */
export type PlanReviewResult = {selection: Selection; saved?: string} | {interrupted: true} | undefined;

/** What confirming means: saving a plan (`panka plan`, `s`) or applying it (`panka apply`, `y`). */
export type {ReviewIntent} from './review-state.js';

export interface TerminalReviewState {
	review: ReviewState;
	intent: ReviewIntent;
	size: TerminalSize;
	ended?: {result: PlanReviewResult};
}

export type TerminalReviewAction =
	| {type: 'key'; press: KeyPress}
	| {type: 'resize'; size: TerminalSize}
	| {type: 'saved'; plan: Plan; request: number; outcome: SaveOutcome};

/** The review pane takes the frame (one row less than the terminal) minus the footer. */
export function terminalViewport(size: TerminalSize): ReviewViewport {
	const layout = layoutFor(size);
	return {width: layout.width, height: Math.max(4, layout.height - 1)};
}

export function terminalContexts(review: Pick<ReviewState, 'typing' | 'filter'>, intent: ReviewIntent = 'plan'): KeyContext[] {
	if (review.typing) return [...reviewContexts(review), 'global'];
	return [...reviewContexts(review), intent === 'apply' ? 'review-apply' : 'review-plan', 'review-terminal', 'global'];
}

export function initialTerminalReview({
	plan,
	size,
	canSave,
	intent = 'plan',
}: {
	plan: Plan;
	size: TerminalSize;
	canSave: boolean;
	intent?: ReviewIntent;
}): TerminalReviewState {
	const review = openReview(plan, terminalViewport(size), {canSave, endsOnConfirm: true});
	return {review: intent === 'apply' ? withApplyNotice(review) : review, intent, size};
}

function settle(state: TerminalReviewState, review: ReviewState): TerminalReviewState {
	if (review.status === 'confirmed')
		return {...state, review, ended: {result: {selection: review.selection, ...(review.saved ? {saved: review.saved} : {})}}};
	return review === state.review ? state : {...state, review};
}

export function terminalReviewReducer(state: TerminalReviewState, action: TerminalReviewAction): TerminalReviewState {
	if (state.ended) return state;
	const viewport = terminalViewport(state.size);
	switch (action.type) {
		case 'resize':
			return {...state, size: action.size, review: refitReview(state.review, terminalViewport(action.size))};
		case 'saved':
			if (action.plan !== state.review.plan || action.request !== state.review.saveRequest) return state;
			return settle(state, reviewSaved(state.review, action.outcome));
		case 'key': {
			const binding = resolveBinding(action.press, terminalContexts(state.review, state.intent));
			if (!binding) return settle(state, reviewTyped(state.review, action.press, viewport));
			if (binding.id === 'interrupt') return {...state, ended: {result: {interrupted: true}}};
			if (binding.id === 'review-cancel') return {...state, ended: {result: undefined}};
			return settle(state, reviewCommand(state.review, binding.id, viewport));
		}
	}
}
