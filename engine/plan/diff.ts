/**
 * Field-level diff of two resource inputs (recorded → desired).
 *
 * Invariants:
 * - One entry per changed leaf (see values.ts for what a leaf is): `add` (only desired has it),
 *   `remove` (only recorded has it) or `change`. Equal subtrees produce nothing, and an entry for a
 *   whole added or removed subtree is one entry, not one per leaf.
 * - Entries come in the desired value's key order, then what only the recorded value had; keyed
 *   list items carry their key in the path and not in the value (`environment[FOO]: "bar"`).
 * - `forcesReplace` is set on an entry at or below a `replaceOn` path, and on an entry above one
 *   when the value at that path differs (a whole `hashKey` object swapped, say).
 * - `sensitive` is set on entries at or below a sensitive path; their values are already the
 *   redacted marker (inputs are redacted before they are compared), never the secret.
 * - Linear in the size of the two values; equal subtrees are skipped without allocating.
 */
import {forcesReplace as replaceOnMatch} from '../kinds/kind.js';
import {redactedValue} from '../state/state-document.js';
import {
	deepEqual,
	formatPath,
	heldValueOf,
	isLeafValue,
	isPlainObject,
	listKeyField,
	matchesPattern,
	type PathPart,
	type PathPattern,
	pathSegments,
	sharedListKeyField,
} from './values.js';

export type FieldAction = 'add' | 'remove' | 'change';

export interface FieldChange {
	/** `runtime.memory`, `environment[DB_HOST]`, `triggers[0].batchSize`. */
	path: string;
	action: FieldAction;
	/** The recorded value (absent for add). */
	before?: unknown;
	/** The desired value (absent for remove). */
	after?: unknown;
	/** This field cannot change in place: the resource is replaced. */
	forcesReplace?: boolean;
	/** The values are secret and shown only as the redacted marker. */
	sensitive?: boolean;
	/**
	 * The written value is unchanged, but it reads an output of a component that this plan creates
	 * or replaces, so its value is known only after apply.
	 */
	knownAfterApply?: {address: string; action: 'create' | 'replace'};
	/** The desired value comes from this environment's layer (its override or its variables): plans say so. */
	environment?: string;
}

export interface DiffRules {
	/** Dotted paths whose change forces a replace (the kind's `replaceOn`, plus the planner's own). */
	replaceOn: readonly string[];
	/** Compiled sensitive paths of the kind. */
	sensitive: readonly PathPattern[];
}

/** The field changes from `before` (recorded) to `after` (desired). */
export function diffInputs(before: unknown, after: unknown, rules: DiffRules): FieldChange[] {
	const out: FieldChange[] = [];
	if (deepEqual(before, after)) return out;
	const parts: PathPart[] = [];

	const emit = (action: FieldAction, b: unknown, a: unknown) => {
		const segments = pathSegments(parts);
		const entry: FieldChange = {path: formatPath(parts), action};
		if (action !== 'add') entry.before = b;
		if (action !== 'remove') entry.after = a;
		if (forcesReplaceAt(segments, b, a, rules.replaceOn)) entry.forcesReplace = true;
		if (rules.sensitive.some((pattern) => matchesPattern(pattern, segments)) || isRedacted(b) || isRedacted(a)) entry.sensitive = true;
		out.push(entry);
	};

	const visit = (b: unknown, a: unknown): void => {
		if (b === undefined && a === undefined) return;
		if (b === undefined || a === undefined) {
			emit(b === undefined ? 'add' : 'remove', b, a);
			return;
		}
		if (deepEqual(b, a)) return;
		if (isLeafValue(b) || isLeafValue(a) || Array.isArray(b) !== Array.isArray(a)) {
			emit('change', b, a);
			return;
		}
		if (Array.isArray(b) && Array.isArray(a)) {
			visitList(b, a);
			return;
		}
		const rb = b as Record<string, unknown>;
		const ra = a as Record<string, unknown>;
		for (const key of Object.keys(ra)) {
			parts.push({key});
			visit(rb[key], ra[key]);
			parts.pop();
		}
		for (const key of Object.keys(rb)) {
			if (key in ra) continue;
			parts.push({key});
			visit(rb[key], undefined);
			parts.pop();
		}
	};

	const visitList = (b: readonly unknown[], a: readonly unknown[]): void => {
		const keyField = sharedListKeyField(b, a);
		if (!keyField) {
			for (let index = 0; index < Math.max(a.length, b.length); index++) {
				parts.push({index});
				visit(b[index], a[index]);
				parts.pop();
			}
			return;
		}
		const beforeByKey = new Map<string, Record<string, unknown>>();
		for (const item of b) beforeByKey.set((item as Record<string, string>)[keyField]!, item as Record<string, unknown>);
		const seen = new Set<string>();
		for (const item of a) {
			const key = (item as Record<string, string>)[keyField]!;
			seen.add(key);
			parts.push({item: key});
			const previous = beforeByKey.get(key);
			visit(previous === undefined ? undefined : withoutKey(previous, keyField), withoutKey(item as Record<string, unknown>, keyField));
			parts.pop();
		}
		for (const [key, item] of beforeByKey) {
			if (seen.has(key)) continue;
			parts.push({item: key});
			visit(withoutKey(item, keyField), undefined);
			parts.pop();
		}
	};

	visit(before, after);
	return out;
}

function withoutKey(item: Record<string, unknown>, keyField: string): Record<string, unknown> {
	const {[keyField]: _key, ...rest} = item;
	return rest;
}

function isRedacted(value: unknown): boolean {
	return value === redactedValue || heldValueOf(value)?.value === redactedValue;
}

/** At or below a replaceOn path, or above one whose value differs. */
function forcesReplaceAt(segments: readonly string[], before: unknown, after: unknown, replaceOn: readonly string[]): boolean {
	const dotted = segments.join('.');
	if (replaceOnMatch(replaceOn, dotted)) return true;
	const prefix = dotted === '' ? '' : `${dotted}.`;
	for (const path of replaceOn) {
		if (!path.startsWith(prefix)) continue;
		const rest = path.slice(prefix.length).split('.');
		if (!deepEqual(valueAt(before, rest), valueAt(after, rest))) return true;
	}
	return false;
}

/** The value at dotted segments (keyed list items by key, other lists by index). */
function valueAt(value: unknown, segments: readonly string[]): unknown {
	let node = value;
	for (const segment of segments) {
		if (Array.isArray(node)) {
			const keyField = listKeyField(node);
			node = keyField ? node.find((item) => (item as Record<string, unknown>)[keyField] === segment) : node[Number(segment)];
		} else if (isPlainObject(node)) node = node[segment];
		else return undefined;
	}
	return node;
}
