/**
 * Where a tenant's provisioned networking is recorded: `tenants/{tenant}/network.json`, next to its
 * TenantConfig. Written by `admin tenant init/update` after provisioning (checkpointed while it
 * runs), read by every apply that places components in the VPC, cleared by `admin tenant delete`.
 *
 * Invariants: written with compare-and-swap like every blob; an unreadable or corrupt record is an
 * error, never "no networking" (an apply must not create a second VPC beside the first).
 */
import {z} from '../zod.js';
import type {TenantNetworkState} from '../networking/tenant-network-state.js';
import {tenantPrefix} from '../state/backend.js';
import type {Backend} from '../state/backend.js';
import {BackendError} from '../state/blob-store.js';

export function tenantNetworkKey(tenant: string): string {
	return `${tenantPrefix(tenant)}network.json`;
}

const subnet = z.object({id: z.string(), cidr: z.string(), az: z.string()});
const routeTable = z.object({
	id: z.string(),
	az: z.string().optional(),
	associations: z.array(z.object({id: z.string(), subnetId: z.string()})),
});
const networkRecordSchema = z.object({
	tenant: z.string(),
	updatedAt: z.string(),
	state: z.object({
		vpcId: z.string(),
		subnets: z.object({public: z.array(subnet), private: z.array(subnet)}),
		internetGatewayId: z.string().optional(),
		natGateways: z.array(z.object({id: z.string(), az: z.string(), allocationId: z.string()})),
		routeTables: z.object({public: routeTable.optional(), private: z.array(routeTable)}),
		defaultSecurityGroupId: z.string(),
	}),
});

export interface StoredTenantNetwork {
	state: TenantNetworkState;
	etag: string;
}

export async function readTenantNetwork(backend: Backend, tenant: string): Promise<StoredTenantNetwork | undefined> {
	const key = tenantNetworkKey(tenant);
	const blob = await backend.store.get(key);
	if (!blob) return undefined;
	let parsed: unknown;
	try {
		parsed = JSON.parse(blob.body);
	} catch (error) {
		throw new BackendError(
			`${key} on ${backend.description} is corrupt: ${(error as Error).message}`,
			'restore an earlier version of it; panka will not provision a second network beside the recorded one',
		);
	}
	const checked = networkRecordSchema.safeParse(parsed);
	if (!checked.success)
		throw new BackendError(`${key} on ${backend.description} is not a network record: ${checked.error.issues[0]?.message ?? 'invalid'}`);
	return {state: checked.data.state as TenantNetworkState, etag: blob.etag};
}

export async function writeTenantNetwork(
	backend: Backend,
	tenant: string,
	state: TenantNetworkState,
	at: Date,
	etag?: string,
): Promise<string> {
	const body = `${JSON.stringify({tenant, updatedAt: at.toISOString(), state}, null, 2)}\n`;
	const {etag: next} = await backend.store.put(tenantNetworkKey(tenant), body, etag ? {ifMatch: etag} : {});
	return next;
}

export async function deleteTenantNetwork(backend: Backend, tenant: string): Promise<void> {
	await backend.store.delete(tenantNetworkKey(tenant));
}
