/**
 * A state entry panka cannot trust: its kind is unknown to this panka, or its inputs are not what
 * that kind records (they fail the kind's spec schema). Such an entry says nothing reliable about
 * what exists in AWS, so nothing destructive is planned from it (no replace, no delete); the plan
 * names it and how to repair it instead.
 *
 * Invariants:
 * - Pure: reads the document only.
 * - What panka itself records is never damaged: inputs are checked without the fields panka adds
 *   (tags, physicalNames, networking), and a problem at a value the state redacted (`(sensitive)`)
 *   is not one (the value was hidden on purpose). Inputs of a valid folder, recorded as an apply
 *   records them, pass (every-field test).
 */
import {getKind} from '../kinds/registry.js';
import {redactedValue, type StateDocument, type StateResource} from './state-document.js';

export interface DamagedEntry {
	address: string;
	problem: string;
	/** What to run to repair it. */
	repair: string;
}

/** The fields of recorded inputs that panka adds to the spec (plan/inputs.ts desiredInputs). */
const recordedExtras = ['tags', 'physicalNames', 'networking'] as const;

export function damagedEntries(state: StateDocument | undefined): DamagedEntry[] {
	if (!state) return [];
	const damaged: DamagedEntry[] = [];
	for (const [address, resource] of Object.entries(state.resources).sort(([a], [b]) => a.localeCompare(b))) {
		const problem = entryProblem(resource);
		if (problem)
			damaged.push({
				address,
				problem,
				repair: `restore an earlier state version (panka state history lists them), or forget the entry with panka state remove ${address} and delete or re-adopt its AWS resources yourself`,
			});
	}
	return damaged;
}

/** The damaged entries a destroy leaves in the state: every one it did not act on (`acted`: addresses it ran a step for). */
export function entriesADestroyKeeps(state: StateDocument | undefined, acted: ReadonlySet<string> = new Set()): DamagedEntry[] {
	return damagedEntries(state).filter((entry) => !acted.has(entry.address));
}

function entryProblem(resource: StateResource): string | undefined {
	const kind = getKind(resource.kind);
	if (!kind) return `its kind ${JSON.stringify(resource.kind)} is unknown to this panka`;
	const spec: Record<string, unknown> = {...resource.inputs};
	for (const field of recordedExtras) delete spec[field];
	const parsed = kind.spec.safeParse(spec);
	if (parsed.success) return undefined;
	const issues = parsed.error.issues.filter((issue) => valueAt(spec, issue.path) !== redactedValue);
	if (issues.length === 0) return undefined;
	const shown = issues
		.slice(0, 3)
		.map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(inputs)'}: ${issue.message}`)
		.join('; ');
	return `its inputs are not what a ${resource.kind} records (${shown}${issues.length > 3 ? `; ${issues.length - 3} more` : ''})`;
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
	let node = value;
	for (const part of path) {
		if (node === null || typeof node !== 'object') return undefined;
		node = (node as Record<PropertyKey, unknown>)[part];
	}
	return node;
}
