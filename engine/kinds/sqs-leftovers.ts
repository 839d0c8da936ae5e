/**
 * SQS queues (and their dead-letter queues) the sweep after a destroy may find: listed by the
 * stack's name prefix, deleted with the provider's not-found codes (engine/kinds/leftovers.ts).
 */
import {DeleteQueueCommand, ListQueuesCommand, ListQueueTagsCommand, SQSClient} from '@aws-sdk/client-sqs';
import {awsCall, awsCallUnlessMissing} from '../aws/call.js';
import {allPages, candidates, continuing, type LeftoverSweep, lastPart} from './leftovers.js';
import {queueMissing} from '../aws/missing-codes.js';

export const sqsLeftovers: LeftoverSweep = async (scope) => {
	const sqs = scope.clients.get(SQSClient);
	const urls = await allPages(async (token) => {
		const page = await awsCall(scope, 'SQS ListQueues', (o) =>
			sqs.send(new ListQueuesCommand({QueueNamePrefix: scope.prefix, MaxResults: 1000, ...continuing(token, 'NextToken')}), o),
		);
		return {items: page.QueueUrls ?? [], next: page.NextToken};
	});
	const name = (url: string) => lastPart(url, '/');
	return candidates(
		'holders',
		urls,
		(url) => `SQS queue ${name(url)}`,
		async (url) =>
			(await awsCall(scope, `SQS ListQueueTags ${name(url)}`, (o) => sqs.send(new ListQueueTagsCommand({QueueUrl: url}), o))).Tags ?? {},
		(url) =>
			awsCallUnlessMissing(scope, `SQS DeleteQueue ${name(url)}`, queueMissing, (o) =>
				sqs.send(new DeleteQueueCommand({QueueUrl: url}), o),
			),
	);
};
