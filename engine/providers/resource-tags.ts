/**
 * Tags on AWS resources as providers need them (making a resource's tags match exactly), and the
 * ownership rule: the one check every provider makes before it adopts, reads, changes, re-tags or
 * deletes an AWS resource it found by name — the primary and every part (dead-letter queues,
 * roles, log groups, rules, target groups, security groups, parameter and subnet groups, task
 * definition revisions, the stack's shared cluster and security group).
 *
 * Invariants:
 * - Ownership is decided by the `panka:*` identity tags alone: a resource belongs to this
 *   component when every `panka:*` tag it is expected to carry (the context's tags, or for a part
 *   the stack shares, the stack's) has the same value on the resource. User tags may drift (they
 *   are reconciled on update); identity tags never change for a component.
 * - A resource with another owner's identity tags, or with none, is never adopted, read, changed,
 *   re-tagged or deleted: `requireOwned` throws `OwnedElsewhere`, naming the owner the tags tell
 *   ("already exists and belongs to component svc/orders of stack shop (tenant acme, env prod)").
 *   `find` (adopting a crashed create) returns nothing for it instead.
 * - The only exception is `claimUntagged`, for resources AWS may leave untagged after a create
 *   panka made (an S3 bucket at its account-salted hashed name, which nobody else picks).
 */
import {ProviderError} from './provider.js';

export type TagMap = Readonly<Record<string, string>>;

export interface TagChanges {
	/** Keys on the resource that the desired tags do not have. */
	remove: string[];
	/** Keys missing or with another value on the resource. */
	set: Record<string, string>;
}

/** What to untag and tag so that `current` becomes exactly `desired`. */
export function tagChanges(current: TagMap, desired: TagMap): TagChanges {
	return {
		remove: Object.keys(current).filter((key) => !(key in desired)),
		set: Object.fromEntries(Object.entries(desired).filter(([key, value]) => current[key] !== value)),
	};
}

export function hasTagChanges(changes: TagChanges): boolean {
	return changes.remove.length > 0 || Object.keys(changes.set).length > 0;
}

/** Make `current` exactly `desired` with the service's untag and tag calls (neither when they match). */
export async function applyTagChanges(
	current: TagMap,
	desired: TagMap,
	calls: {untag(keys: string[]): Promise<unknown>; tag(tags: Record<string, string>): Promise<unknown>},
): Promise<void> {
	const changes = tagChanges(current, desired);
	if (changes.remove.length > 0) await calls.untag(changes.remove);
	if (Object.keys(changes.set).length > 0) await calls.tag(changes.set);
}

/** `{a: '1'}` → `[{Key: 'a', Value: '1'}]`, the list form most AWS APIs take. */
export function toTagList(tags: TagMap): {Key: string; Value: string}[] {
	return Object.entries(tags).map(([Key, Value]) => ({Key, Value}));
}

export function fromTagList(list: readonly {Key?: string | undefined; Value?: string | undefined}[] | undefined): Record<string, string> {
	return Object.fromEntries((list ?? []).filter((tag) => tag.Key !== undefined).map((tag) => [tag.Key!, tag.Value ?? '']));
}

const identityPrefix = 'panka:';

function identityTags(tags: TagMap): [string, string][] {
	return Object.entries(tags).filter(([key]) => key.startsWith(identityPrefix));
}

/** Does the resource carry this component's identity (every `panka:*` tag of `expected`)? */
export function isOwnedBy(actual: TagMap, expected: TagMap): boolean {
	const identity = identityTags(expected);
	return identity.length > 0 && identity.every(([key, value]) => actual[key] === value);
}

/** "component svc/orders of stack shop (tenant acme, env prod)", or undefined without panka tags. */
export function describePankaOwner(tags: TagMap): string | undefined {
	const tag = (name: string) => tags[`${identityPrefix}${name}`];
	if (identityTags(tags).length === 0) return undefined;
	const component = [tag('service'), tag('component')].filter(Boolean).join('/') || '(unknown component)';
	return `component ${component} of stack ${tag('stack') ?? '?'} (tenant ${tag('tenant') ?? '?'}, env ${tag('env') ?? '?'})`;
}

/** What a provider was about to do with a resource it found: the verb of the refusal. */
export type OwnershipAction = 'adopt' | 'read' | 'change' | 'delete';

export const ownedElsewhereCode = 'OwnedElsewhere';

/**
 * The ownership rule (see the module header): passes when `found` (the resource's tags) carries
 * every panka:* tag of `expected`; otherwise throws OwnedElsewhere. `what` names the resource as
 * the user knows it: `SQS queue acme-shop-prod-orders`, `IAM role …`.
 */
export function requireOwned(
	found: TagMap,
	expected: TagMap,
	action: OwnershipAction,
	what: string,
	options: {claimUntagged?: boolean} = {},
): void {
	if (isOwnedBy(found, expected)) return;
	if (options.claimUntagged && Object.keys(found).length === 0) return;
	throw ownedElsewhereError(action, what, found);
}

/** The refusal `requireOwned` throws: it names the owner when the resource's tags tell it. */
export function ownedElsewhereError(action: OwnershipAction, what: string, found: TagMap): ProviderError {
	const owner = describePankaOwner(found);
	const whose = owner ? `belongs to ${owner}` : 'was not created by panka for this component (it has no matching panka:* tags)';
	const sentence = action === 'adopt' ? `${what} already exists and ${whose}` : `${what} ${whose}`;
	return new ProviderError(`${sentence}; panka does not ${action} it`, ownedElsewhereCode);
}
