/**
 * Plan values on one line, for every view of a plan (the CLI's text, the workbench's review):
 * strings quoted, `{valueFrom}` as `(known after apply: component.output)`, `{value: x}` as x, the
 * redacted marker (or anything under a sensitive path) as `(sensitive)`, lists and objects
 * compact, control characters escaped (terminal-text.ts), cut at `max` characters.
 *
 * Pure. A plan holds no secret values to begin with (inputs.ts redacts them), so `(sensitive)` is
 * about what is shown, never the last line of defence.
 */
import {redactedValue} from '../state/state-document.js';
import {printable} from '../terminal-text.js';
import {heldValueOf, isPlainObject, referenceOf} from './values.js';

export function formatPlanValue(value: unknown, sensitive = false, max = 120): string {
	if (sensitive) return '(sensitive)';
	const text = printable(formatValue(value));
	return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function formatValue(value: unknown): string {
	if (value === redactedValue) return '(sensitive)';
	if (value === undefined) return '(none)';
	if (value === null || typeof value !== 'object') return typeof value === 'string' ? JSON.stringify(value) : String(value);
	const reference = referenceOf(value);
	if (reference) return `(known after apply: ${reference.component}.${reference.output})`;
	const held = heldValueOf(value);
	if (held) return formatValue(held.value);
	if (Array.isArray(value)) return `[${value.map(formatValue).join(', ')}]`;
	if (isPlainObject(value))
		return `{${Object.entries(value)
			.filter(([, v]) => v !== undefined)
			.map(([k, v]) => `${/^[A-Za-z_][A-Za-z0-9_-]*$/.test(k) ? k : JSON.stringify(k)}: ${formatValue(v)}`)
			.join(', ')}}`;
	return String(value);
}
