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
 * - Every request goes through engine/aws/call.ts with the store's scope; its signal never aborts
 *   unless the opener gives one (a lock release or a state write on Ctrl-C must still land).
 */
import {
	DeleteObjectCommand,
	GetObjectCommand,
	ListObjectsV2Command,
	ListObjectVersionsCommand,
	PutObjectCommand,
	type S3Client,
} from '@aws-sdk/client-s3';
import {awsCall, awsCallUnlessMissing, type CallScope, hasAwsErrorCode, httpStatusOf} from '../aws/call.js';
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
	readonly #scope: CallScope;

	constructor(
		readonly s3: S3Client,
		readonly bucket: string,
		readonly prefix = '',
		signal: AbortSignal = new AbortController().signal,
	) {
		this.description = `s3://${bucket}${prefix ? `/${prefix}` : ''}`;
		this.#scope = {signal};
	}

	#key(key: string): string {
		assertSafeKey(key);
		return this.prefix ? `${this.prefix}/${key}` : key;
	}

	async get(key: string): Promise<Blob | undefined> {
		return awsCallUnlessMissing(
			this.#scope,
			`S3 GetObject ${key}`,
			isMissing,
			async (options) => {
				const response = await this.s3.send(new GetObjectCommand({Bucket: this.bucket, Key: this.#key(key)}), options);
				return {body: (await response.Body?.transformToString('utf-8')) ?? '', etag: response.ETag ?? ''};
			},
			{failure: (error) => this.#failure('read', key, error)},
		);
	}

	async put(key: string, body: string, condition: PutCondition = {}): Promise<{etag: string}> {
		try {
			const response = await awsCall(
				this.#scope,
				`S3 PutObject ${key}`,
				(options) =>
					this.s3.send(
						new PutObjectCommand({
							Bucket: this.bucket,
							Key: this.#key(key),
							Body: body,
							ContentType: key.endsWith('.json') ? 'application/json' : 'application/yaml',
							...(condition.ifMatch !== undefined ? {IfMatch: condition.ifMatch} : {}),
							...(condition.ifNoneMatch ? {IfNoneMatch: '*'} : {}),
						}),
						options,
					),
				{failure: (error) => this.#putFailure(key, condition, error)},
			);
			return {etag: response.ETag ?? ''};
		} catch (error) {
			if (error instanceof PreconditionFailedError && retried(error.cause)) {
				const stored = await this.get(key).catch(() => undefined);
				if (stored?.body === body) return {etag: stored.etag};
			}
			throw error;
		}
	}

	/** A refused conditional write is a conflict (never retried here); anything else a BackendError. */
	#putFailure(key: string, condition: PutCondition, error: unknown): Error {
		if (isPreconditionFailed(error))
			return new PreconditionFailedError(key, condition.ifNoneMatch ? `${key} already exists` : undefined, {cause: error});
		// S3 answers IfMatch on a missing key with 404 NoSuchKey, not 412.
		if (condition.ifMatch !== undefined && isMissing(error))
			return new PreconditionFailedError(key, `${key} no longer exists`, {cause: error});
		return this.#failure('write', key, error);
	}

	async delete(key: string, condition: {ifMatch?: string} = {}): Promise<void> {
		// A retried delete that finds the key gone took it on an earlier attempt.
		const goneMeansDone = (error: unknown) => isMissing(error) && (condition.ifMatch === undefined || retried(error));
		await awsCallUnlessMissing(
			this.#scope,
			`S3 DeleteObject ${key}`,
			goneMeansDone,
			(options) =>
				this.s3.send(
					new DeleteObjectCommand({
						Bucket: this.bucket,
						Key: this.#key(key),
						...(condition.ifMatch !== undefined ? {IfMatch: condition.ifMatch} : {}),
					}),
					options,
				),
			{
				failure: (error) =>
					isPreconditionFailed(error)
						? new PreconditionFailedError(key, undefined, {cause: error})
						: isMissing(error)
							? new PreconditionFailedError(key, `${key} no longer exists`, {cause: error})
							: this.#failure('delete', key, error),
			},
		);
	}

	async list(prefix: string): Promise<string[]> {
		if (prefix) assertSafeKey(prefix.replace(/\/+$/, ''));
		const keys: string[] = [];
		const full = this.prefix ? `${this.prefix}/${prefix}` : prefix;
		let token: string | undefined;
		do {
			const page = await awsCall(
				this.#scope,
				`S3 ListObjectsV2 ${prefix}`,
				(options) =>
					this.s3.send(
						new ListObjectsV2Command({Bucket: this.bucket, Prefix: full, ...(token ? {ContinuationToken: token} : {})}),
						options,
					),
				{failure: (error) => this.#failure('list', prefix, error)},
			);
			for (const object of page.Contents ?? [])
				if (object.Key) keys.push(this.prefix ? object.Key.slice(this.prefix.length + 1) : object.Key);
			token = page.IsTruncated ? page.NextContinuationToken : undefined;
		} while (token);
		return keys.sort();
	}

	async versions(key: string): Promise<BlobVersion[]> {
		const full = this.#key(key);
		const versions: BlobVersion[] = [];
		let keyMarker: string | undefined;
		let versionMarker: string | undefined;
		do {
			const page = await awsCall(
				this.#scope,
				`S3 ListObjectVersions ${key}`,
				(options) =>
					this.s3.send(
						new ListObjectVersionsCommand({
							Bucket: this.bucket,
							Prefix: full,
							...(keyMarker ? {KeyMarker: keyMarker} : {}),
							...(versionMarker ? {VersionIdMarker: versionMarker} : {}),
						}),
						options,
					),
				{failure: (error) => this.#failure('list versions of', key, error)},
			);
			for (const v of page.Versions ?? [])
				if (v.Key === full && v.VersionId)
					versions.push({id: v.VersionId, modified: v.LastModified?.toISOString() ?? '', size: v.Size ?? 0, latest: v.IsLatest ?? false});
			keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
			versionMarker = page.IsTruncated ? page.NextVersionIdMarker : undefined;
		} while (keyMarker);
		return versions.sort((a, b) => b.modified.localeCompare(a.modified));
	}

	async getVersion(key: string, id: string): Promise<string | undefined> {
		return awsCallUnlessMissing(
			this.#scope,
			`S3 GetObject ${key} version ${id}`,
			isMissing,
			async (options) => {
				const response = await this.s3.send(new GetObjectCommand({Bucket: this.bucket, Key: this.#key(key), VersionId: id}), options);
				return (await response.Body?.transformToString('utf-8')) ?? '';
			},
			{failure: (error) => this.#failure('read', key, error)},
		);
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

/** Whether the SDK sent the request more than once (an earlier attempt may have been carried out). */
function retried(error: unknown): boolean {
	return ((error as {$metadata?: {attempts?: number}} | undefined)?.$metadata?.attempts ?? 1) > 1;
}

function isMissing(error: unknown): boolean {
	return hasAwsErrorCode(error, 'NoSuchKey', 'NotFound') || (httpStatusOf(error) === 404 && !hasAwsErrorCode(error, 'NoSuchBucket'));
}

function isPreconditionFailed(error: unknown): boolean {
	return hasAwsErrorCode(error, 'PreconditionFailed') || httpStatusOf(error) === 412;
}
