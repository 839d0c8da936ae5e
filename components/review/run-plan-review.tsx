/**
 * `panka plan` and `panka apply` in a terminal: review the plan, approve or skip changes, confirm.
 *
 *     runPlanReview({plan, savePlan?, intent?}) → Promise<PlanReviewResult>
 *
 * Resolves with
 * - `{selection, saved?}` when the user confirms (`s`, or `y` with intent 'apply': "apply approved
 *   changes"): the engine's Selection as reviewed; when
 *   `savePlan` was given, it has been called with (plan, selection) and `saved` is the path it
 *   returned. A failed save is shown in the review and the user may retry or cancel.
 * - `undefined` when the user cancels (esc or q): nothing confirmed, nothing saved.
 * - `{interrupted: true}` for ctrl+c. The review never sets process.exitCode: the caller decides
 *   (the convention is exit code 130, as the workbench does).
 * Rejects only when stdin is not a terminal (the caller should not have asked) or Ink fails.
 *
 * Invariants: renders only the review (no workbench, no watcher, no backend, no files: saving is
 * the caller's `savePlan`); the frame is cleared when it ends, so the caller's report follows.
 */
import {render} from 'ink';
import type {Plan} from '../../engine/index.js';
import type {SavePlanService} from '../services.js';
import {PlanReview} from './PlanReview.js';
import type {PlanReviewResult, ReviewIntent} from './terminal-review.js';

export type {PlanReviewResult} from './terminal-review.js';

export async function runPlanReview({
	plan,
	savePlan,
	intent,
}: {
	plan: Plan;
	savePlan?: SavePlanService;
	intent?: ReviewIntent;
}): Promise<PlanReviewResult> {
	if (!process.stdin.isTTY)
		throw new Error('the plan review needs an interactive terminal; without one, panka plan prints the plan instead');
	let finish: (result: PlanReviewResult) => void = () => {};
	const done = new Promise<PlanReviewResult>((resolve) => {
		finish = resolve;
	});
	const instance = render(
		<PlanReview plan={plan} {...(savePlan ? {savePlan} : {})} {...(intent ? {intent} : {})} onDone={(result) => finish(result)} />,
		{exitOnCtrlC: false},
	);
	const result = await done;
	instance.unmount();
	await instance.waitUntilExit();
	return result;
}
