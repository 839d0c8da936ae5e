/**
 * `panka admin init`: make a backend ready and create its tenant registry.
 *
 *   local  the folder is created 0700 (an existing folder open to others is reported), then the
 *          registry.
 *   S3     the bucket is created when missing (with a LocationConstraint outside us-east-1), then
 *          versioning is enabled, public access blocked and default encryption (SSE-S3) set; the
 *          versioning status is read back and must be Enabled (state writes rely on it to keep
 *          every earlier version). Then the registry.
 *
 * Invariants:
 * - The registry is created only with a create-only write. An existing registry is never
 *   replaced: re-running init as one of its admins re-applies the bucket settings and reports
 *   "already initialised"; anyone else gets NotAdminError.
 * - A backend whose registry is missing but which holds tenant data is refused (restore the
 *   registry instead): init never papers over a lost registry with an empty one.
 * - The admin identity (STS caller ARN, or user@host) is given by the caller.
 * - Every S3 request goes through engine/aws/call.ts; a failure says which step of the bucket's
 *   set-up failed, as a BackendError with a hint.
 */
import {mkdir, stat} from 'node:fs/promises';
import {
	CreateBucketCommand,
	type BucketLocationConstraint,
	GetBucketVersioningCommand,
	HeadBucketCommand,
	PutBucketEncryptionCommand,
	PutBucketVersioningCommand,
	PutPublicAccessBlockCommand,
	type S3Client,
} from '@aws-sdk/client-s3';
import {awsCall, awsCallUnlessMissing, hasAwsErrorCode, httpStatusOf} from '../aws/call.js';
import {BackendError, PreconditionFailedError} from '../state/blob-store.js';
import {type Backend, registryKey} from '../state/backend.js';
import {earlierVersionsHint} from '../state/blob-location.js';
import {NotAdminError, RegistryError} from './errors.js';
import {createRegistry, isAdmin, newRegistry, parseRegistry} from './registry.js';

export interface InitBackendOptions {
	identity: string;
	now?: () => Date;
	/** Required for an S3 backend: the caller's client. */
	s3?: S3Client;
	/** Aborts the bucket's set-up requests (default: never). */
	signal?: AbortSignal;
}

export interface BucketSetup {
	bucket: string;
	region: string;
	created: boolean;
	versioning: 'Enabled';
	publicAccessBlocked: true;
	encryption: 'AES256';
}

export interface InitBackendResult {
	alreadyInitialised: boolean;
	admins: string[];
	bucket?: BucketSetup;
	/** Things the admin should know (a local folder readable by others). */
	warnings: string[];
}

export async function initBackend(backend: Backend, options: InitBackendOptions): Promise<InitBackendResult> {
	const warnings: string[] = [];
	let bucket: BucketSetup | undefined;
	if (backend.spec.kind === 'local') {
		const home = backend.spec.home;
		try {
			await mkdir(home, {recursive: true, mode: 0o700});
		} catch (error) {
			throw new BackendError(`cannot create ${home}: ${(error as Error).message}`, 'pass --home DIR with a folder you can write', {
				cause: error,
			});
		}
		const info = await stat(home);
		if (!info.isDirectory()) throw new BackendError(`${home} is not a folder`);
		if ((info.mode & 0o077) !== 0)
			warnings.push(
				`${home} is open to other users (mode ${(info.mode & 0o777).toString(8)}); chmod 700 it: the registry holds secret hashes`,
			);
	} else {
		if (!options.s3) throw new BackendError('an S3 backend needs an S3 client');
		bucket = await setUpBucket(options.s3, backend.spec.bucket, options.signal ?? new AbortController().signal);
	}

	const existing = await backend.store.get(registryKey);
	if (existing) return alreadyThere(backend, existing.body, options.identity, bucket, warnings);
	const data = await backend.store.list('tenants/');
	if (data.length > 0)
		throw new RegistryError(
			`${backend.description} holds tenant data (${data.length} objects under tenants/) but no ${registryKey}`,
			`refusing to create an empty registry over it; restore ${registryKey}: ${earlierVersionsHint(backend, registryKey)}`,
		);
	const registry = newRegistry(options.identity, (options.now ?? (() => new Date()))());
	try {
		await createRegistry(backend, registry);
	} catch (error) {
		if (!(error instanceof PreconditionFailedError)) throw error;
		const raced = await backend.store.get(registryKey);
		if (raced) return alreadyThere(backend, raced.body, options.identity, bucket, warnings);
		throw error;
	}
	return {alreadyInitialised: false, admins: [options.identity], ...(bucket ? {bucket} : {}), warnings};
}

function alreadyThere(
	backend: Backend,
	body: string,
	identity: string,
	bucket: BucketSetup | undefined,
	warnings: string[],
): InitBackendResult {
	const registry = parseRegistry(body, backend);
	const admins = registry.admins.map((a) => a.identity);
	if (!isAdmin(registry, identity)) throw new NotAdminError(identity, backend.description, admins);
	return {alreadyInitialised: true, admins, ...(bucket ? {bucket} : {}), warnings};
}

async function setUpBucket(s3: S3Client, bucket: string, signal: AbortSignal): Promise<BucketSetup> {
	const scope = {signal};
	const region = await s3.config.region();
	const fail = (action: string, error: unknown, hint?: string) =>
		new BackendError(
			`cannot ${action} bucket ${bucket}: ${(error as Error).name}: ${(error as Error).message}`,
			hint ?? 'check the AWS credentials (AWS_PROFILE) and their S3 permissions',
			{cause: error},
		);
	const failingAs = (action: string, hint?: (error: unknown) => string | undefined) => ({
		failure: (error: unknown) => fail(action, error, hint?.(error)),
	});
	// HEAD answers carry no body: only the status tells a missing bucket from someone else's.
	const bucketMissing = (error: unknown) => httpStatusOf(error) === 404 || hasAwsErrorCode(error, 'NotFound', 'NoSuchBucket');
	const there = await awsCallUnlessMissing(
		scope,
		`S3 HeadBucket ${bucket}`,
		(error) => httpStatusOf(error) !== 403 && bucketMissing(error),
		(options) => s3.send(new HeadBucketCommand({Bucket: bucket}), options),
		{
			failure: (error) =>
				httpStatusOf(error) === 403
					? fail('use', error, `bucket ${bucket} exists but this identity may not use it (another account's bucket?)`)
					: fail('check', error),
		},
	);
	let created = false;
	if (!there) {
		// BucketAlreadyOwnedByYou: made meanwhile (an earlier init, a race), by this account: nothing to create.
		const made = await awsCallUnlessMissing(
			scope,
			`S3 CreateBucket ${bucket}`,
			['BucketAlreadyOwnedByYou'],
			(options) =>
				s3.send(
					new CreateBucketCommand({
						Bucket: bucket,
						...(region && region !== 'us-east-1'
							? {CreateBucketConfiguration: {LocationConstraint: region as BucketLocationConstraint}}
							: {}),
					}),
					options,
				),
			failingAs('create', (error) =>
				hasAwsErrorCode(error, 'BucketAlreadyExists')
					? `the name ${bucket} is taken by another AWS account: choose another bucket name`
					: undefined,
			),
		);
		created = made !== undefined;
	}
	await awsCall(
		scope,
		`S3 PutBucketVersioning ${bucket}`,
		(options) => s3.send(new PutBucketVersioningCommand({Bucket: bucket, VersioningConfiguration: {Status: 'Enabled'}}), options),
		failingAs('enable versioning on'),
	);
	await awsCall(
		scope,
		`S3 PutPublicAccessBlock ${bucket}`,
		(options) =>
			s3.send(
				new PutPublicAccessBlockCommand({
					Bucket: bucket,
					PublicAccessBlockConfiguration: {
						BlockPublicAcls: true,
						IgnorePublicAcls: true,
						BlockPublicPolicy: true,
						RestrictPublicBuckets: true,
					},
				}),
				options,
			),
		failingAs('block public access on'),
	);
	await awsCall(
		scope,
		`S3 PutBucketEncryption ${bucket}`,
		(options) =>
			s3.send(
				new PutBucketEncryptionCommand({
					Bucket: bucket,
					ServerSideEncryptionConfiguration: {
						Rules: [{ApplyServerSideEncryptionByDefault: {SSEAlgorithm: 'AES256'}, BucketKeyEnabled: true}],
					},
				}),
				options,
			),
		failingAs('set default encryption on'),
	);
	const {Status: status} = await awsCall(
		scope,
		`S3 GetBucketVersioning ${bucket}`,
		(options) => s3.send(new GetBucketVersioningCommand({Bucket: bucket}), options),
		failingAs('read the versioning of'),
	);
	if (status !== 'Enabled')
		throw new BackendError(
			`bucket ${bucket} reports versioning ${status ?? 'never enabled'}, not Enabled`,
			'panka keeps every earlier version of state and the registry in S3 versions; enable versioning on the bucket',
		);
	return {bucket, region: region ?? 'us-east-1', created, versioning: 'Enabled', publicAccessBlocked: true, encryption: 'AES256'};
}
