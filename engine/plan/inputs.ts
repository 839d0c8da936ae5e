/**
 * Desired inputs: what the planner compares with the state, and what an apply records as a
 * resource's `inputs`.
 *
 * The inputs of a component are everything that makes its AWS resources what they are:
 *
 *   - the resolved, normalised spec (defaults applied, `${VARS}` interpolated, config/*.env
 *     merged), at the top level, so diff paths read like spec paths (`runtime.memory`) and match
 *     the kind's `replaceOn` and `sensitivePaths` as written;
 *   - `tags`: the full tag set the resources carry (tenant defaultTags, stack/service/component
 *     labels, the spec's own tags, and panka's identity tags). It replaces the spec's `tags`,
 *     which is one of its layers: a new stack label changes every resource's tags;
 *   - `physicalNames`: the names by role (`primary`, `deadLetterQueue`, `role`, …). A new
 *     primary name is a replace; other roles are parts created or renamed in place;
 *   - `networking` (only for components placed in the tenant VPC): the VPC CIDR, the private
 *     subnets and the security groups by name. The groups' rules belong to the groups, not to the
 *     component, and are left out.
 *
 * Left out on purpose: `dependsOn` (it orders work but changes no resource; it is recorded as
 * the state's `dependsOn`), descriptions, labels (they reach AWS only as tags) and source positions.
 * These four top-level keys (`tags`, `physicalNames`, `networking`, and the absent `dependsOn`) are
 * reserved: no kind may have a spec field named `physicalNames` or `networking`.
 *
 * Invariants:
 * - `valueFrom` stays a reference (`{valueFrom: {component, output}}`): its value does not exist
 *   before apply, so it is compared and hashed as the reference.
 * - Secrets never leave: values under the kind's `sensitivePaths` are replaced by
 *   `redactedValue` here, before anything else sees the inputs, so plans, plan files, --json and
 *   the state can only ever hold the marker. The cost is stated openly: a change to a sensitive
 *   value alone cannot be seen (nothing records it), which is why the planner warns whenever a
 *   literal value was hidden; secrets belong in secretRef, whose *name* is compared.
 * - `desiredHash` is sha256 over a canonical form (sorted keys, no undefined) of every resource's
 *   address, kind, redacted inputs and dependencies, plus the stack identity: the same folder and
 *   options give the same hash on every machine, and it holds nothing secret (a plain hash of a
 *   short secret could be brute-forced from a plan file).
 */
import {createHash} from 'node:crypto';
import {canonicalJson} from '../canonical-json.js';
import {getKind} from '../kinds/registry.js';
import type {ResolvedComponent} from '../resolve/resolve-stack.js';
import {redactedValue} from '../state/state-document.js';
import type {Workspace} from '../workspace.js';
import {compilePathPattern, formatPath, isPlainObject, listKeyField, type PathPart, type PathPattern, referenceOf} from './values.js';

/** A resource's inputs: the spec's fields plus `tags`, `physicalNames` and `networking`. */
export type ResourceInputs = Record<string, unknown>;

export interface DesiredInputs {
	inputs: ResourceInputs;
	/** Sensitive paths (as shown in diffs) where a literal value was replaced by the marker: the planner warns about each. */
	hidden: string[];
}

const patternCache = new Map<string, readonly PathPattern[]>();

/** The kind's compiled sensitive paths (none for an unknown kind). */
export function sensitivePatterns(kindName: string): readonly PathPattern[] {
	let patterns = patternCache.get(kindName);
	if (!patterns) {
		patterns = (getKind(kindName)?.sensitivePaths ?? []).map(compilePathPattern);
		patternCache.set(kindName, patterns);
	}
	return patterns;
}

/** The component's desired inputs, secrets already redacted. */
export function desiredInputs(component: ResolvedComponent): DesiredInputs {
	const {
		dependsOn: _dependsOn,
		tags: _userTags,
		...spec
	} = (isPlainObject(component.spec) ? component.spec : {}) as Record<string, unknown>;
	const inputs: ResourceInputs = {...spec, tags: component.tags, physicalNames: component.physicalNames};
	const networking = component.networking;
	if (networking)
		inputs.networking = {
			vpcCidr: networking.vpcCidr,
			subnets: networking.subnets.map((subnet) => ({cidrBlock: subnet.cidrBlock, availabilityZone: subnet.availabilityZone})),
			securityGroups: networking.securityGroups.map((group) => group.name),
		};
	const redacted = redactSensitive(inputs, sensitivePatterns(component.kind));
	return {inputs: redacted.value, hidden: redacted.hidden};
}

/**
 * A copy of `value` with every scalar at or below a sensitive path replaced by `redactedValue`.
 * References (`valueFrom`) and the key of a keyed list item stay: they are names, not values.
 * Subtrees no pattern can reach are shared, not copied; with no patterns the value itself is returned.
 */
export function redactSensitive<T>(value: T, patterns: readonly PathPattern[]): {value: T; hidden: string[]} {
	const hidden: string[] = [];
	if (patterns.length === 0) return {value, hidden};
	const parts: PathPart[] = [];
	const segments: string[] = [];
	let hidLiteral = false;

	const hideAll = (node: unknown, keepKey?: string): unknown => {
		if (node === null || node === undefined) return node;
		if (typeof node !== 'object') {
			if (node !== redactedValue) hidLiteral = true;
			return redactedValue;
		}
		if (referenceOf(node)) return node;
		if (Array.isArray(node)) {
			const key = listKeyField(node);
			return node.map((item) => hideAll(item, key));
		}
		const out: Record<string, unknown> = {};
		for (const [k, child] of Object.entries(node))
			out[k] = k === keepKey || (k === 'valueFrom' && referenceOf({valueFrom: child})) ? child : hideAll(child);
		return out;
	};

	const walk = (node: unknown, active: readonly PathPattern[], keepKey?: string): unknown => {
		const depth = segments.length;
		if (active.some((pattern) => pattern.length === depth)) {
			hidLiteral = false;
			const out = hideAll(node, keepKey);
			if (hidLiteral) hidden.push(formatPath(parts));
			return out;
		}
		if (node === null || typeof node !== 'object') return node;
		let changed = false;
		const visit = (child: unknown, part: PathPart, segment: string, childKeepKey?: string): unknown => {
			const next = active.filter((pattern) => pattern[depth]!(segment));
			if (next.length === 0) return child;
			parts.push(part);
			segments.push(segment);
			const out = walk(child, next, childKeepKey);
			parts.pop();
			segments.pop();
			if (out !== child) changed = true;
			return out;
		};
		if (Array.isArray(node)) {
			const key = listKeyField(node);
			const out = node.map((item, index) => {
				const segment = key ? String((item as Record<string, unknown>)[key]) : String(index);
				return visit(item, key ? {item: segment} : {index}, segment, key);
			});
			return changed ? out : node;
		}
		const out: Record<string, unknown> = {};
		for (const [k, child] of Object.entries(node)) out[k] = visit(child, {key: k}, k);
		return changed ? out : node;
	};

	return {value: walk(value, patterns) as T, hidden};
}

export interface DesiredResource {
	address: string;
	kind: string;
	inputs: ResourceInputs;
	/** Addresses of the resource's dependencies. */
	dependsOn: readonly string[];
}

export interface StackIdentity {
	stack: string;
	tenant: string;
	environment: string;
}

/** sha256 (hex) over the stack identity and the canonical desired resources, in address order. */
export function hashDesiredResources(identity: StackIdentity, resources: readonly DesiredResource[]): string {
	const hash = createHash('sha256');
	hash.update(canonicalJson({formatVersion: 1, stack: identity.stack, tenant: identity.tenant, environment: identity.environment}));
	const sorted = [...resources].sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
	for (const resource of sorted)
		hash.update(
			`\n${canonicalJson({address: resource.address, kind: resource.kind, inputs: resource.inputs, dependsOn: [...resource.dependsOn].sort()})}`,
		);
	return `sha256:${hash.digest('hex')}`;
}

/** The addresses a component depends on, from the workspace graph, sorted. */
export function dependencyAddresses(workspace: Workspace, component: ResolvedComponent): string[] {
	return workspace.graph
		.dependenciesOf(component.name)
		.map((id) => workspace.graph.nodes.get(id)?.address ?? id)
		.sort();
}

/** Every component of the workspace as a desired resource (inputs redacted), and the stack security group when one is needed. */
export function desiredResources(workspace: Workspace): DesiredResource[] {
	const group = desiredStackSecurityGroup(workspace);
	return [
		...workspace.components.map((component) => ({
			address: component.address,
			kind: component.kind,
			inputs: desiredInputs(component).inputs,
			dependsOn: dependencyAddresses(workspace, component),
		})),
		...(group ? [group] : []),
	];
}

/** The stack security group's address in plans, steps and events (it is not a component). */
export const stackSecurityGroupAddress = 'stack#security-group';
export const stackSecurityGroupKind = 'SecurityGroup';

/**
 * The stack security group as a desired resource: needed when a component runs in the tenant VPC
 * (it has `networking`). Its inputs are its name and the rules the stack gives it: ingress (the
 * stack's `networking.securityGroup.ingress`) and egress (the tenant default's, then the
 * stack's); the rules every stack group has (from itself, from the tenant default group) are not
 * the stack's to change, so they are left out.
 */
export function desiredStackSecurityGroup(workspace: Workspace): DesiredResource | undefined {
	const group = workspace.stack.networking;
	if (!group || !workspace.components.some((component) => component.networking)) return undefined;
	return {
		address: stackSecurityGroupAddress,
		kind: stackSecurityGroupKind,
		inputs: {name: group.stackGroup.name, ingress: group.stackIngress, egress: group.stackEgress},
		dependsOn: [],
	};
}

/** The hash a plan records, computed from a workspace alone (what `checkPlanApplicable` compares). */
export function desiredHash(workspace: Workspace): string {
	return hashDesiredResources(
		{stack: workspace.stack.name, tenant: workspace.tenantName, environment: workspace.environment},
		desiredResources(workspace),
	);
}
