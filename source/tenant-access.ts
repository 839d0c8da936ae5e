/**
 * Checking whether the caller can act in a tenant's AWS account (engine/tenants/tenant-access.ts
 * asks STS): after `admin tenant init` and `panka login`, so a missing role or a wrong trust
 * policy shows up there and not in the middle of an apply. The command hands the answer to its
 * view (views/access-view.ts says it); a failure stops nothing by itself, the caller decides.
 */
import type {AccessCheck} from '../engine/admin.js';
import type {AwsClients} from '../engine/backends.js';
import type {TenantConfig} from '../engine/index.js';

/** Whether `clients` can act in the tenant's account; `justCreated` waits for a new role to be trusted. */
export async function tenantAccess(
	clients: AwsClients,
	config: TenantConfig,
	sessionName: string,
	justCreated = false,
): Promise<AccessCheck> {
	const {checkTenantAccess} = await import('../engine/admin.js');
	return checkTenantAccess(clients, config, {sessionName, ...(justCreated ? {retryForMs: 30_000} : {})});
}
