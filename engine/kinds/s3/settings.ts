/**
 * The bucket's settings, each applied with its own Put* call on create and update alike: tags,
 * object ownership and ACL, public access block, versioning, encryption, lifecycle and CORS (a
 * setting removed from the spec is deleted; versioning is suspended).
 */
import {
	type BucketCannedACL,
	type CORSRule,
	DeleteBucketCorsCommand,
	DeleteBucketEncryptionCommand,
	DeleteBucketLifecycleCommand,
	GetBucketOwnershipControlsCommand,
	GetBucketVersioningCommand,
	type LifecycleRule,
	type ObjectOwnership,
	PutBucketAclCommand,
	PutBucketCorsCommand,
	PutBucketEncryptionCommand,
	PutBucketLifecycleConfigurationCommand,
	PutBucketOwnershipControlsCommand,
	PutBucketTaggingCommand,
	PutBucketVersioningCommand,
	PutPublicAccessBlockCommand,
	type ServerSideEncryption,
	type TransitionStorageClass,
} from '@aws-sdk/client-s3';
import {awsCall, awsCallUnlessMissing} from '../../aws/call.js';
import type {ResourceContext} from '../../providers/provider.js';
import {toTagList} from '../../providers/resource-tags.js';
import type {S3Spec} from '../s3.js';
import {bucketName, s3} from './shared.js';

export function objectOwnership(spec: S3Spec): ObjectOwnership {
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

export async function versioningStatus(context: ResourceContext): Promise<string | undefined> {
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
export async function configureBucket(context: ResourceContext, spec: S3Spec, fresh: boolean): Promise<void> {
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
