/**
 * The step generator: Plan + Selection → the steps an apply runs, in order, with what each waits
 * for. Pure: applyPlan turns each step into an operation that touches AWS, and the dashboard shows
 * the same steps before the run starts, so the two can never disagree (Pulumi's step generator
 * decides, its step executor runs).
 *
 * Per approved change:
 *   create / update X          one step, after the changes X depends on
 *   delete X                   one step, after every user of X has let go of it (its delete, or
 *                              its update/replace that no longer needs X)
 *   replace X, create-first    X#create (new names), then X#delete of the old resource once every
 *                              change that reads X has run
 *   replace X, delete-first    X#delete, then X#create (the names are the same)
 * plus the stack security group's step, `stack#security-group`, from the plan's change for it:
 *   create / update            before every step of a resource in the tenant VPC
 *   delete                     after every other step (only when the group is recorded and the
 *                              tenant's networking is known)
 * and, when the plan has no change for it but a resource in the VPC is created or updated, an
 * `update` (a `create` when the state records no group) that reconciles its rules first. A group
 * change the user skipped gets no step. A resource is in the VPC when its inputs carry `networking`.
 *
 * Edges to steps outside the run (a requirement on an unselected change) are dropped.
 */
import {stackSecurityGroupAddress, stackSecurityGroupKind} from '../plan/inputs.js';
import type {Change, Plan} from '../plan/plan.js';
import {approvedChanges, type Selection} from '../plan/selection.js';
import type {ApplyAction} from './events.js';

export interface PlannedStep {
	/** Unique in the run: the address, `X#create`/`X#delete` for a replace. */
	id: string;
	address: string;
	action: ApplyAction;
	kind: string;
	/** The plan's change (absent for a reconcile of the stack security group the plan has no change for). */
	change?: Change;
	/** Step ids that must succeed first. */
	dependsOn: string[];
}

/** What the plan alone cannot say: how the state and the tenant stand when the run starts. */
export interface StepFacts {
	/** The state records the stack security group. */
	stackSecurityGroupRecorded: boolean;
	/** The tenant's networking is known (needed to delete the group). */
	tenantNetworkKnown: boolean;
}

/** The facts as the plan recorded them when it was made (what the dashboard shows before the run starts). */
export function factsFromPlan(plan: Plan): StepFacts {
	return {stackSecurityGroupRecorded: plan.stackSecurityGroupRecorded ?? plan.stateSerial !== 0, tenantNetworkKnown: true};
}

export function generateSteps(plan: Plan, selection: Selection | undefined, facts: StepFacts): PlannedStep[] {
	const changes = (selection ? approvedChanges(plan, selection) : plan.changes).filter((c) => c.action !== 'no-op');
	const approved = new Map(changes.map((c) => [c.address, c]));
	/** The step whose success means "X is in place" (for what depends on X). */
	const readyStep = (address: string) => {
		const change = approved.get(address);
		if (!change || change.action === 'delete') return undefined;
		return change.action === 'replace' ? `${address}#create` : address;
	};
	/** The step whose success means "X no longer uses what it used" (for deletes of its old dependencies). */
	const releaseStep = (address: string) => {
		const change = approved.get(address);
		if (!change) return undefined;
		return change.action === 'replace' ? `${address}#delete` : address;
	};
	const dependsOnReady = (change: Change) =>
		change.requires.filter((r) => r.relation === 'depends-on').flatMap((r) => readyStep(r.address) ?? []);
	const usersReleased = (change: Change) =>
		change.requires.filter((r) => r.relation === 'used-by').flatMap((r) => releaseStep(r.address) ?? []);
	/** Changes that read X (they must run against the new X before the old one goes). */
	const readersOf = (address: string) =>
		changes
			.filter((c) => c.address !== address && c.requires.some((r) => r.relation === 'depends-on' && r.address === address))
			.flatMap((c) => readyStep(c.address) ?? []);
	const inVpc = (change: Change) => change.after?.networking !== undefined;
	const networkDeps = (change: Change) => (inVpc(change) ? [stackSecurityGroupAddress] : []);

	const steps: PlannedStep[] = [];
	const step = (change: Change, action: ApplyAction, dependsOn: string[], id = change.address, kind = change.kind) =>
		steps.push({id, address: change.address, action, kind, change, dependsOn});

	const groupChange = changes.find((c) => c.address === stackSecurityGroupAddress);
	const groupPlanned = plan.changes.some((c) => c.address === stackSecurityGroupAddress);
	if (groupChange && (groupChange.action === 'create' || groupChange.action === 'update')) step(groupChange, groupChange.action, []);
	else if (!groupPlanned && changes.some((c) => c.action !== 'delete' && inVpc(c)))
		steps.push({
			id: stackSecurityGroupAddress,
			address: stackSecurityGroupAddress,
			action: facts.stackSecurityGroupRecorded ? 'update' : 'create',
			kind: stackSecurityGroupKind,
			dependsOn: [],
		});

	for (const change of changes) {
		if (change.address === stackSecurityGroupAddress) continue;
		switch (change.action) {
			case 'create':
			case 'update':
				step(change, change.action, [...dependsOnReady(change), ...networkDeps(change)]);
				break;
			case 'delete':
				step(change, 'delete', usersReleased(change));
				break;
			case 'replace': {
				const create = `${change.address}#create`;
				const remove = `${change.address}#delete`;
				const oldKind = change.previousKind ?? change.kind;
				if (change.replaceStrategy === 'create-before-delete') {
					step(change, 'replace-create', [...dependsOnReady(change), ...networkDeps(change)], create);
					step(change, 'replace-delete', [create, ...usersReleased(change), ...readersOf(change.address)], remove, oldKind);
				} else {
					step(change, 'replace-delete', usersReleased(change), remove, oldKind);
					step(change, 'replace-create', [remove, ...dependsOnReady(change), ...networkDeps(change)], create);
				}
				break;
			}
		}
	}
	if (groupChange?.action === 'delete' && facts.stackSecurityGroupRecorded && facts.tenantNetworkKnown)
		step(
			groupChange,
			'delete',
			steps.map((s) => s.id),
		);

	const ids = new Set(steps.map((s) => s.id));
	for (const s of steps) s.dependsOn = [...new Set(s.dependsOn.filter((d) => ids.has(d) && d !== s.id))];
	return steps;
}
