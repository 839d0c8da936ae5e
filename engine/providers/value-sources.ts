/**
 * valueFrom sources and the IAM permissions they imply, for compute kinds whose code uses the
 * values it is given (a Lambda reading TABLE_NAME from its environment calls DynamoDB on that
 * table). `context.valueSources` lists what a spec reads; `valueSourceStatements` turns it into
 * least-privilege statements for the function's (or task's) role.
 *
 * What reading an output grants is the source kind's own rule: `readerAccess` in its
 * KindDefinition (engine/kinds/<kind>.ts), by output; several outputs of one component grant the
 * union, once. Outputs a kind does not list (RDS endpoint/port, MicroService endpoint, log group
 * names, rule ARNs) grant nothing: those are reached over the network or not called at all.
 *
 * Invariants:
 * - Pure: no AWS calls. A source whose ARN output is missing grants nothing (it cannot be scoped).
 * - Deterministic: statements are ordered by component, then by access, with sorted actions, so
 *   the same sources always give the same policy document.
 * - Without `context.valueSources` (a caller that does not fill it) no statement is produced: the
 *   role gets less, never more.
 */
import {getKind} from '../kinds/registry.js';
import type {PolicyStatement} from './iam-roles.js';
import type {ValueSource} from './provider.js';

/** What applyPlan knows about a component named in valueFrom: its kind and current outputs. */
export type DescribeComponent = (component: string) => {kind: string; outputs: Readonly<Record<string, unknown>>} | undefined;

/**
 * Every `{valueFrom: {component, output}}` in an unsubstituted spec, once each, in spec order,
 * for `ResourceContext.valueSources`. Components `describe` does not know (not applied yet) are
 * left out.
 */
export function valueSourcesOf(spec: unknown, describe: DescribeComponent): ValueSource[] {
	const found = new Map<string, ValueSource>();
	const visit = (node: unknown): void => {
		if (Array.isArray(node)) {
			node.forEach(visit);
			return;
		}
		if (!node || typeof node !== 'object') return;
		const from = (node as {valueFrom?: {component?: unknown; output?: unknown}}).valueFrom;
		if (from && typeof from.component === 'string' && typeof from.output === 'string') {
			const key = `${from.component}.${from.output}`;
			const source = describe(from.component);
			if (source && !found.has(key))
				found.set(key, {component: from.component, output: from.output, kind: source.kind, outputs: source.outputs});
			return;
		}
		Object.values(node).forEach(visit);
	};
	visit(spec);
	return [...found.values()];
}

/** The IAM statements the values read through valueFrom need (each source kind's readerAccess). */
export function valueSourceStatements(sources: readonly ValueSource[] | undefined): PolicyStatement[] {
	/** component → access name → {actions, resources} */
	const grants = new Map<string, Map<string, {actions: Set<string>; resources: Set<string>}>>();
	for (const source of sources ?? []) {
		for (const access of getKind(source.kind)?.readerAccess?.[source.output] ?? []) {
			const resources = access.resources(source.outputs);
			if (resources.length === 0) continue;
			const byAccess = grants.get(source.component) ?? new Map();
			grants.set(source.component, byAccess);
			const grant = byAccess.get(access.name) ?? {actions: new Set<string>(), resources: new Set<string>()};
			byAccess.set(access.name, grant);
			for (const action of access.actions) grant.actions.add(action);
			for (const resource of resources) grant.resources.add(resource);
		}
	}
	const statements: PolicyStatement[] = [];
	for (const component of [...grants.keys()].sort())
		for (const [, grant] of [...grants.get(component)!.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
			const resources = [...grant.resources];
			statements.push({Effect: 'Allow', Action: [...grant.actions].sort(), Resource: resources.length === 1 ? resources[0]! : resources});
		}
	return statements;
}
