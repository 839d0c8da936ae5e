/**
 * Lambda health: the function's state (Active healthy; Pending or an update in progress
 * degraded; Failed, or a failed last update, failing) and each event source mapping's state
 * (Enabled healthy; Disabled or a last processing result reporting a problem degraded), and its
 * invocations, errors and throttles over the recent window (CloudWatch, one GetMetricData call,
 * in parallel with the rest): any error or throttle is degraded, said with its rate.
 */
import {type EventSourceMappingConfiguration, GetFunctionConfigurationCommand, LambdaClient} from '@aws-sdk/client-lambda';
import {awsCallUnlessMissing} from '../../aws/call.js';
import type {HealthFact, HealthReader} from '../../status/health.js';
import {countWithShare, inWindow, type MetricValues, metricsNotRead, readMetrics, totalOf} from '../../status/metrics.js';
import {functionMissing} from './shared.js';
import {eventSourceMappingsOf} from './triggers.js';

export function functionFacts(state: string | undefined, lastUpdate: string | undefined, reason: string | undefined): HealthFact[] {
	const facts: HealthFact[] = [];
	const because = reason ? `: ${reason}` : '';
	if (state === 'Failed') facts.push({name: 'function', value: `failed${because}`, verdict: 'failing'});
	else if (state === 'Active') facts.push({name: 'function', value: 'active'});
	else facts.push({name: 'function', value: (state ?? 'unknown').toLowerCase(), verdict: 'degraded'});
	if (lastUpdate === 'Failed') facts.push({name: 'last update', value: 'failed', verdict: 'failing'});
	else if (lastUpdate === 'InProgress') facts.push({name: 'last update', value: 'in progress', verdict: 'degraded'});
	return facts;
}

export function mappingFact(mapping: EventSourceMappingConfiguration): HealthFact {
	const source = mapping.EventSourceArn?.split(':').pop() ?? mapping.UUID ?? 'trigger';
	const state = mapping.State ?? 'unknown';
	const result = mapping.LastProcessingResult ?? '';
	const problem = /PROBLEM/i.test(result);
	return {
		name: `trigger ${source}`,
		value: `${state.toLowerCase()}${result && result !== 'No records processed' ? `, last result: ${result}` : ''}`,
		...(state !== 'Enabled' || problem ? {verdict: 'degraded' as const} : {}),
	};
}

/**
 * Invocations, errors and throttles over the window: errors as a share of invocations, throttles
 * of the requests (throttled requests are not invocations); any of either is degraded.
 */
export function invocationFacts(metrics: MetricValues | Error): HealthFact[] {
	if (metrics instanceof Error) return [metricsNotRead(metrics)];
	const invocations = totalOf(metrics.invocations);
	const errors = totalOf(metrics.errors) ?? 0;
	const throttles = totalOf(metrics.throttles) ?? 0;
	if (invocations === undefined && errors === 0 && throttles === 0) return [{name: 'invocations', value: `none ${inWindow}`}];
	const invoked = invocations ?? 0;
	return [
		{name: 'invocations', value: `${invoked} ${inWindow}`},
		{name: 'errors', value: countWithShare(errors, invoked), ...(errors > 0 ? {verdict: 'degraded' as const} : {})},
		{name: 'throttles', value: countWithShare(throttles, invoked + throttles), ...(throttles > 0 ? {verdict: 'degraded' as const} : {})},
	];
}

export const lambdaHealth: HealthReader = async (context, resource) => {
	const name = String(resource.outputs.functionName ?? resource.physicalNames.primary ?? '');
	const dimensions = {FunctionName: name};
	const [configuration, mappings, metrics] = await Promise.all([
		awsCallUnlessMissing(context, `Lambda GetFunctionConfiguration ${name}`, functionMissing, (options) =>
			context.clients.get(LambdaClient).send(new GetFunctionConfigurationCommand({FunctionName: name}), options),
		),
		eventSourceMappingsOf(context, name),
		readMetrics(context, [
			{id: 'invocations', namespace: 'AWS/Lambda', metric: 'Invocations', dimensions, stat: 'Sum'},
			{id: 'errors', namespace: 'AWS/Lambda', metric: 'Errors', dimensions, stat: 'Sum'},
			{id: 'throttles', namespace: 'AWS/Lambda', metric: 'Throttles', dimensions, stat: 'Sum'},
		]),
	]);
	if (!configuration) return {exists: false};
	return {
		exists: true,
		facts: [
			...functionFacts(configuration.State, configuration.LastUpdateStatus, configuration.StateReason),
			...mappings.map(mappingFact),
			...invocationFacts(metrics),
		],
	};
};
