/**
 * SQS health: messages visible, in flight and delayed on the queue, and its dead-letter queue's
 * depth. Any message in the dead-letter queue makes the component degraded: something failed to be
 * processed maxReceiveCount times. Read in parallel (queue and DLQ).
 */
import {GetQueueAttributesCommand, type QueueAttributeName, SQSClient} from '@aws-sdk/client-sqs';
import {awsCallUnlessMissing} from '../aws/call.js';
import type {HealthContext, HealthFact, HealthReader} from '../status/health.js';
import {queueMissing} from './sqs-provider.js';

const depthAttributes: QueueAttributeName[] = [
	'ApproximateNumberOfMessages',
	'ApproximateNumberOfMessagesNotVisible',
	'ApproximateNumberOfMessagesDelayed',
];

interface QueueDepth {
	visible: number;
	inFlight: number;
	delayed: number;
}

async function queueDepth(context: HealthContext, url: string): Promise<QueueDepth | undefined> {
	const read = await awsCallUnlessMissing(context, `SQS GetQueueAttributes ${url}`, queueMissing, (options) =>
		context.clients.get(SQSClient).send(new GetQueueAttributesCommand({QueueUrl: url, AttributeNames: depthAttributes}), options),
	);
	if (!read) return undefined;
	const count = (name: QueueAttributeName) => Number(read.Attributes?.[name] ?? 0);
	return {
		visible: count('ApproximateNumberOfMessages'),
		inFlight: count('ApproximateNumberOfMessagesNotVisible'),
		delayed: count('ApproximateNumberOfMessagesDelayed'),
	};
}

export const sqsHealth: HealthReader = async (context, resource) => {
	const url = String(resource.outputs.queueUrl ?? '');
	const dlqUrl = typeof resource.outputs.deadLetterQueueUrl === 'string' ? resource.outputs.deadLetterQueueUrl : undefined;
	const [queue, dlq] = await Promise.all([queueDepth(context, url), dlqUrl ? queueDepth(context, dlqUrl) : undefined]);
	if (!queue) return {exists: false};
	const facts: HealthFact[] = [
		{name: 'messages visible', value: String(queue.visible)},
		{name: 'messages in flight', value: String(queue.inFlight)},
	];
	if (queue.delayed > 0) facts.push({name: 'messages delayed', value: String(queue.delayed)});
	if (dlqUrl) {
		if (!dlq) facts.push({name: 'dead-letter queue', value: 'not found in AWS', verdict: 'failing'});
		else {
			const depth = dlq.visible + dlq.inFlight + dlq.delayed;
			facts.push({
				name: 'dead-letter queue',
				value: depth === 0 ? 'empty' : `${depth} message${depth === 1 ? '' : 's'} (failed processing)`,
				...(depth > 0 ? {verdict: 'degraded' as const} : {}),
			});
		}
	}
	return {exists: true, facts};
};
