/**
 * Lambda functions the sweep after a destroy may find: listed whole and kept by the stack's name
 * prefix, deleted with the kind's not-found code (engine/kinds/leftovers.ts). Their roles and log
 * groups are the sweep's own (shared with other kinds), their schedule rules engine/providers/event-rules.ts's.
 */
import {DeleteFunctionCommand, LambdaClient, ListFunctionsCommand, ListTagsCommand} from '@aws-sdk/client-lambda';
import {awsCall, awsCallUnlessMissing} from '../../aws/call.js';
import {allPages, candidates, continuing, type LeftoverSweep} from '../leftovers.js';
import {functionMissing} from './shared.js';

export const lambdaLeftovers: LeftoverSweep = async (scope) => {
	const lambda = scope.clients.get(LambdaClient);
	const functions = await allPages(async (marker) => {
		const page = await awsCall(scope, 'Lambda ListFunctions', (o) =>
			lambda.send(new ListFunctionsCommand(continuing(marker, 'Marker')), o),
		);
		const items = (page.Functions ?? []).flatMap((f) =>
			f.FunctionName?.startsWith(scope.prefix) && f.FunctionArn ? [{name: f.FunctionName, arn: f.FunctionArn}] : [],
		);
		return {items, next: page.NextMarker};
	});
	return candidates(
		'users',
		functions,
		({name}) => `Lambda function ${name}`,
		async ({arn, name}) =>
			(await awsCall(scope, `Lambda ListTags ${name}`, (o) => lambda.send(new ListTagsCommand({Resource: arn}), o))).Tags ?? {},
		({name}) =>
			awsCallUnlessMissing(scope, `Lambda DeleteFunction ${name}`, functionMissing, (o) =>
				lambda.send(new DeleteFunctionCommand({FunctionName: name}), o),
			),
	);
};
