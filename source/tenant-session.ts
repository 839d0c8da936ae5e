/**
 * The tenant a command acts for. Every tenant-scoped command calls `openTenantSession`.
 *
 * Where the tenant comes from, first match wins:
 *   1. `PANKA_TENANT_SECRET` (with `PANKA_TENANT` or `--tenant`): CI. The secret is checked against
 *      the registry on this command (slow scrypt, once per command); no session file is needed.
 *      The backend is the selected one (backend-selection.ts).
 *   2. the session file written by `panka login` (session.ts), on the backend it was opened on.
 *
 * Invariants:
 * - The registry and the session's record are re-read on every call: a suspended tenant fails
 *   now, a rotated secret ends the session ("credentials were rotated: run panka login again"), a
 *   deleted tenant is gone, and the session expires when the backend's record says, whatever the
 *   session file says.
 * - The returned backend is scoped to `tenants/{tenant}/` (TenantScopedStore): state, locks and
 *   the tenant's config; the registry and other tenants cannot be addressed through it.
 * - Not logged in: `required` → a usage error naming `panka login` and the CI variables;
 *   otherwise undefined, and the command works without a tenant as before.
 */
import type {AwsClients, Backend, TenantEntry} from '../engine/backends.js';
import {nameProblem, type TenantConfig} from '../engine/index.js';
import {openBackendSpec, parseBackendText} from './backend-selection.js';
import type {CommandContext} from './context.js';
import {UsageError} from './errors.js';
import type {Flags} from './flags.js';
import {readSession, sessionFileExists} from './session.js';

export interface TenantSession {
	/** The backend seen through the tenant's scope: only `tenants/{tenant}/` is addressable. */
	backend: Backend;
	tenant: string;
	/** The registry entry (status, secretVersion, dates), without the secret hash. */
	entry: Omit<TenantEntry, 'secret'>;
	config: TenantConfig;
	/** `tenants/acme/tenant.yaml on s3://bucket/prefix`. */
	configFile: string;
	secretVersion: number;
	/** The caller's AWS clients (region: AWS_REGION, else the tenant's region). */
	clients: AwsClients;
	/** How the tenant was authenticated. */
	via: 'session' | 'environment';
}

export interface OpenTenantSessionOptions {
	/** Not logged in is a usage error (true) or undefined (false). */
	required: boolean;
}

export const notLoggedInHint = 'run panka login (in CI: set PANKA_TENANT and PANKA_TENANT_SECRET)';

/** True when this command could act for a tenant: a session file exists, or CI credentials are set. */
export async function hasTenantCredentials(context: CommandContext): Promise<boolean> {
	return Boolean(context.env.PANKA_TENANT_SECRET) || (await sessionFileExists(context));
}

export async function openTenantSession(
	context: CommandContext,
	flags: Partial<Pick<Flags, 'tenant' | 'backend' | 'home'>>,
	options: OpenTenantSessionOptions,
): Promise<TenantSession | undefined> {
	const envTenant = flags.tenant ?? context.env.PANKA_TENANT;
	const envSecret = context.env.PANKA_TENANT_SECRET;
	const tenants = await import('../engine/backends.js');

	if (envSecret) {
		if (!envTenant)
			throw new UsageError('PANKA_TENANT_SECRET is set but PANKA_TENANT is not', 'set PANKA_TENANT to the Tenant ID the secret belongs to');
		const problem = nameProblem(envTenant, 'tenant');
		if (problem) throw new UsageError(`PANKA_TENANT: ${problem}`);
		const {selectBackend} = await import('./backend-selection.js');
		const choice = await selectBackend(context, flags);
		const {backend} = await openBackendSpec(context, choice.spec);
		const {entry} = await tenants.authenticateTenant(backend, envTenant, envSecret);
		return finish(context, backend, entry, 'environment');
	}

	const session = await readSession(context);
	if (!session) {
		if (!options.required) return undefined;
		if (envTenant)
			throw new UsageError(`PANKA_TENANT=${envTenant} is set, but not PANKA_TENANT_SECRET, and nobody is logged in`, notLoggedInHint);
		throw new UsageError('not logged in as a tenant', notLoggedInHint);
	}
	if (envTenant && envTenant !== session.tenant)
		throw new UsageError(
			`PANKA_TENANT is ${envTenant} but you are logged in as ${session.tenant}`,
			`run panka login --tenant ${envTenant}, or unset PANKA_TENANT`,
		);
	const parsed = await parseBackendText(context, session.backend, 'the session backend');
	const spec = parsed.kind === 's3' && session.backendRegion ? {...parsed, region: session.backendRegion} : parsed;
	const {backend} = await openBackendSpec(context, spec);
	const entry = await tenants.checkTenantSession(
		backend,
		{tenant: session.tenant, id: session.sessionId, token: session.token},
		new Date(),
	);
	return finish(context, backend, entry, 'session');
}

async function finish(context: CommandContext, backend: Backend, entry: TenantEntry, via: TenantSession['via']): Promise<TenantSession> {
	const [{readTenantConfig, publicEntry}, {tenantScopedBackend}, {AwsClients}, {awsSettingsFromEnv}] = await Promise.all([
		import('../engine/backends.js'),
		import('../engine/backends.js'),
		import('../engine/backends.js'),
		import('./aws-settings.js'),
	]);
	const scoped = tenantScopedBackend(backend, entry.name);
	const {config, file} = await readTenantConfig(scoped, entry.name);
	return {
		backend: scoped,
		tenant: entry.name,
		entry: publicEntry(entry),
		config,
		configFile: file,
		secretVersion: entry.secretVersion,
		clients: new AwsClients(await awsSettingsFromEnv(context.env, config.spec.aws.region)),
		via,
	};
}

/**
 * The tenant config a workspace should use when no `--tenant-config` was given: the logged-in
 * tenant's, from the registry. Undefined when nobody is logged in (no AWS SDK is loaded then).
 */
export async function sessionTenantConfig(context: CommandContext): Promise<{config: TenantConfig; file: string} | undefined> {
	if (!(await hasTenantCredentials(context))) return undefined;
	const session = await openTenantSession(context, {}, {required: false});
	return session ? {config: session.config, file: session.configFile} : undefined;
}
