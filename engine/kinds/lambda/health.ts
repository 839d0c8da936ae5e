/**
 * Lambda health: the function's state (Active healthy; Pending or an update in progress
 * degraded; Failed, or a failed last update, failing) and each event source mapping's state
 * (Enabled healthy; Disabled or a last processing result reporting a problem degraded).
 * Invocations, errors and throttles over the recent window are CloudWatch metrics: see
 * docs/status.md for what is read.
 */
import {type EventSourceMappingConfiguration, GetFunctionConfigurationCommand, LambdaClient} from '@aws-sdk/client-lambda';
import {awsCallUnlessMissing} from '../../aws/call.js';
import type {HealthFact, HealthReader} from '../../status/health.js';
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

export const lambdaHealth: HealthReader = async (context, resource) => {
	const name = String(resource.outputs.functionName ?? resource.physicalNames.primary ?? '');
	const [configuration, mappings] = await Promise.all([
		awsCallUnlessMissing(context, `Lambda GetFunctionConfiguration ${name}`, functionMissing, (options) =>
			context.clients.get(LambdaClient).send(new GetFunctionConfigurationCommand({FunctionName: name}), options),
		),
		eventSourceMappingsOf(context, name),
	]);
	if (!configuration) return {exists: false};
	return {
		exists: true,
		facts: [...functionFacts(configuration.State, configuration.LastUpdateStatus, configuration.StateReason), ...mappings.map(mappingFact)],
	};
};
