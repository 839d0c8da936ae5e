/**
 * The estimate of one resource from its kind and inputs (resolved spec, or the inputs a state
 * recorded): the kind's `cost` hook at the region's prices, with the component's usage
 * assumptions.
 *
 * Invariants: pure; never throws: inputs the hook cannot read (a state written by an older panka)
 * give an estimate with the resource listed as unpriced, not a crash. The stack security group
 * costs nothing; a kind without a hook is unpriced.
 */
import {getKind} from '../kinds/registry.js';
import {stackSecurityGroupKind} from '../plan/inputs.js';
import type {CostEstimate} from './cost-types.js';
import type {PriceTable, RegionPrices} from './price-table.js';
import type {UsageFile} from './usage-file.js';

export interface CostSettings {
	table: PriceTable;
	region: string;
	usage?: UsageFile;
}

const free: CostEstimate = {monthly: 0, lines: [], notes: []};

/** The region's prices, or why there are none. */
export function regionPrices(settings: Pick<CostSettings, 'table' | 'region'>): RegionPrices | {unavailable: string} {
	const prices = settings.table.regions[settings.region];
	if (prices) return prices;
	const known = Object.keys(settings.table.regions).sort().join(', ');
	return {
		unavailable: `price table ${settings.table.name} has no prices for ${settings.region} (it has ${known}); give one that does with --prices FILE`,
	};
}

export function estimateResourceCost(
	resource: {address: string; kind: string; inputs: Record<string, unknown>},
	prices: RegionPrices,
	usage?: UsageFile,
): CostEstimate {
	if (resource.kind === stackSecurityGroupKind) return free;
	const definition = getKind(resource.kind);
	if (!definition?.cost) return {monthly: 0, lines: [], notes: [], unpriced: [`${resource.kind} (no cost rule)`]};
	const assumptions = usage?.components[resource.address] ?? usage?.kinds[resource.kind];
	try {
		return definition.cost(resource.inputs, {prices, ...(assumptions ? {usage: assumptions} : {})});
	} catch {
		return {monthly: 0, lines: [], notes: [], unpriced: [`${resource.kind} inputs this panka cannot price`]};
	}
}
