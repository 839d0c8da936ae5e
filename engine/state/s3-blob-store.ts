/**
 * BlobStore on an S3 bucket (`s3://bucket/prefix`).
 *
 * Invariants (see blob-store.ts for the contract):
 * - Conditional writes use S3's own: `IfMatch: <etag>` for compare-and-swap, `IfNoneMatch: '*'`
 *   for create-only (locks). A 412 becomes PreconditionFailedError; nothing else is retried here.
 * - The bucket has versioning on (bootstrap turns it on and checks it), so every overwrite and
 *   delete keeps the previous version; `versions`/`getVersion` read them back.
 * - A conditional request the SDK retried (a dropped connection, a 5xx) may have landed on an
 *   earlier attempt, and then the retry fails its own condition: a put whose refusal finds
 *   exactly its body stored, or a retried delete that finds the key gone, succeeded.
 * - Only NoSuchKey/404 reads as "missing". Access denied, a missing bucket or a network failure
 *   throws BackendError: an unreadable registry is never mistaken for an empty one.
 */
import {
	DeleteObjectCommand,
	GetObjectCommand,
	ListObjectsV2Command,
	ListObjectVersionsCommand,
	PutObjectCommand,
	type S3Client,
} from '@aws-sdk/client-s3';
import {
	assertSafeKey,
	type Blob,
	BackendError,
	type BlobStore,
	type BlobVersion,
	type PutCondition,
	PreconditionFailedError,
} from './blob-store.js';

export class S3BlobStore implements BlobStore {
	readonly description: string;

	constructor(
		readonly s3: S3Client,
		readonly bucket: string,
		readonly prefix = '',
	) {
		this.description = `s3://${bucket}${prefix ? `/${prefix}` : ''}`;
	}

	#key(key: string): string {
		assertSafeKey(key);
		return this.prefix ? `${this.prefix}/${key}` : key;
	}

	async get(key: string): Promise<Blob | undefined> {
		try {
			const response = await this.s3.send(new GetObjectCommand({Bucket: this.bucket, Key: this.#key(key)}));
			const body = (await response.Body?.transformToString('utf-8')) ?? '';
			return {body, etag: response.ETag ?? ''};
		} catch (error) {
			if (isMissing(error)) return undefined;
			throw this.#failure('read', key, error);
		}
	}

	async put(key: string, body: string, condition: PutCondition = {}): Promise<{etag: string}> {
		try {
			const response = await this.s3.send(
				new PutObjectCommand({
					Bucket: this.bucket,
					Key: this.#key(key),
					Body: body,
					ContentType: key.endsWith('.json') ? 'application/json' : 'application/yaml',
					...(condition.ifMatch !== undefined ? {IfMatch: condition.ifMatch} : {}),
					...(condition.ifNoneMatch ? {IfNoneMatch: '*'} : {}),
				}),
			);
			return {etag: response.ETag ?? ''};
		} catch (error) {
			const refused = isPreconditionFailed(error) || (condition.ifMatch !== undefined && isMissing(error));
			if (refused && retried(error)) {
				const stored = await this.get(key).catch(() => undefined);
				if (stored?.body === body) return {etag: stored.etag};
			}
			if (isPreconditionFailed(error)) throw new PreconditionFailedError(key, condition.ifNoneMatch ? `${key} already exists` : undefined);
			// S3 answers IfMatch on a missing key with 404 NoSuchKey, not 412.
			if (condition.ifMatch !== undefined && isMissing(error)) throw new PreconditionFailedError(key, `${key} no longer exists`);
			throw this.#failure('write', key, error);
		}
	}

	async delete(key: string, condition: {ifMatch?: string} = {}): Promise<void> {
		try {
			await this.s3.send(
				new DeleteObjectCommand({
					Bucket: this.bucket,
					Key: this.#key(key),
					...(condition.ifMatch !== undefined ? {IfMatch: condition.ifMatch} : {}),
				}),
			);
		} catch (error) {
			if (isPreconditionFailed(error)) throw new PreconditionFailedError(key);
			if (isMissing(error)) {
				if (condition.ifMatch !== undefined && !retried(error)) throw new PreconditionFailedError(key, `${key} no longer exists`);
				return;
			}
			throw this.#failure('delete', key, error);
		}
	}

	async list(prefix: string): Promise<string[]> {
		if (prefix) assertSafeKey(prefix.replace(/\/+$/, ''));
		const keys: string[] = [];
		const full = this.prefix ? `${this.prefix}/${prefix}` : prefix;
		let token: string | undefined;
		try {
			do {
				const page = await this.s3.send(
					new ListObjectsV2Command({Bucket: this.bucket, Prefix: full, ...(token ? {ContinuationToken: token} : {})}),
				);
				for (const object of page.Contents ?? [])
					if (object.Key) keys.push(this.prefix ? object.Key.slice(this.prefix.length + 1) : object.Key);
				token = page.IsTruncated ? page.NextContinuationToken : undefined;
			} while (token);
		} catch (error) {
			throw this.#failure('list', prefix, error);
		}
		return keys.sort();
	}

	async versions(key: string): Promise<BlobVersion[]> {
		const full = this.#key(key);
		const versions: BlobVersion[] = [];
		let keyMarker: string | undefined;
		let versionMarker: string | undefined;
		try {
			do {
				const page = await this.s3.send(
					new ListObjectVersionsCommand({
						Bucket: this.bucket,
						Prefix: full,
						...(keyMarker ? {KeyMarker: keyMarker} : {}),
						...(versionMarker ? {VersionIdMarker: versionMarker} : {}),
					}),
				);
				for (const v of page.Versions ?? [])
					if (v.Key === full && v.VersionId)
						versions.push({id: v.VersionId, modified: v.LastModified?.toISOString() ?? '', size: v.Size ?? 0, latest: v.IsLatest ?? false});
				keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
				versionMarker = page.IsTruncated ? page.NextVersionIdMarker : undefined;
			} while (keyMarker);
		} catch (error) {
			throw this.#failure('list versions of', key, error);
		}
		return versions.sort((a, b) => b.modified.localeCompare(a.modified));
	}

	async getVersion(key: string, id: string): Promise<string | undefined> {
		try {
			const response = await this.s3.send(new GetObjectCommand({Bucket: this.bucket, Key: this.#key(key), VersionId: id}));
			return (await response.Body?.transformToString('utf-8')) ?? '';
		} catch (error) {
			if (isMissing(error)) return undefined;
			throw this.#failure('read', key, error);
		}
	}

	#failure(action: string, key: string, error: unknown): BackendError {
		const name = (error as {name?: string}).name ?? 'Error';
		const hint =
			name === 'NoSuchBucket'
				? `bucket ${this.bucket} does not exist: run panka admin init --backend ${this.description}`
				: name === 'AccessDenied' || name === 'Forbidden'
					? 'check the AWS credentials (AWS_PROFILE) and the bucket policy'
					: undefined;
		const attempts = (error as {$metadata?: {attempts?: number}}).$metadata?.attempts ?? 1;
		const tried = attempts > 1 ? ` (gave up after ${attempts} attempts)` : '';
		return new BackendError(
			`cannot ${action} ${this.description}/${key}: ${name}: ${(error as Error).message}${tried}`,
			hint ?? (attempts > 1 ? 'the bucket could not be reached reliably: run the command again' : undefined),
			{cause: error},
		);
	}
}

function status(error: unknown): number | undefined {
	return (error as {$metadata?: {httpStatusCode?: number}}).$metadata?.httpStatusCode;
}

/** Whether the SDK sent the request more than once (an earlier attempt may have been carried out). */
function retried(error: unknown): boolean {
	return ((error as {$metadata?: {attempts?: number}}).$metadata?.attempts ?? 1) > 1;
}

function isMissing(error: unknown): boolean {
	const name = (error as {name?: string}).name;
	return name === 'NoSuchKey' || name === 'NotFound' || (status(error) === 404 && name !== 'NoSuchBucket');
}

function isPreconditionFailed(error: unknown): boolean {
	return (error as {name?: string}).name === 'PreconditionFailed' || status(error) === 412;
}
