/**
 * Tenant operations on a backend: what `panka admin tenant …` and `panka login` do, without the
 * CLI. Every operation takes the backend, the caller's identity and a clock from the caller.
 *
 * Invariants:
 * - Tenant names are checked (lowercase-hyphen, 3–63 characters) before any key is built.
 * - Registry changes are compare-and-swap (registry.ts); a tenant's tenant.yaml is created with a
 *   create-only write, so two admins creating the same tenant cannot both succeed.
 * - A secret exists in memory only: `createTenant` and `rotateTenantSecret` return it once; the
 *   registry gets its hash. Rotation bumps `secretVersion`, which ends every session at once.
 * - Suspension and rotation are checked against the registry on every authentication and every
 *   session check (`checkTenantSession`), so they act on the next command, not the next login;
 *   a session's expiry is the one its record on the backend holds (sessions.ts), never the one
 *   in the user's session file.
 * - Authentication failures are one generic AuthenticationError whatever the cause (unknown
 *   tenant, deleted tenant, wrong secret), after the same scrypt work.
 * - `deleteTenant` refuses while any stack of the tenant has resources, operations in flight, a
 *   held lock or a state it cannot read, unless forced. It never destroys data: it marks the
 *   tenant deleted (ending its sessions), then copies `tenants/{name}/` to
 *   `tenants-archive/{name}-{timestamp}/` and deletes the originals, which the stores keep as
 *   earlier versions (S3 versioning, local backups). Re-running it finishes an interrupted move.
 * - A deleted tenant's name stays taken: `createTenant` reuses it only with `reuseDeleted`
 *   (`tenant init --force`). The new tenant continues the old one's secretVersion, so a session
 *   of the deleted tenant can never pass as one of the new tenant.
 */
import {stringify} from 'yaml';
import {nameProblem} from '../model/names.js';
import type {TenantConfig} from '../model/tenant-config.js';
import {parseTenantConfig} from '../resolve/tenant-config-file.js';
import {PreconditionFailedError} from '../state/blob-store.js';
import {type Backend, tenantConfigKey, tenantPrefix} from '../state/backend.js';
import {AuthenticationError, NotAdminError, TenantError} from './errors.js';
import {findTenant, isAdmin, readRegistry, type TenantEntry, type TenantRegistry, updateRegistry} from './registry.js';
import {generateSecret, hashSecret, verifySecret} from './secrets.js';
import {findSession, type SessionClaim} from './sessions.js';
import {plural} from '../presentation.js';

export interface Actor {
	/** Admin identity: STS caller ARN or user@host. */
	identity: string;
	now?: () => Date;
}

const clock = (actor: {now?: () => Date}) => (actor.now ?? (() => new Date()))();

export const archivePrefix = 'tenants-archive/';

export function checkTenantName(name: string): void {
	const problem = nameProblem(name, 'tenant');
	if (problem)
		throw new TenantError(problem, 'tenant names are lowercase letters, digits and hyphens, 3–63 characters, starting with a letter');
}

/** `tenants/acme/tenant.yaml on s3://bucket/prefix`: how messages name a tenant's config. */
export function tenantConfigDisplayName(backend: Backend, name: string): string {
	return `${tenantConfigKey(name)} on ${backend.description}`;
}

export function serializeTenantConfig(config: TenantConfig): string {
	return `# Tenant config of ${config.metadata.name}, written by panka admin tenant init/update.\n${stringify(config, {lineWidth: 0})}`;
}

/** The registry, after checking that `identity` is one of its admins. */
export async function checkAdmin(backend: Backend, identity: string): Promise<TenantRegistry> {
	const {registry} = await readRegistry(backend);
	if (!isAdmin(registry, identity))
		throw new NotAdminError(
			identity,
			backend.description,
			registry.admins.map((a) => a.identity),
		);
	return registry;
}

function requireTenant(registry: TenantRegistry, name: string, backend: Backend): TenantEntry {
	const entry = findTenant(registry, name);
	if (!entry) throw new TenantError(`no tenant "${name}" on ${backend.description}`, 'panka admin tenant list shows the tenants');
	return entry;
}

function requireLiveTenant(registry: TenantRegistry, name: string, backend: Backend): TenantEntry {
	const entry = requireTenant(registry, name, backend);
	if (entry.status === 'deleted')
		throw new TenantError(
			`tenant ${name} was deleted${entry.deletedAt ? ` on ${entry.deletedAt}` : ''}${entry.archivedAs ? ` (archived as ${entry.archivedAs})` : ''}`,
		);
	return entry;
}

// ---- config ----

export interface LoadedTenant {
	config: TenantConfig;
	/** Display name: `tenants/acme/tenant.yaml on local folder /home/me/.panka`. */
	file: string;
	etag: string;
}

/** The tenant's tenant.yaml, parsed and validated; missing or invalid is a TenantError. */
export async function readTenantConfig(backend: Backend, name: string): Promise<LoadedTenant> {
	checkTenantName(name);
	const file = tenantConfigDisplayName(backend, name);
	const blob = await backend.store.get(tenantConfigKey(name));
	if (!blob)
		throw new TenantError(
			`the tenant config ${file} is missing`,
			`an admin can restore it from an earlier version, or rewrite it: panka admin tenant update ${name} --config FILE`,
		);
	const parsed = parseTenantConfig(file, blob.body);
	const problem = parsed.diagnostics.find((d) => d.severity === 'error');
	if (!parsed.config || problem)
		throw new TenantError(
			`the tenant config ${file} is invalid${problem ? `: ${problem.line ? `line ${problem.line}, column ${problem.column ?? 1}: ` : ''}${problem.message}` : ''}`,
			`an admin can fix it: panka admin tenant update ${name} --config FILE`,
		);
	if (parsed.config.metadata.name !== name)
		throw new TenantError(
			`the tenant config ${file} names tenant "${parsed.config.metadata.name}"`,
			`an admin can fix it: panka admin tenant update ${name} --config FILE`,
		);
	return {config: parsed.config, file, etag: blob.etag};
}

// ---- create ----

export interface CreatedTenant {
	entry: TenantEntry;
	/** Shown once; only its hash is stored. */
	secret: string;
	configFile: string;
}

export async function createTenant(
	backend: Backend,
	config: TenantConfig,
	actor: Actor & {reuseDeleted?: boolean},
): Promise<CreatedTenant> {
	const name = config.metadata.name;
	checkTenantName(name);
	const {registry} = await readRegistry(backend);
	if (!isAdmin(registry, actor.identity))
		throw new NotAdminError(
			actor.identity,
			backend.description,
			registry.admins.map((a) => a.identity),
		);
	checkNameFree(registry, name, actor.reuseDeleted ?? false);

	const secret = generateSecret();
	const {record} = await hashSecret(secret);
	const key = tenantConfigKey(name);
	let written: {etag: string};
	try {
		written = await backend.store.put(key, serializeTenantConfig(config), {ifNoneMatch: true});
	} catch (error) {
		if (error instanceof PreconditionFailedError)
			throw new TenantError(
				`${tenantConfigDisplayName(backend, name)} already exists`,
				`tenant ${name} is being created by someone else, or a leftover of a failed create: check panka admin tenant list`,
			);
		throw error;
	}
	try {
		const {result} = await updateRegistry(backend, (fresh) => {
			const previous = checkNameFree(fresh, name, actor.reuseDeleted ?? false);
			const at = clock(actor).toISOString();
			const entry: TenantEntry = {
				name,
				status: 'active',
				createdAt: config.metadata.createdAt ?? at,
				createdBy: actor.identity,
				secret: record,
				secretVersion: (previous?.secretVersion ?? 0) + 1,
				rotatedAt: at,
				...(previous
					? {
							previous: [
								...(previous.previous ?? []),
								{
									createdAt: previous.createdAt,
									...(previous.deletedAt ? {deletedAt: previous.deletedAt} : {}),
									...(previous.archivedAs ? {archivedAs: previous.archivedAs} : {}),
								},
							],
						}
					: {}),
			};
			fresh.tenants = [...fresh.tenants.filter((t) => t.name !== name), entry].sort((a, b) => a.name.localeCompare(b.name));
			return entry;
		});
		return {entry: result, secret, configFile: tenantConfigDisplayName(backend, name)};
	} catch (error) {
		// Undo our tenant.yaml so a retry can succeed; leave it if someone changed it since.
		await backend.store.delete(key, {ifMatch: written.etag}).catch(() => undefined);
		throw error;
	}
}

/** Throws unless `name` can be created; returns the deleted entry being replaced, if any. */
function checkNameFree(registry: TenantRegistry, name: string, reuseDeleted: boolean): TenantEntry | undefined {
	const existing = findTenant(registry, name);
	if (!existing) return undefined;
	if (existing.status !== 'deleted')
		throw new TenantError(`tenant ${name} already exists (${existing.status})`, `panka admin tenant show ${name}`);
	if (!reuseDeleted)
		throw new TenantError(
			`tenant name ${name} belonged to a deleted tenant${existing.archivedAs ? ` (archived as ${existing.archivedAs})` : ''}`,
			`to give the name to a new tenant, pass --force: panka admin tenant init ${name} --force …`,
		);
	return existing;
}

// ---- read ----

export async function listTenants(backend: Backend): Promise<TenantEntry[]> {
	const {registry} = await readRegistry(backend);
	return registry.tenants;
}

export interface TenantDetails {
	entry: TenantEntry;
	/** Absent for a deleted tenant (its config is in the archive). */
	config?: TenantConfig;
	configFile: string;
}

export async function showTenant(backend: Backend, name: string): Promise<TenantDetails> {
	checkTenantName(name);
	const {registry} = await readRegistry(backend);
	const entry = requireTenant(registry, name, backend);
	if (entry.status === 'deleted')
		return {entry, configFile: entry.archivedAs ? `${entry.archivedAs}tenant.yaml on ${backend.description}` : '(deleted)'};
	const loaded = await readTenantConfig(backend, name);
	return {entry, config: loaded.config, configFile: loaded.file};
}

/** A registry entry without its secret hash, for display and --json. */
export function publicEntry(entry: TenantEntry): Omit<TenantEntry, 'secret'> {
	const {secret: _secret, ...rest} = entry;
	return rest;
}

// ---- update, rotate, suspend, activate ----

export async function updateTenantConfig(backend: Backend, name: string, config: TenantConfig, actor: Actor): Promise<void> {
	checkTenantName(name);
	if (config.metadata.name !== name) throw new TenantError(`the new config names tenant "${config.metadata.name}", not ${name}`);
	const registry = await checkAdmin(backend, actor.identity);
	requireLiveTenant(registry, name, backend);
	const current = await readTenantConfig(backend, name);
	try {
		await backend.store.put(tenantConfigKey(name), serializeTenantConfig(config), {ifMatch: current.etag});
	} catch (error) {
		if (error instanceof PreconditionFailedError)
			throw new TenantError(`${current.file} changed while it was being updated`, 'nothing was written; run the update again');
		throw error;
	}
	await updateRegistry(backend, (fresh) => {
		const entry = requireLiveTenant(fresh, name, backend);
		entry.updatedAt = clock(actor).toISOString();
		entry.updatedBy = actor.identity;
	});
}

export async function rotateTenantSecret(backend: Backend, name: string, actor: Actor): Promise<{secret: string; secretVersion: number}> {
	checkTenantName(name);
	await checkAdmin(backend, actor.identity);
	const secret = generateSecret();
	const {record} = await hashSecret(secret);
	const {result} = await updateRegistry(backend, (fresh) => {
		if (!isAdmin(fresh, actor.identity))
			throw new NotAdminError(
				actor.identity,
				backend.description,
				fresh.admins.map((a) => a.identity),
			);
		const entry = requireLiveTenant(fresh, name, backend);
		entry.secret = record;
		entry.secretVersion += 1;
		entry.rotatedAt = clock(actor).toISOString();
		return entry.secretVersion;
	});
	return {secret, secretVersion: result};
}

export async function setTenantStatus(
	backend: Backend,
	name: string,
	status: 'active' | 'suspended',
	actor: Actor,
): Promise<{changed: boolean; entry: TenantEntry}> {
	checkTenantName(name);
	await checkAdmin(backend, actor.identity);
	const {result} = await updateRegistry(backend, (fresh) => {
		if (!isAdmin(fresh, actor.identity))
			throw new NotAdminError(
				actor.identity,
				backend.description,
				fresh.admins.map((a) => a.identity),
			);
		const entry = requireLiveTenant(fresh, name, backend);
		if (entry.status === status) return {changed: false, entry};
		entry.status = status;
		const at = clock(actor).toISOString();
		if (status === 'suspended') entry.suspendedAt = at;
		else {
			entry.activatedAt = at;
			delete entry.suspendedAt;
		}
		return {changed: true, entry};
	});
	return result;
}

// ---- delete ----

export interface StackInUse {
	stack: string;
	environment: string;
	resources: number;
	pending: number;
	locked: boolean;
	/** The state exists but could not be parsed: counted as in use. */
	unreadable: boolean;
}

/** Stack environments of a tenant that hold resources, operations in flight or a lock. */
export async function stacksInUse(backend: Backend, name: string): Promise<StackInUse[]> {
	const prefix = `${tenantPrefix(name)}v1/stacks/`;
	const byEnv = new Map<string, StackInUse>();
	for (const key of await backend.store.list(prefix)) {
		const parts = key.slice(prefix.length).split('/');
		if (parts.length !== 3) continue;
		const [stack, environment, file] = parts as [string, string, string];
		if (file !== 'state.json' && file !== 'state.lock') continue;
		const id = `${stack}/${environment}`;
		const info = byEnv.get(id) ?? {stack, environment, resources: 0, pending: 0, locked: false, unreadable: false};
		byEnv.set(id, info);
		if (file === 'state.lock') {
			info.locked = true;
			continue;
		}
		const blob = await backend.store.get(key);
		if (!blob) continue;
		try {
			const state = JSON.parse(blob.body) as {resources?: Record<string, unknown>; pending?: unknown[]};
			info.resources = Object.keys(state.resources ?? {}).length;
			info.pending = Array.isArray(state.pending) ? state.pending.length : 0;
		} catch {
			info.unreadable = true;
		}
	}
	return [...byEnv.values()].filter((s) => s.resources > 0 || s.pending > 0 || s.locked || s.unreadable);
}

export function describeStackInUse(s: StackInUse): string {
	const parts = [
		s.resources ? `${plural(s.resources, 'resource')}` : '',
		s.pending ? `${plural(s.pending, 'operation')} in flight` : '',
		s.locked ? 'locked' : '',
		s.unreadable ? 'state unreadable' : '',
	].filter(Boolean);
	return `${s.stack}/${s.environment} (${parts.join(', ')})`;
}

export interface DeletedTenant {
	archivedAs: string;
	moved: number;
	/** What --force overrode. */
	inUse: StackInUse[];
	/** True when this call finished an earlier, interrupted delete. */
	resumed: boolean;
}

export async function deleteTenant(backend: Backend, name: string, actor: Actor & {force?: boolean}): Promise<DeletedTenant> {
	checkTenantName(name);
	const registry = await checkAdmin(backend, actor.identity);
	const entry = requireTenant(registry, name, backend);
	const prefix = tenantPrefix(name);
	const resumed = entry.status === 'deleted';
	let inUse: StackInUse[] = [];
	if (resumed) {
		if ((await backend.store.list(prefix)).length === 0 || !entry.archivedAs)
			throw new TenantError(`tenant ${name} is already deleted${entry.archivedAs ? ` (archived as ${entry.archivedAs})` : ''}`);
	} else {
		inUse = await stacksInUse(backend, name);
		if (inUse.length > 0 && !actor.force)
			throw new TenantError(
				`tenant ${name} still has deployed stacks: ${inUse.map(describeStackInUse).join('; ')}`,
				'destroy them first (panka destroy), or pass --force to archive the tenant with its state anyway',
			);
	}
	const at = clock(actor);
	const archivedAs =
		entry.archivedAs ??
		`${archivePrefix}${name}-${at
			.toISOString()
			.replace(/[-:]/g, '')
			.replace(/\.\d+Z$/, 'Z')}/`;
	if (!resumed) {
		// First end every session (status deleted, no secret), then move the data.
		await updateRegistry(backend, (fresh) => {
			const current = requireTenant(fresh, name, backend);
			if (current.status === 'deleted') throw new TenantError(`tenant ${name} was deleted by someone else meanwhile`);
			current.status = 'deleted';
			current.deletedAt = at.toISOString();
			current.deletedBy = actor.identity;
			current.archivedAs = archivedAs;
			delete current.secret;
			delete current.suspendedAt;
		});
	}
	const keys = await backend.store.list(prefix);
	const copied: Array<{key: string; etag: string}> = [];
	for (const key of keys) {
		const blob = await backend.store.get(key);
		if (!blob) continue;
		const target = archivedAs + key.slice(prefix.length);
		try {
			await backend.store.put(target, blob.body, {ifNoneMatch: true});
		} catch (error) {
			if (!(error instanceof PreconditionFailedError)) throw error;
			// Copied by an interrupted run: fine if identical, otherwise stop before deleting anything.
			const existing = await backend.store.get(target);
			if (existing?.body !== blob.body)
				throw new TenantError(
					`${target} already exists with other content`,
					'nothing under tenants/ was deleted; compare the two and remove one',
				);
		}
		copied.push({key, etag: blob.etag});
	}
	for (const {key, etag} of copied) await backend.store.delete(key, {ifMatch: etag});
	return {archivedAs, moved: copied.length, inUse, resumed};
}

// ---- authentication and sessions ----

export interface Authenticated {
	entry: TenantEntry;
}

/**
 * Check a tenant's secret. Unknown tenant, deleted tenant and wrong secret are the same
 * AuthenticationError after the same work; a right secret for a suspended tenant says so.
 */
export async function authenticateTenant(backend: Backend, name: string, secret: string): Promise<Authenticated> {
	checkTenantName(name);
	const {registry} = await readRegistry(backend);
	const entry = findTenant(registry, name);
	const record = entry && entry.status !== 'deleted' ? entry.secret : undefined;
	const key = await verifySecret(secret, record);
	if (!key || !entry) throw new AuthenticationError();
	if (entry.status === 'suspended') throw suspendedError(name);
	return {entry};
}

/**
 * Re-check a session against the backend (every command does): its record (token, expiry at `now`)
 * and the registry, so rotation, suspension, deletion, logout and expiry act at once. A token that
 * does not match is a generic AuthenticationError.
 */
export async function checkTenantSession(backend: Backend, claim: SessionClaim, now: Date): Promise<TenantEntry> {
	checkTenantName(claim.tenant);
	const {registry} = await readRegistry(backend);
	const entry = findTenant(registry, claim.tenant);
	if (!entry || entry.status === 'deleted')
		throw new TenantError(`tenant ${claim.tenant} no longer exists on ${backend.description}`, 'run panka logout; ask your platform admin');
	const session = await findSession(backend, claim, now);
	if (entry.secretVersion !== session.secretVersion)
		throw new TenantError('credentials were rotated: run panka login again', 'your platform admin has a new secret for you');
	if (entry.status === 'suspended') throw suspendedError(claim.tenant);
	return entry;
}

function suspendedError(name: string): TenantError {
	return new TenantError(
		`tenant ${name} is suspended`,
		`nothing was done; ask your platform admin to reactivate it (panka admin tenant activate ${name})`,
	);
}
