/**
 * The desired shape of a tenant's network, derived from its TenantConfig: every AWS resource with
 * its stable role name (`panka:component`), its Name tag, its settings and what it attaches to.
 * Pure: no AWS calls, so it is specified without moto.
 *
 * Role names (stable across runs and machines; the AZ letter is the AZ without its region):
 *   vpc · subnet-public-a · subnet-private-b · igw · eip-nat-a · nat-a · rtb-public
 *   rtb-private (one shared table: single NAT or no NAT) · rtb-private-a (per-az NAT) · sg-default
 * A second subnet of the same tier in the same AZ is `subnet-public-a-2`, and so on.
 *
 * Invariants:
 * - `single` places its NAT gateway in the first public subnet and names it after that subnet's AZ
 *   (`nat-a`), so switching single → per-az keeps it and only adds the others.
 * - Every private subnet's route table is decided here: per-az → its AZ's table (→ its AZ's NAT),
 *   otherwise the shared `rtb-private` (→ the single NAT, or no default route without NAT).
 * - Configurations AWS cannot build are refused here with a ProviderError `InvalidNetworkConfig`
 *   (a NAT gateway needs an internet gateway and a public subnet in its AZ) before any call is made.
 */
import type {SecurityGroupRule} from '../model/security-group.js';
import {type TenantConfig, tenantSecurityGroupName} from '../model/tenant-config.js';
import {ProviderError} from '../providers/provider.js';
import {reservedTagPrefixes} from '../resolve/tags.js';

export type SubnetTier = 'public' | 'private';

export interface SubnetLayout {
	component: string;
	tier: SubnetTier;
	cidr: string;
	az: string;
}

export interface NatGatewayLayout {
	component: string;
	/** The Elastic IP's role: `eip-nat-a`. */
	addressComponent: string;
	az: string;
	subnetComponent: string;
}

export type DefaultRoute = {target: 'internet-gateway'} | {target: 'nat-gateway'; natComponent: string};

export interface RouteTableLayout {
	component: string;
	tier: SubnetTier;
	/** Set for per-az private tables. */
	az?: string;
	subnetComponents: string[];
	/** 0.0.0.0/0 → …; absent: no default route. */
	defaultRoute?: DefaultRoute;
}

export interface SecurityGroupLayout {
	component: string;
	name: string;
	description: string;
	/** All traffic from the group itself. */
	allowSelf: boolean;
	egress: readonly SecurityGroupRule[];
}

export interface TenantNetworkLayout {
	tenant: string;
	vpc: {component: 'vpc'; cidr: string; dnsSupport: boolean; dnsHostnames: boolean};
	subnets: SubnetLayout[];
	internetGateway?: {component: 'igw'};
	natGateways: NatGatewayLayout[];
	routeTables: RouteTableLayout[];
	defaultSecurityGroup: SecurityGroupLayout;
	/** Tags every resource carries besides its component and Name: tenant defaultTags + panka:tenant. */
	baseTags: Readonly<Record<string, string>>;
}

export const tenantTagKey = 'panka:tenant';
export const componentTagKey = 'panka:component';
/** Stack-owned resources carry it; tenant networking never does. */
export const stackTagKey = 'panka:stack';

/** `a` for us-east-1a, `lax-1a` for the local zone us-west-2-lax-1a. */
export function azLetter(region: string, az: string): string {
	return az.startsWith(region) ? az.slice(region.length).replace(/^-/, '') || az : az;
}

export function tenantNetworkLayout(config: TenantConfig): TenantNetworkLayout {
	const tenant = config.metadata.name;
	const {networking, aws, defaultTags} = config.spec;
	const region = aws.region;
	const invalid = (message: string) => new ProviderError(`tenant ${tenant} networking: ${message}`, 'InvalidNetworkConfig');

	const subnets: SubnetLayout[] = [];
	for (const tier of ['public', 'private'] as const) {
		const perAz = new Map<string, number>();
		for (const subnet of networking.subnets[tier]) {
			const ordinal = (perAz.get(subnet.availabilityZone) ?? 0) + 1;
			perAz.set(subnet.availabilityZone, ordinal);
			const letter = azLetter(region, subnet.availabilityZone);
			subnets.push({
				component: `subnet-${tier}-${letter}${ordinal > 1 ? `-${ordinal}` : ''}`,
				tier,
				cidr: subnet.cidrBlock,
				az: subnet.availabilityZone,
			});
		}
	}
	const publicSubnets = subnets.filter((s) => s.tier === 'public');
	const privateSubnets = subnets.filter((s) => s.tier === 'private');
	const internetGateway = networking.internetGateway.enabled ? {component: 'igw' as const} : undefined;

	const natGateways: NatGatewayLayout[] = [];
	if (networking.natGateway.enabled) {
		if (!internetGateway) throw invalid('a NAT gateway needs the internet gateway (internetGateway.enabled: true)');
		if (publicSubnets.length === 0) throw invalid('a NAT gateway needs a public subnet to live in');
		const placements = networking.natGateway.type === 'single' ? [publicSubnets[0]!] : firstPerAz(publicSubnets);
		for (const subnet of placements) {
			const letter = azLetter(region, subnet.az);
			natGateways.push({
				component: `nat-${letter}`,
				addressComponent: `eip-nat-${letter}`,
				az: subnet.az,
				subnetComponent: subnet.component,
			});
		}
	}

	const routeTables: RouteTableLayout[] = [];
	if (publicSubnets.length > 0)
		routeTables.push({
			component: 'rtb-public',
			tier: 'public',
			subnetComponents: publicSubnets.map((s) => s.component),
			...(internetGateway ? {defaultRoute: {target: 'internet-gateway'} as const} : {}),
		});
	if (privateSubnets.length > 0 && networking.natGateway.enabled && networking.natGateway.type === 'per-az') {
		for (const az of unique(privateSubnets.map((s) => s.az))) {
			const nat = natGateways.find((n) => n.az === az);
			if (!nat) throw invalid(`per-az NAT gateways need a public subnet in ${az}, where private subnets are`);
			routeTables.push({
				component: `rtb-private-${azLetter(region, az)}`,
				tier: 'private',
				az,
				subnetComponents: privateSubnets.filter((s) => s.az === az).map((s) => s.component),
				defaultRoute: {target: 'nat-gateway', natComponent: nat.component},
			});
		}
	} else if (privateSubnets.length > 0) {
		const nat = natGateways[0];
		routeTables.push({
			component: 'rtb-private',
			tier: 'private',
			subnetComponents: privateSubnets.map((s) => s.component),
			...(nat ? {defaultRoute: {target: 'nat-gateway', natComponent: nat.component} as const} : {}),
		});
	}

	const securityGroup = networking.defaultSecurityGroup;
	return {
		tenant,
		vpc: {
			component: 'vpc',
			cidr: networking.vpc.cidrBlock,
			dnsSupport: networking.vpc.enableDNSSupport,
			dnsHostnames: networking.vpc.enableDNSHostnames,
		},
		subnets,
		...(internetGateway ? {internetGateway} : {}),
		natGateways,
		routeTables,
		defaultSecurityGroup: {
			component: 'sg-default',
			name: tenantSecurityGroupName(config),
			description: `Default security group of tenant ${tenant} (panka)`,
			allowSelf: securityGroup.allowInternalTraffic,
			egress: securityGroup.egress,
		},
		baseTags: {...userTags(defaultTags), [tenantTagKey]: tenant},
	};
}

/** Every role of the layout, in config order. */
export function layoutComponents(layout: TenantNetworkLayout): string[] {
	return [
		layout.vpc.component,
		...layout.subnets.map((s) => s.component),
		...(layout.internetGateway ? [layout.internetGateway.component] : []),
		...layout.natGateways.flatMap((n) => [n.addressComponent, n.component]),
		...layout.routeTables.map((t) => t.component),
		layout.defaultSecurityGroup.component,
	];
}

/** The tags of one resource: the tenant's base tags, its role and its Name. */
export function componentTags(
	layout: Pick<TenantNetworkLayout, 'tenant' | 'baseTags'>,
	component: string,
	name = `${layout.tenant}-${component}`,
): Record<string, string> {
	return {...layout.baseTags, [componentTagKey]: component, Name: name};
}

function userTags(tags: Readonly<Record<string, string>>): Record<string, string> {
	return Object.fromEntries(Object.entries(tags).filter(([key]) => !reservedTagPrefixes.some((prefix) => key.startsWith(prefix))));
}

function firstPerAz(subnets: readonly SubnetLayout[]): SubnetLayout[] {
	const seen = new Set<string>();
	return subnets.filter((subnet) => !seen.has(subnet.az) && seen.add(subnet.az));
}

function unique<T>(values: readonly T[]): T[] {
	return [...new Set(values)];
}
