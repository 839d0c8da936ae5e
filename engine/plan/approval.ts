/**
 * Approval of security-broadening changes (engine/plan/broadening.ts says which they are): the
 * tenant's rule, `TenantConfig.spec.requireApproval`, and what an unattended apply (`--yes`, a
 * saved plan without a reviewed selection) may run under it.
 *
 *   never        everything
 *   broadening   everything but the changes that widen access (and what needs them), unless
 *                broadening is approved on its own (--approve-broadening)   (the default)
 *   any-change   nothing unattended: every change is approved in a review (the CLI refuses --yes)
 *
 * Invariants:
 * - Pure. A held-back change is skipped with what it widens and how to approve it, and listed in
 *   the selection's `withheld`, so the run's outcome says the stack waits for an approval instead
 *   of calling the partial apply a choice.
 */
import type {ApprovalRule} from '../model/tenant-config.js';
import type {Change, Plan} from './plan.js';
import {approveAll, restoreSelection, type Selection} from './selection.js';

/** The changes of a plan that widen access, in plan order. */
export function broadeningChanges(plan: {changes: readonly Change[]}): Change[] {
	return plan.changes.filter((change) => (change.broadening?.length ?? 0) > 0);
}

/**
 * What an unattended apply runs (see the header); `how` says how to approve the held-back changes
 * ("pass --approve-broadening to apply it"). `any-change` is the caller's to refuse before this.
 */
export function unattendedSelection(plan: Plan, options: {approveBroadening: boolean; rule: ApprovalRule; how: string}): Selection {
	const held = broadeningChanges(plan);
	if (options.approveBroadening || options.rule === 'never' || held.length === 0) return approveAll(plan);
	const withheld = new Map(
		held.map((change) => [change.address, `widens access (${change.broadening!.map((b) => b.what).join('; ')}); ${options.how}`]),
	);
	return {...restoreSelection(plan, withheld), withheld};
}
