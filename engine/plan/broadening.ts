/**
 * Security-broadening changes in a plan: which changes widen access, and what widens, in words.
 *
 * A component's change is classified by its kind (KindDefinition `broadening`,
 * engine/kinds/broadening.ts: each kind owns its rules); the stack security group, which is no
 * component, is classified here: every ingress (protocol, ports, source) it will have that its
 * recorded rules did not ("ingress 22/tcp from 0.0.0.0/0 on the stack security group").
 *
 * Invariants:
 * - Pure: from the plan's changes (desired spec, recorded inputs) and the workspace; no AWS.
 * - Creates, updates and replaces only: a delete or a no-op never widens anything.
 * - A change carries `broadening` only when something widens; its entries are in a fixed order
 *   (the kind's, in spec order), so the same plan always says the same words.
 */
import type {Broadening, BroadeningContext} from '../kinds/broadening.js';
import {describeWebOpenings, isAnywhere, loadBalancerOpenings} from '../kinds/broadening.js';
import {getKind} from '../kinds/registry.js';
import type {SecurityGroupRule} from '../model/security-group.js';
import type {ResolvedComponent} from '../resolve/resolve-stack.js';
import type {Workspace} from '../workspace.js';
import type {ResourceInputs} from './inputs.js';

/** The part of a plan's change the classifier reads (plan.ts imports this module, so it names no Change). */
interface ChangeShape {
	action: 'create' | 'update' | 'replace' | 'delete' | 'no-op';
	address: string;
	before?: ResourceInputs;
	after?: ResourceInputs;
}

export type {Broadening, BroadeningClass} from '../kinds/broadening.js';

/** What the kind of component `name` grants a reader of `output` (its readerAccess), as IAM actions. */
function readerActionsIn(workspace: Workspace): BroadeningContext['readerActions'] {
	const byName = new Map(workspace.components.map((component) => [component.name, component]));
	return (component, output) => {
		const source = byName.get(component);
		const accesses = source ? (getKind(source.kind)?.readerAccess?.[output] ?? []) : [];
		return [...new Set(accesses.flatMap((access) => access.actions))];
	};
}

/** What a component's change widens, by its kind's rule; none for deletes, no-ops and kinds without one. */
export function componentBroadening(
	change: Pick<ChangeShape, 'action' | 'address'>,
	component: ResolvedComponent,
	before: ResourceInputs | undefined,
	context: Omit<BroadeningContext, 'address'>,
): Broadening[] {
	if (change.action === 'delete' || change.action === 'no-op' || !component.valid) return [];
	const kind = getKind(component.kind);
	if (!kind?.broadening) return [];
	return kind.broadening(
		{action: change.action, spec: component.spec, ...(before && change.action !== 'create' ? {before} : {})},
		{...context, address: change.address},
	);
}

/** The planner's context for kinds' rules, from the workspace. */
export function broadeningContext(workspace: Workspace): Omit<BroadeningContext, 'address'> {
	return {readerActions: readerActionsIn(workspace), stackIngress: workspace.stack.networking?.stackIngress};
}

/** One ingress opening: `22/tcp from 0.0.0.0/0`. */
interface Opening {
	ports: string;
	source: string;
}

function openings(rules: unknown): Opening[] {
	const out: Opening[] = [];
	for (const rule of Array.isArray(rules) ? (rules as SecurityGroupRule[]) : []) {
		const all = rule.protocol === '-1' || rule.protocol === 'all';
		const range =
			rule.port !== undefined ? `${rule.port}` : rule.fromPort === rule.toPort ? `${rule.fromPort}` : `${rule.fromPort}-${rule.toPort}`;
		const ports = all ? 'all traffic' : `${range}/${rule.protocol}`;
		const sources = [...(rule.cidrBlocks ?? []), ...(rule.ipv6CidrBlocks ?? []), ...(rule.self ? ['the group itself'] : [])];
		for (const source of sources) out.push({ports, source});
	}
	return out;
}

const openingKey = (opening: Opening) => `${opening.ports} ${opening.source}`;

const internet = (source: string) => `${source}${isAnywhere(source) ? ' (the internet)' : ''}`;

/**
 * The stack security group's new ingress openings (all of them when nothing is recorded), and,
 * when its rules change, the new sources the load balancers' groups take 80 and 443 from (they
 * follow the stack's web rules, engine/kinds/microservice/load-balancer.ts): dropping the rule
 * that kept them to an office range opens them to the internet. `loadBalanced`: the addresses
 * of the components with a load balancer.
 */
export function stackSecurityGroupBroadening(
	change: Pick<ChangeShape, 'action' | 'before' | 'after'>,
	loadBalanced: readonly string[] = [],
): Broadening[] {
	if (change.action === 'delete' || change.action === 'no-op') return [];
	const had = new Set(openings(change.before?.ingress).map(openingKey));
	const found: Broadening[] = openings(change.after?.ingress)
		.filter((opening) => !had.has(openingKey(opening)))
		.map((opening) => ({class: 'ingress', what: `ingress ${opening.ports} from ${internet(opening.source)} on the stack security group`}));
	if (change.before && loadBalanced.length > 0) {
		const key = (opening: {port: number; source: string}) => `${opening.port} ${opening.source}`;
		const before = new Set(loadBalancerOpenings(change.before.ingress as SecurityGroupRule[] | undefined).map(key));
		const added = loadBalancerOpenings(change.after?.ingress as SecurityGroupRule[] | undefined).filter((o) => !before.has(key(o)));
		if (added.length > 0)
			found.push({
				class: 'ingress',
				what: `ingress ${describeWebOpenings(added)} on the load balancers' security groups of ${loadBalanced.join(', ')}`,
			});
	}
	return found;
}
