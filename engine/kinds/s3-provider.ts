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
 *
 * Layout: this module is the provider's five operations; s3/ holds the rest: shared.ts, bucket.ts
 * (what is at the name, and the ownership rule), settings.ts (every Put* setting) and emptying.ts.
 */
import {
	DeleteBucketCommand,
	GetBucketEncryptionCommand,
	GetBucketLifecycleConfigurationCommand,
	GetPublicAccessBlockCommand,
} from '@aws-sdk/client-s3';
import {awsCall, awsCallUnlessMissing, hasAwsErrorCode} from '../aws/call.js';
import {type Provider, ProviderError} from '../providers/provider.js';
import {isOwnedBy} from '../providers/resource-tags.js';
import type {StateResource} from '../state/state-document.js';
import type {S3Spec} from './s3.js';
import {assertClaimable, bucketAtName, createBucket, ownedBucketExists} from './s3/bucket.js';
import {emptyBucket, listVersionsPage, notEmptyError} from './s3/emptying.js';
import {configureBucket, versioningStatus} from './s3/settings.js';
import {bucketName, outputs, s3} from './s3/shared.js';

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
