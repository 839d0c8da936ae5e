/**
 * SNS health: the topic exists, and its subscriptions are confirmed (a subscription still pending
 * confirmation receives nothing: degraded), and its deliveries over the recent window
 * (CloudWatch NumberOfNotificationsDelivered and NumberOfNotificationsFailed, one GetMetricData
 * call in parallel with the subscriptions): any failed delivery is degraded.
 */
import type {HealthFact, HealthReader} from '../status/health.js';
import {inWindow, type MetricValues, metricsNotRead, percent, readMetrics, totalOf} from '../status/metrics.js';
import {currentSubscriptions, isConfirmed} from './sns-provider.js';

/** Failed deliveries over the window, as a share of the deliveries attempted. */
export function deliveryFact(metrics: MetricValues | Error): HealthFact {
	if (metrics instanceof Error) return metricsNotRead(metrics);
	const failed = totalOf(metrics.failed) ?? 0;
	const attempted = failed + (totalOf(metrics.delivered) ?? 0);
	if (attempted === 0) return {name: 'failed deliveries', value: `none ${inWindow}`};
	return {
		name: 'failed deliveries',
		value: `${failed} of ${attempted} ${inWindow}${failed > 0 ? ` (${percent(failed / attempted)})` : ''}`,
		...(failed > 0 ? {verdict: 'degraded' as const} : {}),
	};
}

export const snsHealth: HealthReader = async (context, resource) => {
	const topicArn = String(resource.outputs.topicArn ?? resource.physicalId);
	const dimensions = {TopicName: topicArn.split(':').pop() ?? ''};
	const [subscriptions, metrics] = await Promise.all([
		currentSubscriptions(context, topicArn),
		readMetrics(context, [
			{id: 'delivered', namespace: 'AWS/SNS', metric: 'NumberOfNotificationsDelivered', dimensions, stat: 'Sum'},
			{id: 'failed', namespace: 'AWS/SNS', metric: 'NumberOfNotificationsFailed', dimensions, stat: 'Sum'},
		]),
	]);
	if (!subscriptions) return {exists: false};
	const pending = subscriptions.filter((subscription) => !isConfirmed(subscription));
	const facts: HealthFact[] = [{name: 'subscriptions confirmed', value: String(subscriptions.length - pending.length)}];
	if (pending.length > 0)
		facts.push({
			name: 'subscriptions pending confirmation',
			value: `${pending.length} (${pending.map((s) => `${s.protocol} ${s.endpoint}`).join(', ')}: receive nothing until confirmed)`,
			verdict: 'degraded',
		});
	facts.push(deliveryFact(metrics));
	return {exists: true, facts};
};
