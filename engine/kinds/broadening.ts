/**
 * Security-broadening changes, as kinds declare them (KindDefinition `broadening`): what applying
 * a spec opens up that was not open before, in words a reviewer acts on ("ingress 22/tcp from
 * 0.0.0.0/0 on the stack security group", "a new internet-facing load balancer"). The planner
 * collects them per change (engine/plan/broadening.ts); the review and CI hold such changes back
 * until they are approved on their own.
 *
 * Invariants:
 * - Pure: from the desired spec, the recorded inputs (loosely shaped: an older panka wrote them)
 *   and what the planner tells (`BroadeningContext`); no AWS.
 * - Only widening counts: something new or relaxed since the recorded inputs (or, for a create,
 *   present at all). Narrowing, removing and unchanged settings are never broadening.
 * - Deterministic: the same inputs give the same list, in spec order.
 */
import type {SecurityGroupRule} from '../model/security-group.js';

/** The classes of widening, stable for --json consumers. */
export const broadeningClasses = [
	'ingress',
	'internet-facing-load-balancer',
	'public-bucket',
	'encryption-off',
	'iam-permissions',
	'secret-access',
] as const;
export type BroadeningClass = (typeof broadeningClasses)[number];

export interface Broadening {
	class: BroadeningClass;
	/** What widens, in words: "ingress 22/tcp from 0.0.0.0/0 on the stack security group". */
	what: string;
}

/** What the planner tells a kind's `broadening`. */
export interface BroadeningContext {
	/** The change's address (`service/component`). */
	address: string;
	/** The IAM actions reading `output` of `component` grants a compute component (its kind's readerAccess); none: nothing. */
	readerActions(component: string, output: string): readonly string[];
	/** The stack's ingress rules as desired (the load balancer's group opens 80/443 to their sources). */
	stackIngress: readonly SecurityGroupRule[] | undefined;
}

export interface BroadeningInput<Spec> {
	action: 'create' | 'update' | 'replace';
	/** The desired spec, normalised. */
	spec: Spec;
	/** The recorded inputs (update, replace): the spec's fields at the top level, as an earlier apply wrote them. */
	before?: Readonly<Record<string, unknown>>;
}

export const anywhereIpv4 = '0.0.0.0/0';
export const anywhereIpv6 = '::/0';

/** Whether a source is the whole internet. */
export function isAnywhere(cidr: string): boolean {
	return cidr === anywhereIpv4 || cidr === anywhereIpv6;
}

/** One opening of a load balancer's group: a web port from a source. */
export interface WebOpening {
	port: 80 | 443;
	source: string;
}

/**
 * What a load balancer's group opens (the provider's rule, engine/kinds/microservice/load-balancer.ts
 * `loadBalancerIngress`): each web port from the CIDRs of the stack's ingress rules that open it
 * (tcp covering it, or all traffic); when no stack rule opens either, both from anywhere.
 */
export function loadBalancerOpenings(stackIngress: readonly SecurityGroupRule[] | undefined): WebOpening[] {
	const opens = (rule: SecurityGroupRule, port: number) =>
		rule.protocol === '-1' ||
		rule.protocol === 'all' ||
		(rule.protocol === 'tcp' && (rule.port ?? rule.fromPort ?? -1) <= port && port <= (rule.port ?? rule.toPort ?? -1));
	const found = new Map<string, WebOpening>();
	for (const port of [80, 443] as const)
		for (const rule of stackIngress ?? [])
			if (opens(rule, port))
				for (const source of [...(rule.cidrBlocks ?? []), ...(rule.ipv6CidrBlocks ?? [])]) found.set(`${port} ${source}`, {port, source});
	return found.size > 0 ? [...found.values()] : [80, 443].map((port) => ({port: port as 80 | 443, source: anywhereIpv4}));
}

/** `80/tcp and 443/tcp from 0.0.0.0/0 (the internet)`, sources in order, each with its ports. */
export function describeWebOpenings(openings: readonly WebOpening[]): string {
	const bySource = new Map<string, number[]>();
	for (const {port, source} of openings) bySource.set(source, [...(bySource.get(source) ?? []), port]);
	return [...bySource]
		.map(([source, ports]) => `${ports.map((p) => `${p}/tcp`).join(' and ')} from ${source}${isAnywhere(source) ? ' (the internet)' : ''}`)
		.join(', ');
}

/** A value at a dotted path of loosely shaped recorded inputs. */
export function recordedAt(before: Readonly<Record<string, unknown>> | undefined, ...path: string[]): unknown {
	let node: unknown = before;
	for (const key of path) {
		if (!node || typeof node !== 'object' || Array.isArray(node)) return undefined;
		node = (node as Record<string, unknown>)[key];
	}
	return node;
}

/**
 * Encryption at rest switched off: `enabled: false` now, and not before (a create that starts
 * without it counts too). `what` names the resource: "the queue", "the bucket".
 */
export function encryptionTurnedOff<Spec>(input: BroadeningInput<Spec>, enabled: boolean | undefined, what: string): Broadening[] {
	if (enabled !== false || recordedAt(input.before, 'encryption', 'enabled') === false) return [];
	return [
		{
			class: 'encryption-off',
			what: input.action === 'create' ? `${what} is created without encryption at rest` : `encryption at rest is turned off on ${what}`,
		},
	];
}

/** `{component, output}` of every valueFrom in a spec or recorded inputs, keyed `component.output`. */
function valueFromsIn(node: unknown, found = new Map<string, {component: string; output: string}>()) {
	if (Array.isArray(node)) for (const item of node) valueFromsIn(item, found);
	else if (node && typeof node === 'object') {
		const from = (node as {valueFrom?: {component?: unknown; output?: unknown}}).valueFrom;
		if (from && typeof from.component === 'string' && typeof from.output === 'string')
			found.set(`${from.component}.${from.output}`, {component: from.component, output: from.output});
		else for (const child of Object.values(node)) valueFromsIn(child, found);
	}
	return found;
}

/**
 * The IAM permissions a compute component's role gains from valueFrom references it did not
 * have before (each source kind's readerAccess), one entry per source component.
 */
export function newValueFromGrants<Spec>(input: BroadeningInput<Spec>, context: BroadeningContext): Broadening[] {
	const had = valueFromsIn(input.before);
	const actions = new Map<string, Set<string>>();
	for (const [key, reference] of valueFromsIn(input.spec)) {
		if (had.has(key)) continue;
		const granted = context.readerActions(reference.component, reference.output);
		if (granted.length === 0) continue;
		const set = actions.get(reference.component) ?? new Set<string>();
		actions.set(reference.component, set);
		for (const action of granted) set.add(action);
	}
	return [...actions].map(([component, set]) => ({
		class: 'iam-permissions',
		what: `new IAM permissions on the role of ${context.address}: ${[...set].sort().join(', ')} on ${component} (read through valueFrom)`,
	}));
}

/** Items of a list in the spec whose key (`key(item)`) the recorded list of the same field did not have. */
export function newItems<Item>(items: readonly Item[] | undefined, recorded: unknown, key: (item: Item) => string | undefined): Item[] {
	const had = new Set(
		(Array.isArray(recorded) ? recorded : []).map((item) => key(item as Item)).filter((k): k is string => k !== undefined),
	);
	return (items ?? []).filter((item) => {
		const k = key(item);
		return k !== undefined && !had.has(k);
	});
}
