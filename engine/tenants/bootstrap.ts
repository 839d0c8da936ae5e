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
		bucket = await setUpBucket(options.s3, backend.spec.bucket);
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

async function setUpBucket(s3: S3Client, bucket: string): Promise<BucketSetup> {
	const region = await s3.config.region();
	const fail = (action: string, error: unknown, hint?: string) =>
		new BackendError(
			`cannot ${action} bucket ${bucket}: ${(error as Error).name}: ${(error as Error).message}`,
			hint ?? 'check the AWS credentials (AWS_PROFILE) and their S3 permissions',
			{cause: error},
		);
	let created = false;
	try {
		await s3.send(new HeadBucketCommand({Bucket: bucket}));
	} catch (error) {
		const status = (error as {$metadata?: {httpStatusCode?: number}}).$metadata?.httpStatusCode;
		const name = (error as Error).name;
		if (status === 403) throw fail('use', error, `bucket ${bucket} exists but this identity may not use it (another account's bucket?)`);
		if (status !== 404 && name !== 'NotFound' && name !== 'NoSuchBucket') throw fail('check', error);
		try {
			await s3.send(
				new CreateBucketCommand({
					Bucket: bucket,
					...(region && region !== 'us-east-1'
						? {CreateBucketConfiguration: {LocationConstraint: region as BucketLocationConstraint}}
						: {}),
				}),
			);
			created = true;
		} catch (createError) {
			const createName = (createError as Error).name;
			if (createName === 'BucketAlreadyExists')
				throw fail('create', createError, `the name ${bucket} is taken by another AWS account: choose another bucket name`);
			if (createName !== 'BucketAlreadyOwnedByYou') throw fail('create', createError);
		}
	}
	try {
		await s3.send(new PutBucketVersioningCommand({Bucket: bucket, VersioningConfiguration: {Status: 'Enabled'}}));
	} catch (error) {
		throw fail('enable versioning on', error);
	}
	try {
		await s3.send(
			new PutPublicAccessBlockCommand({
				Bucket: bucket,
				PublicAccessBlockConfiguration: {
					BlockPublicAcls: true,
					IgnorePublicAcls: true,
					BlockPublicPolicy: true,
					RestrictPublicBuckets: true,
				},
			}),
		);
	} catch (error) {
		throw fail('block public access on', error);
	}
	try {
		await s3.send(
			new PutBucketEncryptionCommand({
				Bucket: bucket,
				ServerSideEncryptionConfiguration: {
					Rules: [{ApplyServerSideEncryptionByDefault: {SSEAlgorithm: 'AES256'}, BucketKeyEnabled: true}],
				},
			}),
		);
	} catch (error) {
		throw fail('set default encryption on', error);
	}
	let status: string | undefined;
	try {
		status = (await s3.send(new GetBucketVersioningCommand({Bucket: bucket}))).Status;
	} catch (error) {
		throw fail('read the versioning of', error);
	}
	if (status !== 'Enabled')
		throw new BackendError(
			`bucket ${bucket} reports versioning ${status ?? 'never enabled'}, not Enabled`,
			'panka keeps every earlier version of state and the registry in S3 versions; enable versioning on the bucket',
		);
	return {bucket, region: region ?? 'us-east-1', created, versioning: 'Enabled', publicAccessBlocked: true, encryption: 'AES256'};
}
