/**
 * A plan's cost: each change's estimated monthly cost before and after, and the stack
 * environment's monthly total before and after the plan (engine/cost/estimate.ts per resource).
 *
 * Invariants:
 * - Pure; the plan's changes are not altered, only given `cost` (and the plan `cost`).
 * - The totals come from the recorded state, not from the changes alone: the previous total is
 *   every recorded resource's estimate, the new one adds each change's after − before. A targeted
 *   plan thus still states the whole stack environment's total.
 * - A region the table lacks gives `unavailable` and no figures, never another region's.
 */
import type {Change, Plan} from '../plan/plan.js';
import type {StateDocument} from '../state/state-document.js';
import type {ChangeCost, CostEstimate, PlanCost} from './cost-types.js';
import {type CostSettings, estimateResourceCost, regionPrices} from './estimate.js';
import {priceTableReference, type RegionPrices} from './price-table.js';

/** The recorded resources' estimates, by address. */
export function estimateRecordedResources(
	state: Pick<StateDocument, 'resources'> | undefined,
	prices: RegionPrices,
	usage?: CostSettings['usage'],
): Map<string, {kind: string; estimate: CostEstimate}> {
	const estimates = new Map<string, {kind: string; estimate: CostEstimate}>();
	for (const [address, resource] of Object.entries(state?.resources ?? {}))
		estimates.set(address, {
			kind: resource.kind,
			estimate: estimateResourceCost({address, kind: resource.kind, inputs: resource.inputs}, prices, usage),
		});
	return estimates;
}

export function withPlanCost(plan: Plan, state: Pick<StateDocument, 'resources'> | undefined, settings: CostSettings): Plan {
	const base = {
		currency: 'USD' as const,
		region: settings.region,
		prices: priceTableReference(settings.table),
		...(settings.usage ? {usageFile: settings.usage.file} : {}),
	};
	const prices = regionPrices(settings);
	if ('unavailable' in prices)
		return {
			...plan,
			cost: {
				...base,
				previousMonthlyTotal: 0,
				monthlyTotal: 0,
				monthlyDelta: 0,
				usageBased: [],
				unpriced: [],
				unavailable: prices.unavailable,
			},
		};
	const recorded = estimateRecordedResources(state, prices, settings.usage);
	const previousMonthlyTotal = sum([...recorded.values()].map((entry) => entry.estimate.monthly));
	const usageBased: string[] = [];
	const unpriced: string[] = [];
	let monthlyDelta = 0;
	const changes = plan.changes.map((change): Change => {
		const cost = changeCost(change, recorded.get(change.address)?.estimate, prices, settings);
		monthlyDelta += (cost.after ?? 0) - (cost.before ?? 0);
		if (cost.usageBased) usageBased.push(change.address);
		for (const part of cost.unpriced ?? []) unpriced.push(`${change.address}: ${part}`);
		return {...change, cost};
	});
	const cost: PlanCost = {
		...base,
		previousMonthlyTotal,
		monthlyTotal: previousMonthlyTotal + monthlyDelta,
		monthlyDelta,
		usageBased,
		unpriced,
	};
	return {...plan, changes, cost};
}

function changeCost(change: Change, recorded: CostEstimate | undefined, prices: RegionPrices, settings: CostSettings): ChangeCost {
	const estimate = (inputs: Record<string, unknown> | undefined, kind: string) =>
		inputs ? estimateResourceCost({address: change.address, kind, inputs}, prices, settings.usage) : undefined;
	const before = change.action === 'create' ? undefined : (recorded ?? estimate(change.before, change.previousKind ?? change.kind));
	const after = change.action === 'delete' ? undefined : change.action === 'no-op' ? before : estimate(change.after, change.kind);
	return {
		...(before ? {before: before.monthly} : {}),
		...(after ? {after: after.monthly} : {}),
		...(after?.usageBased ? {usageBased: true} : {}),
		...(after?.unpriced ? {unpriced: after.unpriced} : {}),
		...(after?.notes.length ? {notes: after.notes} : {}),
	};
}

function sum(values: number[]): number {
	return values.reduce((total, value) => total + value, 0);
}
