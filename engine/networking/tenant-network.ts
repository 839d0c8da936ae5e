/**
 * Provisioning a tenant's network from its TenantConfig, as executor operations: one operation per
 * AWS resource, so progress streams per resource and independent branches run in parallel.
 *
 * Operation graph (ensure operations; an edge means "after"):
 *   vpc
 *   ├─ subnet-{tier}-{az}…          (after vpc)
 *   ├─ igw                           (after vpc: create + attach)
 *   ├─ sg-default                    (after vpc: create, self ingress, egress)
 *   eip-nat-{az}…                    (no dependency)
 *   nat-{az}                         (after its public subnet, its Elastic IP and igw; waits available)
 *   rtb-public                       (after vpc, igw, every public subnet: route → IGW, associations)
 *   rtb-private | rtb-private-{az}   (after vpc, its private subnets, its NAT: route → NAT, associations)
 * plus one removal operation for every tagged resource the config no longer wants (see
 * network-operations.ts for their order).
 *
 * Reconciliation (re-running on an existing network):
 * - Updated in place: VPC DNS attributes, subnet MapPublicIpOnLaunch, tags (added/changed), the
 *   default routes (created, replaced or removed), route table associations (moved with
 *   ReplaceRouteTableAssociation), the default security group's ingress and egress rules.
 * - Created or deleted: subnets added to or removed from the config, the internet gateway
 *   (enabled ↔ disabled), NAT gateways with their Elastic IPs (enabled ↔ disabled, single ↔ per-az:
 *   `nat-{az}` of the first public subnet is kept), private route tables (single ↔ per-az).
 * - Refused with ReplaceRequired before any operation runs (the run changes nothing): a new VPC
 *   CIDR, a subnet whose CIDR or AZ changed under the same role, a renamed default security group
 *   (see refuseInPlaceChanges).
 *
 * Invariants:
 * - Idempotent: what exists is found by tags (`panka:tenant` + `panka:component`) before the
 *   operations are built, and each ensure adopts it; on a network that matches the config, a run
 *   makes no mutating call and every result is `adopted`.
 * - Crash-safe: every create carries its tags atomically (TagSpecifications), so a run stopped at any
 *   point, even between a create and its answer, is finished by the next run without duplicates.
 * - The state is returned, never stored here; `onResource` reports it after every change so the
 *   caller can checkpoint.
 */
import {randomUUID} from 'node:crypto';
import type {TenantConfig} from '../model/tenant-config.js';
import {defaultWait, ProviderError} from '../providers/provider.js';
import {ec2Of} from './ec2-calls.js';
import {discoverTenantNetwork, type NetworkInventory, partitionByRole, type TaggedResource} from './network-inventory.js';
import {
	clientToken,
	ensureElasticIp,
	ensureInternetGateway,
	ensureNatGateway,
	ensureRouteTable,
	ensureSubnet,
	ensureVpc,
	type RouteTarget,
} from './network-resources.js';
import {
	foundResources,
	type NetworkOperation,
	type NetworkOperationOptions,
	NetworkOperationScope,
	type NetworkRunOptions,
	networkOperation,
	removalOperations,
	runNetworkOperations,
} from './network-operations.js';
import {allTrafficFrom, ensureSecurityGroup, expandRule, reconcileRules} from './security-groups.js';
import {
	componentTags,
	layoutComponents,
	type NatGatewayLayout,
	type RouteTableLayout,
	type SubnetLayout,
	type TenantNetworkLayout,
	tenantNetworkLayout,
} from './tenant-network-layout.js';
import {NetworkRecordBook, type PartialTenantNetworkState, stateIds, type TenantNetworkState} from './tenant-network-state.js';

export interface TenantNetworkOptions extends NetworkOperationOptions {
	/** The state stored by the last run: its IDs win when tags find two resources for one role. */
	previous?: TenantNetworkState;
	/**
	 * Seeds the idempotency tokens (ClientToken). Pass the same value when resuming a crashed run
	 * (e.g. the pending operation's ID); a fresh one is generated otherwise.
	 */
	token?: string;
}

export interface TenantNetworkOperations {
	operations: NetworkOperation[];
	/** The network as far as the operations got: complete once all of them are done. */
	snapshot(): PartialTenantNetworkState;
	/** The finished state; throws when the VPC or the default security group is missing. */
	state(): TenantNetworkState;
}

const ensureEstimateMs = {vpc: 2_000, subnet: 1_000, igw: 2_000, eip: 500, nat: 90_000, routeTable: 1_500, securityGroup: 1_500};

/** Find what exists, then build the operations that make the tenant's network match `config`. */
export async function tenantNetworkOperations(config: TenantConfig, options: TenantNetworkOptions): Promise<TenantNetworkOperations> {
	const layout = tenantNetworkLayout(config);
	const wait = options.wait ?? defaultWait;
	const inventory = await discoverTenantNetwork(
		{ec2: ec2Of(options.clients), signal: options.signal ?? new AbortController().signal, progress: () => {}, wait},
		layout.tenant,
		options.previous ? stateIds(options.previous) : {},
	);
	const book = new NetworkRecordBook(layout.tenant, layoutComponents(layout));
	const scope = new NetworkOperationScope(options, book);
	const claimed = claimResources(layout, inventory, options.previous);
	refuseInPlaceChanges(layout, claimed.kept);
	const extras = foundResources(claimed.extras, (type, component, id) => `${component || type}@${id}`);
	for (const resource of [...foundResources(claimed.kept, (_type, component) => component), ...extras])
		book.set(resource.key, resource.record);

	const ensures = ensureOperations(layout, scope, claimed.kept, options.token ?? randomUUID());
	const keptRouteTables = layout.routeTables.map((table) => table.component);
	return {
		operations: [...ensures, ...removalOperations(scope, extras, keptRouteTables)],
		snapshot: () => book.snapshot(),
		state: () => book.complete(),
	};
}

/** Provision (or reconcile) the tenant's network and return its state; throws when any operation failed. */
export async function provisionTenantNetwork(
	config: TenantConfig,
	options: TenantNetworkOptions & NetworkRunOptions,
): Promise<TenantNetworkState> {
	const planned = await tenantNetworkOperations(config, options);
	await runNetworkOperations(planned.operations, options, `tenant ${config.metadata.name} networking`);
	return planned.state();
}

/**
 * Split what was found into the resource each desired role adopts (`kept`, at most one per role,
 * in the tenant VPC) and everything else (`extras`: duplicates, roles the config no longer has,
 * resources in another tagged VPC), which is removed.
 */
function claimResources(
	layout: TenantNetworkLayout,
	inventory: NetworkInventory,
	previous: TenantNetworkState | undefined,
): {kept: NetworkInventory; extras: NetworkInventory} {
	const preferred = new Set(previous ? Object.values(stateIds(previous)).flat() : []);
	const vpcs = partitionByRole(inventory.vpcs, new Set([layout.vpc.component]), preferred);
	const vpcId = vpcs.byRole.get(layout.vpc.component)?.id;
	const claim = <T extends TaggedResource>(items: readonly T[], roles: readonly string[], inVpc: (item: T) => boolean = () => true) => {
		const {byRole, extras} = partitionByRole(
			items.filter((item) => inVpc(item)),
			new Set(roles),
			preferred,
		);
		return {kept: [...byRole.values()], extras: [...extras, ...items.filter((item) => !inVpc(item))]};
	};
	const inTenantVpc = (item: {vpcId: string}) => item.vpcId === vpcId;
	const subnets = claim(
		inventory.subnets,
		layout.subnets.map((s) => s.component),
		inTenantVpc,
	);
	const gateways = claim(inventory.internetGateways, layout.internetGateway ? [layout.internetGateway.component] : []);
	const addresses = claim(
		inventory.addresses,
		layout.natGateways.map((n) => n.addressComponent),
	);
	// NAT gateways being deleted or failed are never adopted; they are on their way out.
	const usable = inventory.natGateways.filter((n) => n.state === 'pending' || n.state === 'available');
	const natGateways = claim(
		usable,
		layout.natGateways.map((n) => n.component),
		inTenantVpc,
	);
	const routeTables = claim(
		inventory.routeTables,
		layout.routeTables.map((t) => t.component),
		inTenantVpc,
	);
	const securityGroups = claim(inventory.securityGroups, [layout.defaultSecurityGroup.component], inTenantVpc);
	return {
		kept: {
			vpcs: [...vpcs.byRole.values()],
			subnets: subnets.kept,
			internetGateways: gateways.kept,
			addresses: addresses.kept,
			natGateways: natGateways.kept,
			routeTables: routeTables.kept,
			securityGroups: securityGroups.kept,
			otherSecurityGroups: [],
		},
		extras: {
			vpcs: vpcs.extras,
			subnets: subnets.extras,
			internetGateways: gateways.extras,
			addresses: addresses.extras,
			natGateways: natGateways.extras,
			routeTables: routeTables.extras,
			securityGroups: securityGroups.extras,
			otherSecurityGroups: [],
		},
	};
}

/**
 * What AWS cannot change in place, refused before any operation runs, so a refused run changes
 * nothing at all: a VPC's CIDR, a subnet's CIDR or AZ under the same role, the default security
 * group's name, a NAT gateway no longer in its subnet or on its Elastic IP, an internet gateway
 * attached to another VPC.
 */
function refuseInPlaceChanges(layout: TenantNetworkLayout, kept: NetworkInventory): void {
	const problems: string[] = [];
	const differs = (what: string, actual: string, desired: string) => {
		if (actual !== desired) problems.push(`${what} is ${actual} in AWS but ${desired} in the config`);
	};
	const vpc = kept.vpcs[0];
	if (vpc) differs(`VPC ${vpc.id} CIDR`, vpc.cidr, layout.vpc.cidr);
	const subnetOf = (component: string) => kept.subnets.find((s) => s.component === component);
	for (const subnet of layout.subnets) {
		const found = subnetOf(subnet.component);
		if (!found) continue;
		differs(`subnet ${found.id} (${subnet.component}) CIDR`, found.cidr, subnet.cidr);
		differs(`subnet ${found.id} (${subnet.component}) availability zone`, found.az, subnet.az);
	}
	const group = kept.securityGroups[0];
	if (group) differs(`security group ${group.id} (${group.component}) name`, group.name, layout.defaultSecurityGroup.name);
	for (const nat of layout.natGateways) {
		const found = kept.natGateways.find((n) => n.component === nat.component);
		const subnet = subnetOf(nat.subnetComponent);
		const address = kept.addresses.find((a) => a.component === nat.addressComponent);
		if (found) differs(`NAT gateway ${found.id} (${nat.component}) subnet`, found.subnetId, subnet?.id ?? `a new ${nat.subnetComponent}`);
		if (found?.allocationId)
			differs(`NAT gateway ${found.id} (${nat.component}) Elastic IP`, found.allocationId, address?.id ?? `a new ${nat.addressComponent}`);
	}
	for (const gateway of kept.internetGateways)
		for (const attached of gateway.attachedVpcIds)
			if (attached !== vpc?.id) problems.push(`internet gateway ${gateway.id} is attached to ${attached}, not to the tenant VPC`);
	if (problems.length > 0)
		throw new ProviderError(
			`tenant ${layout.tenant} networking: ${problems.join('; ')}: this cannot change in place; remove it from the config, apply, then add the new one`,
			'ReplaceRequired',
		);
}

function ensureOperations(
	layout: TenantNetworkLayout,
	scope: NetworkOperationScope,
	kept: NetworkInventory,
	tokenSeed: string,
): NetworkOperation[] {
	const from: EnsureSources = {layout, scope, kept, tokenSeed};
	return [
		ensureVpcOperation(from),
		...layout.subnets.map((subnet) => ensureSubnetOperation(from, subnet)),
		...(layout.internetGateway ? [ensureInternetGatewayOperation(from, layout.internetGateway)] : []),
		...layout.natGateways.flatMap((nat) => ensureNatOperations(from, nat)),
		...layout.routeTables.map((table) => ensureRouteTableOperation(from, table)),
		ensureDefaultSecurityGroupOperation(from),
	];
}

/** What each ensure operation is built from: the layout, the run's scope, what was found to keep, the seed of its client tokens. */
interface EnsureSources {
	layout: TenantNetworkLayout;
	scope: NetworkOperationScope;
	kept: NetworkInventory;
	tokenSeed: string;
}

/** The found resource playing `component`'s role, to adopt. */
function keptFor<T extends TaggedResource>(items: readonly T[], component: string): T | undefined {
	return items.find((item) => item.component === component);
}

/** The VPC's id, once its operation has recorded it. */
function recordedVpcId({layout, scope}: EnsureSources): string {
	return scope.book.require(layout.vpc.component, 'vpc').id;
}

function ensureVpcOperation(from: EnsureSources): NetworkOperation {
	const {layout, scope, kept} = from;
	const {vpc} = layout;
	return networkOperation(vpc.component, [], ensureEstimateMs.vpc, async (context) => {
		const ensured = await ensureVpc(
			scope.call(context),
			{cidr: vpc.cidr, dnsSupport: vpc.dnsSupport, dnsHostnames: vpc.dnsHostnames, tags: componentTags(layout, vpc.component)},
			keptFor(kept.vpcs, vpc.component),
		);
		return scope.done(vpc.component, {type: 'vpc', component: vpc.component, id: ensured.id}, {component: vpc.component, ...ensured});
	});
}

function ensureSubnetOperation(from: EnsureSources, subnet: SubnetLayout): NetworkOperation {
	const {layout, scope, kept} = from;
	return networkOperation(subnet.component, [layout.vpc.component], ensureEstimateMs.subnet, async (context) => {
		const ensured = await ensureSubnet(
			scope.call(context),
			{
				vpcId: recordedVpcId(from),
				cidr: subnet.cidr,
				az: subnet.az,
				mapPublicIpOnLaunch: subnet.tier === 'public',
				tags: componentTags(layout, subnet.component),
			},
			keptFor(kept.subnets, subnet.component),
		);
		const record = {
			type: 'subnet' as const,
			component: subnet.component,
			id: ensured.id,
			tier: subnet.tier,
			cidr: subnet.cidr,
			az: subnet.az,
		};
		return scope.done(subnet.component, record, {component: subnet.component, ...ensured});
	});
}

function ensureInternetGatewayOperation(from: EnsureSources, gateway: {component: string}): NetworkOperation {
	const {layout, scope, kept} = from;
	return networkOperation(gateway.component, [layout.vpc.component], ensureEstimateMs.igw, async (context) => {
		const ensured = await ensureInternetGateway(
			scope.call(context),
			recordedVpcId(from),
			componentTags(layout, gateway.component),
			keptFor(kept.internetGateways, gateway.component),
		);
		return scope.done(
			gateway.component,
			{type: 'internet-gateway', component: gateway.component, id: ensured.id},
			{component: gateway.component, ...ensured},
		);
	});
}

/** A NAT gateway's elastic IP, and the gateway itself once its subnet, its address and the internet gateway exist. */
function ensureNatOperations({layout, scope, kept, tokenSeed}: EnsureSources, nat: NatGatewayLayout): NetworkOperation[] {
	const {book} = scope;
	const gateway = layout.internetGateway;
	const address = networkOperation(nat.addressComponent, [], ensureEstimateMs.eip, async (context) => {
		const ensured = await ensureElasticIp(
			scope.call(context),
			componentTags(layout, nat.addressComponent),
			keptFor(kept.addresses, nat.addressComponent),
		);
		return scope.done(
			nat.addressComponent,
			{type: 'elastic-ip', component: nat.addressComponent, id: ensured.id},
			{component: nat.addressComponent, ...ensured},
		);
	});
	const natGateway = networkOperation(
		nat.component,
		[nat.subnetComponent, nat.addressComponent, ...(gateway ? [gateway.component] : [])],
		ensureEstimateMs.nat,
		async (context) => {
			const subnetId = book.require(nat.subnetComponent, 'subnet').id;
			const allocationId = book.require(nat.addressComponent, 'elastic-ip').id;
			const ensured = await ensureNatGateway(
				scope.call(context),
				{
					subnetId,
					allocationId,
					tags: componentTags(layout, nat.component),
					clientToken: clientToken(tokenSeed, nat.component, subnetId, allocationId),
				},
				keptFor(kept.natGateways, nat.component),
			);
			return scope.done(
				nat.component,
				{type: 'nat-gateway', component: nat.component, id: ensured.id, az: nat.az, allocationId},
				{component: nat.component, ...ensured},
			);
		},
	);
	return [address, natGateway];
}

/** A route table with its subnets and default route, once the VPC, the subnets and the route's target exist. */
function ensureRouteTableOperation(from: EnsureSources, table: RouteTableLayout): NetworkOperation {
	const {layout, scope, kept, tokenSeed} = from;
	const {book} = scope;
	const gateway = layout.internetGateway;
	const route = table.defaultRoute;
	const routeDependency = !route ? [] : route.target === 'internet-gateway' ? (gateway ? [gateway.component] : []) : [route.natComponent];
	return networkOperation(
		table.component,
		[layout.vpc.component, ...table.subnetComponents, ...routeDependency],
		ensureEstimateMs.routeTable,
		async (context) => {
			const target: RouteTarget | undefined = !route
				? undefined
				: route.target === 'internet-gateway'
					? {gatewayId: book.require('igw', 'internet-gateway').id}
					: {natGatewayId: book.require(route.natComponent, 'nat-gateway').id};
			const ensured = await ensureRouteTable(
				scope.call(context),
				{
					vpcId: recordedVpcId(from),
					...(target ? {defaultRoute: target} : {}),
					subnetIds: table.subnetComponents.map((component) => book.require(component, 'subnet').id),
					tags: componentTags(layout, table.component),
					clientToken: clientToken(tokenSeed, table.component, recordedVpcId(from)),
				},
				keptFor(kept.routeTables, table.component),
			);
			const record = {
				type: 'route-table' as const,
				component: table.component,
				id: ensured.id,
				tier: table.tier,
				...(table.az ? {az: table.az} : {}),
				associations: ensured.associations,
			};
			return scope.done(table.component, record, {component: table.component, id: ensured.id, action: ensured.action});
		},
	);
}

/** The tenant's default security group and its rules (itself in, the config's egress out). */
function ensureDefaultSecurityGroupOperation(from: EnsureSources): NetworkOperation {
	const {layout, scope, kept} = from;
	const group = layout.defaultSecurityGroup;
	return networkOperation(group.component, [layout.vpc.component], ensureEstimateMs.securityGroup, async (context) => {
		const call = scope.call(context);
		const found = keptFor(kept.securityGroups, group.component);
		const ensured = await ensureSecurityGroup(
			call,
			{
				name: group.name,
				description: group.description,
				vpcId: recordedVpcId(from),
				tags: componentTags(layout, group.component, group.name),
			},
			found ? {id: found.id, name: found.name, vpcId: found.vpcId, tags: found.tags} : undefined,
		);
		const rulesChanged = await reconcileRules(call, ensured.id, {
			ingress: group.allowSelf ? [allTrafficFrom(ensured.id)] : [],
			egress: group.egress.flatMap((rule) => expandRule(rule, 'egress', ensured.id)),
		});
		const action = ensured.action === 'adopted' && rulesChanged ? 'updated' : ensured.action;
		return scope.done(
			group.component,
			{type: 'security-group', component: group.component, id: ensured.id},
			{component: group.component, id: ensured.id, action},
		);
	});
}
