/**
 * The view of `panka plan`: what a cut-off run left (the recovery preview) first, then the plan —
 * Terraform-like text, one Plan document with --json, or the review in a terminal (approve or skip
 * each change; confirming saves the plan with the selection when --out is given) — then where the
 * plan was saved and how to apply it.
 */
import {type RecoveryPreview, recoverySentences} from '../../engine/backends.js';
import {broadeningChanges, type Plan, type Selection} from '../../engine/index.js';
import {renderPlanJson} from '../render/plan-json.js';
import {renderPlanText} from '../render/plan-text.js';
import {loadUi} from '../ui.js';
import {type StackNotes, stackNotes} from './stack-notes.js';
import type {Output, Views} from './view.js';

/** What showing the plan came to: a review ends with a selection (and where it saved), is closed, or interrupted. */
/** Where a save wrote the plan, or why it could not. */
export type SaveOutcome = {path: string} | {error: string};

export type PlanShown = {selection?: Selection; saved?: string} | 'closed' | 'interrupted';

export interface PlanView extends Pick<StackNotes, 'refreshed' | 'overBudget'> {
	/** The plan, after what a cut-off run left; `save` writes it (with the review's selection) when --out is given. */
	show(plan: Plan, recovery: RecoveryPreview, save?: (plan: Plan, selection: Selection) => Promise<SaveOutcome>): Promise<PlanShown>;
	/** The plan was saved to `path` without a review's selection. */
	saved(plan: Plan, path: string): void;
}

export const planViews: Views<PlanView> = {
	human: (out) => ({
		...stackNotes(out),
		async show(plan, recovery) {
			out.lines(recoveryLines(out, recovery));
			out.line(renderPlanText(plan, out.paint));
			return {};
		},
		saved: (plan, path) => out.line(`Saved the plan to ${path}; apply it with: ${applyCommand(plan, path)}`),
	}),
	json: (out) => ({
		...stackNotes(out),
		async show(plan, recovery) {
			out.line(renderPlanJson(plan, {recovery: recoveryJson(recovery)}));
			return {};
		},
		saved() {},
	}),
	ink: (out) => ({
		...stackNotes(out),
		async show(plan, recovery, save) {
			out.lines(recoveryLines(out, recovery));
			// Over the tenant's budget: shown, never reviewed or saved.
			if (plan.cost?.budget?.refused) {
				out.line(renderPlanText(plan, out.paint));
				return {};
			}
			const {runPlanReview} = await loadUi(out.context, () => import('../../components/review/run-plan-review.js'));
			const reviewed = await runPlanReview({plan, ...(save ? {savePlan: save} : {})});
			if (!reviewed) {
				out.note('plan review closed: nothing saved');
				return 'closed';
			}
			if ('interrupted' in reviewed) return 'interrupted';
			out.line(renderPlanText(plan, out.paint, {selection: reviewed.selection}));
			if (reviewed.saved)
				out.line(
					`Saved the plan and your selection to ${reviewed.saved}; apply it with: panka apply ${reviewed.saved}${confirmFlag(plan)}`,
				);
			return {selection: reviewed.selection, ...(reviewed.saved ? {saved: reviewed.saved} : {})};
		},
		saved: (plan, path) => out.line(`Saved the plan to ${path}; apply it with: ${applyCommand(plan, path)}`),
	}),
};

/** What a cut-off run left, as the plan text says it before the changes (nothing when nothing was left). */
function recoveryLines(out: Output, recovery: RecoveryPreview): string[] {
	const {headlines, notes} = recoverySentences(recovery);
	const lines = [...headlines.map((line) => out.paint(`⚠ ${line}`, 'yellow')), ...notes.map((note) => `  ${note}`)];
	return lines.length > 0 ? [...lines, ''] : lines;
}

function recoveryJson(recovery: RecoveryPreview): Record<string, unknown> | undefined {
	if (!recovery.lock && !recovery.problem && recovery.notes.length === 0) return undefined;
	return {
		...(recovery.lock ? {lock: recovery.lock} : {}),
		...(recovery.problem ? {problem: recovery.problem} : {}),
		pending: recovery.notes.map(({address, operation, outcome, message}) => ({address, operation, resolution: outcome, message})),
	};
}

/** `panka apply plan.json --confirm-env production --approve-broadening …`: what applying a saved plan needs. */
function applyCommand(plan: Plan, path: string): string {
	return `panka apply ${path}${confirmFlag(plan)}${broadeningChanges(plan).length > 0 ? ' --approve-broadening (it widens access; without the flag those changes wait)' : ''}`;
}

/** ` --confirm-env production` when the plan's environment is protected: what applying it will ask for. */
function confirmFlag(plan: Plan): string {
	return plan.protectedEnvironment ? ` --confirm-env ${plan.environment}` : '';
}
