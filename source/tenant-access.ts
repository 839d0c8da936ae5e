/**
 * Saying whether the caller can act in a tenant's AWS account (engine/tenants/tenant-access.ts
 * checks it with STS): after `admin tenant init` and `panka login`, so a missing role or a wrong
 * trust policy shows up there and not in the middle of an apply. Success on stdout; a failure on
 * stderr with its hint (the caller decides whether it stops anything).
 */
import type {AwsClients} from '../engine/backends.js';
import type {TenantConfig} from '../engine/index.js';
import {type CommandContext, painter, writeLine} from './context.js';

/** Checks with STS that `clients` can act in the tenant's account and says so; true when it can. */
export async function reportTenantAccess(
	context: CommandContext,
	clients: AwsClients,
	config: TenantConfig,
	sessionName: string,
	justCreated = false,
): Promise<boolean> {
	const {checkTenantAccess} = await import('../engine/admin.js');
	const paint = painter(context.color);
	const access = await checkTenantAccess(clients, config, {sessionName, ...(justCreated ? {retryForMs: 30_000} : {})});
	if (access.ok) {
		writeLine(context.stdout, `${paint('✓', 'green', 'bold')} AWS access: ${access.message}`);
		return true;
	}
	const paintErr = painter(context.color && !!context.stderr.isTTY);
	writeLine(context.stderr, `${paintErr('✗ AWS access:', 'red', 'bold')} ${access.message}`);
	writeLine(context.stderr, `${paintErr('hint:', 'cyan')} ${access.hint}`);
	return false;
}
