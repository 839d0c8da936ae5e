/**
 * The arithmetic kinds' `cost` hooks share: hours in a month, Fargate task-hours, CloudWatch
 * logs, usage-priced lines, and how a dollar figure is written.
 *
 * Invariants: pure; a figure is rounded only when written (`formatMonthly`), never when summed.
 */
import {defaultRetentionDays} from '../providers/log-retention.js';
import type {CostContext, CostEstimate, CostLine, UsageAssumptions} from './cost-types.js';
import {hoursPerMonth, type RegionPrices} from './price-table.js';

/**
 * `$1,234.56`; amounts under a cent as `$0.00`. By hand rather than toLocaleString, which costs
 * about 60 µs a call: a 5,000-resource plan writes thousands of these.
 */
export function formatMonthly(amount: number): string {
	const [whole, cents] = Math.abs(amount).toFixed(2).split('.');
	return `${amount < 0 && Math.abs(amount) >= 0.005 ? '-' : ''}$${whole!.replace(/\B(?=(\d{3})+$)/g, ',')}.${cents}`;
}

/** A unit price as AWS lists it, never rounded to cents: `$0.40`, `$0.045`, `$0.0000166667`. */
export function formatRate(price: number): string {
	return Number.isInteger(Math.round(price * 1e8) / 1e6) ? formatMonthly(price) : `$${Number(price.toPrecision(6))}`;
}

/** `+$12.34` / `-$5.00` / `$0.00`: a change in monthly cost. */
export function formatDelta(amount: number): string {
	const rounded = Math.round(amount * 100) / 100;
	if (rounded === 0) return '$0.00';
	return `${rounded > 0 ? '+' : '-'}${formatMonthly(Math.abs(rounded))}`;
}

export function monthlyAtHourly(hourly: number): number {
	return hourly * hoursPerMonth;
}

/** One Fargate task running all month: vCPU-hours + GB-hours. `cpuUnits` 1024 = 1 vCPU. */
export function fargateTaskMonthly(prices: RegionPrices, cpuUnits: number, memoryMiB: number): number {
	return monthlyAtHourly((cpuUnits / 1024) * prices.fargate.vcpuHour + (memoryMiB / 1024) * prices.fargate.gbHour);
}

/**
 * CloudWatch logs of a compute component: billed by what is written, so usage-based unless the
 * usage assumptions give `logGBPerMonth` (ingested, plus the stored volume the retention keeps).
 */
export function logsLines(context: CostContext, retentionDays = defaultRetentionDays): {lines: CostLine[]; notes: string[]} {
	const {logs} = context.prices;
	const written = context.usage?.logGBPerMonth;
	if (written === undefined)
		return {
			lines: [],
			notes: [`logs: usage-based (${formatRate(logs.ingestGb)}/GB written, kept ${retentionDays} days)`],
		};
	const stored = written * (retentionDays / 30);
	return {
		lines: [
			{
				item: `logs ${written} GB/month written, ${retentionDays}-day retention`,
				monthly: written * logs.ingestGb + stored * logs.storageGbMonth,
				fromUsage: true,
			},
		],
		notes: [],
	};
}

/** A usage-priced line when `quantity` is assumed, else nothing (the caller notes the rate). */
export function usageLine(item: string, quantity: number | undefined, unitPrice: number, unitSize = 1): CostLine[] {
	return quantity === undefined ? [] : [{item, monthly: (quantity / unitSize) * unitPrice, fromUsage: true}];
}

/**
 * The estimate from its lines: `usageBased` when the kind is billed by use (`billedByUse`) and no
 * line came from a usage assumption.
 */
export function estimateFrom(lines: CostLine[], notes: string[], options: {billedByUse?: boolean; unpriced?: string[]} = {}): CostEstimate {
	const monthly = lines.reduce((sum, line) => sum + line.monthly, 0);
	const usageBased = options.billedByUse === true && !lines.some((line) => line.fromUsage);
	return {
		monthly,
		lines,
		notes,
		...(usageBased ? {usageBased} : {}),
		...(options.unpriced?.length ? {unpriced: options.unpriced} : {}),
	};
}

/** The usage figures a kind reads, by name, for the usage file's checks. */
export const usageFigures: readonly (keyof UsageAssumptions)[] = [
	'requestsPerMonth',
	'averageDurationMs',
	'readRequestsPerMonth',
	'writeRequestsPerMonth',
	'storageGB',
	'logGBPerMonth',
	'loadBalancerLcus',
];
