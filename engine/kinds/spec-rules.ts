/**
 * Small schema building blocks shared by the kind modules.
 *
 * Invariants:
 * - `caseInsensitiveEnum` accepts any spelling that differs from a canonical value only in case,
 *   `-`, `_` or spaces (`pay-per-request` → `PAY_PER_REQUEST`), plus explicit aliases; the output
 *   is always the canonical value, so parsing an already-parsed spec gives the same spec.
 * - Cross-field problems are reported with `addFieldIssue` at the path of the field to change,
 *   relative to the schema that runs the check, so diagnostics point at a YAML line.
 */
import {z} from '../zod.js';
import {alsoAccepts} from '../model/fields.js';
import type {PathSegment} from '../load/yaml-source.js';

export type IssueSink = Pick<z.core.$RefinementCtx, 'addIssue'>;

export function addFieldIssue(ctx: IssueSink, path: PathSegment[], message: string): void {
	ctx.addIssue({code: 'custom', message, path});
}

const fold = (text: string) =>
	text
		.trim()
		.toLowerCase()
		.replace(/[-_\s]/g, '');

/** An enum that takes its values in any case and separator style, plus `aliases` (alias → value). */
export function caseInsensitiveEnum<const Values extends readonly [string, ...string[]]>(
	values: Values,
	aliases: Readonly<Record<string, Values[number]>> = {},
) {
	const canonical = new Map<string, Values[number]>();
	for (const value of values) canonical.set(fold(value), value);
	for (const [alias, value] of Object.entries(aliases)) canonical.set(fold(alias), value);
	return alsoAccepts(
		z.preprocess((input) => (typeof input === 'string' ? (canonical.get(fold(input)) ?? input) : input), z.enum(values)),
		{type: 'string', pattern: `^\\s*(${[...canonical.keys()].map(anyCasePattern).join('|')})\\s*$`},
	);
}

/** `pay-per-request` folded → `[Pp][Aa][Yy][-_\s]?…`: the same words in any case and separator style. */
function anyCasePattern(folded: string): string {
	return [...folded]
		.map((ch) => (/[a-z]/.test(ch) ? `[${ch.toUpperCase()}${ch}]` : /[.*+?^${}()|[\]\\/]/.test(ch) ? `\\${ch}` : ch))
		.join('[-_\\s]?');
}

/**
 * Reports every item whose key repeats an earlier item's key, at `pathOf(index)`.
 * Items without a key (undefined) are not compared.
 */
export function reportDuplicates<Item>(
	ctx: IssueSink,
	items: readonly Item[] | undefined,
	keyOf: (item: Item) => string | number | undefined,
	pathOf: (index: number) => PathSegment[],
	what: string,
): void {
	const firstIndex = new Map<string | number, number>();
	items?.forEach((item, index) => {
		const key = keyOf(item);
		if (key === undefined) return;
		const first = firstIndex.get(key);
		if (first === undefined) firstIndex.set(key, index);
		else addFieldIssue(ctx, pathOf(index), `${what} "${key}" is already used by entry ${first}`);
	});
}
