/**
 * SQS health: messages visible, in flight and delayed on the queue, and its dead-letter queue's
 * depth. Any message in the dead-letter queue makes the component degraded: something failed to be
 * processed maxReceiveCount times. The oldest message's age is a CloudWatch metric
 * (ApproximateAgeOfOldestMessage, one GetMetricData call): an oldest message past 80% of the
 * queue's retention period is degraded (unread, it is about to be deleted). Read in parallel
 * (queue, DLQ, metric).
 */
import {GetQueueAttributesCommand, type QueueAttributeName, SQSClient} from '@aws-sdk/client-sqs';
import {awsCallUnlessMissing} from '../aws/call.js';
import {formatDuration} from '../state/lock.js';
import type {HealthContext, HealthFact, HealthReader} from '../status/health.js';
import {inWindow, latestOf, type MetricValues, metricsNotRead, readMetrics} from '../status/metrics.js';
import {queueMissing} from '../aws/missing-codes.js';

const depthAttributes: QueueAttributeName[] = [
	'ApproximateNumberOfMessages',
	'ApproximateNumberOfMessagesNotVisible',
	'ApproximateNumberOfMessagesDelayed',
	'MessageRetentionPeriod',
];

/** An oldest message this far into the retention period is about to be deleted unread. */
const expiringShare = 0.8;

interface QueueDepth {
	visible: number;
	inFlight: number;
	delayed: number;
	retentionSeconds: number;
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
		retentionSeconds: count('MessageRetentionPeriod'),
	};
}

/** The oldest message's age (seconds, the metric's latest datapoint) against the queue's retention period. */
export function oldestMessageFact(metrics: MetricValues | Error, retentionSeconds: number): HealthFact {
	if (metrics instanceof Error) return metricsNotRead(metrics);
	const age = latestOf(metrics.oldestAge);
	if (age === undefined) return {name: 'oldest message', value: `no datapoints ${inWindow}`};
	if (age === 0) return {name: 'oldest message', value: 'none waiting'};
	const expiring = retentionSeconds > 0 && age >= retentionSeconds * expiringShare;
	return {
		name: 'oldest message',
		value: `${formatDuration(age * 1000)} old${expiring ? ` (deleted unread at ${formatDuration(retentionSeconds * 1000)})` : ''}`,
		...(expiring ? {verdict: 'degraded' as const} : {}),
	};
}

export const sqsHealth: HealthReader = async (context, resource) => {
	const url = String(resource.outputs.queueUrl ?? '');
	const dlqUrl = typeof resource.outputs.deadLetterQueueUrl === 'string' ? resource.outputs.deadLetterQueueUrl : undefined;
	const queueName = url.split('/').pop() ?? '';
	const [queue, dlq, metrics] = await Promise.all([
		queueDepth(context, url),
		dlqUrl ? queueDepth(context, dlqUrl) : undefined,
		readMetrics(context, [
			{id: 'oldestAge', namespace: 'AWS/SQS', metric: 'ApproximateAgeOfOldestMessage', dimensions: {QueueName: queueName}, stat: 'Maximum'},
		]),
	]);
	if (!queue) return {exists: false};
	const facts: HealthFact[] = [
		{name: 'messages visible', value: String(queue.visible)},
		{name: 'messages in flight', value: String(queue.inFlight)},
	];
	if (queue.delayed > 0) facts.push({name: 'messages delayed', value: String(queue.delayed)});
	facts.push(oldestMessageFact(metrics, queue.retentionSeconds));
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
