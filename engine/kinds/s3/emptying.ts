/**
 * Emptying a bucket before it is deleted (`bucket.forceDestroy`): every object version and delete
 * marker, in DeleteObjects batches; without forceDestroy a non-empty bucket is refused.
 */
import {DeleteObjectsCommand, ListObjectVersionsCommand, type ObjectIdentifier} from '@aws-sdk/client-s3';
import {awsCall} from '../../aws/call.js';
import {ProviderError, type ResourceContext} from '../../providers/provider.js';
import {bucketName, s3} from './shared.js';

/** DeleteObjects takes at most this many keys per call. */
const deleteBatchSize = 1_000;

/** Object versions and delete markers of one ListObjectVersions page (each blocks DeleteBucket). */
export async function listVersionsPage(context: ResourceContext, marker: {KeyMarker?: string; VersionIdMarker?: string}) {
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
export async function emptyBucket(context: ResourceContext): Promise<void> {
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
export function notEmptyError(name: string, contents: string, cause?: unknown): ProviderError {
	return new ProviderError(
		`bucket ${name} is not empty (${contents}); set bucket.forceDestroy: true to let panka empty it`,
		'BucketNotEmpty',
		{cause},
	);
}
