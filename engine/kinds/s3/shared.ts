/**
 * What the S3 modules share: the client and the bucket name of a ResourceContext, the not-found
 * codes of S3, and the bucket's outputs (computed from its name and region, never read back).
 */
import type {S3Client} from '@aws-sdk/client-s3';
import {partitionOf} from '../../providers/arn.js';
import type {AppliedResource, ResourceContext} from '../../providers/provider.js';

export const bucketMissing = ['NoSuchBucket'];
/** GetBucketTagging's answer for a bucket without tags. */
export const tagSetMissing = ['NoSuchTagSet'];

export function s3(context: ResourceContext): S3Client {
	return context.clients.s3();
}

export function bucketName(context: ResourceContext): string {
	return context.names.primary!;
}

export function outputs(context: ResourceContext): AppliedResource {
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
