/**
 * Provisioning and tearing down a tenant's networking from the admin commands: in the tenant's
 * region and account (AssumeRole when the config names a role), streaming one line per AWS
 * resource, checkpointing the IDs to `tenants/{tenant}/network.json` after every resource so a
 * crash never forgets one. The lines go to a `Progress` the command's view gives (stdout for a
 * person, stderr under --json).
 */
import type {AwsClients, Backend} from '../engine/backends.js';
import type {ExecutorEvent, TenantConfig} from '../engine/index.js';
import type {Paint} from './context.js';

/** Where progress lines go, and their colours. */
export interface Progress {
	paint: Paint;
	line(text: string): void;
}

function tenantClients(admin: AwsClients, config: TenantConfig): AwsClients {
	return admin.inTenantAccount(config.spec.aws, `panka-admin-${config.metadata.name}`);
}

function progressPrinter({paint, line}: Progress) {
	return (event: ExecutorEvent<unknown>) => {
		if (event.type === 'operation.done')
			line(`  ${paint('✓', 'green')} ${event.id} ${paint(`(${(event.elapsedMs / 1000).toFixed(1)}s)`, 'gray')}`);
		else if (event.type === 'operation.progress') line(paint(`    ${event.id}: ${event.phase}`, 'gray'));
		else if (event.type === 'operation.failed')
			line(`  ${paint('✗', 'red')} ${event.id}: ${(event.error as Error)?.message ?? String(event.error)}`);
		else if (event.type === 'operation.skipped') line(`  ${paint('⊘', 'yellow')} ${event.id}: ${event.reason}`);
	};
}

/** Provision (or reconcile) the network; returns a one-line summary. */
export async function provisionNetwork(progress: Progress, backend: Backend, admin: AwsClients, config: TenantConfig): Promise<string> {
	const [{provisionTenantNetwork}, store] = await Promise.all([import('../engine/admin.js'), import('../engine/backends.js')]);
	const tenant = config.metadata.name;
	const previous = await store.readTenantNetwork(backend, tenant);
	let etag = previous?.etag;
	let checkpoint = Promise.resolve();
	progress.line(`Provisioning networking for ${tenant} in ${config.spec.aws.region} (account ${config.spec.aws.accountId})…`);
	const state = await provisionTenantNetwork(config, {
		clients: tenantClients(admin, config),
		...(previous ? {previous: previous.state} : {}),
		onEvent: progressPrinter(progress),
		onResource: (change) => {
			const partial = change.state;
			if (!partial.vpcId || !partial.defaultSecurityGroupId) return;
			const snapshot = {...partial, vpcId: partial.vpcId, defaultSecurityGroupId: partial.defaultSecurityGroupId};
			checkpoint = checkpoint.then(async () => {
				etag = await store.writeTenantNetwork(backend, tenant, snapshot, new Date(), etag);
			});
		},
	});
	await checkpoint;
	await store.writeTenantNetwork(backend, tenant, state, new Date(), etag);
	return `Networking provisioned: ${state.vpcId}, ${state.subnets.public.length + state.subnets.private.length} subnets, ${state.natGateways.length} NAT gateway${state.natGateways.length === 1 ? '' : 's'}, security group ${state.defaultSecurityGroupId}`;
}

/** Tear the network down in dependency order and forget its record. */
export async function teardownNetwork(
	progress: Progress,
	backend: Backend,
	admin: AwsClients,
	config: TenantConfig,
): Promise<string | undefined> {
	const [{teardownTenantNetwork}, store] = await Promise.all([import('../engine/admin.js'), import('../engine/backends.js')]);
	const tenant = config.metadata.name;
	const recorded = await store.readTenantNetwork(backend, tenant);
	progress.line(`Tearing down the networking of ${tenant}…`);
	await teardownTenantNetwork(recorded?.state, {clients: tenantClients(admin, config), tenant, onEvent: progressPrinter(progress)});
	if (recorded) await store.deleteTenantNetwork(backend, tenant);
	return recorded
		? `Networking removed: ${recorded.state.vpcId}`
		: 'Networking removed (nothing was recorded; resources found by tags were deleted)';
}
