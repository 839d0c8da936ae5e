/**
 * planChanges: desired stack + recorded state → Plan (docs/ARCHITECTURE.md §2, "plan"), in the spirit of
 * Pulumi's step generator: one decision per resource, made from the desired inputs and the
 * recorded ones, never from AWS (no refresh here).
 *
 * Per address (`service/component`):
 *
 *   in the folder, not in the state          create
 *   in both, inputs equal, status ready      no-op
 *   in both, inputs differ in place          update
 *   in both, a field that cannot change      replace  (the kind's `replaceOn`, a new primary
 *     in place changed, or the kind changed,           physical name, a kind change, or a
 *     or the state marks it tainted                    tainted resource; the reasons say which)
 *   in the state, not in the folder          delete
 *
 * plus the stack security group (`stack#security-group`, kind SecurityGroup; not a component, it
 * holds the stack's `networking.securityGroup` rules), planned like a resource from its desired
 * inputs (inputs.ts desiredStackSecurityGroup) and what the state records it was applied with:
 * create when a component runs in the tenant VPC and the state records no group (those
 * components' changes require it), update when its rules differ (or were never recorded), delete
 * when no component runs in the VPC any more (after the deletes of those that did).
 *
 * and two rules that look past a resource's own inputs:
 * - A component that reads an output (valueFrom, or a kind reference such as an SQS trigger) of
 *   a component this plan creates or replaces is updated even when its own inputs are equal: the
 *   value it reads is known only after apply (the diff entry says so).
 * - A resource whose last apply failed is updated even when its inputs are equal.
 * - A resource changed outside panka (`drift`, from a refresh) is updated back: each drifted
 *   field is a diff entry from the AWS value to the desired one, and the reason says so.
 *
 * Invariants:
 * - Pure: no clock, no I/O, no AWS (a refresh's drift is read by the caller and passed in).
 *   `createdAt` is passed in (default: the workspace's loadedAt, which came from the caller's
 *   clock). Same workspace, state and drift → same plan.
 * - Refuses (PlanError) a workspace with errors, a state of another stack/tenant/environment, and
 *   an unknown --target address; never plans around a broken folder.
 * - Secrets: inputs are redacted before they are compared (inputs.ts), so no secret value can reach
 *   a Change, a diff, a warning or the hash. Recorded inputs are redacted again on the way in, in
 *   case an older state holds a value now known to be sensitive.
 * - `changes` is in an order a one-at-a-time apply may follow: a change comes after every change
 *   it `requires` and after its other graph dependencies; otherwise creates, updates, replaces and
 *   no-ops in the graph's order (Dag.order), and deletes last, dependents first. Deletes are
 *   ordered by the state's recorded `dependsOn`: a removed resource is gone from the graph.
 * - `requires` is the relation Selection and targeting close over. A create, update or replace
 *   depends on its graph dependencies that change (`depends-on`). A delete of X — or the replace of
 *   X, which deletes the old X — needs first every recorded user of X to let go of it (`used-by`):
 *   the delete of a removed user, or the update/replace of a kept user that no longer depends on X.
 * - A replace is create-before-delete when no physical name of the old resource is reused by the
 *   new one; otherwise the same name cannot exist twice and it is delete-before-create.
 * - Deployed resources are planned under the names their state records where those are an older
 *   naming rule's (names-in-use.ts): a change of the naming rule alone is never a change.
 *   desiredHash is computed from the folder as resolved, whatever the state.
 * - Linear in resources + edges (maps keyed by address, a heap for the order): a 5,000-resource
 *   stack plans in well under a second (bench/plan-bench.ts).
 */
import type {ChangeCost, PlanCost} from '../cost/cost-types.js';
import {type Diagnostic, hasErrors} from '../diagnostics.js';
import {orderAfter, reachable} from '../graph/walks.js';
import {getKind} from '../kinds/registry.js';
import {damagedEntries} from '../state/damaged-entries.js';
import type {ResolvedComponent} from '../resolve/resolve-stack.js';
import {environmentLayerOf} from '../resolve/environments.js';
import {didYouMean} from '../resolve/suggest.js';
import type {StateDocument, StateResource} from '../state/state-document.js';
import type {Workspace} from '../workspace.js';
import {type DiffRules, diffInputs, type FieldChange} from './diff.js';
import {type ObservedDrift, withDrift} from './drift.js';
import {recordedNames, withNamesInUse} from './names-in-use.js';
import {describeRule, type SecurityGroupRule} from '../model/security-group.js';
import {
	type DesiredResource,
	dependencyAddresses,
	desiredInputs,
	desiredStackSecurityGroup,
	hashDesiredResources,
	type ResourceInputs,
	redactSensitive,
	sensitivePatterns,
	stackSecurityGroupAddress,
	stackSecurityGroupKind,
} from './inputs.js';
import {formatPath, isPlainObject, listKeyField, type PathPart, referenceOf, valueAtPath} from './values.js';
import {plural} from '../presentation.js';
import {type Broadening, broadeningContext, componentBroadening, stackSecurityGroupBroadening} from './broadening.js';

export const planFormatVersion = 1;

export type ChangeAction = 'create' | 'update' | 'replace' | 'delete' | 'no-op';
export type ReplaceStrategy = 'create-before-delete' | 'delete-before-create';

/** `depends-on`: this change needs that one done first because it depends on it. `used-by`: that resource still uses the one this change removes. */
export interface Requirement {
	address: string;
	relation: 'depends-on' | 'used-by';
}

export interface Change {
	address: string;
	service: string;
	name: string;
	action: ChangeAction;
	/** The desired kind; the recorded kind for a delete. */
	kind: string;
	/** The recorded kind, when the kind changes. */
	previousKind?: string;
	/** The AWS type of the primary resource. */
	type: string;
	/** The primary physical name: desired, or recorded for a delete. */
	physicalName: string;
	/** The recorded primary name, when it changes. */
	previousPhysicalName?: string;
	/** The kind's one-line description of the desired spec (not for deletes). */
	summary?: string;
	/** Why this action, in words: "type cannot change in place", "no longer in the stack folder". */
	reasons: string[];
	/** What applying it will also do, from the kind ("will generate secret …", "the data is lost"). */
	notes?: string[];
	replaceStrategy?: ReplaceStrategy;
	/** Field changes, for updates and replaces. */
	diff: FieldChange[];
	/** What applying it widens (engine/plan/broadening.ts); absent when nothing does. Such a change needs its own approval. */
	broadening?: Broadening[];
	/** Recorded inputs, redacted (update, replace, delete). */
	before?: ResourceInputs;
	/** Desired inputs, redacted, valueFrom as references (create, update, replace). */
	after?: ResourceInputs;
	/** Addresses this resource depends on: the graph's, or the state's for a delete. Sorted. */
	dependsOn: string[];
	/** Changes (never no-ops) that must happen before this one. */
	requires: Requirement[];
	/** Estimated monthly cost before and after (engine/cost/plan-cost.ts); absent when the plan was not priced. */
	cost?: ChangeCost;
}

export interface PlanSummary {
	create: number;
	update: number;
	replace: number;
	delete: number;
	noop: number;
}

/** What a plan promotes, from where: said by the plan, the review and the saved plan file (`panka promote`, engine/plan/promotion.ts). */
export interface Promotion {
	from: string;
	/** The promoted variables and their values, in `spec.promote` order. */
	variables: Record<string, string>;
	deployedAt?: string;
	deployedBy?: string;
	/** The serial of `from`'s state the values were read from. */
	serial: number;
}

/** What a rollback plan restores (`panka rollback`, engine/plan/rollback.ts): the state version whose configuration it plans back to. */
export interface Rollback {
	serial: number;
	lineage: string;
	deployedAt?: string;
	deployedBy?: string;
}

export interface Plan {
	formatVersion: typeof planFormatVersion;
	stack: string;
	tenant: string;
	environment: string;
	/** The serial of the state the plan was made against; 0 when there was none. */
	stateSerial: number;
	/** Its lineage; null when there was no state. */
	stateLineage: string | null;
	/** Hash of the whole desired configuration (inputs.ts), targeted or not. */
	desiredHash: string;
	createdAt: string;
	/** The --target addresses, when targeting was used. */
	targets?: string[];
	/** The state records the stack security group (absent in plans saved before panka recorded it). */
	stackSecurityGroupRecorded?: boolean;
	/** In apply order (see the module header). */
	changes: Change[];
	summary: PlanSummary;
	warnings: string[];
	/** Warnings from the workspace (never errors: a workspace with errors is refused). */
	diagnostics?: Diagnostic[];
	/** The environment is `protected` in stack.yaml: applying it needs a confirmation naming it. */
	protectedEnvironment?: boolean;
	/** What the plan promotes from another environment (`panka promote`). */
	promotion?: Promotion;
	/** The earlier deployment this plan restores the configuration of (`panka rollback`). */
	rollback?: Rollback;
	/**
	 * Made on the state as the next apply's recovery will leave it (a cut-off run left operations in
	 * flight): how each is resolved, as foreseen. The apply accepts the plan once its recovery
	 * resolved exactly these the same way (apply/stack-change.ts).
	 */
	recovery?: PlannedRecovery[];
	/** What the plan costs a month, with the price table it used (engine/cost/plan-cost.ts). */
	cost?: PlanCost;
}

/** One operation a cut-off run left in flight, and how the next apply resolves it (apply/recover.ts). */
export interface PlannedRecovery {
	address: string;
	outcome: string;
	message: string;
}

export interface PlanOptions {
	/** Plan only these addresses and what they need (Terraform's -target). */
	target?: readonly string[];
	/** ISO time recorded in the plan; default: the workspace's loadedAt. */
	createdAt?: string;
	/** What a refresh found changed outside panka, by resource (refreshState's drift entries). */
	drift?: readonly ObservedDrift[];
	/** Recorded in the plan when it promotes another environment's values (the workspace already holds them). */
	promotion?: Promotion;
	/** Recorded in the plan when it rolls back to an earlier deployment (the workspace already holds its configuration). */
	rollback?: Rollback;
}

export type PlanErrorCode = 'workspace-has-errors' | 'state-mismatch' | 'unknown-target';

/** The planner refused: nothing was planned. */
export class PlanError extends Error {
	constructor(
		readonly code: PlanErrorCode,
		message: string,
		readonly hint?: string,
		readonly diagnostics: readonly Diagnostic[] = [],
	) {
		super(message);
		this.name = 'PlanError';
	}
}

export const targetingWarning =
	'resource targeting is in effect: the plan covers only the targeted resources and what they depend on, so it may be incomplete; use --target for exceptional cases such as recovering from an error, not routinely';

/** Paths the planner itself treats as forcing a replace, on top of the kind's `replaceOn`. */
const plannerReplaceOn = ['physicalNames.primary'];

interface Entry {
	change: Change;
	component?: ResolvedComponent;
	/** Desired inputs (redacted), for desired changes. */
	inputs?: ResourceInputs;
	/** Recorded inputs (redacted), when recorded. */
	before?: ResourceInputs;
	/** Addresses that must come first in the order (graph dependencies for desired changes). */
	after: string[];
}

export function planChanges(workspace: Workspace, state: StateDocument | undefined, options: PlanOptions = {}): Plan {
	if (hasErrors(workspace.diagnostics)) {
		const errors = workspace.diagnostics.filter((d) => d.severity === 'error');
		throw new PlanError(
			'workspace-has-errors',
			`the stack folder has ${plural(errors.length, 'error')}; nothing was planned`,
			'run `panka validate` and fix them first',
			errors,
		);
	}
	const identity = {stack: workspace.stack.name, tenant: workspace.tenantName, environment: workspace.environment};
	if (state) checkStateIdentity(state, identity);
	// Deployed resources keep the names they were created under (names-in-use.ts); the hash is the folder's.
	const named = withNamesInUse(workspace, state);
	const resources = state?.resources ?? {};
	// An entry panka cannot trust plans nothing destructive (state/damaged-entries.ts): it is held back and named.
	const damaged = new Map(damagedEntries(state).map((entry) => [entry.address, entry]));
	const warnings: string[] = [];
	for (const entry of damaged.values())
		warnings.push(
			`${entry.address}: the state entry is damaged: ${entry.problem}; nothing is planned for it until it is repaired: ${entry.repair}`,
		);

	// 1. One decision per component, from its own inputs.
	const entries = new Map<string, Entry>();
	const desiredForHash: DesiredResource[] = [];
	const driftByAddress = new Map((options.drift ?? []).map((entry) => [entry.address, entry]));
	for (const [index, component] of named.components.entries()) {
		const planned = planComponent(workspace, component, workspace.components[index]!, {
			prior: resources[component.address],
			damaged: damaged.has(component.address),
			drift: driftByAddress.get(component.address),
			warnings,
		});
		desiredForHash.push(planned.hashed);
		entries.set(component.address, planned.entry);
	}
	// 2. Values read from components that are created or replaced are known only after apply.
	markValuesKnownAfterApply(entries, named);
	// 3. Deletes: recorded, no longer desired.
	for (const entry of plannedDeletes(resources, entries, damaged)) entries.set(entry.change.address, entry);
	// 3b. The stack security group: the hash is the folder's (as desiredHash computes it); the change uses the name in use.
	const folderGroup = desiredStackSecurityGroup(workspace);
	if (folderGroup) desiredForHash.push(folderGroup);
	const groupChange = stackSecurityGroupChange(desiredStackSecurityGroup(named), state);
	if (groupChange) entries.set(groupChange.address, {change: groupChange, after: []});
	// 4. What each change requires first.
	linkRequirements(entries, resources, groupChange);
	// 5. Order, then targeting.
	const {changes, targets} = orderedAndTargeted(workspace, entries, groupChange, options.target, warnings);
	// 6. What widens access (each kind's rule; the stack security group's here).
	markBroadening(named, entries);
	if (state && state.pending.length > 0)
		warnings.push(
			`the state records ${plural(state.pending.length, 'operation')} an earlier apply started and did not finish (${[...new Set(state.pending.map((p) => p.address))].join(', ')}); the next apply resolves ${state.pending.length === 1 ? 'it' : 'them'} first`,
		);

	const diagnostics = workspace.diagnostics.filter((d) => d.severity === 'warning');
	return {
		formatVersion: planFormatVersion,
		...identity,
		stateSerial: state?.serial ?? 0,
		stateLineage: state?.lineage ?? null,
		desiredHash: hashDesiredResources(identity, desiredForHash),
		createdAt: options.createdAt ?? new Date(workspace.loadedAt).toISOString(),
		...(targets ? {targets} : {}),
		stackSecurityGroupRecorded: state?.networking.stackSecurityGroupId !== undefined,
		changes,
		summary: summaryOf(changes),
		warnings,
		...(diagnostics.length > 0 ? {diagnostics} : {}),
		...(workspace.environmentSettings?.protected ? {protectedEnvironment: true} : {}),
		...(options.promotion ? {promotion: options.promotion} : {}),
		...(options.rollback ? {rollback: options.rollback} : {}),
	};
}

/**
 * Step 1 for one component: its change against what the state records, and what the folder's hash
 * takes from it. `component` carries the names in use; `resolved` is the folder's own.
 */
function planComponent(
	workspace: Workspace,
	component: ResolvedComponent,
	resolved: ResolvedComponent,
	recorded: {prior: StateResource | undefined; damaged: boolean; drift: ObservedDrift | undefined; warnings: string[]},
): {entry: Entry; hashed: DesiredResource} {
	const kind = getKind(component.kind)!;
	const {inputs, hidden} = desiredInputs(component);
	const dependsOn = dependencyAddresses(workspace, component);
	const hashed = resolved === component ? inputs : desiredInputs(resolved).inputs;
	if (hidden.length > 0)
		recorded.warnings.push(
			`${component.address}: ${hidden.join(', ')} ${hidden.length === 1 ? 'looks' : 'look'} secret, so ${hidden.length === 1 ? 'its value is' : 'their values are'} hidden from plans and state and a change to ${hidden.length === 1 ? 'it' : 'them'} alone cannot be seen; pass secrets by name with secretRef`,
		);
	const physicalName = component.physicalNames.primary ?? component.name;
	const base = {
		address: component.address,
		service: component.service,
		name: component.name,
		kind: component.kind,
		type: kind.awsType,
		physicalName,
		summary: component.summary,
		dependsOn,
		requires: [],
	};
	const {prior} = recorded;
	const before = prior ? recordedInputs(prior) : undefined;
	let change: Change;
	if (prior && recorded.damaged) change = {...base, action: 'no-op', reasons: [], diff: []};
	else if (!prior || !before) change = {...base, action: 'create', reasons: [], diff: [], after: inputs};
	else {
		const previousPhysicalName = recordedPrimaryName(prior);
		const renamed = previousPhysicalName !== physicalName ? {previousPhysicalName} : {};
		if (prior.kind !== component.kind) {
			change = {
				...base,
				...renamed,
				action: 'replace',
				previousKind: prior.kind,
				reasons: [`the kind changes from ${prior.kind} to ${component.kind}`],
				diff: [{path: 'kind', action: 'change', before: prior.kind, after: component.kind, forcesReplace: true}],
				before,
				after: inputs,
			};
		} else {
			const rules: DiffRules = {replaceOn: [...kind.replaceOn, ...plannerReplaceOn], sensitive: sensitivePatterns(component.kind)};
			const drift = withDrift(diffInputs(before, inputs, rules), recorded.drift, inputs);
			const {drifted} = drift;
			const diff = drift.diff.map((field) => {
				const environment = environmentLayerOf(component, field.path);
				return environment ? {...field, environment} : field;
			});
			const reasons = replaceReasons(diff);
			if (prior.status === 'tainted') reasons.push('the resource is marked tainted');
			const outside = drifted.length > 0 ? [`changed outside panka: ${drifted.join(', ')}`] : [];
			if (reasons.length > 0) change = {...base, ...renamed, action: 'replace', reasons, diff, before, after: inputs};
			else if (diff.length > 0) change = {...base, action: 'update', reasons: outside, diff, before, after: inputs};
			else if (prior.status === 'failed')
				change = {...base, action: 'update', reasons: ['the last apply of this resource failed'], diff, before, after: inputs};
			else change = {...base, action: 'no-op', reasons: [], diff: []};
		}
		if (change.action === 'replace') change.replaceStrategy = replaceStrategy(prior, component);
	}
	if (kind.planNotes && change.action !== 'no-op' && change.action !== 'delete') {
		const notes = kind.planNotes(component.spec, change.action, {tenant: workspace.tenantName});
		if (notes.length > 0) change.notes = notes;
	}
	return {
		entry: {change, component, inputs, before, after: dependsOn},
		hashed: {address: component.address, kind: component.kind, inputs: hashed, dependsOn},
	};
}

/** Step 2: a no-op or update that reads a value from a component created or replaced sees it only after apply. */
function markValuesKnownAfterApply(entries: Map<string, Entry>, named: Workspace): void {
	for (const entry of entries.values()) {
		const {change, component} = entry;
		if (!component || (change.action !== 'no-op' && change.action !== 'update')) continue;
		for (const reference of component.references) {
			if (!reference.resolved || reference.label === 'dependsOn') continue;
			const target = named.componentsByName.get(reference.component);
			const targetAction = target ? entries.get(target.address)?.change.action : undefined;
			if (!target || (targetAction !== 'create' && targetAction !== 'replace')) continue;
			markKnownAfterApply(entry, reference.path.slice(1), {address: target.address, action: targetAction});
		}
	}
}

/** Step 3: what the state records and the folder no longer holds (damaged entries are held back). */
function plannedDeletes(
	resources: Record<string, StateResource>,
	entries: ReadonlyMap<string, Entry>,
	damaged: ReadonlyMap<string, unknown>,
): Entry[] {
	return Object.keys(resources)
		.filter((address) => !entries.has(address) && !damaged.has(address))
		.sort(compareText)
		.map((address) => {
			const prior = resources[address]!;
			return {
				change: {
					address,
					service: prior.service,
					name: prior.name,
					action: 'delete',
					kind: prior.kind,
					type: prior.type,
					physicalName: recordedPrimaryName(prior),
					reasons: ['no longer in the stack folder'],
					diff: [],
					before: recordedInputs(prior),
					dependsOn: [...prior.dependsOn].sort(compareText),
					requires: [],
				},
				after: [],
			};
		});
}

/**
 * Step 4: each change's `requires`: the changed resources it depends on; for a delete or replace,
 * the recorded users that let go of it first; and the stack security group, which first exists,
 * then what runs in the VPC, and goes once what ran there is deleted.
 */
function linkRequirements(
	entries: ReadonlyMap<string, Entry>,
	resources: Record<string, StateResource>,
	groupChange: Change | undefined,
): void {
	const recordedUsers = new Map<string, string[]>();
	for (const [address, resource] of Object.entries(resources))
		for (const dependency of resource.dependsOn) {
			const users = recordedUsers.get(dependency);
			if (users) users.push(address);
			else recordedUsers.set(dependency, [address]);
		}
	for (const {change} of entries.values()) {
		if (change.action !== 'delete')
			for (const dependency of change.dependsOn) {
				const action = entries.get(dependency)?.change.action;
				if (action && action !== 'no-op') change.requires.push({address: dependency, relation: 'depends-on'});
			}
		if (change.action === 'delete' || change.action === 'replace') {
			for (const user of (recordedUsers.get(change.address) ?? []).sort(compareText)) {
				const userChange = entries.get(user)?.change;
				if (!userChange || user === change.address) continue;
				const letsGo =
					userChange.action === 'delete' ||
					((userChange.action === 'update' || userChange.action === 'replace') && !userChange.dependsOn.includes(change.address));
				if (letsGo) change.requires.push({address: user, relation: 'used-by'});
			}
		}
	}
	if (groupChange?.action === 'create')
		for (const {change, component} of entries.values())
			if (component?.networking && change.action !== 'no-op' && change.action !== 'delete')
				change.requires.push({address: groupChange.address, relation: 'depends-on'});
	if (groupChange?.action === 'delete')
		for (const {change} of entries.values())
			if (change.action === 'delete' && change.before?.networking !== undefined)
				groupChange.requires.push({address: change.address, relation: 'used-by'});
}

/** Step 5: the changes in apply order, cut to `--target` and what it needs when targets are given. */
function orderedAndTargeted(
	workspace: Workspace,
	entries: ReadonlyMap<string, Entry>,
	groupChange: Change | undefined,
	target: readonly string[] | undefined,
	warnings: string[],
): {changes: Change[]; targets?: string[]} {
	let changes = applyOrder(
		entries,
		workspace.graph.order.map((id) => workspace.graph.nodes.get(id)!.address),
		warnings,
	);
	// The group needs nothing before it is created or updated, and nothing after it is deleted: it
	// comes first (as its step runs before the VPC resources') or last.
	if (groupChange) {
		changes = changes.filter((change) => change !== groupChange);
		if (groupChange.action === 'delete') changes.push(groupChange);
		else changes.unshift(groupChange);
	}
	if (!target || target.length === 0) return {changes};
	const targets = [...new Set(target)];
	for (const address of targets)
		if (!entries.has(address))
			throw new PlanError(
				'unknown-target',
				`--target ${address}: no resource with that address in the stack folder or the state${didYouMean(address, entries.keys())}`,
				'addresses are service/component, as `panka state list` and the plan show them',
			);
	const keep = reachable(targets, (address) => {
		const entry = entries.get(address)!;
		return [...entry.after, ...entry.change.requires.map((r) => r.address)];
	});
	warnings.unshift(targetingWarning);
	return {changes: changes.filter((change) => keep.has(change.address)), targets};
}

/** Step 6: each change's `broadening`, what applying it widens (the kinds' rules; the stack security group's in broadening.ts). */
function markBroadening(named: Workspace, entries: ReadonlyMap<string, Entry>): void {
	const context = broadeningContext(named);
	const loadBalanced = named.components.filter((component) => component.physicalNames.loadBalancer).map((c) => c.address);
	for (const {change, component, before} of entries.values()) {
		const widens = component ? componentBroadening(change, component, before, context) : stackSecurityGroupBroadening(change, loadBalanced);
		if (widens.length > 0) change.broadening = widens;
	}
}

function summaryOf(changes: readonly Change[]): PlanSummary {
	const summary: PlanSummary = {create: 0, update: 0, replace: 0, delete: 0, noop: 0};
	for (const change of changes) summary[change.action === 'no-op' ? 'noop' : change.action]++;
	return summary;
}

function stackSecurityGroupChange(group: DesiredResource | undefined, state: StateDocument | undefined): Change | undefined {
	const recordedId = state?.networking.stackSecurityGroupId;
	const before = state?.networking.stackSecurityGroupInputs;
	const name = (group?.inputs.name ?? before?.name ?? recordedId ?? 'stack security group') as string;
	const base = {
		address: stackSecurityGroupAddress,
		service: 'stack',
		name: 'security-group',
		kind: stackSecurityGroupKind,
		type: 'AWS::EC2::SecurityGroup',
		physicalName: name,
		dependsOn: [],
		requires: [],
	};
	if (!group) {
		if (!recordedId) return undefined;
		return {
			...base,
			action: 'delete',
			reasons: ['no component of the stack runs in the tenant VPC any more'],
			diff: [],
			...(before ? {before} : {}),
		};
	}
	const summary = describeGroupRules(group.inputs);
	if (!recordedId) return {...base, action: 'create', summary, reasons: [], diff: [], after: group.inputs};
	if (!before)
		return {
			...base,
			action: 'update',
			summary,
			reasons: ['the rules it was last applied with are not recorded (a state from an earlier panka): they are reconciled'],
			diff: [],
			after: group.inputs,
		};
	const diff = diffInputs(before, group.inputs, {replaceOn: [], sensitive: []});
	if (diff.length === 0) return undefined;
	return {...base, action: 'update', summary, reasons: [], diff, before, after: group.inputs};
}

/** `ingress: tcp 443 0.0.0.0/0; egress: all traffic 0.0.0.0/0`. */
function describeGroupRules(inputs: ResourceInputs): string {
	const rules = (list: unknown) => ((list as SecurityGroupRule[] | undefined) ?? []).map(describeRule).join(', ') || 'none of its own';
	return `ingress: ${rules(inputs.ingress)}; egress: ${rules(inputs.egress)}`;
}

/** Whether a plan has anything to do. */
export function planHasChanges(plan: Plan): boolean {
	return plan.changes.some((change) => change.action !== 'no-op');
}

function checkStateIdentity(state: StateDocument, identity: {stack: string; tenant: string; environment: string}): void {
	const {metadata} = state;
	const mismatches = (['stack', 'tenant', 'environment'] as const).filter((key) => metadata[key] !== identity[key]);
	if (mismatches.length === 0) return;
	const describe = (m: {stack: string; tenant: string; environment: string}) =>
		`stack ${m.stack}, tenant ${m.tenant}, environment ${m.environment}`;
	throw new PlanError(
		'state-mismatch',
		`the state belongs to ${describe(metadata)}, not to ${describe(identity)}`,
		'check --env and the tenant you are logged in as; a stack never plans against another stack’s state',
	);
}

/** Recorded inputs, redacted again under the kind's current sensitive paths. */
function recordedInputs(resource: StateResource): ResourceInputs {
	return redactSensitive(resource.inputs, sensitivePatterns(resource.kind)).value;
}

function recordedPrimaryName(resource: StateResource): string {
	return recordedNames(resource).primary ?? resource.physicalId;
}

function recordedPhysicalNames(resource: StateResource): string[] {
	const fromInputs = isPlainObject(resource.inputs.physicalNames) ? Object.values(resource.inputs.physicalNames) : [];
	return [...Object.values(recordedNames(resource)), ...fromInputs.filter((name): name is string => typeof name === 'string')];
}

/** Delete first when the new resource would reuse any name of the old one (names are unique in AWS). */
function replaceStrategy(prior: StateResource, component: ResolvedComponent): ReplaceStrategy {
	const old = new Set(recordedPhysicalNames(prior));
	return Object.values(component.physicalNames).some((name) => old.has(name)) ? 'delete-before-create' : 'create-before-delete';
}

/** "type cannot change in place", "the physical name changes", from the diff's forcing entries. */
function replaceReasons(diff: readonly FieldChange[]): string[] {
	const reasons: string[] = [];
	for (const entry of diff) {
		if (!entry.forcesReplace) continue;
		if (entry.path === 'physicalNames.primary') reasons.push('the physical name changes');
		else reasons.push(`${entry.path} cannot change in place`);
	}
	return reasons;
}

/**
 * Marks the reference at `specPath` (segments below `spec`, as the resolver wrote them) as known
 * only after apply; a no-op becomes an update.
 */
function markKnownAfterApply(
	entry: Entry,
	specPath: ReadonlyArray<string | number>,
	because: NonNullable<FieldChange['knownAfterApply']>,
): void {
	const {change, inputs, before} = entry;
	if (!inputs || !before) return;
	const parts = displayParts(inputs, specPath);
	const after = parts && valueAtPath(inputs, parts);
	if (!parts || after === undefined) return;
	const path = formatPath(parts);
	const existing = change.diff.find((d) => d.path === path);
	if (existing) existing.knownAfterApply ??= because;
	else {
		const previous = valueAtPath(before, parts);
		change.diff.push({
			path,
			action: previous === undefined ? 'add' : 'change',
			...(previous === undefined ? {} : {before: previous}),
			after,
			knownAfterApply: because,
		});
	}
	const reason = `reads ${because.address}, which is ${because.action === 'create' ? 'created' : 'replaced'}: the value is known only after apply`;
	if (!change.reasons.includes(reason)) change.reasons.push(reason);
	if (change.action === 'no-op') {
		change.action = 'update';
		change.before = before;
		change.after = inputs;
	}
}

/**
 * A written spec path (list indexes, as the resolver records references) as display parts: keyed
 * list items by key, and a trailing `valueFrom` folded into its holder.
 */
function displayParts(root: unknown, segments: ReadonlyArray<string | number>): PathPart[] | undefined {
	const parts: PathPart[] = [];
	let node = root;
	for (const [i, segment] of segments.entries()) {
		if (segment === 'valueFrom' && i === segments.length - 1 && referenceOf(node)) break;
		if (Array.isArray(node)) {
			const index = Number(segment);
			const keyField = listKeyField(node);
			const item = node[index];
			parts.push(keyField ? {item: String((item as Record<string, unknown>)[keyField])} : {index});
			node = item;
			if (keyField && isPlainObject(node)) {
				const {[keyField]: _key, ...rest} = node;
				node = rest;
			}
		} else if (isPlainObject(node)) {
			parts.push({key: String(segment)});
			node = node[String(segment)];
		} else return undefined;
	}
	return parts;
}

/**
 * A depth-first topological sort over "comes after" edges (graph dependencies and requirements):
 * changes are visited in preference order — desired changes in graph order, then deletes by
 * address — and each is placed right after whatever it still waits for. Iterative, so a
 * 5,000-long chain cannot overflow the stack. A loop (only possible in hand-edited recorded
 * dependencies) is cut where it closes, with a warning.
 */
function applyOrder(entries: ReadonlyMap<string, Entry>, graphOrder: readonly string[], warnings: string[]): Change[] {
	const preference: string[] = graphOrder.filter((address) => entries.has(address));
	const ranked = new Set(preference);
	const deletes: string[] = [];
	for (const [address, entry] of entries) {
		if (entry.change.action === 'delete') deletes.push(address);
		else if (!ranked.has(address)) preference.push(address);
	}
	preference.push(...deletes.sort(compareText));

	const waitsFor = (address: string): string[] => {
		const entry = entries.get(address)!;
		return [...entry.after, ...entry.change.requires.map((r) => r.address)].filter((a) => a !== address && entries.has(a));
	};
	const {order, looped} = orderAfter(preference, waitsFor);
	if (looped.size > 0)
		warnings.push(`the recorded dependencies of ${[...looped].sort(compareText).join(', ')} form a loop; it was cut where it closes`);
	return order.map((address) => entries.get(address)!.change);
}

function compareText(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}
