/**
 * What a tenant's deployed stacks are estimated to cost a month, read from the recorded state of
 * every stack environment (state/stack-inventory.ts), plus its networking; and the budget check
 * of a plan against the tenant's limit (`spec.limits.monthlyCost`).
 *
 * Invariants: read-only (no lock, no write); a state that cannot be read is named in `problems`
 * and left out of the total, never thrown. The plan's own stack environment is counted as
 * planned (plan.cost.monthlyTotal), not as recorded.
 */
import type {TenantConfig} from '../model/tenant-config.js';
import type {Plan} from '../plan/plan.js';
import type {Backend} from '../state/backend.js';
import {listTenantStacks} from '../state/stack-inventory.js';
import {readState} from '../state/state-store.js';
import type {BudgetCheck, CostEstimate} from './cost-types.js';
import {type CostSettings, regionPrices} from './estimate.js';
import {estimateRecordedResources} from './plan-cost.js';
import {checkBudget, type SpendItem, tenantBudget, tenantNetworkingCost} from './tenant-cost.js';

export interface EnvironmentSpend {
	stack: string;
	environment: string;
	monthly: number;
	/** Each priced resource: `address (kind)` and its monthly figure. */
	resources: SpendItem[];
	/** Resources billed by use with no usage assumption (their fixed part only is counted). */
	usageBased: number;
	problem?: string;
}

export interface TenantSpend {
	networking: CostEstimate;
	environments: EnvironmentSpend[];
	/** Networking plus every environment. */
	total: number;
	problems: string[];
	/** Why there are no figures (the price table lacks the tenant's region). */
	unavailable?: string;
}

export async function readTenantSpend(
	backend: Backend,
	config: TenantConfig,
	settings: Pick<CostSettings, 'table' | 'usage'>,
): Promise<TenantSpend> {
	const prices = regionPrices({table: settings.table, region: config.spec.aws.region});
	if ('unavailable' in prices)
		return {networking: {monthly: 0, lines: [], notes: []}, environments: [], total: 0, problems: [], unavailable: prices.unavailable};
	const tenant = config.metadata.name;
	const networking = tenantNetworkingCost(config, prices);
	const environments: EnvironmentSpend[] = [];
	for (const stack of await listTenantStacks(backend, tenant)) {
		for (const {name: environment} of stack.environments) {
			const entry: EnvironmentSpend = {stack: stack.name, environment, monthly: 0, resources: [], usageBased: 0};
			try {
				const stored = await readState(backend, {tenant, stack: stack.name, environment});
				for (const [address, {kind, estimate}] of estimateRecordedResources(stored?.state, prices, settings.usage)) {
					entry.monthly += estimate.monthly;
					entry.resources.push({what: `${address} (${kind})`, monthly: estimate.monthly});
					if (estimate.usageBased) entry.usageBased++;
				}
			} catch (error) {
				entry.problem = (error as Error).message;
			}
			environments.push(entry);
		}
	}
	const problems = environments.filter((entry) => entry.problem).map((entry) => `${entry.stack}/${entry.environment}: ${entry.problem}`);
	const total = networking.monthly + environments.reduce((sum, entry) => sum + entry.monthly, 0);
	return {networking, environments, total, problems};
}

/**
 * The tenant's budget with `plan` applied: every other stack environment as recorded, this one as
 * planned. Undefined when the tenant sets no limit or the plan was not priced.
 */
export function planBudget(config: TenantConfig, spend: TenantSpend, plan: Plan): BudgetCheck | undefined {
	const budget = tenantBudget(config);
	if (!budget || !plan.cost || plan.cost.unavailable || spend.unavailable) return undefined;
	const isPlanned = (entry: EnvironmentSpend) => entry.stack === plan.stack && entry.environment === plan.environment;
	const others = spend.environments.filter((entry) => !isPlanned(entry));
	const items: SpendItem[] = [
		{what: 'tenant networking', monthly: spend.networking.monthly},
		...others.flatMap((entry) => entry.resources.map((item) => ({...item, what: `${entry.stack}/${entry.environment} ${item.what}`}))),
		...plan.changes
			.filter((change) => change.cost?.after !== undefined)
			.map((change) => ({what: `${plan.stack}/${plan.environment} ${change.address} (${change.kind})`, monthly: change.cost!.after!})),
	];
	const estimate = spend.networking.monthly + others.reduce((sum, entry) => sum + entry.monthly, 0) + plan.cost.monthlyTotal;
	return checkBudget(budget, {current: spend.total, estimate, items, problems: spend.problems});
}
