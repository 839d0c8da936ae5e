/**
 * What a tenant's network looks like in AWS right now, found by tags: every EC2 resource tagged
 * `panka:tenant = {tenant}` without a `panka:stack` tag (stack-owned resources carry one), with its
 * role (`panka:component`) and the attributes reconciliation compares.
 *
 * Invariants:
 * - Tags are the source of truth for ownership; IDs a caller already knows (from a state that may
 *   be older or newer than the tags) are added to the search, never trusted blindly: an ID AWS no
 *   longer knows is simply not in the inventory.
 * - Tag filters are applied again on the client: moto ignores them on DescribeNatGateways, and
 *   a filter-less fallback must never let another tenant's resource in.
 * - NAT gateways in state `deleted` are not listed (AWS keeps them visible for an hour).
 * - Read-only: no call here changes anything.
 */
import {
	DescribeAddressesCommand,
	DescribeVpcsCommand,
	type Filter,
	paginateDescribeInternetGateways,
	paginateDescribeNatGateways,
	paginateDescribeRouteTables,
	paginateDescribeSecurityGroups,
	paginateDescribeSubnets,
	type Route,
	type Tag,
} from '@aws-sdk/client-ec2';
import {awsCall} from '../aws/call.js';
import {fromTagList, isGone, type NetworkCall, send} from './ec2-calls.js';
import {componentTagKey, stackTagKey, tenantTagKey} from './tenant-network-layout.js';

export interface TaggedResource {
	id: string;
	/** `panka:component`; empty when a known ID has lost its tags. */
	component: string;
	tags: Record<string, string>;
}

export interface FoundVpc extends TaggedResource {
	cidr: string;
}

export interface FoundSubnet extends TaggedResource {
	vpcId: string;
	cidr: string;
	az: string;
	mapPublicIpOnLaunch: boolean;
}

export interface FoundInternetGateway extends TaggedResource {
	attachedVpcIds: string[];
}

/** An Elastic IP; `id` is its allocation ID. */
export interface FoundAddress extends TaggedResource {
	associationId?: string;
}

export interface FoundNatGateway extends TaggedResource {
	vpcId: string;
	subnetId: string;
	allocationId?: string;
	state: string;
}

export interface FoundRouteTable extends TaggedResource {
	vpcId: string;
	routes: Route[];
	associations: Array<{id: string; subnetId: string}>;
}

export interface FoundSecurityGroup extends TaggedResource {
	vpcId: string;
	name: string;
}

export interface NetworkInventory {
	vpcs: FoundVpc[];
	subnets: FoundSubnet[];
	internetGateways: FoundInternetGateway[];
	addresses: FoundAddress[];
	natGateways: FoundNatGateway[];
	routeTables: FoundRouteTable[];
	securityGroups: FoundSecurityGroup[];
	/** Non-default groups in the tenant's VPCs that are not tenant networking (stack groups, hand-made). */
	otherSecurityGroups: Array<{id: string; name: string}>;
}

/** IDs known from a stored state, searched in addition to the tags. */
export interface KnownIds {
	vpcIds?: readonly string[];
	natGatewayIds?: readonly string[];
	allocationIds?: readonly string[];
	internetGatewayIds?: readonly string[];
}

export async function discoverTenantNetwork(call: NetworkCall, tenant: string, known: KnownIds = {}): Promise<NetworkInventory> {
	const owned = (tags: readonly Tag[] | undefined) => {
		const map = fromTagList(tags);
		return map[tenantTagKey] === tenant && map[stackTagKey] === undefined;
	};
	const tenantFilter: Filter = {Name: `tag:${tenantTagKey}`, Values: [tenant]};
	const tagged = <T extends {Tags?: Tag[]}>(
		items: readonly T[],
		id: (item: T) => string | undefined,
	): Array<T & {tagged: TaggedResource}> =>
		items.flatMap((item) => {
			const resourceId = id(item);
			if (!resourceId) return [];
			const tags = fromTagList(item.Tags);
			return [{...item, tagged: {id: resourceId, component: tags[componentTagKey] ?? '', tags}}];
		});

	const vpcsByTag = await describeVpcs(call, {Filters: [tenantFilter]});
	const vpcsById = known.vpcIds?.length ? await describeVpcs(call, {VpcIds: [...known.vpcIds]}) : [];
	const vpcs = uniqueById(
		tagged([...vpcsByTag.filter((v) => owned(v.Tags)), ...vpcsById], (v) => v.VpcId).map((v) => ({...v.tagged, cidr: v.CidrBlock ?? ''})),
	);
	const vpcIds = vpcs.map((v) => v.id);
	const inVpcs: Filter[] = [{Name: 'vpc-id', Values: vpcIds}];

	const [subnets, internetGateways, addresses, natGateways, routeTables, groups] = await Promise.all([
		vpcIds.length
			? collect(
					call,
					(options) => paginateDescribeSubnets({client: call.ec2}, {Filters: [...inVpcs, tenantFilter]}, options),
					(page) => page.Subnets,
					'DescribeSubnets',
				)
			: [],
		collect(
			call,
			(options) => paginateDescribeInternetGateways({client: call.ec2}, {Filters: [tenantFilter]}, options),
			(page) => page.InternetGateways,
			'DescribeInternetGateways',
		),
		send(call, 'EC2 DescribeAddresses', new DescribeAddressesCommand({Filters: [tenantFilter]})).then((out) => out.Addresses ?? []),
		vpcIds.length
			? collect(
					call,
					(options) => paginateDescribeNatGateways({client: call.ec2}, {Filter: inVpcs}, options),
					(page) => page.NatGateways,
					'DescribeNatGateways',
				)
			: [],
		vpcIds.length
			? collect(
					call,
					(options) => paginateDescribeRouteTables({client: call.ec2}, {Filters: inVpcs}, options),
					(page) => page.RouteTables,
					'DescribeRouteTables',
				)
			: [],
		vpcIds.length
			? collect(
					call,
					(options) => paginateDescribeSecurityGroups({client: call.ec2}, {Filters: inVpcs}, options),
					(page) => page.SecurityGroups,
					'DescribeSecurityGroups',
				)
			: [],
	]);
	const knownNat = new Set(known.natGatewayIds ?? []);
	const knownAllocation = new Set(known.allocationIds ?? []);
	const knownGateway = new Set(known.internetGatewayIds ?? []);

	return {
		vpcs,
		subnets: tagged(
			subnets.filter((s) => owned(s.Tags)),
			(s) => s.SubnetId,
		).map((s) => ({
			...s.tagged,
			vpcId: s.VpcId ?? '',
			cidr: s.CidrBlock ?? '',
			az: s.AvailabilityZone ?? '',
			mapPublicIpOnLaunch: s.MapPublicIpOnLaunch ?? false,
		})),
		internetGateways: tagged(
			internetGateways.filter((g) => owned(g.Tags) || knownGateway.has(g.InternetGatewayId ?? '')),
			(g) => g.InternetGatewayId,
		).map((g) => ({...g.tagged, attachedVpcIds: (g.Attachments ?? []).map((a) => a.VpcId ?? '').filter(Boolean)})),
		addresses: tagged(
			addresses.filter((a) => owned(a.Tags) || knownAllocation.has(a.AllocationId ?? '')),
			(a) => a.AllocationId,
		).map((a) => ({...a.tagged, ...(a.AssociationId ? {associationId: a.AssociationId} : {})})),
		natGateways: tagged(
			natGateways.filter((n) => n.State !== 'deleted' && (owned(n.Tags) || knownNat.has(n.NatGatewayId ?? ''))),
			(n) => n.NatGatewayId,
		).map((n) => ({
			...n.tagged,
			vpcId: n.VpcId ?? '',
			subnetId: n.SubnetId ?? '',
			state: n.State ?? '',
			...(n.NatGatewayAddresses?.[0]?.AllocationId ? {allocationId: n.NatGatewayAddresses[0].AllocationId} : {}),
		})),
		routeTables: tagged(
			routeTables.filter((t) => owned(t.Tags)),
			(t) => t.RouteTableId,
		).map((t) => ({
			...t.tagged,
			vpcId: t.VpcId ?? '',
			routes: t.Routes ?? [],
			associations: (t.Associations ?? [])
				.filter((a) => a.SubnetId && a.RouteTableAssociationId)
				.map((a) => ({id: a.RouteTableAssociationId!, subnetId: a.SubnetId!})),
		})),
		securityGroups: tagged(
			groups.filter((g) => owned(g.Tags)),
			(g) => g.GroupId,
		).map((g) => ({...g.tagged, vpcId: g.VpcId ?? '', name: g.GroupName ?? ''})),
		otherSecurityGroups: groups
			.filter((g) => !owned(g.Tags) && g.GroupName !== 'default')
			.map((g) => ({id: g.GroupId ?? '', name: g.GroupName ?? ''})),
	};
}

async function describeVpcs(call: NetworkCall, input: {Filters?: Filter[]; VpcIds?: string[]}) {
	try {
		return (await send(call, 'EC2 DescribeVpcs', new DescribeVpcsCommand(input))).Vpcs ?? [];
	} catch (error) {
		// A known VPC that is gone is not an error: the inventory just does not list it.
		if (input.VpcIds && isGone(error)) return [];
		throw error;
	}
}

/** Every item of every page, read through the call path (`pages` gets the request options). */
function collect<Page, Item>(
	call: NetworkCall,
	pages: (options: {abortSignal: AbortSignal}) => AsyncIterable<Page>,
	items: (page: Page) => Item[] | undefined,
	action: string,
): Promise<Item[]> {
	return awsCall(call, `EC2 ${action}`, async (options) => {
		const all: Item[] = [];
		for await (const page of pages(options)) all.push(...(items(page) ?? []));
		return all;
	});
}

function uniqueById<T extends {id: string}>(items: readonly T[]): T[] {
	const seen = new Set<string>();
	return items.filter((item) => !seen.has(item.id) && seen.add(item.id));
}

/** The roles that more than one resource claims, or no desired role claims, are extras. */
export function partitionByRole<T extends TaggedResource>(
	found: readonly T[],
	desired: ReadonlySet<string>,
	preferredIds: ReadonlySet<string> = new Set(),
): {byRole: Map<string, T>; extras: T[]} {
	const byRole = new Map<string, T>();
	const extras: T[] = [];
	// Resources a stored state names win a contested role; the rest keep AWS's order.
	const ordered = [...found].sort((a, b) => Number(preferredIds.has(b.id)) - Number(preferredIds.has(a.id)));
	for (const item of ordered) {
		if (desired.has(item.component) && !byRole.has(item.component)) byRole.set(item.component, item);
		else extras.push(item);
	}
	return {byRole, extras};
}
