/**
 * Tenant isolation at the storage layer: a tenant session's backend can only address keys under
 * `tenants/{its name}/` (its tenant.yaml and its stacks' state and locks). Anything else — the
 * registry, another tenant, the archive — throws before a request is made.
 *
 * Invariant: every BlobStore method of the scoped store checks its key (or list prefix) first, with
 * the same unsafe-key rules as the stores themselves, so `..` cannot climb out of the prefix; a
 * refusal is a rejected promise, like any other storage failure.
 */
import {assertSafeKey, type Blob, type BlobStore, type BlobVersion, type PutCondition} from '../state/blob-store.js';
import {type Backend, tenantPrefix} from '../state/backend.js';
import {TenantError} from './errors.js';

export class TenantIsolationError extends TenantError {
	constructor(tenant: string, key: string) {
		super(
			`tenant ${tenant} may only address ${tenantPrefix(tenant)}; refused "${key}"`,
			'this is a bug in the caller: tenant commands must build keys with the backend key functions',
		);
		this.name = 'TenantIsolationError';
	}
}

export class TenantScopedStore implements BlobStore {
	readonly description: string;
	readonly prefix: string;

	constructor(
		readonly inner: BlobStore,
		readonly tenant: string,
	) {
		this.prefix = tenantPrefix(tenant);
		this.description = inner.description;
	}

	/** Throws TenantIsolationError unless `key` lies under this tenant's prefix. */
	check(key: string): string {
		if (!key.startsWith(this.prefix) || key === this.prefix) throw new TenantIsolationError(this.tenant, key);
		assertSafeKey(key.replace(/\/+$/, ''));
		return key;
	}

	async get(key: string): Promise<Blob | undefined> {
		return this.inner.get(this.check(key));
	}

	async put(key: string, body: string, condition?: PutCondition): Promise<{etag: string}> {
		return this.inner.put(this.check(key), body, condition);
	}

	async delete(key: string, condition?: {ifMatch?: string}): Promise<void> {
		return this.inner.delete(this.check(key), condition);
	}

	async list(prefix: string): Promise<string[]> {
		if (prefix !== this.prefix) this.check(prefix);
		return this.inner.list(prefix);
	}

	async versions(key: string): Promise<BlobVersion[]> {
		return this.inner.versions(this.check(key));
	}

	async getVersion(key: string, id: string): Promise<string | undefined> {
		return this.inner.getVersion(this.check(key), id);
	}
}

/** The same backend, seen through a tenant's scope. */
export function tenantScopedBackend(backend: Backend, tenant: string): Backend {
	return {...backend, store: new TenantScopedStore(backend.store, tenant)};
}
