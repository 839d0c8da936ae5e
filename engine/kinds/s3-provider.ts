/**
 * S3 provider: one bucket and its sub-resources (tags, ownership controls, public access block,
 * ACL, versioning, default encryption, lifecycle rules, CORS). Loaded only when something is
 * applied (s3.ts points here lazily).
 *
 * Invariants:
 * - The bucket name is the kind's deterministic, account-salted hashed name. Bucket names are one
 *   global namespace, so a same-named bucket may belong to anyone: `find` adopts it only when its
 *   panka:* tags are this component's, and create, update, read and delete refuse a bucket with
 *   another owner's tags (`requireOwned`), naming that owner (us-east-1 answers CreateBucket on an
 *   existing own bucket with 200, so the check happens before CreateBucket, not only on
 *   BucketAlreadyOwnedByYou/BucketAlreadyExists). A bucket with no tags at all is claimed: nobody
 *   else picks this hashed name, so it is panka's own create that crashed before tagging (AWS
 *   takes the tags with CreateBucket; moto ignores them there, so PutBucketTagging follows in
 *   every case).
 * - Every sub-resource is applied on create and update alike, each with its own Put* call; a
 *   lifecycle, CORS or encryption removed from the spec is deleted (encryption then falls back to
 *   the AWS default, SSE-S3). Versioning cannot be removed: `enabled: false` suspends it.
 * - ACLs and ownership: new buckets have ObjectOwnership BucketOwnerEnforced, which disables ACLs
 *   (PutBucketAcl is refused). A private bucket keeps BucketOwnerEnforced; any other ACL sets
 *   BucketOwnerPreferred first, then the public access block, then the ACL. Going back to private
 *   resets the ACL before ACLs are disabled again.
 * - Tags are made to match `context.tags` exactly (PutBucketTagging replaces the whole set).
 * - `bucket.forceDestroy` on delete is read from the last applied spec (`previous.inputs`): with
 *   it, every object version and delete marker is removed (1,000 per DeleteObjects) before
 *   DeleteBucket; without it, a non-empty bucket is an error and the bucket is left as it is.
 */
import {
	type BucketCannedACL,
	type BucketLocationConstraint,
	type CORSRule,
	CreateBucketCommand,
	DeleteBucketCommand,
	DeleteBucketCorsCommand,
	DeleteBucketEncryptionCommand,
	DeleteBucketLifecycleCommand,
	DeleteObjectsCommand,
	GetBucketEncryptionCommand,
	GetBucketLifecycleConfigurationCommand,
	GetBucketOwnershipControlsCommand,
	GetBucketTaggingCommand,
	GetBucketVersioningCommand,
	GetPublicAccessBlockCommand,
	HeadBucketCommand,
	type LifecycleRule,
	ListObjectVersionsCommand,
	type ObjectIdentifier,
	type ObjectOwnership,
	PutBucketAclCommand,
	PutBucketCorsCommand,
	PutBucketEncryptionCommand,
	PutBucketLifecycleConfigurationCommand,
	PutBucketOwnershipControlsCommand,
	PutBucketTaggingCommand,
	PutBucketVersioningCommand,
	PutPublicAccessBlockCommand,
	type S3Client,
	type ServerSideEncryption,
	type TransitionStorageClass,
} from '@aws-sdk/client-s3';
import {awsCall, awsCallUnlessMissing, hasAwsErrorCode, httpStatusOf} from '../aws/call.js';
import {partitionOf} from '../providers/arn.js';
import {type AppliedResource, type Provider, ProviderError, type ResourceContext} from '../providers/provider.js';
import {fromTagList, isOwnedBy, type OwnershipAction, requireOwned, toTagList} from '../providers/resource-tags.js';
import type {StateResource} from '../state/state-document.js';
import type {S3Spec} from './s3.js';

/** DeleteObjects takes at most this many keys per call. */
const deleteBatchSize = 1_000;

function s3(context: ResourceContext): S3Client {
	return context.clients.s3();
}

function bucketName(context: ResourceContext): string {
	return context.names.primary!;
}

function outputs(context: ResourceContext): AppliedResource {
	const name = bucketName(context);
	return {
		physicalId: name,
		outputs: {
			bucketName: name,
			arn: `arn:${partitionOf(context.region)}:s3:::${name}`,
			domainName: `${name}.s3.amazonaws.com`,
			regionalDomainName: `${name}.s3.${context.region}.amazonaws.com`,
		},
	};
}

/** What is at the bucket's name: nothing, a bucket this account can read (with its tags), or someone else's. */
type BucketAtName = {state: 'absent'} | {state: 'readable'; tags: Record<string, string>} | {state: 'elsewhere'};

async function bucketAtName(context: ResourceContext): Promise<BucketAtName> {
	const name = bucketName(context);
	try {
		await awsCall(context, `S3 HeadBucket ${name}`, (options) => s3(context).send(new HeadBucketCommand({Bucket: name}), options));
	} catch (error) {
		const status = httpStatusOf(error);
		if (status === 404 || hasAwsErrorCode(error, 'NotFound', 'NoSuchBucket')) return {state: 'absent'};
		// 403: another account's bucket; 301: a bucket in another region (not one panka made here).
		if (status === 403 || status === 301) return {state: 'elsewhere'};
		throw error;
	}
	return {state: 'readable', tags: await bucketTags(context)};
}

async function bucketTags(context: ResourceContext): Promise<Record<string, string>> {
	const tagging = await awsCallUnlessMissing(context, `S3 GetBucketTagging ${bucketName(context)}`, ['NoSuchTagSet'], (options) =>
		s3(context).send(new GetBucketTaggingCommand({Bucket: bucketName(context)}), options),
	);
	return fromTagList(tagging?.TagSet);
}

async function createBucket(context: ResourceContext, spec: S3Spec): Promise<void> {
	const name = bucketName(context);
	context.progress(`creating bucket ${name}`);
	const location = context.region === 'us-east-1' ? {} : {LocationConstraint: context.region as BucketLocationConstraint};
	try {
		await awsCall(context, `S3 CreateBucket ${name}`, (options) =>
			s3(context).send(
				new CreateBucketCommand({
					Bucket: name,
					ObjectOwnership: objectOwnership(spec),
					CreateBucketConfiguration: {...location, Tags: toTagList(context.tags)},
				}),
				options,
			),
		);
	} catch (error) {
		if (!hasAwsErrorCode(error, 'BucketAlreadyOwnedByYou', 'BucketAlreadyExists')) throw error;
		// Created between our check and this call, or another account's: claim it or say whose it is.
		const found = await bucketAtName(context);
		if (found.state === 'absent') throw error;
		assertClaimable(context, found, 'adopt');
	}
}

/** Throws unless the bucket at our name is ours or untagged (a create of ours that crashed before tagging). */
function assertClaimable(context: ResourceContext, found: Exclude<BucketAtName, {state: 'absent'}>, action: OwnershipAction): void {
	const name = bucketName(context);
	if (found.state === 'elsewhere')
		throw new ProviderError(
			`S3 CreateBucket ${name}: the bucket name is taken by another AWS account (or a bucket in another region)`,
			'BucketAlreadyExists',
		);
	requireOwned(found.tags, context.tags, action, `S3 bucket ${name}`, {claimUntagged: true});
}

/** Is there a bucket of ours at the name (checked with `requireOwned`)? */
async function ownedBucketExists(context: ResourceContext, action: OwnershipAction): Promise<boolean> {
	const found = await bucketAtName(context);
	if (found.state !== 'readable') return false;
	assertClaimable(context, found, action);
	return true;
}

function objectOwnership(spec: S3Spec): ObjectOwnership {
	return spec.bucket.acl === 'private' ? 'BucketOwnerEnforced' : 'BucketOwnerPreferred';
}

async function currentObjectOwnership(context: ResourceContext): Promise<string | undefined> {
	const controls = await awsCallUnlessMissing(
		context,
		`S3 GetBucketOwnershipControls ${bucketName(context)}`,
		['OwnershipControlsNotFoundError'],
		(options) => s3(context).send(new GetBucketOwnershipControlsCommand({Bucket: bucketName(context)}), options),
	);
	return controls?.OwnershipControls?.Rules?.[0]?.ObjectOwnership;
}

async function putObjectOwnership(context: ResourceContext, ownership: ObjectOwnership): Promise<void> {
	await awsCall(context, `S3 PutBucketOwnershipControls ${bucketName(context)}`, (options) =>
		s3(context).send(
			new PutBucketOwnershipControlsCommand({Bucket: bucketName(context), OwnershipControls: {Rules: [{ObjectOwnership: ownership}]}}),
			options,
		),
	);
}

/** Ownership controls, public access block and ACL, in the only order AWS accepts for each change. */
async function applyAccess(context: ResourceContext, spec: S3Spec): Promise<void> {
	const name = bucketName(context);
	const wanted = objectOwnership(spec);
	const current = await currentObjectOwnership(context);
	if (wanted === 'BucketOwnerPreferred' && current !== wanted) await putObjectOwnership(context, wanted);
	const block = spec.publicAccessBlock;
	await awsCall(context, `S3 PutPublicAccessBlock ${bucketName(context)}`, (options) =>
		s3(context).send(
			new PutPublicAccessBlockCommand({
				Bucket: name,
				PublicAccessBlockConfiguration: {
					BlockPublicAcls: block.blockPublicAcls,
					IgnorePublicAcls: block.ignorePublicAcls,
					BlockPublicPolicy: block.blockPublicPolicy,
					RestrictPublicBuckets: block.restrictPublicBuckets,
				},
			}),
			options,
		),
	);
	// With ACLs disabled (BucketOwnerEnforced) the bucket is private and PutBucketAcl is refused.
	if (spec.bucket.acl !== 'private' || current !== 'BucketOwnerEnforced')
		await awsCall(context, `S3 PutBucketAcl ${bucketName(context)}`, (options) =>
			s3(context).send(new PutBucketAclCommand({Bucket: name, ACL: spec.bucket.acl as BucketCannedACL}), options),
		);
	if (wanted === 'BucketOwnerEnforced' && current !== wanted) await putObjectOwnership(context, wanted);
}

async function versioningStatus(context: ResourceContext): Promise<string | undefined> {
	const {Status} = await awsCall(context, `S3 GetBucketVersioning ${bucketName(context)}`, (options) =>
		s3(context).send(new GetBucketVersioningCommand({Bucket: bucketName(context)}), options),
	);
	return Status;
}

async function applyVersioning(context: ResourceContext, spec: S3Spec): Promise<void> {
	const current = await versioningStatus(context);
	// A never-versioned bucket stays unversioned; a versioned one can only be suspended.
	const wanted = spec.versioning?.enabled ? 'Enabled' : current ? 'Suspended' : undefined;
	if (!wanted || wanted === current) return;
	await awsCall(context, `S3 PutBucketVersioning ${bucketName(context)}`, (options) =>
		s3(context).send(new PutBucketVersioningCommand({Bucket: bucketName(context), VersioningConfiguration: {Status: wanted}}), options),
	);
}

async function applyEncryption(context: ResourceContext, spec: S3Spec, fresh: boolean): Promise<void> {
	const name = bucketName(context);
	const encryption = spec.encryption;
	if (!encryption?.enabled) {
		if (!fresh)
			await awsCallUnlessMissing(
				context,
				`S3 DeleteBucketEncryption ${bucketName(context)}`,
				['ServerSideEncryptionConfigurationNotFoundError'],
				(options) => s3(context).send(new DeleteBucketEncryptionCommand({Bucket: name}), options),
			);
		return;
	}
	const kms = encryption.algorithm === 'aws:kms';
	await awsCall(context, `S3 PutBucketEncryption ${bucketName(context)}`, (options) =>
		s3(context).send(
			new PutBucketEncryptionCommand({
				Bucket: name,
				ServerSideEncryptionConfiguration: {
					Rules: [
						{
							ApplyServerSideEncryptionByDefault: {
								SSEAlgorithm: encryption.algorithm as ServerSideEncryption,
								...(kms && encryption.kmsKeyId ? {KMSMasterKeyID: encryption.kmsKeyId} : {}),
							},
							// S3 Bucket Keys cut KMS requests (and cost) for SSE-KMS; meaningless for AES256.
							...(kms ? {BucketKeyEnabled: true} : {}),
						},
					],
				},
			}),
			options,
		),
	);
}

function lifecycleRules(spec: S3Spec): LifecycleRule[] {
	return (spec.lifecycle ?? []).map((rule) => ({
		ID: rule.id,
		Status: rule.enabled ? 'Enabled' : 'Disabled',
		Filter: {Prefix: rule.prefix ?? ''},
		...(rule.transitions?.length
			? {
					Transitions: rule.transitions.map((transition) => ({
						Days: transition.days,
						StorageClass: transition.storageClass as TransitionStorageClass,
					})),
				}
			: {}),
		...(rule.expiration ? {Expiration: {Days: rule.expiration.days}} : {}),
		...(rule.noncurrentVersionExpiration ? {NoncurrentVersionExpiration: {NoncurrentDays: rule.noncurrentVersionExpiration.days}} : {}),
	}));
}

async function applyLifecycle(context: ResourceContext, spec: S3Spec, fresh: boolean): Promise<void> {
	const name = bucketName(context);
	const rules = lifecycleRules(spec);
	if (rules.length === 0) {
		if (!fresh)
			await awsCall(context, `S3 DeleteBucketLifecycle ${bucketName(context)}`, (options) =>
				s3(context).send(new DeleteBucketLifecycleCommand({Bucket: name}), options),
			);
		return;
	}
	await awsCall(context, `S3 PutBucketLifecycleConfiguration ${bucketName(context)}`, (options) =>
		s3(context).send(new PutBucketLifecycleConfigurationCommand({Bucket: name, LifecycleConfiguration: {Rules: rules}}), options),
	);
}

function corsRules(spec: S3Spec): CORSRule[] {
	return (spec.cors?.rules ?? []).map((rule) => ({
		AllowedOrigins: rule.allowedOrigins,
		AllowedMethods: rule.allowedMethods,
		...(rule.allowedHeaders ? {AllowedHeaders: rule.allowedHeaders} : {}),
		...(rule.exposeHeaders ? {ExposeHeaders: rule.exposeHeaders} : {}),
		...(rule.maxAgeSeconds !== undefined ? {MaxAgeSeconds: rule.maxAgeSeconds} : {}),
	}));
}

async function applyCors(context: ResourceContext, spec: S3Spec, fresh: boolean): Promise<void> {
	const name = bucketName(context);
	const rules = corsRules(spec);
	if (rules.length === 0) {
		if (!fresh)
			await awsCall(context, `S3 DeleteBucketCors ${bucketName(context)}`, (options) =>
				s3(context).send(new DeleteBucketCorsCommand({Bucket: name}), options),
			);
		return;
	}
	await awsCall(context, `S3 PutBucketCors ${bucketName(context)}`, (options) =>
		s3(context).send(new PutBucketCorsCommand({Bucket: name, CORSConfiguration: {CORSRules: rules}}), options),
	);
}

/** Every setting of the spec, in place. `fresh`: the bucket was just created, so there is nothing to remove. */
async function configureBucket(context: ResourceContext, spec: S3Spec, fresh: boolean): Promise<void> {
	const name = bucketName(context);
	context.progress(`configuring bucket ${name}`);
	// Tags first: they are what `find` recognises the bucket by after a crash.
	await awsCall(context, `S3 PutBucketTagging ${bucketName(context)}`, (options) =>
		s3(context).send(new PutBucketTaggingCommand({Bucket: name, Tagging: {TagSet: toTagList(context.tags)}}), options),
	);
	await applyAccess(context, spec);
	await applyVersioning(context, spec);
	await applyEncryption(context, spec, fresh);
	await applyLifecycle(context, spec, fresh);
	await applyCors(context, spec, fresh);
}

/** Object versions and delete markers of one ListObjectVersions page (each blocks DeleteBucket). */
async function listVersionsPage(context: ResourceContext, marker: {KeyMarker?: string; VersionIdMarker?: string}) {
	const page = await awsCall(context, `S3 ListObjectVersions ${bucketName(context)}`, (options) =>
		s3(context).send(new ListObjectVersionsCommand({Bucket: bucketName(context), MaxKeys: deleteBatchSize, ...marker}), options),
	);
	const objects: ObjectIdentifier[] = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])]
		.filter((entry) => entry.Key !== undefined)
		.map((entry) => ({Key: entry.Key!, ...(entry.VersionId ? {VersionId: entry.VersionId} : {})}));
	const next = page.IsTruncated ? {KeyMarker: page.NextKeyMarker, VersionIdMarker: page.NextVersionIdMarker} : undefined;
	return {objects, next};
}

/** Delete every object version and delete marker, page by page, reporting the count as it goes. */
async function emptyBucket(context: ResourceContext): Promise<void> {
	const name = bucketName(context);
	let deleted = 0;
	let marker: {KeyMarker?: string; VersionIdMarker?: string} | undefined = {};
	while (marker) {
		const page = await listVersionsPage(context, marker);
		for (let start = 0; start < page.objects.length; start += deleteBatchSize) {
			const batch = page.objects.slice(start, start + deleteBatchSize);
			const {Errors} = await awsCall(context, `S3 DeleteObjects ${bucketName(context)}`, (options) =>
				s3(context).send(new DeleteObjectsCommand({Bucket: name, Delete: {Objects: batch, Quiet: true}}), options),
			);
			const failure = Errors?.[0];
			if (failure)
				throw new ProviderError(
					`S3 DeleteObjects ${name}: ${Errors.length} object(s) not deleted, e.g. ${failure.Key}: ${failure.Code}: ${failure.Message}`,
					failure.Code,
				);
			deleted += batch.length;
			context.progress(`emptying bucket ${name}: ${deleted} object versions deleted`);
		}
		marker = page.next;
	}
}

/** `contents`: "12 objects", or what is known about them. */
function notEmptyError(name: string, contents: string, cause?: unknown): ProviderError {
	return new ProviderError(
		`bucket ${name} is not empty (${contents}); set bucket.forceDestroy: true to let panka empty it`,
		'BucketNotEmpty',
		{cause},
	);
}

function forceDestroyOf(previous: StateResource): boolean {
	const bucket = previous.inputs.bucket as {forceDestroy?: unknown} | undefined;
	return bucket?.forceDestroy === true;
}

export const s3Provider: Provider<S3Spec> = {
	async create(context, spec) {
		const found = await bucketAtName(context);
		if (found.state === 'absent') await createBucket(context, spec);
		else assertClaimable(context, found, 'adopt');
		await configureBucket(context, spec, found.state === 'absent');
		return outputs(context);
	},

	async update(context, spec) {
		if (!(await ownedBucketExists(context, 'change')))
			throw new ProviderError(
				`S3 bucket ${bucketName(context)} does not exist (deleted outside panka?): run panka plan --refresh`,
				'NoSuchBucket',
			);
		await configureBucket(context, spec, false);
		return outputs(context);
	},

	async delete(context, previous) {
		const name = bucketName(context);
		if (!(await ownedBucketExists(context, 'delete'))) return;
		if (forceDestroyOf(previous)) await emptyBucket(context);
		else {
			const first = await listVersionsPage(context, {});
			if (first.objects.length > 0) throw notEmptyError(name, `${first.objects.length}${first.next ? '+' : ''} objects`);
		}
		context.progress(`deleting bucket ${name}`);
		try {
			await awsCall(context, `S3 DeleteBucket ${name}`, (options) => s3(context).send(new DeleteBucketCommand({Bucket: name}), options));
		} catch (error) {
			if (hasAwsErrorCode(error, 'NoSuchBucket')) return;
			// Objects written while we were emptying or checking.
			if (hasAwsErrorCode(error, 'BucketNotEmpty')) throw notEmptyError(name, 'objects were written while it was being deleted', error);
			throw error;
		}
	},

	async read(context, previous) {
		const name = bucketName(context);
		if (!(await ownedBucketExists(context, 'read'))) return {exists: false};
		const versioning = await versioningStatus(context);
		const encryption = await awsCallUnlessMissing(
			context,
			`S3 GetBucketEncryption ${bucketName(context)}`,
			['ServerSideEncryptionConfigurationNotFoundError'],
			(options) => s3(context).send(new GetBucketEncryptionCommand({Bucket: name}), options),
		);
		const lifecycle = await awsCallUnlessMissing(
			context,
			`S3 GetBucketLifecycleConfiguration ${bucketName(context)}`,
			['NoSuchLifecycleConfiguration'],
			(options) => s3(context).send(new GetBucketLifecycleConfigurationCommand({Bucket: name}), options),
		);
		const block = await awsCallUnlessMissing(
			context,
			`S3 GetPublicAccessBlock ${bucketName(context)}`,
			['NoSuchPublicAccessBlockConfiguration'],
			(options) => s3(context).send(new GetPublicAccessBlockCommand({Bucket: name}), options),
		);
		const sse = encryption?.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault;
		const blockConfig = block?.PublicAccessBlockConfiguration;
		return {
			exists: true,
			physicalId: name,
			outputs: {...previous.outputs, ...outputs(context).outputs},
			// Keys are spec paths; `[]` marks a list observed by its elements' identities.
			observed: {
				'versioning.enabled': versioning === 'Enabled',
				'encryption.enabled': sse !== undefined,
				...(sse
					? {'encryption.algorithm': sse.SSEAlgorithm, ...(sse.KMSMasterKeyID ? {'encryption.kmsKeyId': sse.KMSMasterKeyID} : {})}
					: {}),
				'lifecycle[].id': (lifecycle?.Rules ?? []).map((rule) => rule.ID),
				'publicAccessBlock.blockPublicAcls': blockConfig?.BlockPublicAcls ?? false,
				'publicAccessBlock.ignorePublicAcls': blockConfig?.IgnorePublicAcls ?? false,
				'publicAccessBlock.blockPublicPolicy': blockConfig?.BlockPublicPolicy ?? false,
				'publicAccessBlock.restrictPublicBuckets': blockConfig?.RestrictPublicBuckets ?? false,
			},
		};
	},

	async find(context) {
		const found = await bucketAtName(context);
		if (found.state !== 'readable' || !isOwnedBy(found.tags, context.tags)) return undefined;
		return outputs(context);
	},
};
