/**
 * Usage assumptions (`--usage FILE`, like Infracost's usage file): monthly figures for the
 * components billed by use, by address and by kind, so their estimates are figures rather than
 * "usage-based".
 *
 * ```yaml
 * components:
 *   api/orders-fn: {requestsPerMonth: 2000000, averageDurationMs: 120}
 *   api/uploads: {storageGB: 50}
 * kinds:
 *   SQS: {requestsPerMonth: 1000000}
 * ```
 *
 * Invariants: a component's entry wins over its kind's (they are not merged); every figure is a
 * non-negative number and every key is one the estimates read, else a diagnostic at its
 * file:line:col; the file is never partly used.
 */
import {z} from '../zod.js';
import type {Diagnostic} from '../diagnostics.js';
import {parseYamlFile} from '../load/yaml-source.js';
import {usageFigures} from './cost-rules.js';
import type {UsageAssumptions} from './cost-types.js';

export interface UsageFile {
	file: string;
	components: Record<string, UsageAssumptions>;
	kinds: Record<string, UsageAssumptions>;
}

const assumptionsSchema = z.strictObject(
	Object.fromEntries(usageFigures.map((figure) => [figure, z.number().nonnegative().optional()])) as Record<
		keyof UsageAssumptions,
		z.ZodOptional<z.ZodNumber>
	>,
);

const usageFileSchema = z.strictObject({
	components: z
		.record(z.string().regex(/^[^/\s]+\/[^/\s]+$/, {error: 'a component is addressed service/component'}), assumptionsSchema)
		.default({}),
	kinds: z.record(z.string(), assumptionsSchema).default({}),
});

export function parseUsageFile(file: string, text: string): {usage: UsageFile} | {diagnostics: Diagnostic[]} {
	const parsed = parseYamlFile(file, text);
	if (parsed.diagnostics.length > 0) return {diagnostics: parsed.diagnostics};
	const document = parsed.documents[0];
	if (!document || parsed.documents.length > 1)
		return {
			diagnostics: [
				{severity: 'error', code: 'invalid-value', file, message: 'a usage file is one YAML document with components: and kinds:'},
			],
		};
	const checked = usageFileSchema.safeParse(document.value ?? {});
	if (!checked.success)
		return {
			diagnostics: checked.error.issues.map((issue) => {
				const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
				const path = [...issue.path, ...keys.slice(0, 1)] as (string | number)[];
				const message =
					keys.length > 0
						? `unknown usage figure ${keys.join(', ')} (known: ${usageFigures.join(', ')})`
						: `${path.join('.')}: ${issue.message}`;
				return {
					severity: 'error' as const,
					code: 'invalid-value' as const,
					message,
					...document.positionOf(path, keys.length > 0 ? 'key' : 'value'),
				};
			}),
		};
	return {usage: {file, ...checked.data} as UsageFile};
}
