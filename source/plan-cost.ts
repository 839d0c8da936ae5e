/**
 * Cost in the stack commands (plan, apply, promote): which price table and usage file apply
 * (--prices / PANKA_PRICES, --usage / PANKA_USAGE, else the shipped table), the plan priced
 * against the recorded state, the tenant's budget checked on every stack environment's recorded
 * state, and the refusal of a plan over budget.
 *
 * Invariants: a bad --prices or --usage file is a usage error naming the flag (and file:line:col
 * for the usage file) before anything is planned; the budget is checked on the plan, before its
 * first operation, so a refused plan creates nothing; the refusal names the estimate, the limit
 * and the biggest contributors.
 */
import path from 'node:path';
import {readTenantSpend, type TenantSpend, planBudget} from '../engine/backends.js';
import {
	type BudgetCheck,
	describeBudget,
	formatLocation,
	formatMonthly,
	type PriceTable,
	type Plan,
	parsePriceTable,
	parseUsageFile,
	priceTableText,
	printable,
	readTextFile,
	regionPrices,
	shippedPriceTable,
	tenantBudget,
	tenantNetworkingCost,
	type StateDocument,
	type TenantConfig,
	type UsageFile,
	withPlanCost,
} from '../engine/index.js';
import type {CommandContext, Paint} from './context.js';
import {UsageError} from './errors.js';
import type {Flags} from './flags.js';
import type {StackOperation} from './stack-operation.js';
import type {Output} from './views/view.js';

export interface CostSources {
	table: PriceTable;
	usage?: UsageFile;
}

/** The price table and usage file the flags (or PANKA_PRICES / PANKA_USAGE) name; the shipped table otherwise. */
export async function costSources(context: CommandContext, flags: Pick<Flags, 'prices' | 'usage'>): Promise<CostSources> {
	const pricesFile = flags.prices ?? (context.env.PANKA_PRICES || undefined);
	const usageFile = flags.usage ?? (context.env.PANKA_USAGE || undefined);
	const table = pricesFile ? await readPriceTable(context, pricesFile) : shippedPriceTable;
	if (!usageFile) return {table};
	const {shown, text} = await readFlagFile(context, '--usage', usageFile);
	const parsed = parseUsageFile(shown, text);
	if ('diagnostics' in parsed)
		throw new UsageError(
			`--usage ${printable(usageFile)}: ${parsed.diagnostics.map((d) => `${formatLocation(d)}: ${printable(d.message)}`).join('; ')}`,
			'a usage file has components: {service/component: {figure: number}} and kinds: {Kind: {figure: number}}',
		);
	return {table, usage: parsed.usage};
}

async function readPriceTable(context: CommandContext, file: string): Promise<PriceTable> {
	const {shown, text} = await readFlagFile(context, '--prices', file);
	const parsed = parsePriceTable(text, shown);
	if ('problems' in parsed)
		throw new UsageError(
			`--prices ${printable(file)}: ${parsed.problems.map(printable).join('; ')}`,
			'a price table is JSON with date, source, currency and regions (scripts/refresh-prices.mjs writes one)',
		);
	return parsed;
}

async function readFlagFile(context: CommandContext, flag: string, file: string): Promise<{shown: string; text: string}> {
	const absolute = path.resolve(context.cwd, file);
	const shown = path.relative(context.cwd, absolute) || absolute;
	const read = await readTextFile(absolute, shown);
	if (!read.ok) throw new UsageError(`${flag} ${printable(file)}: ${read.missing ? 'no such file' : printable(read.diagnostic.message)}`);
	return {shown, text: read.text};
}

/** The tenant's recorded spend at the table's prices. */
export function tenantSpend(
	op: {session: Pick<StackOperation['session'], 'backend' | 'config'>},
	sources: CostSources,
): Promise<TenantSpend> {
	return readTenantSpend(op.session.backend, op.session.config, sources);
}

/** The plan with its cost and, when the tenant sets a limit, its budget check. */
export async function pricePlan(op: StackOperation, plan: Plan, state: StateDocument | undefined, sources: CostSources): Promise<Plan> {
	const priced = withPlanCost(plan, state, {...sources, region: op.region});
	if (!priced.cost || priced.cost.unavailable || op.session.config.spec.limits.monthlyCost === undefined) return priced;
	const budget = planBudget(op.session.config, await tenantSpend(op, sources), priced);
	return budget ? {...priced, cost: {...priced.cost, budget}} : priced;
}

/**
 * A plan over the tenant's budget, refused: what the plan and apply views say on stderr, in every
 * kind (a plan within it says nothing here: a warning is the plan's to show).
 */
export function noteBudgetRefusal(out: Output, plan: Plan, config: TenantConfig): void {
	const budget = plan.cost?.budget;
	if (!budget?.refused) return;
	for (const line of budgetRefusalLines(budget, config.metadata.name)) out.note(line(out.errPaint));
}

function budgetRefusalLines(budget: BudgetCheck, tenant: string): Array<(paint: Paint) => string> {
	return [
		(paint) =>
			`${paint('panka: refused: over budget:', 'red', 'bold')} with this plan tenant ${tenant} is estimated at ${describeBudget(budget)}; nothing was created`,
		(paint) => `${paint('biggest contributors:', 'bold')}`,
		...budget.contributors.map((item) => () => `  ${formatMonthly(item.monthly).padStart(11)}  ${printable(item.what)}`),
		...(budget.problems ?? []).map((problem) => () => `  not counted: ${printable(problem)}`),
		(paint) =>
			`${paint('hint:', 'cyan')} make the stack smaller, or ask a platform admin to raise spec.limits.monthlyCost of tenant ${tenant}`,
	];
}

/** `$412.50 a month (networking $36.50) of the $1,000.00 limit (41 %) · prices: panka 2026-12-06`. */
export function spendText(spend: TenantSpend, config: TenantConfig, table: PriceTable): string {
	const source = `prices: ${priceTableText(table)}`;
	if (spend.unavailable) return `not estimated: ${printable(spend.unavailable)}`;
	const networking = spend.networking.monthly > 0 ? ` (networking ${formatMonthly(spend.networking.monthly)})` : '';
	const budget = tenantBudget(config);
	const limit = budget
		? ` of the ${formatMonthly(budget.limit)} limit${budget.limit > 0 ? ` (${Math.round((spend.total / budget.limit) * 100)} %)` : ''}`
		: ', no limit set';
	const unread = spend.problems.length > 0 ? `; ${spend.problems.length} state(s) could not be read` : '';
	return `${formatMonthly(spend.total)} a month${networking}${limit}${unread} · ${source}`;
}

/** The spend as --json documents carry it: totals in USD a month, the limit, the table. */
export function spendJson(spend: TenantSpend, config: TenantConfig, table: PriceTable): Record<string, unknown> {
	const budget = tenantBudget(config);
	return {
		currency: 'USD',
		prices: {name: table.name, date: table.date, source: table.source},
		...(spend.unavailable
			? {unavailable: spend.unavailable}
			: {
					monthlyTotal: spend.total,
					networking: spend.networking.monthly,
					environments: spend.environments.map(({stack, environment, monthly, usageBased, problem}) => ({
						stack,
						environment,
						monthly,
						usageBased,
						...(problem ? {problem} : {}),
					})),
				}),
		...(budget ? {limit: budget.limit, warnAt: budget.warnAt} : {}),
	};
}

/**
 * What a tenant costs whatever its stacks, and its limit: networking `$36.50 a month (1 × NAT
 * gateway …) · prices: …` and, when set, limit `$1,000.00 a month, warning at 80 %`.
 */
export function tenantCostTexts(config: TenantConfig, table: PriceTable): {networking: string; limit?: string} {
	const prices = regionPrices({table, region: config.spec.aws.region});
	const source = `prices: ${priceTableText(table)}`;
	let networking: string;
	if ('unavailable' in prices) networking = `not estimated: ${printable(prices.unavailable)}`;
	else {
		const cost = tenantNetworkingCost(config, prices);
		const parts = [...cost.lines.map((line) => line.item), ...cost.notes, ...(cost.unpriced ?? [])];
		networking = `${formatMonthly(cost.monthly)} a month (${printable(parts.join('; '))}) · ${source}`;
	}
	const budget = tenantBudget(config);
	return {
		networking,
		...(budget ? {limit: `${formatMonthly(budget.limit)} a month, warning at ${Math.round(budget.warnAt * 100)} %`} : {}),
	};
}
