/**
 * EventBridge health: the rule exists and is enabled (a disabled rule triggers nothing:
 * degraded), with its schedule or pattern and its targets.
 */
import {ListTargetsByRuleCommand, EventBridgeClient, DescribeRuleCommand} from '@aws-sdk/client-eventbridge';
import {awsCallUnlessMissing} from '../aws/call.js';
import {ruleMissing} from '../providers/event-rules.js';
import type {HealthFact, HealthReader} from '../status/health.js';
import {recordedBus} from './eventbridge-provider.js';

export const eventBridgeHealth: HealthReader = async (context, resource) => {
	const name = String(resource.outputs.ruleName ?? resource.physicalNames.primary ?? '');
	const bus = recordedBus(resource);
	const events = context.clients.get(EventBridgeClient);
	const [rule, targets] = await Promise.all([
		awsCallUnlessMissing(context, `EventBridge DescribeRule ${name}`, ruleMissing, (options) =>
			events.send(new DescribeRuleCommand({Name: name, EventBusName: bus}), options),
		),
		awsCallUnlessMissing(context, `EventBridge ListTargetsByRule ${name}`, ruleMissing, (options) =>
			events.send(new ListTargetsByRuleCommand({Rule: name, EventBusName: bus}), options),
		),
	]);
	if (!rule) return {exists: false};
	const facts: HealthFact[] = [
		{
			name: 'rule',
			value: rule.State === 'ENABLED' ? 'enabled' : `${(rule.State ?? 'unknown').toLowerCase()} (triggers nothing)`,
			...(rule.State === 'ENABLED' ? {} : {verdict: 'degraded' as const}),
		},
	];
	if (rule.ScheduleExpression) facts.push({name: 'schedule', value: rule.ScheduleExpression});
	const count = targets?.Targets?.length ?? 0;
	facts.push({name: 'targets', value: String(count), ...(count === 0 ? {verdict: 'degraded' as const} : {})});
	return {exists: true, facts};
};
