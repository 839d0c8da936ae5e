/**
 * EventBridge schedule expressions: `rate(value unit)` and `cron(6 fields)`, as accepted by
 * EventBridge rules (used by EventBridge rules and Lambda eventbridge triggers).
 *
 * Invariants:
 * - rate: a positive whole value and a unit of minute(s), hour(s) or day(s); the unit is singular
 *   exactly when the value is 1 (`rate(1 minutes)` and `rate(5 minute)` are AWS errors).
 * - cron: six fields, `minutes hours day-of-month month day-of-week year`, each checked against
 *   its range and wildcards; exactly one of day-of-month and day-of-week is `?`.
 * - Problems are returned as text naming the part to change, never thrown.
 */
import {z} from '../zod.js';

const rateExpression = /^rate\(\s*(\S+)\s+(\S+)\s*\)$/;
const cronExpression = /^cron\((.*)\)$/;
const rateUnits = ['minute', 'hour', 'day'];

const months = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const weekdays = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

interface CronField {
	name: string;
	min: number;
	max: number;
	/** Names for values min, min+1, …: JAN = 1, SUN = 1. */
	names?: readonly string[];
	/** Forms beyond numbers, ranges, lists and steps: `?` and the L/W/# wildcards. */
	special?: RegExp;
}

const cronFields: readonly CronField[] = [
	{name: 'minutes', min: 0, max: 59},
	{name: 'hours', min: 0, max: 23},
	{name: 'day-of-month', min: 1, max: 31, special: /^(\?|L|LW|([1-9]|[12]\d|3[01])W)$/},
	{name: 'month', min: 1, max: 12, names: months},
	{name: 'day-of-week', min: 1, max: 7, names: weekdays, special: /^(\?|L|([1-7]|SUN|MON|TUE|WED|THU|FRI|SAT)(L|#[1-5]))$/},
	{name: 'year', min: 1970, max: 2199},
];

const cronFieldNames = cronFields.map((field) => field.name).join(' ');

function cronValue(field: CronField, text: string): number | undefined {
	const named = field.names?.indexOf(text.toUpperCase()) ?? -1;
	if (named >= 0) return field.min + named;
	if (!/^\d+$/.test(text)) return undefined;
	const value = Number(text);
	return value >= field.min && value <= field.max ? value : undefined;
}

/** Why one comma-separated item of a cron field is invalid, or undefined. */
function cronItemProblem(field: CronField, item: string): string | undefined {
	if (field.special?.test(item.toUpperCase())) return undefined;
	const [base = '', step, extra] = item.split('/');
	if (extra !== undefined || (step !== undefined && !/^[1-9]\d*$/.test(step)))
		return `"${item}" has an invalid step; write base/step with a positive step, e.g. */5`;
	if (base === '*') return undefined;
	const bounds = base.split('-');
	if (bounds.length > 2 || bounds.some((bound) => cronValue(field, bound) === undefined)) {
		const names = field.names ? ` or ${field.names[0]}–${field.names.at(-1)}` : '';
		return `"${item}" is out of range; ${field.name} takes ${field.min}–${field.max}${names}`;
	}
	return undefined;
}

function cronProblem(expression: string, body: string): string | undefined {
	const parts = body.trim().split(/\s+/).filter(Boolean);
	if (parts.length !== cronFields.length) {
		const hint = parts.length === 5 ? ' (a Unix crontab has 5: add the year field, e.g. *, and use ? in day-of-month or day-of-week)' : '';
		return `${expression} has ${parts.length} fields; EventBridge cron has 6: ${cronFieldNames}${hint}`;
	}
	for (const [index, field] of cronFields.entries()) {
		const part = parts[index]!;
		if (part.includes('?') && part !== '?') return `${expression}: ? must be the whole ${field.name} field`;
		for (const item of part.split(',')) {
			const problem = cronItemProblem(field, item);
			if (problem) return `${expression}: ${field.name} ${problem}`;
		}
	}
	const dayOfMonthOpen = parts[2] === '?';
	const dayOfWeekOpen = parts[4] === '?';
	if (dayOfMonthOpen === dayOfWeekOpen)
		return dayOfMonthOpen
			? `${expression}: day-of-month and day-of-week cannot both be ?`
			: `${expression}: day-of-month and day-of-week cannot both be set; use ? in one of them, e.g. cron(0 12 * * ? *)`;
	return undefined;
}

function rateProblem(expression: string, amount: string, unit: string): string | undefined {
	if (!/^[1-9]\d*$/.test(amount)) return `${expression}: the rate value must be a positive whole number`;
	const singular = unit.endsWith('s') ? unit.slice(0, -1) : unit;
	if (!rateUnits.includes(singular)) return `${expression}: the rate unit must be minute(s), hour(s) or day(s), not "${unit}"`;
	if (amount === '1' && unit !== singular) return `${expression}: use "${singular}" for a value of 1`;
	if (amount !== '1' && unit === singular) return `${expression}: use "${singular}s" for a value greater than 1`;
	return undefined;
}

/** Why `expression` is not an EventBridge schedule expression, or undefined when it is. */
export function scheduleExpressionProblem(expression: string): string | undefined {
	const rate = rateExpression.exec(expression);
	if (rate) return rateProblem(expression, rate[1]!, rate[2]!);
	const cron = cronExpression.exec(expression);
	if (cron) return cronProblem(expression, cron[1]!);
	return `schedule "${expression}" must be rate(value unit), e.g. rate(5 minutes), or cron(${cronFieldNames}), e.g. cron(0 12 * * ? *)`;
}

/** A schedule expression field (surrounding whitespace is dropped). */
export const scheduleExpression = () =>
	z
		.string()
		.trim()
		.superRefine((expression, ctx) => {
			const problem = scheduleExpressionProblem(expression);
			if (problem) ctx.addIssue({code: 'custom', message: problem});
		});
