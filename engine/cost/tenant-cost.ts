/**
 * What a tenant pays a month whatever its stacks: its networking (NAT gateways, each with its
 * Elastic IP; the VPC, subnets, route tables and internet gateway cost nothing), and the budget
 * rule that compares the tenant's estimated total with `spec.limits.monthlyCost`.
 *
 * Invariants: pure. The budget is checked on the total *after* the plan (every other stack
 * environment as recorded + this one as planned + networking): `over` when it exceeds the limit,
 * `warning` from `warnAt` × limit. Refused only when over and the plan adds to the total (cents),
 * so a plan that shrinks an over-budget tenant goes through. A limit of 0 allows nothing billable.
 */
import type {TenantConfig} from '../model/tenant-config.js';
import {tenantNetworkLayout} from '../networking/tenant-network-layout.js';
import {estimateFrom, formatMonthly, formatRate, monthlyAtHourly} from './cost-rules.js';
import type {BudgetCheck, CostEstimate} from './cost-types.js';
import type {RegionPrices} from './price-table.js';

export const defaultBudgetWarnAt = 0.8;

export function tenantNetworkingCost(config: TenantConfig, prices: RegionPrices): CostEstimate {
	let natGateways: number;
	try {
		natGateways = tenantNetworkLayout(config).natGateways.length;
	} catch (error) {
		return {monthly: 0, lines: [], notes: [], unpriced: [`networking: ${(error as Error).message}`]};
	}
	if (natGateways === 0) return estimateFrom([], ['no NAT gateway: the VPC, subnets and gateways cost nothing']);
	const {natGateway} = prices;
	return estimateFrom(
		[
			{item: `${natGateways} × NAT gateway`, monthly: natGateways * monthlyAtHourly(natGateway.hour)},
			{item: `${natGateways} × Elastic IP (public IPv4)`, monthly: natGateways * monthlyAtHourly(natGateway.publicIpv4Hour)},
		],
		[`NAT data processing: usage-based (${formatRate(natGateway.gbProcessed)}/GB)`],
	);
}

/** The tenant's limit and warning fraction, when it sets one. */
export function tenantBudget(config: TenantConfig): {limit: number; warnAt: number} | undefined {
	const limit = config.spec.limits.monthlyCost;
	if (limit === undefined) return undefined;
	return {limit, warnAt: config.spec.limits.monthlyCostWarnAt ?? defaultBudgetWarnAt};
}

export interface SpendItem {
	/** `orders/prod api/db`, `tenant networking`. */
	what: string;
	monthly: number;
}

export function checkBudget(
	budget: {limit: number; warnAt: number},
	spend: {current: number; estimate: number; items: readonly SpendItem[]; problems?: readonly string[]},
): BudgetCheck {
	const status = spend.estimate > budget.limit ? 'over' : spend.estimate >= budget.warnAt * budget.limit ? 'warning' : 'within';
	const contributors = [...spend.items]
		.filter((item) => item.monthly > 0)
		.sort((a, b) => b.monthly - a.monthly || a.what.localeCompare(b.what))
		.slice(0, 5);
	return {
		limit: budget.limit,
		warnAt: budget.warnAt,
		estimate: spend.estimate,
		current: spend.current,
		status,
		refused: status === 'over' && Math.round(spend.estimate * 100) > Math.round(spend.current * 100),
		contributors,
		...(spend.problems?.length ? {problems: [...spend.problems]} : {}),
	};
}

/** `estimated $1,234.00 a month against the limit of $1,000.00 (123 %)`. */
export function describeBudget(check: BudgetCheck): string {
	const share = check.limit > 0 ? ` (${Math.round((check.estimate / check.limit) * 100)} %)` : '';
	return `${formatMonthly(check.estimate)} a month against the limit of ${formatMonthly(check.limit)}${share}`;
}
