/**
 * A whole `panka apply` or `panka destroy` of one stack (promote and rollback are applies), in
 * order: take the lock (lockStack) → say what was resolved of a cut-off run → decide → run →
 * after a complete destroy, sweep AWS for what no state records → release the lock.
 *
 * Deciding: a destroy of a stack that has nothing left deletes the empty state and sweeps
 * ("Nothing to destroy"); a saved plan is checked again under the lock (refused when stale) and
 * its budget priced again (other stacks of the tenant may have grown since); otherwise the plan is
 * made now (the caller's `plan` for an apply, planDestroy for a destroy) and priced. A plan over
 * the tenant's budget is refused (a destroy only lowers the total, so never). A plan without
 * changes ends with the summary a run with nothing to do ends with. Approval: the reviewed
 * selection a saved plan carries; `yes` (everything for a destroy; for an apply what the
 * tenant's approval rule lets run unattended, engine/plan/approval.ts: nothing under any-change,
 * refused); else the review the caller's view runs, which may be unavailable (no terminal).
 *
 * Invariants:
 * - Nothing is printed here: each thing that happens is told to `report` (the caller's view), in
 *   the order it happens, and the result says how it ended; exit codes are the caller's.
 * - The lock is released before this returns or throws, however it ends (once: a second
 *   interruption before the run starts releases it and calls `abandoned`, the caller's exit);
 *   a lock that could not be removed is reported, never a failure of the run.
 * - A refusal (saved plan stale, over budget, approval rule) runs no operation.
 * - The sweep never changes the run's outcome: AWS that cannot be read is reported, not thrown.
 */
import type {PlanApplicability, PlanFile} from '../plan/plan-file.js';
import {savedSelection} from '../plan/plan-file.js';
import {type Plan, planHasChanges} from '../plan/plan.js';
import {approveAll, type Selection} from '../plan/selection.js';
import {unattendedSelection} from '../plan/approval.js';
import {stackSecurityGroupAddress} from '../plan/inputs.js';
import {planDestroy} from '../plan/destroy-plan.js';
import {approvalRuleOf} from '../model/tenant-config.js';
import type {ApprovalRule} from '../tenants/approval-rules.js';
import type {StateDocument, StateKey} from '../state/state-document.js';
import {basisOf, deleteState, readState, type StoredState} from '../state/state-store.js';
import {type EngineEvent, noChangesSummary} from './events.js';
import type {RecoveryNote} from './recover.js';
import {lockStack, type StackChangeSettings, type StackChangeSignals, type StackTarget} from './stack-change.js';

type RunSummary = Extract<EngineEvent, {type: 'summary'}>;

export interface StackCommandRequest {
	settings: StackChangeSettings;
	/** A saved plan (`panka apply plan.json`) and where it was read from; absent: the plan is made now. */
	savedPlan?: {file: PlanFile; path: string};
	/** --yes: approved without a review. */
	yes: boolean;
	/** --approve-broadening: unattended, the changes that widen access run too. */
	approveBroadening: boolean;
	/** --delete-orphans: the sweep after a complete destroy deletes what it finds. */
	deleteOrphans: boolean;
	/** Called once the lock is held (the caller listens for interruptions from then on): the first (stop) and second (abort) interruption. */
	listen(): StackChangeSignals;
	/** An apply's plan on the state read under the lock, with the state it was made on (a refresh may change it); a refusal is thrown (the lock is released on the way out). */
	plan(state: StateDocument | undefined): Promise<{plan: Plan; state: StateDocument | undefined}>;
	/** The plan with its cost and, when the tenant sets a limit, its budget check. */
	price(plan: Plan, state: StateDocument | undefined): Promise<Plan>;
	/** Checks the state read under the lock before anything is planned (a rollback's target is still there); throws to refuse. */
	checkState?(state: StateDocument | undefined): void;
	/** A second interruption before the run started: the lock is released; the caller ends the process. */
	abandoned(): void;
}

/** What the sweep after a complete destroy found: each leftover, deleted or not (and why not). */
export interface SweptLeftover {
	what: string;
	component?: string;
	deleted: boolean;
	problem?: string;
}

export type SweepReport =
	| {leftovers: SweptLeftover[]; deleteOrphans: boolean; rerun?: string}
	/** AWS could not be read to look. */
	| {problem: string};

/** How the review (the caller's) ended: a selection, closed by the user, interrupted, or no terminal to ask in. */
export type ReviewAnswer = {selection: Selection} | 'cancelled' | 'interrupted' | 'unavailable';

/** What happens, told to the caller's view as it happens. */
export interface StackCommandReport {
	recovered(notes: readonly RecoveryNote[]): void;
	nothingToDestroy(key: StateKey): void;
	savedPlanRefused(refusal: Extract<PlanApplicability, {ok: false}>): void;
	/** `fresh`: the plan was made now, and nobody has seen it yet. */
	overBudget(plan: Plan, fresh: boolean): void;
	/** Only the stack's security group is left (an earlier destroy could not delete it). */
	leftoverGroup(groupId: string): void;
	noChanges(summary: RunSummary): void;
	/** The tenant requires every change to be reviewed: an unattended apply is refused. */
	reviewRequired(plan: Plan): void;
	/** Changes that widen access held back from an unattended apply. */
	withheld(plan: Plan, count: number, rule: ApprovalRule): void;
	review(plan: Plan, operation: 'apply' | 'destroy'): Promise<ReviewAnswer>;
	stoppedBeforeStart(operation: 'apply' | 'destroy'): void;
	run(events: AsyncIterable<EngineEvent>, plan: Plan, selection: Selection): Promise<RunSummary | undefined>;
	swept(sweep: SweepReport): void;
	/** The lock could not be given back: what to tell the user. */
	lockLeft(message: string): void;
}

export type StackCommandResult =
	| {kind: 'nothing-to-destroy'}
	/** A saved plan gone stale, a plan over budget, an unattended apply the approval rule refuses. */
	| {kind: 'refused'}
	| {kind: 'no-changes'; summary: RunSummary}
	| {kind: 'review-cancelled'}
	| {kind: 'review-interrupted'}
	/** It needs approval and there is no terminal to ask in (and no --yes). */
	| {kind: 'needs-approval'}
	/** Stopped (first interruption) before anything started. */
	| {kind: 'stopped'}
	/** It ran: its summary, or none when the stream ended without one. */
	| {kind: 'ran'; summary: RunSummary | undefined};

type Decided = {plan: Plan; selection: Selection} | Exclude<StackCommandResult, {kind: 'ran'} | {kind: 'stopped'}>;

export async function runStackCommand(
	target: StackTarget,
	request: StackCommandRequest,
	report: StackCommandReport,
): Promise<StackCommandResult> {
	const {operation} = request.settings;
	const locked = await lockStack(target, request.settings);
	const signals = request.listen();
	const {stop, abort} = signals;
	// A second interruption before anything runs (planning, the review) does not wait for the plan.
	const abandon = () => void locked.release().finally(() => request.abandoned());
	abort.addEventListener('abort', abandon, {once: true});
	try {
		if (locked.recovered.length > 0) report.recovered(locked.recovered);
		const {stored} = locked;
		request.checkState?.(stored?.state);
		// A stack security group can outlive the resources (its delete failed, e.g. on Lambda ENIs AWS was still releasing): the destroy deletes it then.
		if (
			operation === 'destroy' &&
			(!stored || (Object.keys(stored.state.resources).length === 0 && !stored.state.networking.stackSecurityGroupId))
		) {
			report.nothingToDestroy(target.key);
			if (stored) await deleteState(target.backend, target.key, basisOf(stored));
			await sweepAfterDestroy(target, request, report);
			return {kind: 'nothing-to-destroy'};
		}
		const decided = await decide(target, request, report, locked.applicability, stored);
		if (!('plan' in decided)) return decided;
		if (stop.aborted) {
			report.stoppedBeforeStart(operation);
			return {kind: 'stopped'};
		}
		abort.removeEventListener('abort', abandon);
		const {plan, selection} = decided;
		const summary = await report.run(locked.run(plan, selection, signals), plan, selection);
		if (operation === 'destroy' && summary?.outcome.kind === 'success') await sweepAfterDestroy(target, request, report);
		return {kind: 'ran', summary};
	} finally {
		abort.removeEventListener('abort', abandon);
		const left = await locked.release();
		if (left) report.lockLeft(left);
	}
}

/** The plan to run and what is approved in it, or how it ended without running. */
async function decide(
	target: StackTarget,
	request: StackCommandRequest,
	report: StackCommandReport,
	applicability: (plan: Plan) => PlanApplicability,
	stored: StoredState | undefined,
): Promise<Decided> {
	const {operation} = request.settings;
	if (request.savedPlan) {
		const {file, path} = request.savedPlan;
		const applicable = applicability(file.plan);
		if (!applicable.ok) {
			report.savedPlanRefused(applicable);
			return {kind: 'refused'};
		}
		// The budget is checked again now: other stacks of the tenant may have grown since the plan was saved.
		const saved = await request.price(file.plan, stored?.state);
		if (saved.cost?.budget?.refused) {
			report.overBudget(saved, false);
			return {kind: 'refused'};
		}
		// A reviewed selection was approved change by change; a plan saved without one is applied as --yes would.
		const reviewed = savedSelection(file, path);
		return reviewed ? {plan: saved, selection: reviewed} : unattended(target, request, report, saved);
	}
	let plan: Plan;
	if (operation === 'destroy') {
		// Priced too, to say what it saves; a destroy only lowers the tenant's total, so the budget never refuses it.
		plan = await request.price(planDestroy(target.workspace, stored!.state, {createdAt: new Date().toISOString()}), stored!.state);
	} else {
		const planned = await request.plan(stored?.state);
		plan = await request.price(planned.plan, planned.state);
		if (plan.cost?.budget?.refused) {
			report.overBudget(plan, true);
			return {kind: 'refused'};
		}
	}
	const onlyTheGroup = operation === 'destroy' && plan.changes.every((c) => c.address === stackSecurityGroupAddress);
	const leftoverGroup = onlyTheGroup ? stored?.state.networking.stackSecurityGroupId : undefined;
	if (leftoverGroup) report.leftoverGroup(leftoverGroup);
	if (!planHasChanges(plan)) {
		// Nothing runs, so the engine's verdict is made here: the summary a run with nothing to do ends with.
		const summary = noChangesSummary(operation, stored?.state, new Date().toISOString());
		report.noChanges(summary);
		return {kind: 'no-changes', summary};
	}
	if (request.yes) return operation === 'destroy' ? {plan, selection: approveAll(plan)} : unattended(target, request, report, plan);
	const answer = await report.review(plan, operation);
	if (answer === 'cancelled') return {kind: 'review-cancelled'};
	if (answer === 'interrupted') return {kind: 'review-interrupted'};
	if (answer === 'unavailable') return {kind: 'needs-approval'};
	return {plan, selection: answer.selection};
}

/**
 * What an apply without a review runs, under the tenant's requireApproval (engine/plan/approval.ts):
 * the changes that widen access only with --approve-broadening (the others run, and the outcome
 * names what waits); under any-change nothing, refused.
 */
function unattended(target: StackTarget, request: StackCommandRequest, report: StackCommandReport, plan: Plan): Decided {
	const rule = approvalRuleOf(target.workspace.tenant?.config);
	if (rule === 'any-change' && planHasChanges(plan)) {
		report.reviewRequired(plan);
		return {kind: 'refused'};
	}
	const selection = unattendedSelection(plan, {
		approveBroadening: request.approveBroadening,
		rule,
		how: 'pass --approve-broadening to apply it',
	});
	if (selection.withheld) report.withheld(plan, selection.withheld.size, rule);
	return {plan, selection};
}

/**
 * After a complete destroy: what AWS still holds tagged for this stack and environment that no
 * state records (engine/apply/stack-sweep.ts), reported; deleted with --delete-orphans. Nothing is
 * reported when nothing is left, or when the state still records something (a destroy that keeps
 * damaged entries is not swept: its outcome names them).
 */
async function sweepAfterDestroy(target: StackTarget, request: StackCommandRequest, report: StackCommandReport): Promise<void> {
	const kept = await readState(target.backend, target.key).catch(() => undefined);
	if (Object.keys(kept?.state.resources ?? {}).length > 0) return;
	const {findLeftovers} = await import('../operations.js');
	let leftovers: Awaited<ReturnType<typeof findLeftovers>>;
	try {
		leftovers = await findLeftovers(target.tenantClients, target.key);
	} catch (error) {
		report.swept({problem: (error as Error).message});
		return;
	}
	const results: SweptLeftover[] = [];
	for (const leftover of leftovers) {
		const base = {what: leftover.what, ...(leftover.component ? {component: leftover.component} : {})};
		if (!request.deleteOrphans) results.push({...base, deleted: false});
		else
			try {
				await leftover.remove();
				results.push({...base, deleted: true});
			} catch (error) {
				results.push({...base, deleted: false, problem: (error as Error).message});
			}
	}
	// Nothing left: nothing to add (the destroy's own last line stays the last line).
	if (results.length === 0) return;
	const rerun = request.settings.commands?.rerun('destroy');
	report.swept({leftovers: results, deleteOrphans: request.deleteOrphans, ...(rerun ? {rerun} : {})});
}
