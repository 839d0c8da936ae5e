/**
 * What one deployment changed: the state before it compared with the state it left, resource by
 * resource and field by field, in the plan's own shape (a Change per resource), so every view
 * shows it with the words and symbols of a plan.
 *
 * Invariants:
 * - Compared are the recorded inputs (what each resource was applied with), the physical id and
 *   the status. Outputs are left out: they are AWS's answers, not the deployment's choices.
 * - Secrets stay out: both sides are redacted with the kind's sensitive paths again (a state
 *   written by any panka holds only the marker already; this holds for a hand-edited one too),
 *   and fields at those paths are marked sensitive, shown as the marker.
 * - A resource whose physical id changed was replaced; one only before was deleted; one only
 *   after was created. The stack security group's rules and the promoted variables are compared
 *   too, under `stack#security-group` and in `variables`.
 */
import {getKind} from '../kinds/registry.js';
import type {StateDocument, StateResource} from '../state/state-document.js';
import {type DiffRules, diffInputs, type FieldChange} from './diff.js';
import {redactSensitive, sensitivePatterns, stackSecurityGroupAddress} from './inputs.js';
import type {Change} from './plan.js';
import {deepEqual} from './values.js';

export interface DeploymentChanges {
	/** Sorted by address; no-ops left out. */
	changes: Change[];
	/** The promoted variables (stack.yaml `spec.promote`) that changed, e.g. VERSION 1.4.2 → 1.4.3. */
	variables: FieldChange[];
	summary: {create: number; update: number; replace: number; delete: number};
}

export function deploymentChanges(before: StateDocument | undefined, after: StateDocument): DeploymentChanges {
	const changes: Change[] = [];
	const addresses = new Set([...Object.keys(before?.resources ?? {}), ...Object.keys(after.resources)]);
	for (const address of [...addresses].sort()) {
		const change = resourceChange(address, before?.resources[address], after.resources[address]);
		if (change) changes.push(change);
	}
	const group = securityGroupChange(before, after);
	if (group) changes.push(group);
	const variables = diffInputs(before?.metadata.variables ?? {}, after.metadata.variables ?? {}, {replaceOn: [], sensitive: []});
	const summary = {create: 0, update: 0, replace: 0, delete: 0};
	for (const change of changes) if (change.action !== 'no-op') summary[change.action]++;
	return {changes, variables, summary};
}

function resourceChange(address: string, before: StateResource | undefined, after: StateResource | undefined): Change | undefined {
	const shown = (after ?? before)!;
	const kind = getKind(shown.kind);
	const rules: DiffRules = {replaceOn: kind?.replaceOn ?? [], sensitive: sensitivePatterns(shown.kind)};
	const redact = (resource: StateResource | undefined) => resource && redactSensitive(resource.inputs, rules.sensitive).value;
	const diff = diffInputs(redact(before), redact(after), rules);
	if (before && after && after.status !== before.status)
		diff.push({path: '(status)', action: 'change', before: before.status, after: after.status});
	const action: Change['action'] = !before
		? 'create'
		: !after
			? 'delete'
			: before.physicalId !== after.physicalId
				? 'replace'
				: diff.length > 0
					? 'update'
					: 'no-op';
	if (action === 'no-op') return undefined;
	const reasons =
		action === 'replace'
			? [`${before!.physicalId} was replaced by ${after!.physicalId}`]
			: action === 'delete'
				? [`${before!.physicalId} was deleted`]
				: [];
	return {
		address,
		service: shown.service,
		name: shown.name,
		action,
		kind: shown.kind,
		...(before && after && before.kind !== after.kind ? {previousKind: before.kind} : {}),
		type: shown.type,
		physicalName: shown.physicalNames.primary ?? shown.physicalId,
		reasons,
		diff: action === 'create' || action === 'delete' ? [] : diff,
		...(before ? {before: redact(before)} : {}),
		...(after ? {after: redact(after)} : {}),
		dependsOn: [...shown.dependsOn].sort(),
		requires: [],
	};
}

function securityGroupChange(before: StateDocument | undefined, after: StateDocument): Change | undefined {
	const was = before?.networking;
	const now = after.networking;
	if (!was?.stackSecurityGroupId && !now.stackSecurityGroupId) return undefined;
	if (was?.stackSecurityGroupId === now.stackSecurityGroupId && deepEqual(was?.stackSecurityGroupInputs, now.stackSecurityGroupInputs))
		return undefined;
	const action: Change['action'] = !was?.stackSecurityGroupId
		? 'create'
		: !now.stackSecurityGroupId
			? 'delete'
			: was.stackSecurityGroupId !== now.stackSecurityGroupId
				? 'replace'
				: 'update';
	return {
		address: stackSecurityGroupAddress,
		service: 'stack',
		name: 'security-group',
		action,
		kind: 'SecurityGroup',
		type: 'AWS::EC2::SecurityGroup',
		physicalName: (now.stackSecurityGroupId ?? was?.stackSecurityGroupId)!,
		reasons: [],
		diff:
			action === 'update' ? diffInputs(was?.stackSecurityGroupInputs, now.stackSecurityGroupInputs, {replaceOn: [], sensitive: []}) : [],
		dependsOn: [],
		requires: [],
	};
}
