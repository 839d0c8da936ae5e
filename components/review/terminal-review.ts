/**
 * `panka plan` in a terminal: the review alone, without the workbench around it. This is its
 * reducer: keys through the keymap (the review's contexts, then `review-terminal`, then global),
 * the review's own commands to review-state.ts, and the three ways it ends.
 *
 * Invariants:
 * - Pure; `ended` is set once and never changes after (later actions are ignored).
 * - Ends with the confirmed Selection (and where it was saved, when a savePlan was given and it
 *   succeeded), with `undefined` for esc/q, or with `{interrupted: true}` for ctrl+c. A failed
 *   save does not end it: the error is shown and the user may try again or cancel.
 */
import type {Plan} from '../../engine/plan/plan.js';
import type {Selection} from '../../engine/plan/selection.js';
import {type KeyContext, type KeyPress, resolveBinding} from '../keymap.js';
import type {SaveOutcome} from '../services.js';
import {layoutFor, type TerminalSize} from '../state/layout.js';
import {openReview, type ReviewState, type ReviewViewport, refitReview, reviewCommand, reviewContexts, reviewSaved, reviewTyped} from './review-state.js';

/** Confirmed (with the file it was saved to, if any), cancelled (undefined), or ctrl+c. */
export type PlanReviewResult = {selection: Selection; saved?: string} | {interrupted: true} | undefined;

export interface TerminalReviewState {
	review: ReviewState;
	size: TerminalSize;
	ended?: {result: PlanReviewResult};
}

export type TerminalReviewAction = {type: 'key'; press: KeyPress} | {type: 'resize'; size: TerminalSize} | {type: 'saved'; plan: Plan; request: number; outcome: SaveOutcome};

/** The review pane takes the frame (one row less than the terminal) minus the footer. */
export function terminalViewport(size: TerminalSize): ReviewViewport {
	const layout = layoutFor(size);
	return {width: layout.width, height: Math.max(4, layout.height - 1)};
}

export function terminalContexts(review: Pick<ReviewState, 'typing' | 'filter'>): KeyContext[] {
	if (review.typing) return [...reviewContexts(review), 'global'];
	return [...reviewContexts(review), 'review-terminal', 'global'];
}

export function initialTerminalReview({plan, size, canSave}: {plan: Plan; size: TerminalSize; canSave: boolean}): TerminalReviewState {
	return {review: openReview(plan, terminalViewport(size), {canSave, endsOnConfirm: true}), size};
}

function settle(state: TerminalReviewState, review: ReviewState): TerminalReviewState {
	if (review.status === 'confirmed') return {...state, review, ended: {result: {selection: review.selection, ...(review.saved ? {saved: review.saved} : {})}}};
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
			const binding = resolveBinding(action.press, terminalContexts(state.review));
			if (!binding) return settle(state, reviewTyped(state.review, action.press, viewport));
			if (binding.id === 'interrupt') return {...state, ended: {result: {interrupted: true}}};
			if (binding.id === 'review-cancel') return {...state, ended: {result: undefined}};
			return settle(state, reviewCommand(state.review, binding.id, viewport));
		}
	}
}
