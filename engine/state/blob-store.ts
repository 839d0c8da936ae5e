/**
 * The storage primitive under every backend: named text blobs with compare-and-swap writes.
 *
 * Two implementations (a local folder, an S3 bucket) pass one conformance suite; everything
 * above — the tenant registry, tenant configs, state documents, locks — is written once against
 * this interface, so both backends behave the same.
 *
 * Invariants every implementation keeps:
 * - `get` returns the body and an opaque `etag` that changes whenever the body changes.
 * - `put` and `delete` with `ifMatch` act only if the current etag is that one (a missing key
 *   matches no etag); `put` with `ifNoneMatch` only if the key does not exist. Otherwise they
 *   throw PreconditionFailedError and change nothing.
 * - A write is atomic (a reader sees the old body or the new one, never a mix or nothing) and
 *   keeps the previous version (local: numbered backups; S3: bucket versioning).
 * - A missing key is `undefined`; any other failure to read throws (BackendError). Nothing ever
 *   treats an unreadable blob as an empty one (the old tool overwrote its registry that way).
 * - Keys are `/`-separated, relative, and never contain `..` (callers build them from validated
 *   names; `assertSafeKey` checks again).
 */

export interface Blob {
	body: string;
	etag: string;
}

export interface PutCondition {
	/** Write only if the current etag equals this one. */
	ifMatch?: string;
	/** Write only if the key does not exist yet. */
	ifNoneMatch?: true;
}

export interface BlobVersion {
	/** Opaque: local backup number or S3 version id. */
	id: string;
	modified: string;
	size: number;
	latest: boolean;
}

export interface BlobStore {
	/** `local folder /home/me/.panka` or `s3://bucket/prefix`, for messages. */
	readonly description: string;
	get(key: string): Promise<Blob | undefined>;
	put(key: string, body: string, condition?: PutCondition): Promise<{etag: string}>;
	delete(key: string, condition?: {ifMatch?: string}): Promise<void>;
	/** Keys under a prefix (recursive), sorted. */
	list(prefix: string): Promise<string[]>;
	/** Earlier versions of a key, newest first (backups / S3 versions). */
	versions(key: string): Promise<BlobVersion[]>;
	/** The body of one earlier version. */
	getVersion(key: string, id: string): Promise<string | undefined>;
}

/** A conditional write lost its race: someone else wrote (or created) the key first. */
export class PreconditionFailedError extends Error {
	constructor(
		readonly key: string,
		message = `${key} was changed by someone else`,
		options?: {cause?: unknown},
	) {
		super(message, options);
		this.name = 'PreconditionFailedError';
	}
}

/** The backend cannot be read or written (permissions, network, a missing bucket, corruption). */
export class BackendError extends Error {
	constructor(
		message: string,
		readonly hint?: string,
		options?: {cause?: unknown},
	) {
		super(message, options);
		this.name = 'BackendError';
	}
}

export function assertSafeKey(key: string): void {
	if (
		key === '' ||
		key.startsWith('/') ||
		key.split('/').some((part) => part === '' || part === '.' || part === '..') ||
		key.includes('\\') ||
		key.includes('\0')
	)
		throw new BackendError(`refusing unsafe storage key "${key}"`);
}
