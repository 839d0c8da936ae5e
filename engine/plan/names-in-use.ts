/**
 * Names in use: what a deployed stack's resources are called in AWS, as its state records them.
 *
 * The resolver computes every physical name from the identity alone (resolve/physical-names.ts).
 * A resource that exists keeps the name it was created under: names recorded by panka 0.1, whose
 * naming joined the identity without a hash, are still used to plan, update, read and delete it,
 * so a change of the naming rule never replaces, renames or orphans anything already deployed.
 *
 * Invariants:
 * - A recorded name is kept only where it is what the old rule gives for the same identity, role
 *   and current spec; a name that changed for another reason (a queue turned FIFO gets `.fifo`)
 *   still changes, and the planner replaces the resource as before.
 * - Kept role by role: a role the resource did not have before (a dead-letter queue turned on)
 *   gets its name under the current rule. A component the state does not record, or records as
 *   another kind (a replace), gets the current names.
 * - Roles the kind shares across the stack (`sharedNameRoles`, the MicroService cluster) keep
 *   their old name for every component of the kind once any recorded one uses it, so a service
 *   added to an old stack joins the stack's cluster instead of making a second one.
 * - The stack security group keeps the name the state records (`networking.stackSecurityGroupName`);
 *   a state that records a group without its name was written by panka 0.1: the old rule's name.
 * - Pure; the workspace given is returned unchanged when nothing is kept. The plan's desiredHash
 *   is computed from the workspace as resolved (it hashes the folder, not the state).
 */
import {getKind} from '../kinds/registry.js';
import {stackSecurityGroupName} from '../resolve/networking.js';
import type {NameIdentity} from '../resolve/physical-names.js';
import type {ResolvedComponent} from '../resolve/resolve-stack.js';
import type {PendingOperation, StateDocument, StateResource} from '../state/state-document.js';
import type {Workspace} from '../workspace.js';
import {isPlainObject} from './values.js';

/** A resource's recorded names by role: `physicalNames`, completed from `inputs.physicalNames` (older states). */
export function recordedNames(resource: StateResource): Record<string, string> {
	const fromInputs = isPlainObject(resource.inputs.physicalNames) ? resource.inputs.physicalNames : {};
	const names: Record<string, string> = {};
	for (const [role, name] of Object.entries(fromInputs)) if (typeof name === 'string') names[role] = name;
	return {...names, ...resource.physicalNames};
}

function identityOf(workspace: Workspace, component: string): NameIdentity {
	const accountId = workspace.tenant?.config.spec.aws.accountId;
	return {
		tenant: workspace.tenantName,
		stack: workspace.stack.name,
		env: workspace.environment,
		component,
		...(accountId ? {accountId} : {}),
	};
}

/** The names panka 0.1 gave the component (for recognising them in a state it wrote). */
export function legacyNames(workspace: Workspace, component: ResolvedComponent): Record<string, string> {
	const kind = getKind(component.kind);
	if (!kind || !component.valid) return {};
	return kind.physicalNames({...identityOf(workspace, component.name), naming: 'legacy'}, component.spec);
}

/** The names a pending create used: recorded with it, else panka 0.1's when its primary name is theirs, else the current ones. */
export function pendingCreateNames(
	workspace: Workspace,
	component: ResolvedComponent,
	operation: PendingOperation,
): Record<string, string> {
	if (operation.physicalNames) return {...operation.physicalNames};
	const legacy = legacyNames(workspace, component);
	const usedLegacy = operation.physicalName !== undefined && operation.physicalName === legacy.primary;
	return usedLegacy && operation.physicalName !== component.physicalNames.primary ? legacy : component.physicalNames;
}

/** The workspace with every deployed resource's names as AWS has them (see the module header). */
export function withNamesInUse(workspace: Workspace, state: StateDocument | undefined): Workspace {
	if (!state) return workspace;
	const sharedInUse = sharedNamesInUse(workspace, state);
	const stackGroup = stackGroupNameInUse(workspace, state);
	let changed = false;
	const components = workspace.components.map((component) => {
		const physicalNames = namesInUse(workspace, component, state.resources[component.address], sharedInUse);
		const networking = component.networking && stackGroup ? withStackGroupName(component.networking, stackGroup) : component.networking;
		if (physicalNames === component.physicalNames && networking === component.networking) return component;
		changed = true;
		return withFields(component, {physicalNames, networking});
	});
	const stackNetworking = workspace.stack.networking;
	const renamedGroup = stackGroup !== undefined && stackNetworking !== undefined && stackNetworking.stackGroup.name !== stackGroup;
	if (!changed && !renamedGroup) return workspace;
	const stack = renamedGroup
		? {...workspace.stack, networking: {...stackNetworking, stackGroup: {...stackNetworking.stackGroup, name: stackGroup}}}
		: workspace.stack;
	return {...workspace, stack, components, componentsByName: new Map(components.map((c) => [c.name, c]))};
}

/** A copy with some fields replaced; the component's lazy getters (line, column) stay lazy. */
function withFields(component: ResolvedComponent, fields: Partial<ResolvedComponent>): ResolvedComponent {
	const descriptors: PropertyDescriptorMap = Object.getOwnPropertyDescriptors(component);
	for (const [key, value] of Object.entries(fields)) descriptors[key] = {value, enumerable: true, writable: true, configurable: true};
	return Object.defineProperties({}, descriptors) as ResolvedComponent;
}

function namesInUse(
	workspace: Workspace,
	component: ResolvedComponent,
	recorded: StateResource | undefined,
	sharedInUse: ReadonlyMap<string, Record<string, string>>,
): Record<string, string> {
	if (!component.valid) return component.physicalNames;
	const shared = sharedInUse.get(component.kind) ?? {};
	const kept = recorded && recorded.kind === component.kind ? keptNames(workspace, component, recordedNames(recorded)) : {};
	const names = {...component.physicalNames};
	let changed = false;
	for (const role of Object.keys(names)) {
		const name = kept[role] ?? shared[role];
		if (name !== undefined && name !== names[role]) {
			names[role] = name;
			changed = true;
		}
	}
	return changed ? names : component.physicalNames;
}

/** The recorded names that are the old rule's names for this component (the roles to keep). */
function keptNames(workspace: Workspace, component: ResolvedComponent, recorded: Record<string, string>): Record<string, string> {
	const legacy = legacyNames(workspace, component);
	return Object.fromEntries(Object.entries(recorded).filter(([role, name]) => legacy[role] === name));
}

/** kind → shared role → the old name recorded by a resource of that kind in this state. */
function sharedNamesInUse(workspace: Workspace, state: StateDocument): Map<string, Record<string, string>> {
	const byKind = new Map<string, Record<string, string>>();
	for (const component of workspace.components) {
		const roles = getKind(component.kind)?.sharedNameRoles ?? [];
		if (roles.length === 0 || byKind.has(component.kind)) continue;
		const legacy = legacyNames(workspace, component);
		const kept: Record<string, string> = {};
		for (const resource of Object.values(state.resources)) {
			if (resource.kind !== component.kind) continue;
			const recorded = recordedNames(resource);
			for (const role of roles) if (recorded[role] !== undefined && recorded[role] === legacy[role]) kept[role] = recorded[role];
		}
		byKind.set(component.kind, kept);
	}
	return byKind;
}

/** The stack group's name in use, or undefined when the state records no group (a new one gets the current name). */
function stackGroupNameInUse(workspace: Workspace, state: StateDocument): string | undefined {
	const {stackSecurityGroupId, stackSecurityGroupName: recordedName, stackSecurityGroupInputs} = state.networking;
	const recorded = recordedName ?? stackSecurityGroupInputs?.name;
	if (typeof recorded === 'string') return recorded;
	if (!stackSecurityGroupId) return undefined;
	const {component: _component, ...identity} = identityOf(workspace, '');
	return stackSecurityGroupName({...identity, naming: 'legacy'});
}

function withStackGroupName(networking: NonNullable<ResolvedComponent['networking']>, name: string): ResolvedComponent['networking'] {
	if (!networking.securityGroups.some((group) => group.origin === 'stack' && group.name !== name)) return networking;
	return {
		...networking,
		securityGroups: networking.securityGroups.map((group) => (group.origin === 'stack' ? {...group, name} : group)),
	};
}
