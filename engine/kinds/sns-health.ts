/**
 * SNS health: the topic exists, and its subscriptions are confirmed (a subscription still pending
 * confirmation receives nothing: degraded). Failed deliveries are a CloudWatch metric
 * (NumberOfNotificationsFailed), not read here: see docs/status.md.
 */
import type {HealthFact, HealthReader} from '../status/health.js';
import {currentSubscriptions, isConfirmed} from './sns-provider.js';

export const snsHealth: HealthReader = async (context, resource) => {
	const topicArn = String(resource.outputs.topicArn ?? resource.physicalId);
	const subscriptions = await currentSubscriptions(context, topicArn);
	if (!subscriptions) return {exists: false};
	const pending = subscriptions.filter((subscription) => !isConfirmed(subscription));
	const facts: HealthFact[] = [{name: 'subscriptions confirmed', value: String(subscriptions.length - pending.length)}];
	if (pending.length > 0)
		facts.push({
			name: 'subscriptions pending confirmation',
			value: `${pending.length} (${pending.map((s) => `${s.protocol} ${s.endpoint}`).join(', ')}: receive nothing until confirmed)`,
			verdict: 'degraded',
		});
	return {exists: true, facts};
};
