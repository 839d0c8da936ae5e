/**
 * One function per AWS networking resource and action: ensure (create, or adopt what tags found and
 * bring its settings to the layout) and delete. The operation graphs in tenant-network.ts and
 * tenant-network-teardown.ts call these; each is one executor operation.
 *
 * Invariants:
 * - Every create carries its tags in TagSpecifications (atomic with the create), so a resource whose
 *   create answer was lost is found by tags on the next run; CreateNatGateway and CreateRouteTable
 *   also carry a ClientToken (CreateVpc, CreateSubnet, CreateInternetGateway, AllocateAddress and
 *   CreateSecurityGroup take none).
 * - Ensure on something already right makes no mutating call (re-running provisioning is a no-op).
 * - `found` is what tags found for the role, already checked to be compatible (tenant-network.ts
 *   refuses what cannot change in place before any operation runs).
 * - Deletes describe the resource live, undo its attachments first (route table associations
 *   before the table, IGW detached before deleted, NAT deleted and waited before anything that
 *   needs it gone), and treat "already gone" as success.
 */
import {createHash} from 'node:crypto';
import {
	AllocateAddressCommand,
	AssociateRouteTableCommand,
	AttachInternetGatewayCommand,
	CreateInternetGatewayCommand,
	CreateNatGatewayCommand,
	CreateRouteCommand,
	CreateRouteTableCommand,
	CreateSubnetCommand,
	CreateVpcCommand,
	DeleteInternetGatewayCommand,
	DeleteNatGatewayCommand,
	DeleteRouteCommand,
	DeleteRouteTableCommand,
	DeleteSubnetCommand,
	DeleteVpcCommand,
	DescribeInternetGatewaysCommand,
	DescribeNatGatewaysCommand,
	DescribeRouteTablesCommand,
	DescribeVpcAttributeCommand,
	DetachInternetGatewayCommand,
	DisassociateRouteTableCommand,
	ModifySubnetAttributeCommand,
	ModifyVpcAttributeCommand,
	ReleaseAddressCommand,
	ReplaceRouteCommand,
	ReplaceRouteTableAssociationCommand,
	type Route,
	waitUntilNatGatewayAvailable,
	waitUntilNatGatewayDeleted,
} from '@aws-sdk/client-ec2';
import {awsCall} from '../aws/call.js';
import {ProviderError} from '../providers/provider.js';
import {
	deleteIfPresent,
	isGone,
	type NetworkCall,
	retryWhileDependent,
	send,
	syncTags,
	tagSpecifications,
	waiterSettings,
} from './ec2-calls.js';
import type {FoundAddress, FoundInternetGateway, FoundNatGateway, FoundRouteTable, FoundSubnet, FoundVpc} from './network-inventory.js';
import type {ChangeAction} from './security-groups.js';
import type {RouteTableAssociationState} from './tenant-network-state.js';

export const anywhere = '0.0.0.0/0';

export interface Ensured {
	id: string;
	action: ChangeAction;
}

type Tags = Readonly<Record<string, string>>;

/** An idempotency token: the same for the same seed and parts (≤ 64 ASCII characters, as EC2 wants). */
export function clientToken(seed: string, ...parts: string[]): string {
	return createHash('sha256')
		.update([seed, ...parts].join('\u0000'))
		.digest('hex')
		.slice(0, 40);
}

/** Adopted: 'adopted' when nothing had to change, else 'updated'. */
function adoptedAction(changed: boolean): ChangeAction {
	return changed ? 'updated' : 'adopted';
}

// ── VPC ──────────────────────────────────────────────────────────────────────────────────────────

export interface VpcSpec {
	cidr: string;
	dnsSupport: boolean;
	dnsHostnames: boolean;
	tags: Tags;
}

export async function ensureVpc(call: NetworkCall, spec: VpcSpec, found?: FoundVpc): Promise<Ensured> {
	if (found) {
		const dnsChanged = await setDnsAttributes(call, found.id, spec, await dnsAttributes(call, found.id));
		const retagged = await syncTags(call, found.id, found.tags, spec.tags);
		return {id: found.id, action: adoptedAction(dnsChanged || retagged)};
	}
	call.progress(`creating VPC ${spec.cidr}`);
	const {Vpc} = await send(
		call,
		`EC2 CreateVpc ${spec.cidr}`,
		new CreateVpcCommand({CidrBlock: spec.cidr, TagSpecifications: tagSpecifications('vpc', spec.tags)}),
	);
	if (!Vpc?.VpcId) throw new ProviderError(`EC2 CreateVpc ${spec.cidr}: no VPC ID returned`);
	await setDnsAttributes(call, Vpc.VpcId, spec);
	return {id: Vpc.VpcId, action: 'created'};
}

async function dnsAttributes(call: NetworkCall, vpcId: string): Promise<{dnsSupport: boolean; dnsHostnames: boolean}> {
	const [support, hostnames] = await Promise.all([
		send(call, `EC2 DescribeVpcAttribute ${vpcId}`, new DescribeVpcAttributeCommand({VpcId: vpcId, Attribute: 'enableDnsSupport'})),
		send(call, `EC2 DescribeVpcAttribute ${vpcId}`, new DescribeVpcAttributeCommand({VpcId: vpcId, Attribute: 'enableDnsHostnames'})),
	]);
	return {dnsSupport: support.EnableDnsSupport?.Value ?? true, dnsHostnames: hostnames.EnableDnsHostnames?.Value ?? false};
}

/**
 * One ModifyVpcAttribute per attribute (AWS takes one per call), in the order AWS accepts: DNS
 * support on before hostnames on, hostnames off before support off. Without `current`, both are set.
 */
async function setDnsAttributes(
	call: NetworkCall,
	vpcId: string,
	spec: VpcSpec,
	current?: {dnsSupport: boolean; dnsHostnames: boolean},
): Promise<boolean> {
	const modify = (input: {EnableDnsSupport?: {Value: boolean}; EnableDnsHostnames?: {Value: boolean}}) =>
		send(call, `EC2 ModifyVpcAttribute ${vpcId}`, new ModifyVpcAttributeCommand({VpcId: vpcId, ...input}));
	let changed = false;
	if (spec.dnsSupport && current?.dnsSupport !== true) {
		await modify({EnableDnsSupport: {Value: true}});
		changed = true;
	}
	if (current?.dnsHostnames !== spec.dnsHostnames) {
		await modify({EnableDnsHostnames: {Value: spec.dnsHostnames}});
		changed = true;
	}
	if (!spec.dnsSupport && current?.dnsSupport !== false) {
		await modify({EnableDnsSupport: {Value: false}});
		changed = true;
	}
	return changed;
}

export async function deleteVpc(call: NetworkCall, vpcId: string): Promise<void> {
	call.progress(`deleting VPC ${vpcId}`);
	await retryWhileDependent(call, `the last dependencies of ${vpcId} to go`, () =>
		deleteIfPresent(() => send(call, `EC2 DeleteVpc ${vpcId}`, new DeleteVpcCommand({VpcId: vpcId}))),
	);
}

// ── Subnets ──────────────────────────────────────────────────────────────────────────────────────

export interface SubnetSpec {
	vpcId: string;
	cidr: string;
	az: string;
	mapPublicIpOnLaunch: boolean;
	tags: Tags;
}

export async function ensureSubnet(call: NetworkCall, spec: SubnetSpec, found?: FoundSubnet): Promise<Ensured> {
	let id: string;
	let changed = false;
	if (found) {
		id = found.id;
		changed = await syncTags(call, id, found.tags, spec.tags);
	} else {
		call.progress(`creating subnet ${spec.cidr} in ${spec.az}`);
		const {Subnet} = await send(
			call,
			`EC2 CreateSubnet ${spec.cidr}`,
			new CreateSubnetCommand({
				VpcId: spec.vpcId,
				CidrBlock: spec.cidr,
				AvailabilityZone: spec.az,
				TagSpecifications: tagSpecifications('subnet', spec.tags),
			}),
		);
		if (!Subnet?.SubnetId) throw new ProviderError(`EC2 CreateSubnet ${spec.cidr}: no subnet ID returned`);
		id = Subnet.SubnetId;
	}
	// A new subnet does not map public IPs.
	if ((found?.mapPublicIpOnLaunch ?? false) !== spec.mapPublicIpOnLaunch) {
		await send(
			call,
			`EC2 ModifySubnetAttribute ${id}`,
			new ModifySubnetAttributeCommand({SubnetId: id, MapPublicIpOnLaunch: {Value: spec.mapPublicIpOnLaunch}}),
		);
		changed = true;
	}
	return {id, action: found ? adoptedAction(changed) : 'created'};
}

export async function deleteSubnet(call: NetworkCall, subnetId: string): Promise<void> {
	call.progress(`deleting subnet ${subnetId}`);
	await retryWhileDependent(call, `network interfaces in ${subnetId} to be released`, () =>
		deleteIfPresent(() => send(call, `EC2 DeleteSubnet ${subnetId}`, new DeleteSubnetCommand({SubnetId: subnetId}))),
	);
}

// ── Internet gateway ─────────────────────────────────────────────────────────────────────────────

export async function ensureInternetGateway(call: NetworkCall, vpcId: string, tags: Tags, found?: FoundInternetGateway): Promise<Ensured> {
	let id = found?.id;
	let changed = false;
	if (found) changed = await syncTags(call, found.id, found.tags, tags);
	else {
		call.progress('creating internet gateway');
		const {InternetGateway} = await send(
			call,
			'EC2 CreateInternetGateway',
			new CreateInternetGatewayCommand({TagSpecifications: tagSpecifications('internet-gateway', tags)}),
		);
		id = InternetGateway?.InternetGatewayId;
		if (!id) throw new ProviderError('EC2 CreateInternetGateway: no gateway ID returned');
	}
	if (!found?.attachedVpcIds.includes(vpcId)) {
		call.progress(`attaching internet gateway ${id} to ${vpcId}`);
		await send(call, `EC2 AttachInternetGateway ${id}`, new AttachInternetGatewayCommand({InternetGatewayId: id, VpcId: vpcId}));
		changed = true;
	}
	return {id: id!, action: found ? adoptedAction(changed) : 'created'};
}

/** Detach from every VPC (live), then delete. */
export async function deleteInternetGateway(call: NetworkCall, gatewayId: string): Promise<void> {
	let attachments: string[];
	try {
		const {InternetGateways = []} = await send(
			call,
			`EC2 DescribeInternetGateways ${gatewayId}`,
			new DescribeInternetGatewaysCommand({InternetGatewayIds: [gatewayId]}),
		);
		attachments = (InternetGateways[0]?.Attachments ?? []).map((a) => a.VpcId ?? '').filter(Boolean);
	} catch (error) {
		if (isGone(error)) return;
		throw error;
	}
	for (const vpcId of attachments) {
		call.progress(`detaching internet gateway ${gatewayId} from ${vpcId}`);
		await retryWhileDependent(call, `public addresses in ${vpcId} to be unmapped`, () =>
			deleteIfPresent(() =>
				send(
					call,
					`EC2 DetachInternetGateway ${gatewayId}`,
					new DetachInternetGatewayCommand({InternetGatewayId: gatewayId, VpcId: vpcId}),
				),
			),
		);
	}
	call.progress(`deleting internet gateway ${gatewayId}`);
	await deleteIfPresent(() =>
		send(call, `EC2 DeleteInternetGateway ${gatewayId}`, new DeleteInternetGatewayCommand({InternetGatewayId: gatewayId})),
	);
}

// ── Elastic IPs ──────────────────────────────────────────────────────────────────────────────────

export async function ensureElasticIp(call: NetworkCall, tags: Tags, found?: FoundAddress): Promise<Ensured> {
	if (found) return {id: found.id, action: adoptedAction(await syncTags(call, found.id, found.tags, tags))};
	call.progress('allocating Elastic IP');
	const {AllocationId} = await send(
		call,
		'EC2 AllocateAddress',
		new AllocateAddressCommand({Domain: 'vpc', TagSpecifications: tagSpecifications('elastic-ip', tags)}),
	);
	if (!AllocationId) throw new ProviderError('EC2 AllocateAddress: no allocation ID returned');
	return {id: AllocationId, action: 'created'};
}

export async function releaseElasticIp(call: NetworkCall, allocationId: string): Promise<void> {
	call.progress(`releasing Elastic IP ${allocationId}`);
	await deleteIfPresent(() => send(call, `EC2 ReleaseAddress ${allocationId}`, new ReleaseAddressCommand({AllocationId: allocationId})));
}

// ── NAT gateways ─────────────────────────────────────────────────────────────────────────────────

export interface NatGatewaySpec {
	subnetId: string;
	allocationId: string;
	tags: Tags;
	clientToken: string;
}

export async function ensureNatGateway(call: NetworkCall, spec: NatGatewaySpec, found?: FoundNatGateway): Promise<Ensured> {
	let id: string;
	let changed = false;
	if (found) {
		id = found.id;
		changed = await syncTags(call, id, found.tags, spec.tags);
		if (found.state === 'available') return {id, action: adoptedAction(changed)};
	} else {
		call.progress(`creating NAT gateway in ${spec.subnetId}`);
		const {NatGateway} = await send(
			call,
			`EC2 CreateNatGateway ${spec.subnetId}`,
			new CreateNatGatewayCommand({
				SubnetId: spec.subnetId,
				AllocationId: spec.allocationId,
				ClientToken: spec.clientToken,
				TagSpecifications: tagSpecifications('natgateway', spec.tags),
			}),
		);
		if (!NatGateway?.NatGatewayId) throw new ProviderError(`EC2 CreateNatGateway ${spec.subnetId}: no NAT gateway ID returned`);
		id = NatGateway.NatGatewayId;
	}
	call.progress(`waiting for NAT gateway ${id} available`);
	await awsCall(call, `waiting for NAT gateway ${id} available`, () =>
		waitUntilNatGatewayAvailable(waiterSettings(call), {NatGatewayIds: [id]}),
	);
	return {id, action: found ? adoptedAction(changed) : 'created'};
}

/** Delete the NAT gateway and wait until AWS says deleted (its Elastic IP is only free then). */
export async function deleteNatGateway(call: NetworkCall, natGatewayId: string): Promise<void> {
	let state: string | undefined;
	try {
		const {NatGateways = []} = await send(
			call,
			`EC2 DescribeNatGateways ${natGatewayId}`,
			new DescribeNatGatewaysCommand({NatGatewayIds: [natGatewayId]}),
		);
		state = NatGateways.find((n) => n.NatGatewayId === natGatewayId)?.State;
	} catch (error) {
		if (isGone(error)) return;
		throw error;
	}
	if (state === undefined || state === 'deleted') return;
	if (state !== 'deleting') {
		call.progress(`deleting NAT gateway ${natGatewayId}`);
		await deleteIfPresent(() =>
			send(call, `EC2 DeleteNatGateway ${natGatewayId}`, new DeleteNatGatewayCommand({NatGatewayId: natGatewayId})),
		);
	}
	call.progress(`waiting for NAT gateway ${natGatewayId} deleted`);
	await awsCall(call, `waiting for NAT gateway ${natGatewayId} deleted`, () =>
		waitUntilNatGatewayDeleted(waiterSettings(call), {NatGatewayIds: [natGatewayId]}),
	);
}

// ── Route tables ─────────────────────────────────────────────────────────────────────────────────

export type RouteTarget = {gatewayId: string} | {natGatewayId: string};

export interface RouteTableSpec {
	vpcId: string;
	/** 0.0.0.0/0 → this; absent: no default route (one that exists is removed). */
	defaultRoute?: RouteTarget;
	subnetIds: readonly string[];
	tags: Tags;
	clientToken: string;
}

export async function ensureRouteTable(
	call: NetworkCall,
	spec: RouteTableSpec,
	found?: FoundRouteTable,
): Promise<Ensured & {associations: RouteTableAssociationState[]}> {
	let id: string;
	let changed = false;
	if (found) {
		id = found.id;
		changed = await syncTags(call, id, found.tags, spec.tags);
	} else {
		call.progress('creating route table');
		const {RouteTable} = await send(
			call,
			`EC2 CreateRouteTable ${spec.vpcId}`,
			new CreateRouteTableCommand({
				VpcId: spec.vpcId,
				ClientToken: spec.clientToken,
				TagSpecifications: tagSpecifications('route-table', spec.tags),
			}),
		);
		if (!RouteTable?.RouteTableId) throw new ProviderError(`EC2 CreateRouteTable ${spec.vpcId}: no route table ID returned`);
		id = RouteTable.RouteTableId;
	}
	changed = (await reconcileDefaultRoute(call, id, found?.routes ?? [], spec.defaultRoute)) || changed;
	const associations = await reconcileAssociations(call, id, found?.associations ?? [], spec.subnetIds);
	changed ||= associations.changed;
	return {id, action: found ? adoptedAction(changed) : 'created', associations: associations.current};
}

function routeMatches(route: Route, target: RouteTarget): boolean {
	if (route.State === 'blackhole') return false;
	return 'gatewayId' in target ? route.GatewayId === target.gatewayId : route.NatGatewayId === target.natGatewayId;
}

async function reconcileDefaultRoute(
	call: NetworkCall,
	routeTableId: string,
	routes: readonly Route[],
	target: RouteTarget | undefined,
): Promise<boolean> {
	const current = routes.find((route) => route.DestinationCidrBlock === anywhere);
	if (!target) {
		if (!current) return false;
		call.progress(`removing the default route of ${routeTableId}`);
		await deleteIfPresent(() =>
			send(call, `EC2 DeleteRoute ${routeTableId}`, new DeleteRouteCommand({RouteTableId: routeTableId, DestinationCidrBlock: anywhere})),
		);
		return true;
	}
	if (current && routeMatches(current, target)) return false;
	const input = {
		RouteTableId: routeTableId,
		DestinationCidrBlock: anywhere,
		...('gatewayId' in target ? {GatewayId: target.gatewayId} : {NatGatewayId: target.natGatewayId}),
	};
	const to = 'gatewayId' in target ? target.gatewayId : target.natGatewayId;
	call.progress(`routing ${anywhere} of ${routeTableId} to ${to}`);
	if (current) await send(call, `EC2 ReplaceRoute ${routeTableId}`, new ReplaceRouteCommand(input));
	else await send(call, `EC2 CreateRoute ${routeTableId}`, new CreateRouteCommand(input));
	return true;
}

/**
 * Associate exactly `subnetIds`: a subnet associated with another table is moved with
 * ReplaceRouteTableAssociation (AWS refuses a second association), and associations of subnets not
 * listed are removed.
 */
async function reconcileAssociations(
	call: NetworkCall,
	routeTableId: string,
	existing: readonly RouteTableAssociationState[],
	subnetIds: readonly string[],
): Promise<{current: RouteTableAssociationState[]; changed: boolean}> {
	const current = existing.filter((association) => subnetIds.includes(association.subnetId));
	let changed = false;
	for (const association of existing.filter((a) => !subnetIds.includes(a.subnetId))) {
		call.progress(`disassociating ${association.subnetId} from ${routeTableId}`);
		await deleteIfPresent(() =>
			send(call, `EC2 DisassociateRouteTable ${association.id}`, new DisassociateRouteTableCommand({AssociationId: association.id})),
		);
		changed = true;
	}
	for (const subnetId of subnetIds) {
		if (current.some((association) => association.subnetId === subnetId)) continue;
		const elsewhere = await associationOf(call, subnetId);
		call.progress(`associating ${subnetId} with ${routeTableId}`);
		if (elsewhere && elsewhere.routeTableId !== routeTableId) {
			const {NewAssociationId} = await send(
				call,
				`EC2 ReplaceRouteTableAssociation ${elsewhere.associationId}`,
				new ReplaceRouteTableAssociationCommand({AssociationId: elsewhere.associationId, RouteTableId: routeTableId}),
			);
			current.push({id: NewAssociationId ?? '', subnetId});
		} else if (elsewhere) {
			current.push({id: elsewhere.associationId, subnetId});
		} else {
			const {AssociationId} = await send(
				call,
				`EC2 AssociateRouteTable ${routeTableId}`,
				new AssociateRouteTableCommand({RouteTableId: routeTableId, SubnetId: subnetId}),
			);
			current.push({id: AssociationId ?? '', subnetId});
		}
		changed = true;
	}
	return {current: subnetIds.map((subnetId) => current.find((a) => a.subnetId === subnetId)!), changed};
}

/** The explicit route table association a subnet has now, if any. */
async function associationOf(call: NetworkCall, subnetId: string): Promise<{associationId: string; routeTableId: string} | undefined> {
	const {RouteTables = []} = await send(
		call,
		`EC2 DescribeRouteTables ${subnetId}`,
		new DescribeRouteTablesCommand({Filters: [{Name: 'association.subnet-id', Values: [subnetId]}]}),
	);
	for (const table of RouteTables)
		for (const association of table.Associations ?? [])
			if (association.SubnetId === subnetId && association.RouteTableAssociationId && table.RouteTableId)
				return {associationId: association.RouteTableAssociationId, routeTableId: table.RouteTableId};
	return undefined;
}

/** Remove every subnet association (live), then delete the table. */
export async function deleteRouteTable(call: NetworkCall, routeTableId: string): Promise<void> {
	let associations: string[];
	try {
		const {RouteTables = []} = await send(
			call,
			`EC2 DescribeRouteTables ${routeTableId}`,
			new DescribeRouteTablesCommand({RouteTableIds: [routeTableId]}),
		);
		associations = (RouteTables[0]?.Associations ?? [])
			.filter((a) => !a.Main && a.RouteTableAssociationId)
			.map((a) => a.RouteTableAssociationId!);
	} catch (error) {
		if (isGone(error)) return;
		throw error;
	}
	for (const associationId of associations) {
		call.progress(`disassociating ${associationId} from ${routeTableId}`);
		await deleteIfPresent(() =>
			send(call, `EC2 DisassociateRouteTable ${associationId}`, new DisassociateRouteTableCommand({AssociationId: associationId})),
		);
	}
	call.progress(`deleting route table ${routeTableId}`);
	await retryWhileDependent(call, `${routeTableId} to lose its associations`, () =>
		deleteIfPresent(() => send(call, `EC2 DeleteRouteTable ${routeTableId}`, new DeleteRouteTableCommand({RouteTableId: routeTableId}))),
	);
}
