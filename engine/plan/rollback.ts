/**
 * Rollback: plan the stack back to the configuration an earlier deployment recorded.
 *
 * Every resource in a state version records the resolved inputs it was applied with
 * (plan/inputs.ts). `rollbackWorkspace` turns the folder's workspace into the one that version
 * was applied from: each component the version records gets those inputs back as its spec, tags
 * and names, with the dependencies the version recorded; a component the version does not record
 * (added since) is left out, so the plan deletes it. The result goes through planChanges and the
 * normal review like any apply (`panka rollback`, source/commands/rollback.ts).
 *
 * Invariants:
 * - Refused, with the reason, when the version cannot be rolled back to: there is no state now; it
 *   is the current state; it belongs to an earlier lineage (the stack was destroyed since); its run
 *   did not complete (operations left in flight, resources failed); the folder no longer declares
 *   one of its components (the component's code and files may be gone), or declares it as another
 *   kind; a value the version hid (a secret) has no value in the folder to stand in for it.
 * - Secrets were never recorded: a value the version holds as the redacted marker is taken from
 *   the folder as it is now, and the rollback says so (`notes`).
 * - Only the components' configuration is rolled back. Data a resource stores (the kind's
 *   `holdsData`), code read from the folder (`code.path`) and the stack security group's rules
 *   (the folder's stackIngress) are not: the plan's changes and warnings say so.
 * - The folder is not changed: it still holds the newer configuration, and the next apply from it
 *   moves forward again; `rolledBackValues` gives the values that differ, to write back if wanted.
 */
import {buildDag, type DagEdge} from '../graph/dag.js';
import {getKind} from '../kinds/registry.js';
import type {ResolvedComponent} from '../resolve/resolve-stack.js';
import {redactedValue, type StateDocument, type StateResource} from '../state/state-document.js';
import type {Workspace} from '../workspace.js';
import {diffInputs, type FieldChange} from './diff.js';
import {desiredInputs, sensitivePatterns} from './inputs.js';
import type {Plan, Rollback} from './plan.js';
import {deepEqual, isPlainObject} from './values.js';

export type RollbackSource =
	| {ok: true; workspace: Workspace; rollback: Rollback; notes: string[]}
	| {ok: false; message: string; hint: string};

/** The fields of a resource's inputs that are not spec fields (plan/inputs.ts). */
const reservedInputs = ['tags', 'physicalNames', 'networking'];

export function rollbackWorkspace(workspace: Workspace, target: StateDocument, current: StateDocument | undefined): RollbackSource {
	const serial = target.serial;
	const listed = 'panka history lists the deployments that can be rolled back to';
	if (!current || Object.keys(current.resources).length === 0)
		return {ok: false, message: 'nothing is deployed: there is no state to roll back', hint: 'panka apply deploys the folder'};
	if (target.lineage !== current.lineage)
		return {
			ok: false,
			message: `serial ${serial} belongs to an earlier deployment of the stack (lineage ${target.lineage}), destroyed since; a rollback stays within the current one (lineage ${current.lineage})`,
			hint: listed,
		};
	if (target.serial >= current.serial)
		return {ok: false, message: `serial ${serial} is the state deployed now: there is nothing to roll back`, hint: listed};
	if (target.pending.length > 0)
		return {
			ok: false,
			message: `serial ${serial} was written while operations were in flight (${target.pending.map((p) => p.address).join(', ')}): it is not a configuration that was ever wholly deployed`,
			hint: `${listed}; pick one whose outcome is completed`,
		};
	const failed = Object.entries(target.resources).filter(([, resource]) => resource.status !== 'ready');
	if (failed.length > 0)
		return {
			ok: false,
			message: `serial ${serial} records ${failed.map(([address, resource]) => `${address} as ${resource.status}`).join(', ')}: its run did not complete`,
			hint: `${listed}; pick one whose outcome is completed`,
		};

	const notes: string[] = [];
	const components: ResolvedComponent[] = [];
	for (const [address, recorded] of Object.entries(target.resources)) {
		const component = workspace.components.find((c) => c.address === address);
		if (!component)
			return {
				ok: false,
				message: `serial ${serial} records ${address} (${recorded.kind}), which the stack folder no longer declares: its files may be gone, so panka cannot recreate it from the version alone`,
				hint: `add ${address} back to the folder (as it was at serial ${serial}), then roll back again`,
			};
		if (component.kind !== recorded.kind)
			return {
				ok: false,
				message: `serial ${serial} records ${address} as a ${recorded.kind}; the folder declares it as a ${component.kind} now`,
				hint: `declare ${address} as a ${recorded.kind} again, then roll back`,
			};
		const restored = restoredSpec(recorded, component);
		if (!restored.ok)
			return {
				ok: false,
				message: `serial ${serial} hides ${address} ${restored.path} (a secret is never recorded), and the folder has no value for it now`,
				hint: `set ${restored.path} of ${address} in the folder, then roll back`,
			};
		if (restored.fromFolder.length > 0)
			notes.push(
				`${address}: ${restored.fromFolder.join(', ')} ${restored.fromFolder.length === 1 ? 'keeps its' : 'keep their'} value from the folder (secrets are never recorded in the state)`,
			);
		components.push({
			...component,
			valid: true,
			spec: restored.spec,
			tags: stringRecord(recorded.inputs.tags) ?? component.tags,
			physicalNames: {...recorded.physicalNames, ...(stringRecord(recorded.inputs.physicalNames) ?? {})},
		});
	}
	// The stack security group is the stack's, made from the folder's stackIngress: its rules are not rolled back.
	if (!deepEqual(target.networking.stackSecurityGroupInputs, current.networking.stackSecurityGroupInputs))
		notes.push(`the stack security group keeps the folder's rules: a rollback does not restore the rules it had at serial ${serial}`);
	components.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
	const byAddress = new Map(components.map((c) => [c.address, c]));
	const edges: DagEdge[] = [];
	for (const component of components)
		for (const dependency of target.resources[component.address]!.dependsOn) {
			const to = byAddress.get(dependency);
			if (to) edges.push({from: component.name, to: to.name, label: `recorded at serial ${serial}`});
		}
	const graph = buildDag(
		components.map((c) => workspace.graph.nodes.get(c.name)!),
		edges,
	);
	const rolledBack: Workspace = {
		...workspace,
		components,
		componentsByName: new Map(components.map((c) => [c.name, c])),
		graph,
	};
	const {deployedAt, deployedBy} = target.metadata;
	return {
		ok: true,
		workspace: rolledBack,
		rollback: {serial, lineage: target.lineage, ...(deployedAt ? {deployedAt} : {}), ...(deployedBy ? {deployedBy} : {})},
		notes,
	};
}

/**
 * The plan of a rollback with what it cannot undo said: on each change to a resource that stores
 * data, and once for the whole plan (the folder still holds the newer configuration).
 */
export function withRollbackWarnings(plan: Plan, notes: readonly string[], target: StateDocument): Plan {
	const serial = target.serial;
	const changes = plan.changes.map((change) => {
		if (change.action === 'no-op') return change;
		const extra: string[] = [];
		const holdsData = getKind(change.kind)?.holdsData === true;
		if (holdsData && change.action === 'delete') extra.push('deleting it deletes the data it holds, and nothing brings that back');
		if (holdsData && change.action === 'replace')
			extra.push('replacing it deletes the data it holds, and a rollback does not bring that back');
		if (holdsData && change.action === 'create') extra.push(`it is created empty: the data it held at serial ${serial} is not restored`);
		if (holdsData && change.action === 'update')
			extra.push(`a rollback restores configuration only: data written to it since serial ${serial} is not rolled back`);
		const code = target.resources[change.address]?.inputs.code;
		if (isPlainObject(code) && typeof code.path === 'string')
			extra.push(`its code is packaged from ${code.path} in the folder as it is now, not as it was at serial ${serial}`);
		// A delete's reason is the rollback's, not the folder's: the folder may well still declare it.
		const reasons = change.action === 'delete' ? [`added after serial ${serial}: not in the configuration rolled back to`] : change.reasons;
		return {...change, reasons, ...(extra.length > 0 ? {notes: [...(change.notes ?? []), ...extra]} : {})};
	});
	const warnings = [
		`the stack folder still holds the newer configuration than serial ${serial}, so the next panka apply from it moves forward again (panka rollback --to ${serial} --write-patch prints the rolled-back values to put in the folder)`,
		...notes,
		...plan.warnings,
	];
	return {...plan, changes, warnings};
}

/** `serial 6, deployed 2026-12-06 18:17 by ana@laptop`: what a rollback plan restores, as the plan, the review and the run say it. */
export function describeRollback(rollback: Rollback): string {
	const at = rollback.deployedAt ? `, deployed ${rollback.deployedAt.replace('T', ' ').slice(0, 16)}` : '';
	const by = rollback.deployedBy ? ` by ${rollback.deployedBy}` : '';
	return `serial ${rollback.serial}${at}${by}`;
}

/** Each field whose value the rollback restores differs from the folder's: `api/api-server image.tag: 1.4.3 → 1.4.2`. */
export function rolledBackValues(folder: Workspace, rolledBack: Workspace): Array<{address: string; changes: FieldChange[]}> {
	const out: Array<{address: string; changes: FieldChange[]}> = [];
	for (const component of rolledBack.components) {
		const now = folder.components.find((c) => c.address === component.address);
		if (!now) continue;
		const sensitive = sensitivePatterns(component.kind);
		const changes = diffInputs(desiredInputs(now).inputs, desiredInputs(component).inputs, {replaceOn: [], sensitive}).filter(
			(change) => change.path !== 'tags' && !change.path.startsWith('tags.') && !change.path.startsWith('tags['),
		);
		if (changes.length > 0) out.push({address: component.address, changes});
	}
	return out;
}

type Restored = {ok: true; spec: Record<string, unknown>; fromFolder: string[]} | {ok: false; path: string};

/** The recorded inputs as a spec: the reserved fields left out, each hidden value taken from the folder's spec. */
function restoredSpec(recorded: StateResource, component: ResolvedComponent): Restored {
	const spec: Record<string, unknown> = {};
	for (const [field, value] of Object.entries(recorded.inputs)) if (!reservedInputs.includes(field)) spec[field] = value;
	const fromFolder: string[] = [];
	let missing: string | undefined;
	const fill = (value: unknown, folder: unknown, path: string): unknown => {
		if (value === redactedValue) {
			if (folder === undefined || folder === null) missing ??= path;
			else fromFolder.push(path);
			return folder;
		}
		if (Array.isArray(value))
			return value.map((item, i) => fill(item, Array.isArray(folder) ? matchItem(folder, item, i) : undefined, `${path}[${i}]`));
		if (isPlainObject(value)) {
			const out: Record<string, unknown> = {};
			for (const [k, v] of Object.entries(value))
				out[k] = fill(v, isPlainObject(folder) ? folder[k] : undefined, path ? `${path}.${k}` : k);
			return out;
		}
		return value;
	};
	const filled = fill(spec, component.spec, '') as Record<string, unknown>;
	if (missing !== undefined) return {ok: false, path: missing};
	return {ok: true, spec: filled, fromFolder};
}

/** The folder's list item that stands for a recorded one: the same `name` (or `id`) when items have one, else the same index. */
function matchItem(folder: readonly unknown[], item: unknown, index: number): unknown {
	for (const key of ['name', 'id'])
		if (isPlainObject(item) && typeof item[key] === 'string')
			return folder.find((candidate) => isPlainObject(candidate) && candidate[key] === item[key]);
	return folder[index];
}

function stringRecord(value: unknown): Record<string, string> | undefined {
	if (!isPlainObject(value)) return undefined;
	return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}
