/**
 * What a kind's `cost` hook returns and what it is given (engine/kinds/kind.ts). Types only, so
 * kinds and the estimator share them without importing each other.
 */
import type {RegionPrices} from './price-table.js';

/** One priced part of a component: `2 × Fargate task 0.25 vCPU / 0.5 GB` → $18.02 a month. */
export interface CostLine {
	item: string;
	monthly: number;
	/** The line prices use, from usage assumptions (a usage file), not a fixed charge. */
	fromUsage?: boolean;
}

export interface CostEstimate {
	/** The fixed monthly cost, plus what the usage assumptions add (lines marked fromUsage). */
	monthly: number;
	lines: CostLine[];
	/** The kind is billed by use and no usage assumption priced it: `monthly` is its fixed part only. */
	usageBased?: boolean;
	/** Parts that could not be priced (a class the table lacks): `monthly` leaves them out. */
	unpriced?: string[];
	/** What else to know: `autoscaling up to 6 tasks: $54.06 at most`, `usage-based: $0.40 per million requests`. */
	notes: string[];
}

/**
 * Usage assumptions for one component (a usage file's entry, engine/cost/usage-file.ts). Every
 * figure is per month; a kind reads the ones it is billed by and ignores the rest.
 */
export interface UsageAssumptions {
	requestsPerMonth?: number;
	averageDurationMs?: number;
	readRequestsPerMonth?: number;
	writeRequestsPerMonth?: number;
	storageGB?: number;
	logGBPerMonth?: number;
	loadBalancerLcus?: number;
}

export interface CostContext {
	prices: RegionPrices;
	/** The component's usage assumptions, when a usage file gives any. */
	usage?: UsageAssumptions;
}

/** A change's monthly cost before and after it (engine/cost/plan-cost.ts); absent side: nothing there. */
export interface ChangeCost {
	before?: number;
	after?: number;
	/** After the change the component is billed by use and no usage assumption priced it. */
	usageBased?: boolean;
	/** Parts the table has no price for (left out of `after`). */
	unpriced?: string[];
	/** What else the estimate says (autoscaling maximum, usage-based rates). */
	notes?: string[];
}

/** The tenant's estimated monthly total against its limit (engine/cost/tenant-cost.ts checkBudget). */
export interface BudgetCheck {
	limit: number;
	/** The fraction of the limit that warns, e.g. 0.8. */
	warnAt: number;
	/** The tenant's estimated monthly total with this plan applied. */
	estimate: number;
	/** The total before this plan: what the recorded states and the tenant's networking cost. */
	current: number;
	status: 'within' | 'warning' | 'over';
	/**
	 * The plan is refused: it takes the total over the limit, or further over it. A plan that
	 * lowers (or keeps) an already exceeded total is not, so a tenant can always shrink.
	 */
	refused: boolean;
	/** The biggest costs in `estimate`, largest first (at most five). */
	contributors: Array<{what: string; monthly: number}>;
	/** States that could not be read or priced: the estimate leaves them out. */
	problems?: string[];
}

/** What a plan costs: said by `panka plan`, its --json, the review and the saved plan file. */
export interface PlanCost {
	currency: 'USD';
	region: string;
	/** The price table: its name, date and source. */
	prices: {name: string; date: string; source: string};
	/** The usage file the usage-priced figures came from. */
	usageFile?: string;
	/** The stack environment's estimated monthly total before the plan (its recorded resources). */
	previousMonthlyTotal: number;
	/** …and after it. */
	monthlyTotal: number;
	monthlyDelta: number;
	/** Addresses billed by use with no usage assumption: their figure is the fixed part only. */
	usageBased: string[];
	/** `address: part` the table has no price for. */
	unpriced: string[];
	/** Why there are no figures at all (the table has no prices for the region). */
	unavailable?: string;
	budget?: BudgetCheck;
}
