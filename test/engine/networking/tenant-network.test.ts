/**
 * Tenant networking on moto: provisioned from the contract's TenantConfig and checked through the
 * AWS API (Describe*), never through panka's own state; re-runs, crashes, reconciliation, teardown
 * order and multi-account isolation.
 */
import {
	DescribeInternetGatewaysCommand,
	DescribeNatGatewaysCommand,
	DescribeRouteTablesCommand,
	DescribeSecurityGroupRulesCommand,
	DescribeSubnetsCommand,
	DescribeVpcAttributeCommand,
	DescribeVpcsCommand,
	type DescribeVpcsCommandInput,
	EC2Client,
	type RouteTable,
} from '@aws-sdk/client-ec2';
import {beforeAll, describe, expect, it} from 'vitest';
import {executeOperations} from '../../../engine/apply/executor.js';
import type {AwsClients} from '../../../engine/aws/aws-clients.js';
import type {NetworkResourceChange} from '../../../engine/networking/network-operations.js';
import {provisionTenantNetwork, tenantNetworkOperations} from '../../../engine/networking/tenant-network.js';
import {teardownTenantNetwork} from '../../../engine/networking/tenant-network-teardown.js';
import {describeAws, useMoto} from '../../helpers/moto.js';
import {contractTenant, countTenantResources, fastWait, nothing, recordEc2Calls} from './network-test-helpers.js';

const ruleView = (rule: {
	IsEgress?: boolean;
	IpProtocol?: string;
	CidrIpv4?: string;
	ReferencedGroupInfo?: {GroupId?: string};
	FromPort?: number;
	ToPort?: number;
}) => ({
	egress: rule.IsEgress,
	protocol: rule.IpProtocol,
	from: rule.CidrIpv4 ?? rule.ReferencedGroupInfo?.GroupId,
	ports: `${rule.FromPort}..${rule.ToPort}`,
});

function defaultRoute(table: RouteTable | undefined) {
	const route = table?.Routes?.find((r) => r.DestinationCidrBlock === '0.0.0.0/0');
	return route ? (route.NatGatewayId ?? route.GatewayId) : undefined;
}

describeAws('tenant networking', () => {
	const moto = useMoto();
	let clients: AwsClients;
	let ec2: EC2Client;

	beforeAll(async () => {
		clients = moto.clients();
		ec2 = clients.get(EC2Client);
		await ec2.send(new DescribeVpcsCommand({})); // moto loads EC2 lazily: the first call takes ~1.5 s
	}, 30_000);

	const provision = (config: ReturnType<typeof contractTenant>, extra: Parameters<typeof provisionTenantNetwork>[1] | object = {}) =>
		provisionTenantNetwork(config, {clients, wait: fastWait, ...extra});

	describe('provisioning the contract tenant (10.0.0.0/16, two AZs, single NAT)', () => {
		it('creates the VPC, subnets, IGW, NAT, route tables and default security group, as Describe* shows', async () => {
			const changes: NetworkResourceChange[] = [];
			const progress: string[] = [];
			const state = await provision(contractTenant('alpha'), {
				onResource: (change: NetworkResourceChange) => changes.push(change),
				onEvent: (event: {type: string; phase?: string}) => event.type === 'operation.progress' && progress.push(event.phase!),
			});

			// VPC: CIDR, DNS attributes, tags.
			const {Vpcs = []} = await ec2.send(new DescribeVpcsCommand({VpcIds: [state.vpcId]}));
			expect(Vpcs[0]?.CidrBlock).toBe('10.0.0.0/16');
			expect(Vpcs[0]?.Tags).toEqual(
				expect.arrayContaining([
					{Key: 'Name', Value: 'alpha-vpc'},
					{Key: 'panka:tenant', Value: 'alpha'},
					{Key: 'panka:component', Value: 'vpc'},
					{Key: 'managed-by', Value: 'panka'},
				]),
			);
			const support = await ec2.send(new DescribeVpcAttributeCommand({VpcId: state.vpcId, Attribute: 'enableDnsSupport'}));
			const hostnames = await ec2.send(new DescribeVpcAttributeCommand({VpcId: state.vpcId, Attribute: 'enableDnsHostnames'}));
			expect([support.EnableDnsSupport?.Value, hostnames.EnableDnsHostnames?.Value]).toEqual([true, true]);

			// Subnets: CIDRs, AZs, public ones map public IPs.
			const {Subnets = []} = await ec2.send(new DescribeSubnetsCommand({Filters: [{Name: 'vpc-id', Values: [state.vpcId]}]}));
			const subnets = Subnets.map((s) => ({cidr: s.CidrBlock, az: s.AvailabilityZone, mapPublicIp: s.MapPublicIpOnLaunch})).sort((a, b) =>
				a.cidr!.localeCompare(b.cidr!),
			);
			expect(subnets).toEqual([
				{cidr: '10.0.1.0/24', az: 'us-east-1a', mapPublicIp: true},
				{cidr: '10.0.10.0/24', az: 'us-east-1a', mapPublicIp: false},
				{cidr: '10.0.2.0/24', az: 'us-east-1b', mapPublicIp: true},
				{cidr: '10.0.20.0/24', az: 'us-east-1b', mapPublicIp: false},
			]);
			expect(state.subnets.public.map((s) => [s.cidr, s.az])).toEqual([
				['10.0.1.0/24', 'us-east-1a'],
				['10.0.2.0/24', 'us-east-1b'],
			]);
			expect(state.subnets.private.map((s) => [s.cidr, s.az])).toEqual([
				['10.0.10.0/24', 'us-east-1a'],
				['10.0.20.0/24', 'us-east-1b'],
			]);

			// Internet gateway attached to the VPC.
			const {InternetGateways = []} = await ec2.send(new DescribeInternetGatewaysCommand({InternetGatewayIds: [state.internetGatewayId!]}));
			expect(InternetGateways[0]?.Attachments?.map((a) => a.VpcId)).toEqual([state.vpcId]);

			// One NAT gateway, in the first public subnet, with the Elastic IP.
			expect(state.natGateways).toHaveLength(1);
			const {NatGateways = []} = await ec2.send(new DescribeNatGatewaysCommand({NatGatewayIds: [state.natGateways[0]!.id]}));
			expect(NatGateways[0]).toMatchObject({State: 'available', SubnetId: state.subnets.public[0]!.id});
			expect(NatGateways[0]?.NatGatewayAddresses?.[0]?.AllocationId).toBe(state.natGateways[0]!.allocationId);
			expect(state.natGateways[0]!.az).toBe('us-east-1a');

			// Public route table → IGW, both public subnets; one private table → NAT, both private subnets.
			const {RouteTables = []} = await ec2.send(
				new DescribeRouteTablesCommand({
					Filters: [
						{Name: 'vpc-id', Values: [state.vpcId]},
						{Name: 'tag:panka:tenant', Values: ['alpha']},
					],
				}),
			);
			expect(RouteTables).toHaveLength(2);
			const publicTable = RouteTables.find((t) => t.RouteTableId === state.routeTables.public?.id);
			expect(defaultRoute(publicTable)).toBe(state.internetGatewayId);
			expect(publicTable?.Associations?.map((a) => a.SubnetId).sort()).toEqual(state.subnets.public.map((s) => s.id).sort());
			expect(state.routeTables.private).toHaveLength(1);
			const privateTable = RouteTables.find((t) => t.RouteTableId === state.routeTables.private[0]?.id);
			expect(defaultRoute(privateTable)).toBe(state.natGateways[0]!.id);
			expect(privateTable?.Associations?.map((a) => a.SubnetId).sort()).toEqual(state.subnets.private.map((s) => s.id).sort());
			expect(state.routeTables.private[0]!.associations.map((a) => a.subnetId)).toEqual(state.subnets.private.map((s) => s.id));

			// Default security group: named from the config, all traffic from itself, the configured egress.
			const {SecurityGroupRules = []} = await ec2.send(
				new DescribeSecurityGroupRulesCommand({Filters: [{Name: 'group-id', Values: [state.defaultSecurityGroupId]}]}),
			);
			expect(SecurityGroupRules.map(ruleView)).toEqual(
				expect.arrayContaining([
					{egress: false, protocol: '-1', from: state.defaultSecurityGroupId, ports: '-1..-1'},
					{egress: true, protocol: '-1', from: '0.0.0.0/0', ports: '-1..-1'},
				]),
			);
			expect(SecurityGroupRules).toHaveLength(2);
			expect(SecurityGroupRules.find((r) => r.IsEgress)?.Description).toBe('Allow all outbound');

			expect(await countTenantResources(clients, 'alpha')).toEqual({
				vpcs: 1,
				subnets: 4,
				internetGateways: 1,
				addresses: 1,
				natGateways: 1,
				routeTables: 2,
				securityGroups: 1,
			});
			// Streamed: one change per resource, each with the state so far; the last has everything.
			expect(changes.map((c) => c.component).sort()).toEqual(
				[
					'eip-nat-a',
					'igw',
					'nat-a',
					'rtb-private',
					'rtb-public',
					'sg-default',
					'subnet-private-a',
					'subnet-private-b',
					'subnet-public-a',
					'subnet-public-b',
					'vpc',
				].sort(),
			);
			expect(changes.every((c) => c.action === 'created')).toBe(true);
			expect(changes.at(-1)?.state).toEqual(state);
			expect(progress).toContain(`waiting for NAT gateway ${state.natGateways[0]!.id} available`);
		});

		it('re-running is a no-op: the same IDs, no mutating call, no new resource', async () => {
			const first = await provision(contractTenant('bravo'));
			const recorder = recordEc2Calls(clients);
			const changes: NetworkResourceChange[] = [];
			const second = await provision(contractTenant('bravo'), {
				previous: first,
				onResource: (change: NetworkResourceChange) => changes.push(change),
			});
			expect(second).toEqual(first);
			expect(recorder.mutations()).toEqual([]);
			expect(new Set(changes.map((c) => c.action))).toEqual(new Set(['adopted']));
			expect(await countTenantResources(clients, 'bravo')).toEqual({
				vpcs: 1,
				subnets: 4,
				internetGateways: 1,
				addresses: 1,
				natGateways: 1,
				routeTables: 2,
				securityGroups: 1,
			});
		});
	});

	it('per-az: one NAT gateway per AZ, in that AZ’s public subnet, and one private route table per AZ → its own NAT', async () => {
		const state = await provision(contractTenant('perz', {natGateway: {enabled: true, type: 'per-az'}}));
		expect(state.natGateways.map((n) => n.az)).toEqual(['us-east-1a', 'us-east-1b']);
		const {NatGateways = []} = await ec2.send(new DescribeNatGatewaysCommand({NatGatewayIds: state.natGateways.map((n) => n.id)}));
		const subnetOf = new Map(NatGateways.map((n) => [n.NatGatewayId, n.SubnetId]));
		expect(state.natGateways.map((n) => subnetOf.get(n.id))).toEqual(state.subnets.public.map((s) => s.id));
		expect(new Set(state.natGateways.map((n) => n.allocationId)).size).toBe(2);

		expect(state.routeTables.private.map((t) => t.az)).toEqual(['us-east-1a', 'us-east-1b']);
		const {RouteTables = []} = await ec2.send(new DescribeRouteTablesCommand({RouteTableIds: state.routeTables.private.map((t) => t.id)}));
		for (const [index, az] of ['us-east-1a', 'us-east-1b'].entries()) {
			const table = RouteTables.find((t) => t.RouteTableId === state.routeTables.private[index]!.id);
			expect(defaultRoute(table)).toBe(state.natGateways.find((n) => n.az === az)!.id);
			expect(table?.Associations?.map((a) => a.SubnetId)).toEqual([state.subnets.private.find((s) => s.az === az)!.id]);
		}
		expect(await countTenantResources(clients, 'perz')).toMatchObject({natGateways: 2, addresses: 2, routeTables: 3});
	});

	describe('crash safety', () => {
		const expected = {vpcs: 1, subnets: 4, internetGateways: 1, addresses: 1, natGateways: 1, routeTables: 2, securityGroups: 1};

		/** Run the provisioning operations until `after` of them are done, then stop (or abort in-flight calls). */
		async function provisionPartly(tenant: string, after: number, how: 'stop' | 'abort') {
			const planned = await tenantNetworkOperations(contractTenant(tenant), {clients, wait: fastWait});
			const interrupt = new AbortController();
			let done = 0;
			for await (const event of executeOperations(planned.operations, {parallelism: 2, [how]: interrupt.signal})) {
				if (event.type === 'operation.done' && ++done >= after) interrupt.abort();
			}
			return done;
		}

		for (const after of [1, 3, 5, 7])
			it(`a run stopped after ${after} operations converges on the next run, without duplicates`, async () => {
				const tenant = `crash-stop-${after}`;
				expect(await provisionPartly(tenant, after, 'stop')).toBeLessThan(11);
				const state = await provision(contractTenant(tenant));
				expect(await countTenantResources(clients, tenant)).toEqual(expected);
				expect(await provision(contractTenant(tenant))).toEqual(state);
			});

		for (const after of [2, 5])
			it(`a run whose in-flight calls are aborted after ${after} operations converges without duplicates`, async () => {
				const tenant = `crash-abort-${after}`;
				await provisionPartly(tenant, after, 'abort');
				await new Promise((resolve) => setTimeout(resolve, 200)); // let moto finish requests whose answers were dropped
				await provision(contractTenant(tenant));
				expect(await countTenantResources(clients, tenant)).toEqual(expected);
			});
	});

	describe('reconciling a changed config', () => {
		it('turns NAT on and off and switches single ↔ per-az, keeping what it can', async () => {
			const tenant = 'charlie';
			const withNat = (natGateway: object) => contractTenant(tenant, {natGateway});
			const noNat = await provision(withNat({enabled: false}));
			expect(noNat.natGateways).toEqual([]);
			expect(noNat.routeTables.private).toHaveLength(1);
			const readTables = async (ids: string[]) => (await ec2.send(new DescribeRouteTablesCommand({RouteTableIds: ids}))).RouteTables ?? [];
			expect(defaultRoute((await readTables([noNat.routeTables.private[0]!.id]))[0])).toBeUndefined();
			expect(await countTenantResources(clients, tenant)).toMatchObject({natGateways: 0, addresses: 0, routeTables: 2});

			const single = await provision(withNat({enabled: true, type: 'single'}), {previous: noNat});
			expect(single.vpcId).toBe(noNat.vpcId);
			expect(single.subnets).toEqual(noNat.subnets);
			expect(single.routeTables.private[0]!.id).toBe(noNat.routeTables.private[0]!.id);
			expect(defaultRoute((await readTables([single.routeTables.private[0]!.id]))[0])).toBe(single.natGateways[0]!.id);

			const perAz = await provision(withNat({enabled: true, type: 'per-az'}), {previous: single});
			expect(perAz.natGateways.map((n) => n.az)).toEqual(['us-east-1a', 'us-east-1b']);
			expect(perAz.natGateways[0]).toEqual(single.natGateways[0]); // nat-a is kept
			expect(perAz.routeTables.private.map((t) => t.az)).toEqual(['us-east-1a', 'us-east-1b']);
			const perAzTables = await readTables(perAz.routeTables.private.map((t) => t.id));
			expect(perAz.routeTables.private.map((t) => defaultRoute(perAzTables.find((x) => x.RouteTableId === t.id)))).toEqual(
				perAz.natGateways.map((n) => n.id),
			);
			expect(await countTenantResources(clients, tenant)).toMatchObject({natGateways: 2, addresses: 2, routeTables: 3});

			const recorder = recordEc2Calls(clients);
			const backToSingle = await provision(withNat({enabled: true, type: 'single'}), {previous: perAz});
			const natB = perAz.natGateways[1]!;
			expect(backToSingle.natGateways).toEqual([perAz.natGateways[0]]);
			expect(await countTenantResources(clients, tenant)).toMatchObject({natGateways: 1, addresses: 1, routeTables: 2});
			// The shared table takes the subnets over before the per-az tables go; nat-b goes before its EIP.
			const lastMove = recorder.lastIndexOf('ReplaceRouteTableAssociation');
			expect(lastMove).toBeGreaterThan(-1);
			for (const table of perAz.routeTables.private)
				expect(recorder.indexOf('DeleteRouteTable', {RouteTableId: table.id})).toBeGreaterThan(lastMove);
			const natDeleted = recorder.indexOf('DeleteNatGateway', {NatGatewayId: natB.id});
			expect(natDeleted).toBeGreaterThan(recorder.lastIndexOf('DeleteRouteTable'));
			expect(recorder.indexOf('ReleaseAddress', {AllocationId: natB.allocationId})).toBeGreaterThan(natDeleted);

			recorder.clear();
			const off = await provision(withNat({enabled: false}), {previous: backToSingle});
			expect(off.natGateways).toEqual([]);
			expect(defaultRoute((await readTables([off.routeTables.private[0]!.id]))[0])).toBeUndefined();
			expect(recorder.indexOf('DeleteRoute')).toBeLessThan(recorder.indexOf('DeleteNatGateway'));
			expect(recorder.indexOf('DeleteNatGateway')).toBeLessThan(recorder.indexOf('ReleaseAddress'));
			expect(await countTenantResources(clients, tenant)).toMatchObject({
				vpcs: 1,
				subnets: 4,
				natGateways: 0,
				addresses: 0,
				routeTables: 2,
			});
		});

		it('reconciles the default security group: egress rules replaced, self ingress removed and restored', async () => {
			const tenant = 'foxtrot';
			const first = await provision(contractTenant(tenant));
			const rules = async () =>
				(
					(await ec2.send(new DescribeSecurityGroupRulesCommand({Filters: [{Name: 'group-id', Values: [first.defaultSecurityGroupId]}]})))
						.SecurityGroupRules ?? []
				)
					.map(ruleView)
					.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
			const recorder = recordEc2Calls(clients);
			const egress = [
				{protocol: 'tcp', port: 443, cidrBlocks: ['0.0.0.0/0'], description: 'HTTPS out'},
				{protocol: 'udp', port: 53, cidrBlocks: ['10.0.0.0/16']},
			];
			const changed = await provision(contractTenant(tenant, {defaultSecurityGroup: {allowInternalTraffic: false, egress}}), {
				previous: first,
			});
			expect(changed.defaultSecurityGroupId).toBe(first.defaultSecurityGroupId);
			expect(await rules()).toEqual([
				{egress: true, protocol: 'tcp', from: '0.0.0.0/0', ports: '443..443'},
				{egress: true, protocol: 'udp', from: '10.0.0.0/16', ports: '53..53'},
			]);
			expect(recorder.calls.filter((c) => c.command.startsWith('Revoke')).every((c) => Array.isArray(c.input.SecurityGroupRuleIds))).toBe(
				true,
			);
			// Only the rules changed; the new egress is authorized before the old allow-all is revoked.
			expect(recorder.mutations()).toEqual(['RevokeSecurityGroupIngress', 'AuthorizeSecurityGroupEgress', 'RevokeSecurityGroupEgress']);

			await provision(contractTenant(tenant), {previous: changed});
			expect(await rules()).toEqual([
				{egress: false, protocol: '-1', from: first.defaultSecurityGroupId, ports: '-1..-1'},
				{egress: true, protocol: '-1', from: '0.0.0.0/0', ports: '-1..-1'},
			]);
		});

		it('refuses what cannot change in place, naming both values', async () => {
			const first = await provision(contractTenant('golf'));
			const moved = contractTenant('golf', {
				subnets: {
					public: [
						{cidrBlock: '10.0.3.0/24', availabilityZone: 'us-east-1a'},
						{cidrBlock: '10.0.2.0/24', availabilityZone: 'us-east-1b'},
					],
					private: [],
				},
			});
			const recorder = recordEc2Calls(clients);
			await expect(provision(moved, {previous: first})).rejects.toMatchObject({
				code: 'ReplaceRequired',
				message: expect.stringContaining(
					`subnet ${first.subnets.public[0]!.id} (subnet-public-a) CIDR is 10.0.1.0/24 in AWS but 10.0.3.0/24 in the config`,
				),
			});
			expect(recorder.mutations()).toEqual([]); // refused as a whole: the private subnets are still there
			expect(await countTenantResources(clients, 'golf')).toMatchObject({subnets: 4});
		});
	});

	describe('teardown', () => {
		it('deletes in dependency order (checked on the recorded calls: moto does not enforce it) until nothing tagged is left', async () => {
			const tenant = 'delta';
			const state = await provision(contractTenant(tenant, {natGateway: {enabled: true, type: 'per-az'}}));
			const selfRule = (
				await ec2.send(new DescribeSecurityGroupRulesCommand({Filters: [{Name: 'group-id', Values: [state.defaultSecurityGroupId]}]}))
			).SecurityGroupRules?.find((r) => r.ReferencedGroupInfo?.GroupId === state.defaultSecurityGroupId);
			const recorder = recordEc2Calls(clients);
			const deleted: string[] = [];
			await teardownTenantNetwork(state, {clients, tenant, wait: fastWait, onResource: (change) => deleted.push(change.component)});
			const at = recorder.indexOf;

			for (const nat of state.natGateways) {
				// NAT gateway deleted, then waited for (DescribeNatGateways until deleted), before its Elastic IP is released.
				const deleteNat = at('DeleteNatGateway', {NatGatewayId: nat.id});
				const released = at('ReleaseAddress', {AllocationId: nat.allocationId});
				expect(deleteNat).toBeGreaterThan(-1);
				expect(
					recorder.calls
						.slice(deleteNat, released)
						.some((c) => c.command === 'DescribeNatGateways' && JSON.stringify(c.input.NatGatewayIds) === JSON.stringify([nat.id])),
				).toBe(true);
				expect(released).toBeGreaterThan(deleteNat);
				expect(at('DetachInternetGateway')).toBeGreaterThan(released);
				const natSubnet = state.subnets.public.find((s) => s.az === nat.az)!;
				expect(at('DeleteSubnet', {SubnetId: natSubnet.id})).toBeGreaterThan(deleteNat);
			}
			for (const table of [state.routeTables.public!, ...state.routeTables.private]) {
				const deleteTable = at('DeleteRouteTable', {RouteTableId: table.id});
				expect(deleteTable).toBeGreaterThan(-1);
				for (const association of table.associations) {
					expect(at('DisassociateRouteTable', {AssociationId: association.id})).toBeGreaterThan(-1);
					expect(at('DisassociateRouteTable', {AssociationId: association.id})).toBeLessThan(deleteTable);
					expect(at('DeleteSubnet', {SubnetId: association.subnetId})).toBeGreaterThan(deleteTable);
				}
			}
			expect(at('DetachInternetGateway', {InternetGatewayId: state.internetGatewayId})).toBeLessThan(
				at('DeleteInternetGateway', {InternetGatewayId: state.internetGatewayId}),
			);
			// The self-referencing rule is revoked by its rule ID before the group is deleted.
			const revoke = at('RevokeSecurityGroupIngress', {
				GroupId: state.defaultSecurityGroupId,
				SecurityGroupRuleIds: [selfRule?.SecurityGroupRuleId],
			});
			expect(revoke).toBeGreaterThan(-1);
			expect(revoke).toBeLessThan(at('DeleteSecurityGroup', {GroupId: state.defaultSecurityGroupId}));
			const deleteVpc = at('DeleteVpc', {VpcId: state.vpcId});
			expect(recorder.calls.findIndex((c) => c.command === 'DeleteVpc')).toBe(recorder.calls.length - 1);
			for (const subnet of [...state.subnets.public, ...state.subnets.private])
				expect(at('DeleteSubnet', {SubnetId: subnet.id})).toBeLessThan(deleteVpc);
			expect(at('DeleteSecurityGroup')).toBeLessThan(deleteVpc);

			expect(await countTenantResources(clients, tenant)).toEqual(nothing);
			await expect(ec2.send(new DescribeVpcsCommand({VpcIds: [state.vpcId]}))).rejects.toMatchObject({name: 'InvalidVpcID.NotFound'});
			expect(deleted.sort()).toEqual(
				[
					'vpc',
					'subnet-public-a',
					'subnet-public-b',
					'subnet-private-a',
					'subnet-private-b',
					'igw',
					'eip-nat-a',
					'eip-nat-b',
					'nat-a',
					'nat-b',
					'rtb-public',
					'rtb-private-a',
					'rtb-private-b',
					'sg-default',
				].sort(),
			);

			// Everything is already gone: a second teardown (after a crash, say) succeeds.
			await teardownTenantNetwork(state, {clients, tenant, wait: fastWait});
		});

		it('finds by tags what the state never recorded (a crash before the checkpoint), and needs no state at all', async () => {
			const tenant = 'hotel';
			await provisionTenantNetwork(contractTenant(tenant), {clients, wait: fastWait});
			await teardownTenantNetwork(undefined, {clients, tenant, wait: fastWait});
			expect(await countTenantResources(clients, tenant)).toEqual(nothing);
		});
	});

	it('multi-account: each tenant’s network lands in the account of its role and is invisible from the other', async () => {
		const accountA = clients.forTenant('arn:aws:iam::111111111111:role/a', 'panka-tenant-a');
		const accountB = clients.forTenant('arn:aws:iam::222222222222:role/b', 'panka-tenant-b');
		const [a, b] = await Promise.all([
			provisionTenantNetwork(
				contractTenant('tenant-a', {}, {accountId: '111111111111', assumeRoleArn: 'arn:aws:iam::111111111111:role/a'}),
				{clients: accountA, wait: fastWait},
			),
			provisionTenantNetwork(
				contractTenant('tenant-b', {}, {accountId: '222222222222', assumeRoleArn: 'arn:aws:iam::222222222222:role/b'}),
				{clients: accountB, wait: fastWait},
			),
		]);
		const vpcsOf = (account: AwsClients, input: DescribeVpcsCommandInput) => account.get(EC2Client).send(new DescribeVpcsCommand(input));
		expect((await vpcsOf(accountA, {VpcIds: [a.vpcId]})).Vpcs?.[0]?.OwnerId).toBe('111111111111');
		expect((await vpcsOf(accountB, {VpcIds: [b.vpcId]})).Vpcs?.[0]?.OwnerId).toBe('222222222222');
		await expect(vpcsOf(accountB, {VpcIds: [a.vpcId]})).rejects.toMatchObject({name: 'InvalidVpcID.NotFound'});
		await expect(vpcsOf(accountA, {VpcIds: [b.vpcId]})).rejects.toMatchObject({name: 'InvalidVpcID.NotFound'});
		expect((await vpcsOf(accountB, {Filters: [{Name: 'tag:panka:tenant', Values: ['tenant-a']}]})).Vpcs).toEqual([]);
		expect((await vpcsOf(accountA, {Filters: [{Name: 'tag:panka:tenant', Values: ['tenant-b']}]})).Vpcs).toEqual([]);
		expect(await countTenantResources(clients, 'tenant-a')).toEqual(nothing); // nothing in the caller's own account
		expect(await countTenantResources(accountA, 'tenant-a')).toMatchObject({vpcs: 1, subnets: 4, natGateways: 1});

		await Promise.all([
			teardownTenantNetwork(a, {clients: accountA, tenant: 'tenant-a', wait: fastWait}),
			teardownTenantNetwork(b, {clients: accountB, tenant: 'tenant-b', wait: fastWait}),
		]);
		expect(await countTenantResources(accountA, 'tenant-a')).toEqual(nothing);
		expect(await countTenantResources(accountB, 'tenant-b')).toEqual(nothing);
	});
});
