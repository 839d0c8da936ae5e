/**
 * S3 health: the bucket exists and this account can reach it (HeadBucket). A 403 or a redirect
 * means the name now answers for someone else's bucket: failing.
 */
import {HeadBucketCommand} from '@aws-sdk/client-s3';
import {awsCall, hasAwsErrorCode, httpStatusOf} from '../../aws/call.js';
import type {HealthReader} from '../../status/health.js';

export const s3Health: HealthReader = async (context, resource) => {
	const name = String(resource.outputs.bucketName ?? resource.physicalNames.primary ?? '');
	try {
		await awsCall(context, `S3 HeadBucket ${name}`, (options) => context.clients.s3().send(new HeadBucketCommand({Bucket: name}), options));
	} catch (error) {
		const status = httpStatusOf(error);
		if (status === 404 || hasAwsErrorCode(error, 'NotFound', 'NoSuchBucket')) return {exists: false};
		if (status === 403 || status === 301)
			return {exists: true, facts: [{name: 'bucket', value: `not reachable from this account (HTTP ${status})`, verdict: 'failing'}]};
		throw error;
	}
	return {exists: true, facts: [{name: 'bucket', value: 'exists'}]};
};
