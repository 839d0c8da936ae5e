/**
 * Environment variables of compute kinds (MicroService, Lambda) and their config/*.env merge.
 *
 * Invariants:
 * - Every environment value has one output shape, whichever way it was written:
 *   `{value: string}` or `{valueFrom: {component, output}}`, never both, never neither. The
 *   MicroService list form (`- name: X`) and the Lambda map form (`X: text` or `X: {valueFrom}`)
 *   both parse into it, so the resolver substitutes valueFrom the same way for both.
 * - Values go through `text()`: YAML `PORT: 8080` means the string "8080".
 * - Names are shell identifiers, the same rule as `${VAR}` names.
 * - config/*.env entries only fill names the spec does not set (explicit spec values win).
 */
import {z} from '../zod.js';
import {alsoAccepts, text, valueFromSchema, variableNamePattern} from '../model/fields.js';
import type {EnvFileEntry} from './kind.js';
import {addFieldIssue, type IssueSink, reportDuplicates} from './spec-rules.js';

export const environmentVariableName = () =>
	z.string().regex(variableNamePattern, {
		error: 'environment variable names are letters, digits and underscores, not starting with a digit',
	});

const valueShape = {
	value: text().optional(),
	valueFrom: valueFromSchema.optional(),
};

function requireExactlyOneValue(entry: {value?: string; valueFrom?: unknown}, ctx: IssueSink): void {
	if (entry.value !== undefined && entry.valueFrom !== undefined)
		addFieldIssue(ctx, ['valueFrom'], 'set either value or valueFrom, not both');
	if (entry.value === undefined && entry.valueFrom === undefined)
		addFieldIssue(ctx, ['value'], 'set value (text) or valueFrom ({component, output})');
}

/** `{value}` or `{valueFrom}`. */
export const environmentValueSchema = z.strictObject(valueShape).superRefine(requireExactlyOneValue);
export type EnvironmentValue = z.output<typeof environmentValueSchema>;

/** One entry of the list form: `{name, value}` or `{name, valueFrom}`. */
export const environmentEntrySchema = z.strictObject({name: environmentVariableName(), ...valueShape}).superRefine(requireExactlyOneValue);
export type EnvironmentEntry = z.output<typeof environmentEntrySchema>;

/** The list form with unique names. */
export const environmentListSchema = z.array(environmentEntrySchema).superRefine((entries, ctx) => {
	reportDuplicates(
		ctx,
		entries,
		(entry) => entry.name,
		(index) => [index, 'name'],
		'environment variable',
	);
});

/** The map form: `NAME: text` is `{value: text}`; `NAME: {valueFrom: …}` stays as written. */
export const environmentMapSchema = z.record(
	environmentVariableName(),
	alsoAccepts(
		z.preprocess(
			(input) => (typeof input === 'string' || typeof input === 'number' || typeof input === 'boolean' ? {value: String(input)} : input),
			environmentValueSchema,
		),
		{type: ['string', 'number', 'boolean']},
	),
);
export type EnvironmentMap = z.output<typeof environmentMapSchema>;

/**
 * config/*.env entries whose names are not in `taken`. A name repeated in `entries` takes its
 * last value (files read in order, like sourcing them one after another), at its first position.
 */
export function unsetEnvFileEntries(entries: readonly EnvFileEntry[], taken: Iterable<string>): EnvFileEntry[] {
	const skip = new Set(taken);
	const byName = new Map<string, EnvFileEntry>();
	for (const entry of entries) if (!skip.has(entry.name)) byName.set(entry.name, entry);
	return [...byName.values()];
}
