/**
 * valueFrom at apply time: the outputs of resources already applied become real values in the
 * specs of the resources that read them, just before their provider runs.
 *
 * Invariants:
 * - Every `{valueFrom: {component, output}}` object in a spec becomes `{value: "<output>"}` (the
 *   shape environment entries use in both list and map forms), with non-string outputs written as
 *   JSON. A missing output is an error naming the component and output: the graph orders a
 *   resource after everything it reads, so a missing one means the upstream failed or was skipped.
 * - Kind references that are not valueFrom (SNS subscriptions, triggers, targets) are passed to
 *   providers as `references[component] = outputs`, never substituted into the spec.
 * - Pure: the spec is copied, never mutated.
 */
import type {StateDocument} from '../state/state-document.js';

export class MissingOutputError extends Error {
	constructor(
		readonly component: string,
		readonly output: string,
	) {
		super(`${component}.${output} has no value yet: ${component} must be applied successfully first`);
		this.name = 'MissingOutputError';
	}
}

/** `component.output` → value from the state's outputs map. */
export function outputLookup(state: StateDocument): (component: string, output: string) => unknown {
	return (component, output) => state.outputs[`${component}.${output}`];
}

export function substituteValueFrom<T>(spec: T, lookup: (component: string, output: string) => unknown): T {
	const visit = (node: unknown): unknown => {
		if (Array.isArray(node)) return node.map(visit);
		if (!node || typeof node !== 'object') return node;
		const record = node as Record<string, unknown>;
		const from = record.valueFrom as {component?: unknown; output?: unknown} | undefined;
		if (from && typeof from === 'object' && typeof from.component === 'string' && typeof from.output === 'string') {
			const value = lookup(from.component, from.output);
			if (value === undefined || value === null || value === '') throw new MissingOutputError(from.component, from.output);
			const {valueFrom: _valueFrom, ...rest} = record;
			return {...rest, value: typeof value === 'string' ? value : JSON.stringify(value)};
		}
		const out: Record<string, unknown> = {};
		for (const [key, child] of Object.entries(record)) out[key] = visit(child);
		return out;
	};
	return visit(spec) as T;
}

/** The current outputs of each named component, for ResourceContext.references. */
export function referencedOutputs(
	state: StateDocument,
	components: readonly string[],
	addressOf: (component: string) => string | undefined,
): Record<string, Record<string, unknown>> {
	const references: Record<string, Record<string, unknown>> = {};
	for (const component of components) {
		const address = addressOf(component);
		const resource = address ? state.resources[address] : undefined;
		if (resource) references[component] = resource.outputs;
	}
	return references;
}
