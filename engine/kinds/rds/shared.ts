/**
 * What the RDS modules share: the client and the physical names of a ResourceContext, the tenant
 * networking a database needs, the not-found codes of RDS, and the fields of the spec the
 * resource was last applied with (state inputs).
 */
import {RDSClient} from '@aws-sdk/client-rds';
import {type NetworkingIds, ProviderError, type ResourceContext} from '../../providers/provider.js';
import type {StateResource} from '../../state/state-document.js';

export const instanceMissing = ['DBInstanceNotFound', 'DBInstanceNotFoundFault'];
export const subnetGroupMissing = ['DBSubnetGroupNotFound', 'DBSubnetGroupNotFoundFault'];
export const parameterGroupMissing = ['DBParameterGroupNotFound', 'DBParameterGroupNotFoundFault'];

export function rds(context: Pick<ResourceContext, 'clients'>): RDSClient {
	return context.clients.get(RDSClient);
}

export function instanceId(context: ResourceContext): string {
	return context.names.primary!;
}

export function partName(context: ResourceContext, role: 'subnetGroup' | 'parameterGroup' | 'securityGroup'): string {
	const name = context.names[role];
	if (!name) throw new ProviderError(`${context.address}: no physical name for the DB ${role}`, 'MissingPhysicalName');
	return name;
}

export function requireNetworking(context: ResourceContext): NetworkingIds {
	if (!context.networking)
		throw new ProviderError(
			`${context.address}: an RDS instance runs in the tenant's private subnets, but this apply has no tenant networking; provision the tenant network first (panka admin tenant update <tenant>)`,
			'NoTenantNetwork',
		);
	return context.networking;
}

/** A field of the spec the resource was last applied with (state inputs), by dotted path. */
export function recorded(previous: StateResource | undefined, dotted: string): unknown {
	let node: unknown = previous?.inputs;
	for (const part of dotted.split('.'))
		node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined;
	return node;
}

export function recordedNumber(previous: StateResource | undefined, dotted: string): number | undefined {
	const value = recorded(previous, dotted);
	return typeof value === 'number' ? value : undefined;
}

export function recordedString(previous: StateResource | undefined, dotted: string): string | undefined {
	const value = recorded(previous, dotted);
	return typeof value === 'string' ? value : undefined;
}
