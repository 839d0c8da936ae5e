/**
 * Performs the save a plan review asks for (`status: 'saving'`, a new `saveRequest`): calls the
 * caller's savePlan with the plan and the Selection as reviewed, and reports the outcome through
 * `onSaved(plan, request, outcome)`. Used by the workbench and by `panka plan` in a terminal alike.
 *
 * Invariants: one call per save request; the answer is reported even if the user left the review
 * meanwhile (the host decides what to do with it: the file was written either way); a rejection
 * becomes `{error}`, never an exception in React.
 */
import {useEffect} from 'react';
import type {Plan} from '../../engine/index.js';
import type {ReviewState} from '../review/review-state.js';
import {failureOutcome, type SaveOutcome, type SavePlanService} from '../services.js';

export function usePlanSave(
	review: ReviewState | undefined,
	savePlan: SavePlanService | undefined,
	onSaved: (plan: Plan, request: number, outcome: SaveOutcome) => void,
): void {
	const request = review?.status === 'saving' ? review.saveRequest : undefined;
	const plan = review?.plan;
	const selection = review?.selection;
	useEffect(() => {
		if (request === undefined || plan === undefined || selection === undefined) return;
		void (async () => {
			let outcome: SaveOutcome;
			try {
				outcome = savePlan ? await savePlan(plan, selection) : {error: 'saving plans is not available here'};
			} catch (error) {
				outcome = {error: failureOutcome(error).error};
			}
			onSaved(plan, request, outcome);
		})();
	}, [request, plan, selection, savePlan, onSaved]);
}
