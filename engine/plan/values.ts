/**
 * Values as the planner sees them: JSON trees (resource inputs), the paths into them, and the two
 * kinds of leaf that are more than a scalar.
 *
 * Invariants:
 * - `undefined` is absence: an object key holding undefined is the same as a missing key (the
 *   state is JSON and drops them), in equality, diffs, redaction and hashing alike.
 * - A list whose items are all objects with a unique string `name` (else `id`) is a keyed list:
 *   its items are addressed by that key (`environment[DB_HOST]`), so inserting an item in the
 *   middle is one add, not a change to every later index. Any other list of objects is addressed
 *   by index; a list of scalars is one value. Diffs and redaction use the same rule
 *   (`listKeyField`), so a sensitive path such as `environment.DB_PASSWORD` means the same item
 *   in both.
 * - Value holders are leaves: `{value: scalar}` (an environment value) and `{valueFrom:
 *   {component, output}}` (a reference to another component's output, unknown until apply). A
 *   reference is compared as a reference (same component and output), never as a value.
 */

/** One step of a path: an object key, a list index, or the key of a keyed list's item. */
export type PathPart = {key: string} | {index: number} | {item: string};

export interface ValueReference {
	component: string;
	output: string;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `{valueFrom: {component, output}}` (and nothing else): an output known only after apply. */
export function referenceOf(value: unknown): ValueReference | undefined {
	if (!isPlainObject(value)) return undefined;
	const from = value.valueFrom;
	if (!isPlainObject(from) || typeof from.component !== 'string' || typeof from.output !== 'string') return undefined;
	for (const key in value) if (key !== 'valueFrom' && value[key] !== undefined) return undefined;
	return {component: from.component, output: from.output};
}

/** `{value: scalar}` (and nothing else): an environment value, shown as the scalar. */
export function heldValueOf(value: unknown): {value: string | number | boolean | null} | undefined {
	if (!isPlainObject(value)) return undefined;
	const held = value.value;
	if (held === undefined || (held !== null && typeof held === 'object')) return undefined;
	for (const key in value) if (key !== 'value' && value[key] !== undefined) return undefined;
	return {value: held as string | number | boolean | null};
}

/** A value the diff never descends into. */
export function isLeafValue(value: unknown): boolean {
	if (value === null || typeof value !== 'object') return true;
	if (Array.isArray(value)) return value.every((item) => item === null || typeof item !== 'object');
	return referenceOf(value) !== undefined || heldValueOf(value) !== undefined;
}

/** Structural equality of JSON values; undefined object members count as absent. */
export function deepEqual(a: unknown, b: unknown): boolean {
	if (a === b) return true;
	if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
	if (Array.isArray(a)) {
		if (!Array.isArray(b) || a.length !== b.length) return false;
		for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
		return true;
	}
	if (Array.isArray(b)) return false;
	const ra = a as Record<string, unknown>;
	const rb = b as Record<string, unknown>;
	let count = 0;
	for (const key in ra) {
		if (ra[key] === undefined) continue;
		count++;
		if (!deepEqual(ra[key], rb[key])) return false;
	}
	for (const key in rb) if (rb[key] !== undefined) count--;
	return count === 0;
}

const keyFields = ['name', 'id'] as const;

/** The field that keys a list's items (`name`, else `id`), or undefined for an index-addressed list. */
export function listKeyField(list: readonly unknown[]): 'name' | 'id' | undefined {
	if (list.length === 0) return undefined;
	for (const field of keyFields) {
		const seen = new Set<string>();
		let ok = true;
		for (const item of list) {
			const key = isPlainObject(item) ? item[field] : undefined;
			if (typeof key !== 'string' || seen.has(key)) {
				ok = false;
				break;
			}
			seen.add(key);
		}
		if (ok) return field;
	}
	return undefined;
}

/** The key field two versions of one list share (an empty side takes the other's), or undefined. */
export function sharedListKeyField(before: readonly unknown[], after: readonly unknown[]): 'name' | 'id' | undefined {
	const a = listKeyField(before);
	const b = listKeyField(after);
	if (before.length === 0) return b;
	if (after.length === 0) return a;
	return a === b ? a : undefined;
}

const bareKey = /^[A-Za-z0-9_-]+$/;
const bareItem = /^[A-Za-z0-9_.:/@+-]+$/;

/** `runtime.memory`, `environment[DB_HOST]`, `triggers[0].batchSize`, `tags["panka:env"]`. */
export function formatPath(parts: readonly PathPart[]): string {
	let out = '';
	for (const part of parts) {
		if ('key' in part) out += bareKey.test(part.key) ? `${out ? '.' : ''}${part.key}` : `[${JSON.stringify(part.key)}]`;
		else if ('index' in part) out += `[${part.index}]`;
		else out += bareItem.test(part.item) ? `[${part.item}]` : `[${JSON.stringify(part.item)}]`;
	}
	return out;
}

/** The path's parts as plain strings, the form `replaceOn` and `sensitivePaths` are written in. */
export function pathSegments(parts: readonly PathPart[]): string[] {
	return parts.map((part) => ('key' in part ? part.key : 'index' in part ? String(part.index) : part.item));
}

/** A compiled `sensitivePaths` entry: one matcher per segment. */
export type PathPattern = ReadonlyArray<(segment: string) => boolean>;

export function compilePathPattern(pattern: string): PathPattern {
	return pattern.split('.').map((segment) => {
		if (!segment.includes('*')) return (s: string) => s === segment;
		const source = segment
			.split('*')
			.map((piece) => piece.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
			.join('.*');
		const regex = new RegExp(`^${source}$`, 'i');
		return (s: string) => regex.test(s);
	});
}

/** Whether `segments` is at or below a path the pattern names. */
export function matchesPattern(pattern: PathPattern, segments: readonly string[]): boolean {
	if (segments.length < pattern.length) return false;
	for (let i = 0; i < pattern.length; i++) if (!pattern[i]!(segments[i]!)) return false;
	return true;
}

/**
 * The value at a path as `formatPath` shows it: keyed list items are found by key and returned
 * without their key field (the key is in the path). Undefined when the path does not exist.
 */
export function valueAtPath(root: unknown, parts: readonly PathPart[]): unknown {
	let node = root;
	for (const part of parts) {
		if ('key' in part) node = isPlainObject(node) ? node[part.key] : undefined;
		else if ('index' in part) node = Array.isArray(node) ? node[part.index] : undefined;
		else {
			const keyField = Array.isArray(node) ? listKeyField(node) : undefined;
			const item = keyField
				? (node as unknown[]).find((candidate) => (candidate as Record<string, unknown>)[keyField] === part.item)
				: undefined;
			if (!isPlainObject(item) || !keyField) return undefined;
			const {[keyField]: _key, ...rest} = item;
			node = rest;
		}
		if (node === undefined) return undefined;
	}
	return node;
}
