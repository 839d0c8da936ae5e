/**
 * The words of a plan's cost, shared by `panka plan` text, the review and the details pane: one
 * change's before → after, the stack's total, where the prices came from, the budget line.
 *
 * Invariants: pure; every figure is USD a month; a usage-based figure always says so (never a bare
 * $0.00); the price table is named with its date wherever a total is shown.
 */
import {formatDelta, formatMonthly} from './cost-rules.js';
import type {BudgetCheck, ChangeCost, PlanCost} from './cost-types.js';

/** `$9.01`, `usage-based`, `usage-based + $0.40 a month`: one side of a change. */
export function costFigure(monthly: number | undefined, usageBased = false): string {
	if (monthly === undefined) return '—';
	if (!usageBased) return formatMonthly(monthly);
	return monthly > 0 ? `usage-based + ${formatMonthly(monthly)} a month` : 'usage-based';
}

/**
 * One change's cost in words: `$25.04 a month` (a create), `$9.01 → $18.02 a month (+$9.01)`,
 * `$9.01 a month, unchanged`, `-$13.14 a month (was $13.14)` (a delete), `usage-based`; undefined
 * when there is nothing to say (no figures, or a free resource that stays free).
 */
export function changeCostText(cost: ChangeCost | undefined): string | undefined {
	if (!cost) return undefined;
	const {before, after} = cost;
	const cents = (amount: number | undefined) => Math.round((amount ?? 0) * 100);
	if (!cost.usageBased && cents(before) === 0 && cents(after) === 0) return undefined;
	if (after === undefined) return before === undefined ? undefined : `${formatDelta(-before)} a month (was ${formatMonthly(before)})`;
	const now = cost.usageBased ? costFigure(after, true) : `${formatMonthly(after)} a month`;
	if (before === undefined) return now;
	if (cents(before) === cents(after)) return `${now}, unchanged`;
	return `${formatMonthly(before)} → ${now} (${formatDelta(after - before)})`;
}

/** The short delta a column shows: `+$9.01`, `usage`, `$0.00`. */
export function changeCostDelta(cost: ChangeCost | undefined): string {
	if (!cost || (cost.before === undefined && cost.after === undefined)) return '';
	const delta = (cost.after ?? 0) - (cost.before ?? 0);
	if (cost.usageBased && Math.round(delta * 100) === 0) return 'usage';
	return formatDelta(delta);
}

/** `panka 2026-12-06`, or `my-prices.json of 2026-11-01`: a price table by name, its date said once. */
export function priceTableText({name, date}: {name: string; date: string}): string {
	return `${name}${name.includes(date) ? '' : ` of ${date}`}`;
}

/** `prices: panka 2026-12-06, us-east-1`. */
export function pricesSource(cost: Pick<PlanCost, 'prices' | 'region' | 'usageFile'>): string {
	const usage = cost.usageFile ? `; usage from ${cost.usageFile}` : '';
	return `prices: ${priceTableText(cost.prices)}, ${cost.region}${usage}`;
}

/** `$120.00 → $138.02 a month (+$18.02)`. */
export function stackTotalText(cost: PlanCost): string {
	if (cost.unavailable) return 'not estimated';
	return `${formatMonthly(cost.previousMonthlyTotal)} → ${formatMonthly(cost.monthlyTotal)} a month (${formatDelta(cost.monthlyDelta)})`;
}

/** `budget: $900.00 of $1,000.00 a month (90 %) — over the 80 % warning`, or undefined without a limit. */
export function budgetText(budget: BudgetCheck | undefined): string | undefined {
	if (!budget) return undefined;
	const share = budget.limit > 0 ? ` (${Math.round((budget.estimate / budget.limit) * 100)} %)` : '';
	const base = `tenant budget: ${formatMonthly(budget.estimate)} of ${formatMonthly(budget.limit)} a month${share}`;
	if (budget.status === 'over') return `${base}: over the limit${budget.refused ? ', refused' : ''}`;
	if (budget.status === 'warning') return `${base}: past the ${Math.round(budget.warnAt * 100)} % warning`;
	return base;
}
