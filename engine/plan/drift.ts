/**
 * Drift as the planner takes it: fields of a recorded resource that AWS has with other values
 * (found by refreshState for `panka plan --refresh` / `apply --refresh`), and the helpers that
 * read and compare such fields, shared with refresh.
 *
 * Field paths are spec paths as providers observe them: dotted (`visibilityTimeout`,
 * `deadLetterQueue.maxReceiveCount`), or `list[].field` for the field of every item of a list
 * (`ports[].port`), which reads as the list of those fields.
 *
 * Invariants: pure; lists compare as sets of values (AWS returns them in its own order).
 */
import {canonicalJson} from '../canonical-json.js';
import type {FieldChange} from './diff.js';

/** One resource's fields that differ in AWS from what was recorded. */
export interface ObservedDrift {
	address: string;
	fields: readonly {path: string; actual: unknown}[];
}

/** The value at a provider's observed path: dotted, or `list[].field` for the field of every item. */
export function valueAtSpecPath(inputs: Record<string, unknown>, key: string): unknown {
	const listMatch = /^(.+)\[\]\.?(.*)$/.exec(key);
	if (listMatch) {
		const list = at(inputs, listMatch[1]!);
		if (!Array.isArray(list)) return list === undefined ? undefined : [];
		return listMatch[2] ? list.map((item) => at(item as Record<string, unknown>, listMatch[2]!)) : list;
	}
	return at(inputs, key);
}

/** Whether two observed values are the same (lists as sets). */
export function sameObservedValue(a: unknown, b: unknown): boolean {
	return canonicalJson(normalise(a)) === canonicalJson(normalise(b));
}

/**
 * The diff of a drifted resource: each drifted field the configuration does not already have in
 * AWS becomes a change from the AWS value to the desired one (replacing the recorded → desired
 * entry at the same path, whose forcesReplace it keeps). Returns the diff and the drifted paths.
 */
export function withDrift(
	diff: readonly FieldChange[],
	drift: ObservedDrift | undefined,
	desired: Record<string, unknown>,
): {diff: FieldChange[]; drifted: string[]} {
	const merged = [...diff];
	const drifted: string[] = [];
	for (const field of drift?.fields ?? []) {
		const after = valueAtSpecPath(desired, field.path);
		if (after === undefined || sameObservedValue(after, field.actual)) continue;
		drifted.push(field.path);
		const entry: FieldChange = {path: field.path, action: 'change', before: field.actual, after};
		const index = merged.findIndex((change) => change.path === field.path);
		if (index >= 0) merged[index] = {...merged[index]!, ...entry};
		else merged.push(entry);
	}
	return {diff: merged, drifted};
}

function at(node: unknown, dotted: string): unknown {
	let current = node;
	for (const part of dotted.split('.')) {
		if (current === null || typeof current !== 'object') return undefined;
		current = (current as Record<string, unknown>)[part];
	}
	return current;
}

function normalise(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(normalise).sort((a, b) => (canonicalJson(a) < canonicalJson(b) ? -1 : 1));
	return value;
}
