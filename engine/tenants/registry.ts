/**
 * The tenant registry, `tenants.yaml` at the root of a backend (`admin.panka.io/v1`,
 * `kind: TenantRegistry`): who the admins are, and every tenant with its status and secret hash.
 *
 * Invariants:
 * - Only `createRegistry` makes the file, with a create-only write (ifNoneMatch), and only
 *   `panka admin init` calls it. Nothing else ever writes a registry that was not read first.
 * - A missing registry, an unparsable one and an unreadable one are errors that say so. None is
 *   ever treated as empty (the old tool wrote a fresh empty registry over any read error and lost
 *   every tenant). A missing registry on a backend that holds tenant data says to restore it.
 * - Every change is read → modify → write with compare-and-swap on the etag: a concurrent change
 *   makes the write fail with PreconditionFailedError, and the change is re-applied to the fresh
 *   registry (a few times) so no update is lost.
 * - The registry holds secret hashes (see secrets.ts), never secrets.
 * - Unknown fields are kept on rewrite, so an older panka does not drop what a newer one added.
 */
import {parseDocument, stringify} from 'yaml';
import {z} from '../zod.js';
import {BackendError} from '../state/blob-store.js';
import {compareAndSwap} from '../state/compare-and-swap.js';
import {type Backend, registryKey} from '../state/backend.js';
import {earlierVersionsHint} from '../state/blob-location.js';
import {RegistryError, TenantError} from './errors.js';
import {secretHashSchema} from './secrets.js';

export const registryApiVersion = 'admin.panka.io/v1';
export const registryKind = 'TenantRegistry';

export const tenantStatuses = ['active', 'suspended', 'deleted'] as const;
export type TenantStatus = (typeof tenantStatuses)[number];

const adminSchema = z.looseObject({
	/** STS caller ARN (S3 backend) or user@host (local backend). */
	identity: z.string().min(1),
	addedAt: z.string(),
	addedBy: z.string().optional(),
});

const previousIncarnationSchema = z.looseObject({
	createdAt: z.string(),
	deletedAt: z.string().optional(),
	archivedAs: z.string().optional(),
});

export const tenantEntrySchema = z.looseObject({
	name: z.string().min(1),
	status: z.enum(tenantStatuses),
	createdAt: z.string(),
	createdBy: z.string(),
	/** Absent once the tenant is deleted: nobody can log in to a deleted tenant. */
	secret: secretHashSchema.optional(),
	/** 1 at creation, +1 on every rotation; sessions record it, so a rotation ends them. */
	secretVersion: z.int().min(1),
	rotatedAt: z.string().optional(),
	suspendedAt: z.string().optional(),
	activatedAt: z.string().optional(),
	updatedAt: z.string().optional(),
	updatedBy: z.string().optional(),
	deletedAt: z.string().optional(),
	deletedBy: z.string().optional(),
	/** Where `delete` moved the tenant's folder: `tenants-archive/{name}-{timestamp}/`. */
	archivedAs: z.string().optional(),
	/** Earlier tenants of the same name (a deleted name re-used with `tenant init --force`). */
	previous: z.array(previousIncarnationSchema).optional(),
});
export type TenantEntry = z.output<typeof tenantEntrySchema>;

export const registrySchema = z.looseObject({
	apiVersion: z.literal(registryApiVersion),
	kind: z.literal(registryKind),
	metadata: z.looseObject({createdAt: z.string(), createdBy: z.string()}).optional(),
	admins: z.array(adminSchema),
	tenants: z.array(tenantEntrySchema),
});
export type TenantRegistry = z.output<typeof registrySchema>;

export interface LoadedRegistry {
	registry: TenantRegistry;
	etag: string;
}

export function newRegistry(identity: string, now: Date): TenantRegistry {
	const at = now.toISOString();
	return {
		apiVersion: registryApiVersion,
		kind: registryKind,
		metadata: {createdAt: at, createdBy: identity},
		admins: [{identity, addedAt: at}],
		tenants: [],
	};
}

export function serializeRegistry(registry: TenantRegistry): string {
	return `# panka tenant registry: admins and tenants (secret hashes only). Written by panka; edit with care.\n${stringify(registry, {lineWidth: 0})}`;
}

/** Parse the registry text; every problem is a RegistryError naming where it is. */
export function parseRegistry(text: string, backend: Backend): TenantRegistry {
	const where = `${registryKey} on ${backend.description}`;
	const document = parseDocument(text, {prettyErrors: true});
	const syntax = document.errors[0];
	if (syntax) {
		const pos = syntax.linePos?.[0];
		throw new RegistryError(
			`${where} is not a valid tenant registry: YAML error${pos ? ` at line ${pos.line}, column ${pos.col}` : ''}: ${syntax.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`,
			restoreHint(backend),
		);
	}
	const parsed = registrySchema.safeParse(document.toJS());
	if (!parsed.success) {
		const issue = parsed.error.issues[0]!;
		throw new RegistryError(
			`${where} is not a valid tenant registry: ${issue.path.join('.') || '(document)'}: ${issue.message}`,
			restoreHint(backend),
		);
	}
	const names = new Set<string>();
	for (const tenant of parsed.data.tenants) {
		if (names.has(tenant.name))
			throw new RegistryError(`${where} is not a valid tenant registry: tenant ${tenant.name} is listed twice`, restoreHint(backend));
		names.add(tenant.name);
	}
	return parsed.data;
}

function restoreHint(backend: Backend): string {
	return `nothing was changed; ${earlierVersionsHint(backend, registryKey)}`;
}

/**
 * Read the registry. Missing → RegistryError (never an empty registry); unreadable → the store's
 * BackendError wrapped with what was being read; unparsable → RegistryError with the position.
 */
export async function readRegistry(backend: Backend): Promise<LoadedRegistry> {
	const where = `${registryKey} on ${backend.description}`;
	let blob: Awaited<ReturnType<Backend['store']['get']>>;
	try {
		blob = await backend.store.get(registryKey);
	} catch (error) {
		if (error instanceof BackendError)
			throw new RegistryError(
				`cannot read the tenant registry: ${error.message}`,
				error.hint ?? 'nothing was changed; check access to the backend',
				{cause: error},
			);
		throw error;
	}
	if (!blob) {
		const data = await backend.store.list('tenants/');
		if (data.length > 0)
			throw new RegistryError(
				`the tenant registry ${where} is missing, but the backend holds tenant data (${data.length} objects under tenants/)`,
				`nothing was changed and nothing will be written; restore ${registryKey}: ${earlierVersionsHint(backend, registryKey)}`,
			);
		throw new RegistryError(
			`no tenant registry on ${backend.description}: ${registryKey} does not exist`,
			`set the backend up first: panka admin init${backendFlagFor(backend)}`,
		);
	}
	return {registry: parseRegistry(blob.body, backend), etag: blob.etag};
}

function backendFlagFor(backend: Backend): string {
	return backend.spec.kind === 's3' ? ` --backend ${backend.description}` : ` --home ${backend.spec.home}`;
}

/** Create the registry; fails (PreconditionFailedError) when one exists. Only for `admin init`. */
export async function createRegistry(backend: Backend, registry: TenantRegistry): Promise<void> {
	await backend.store.put(registryKey, serializeRegistry(registry), {ifNoneMatch: true});
}

export interface UpdateOptions {
	/** Attempts before giving up on a contended registry (default 5). */
	attempts?: number;
}

/**
 * Read → `change` → write with compare-and-swap. `change` gets a fresh copy each attempt and may
 * throw to abort (nothing is written); its return value is passed back.
 */
export async function updateRegistry<T>(
	backend: Backend,
	change: (registry: TenantRegistry) => T | Promise<T>,
	options: UpdateOptions = {},
): Promise<{registry: TenantRegistry; result: T}> {
	return compareAndSwap(
		backend.store,
		registryKey,
		async () => {
			const {registry, etag} = await readRegistry(backend);
			const result = await change(registry);
			return {body: serializeRegistry(registry), etag, result: {registry, result}};
		},
		{
			...(options.attempts !== undefined ? {attempts: options.attempts} : {}),
			contended: (attempts) =>
				new TenantError(
					`the tenant registry on ${backend.description} kept changing under this update (${attempts} attempts)`,
					'another admin command is running; try again',
				),
		},
	);
}

export function findTenant(registry: TenantRegistry, name: string): TenantEntry | undefined {
	return registry.tenants.find((t) => t.name === name);
}

export function isAdmin(registry: TenantRegistry, identity: string): boolean {
	return registry.admins.some((a) => a.identity === identity);
}
