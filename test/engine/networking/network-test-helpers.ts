/**
 * Helpers for the tenant networking specs: the contract's TenantConfig (parsed, defaults applied),
 * a recorder of every EC2 call a client makes (moto enforces few dependency checks, so ordering is
 * asserted on the recorded calls), and counts of a tenant's resources through tag-filtered
 * Describe* calls, which is how the specs prove "no duplicates, nothing left". `useProvisionedTenant`
 * provisions the contract tenant's networking (no NAT gateway) once per suite, for specs of VPC kinds.
 */
import {
	DescribeAddressesCommand,
	DescribeInternetGatewaysCommand,
	DescribeNatGatewaysCommand,
	DescribeRouteTablesCommand,
	DescribeSecurityGroupsCommand,
	DescribeSubnetsCommand,
	DescribeVpcsCommand,
	EC2Client,
	type Filter,
	type Tag,
} from '@aws-sdk/client-ec2';
import type {AwsClients} from '../../../engine/aws/aws-clients.js';
import {type TenantConfig, tenantConfigSchema} from '../../../engine/model/tenant-config.js';
import type {WaitSettings} from '../../../engine/providers/provider.js';
import {beforeAll} from 'vitest';
import {provisionTenantNetwork} from '../../../engine/networking/tenant-network.js';
import type {TenantNetworkState} from '../../../engine/networking/tenant-network-state.js';

export const fastWait: WaitSettings = {minDelay: 1, maxDelay: 2, maxWaitTime: 10};

type Networking = Partial<Record<keyof TenantConfig['spec']['networking'], unknown>>;

/** The contract's tenant (10.0.0.0/16, two AZs, one NAT gateway), with `networking` overrides. */
export function contractTenant(name: string, networking: Networking = {}, aws: Record<string, string> = {}): TenantConfig {
	return tenantConfigSchema.parse({
		apiVersion: 'admin.panka.io/v1',
		kind: 'TenantConfig',
		metadata: {name},
		spec: {
			aws: {accountId: '123456789012', region: 'us-east-1', ...aws},
			networking: {
				vpc: {cidrBlock: '10.0.0.0/16', enableDNSHostnames: true, enableDNSSupport: true},
				subnets: {
					public: [
						{cidrBlock: '10.0.1.0/24', availabilityZone: 'us-east-1a'},
						{cidrBlock: '10.0.2.0/24', availabilityZone: 'us-east-1b'},
					],
					private: [
						{cidrBlock: '10.0.10.0/24', availabilityZone: 'us-east-1a'},
						{cidrBlock: '10.0.20.0/24', availabilityZone: 'us-east-1b'},
					],
				},
				natGateway: {enabled: true, type: 'single'},
				internetGateway: {enabled: true},
				defaultSecurityGroup: {
					name: '{tenant}-default-sg',
					allowInternalTraffic: true,
					egress: [{protocol: '-1', cidrBlocks: ['0.0.0.0/0'], description: 'Allow all outbound'}],
				},
				...networking,
			},
			defaultTags: {tenant: name, 'managed-by': 'panka'},
		},
	});
}

export interface RecordedCall {
	command: string;
	input: Record<string, unknown>;
}

const mutating = /^(Create|Delete|Modify|Attach|Detach|Associate|Disassociate|Replace|Authorize|Revoke|Allocate|Release)/;

export interface CallRecorder {
	calls: RecordedCall[];
	/** Command names of the calls that change something. */
	mutations(): string[];
	clear(): void;
	/** Index of the first call matching `command` (and the input fields given); -1 when none. */
	indexOf(command: string, input?: Record<string, unknown>): number;
	lastIndexOf(command: string, input?: Record<string, unknown>): number;
}

let recorders = 0;

/** Record every EC2 call made through `clients` (in the order they completed). */
export function recordEc2Calls(clients: AwsClients): CallRecorder {
	const calls: RecordedCall[] = [];
	clients.get(EC2Client).middlewareStack.add(
		(next, context) => async (args) => {
			const result = await next(args);
			calls.push({
				command: (context as {commandName?: string}).commandName?.replace(/Command$/, '') ?? '?',
				input: args.input as Record<string, unknown>,
			});
			return result;
		},
		{step: 'initialize', name: `recordEc2Calls${++recorders}`},
	);
	const matches = (call: RecordedCall, command: string, input: Record<string, unknown> = {}) =>
		call.command === command && Object.entries(input).every(([key, value]) => JSON.stringify(call.input[key]) === JSON.stringify(value));
	return {
		calls,
		mutations: () => calls.map((c) => c.command).filter((c) => mutating.test(c)),
		clear: () => {
			calls.length = 0;
		},
		indexOf: (command, input) => calls.findIndex((call) => matches(call, command, input)),
		lastIndexOf: (command, input) => calls.findLastIndex((call) => matches(call, command, input)),
	};
}

const tagged = (tenant: string): Filter[] => [{Name: 'tag:panka:tenant', Values: [tenant]}];
const hasTenant = (tenant: string, tags: Tag[] | undefined) => (tags ?? []).some((t) => t.Key === 'panka:tenant' && t.Value === tenant);

/** How many of the tenant's resources of each type exist, through tag-filtered Describe* calls. */
export async function countTenantResources(clients: AwsClients, tenant: string): Promise<Record<string, number>> {
	const ec2 = clients.get(EC2Client);
	const [vpcs, subnets, gateways, addresses, nats, tables, groups] = await Promise.all([
		ec2.send(new DescribeVpcsCommand({Filters: tagged(tenant)})),
		ec2.send(new DescribeSubnetsCommand({Filters: tagged(tenant)})),
		ec2.send(new DescribeInternetGatewaysCommand({Filters: tagged(tenant)})),
		ec2.send(new DescribeAddressesCommand({Filters: tagged(tenant)})),
		ec2.send(new DescribeNatGatewaysCommand({Filter: tagged(tenant)})),
		ec2.send(new DescribeRouteTablesCommand({Filters: tagged(tenant)})),
		ec2.send(new DescribeSecurityGroupsCommand({Filters: tagged(tenant)})),
	]);
	return {
		vpcs: vpcs.Vpcs?.length ?? 0,
		subnets: subnets.Subnets?.length ?? 0,
		internetGateways: gateways.InternetGateways?.length ?? 0,
		addresses: addresses.Addresses?.length ?? 0,
		// moto ignores tag filters on DescribeNatGateways: filter here too, and skip deleted ones.
		natGateways: (nats.NatGateways ?? []).filter((n) => hasTenant(tenant, n.Tags) && n.State !== 'deleted').length,
		routeTables: tables.RouteTables?.length ?? 0,
		securityGroups: groups.SecurityGroups?.length ?? 0,
	};
}

export const nothing = {vpcs: 0, subnets: 0, internetGateways: 0, addresses: 0, natGateways: 0, routeTables: 0, securityGroups: 0};

/** The contract tenant `acme` (no NAT gateway), its networking provisioned on `moto` before the suite's tests. */
export function useProvisionedTenant(moto: {clients(): AwsClients}): {readonly tenant: TenantConfig; readonly network: TenantNetworkState} {
	const provisioned: {tenant?: TenantConfig; network?: TenantNetworkState} = {};
	beforeAll(async () => {
		const clients = moto.clients();
		await clients.get(EC2Client).send(new DescribeVpcsCommand({})); // moto loads EC2 lazily
		provisioned.tenant = contractTenant('acme', {natGateway: {enabled: false}});
		provisioned.network = await provisionTenantNetwork(provisioned.tenant, {clients, wait: fastWait});
	}, 60_000);
	return {
		get tenant() {
			return provisioned.tenant!;
		},
		get network() {
			return provisioned.network!;
		},
	};
}
