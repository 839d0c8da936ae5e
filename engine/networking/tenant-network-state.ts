/**
 * TenantNetworkState: the IDs of a tenant's network, as the caller stores them in the tenant's
 * state, and the record book that builds it while operations run.
 *
 * Invariants:
 * - The record book holds every resource known to exist right now: it starts from what was found
 *   by tags (so a checkpoint taken at any moment never forgets an existing resource), each ensure
 *   operation replaces its entry with what it made or adopted, and each delete removes its entry.
 * - The snapshot orders subnets, NAT gateways and route tables by the layout's roles (config order),
 *   so the same network always serialises to the same state.
 */
import type {NetworkingIds} from '../providers/provider.js';

export interface SubnetState {
	id: string;
	cidr: string;
	az: string;
}

export interface NatGatewayState {
	id: string;
	az: string;
	allocationId: string;
}

export interface RouteTableAssociationState {
	id: string;
	subnetId: string;
}

export interface RouteTableState {
	id: string;
	/** Per-az private tables only. */
	az?: string;
	associations: RouteTableAssociationState[];
}

export interface TenantNetworkState {
	vpcId: string;
	subnets: {public: SubnetState[]; private: SubnetState[]};
	/** Absent when the tenant has no internet gateway. */
	internetGatewayId?: string;
	natGateways: NatGatewayState[];
	routeTables: {public?: RouteTableState; private: RouteTableState[]};
	defaultSecurityGroupId: string;
}

/** The state while provisioning runs: the same shape, with the VPC and the SG not known yet. */
export type PartialTenantNetworkState = Omit<TenantNetworkState, 'vpcId' | 'defaultSecurityGroupId'> & {
	vpcId?: string;
	defaultSecurityGroupId?: string;
};

/** One resource in the record book, by its role. */
export type NetworkRecord =
	| {type: 'vpc'; component: string; id: string}
	| {type: 'subnet'; component: string; id: string; tier: 'public' | 'private'; cidr: string; az: string}
	| {type: 'internet-gateway'; component: string; id: string}
	| {type: 'elastic-ip'; component: string; id: string}
	| {type: 'nat-gateway'; component: string; id: string; az: string; allocationId: string}
	| {
			type: 'route-table';
			component: string;
			id: string;
			tier: 'public' | 'private';
			az?: string;
			associations: RouteTableAssociationState[];
	  }
	| {type: 'security-group'; component: string; id: string};

export type NetworkRecordType = NetworkRecord['type'];

/**
 * Records by key: a desired role's record is keyed by its role (`nat-a`); anything else found by
 * tags (a duplicate, a role no longer in the config) by `role@id` until it is deleted.
 */
export class NetworkRecordBook {
	readonly #records = new Map<string, NetworkRecord>();

	/** `componentOrder`: the layout's roles in config order; other keys sort after them, by name. */
	constructor(
		private readonly tenant: string,
		private readonly componentOrder: readonly string[] = [],
	) {}

	set(key: string, record: NetworkRecord): void {
		this.#records.set(key, record);
	}

	delete(key: string): void {
		this.#records.delete(key);
	}

	/** The record of a role an earlier operation made or adopted (the operation graph guarantees it). */
	require<T extends NetworkRecordType>(component: string, type: T): Extract<NetworkRecord, {type: T}> {
		const record = this.#records.get(component);
		if (!record || record.type !== type) throw new Error(`internal: ${component} (${type}) is not provisioned yet`);
		return record as Extract<NetworkRecord, {type: T}>;
	}

	get(component: string): NetworkRecord | undefined {
		return this.#records.get(component);
	}

	snapshot(): PartialTenantNetworkState {
		const order = new Map(this.componentOrder.map((component, index) => [component, index]));
		const records = [...this.#records.entries()]
			.sort(
				([a], [b]) => (order.get(a) ?? Number.MAX_SAFE_INTEGER) - (order.get(b) ?? Number.MAX_SAFE_INTEGER) || (a < b ? -1 : a > b ? 1 : 0),
			)
			.map(([, record]) => record);
		const state: PartialTenantNetworkState = {subnets: {public: [], private: []}, natGateways: [], routeTables: {private: []}};
		for (const record of records) {
			switch (record.type) {
				case 'vpc':
					state.vpcId ??= record.id;
					break;
				case 'subnet':
					state.subnets[record.tier].push({id: record.id, cidr: record.cidr, az: record.az});
					break;
				case 'internet-gateway':
					state.internetGatewayId ??= record.id;
					break;
				case 'nat-gateway':
					state.natGateways.push({id: record.id, az: record.az, allocationId: record.allocationId});
					break;
				case 'route-table': {
					const table: RouteTableState = {id: record.id, ...(record.az ? {az: record.az} : {}), associations: record.associations};
					if (record.tier === 'public') state.routeTables.public ??= table;
					else state.routeTables.private.push(table);
					break;
				}
				case 'security-group':
					state.defaultSecurityGroupId ??= record.id;
					break;
				case 'elastic-ip':
					break;
			}
		}
		return state;
	}

	/** The finished state; fails when the VPC or the default security group is missing. */
	complete(): TenantNetworkState {
		const state = this.snapshot();
		if (!state.vpcId || !state.defaultSecurityGroupId)
			throw new Error(`tenant ${this.tenant} network is incomplete: ${!state.vpcId ? 'no VPC' : 'no default security group'}`);
		return {...state, vpcId: state.vpcId, defaultSecurityGroupId: state.defaultSecurityGroupId};
	}
}

/** Every ID a state names, for teardown: resources the record book may not have found by tags. */
export function stateIds(state: TenantNetworkState): {
	vpcIds: string[];
	subnetIds: string[];
	internetGatewayIds: string[];
	natGatewayIds: string[];
	allocationIds: string[];
	routeTableIds: string[];
	securityGroupIds: string[];
} {
	return {
		vpcIds: [state.vpcId],
		subnetIds: [...state.subnets.public, ...state.subnets.private].map((s) => s.id),
		internetGatewayIds: state.internetGatewayId ? [state.internetGatewayId] : [],
		natGatewayIds: state.natGateways.map((n) => n.id),
		allocationIds: state.natGateways.map((n) => n.allocationId),
		routeTableIds: [...(state.routeTables.public ? [state.routeTables.public] : []), ...state.routeTables.private].map((t) => t.id),
		securityGroupIds: [state.defaultSecurityGroupId],
	};
}

/** The networking IDs a stack's components get (ResourceContext.networking). */
export function networkingIds(state: TenantNetworkState, stackSecurityGroupId: string): NetworkingIds {
	return {
		vpcId: state.vpcId,
		privateSubnetIds: state.subnets.private.map((s) => s.id),
		publicSubnetIds: state.subnets.public.map((s) => s.id),
		securityGroupIds: [state.defaultSecurityGroupId, stackSecurityGroupId],
		stackSecurityGroupId,
	};
}
