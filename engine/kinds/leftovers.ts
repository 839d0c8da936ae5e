/**
 * How a kind takes part in the sweep after a destroy (engine/apply/stack-sweep.ts): its
 * `leftovers` hook lists the resources of its AWS types that could be this stack's, each with a
 * way to read its tags again and a way to delete it, and the sweep does everything else.
 *
 * Invariants:
 * - A hook decides nothing about ownership: it lists candidates (by the stack's name prefix where
 *   the service lists by name and the kind's names keep it, else whole), and the sweep keeps only
 *   those whose tags carry the stack's identity, and checks the tags again, with the ownership
 *   rule, right before it calls `delete`. A hook never deletes anything from `list`.
 * - Every request goes through engine/aws/call.ts, with the kind's own not-found codes: deleting
 *   what is already gone succeeds.
 * - `stage` says when a candidate can be deleted (`leftoverStages`, first to last): what uses a
 *   thing goes before the thing.
 */
import type {AwsClients} from '../aws/aws-clients.js';
import type {CallScope} from '../aws/call.js';
import type {TagMap} from '../providers/resource-tags.js';

/**
 * When a leftover can be deleted, first to last: users (services, functions, rules), load
 * balancers, holders (clusters, queues, tables, target groups, databases), groups (subnet and
 * parameter groups, Cloud Map services), namespaces, foundations (security groups, roles).
 */
export const leftoverStages = ['users', 'balancers', 'holders', 'groups', 'namespaces', 'foundations'] as const;
export type LeftoverStage = (typeof leftoverStages)[number];

/** What a hook is given: the clients of the tenant's account, the abort signal, the stack's name prefix. */
export interface LeftoverScope extends CallScope {
	clients: AwsClients;
	/** `{tenant}-{stack}-{env}-`: how panka's names of this stack begin, where a service keeps them whole. */
	prefix: string;
	/** How long a delete that takes time (a DB instance, an ECS service draining) is waited for. */
	deleteWaitSeconds: number;
}

/** One resource a hook found: the sweep decides from `tags()` whether it is the stack's. */
export interface LeftoverCandidate {
	/** `SQS queue acme-shop-prod-orders`: the resource as the user finds it in the console. */
	what: string;
	stage: LeftoverStage;
	/** Its tags as AWS has them now (none when it is gone). */
	tags(): Promise<TagMap>;
	/** Deletes it; called by the sweep only after `tags()` said again that it is the stack's. */
	delete(): Promise<unknown>;
}

/** A kind's sweep: every candidate of its AWS types (see the header). */
export type LeftoverSweep = (scope: LeftoverScope) => Promise<LeftoverCandidate[]>;

/** Candidates of one listing: `items` named by `what`, at `stage`, with how to read tags and delete each. */
export function candidates<T>(
	stage: LeftoverStage,
	items: readonly T[],
	what: (item: T) => string,
	tags: (item: T) => Promise<TagMap>,
	remove: (item: T) => Promise<unknown>,
): LeftoverCandidate[] {
	return items.map((item) => ({what: what(item), stage, tags: () => tags(item), delete: () => remove(item)}));
}

/** Every page of a listing: `page(token)` returns its items and the next token (none: the last page). */
export async function allPages<T>(page: (token: string | undefined) => Promise<{items: T[]; next?: string | undefined}>): Promise<T[]> {
	const items: T[] = [];
	let token: string | undefined;
	do {
		const result = await page(token);
		items.push(...result.items);
		token = result.next;
	} while (token);
	return items;
}

/** A listing's continuation token, under the name the service gives it, when there is one. */
export const continuing = (token: string | undefined, name: string) => (token ? {[name]: token} : {});

/** The part of an ARN or URL after its last `separator`: a name. */
export const lastPart = (text: string, separator: string) => text.split(separator).pop() ?? text;
