/**
 * S3 buckets the sweep after a destroy may find: listed whole and kept by the stack's name prefix
 * (engine/kinds/leftovers.ts). A bucket with objects is named, never emptied: only its
 * component's destroy may empty it.
 */
import {DeleteBucketCommand, GetBucketTaggingCommand, ListBucketsCommand, ListObjectVersionsCommand} from '@aws-sdk/client-s3';
import {awsCall, awsCallUnlessMissing} from '../../aws/call.js';
import {ProviderError} from '../../providers/provider.js';
import {fromTagList} from '../../providers/resource-tags.js';
import {candidates, type LeftoverSweep} from '../leftovers.js';
import {bucketMissing, tagSetMissing} from './shared.js';

export const s3Leftovers: LeftoverSweep = async (scope) => {
	const s3 = scope.clients.s3();
	const names = ((await awsCall(scope, 'S3 ListBuckets', (o) => s3.send(new ListBucketsCommand({}), o))).Buckets ?? [])
		.map((b) => b.Name ?? '')
		.filter((name) => name.startsWith(scope.prefix));
	return candidates(
		'holders',
		names,
		(name) => `S3 bucket ${name}`,
		async (name) =>
			fromTagList(
				(
					await awsCallUnlessMissing(scope, `S3 GetBucketTagging ${name}`, tagSetMissing, (o) =>
						s3.send(new GetBucketTaggingCommand({Bucket: name}), o),
					)
				)?.TagSet,
			),
		async (name) => {
			const versions = await awsCall(scope, `S3 ListObjectVersions ${name}`, (o) =>
				s3.send(new ListObjectVersionsCommand({Bucket: name, MaxKeys: 1}), o),
			);
			if ((versions.Versions?.length ?? 0) + (versions.DeleteMarkers?.length ?? 0) > 0)
				throw new ProviderError(
					`S3 bucket ${name} is not empty: panka deletes only an empty leftover bucket; empty it first if its objects can go`,
					'BucketNotEmpty',
				);
			await awsCallUnlessMissing(scope, `S3 DeleteBucket ${name}`, bucketMissing, (o) =>
				s3.send(new DeleteBucketCommand({Bucket: name}), o),
			);
		},
	);
};
