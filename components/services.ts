/**
 * What the workbench asks of its caller: the effects it must not perform itself.
 *
 * The workbench never talks to AWS, a state backend or the file system (DESIGN.md §1): planning
 * needs the tenant session and the recorded state, saving a plan writes a file, and both belong to
 * the CLI (source/), which passes them in here. Every member is optional; a missing one turns the
 * key that needs it into a notice saying what is missing.
 *
 * Contract for implementers:
 * - `plan` resolves with the plan, or with an error to show (`code` 'workspace-has-errors' sends
 *   the user to the diagnostics pane; other codes are shown as they are). A rejection, a thrown
 *   PlanError included, is shown like a returned error, with its `hint` when it has one. It is
 *   called with the workspace the user is looking at; `signal` aborts when the user leaves the
 *   planning screen (esc) or the workbench ends, and the result is then ignored anyway.
 * - `savePlan` resolves with the path it wrote (shown to the user), or an error to show. It is
 *   given the plan exactly as reviewed and the Selection made in the review
 *   (engine/plan/selection.ts); the CLI writes them with makePlanFile + writePlanFile.
 */
import type {Plan} from '../engine/plan/plan.js';
import type {Selection} from '../engine/plan/selection.js';
import type {Workspace} from '../engine/workspace.js';

export type PlanOutcome = {plan: Plan} | {error: string; hint?: string; code?: string};

export type SaveOutcome = {path: string} | {error: string};

export type PlanService = (workspace: Workspace, options: {signal: AbortSignal}) => Promise<PlanOutcome>;

export type SavePlanService = (plan: Plan, selection: Selection) => Promise<SaveOutcome>;

export interface WorkbenchServices {
	/** Plans the workspace against the recorded state of its tenant, stack and environment. */
	plan?: PlanService;
	/** Saves the plan with the review's selection as a plan file. */
	savePlan?: SavePlanService;
}

/** A rejection from a service as an outcome: its message, and its `hint`/`code` when it has them (PlanError does). */
export function failureOutcome(error: unknown): {error: string; hint?: string; code?: string} {
	if (!(error instanceof Error)) return {error: String(error)};
	const {hint, code} = error as {hint?: unknown; code?: unknown};
	return {error: error.message, ...(typeof hint === 'string' ? {hint} : {}), ...(typeof code === 'string' ? {code} : {})};
}
