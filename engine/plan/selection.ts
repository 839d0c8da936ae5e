/**
 * Selection: which changes of a plan the user approves, and why the others are skipped
 * (docs/ARCHITECTURE.md §3: approval is an input to apply, never a prompt inside the engine).
 *
 * A selection is derived from one value, the requested skips (address → why it was asked), by
 * closing over the plan's `requires` relation (plan.ts):
 *
 * - Skipping a change skips every change that requires it, transitively. For creates, updates and
 *   replaces that is everything that depends on it ("skipped because it depends on api/api-db,
 *   which is skipped").
 * - Deletes run in reverse. The delete of X requires the deletes of the removed resources that
 *   recorded a dependency on X (and the updates of kept resources that stop using X), because they
 *   must let go of X first. So skipping the delete of a removed resource R also skips the deletes
 *   of the things R depends on: R stays, and still needs them ("skipped because it is still used
 *   by worker/r, which is skipped"). Skipping the delete of X never skips R's delete: R may go
 *   while X stays.
 * - Approving a change approves everything it requires, transitively ("approved because
 *   api/api-server needs it"); approving the delete of X therefore approves the deletes of its
 *   removed users first.
 * - `{approve}` and `{target}` approve the closure of the given addresses and skip the rest;
 *   `{skip}` skips the closure and approves the rest. `target` may name an unchanged resource
 *   (its changing dependencies are approved); `skip` and `approve` must name changes.
 *
 * Invariants:
 * - Pure and total over the plan's changes: every change that is not a no-op is in exactly one of
 *   `approved` and `skipped`; no-ops are in neither. `partial` is true exactly when something is
 *   skipped. Approved sets are closed under `requires`.
 * - Each operation returns a new Selection; `explanations` lists what the operation decided beyond
 *   what it was asked (for a toggle: what else changed), in plan order.
 * - Linear in changes + requirements; reasons are built from the nearest cause and the root, so a
 *   2,000-long chain costs no more per change than a short one.
 */
import type {Change, Plan, Requirement} from './plan.js';
import {reachable} from '../graph/walks.js';

export interface SelectionExplanation {
	address: string;
	decision: 'approved' | 'skipped';
	/** The change this one followed, then the request at the root of the chain (when different). */
	because: string[];
	message: string;
}

export interface Selection {
	approved: ReadonlySet<string>;
	/** Address → why it is skipped. */
	skipped: ReadonlyMap<string, string>;
	/** True whenever anything is skipped: the apply is partial. */
	partial: boolean;
	/** What the operation that made this selection decided beyond what it was asked. */
	explanations: SelectionExplanation[];
	/** The skips asked for directly (address → why); every other skip follows from these. */
	requestedSkips: ReadonlyMap<string, string>;
	/**
	 * The changes held back because they widen access and nobody approved them on their own
	 * (engine/plan/broadening.ts `unattendedSelection`), address → why. Absent: nothing was.
	 */
	withheld?: ReadonlyMap<string, string>;
}

export type SelectionRequest = {skip: readonly string[]} | {approve: readonly string[]} | {target: readonly string[]};

export type SelectionErrorCode = 'unknown-address' | 'no-change';

export class SelectionError extends Error {
	constructor(
		readonly code: SelectionErrorCode,
		readonly address: string,
		message: string,
	) {
		super(message);
		this.name = 'SelectionError';
	}
}

const skippedAsRequested = 'skipped as requested';
const notApproved = 'not approved';
const notTargeted = 'not targeted';

export function selectChanges(plan: Plan, request: SelectionRequest): Selection {
	const index = indexPlan(plan);
	if ('skip' in request) {
		for (const address of request.skip) index.actionable(address);
		const requested = new Map(request.skip.map((address) => [address, skippedAsRequested]));
		return strip(derive(index, requested, new Set(requested.keys())));
	}
	const approving = 'approve' in request;
	const addresses = approving ? request.approve : request.target;
	for (const address of addresses) approving ? index.actionable(address) : index.known(address);
	const approved = approveClosure(index, addresses);
	const rootReason = approving ? notApproved : notTargeted;
	const requested = new Map<string, string>();
	for (const change of index.changes)
		if (change.action !== 'no-op' && !approved.reasons.has(change.address)) requested.set(change.address, rootReason);
	const selection = derive(index, requested, new Set(requested.keys()));
	const asked = new Set(addresses);
	const explanations = [...approved.reasons]
		.filter(([address]) => !asked.has(address) && index.byAddress.get(address)!.action !== 'no-op')
		.map(([address, why]) => ({address, decision: 'approved' as const, because: why.because, message: why.message}));
	return {...strip(selection), explanations: inPlanOrder(index, explanations)};
}

/** A selection from its requested skips (what a plan file saves); throws for an address the plan cannot skip. */
export function restoreSelection(plan: Plan, requestedSkips: ReadonlyMap<string, string>): Selection {
	const index = indexPlan(plan);
	for (const address of requestedSkips.keys()) index.actionable(address);
	return strip(derive(index, requestedSkips, new Set(requestedSkips.keys())));
}

/** Everything approved: nothing skipped, not partial. */
export function approveAll(plan: Plan): Selection {
	return strip(derive(indexPlan(plan), new Map(), new Set()));
}

/**
 * Flip one change: an approved change is skipped (with everything that requires it); a skipped
 * change is approved (with everything it requires, which may un-skip requested skips).
 * `explanations` lists the other changes whose decision changed.
 */
export function toggle(selection: Selection, plan: Plan, address: string): Selection {
	const index = indexPlan(plan);
	index.actionable(address);
	const requested = new Map(selection.requestedSkips);
	const approving = !selection.approved.has(address);
	const needed = approving ? approveClosure(index, [address]).reasons : new Map<string, ApprovalReason>();
	if (approving) for (const needs of needed.keys()) requested.delete(needs);
	else requested.set(address, skippedAsRequested);
	const next = derive(index, requested, new Set());
	const explanations: SelectionExplanation[] = [];
	for (const change of index.changes) {
		if (change.address === address || change.action === 'no-op') continue;
		const was = selection.approved.has(change.address);
		const is = next.approved.has(change.address);
		if (was === is) continue;
		if (is) {
			const reason = needed.get(change.address) ?? {because: [], message: 'approved: nothing it needs is skipped any more'};
			explanations.push({address: change.address, decision: 'approved', because: reason.because, message: reason.message});
		} else {
			const because = next.causes.get(change.address) ?? [];
			explanations.push({address: change.address, decision: 'skipped', because, message: next.skipped.get(change.address)!});
		}
	}
	return {...strip(next), explanations};
}

/** The addresses a selection approves, in plan order (what apply runs). */
export function approvedChanges(plan: Plan, selection: Selection): Change[] {
	return plan.changes.filter((change) => selection.approved.has(change.address));
}

interface PlanIndex {
	changes: readonly Change[];
	byAddress: ReadonlyMap<string, Change>;
	order: ReadonlyMap<string, number>;
	/** Reverse of `requires`, actionable changes only: who requires this change. */
	requiredBy: ReadonlyMap<string, Requirement[]>;
	known(address: string): Change;
	actionable(address: string): Change;
}

function indexPlan(plan: Plan): PlanIndex {
	const byAddress = new Map<string, Change>();
	const order = new Map<string, number>();
	const requiredBy = new Map<string, Requirement[]>();
	plan.changes.forEach((change, i) => {
		byAddress.set(change.address, change);
		order.set(change.address, i);
	});
	for (const change of plan.changes) {
		if (change.action === 'no-op') continue;
		for (const requirement of change.requires) {
			const list = requiredBy.get(requirement.address);
			const entry = {address: change.address, relation: requirement.relation};
			if (list) list.push(entry);
			else requiredBy.set(requirement.address, [entry]);
		}
	}
	const known = (address: string) => {
		const change = byAddress.get(address);
		if (!change) throw new SelectionError('unknown-address', address, `${address} is not in this plan`);
		return change;
	};
	return {
		changes: plan.changes,
		byAddress,
		order,
		requiredBy,
		known,
		actionable: (address) => {
			const change = known(address);
			if (change.action === 'no-op') throw new SelectionError('no-change', address, `${address} has no changes to approve or skip`);
			return change;
		},
	};
}

interface Derived extends Selection {
	/** Per skipped address: the change it followed, then the root request (when different). */
	causes: ReadonlyMap<string, string[]>;
}

/**
 * Skips = the requested skips plus everything that requires them (breadth-first, so each skip is
 * explained by its nearest cause). `explained`: requests whose skip needs no explanation.
 */
function derive(index: PlanIndex, requested: ReadonlyMap<string, string>, explained: ReadonlySet<string>): Derived {
	const skipped = new Map<string, string>();
	const causes = new Map<string, string[]>();
	const via = new Map<string, {parent: string; relation: Requirement['relation']; root: string; depth: number}>();
	const starts: string[] = [];
	for (const change of index.changes)
		if (requested.has(change.address) && change.action !== 'no-op') {
			skipped.set(change.address, requested.get(change.address)!);
			starts.push(change.address);
		}
	const dependents = (address: string) => index.requiredBy.get(address) ?? [];
	reachable(
		starts,
		(address) => dependents(address).map((d) => d.address),
		(address, parent) => {
			const from = via.get(parent);
			const relation = dependents(parent).find((d) => d.address === address)!.relation;
			via.set(address, {parent, relation, root: from?.root ?? parent, depth: (from?.depth ?? 0) + 1});
			skipped.set(address, '');
		},
	);
	for (const [address, step] of via) {
		skipped.set(address, skipReason(via, address));
		causes.set(address, step.root === step.parent ? [step.parent] : [step.parent, step.root]);
	}
	const approved = new Set<string>();
	for (const change of index.changes) if (change.action !== 'no-op' && !skipped.has(change.address)) approved.add(change.address);
	const ordered = new Map([...skipped].sort(([a], [b]) => index.order.get(a)! - index.order.get(b)!));
	const explanations: SelectionExplanation[] = [];
	for (const address of ordered.keys()) {
		if (explained.has(address)) continue;
		explanations.push({address, decision: 'skipped', because: causes.get(address) ?? [], message: ordered.get(address)!});
	}
	return {approved, skipped: ordered, partial: ordered.size > 0, explanations, requestedSkips: new Map(requested), causes};
}

const phrase: Record<Requirement['relation'], string> = {'depends-on': 'depends on', 'used-by': 'is still used by'};

/** "skipped because it depends on api/b, which depends on api/c, which is skipped"; long chains elided in the middle. */
function skipReason(
	via: ReadonlyMap<string, {parent: string; relation: Requirement['relation']; root: string; depth: number}>,
	address: string,
): string {
	const shown = 3;
	let text = 'skipped because it';
	let current = address;
	for (let hop = 0; hop < shown; hop++) {
		const step = via.get(current);
		if (!step) break;
		text += `${hop === 0 ? '' : ', which'} ${phrase[step.relation]} ${step.parent}`;
		current = step.parent;
	}
	const remaining = via.get(current);
	if (remaining && remaining.depth === 1) text += `, which ${phrase[remaining.relation]} ${remaining.root}`;
	else if (remaining) text += `, which (through ${remaining.depth - 1} more) leads to ${remaining.root}`;
	return `${text}, which is skipped`;
}

interface ApprovalReason {
	because: string[];
	message: string;
}

/** The requires-closure of `starts`, each pulled-in address with the reason it was pulled in. */
function approveClosure(index: PlanIndex, starts: readonly string[]): {reasons: Map<string, ApprovalReason>} {
	const reasons = new Map<string, ApprovalReason>(starts.map((address) => [address, {because: [], message: 'approved'}]));
	const requirements = (address: string) => index.byAddress.get(address)!.requires;
	reachable(
		starts,
		(address) => requirements(address).map((r) => r.address),
		(address, requester) => reasons.set(address, pullReason(index, requester, requirements(requester).find((r) => r.address === address)!)),
	);
	return {reasons};
}

function pullReason(index: PlanIndex, requester: string, requirement: Requirement): ApprovalReason {
	if (requirement.relation === 'depends-on') return {because: [requester], message: `approved because ${requester} needs it`};
	const required = index.byAddress.get(requirement.address)!;
	const requesterChange = index.byAddress.get(requester)!;
	const what = requesterChange.action === 'replace' ? 'replacing' : 'deleting';
	const done = required.action === 'delete' ? 'deleted' : required.action === 'replace' ? 'replaced' : 'updated';
	return {because: [requester], message: `approved because ${what} ${requester} needs it ${done} first (it still uses ${requester})`};
}

function inPlanOrder(index: PlanIndex, explanations: SelectionExplanation[]): SelectionExplanation[] {
	return explanations.sort((a, b) => index.order.get(a.address)! - index.order.get(b.address)!);
}

function strip(derived: Derived): Selection {
	const {causes: _causes, ...selection} = derived;
	return selection;
}
