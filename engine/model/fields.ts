/**
 * Field schemas shared by every document kind.
 *
 * Invariants:
 * - Interpolation (`${VAR}`) runs before validation and always yields strings, so every number and
 *   boolean field accepts its string spelling too (`"3"` → 3, `"true"` → true). Anything else is
 *   left untouched for the inner schema to reject, so the error names the value and its position.
 * - Objects are strict: unknown keys are errors (the old tool silently dropped them).
 * - JSON Schema output (`panka schema`) shows these fields as their output type; the schema
 *   module widens them to also accept `${VAR}` strings for editors.
 */
import {z} from '../zod.js';
import {maxNameLength, nameProblem, type NameRole} from './names.js';

const integerText = /^\s*[+-]?\d+\s*$/;
const numberText = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;

/**
 * What users may write beyond a schema's own shape, for JSON Schema output: schemas whose
 * preprocess step accepts more (a bare boolean for `{enabled}`, a list for `{rules}`) register the
 * extra written form here, and `panka schema` emits `anyOf: [schema, extra]`.
 */
export const alsoAcceptedForms = new WeakMap<z.ZodType, Record<string, unknown> | z.ZodType>();

export function alsoAccepts<T extends z.ZodType>(schema: T, extra: Record<string, unknown> | z.ZodType): T {
	alsoAcceptedForms.set(schema, extra);
	return schema;
}

export function toNumberIfNumeric(value: unknown): unknown {
	if (typeof value === 'string' && numberText.test(value)) return Number(value);
	return value;
}

export function toBooleanIfBoolean(value: unknown): unknown {
	if (typeof value !== 'string') return value;
	const lowered = value.trim().toLowerCase();
	if (lowered === 'true' || lowered === 'yes' || lowered === 'on') return true;
	if (lowered === 'false' || lowered === 'no' || lowered === 'off') return false;
	return value;
}

/** Scalars that YAML may have typed as numbers or booleans where a string is meant. */
function toStringIfScalar(value: unknown): unknown {
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	return value;
}

export interface RangeOptions {
	min?: number;
	max?: number;
}

export function integer(range: RangeOptions = {}) {
	let inner = z.int();
	if (range.min !== undefined) inner = inner.min(range.min);
	if (range.max !== undefined) inner = inner.max(range.max);
	return z.preprocess((v) => (typeof v === 'string' && integerText.test(v) ? Number(v) : v), inner);
}

export function number(range: RangeOptions = {}) {
	let inner = z.number();
	if (range.min !== undefined) inner = inner.min(range.min);
	if (range.max !== undefined) inner = inner.max(range.max);
	return z.preprocess(toNumberIfNumeric, inner);
}

export const boolean = () => z.preprocess(toBooleanIfBoolean, z.boolean());

/** A string field that also takes a YAML number or boolean (`tag: 2024` means "2024"). */
export const text = () => alsoAccepts(z.preprocess(toStringIfScalar, z.string()), {type: ['number', 'boolean']});

export function name(role: NameRole) {
	return z.string().superRefine((value, ctx) => {
		const problem = nameProblem(value, role);
		if (problem) ctx.addIssue({code: 'custom', message: problem, params: {code: 'invalid-name'}});
	});
}

export const componentName = () => name('component');

/** `{component, output}`: a value taken from another component's outputs at apply time. */
export const valueFromSchema = z.strictObject({
	component: componentName(),
	output: z.string().min(1, {error: 'output must name one of the component kind outputs'}),
});
export type ValueFrom = z.infer<typeof valueFromSchema>;

export const labelsSchema = z.record(z.string(), text());
export const tagsSchema = z.record(
	z.string().max(128, {error: 'AWS tag keys are at most 128 characters'}),
	text().pipe(z.string().max(256, {error: 'AWS tag values are at most 256 characters'})),
);

export const dependsOnSchema = z.array(componentName());

/** Common metadata of component documents. Names are literal: they form addresses and state keys. */
export const componentMetadataSchema = z.strictObject({
	name: componentName(),
	service: name('service').optional(),
	stack: name('stack').optional(),
	description: z.string().optional(),
	labels: labelsSchema.optional(),
	annotations: z.record(z.string(), z.string()).optional(),
});

/** `${VAR}` names: shell-like identifiers. */
export const variableNamePattern = /^[A-Za-z_][A-Za-z0-9_]*$/;
export const variableName = () => z.string().regex(variableNamePattern, {error: 'variable names are letters, digits and underscores'});
export const variablesSchema = z.record(variableName(), text());

/**
 * A component's per-environment overrides, beside its spec: environment → the spec fields that differ
 * there. Merged over the spec (objects field by field; scalars and lists replaced) before `${VAR}`
 * interpolation and validation, so an override is checked like the spec it changes.
 */
export const componentEnvironmentsSchema = z.record(
	name('environment'),
	z.preprocess((value) => value ?? {}, z.record(z.string(), z.unknown())),
);

export {maxNameLength};
