/**
 * Tags on AWS resources as providers need them: making a resource's tags match exactly, and
 * telling whose resource a same-named one is.
 *
 * Invariants:
 * - Ownership is decided by the `panka:*` identity tags alone: a resource belongs to this
 *   component when every `panka:*` tag in the context has the same value on the resource. User
 *   tags may drift (they are reconciled on update); identity tags never change for a component.
 * - `find` adopts only owned resources; a same-named resource with another owner's identity tags
 *   is never adopted or modified, and the error names that owner.
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

/**
 * The error for a create that meets a same-named resource panka must not adopt: it names the
 * owner when the resource's tags tell it.
 */
export function notOursError(action: string, what: string, tags: TagMap, code: string): ProviderError {
	const owner = describePankaOwner(tags);
	const whose = owner ? `belongs to ${owner}` : 'was not created by panka for this component (it has no matching panka:* tags)';
	return new ProviderError(`${action}: ${what} already exists and ${whose}; panka does not adopt it`, code);
}
