/**
 * The bucket at the component's name: absent, ours (by its panka:* tags, or untagged: a create of
 * ours that crashed before tagging), or someone else's (another account or region), checked with
 * the ownership rule before it is created, adopted, read or deleted.
 */
import {type BucketLocationConstraint, CreateBucketCommand, GetBucketTaggingCommand, HeadBucketCommand} from '@aws-sdk/client-s3';
import {awsCall, awsCallUnlessMissing, hasAwsErrorCode, httpStatusOf} from '../../aws/call.js';
import {ProviderError, type ResourceContext} from '../../providers/provider.js';
import {fromTagList, type OwnershipAction, requireOwned, toTagList} from '../../providers/resource-tags.js';
import type {S3Spec} from '../s3.js';
import {objectOwnership} from './settings.js';
import {bucketName, s3, tagSetMissing} from './shared.js';

/** What is at the bucket's name: nothing, a bucket this account can read (with its tags), or someone else's. */
type BucketAtName = {state: 'absent'} | {state: 'readable'; tags: Record<string, string>} | {state: 'elsewhere'};

export async function bucketAtName(context: ResourceContext): Promise<BucketAtName> {
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
	const tagging = await awsCallUnlessMissing(context, `S3 GetBucketTagging ${bucketName(context)}`, tagSetMissing, (options) =>
		s3(context).send(new GetBucketTaggingCommand({Bucket: bucketName(context)}), options),
	);
	return fromTagList(tagging?.TagSet);
}

export async function createBucket(context: ResourceContext, spec: S3Spec): Promise<void> {
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
export function assertClaimable(context: ResourceContext, found: Exclude<BucketAtName, {state: 'absent'}>, action: OwnershipAction): void {
	const name = bucketName(context);
	if (found.state === 'elsewhere')
		throw new ProviderError(
			`S3 CreateBucket ${name}: the bucket name is taken by another AWS account (or a bucket in another region)`,
			'BucketAlreadyExists',
		);
	requireOwned(found.tags, context.tags, action, `S3 bucket ${name}`, {claimUntagged: true});
}

/** Is there a bucket of ours at the name (checked with `requireOwned`)? */
export async function ownedBucketExists(context: ResourceContext, action: OwnershipAction): Promise<boolean> {
	const found = await bucketAtName(context);
	if (found.state !== 'readable') return false;
	assertClaimable(context, found, action);
	return true;
}
