/**
 * Networking inheritance: tenant → stack → service → component.
 *
 * The tenant owns the VPC, subnets and default security group. A stack adds a stack security
 * group that inherits the tenant default (same-VPC traffic) and adds the stack's own ingress
 * rules; a stack can add rules but never remove the tenant's. Components that run inside the VPC
 * (placement `private-subnets`) get the tenant's private subnets and both security groups; the
 * rest (S3, SQS, …) have no networking.
 */
import {describeRule, type SecurityGroupRule} from '../model/security-group.js';
import type {StackDocument} from '../model/stack.js';
import {type TenantConfig, tenantSecurityGroupName} from '../model/tenant-config.js';
import {type NameIdentity, nameRules, physicalName} from './physical-names.js';

export interface SecurityGroupRef {
	name: string;
	origin: 'tenant' | 'stack';
	ingress: string[];
	egress: string[];
}

export interface ResolvedNetworking {
	vpcCidr: string;
	subnets: Array<{cidrBlock: string; availabilityZone: string}>;
	publicSubnets: Array<{cidrBlock: string; availabilityZone: string}>;
	securityGroups: SecurityGroupRef[];
	/** Where each part came from, for the workbench: "tenant notifications-team". */
	inheritedFrom: string;
}

export interface StackNetworking {
	tenantGroup: SecurityGroupRef;
	stackGroup: SecurityGroupRef;
	/** The stack's `networking.securityGroup.ingress`. */
	stackIngress: SecurityGroupRule[];
	/** The stack group's egress: the tenant default's, then the stack's `networking.securityGroup.egress`. */
	stackEgress: SecurityGroupRule[];
}

export function stackNetworking(
	tenant: TenantConfig,
	stack: StackDocument | undefined,
	identity: Omit<NameIdentity, 'component'>,
): StackNetworking {
	const tenantSg = tenant.spec.networking.defaultSecurityGroup;
	const stackIngress = stack?.spec.networking?.securityGroup?.ingress ?? [];
	const stackEgress = stack?.spec.networking?.securityGroup?.egress ?? [];
	return {
		tenantGroup: {
			name: tenantSecurityGroupName(tenant),
			origin: 'tenant',
			ingress: tenantSg.allowInternalTraffic ? ['all traffic from itself (same tenant)'] : [],
			egress: tenantSg.egress.map(describeRule),
		},
		stackGroup: {
			name: stackSecurityGroupName(identity),
			origin: 'stack',
			ingress: ['all traffic from itself (same stack)', ...stackIngress.map(describeRule)],
			egress: [...tenantSg.egress, ...stackEgress].map(describeRule),
		},
		stackIngress,
		stackEgress: [...tenantSg.egress, ...stackEgress],
	};
}

/** The stack security group's name: one per (tenant, stack, env), in the tenant VPC. */
export function stackSecurityGroupName(identity: Omit<NameIdentity, 'component'>): string {
	return physicalName({...identity, component: 'stack'}, nameRules.securityGroup, 'sg');
}

export function componentNetworking(tenant: TenantConfig, stack: StackNetworking): ResolvedNetworking {
	return {
		vpcCidr: tenant.spec.networking.vpc.cidrBlock,
		subnets: tenant.spec.networking.subnets.private,
		publicSubnets: tenant.spec.networking.subnets.public,
		securityGroups: [stack.tenantGroup, stack.stackGroup],
		inheritedFrom: `tenant ${tenant.metadata.name} (VPC, private subnets, default SG) + stack security group`,
	};
}
