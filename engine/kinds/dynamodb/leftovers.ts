/**
 * DynamoDB tables the sweep after a destroy may find: listed whole and kept by the stack's name
 * prefix, deleted with the kind's not-found code (engine/kinds/leftovers.ts).
 */
import {
	DeleteTableCommand,
	DescribeTableCommand,
	DynamoDBClient,
	ListTablesCommand,
	ListTagsOfResourceCommand,
} from '@aws-sdk/client-dynamodb';
import {awsCall, awsCallUnlessMissing} from '../../aws/call.js';
import {fromTagList} from '../../providers/resource-tags.js';
import {allPages, candidates, continuing, type LeftoverSweep} from '../leftovers.js';
import {tableMissing} from './shared.js';

export const dynamoDbLeftovers: LeftoverSweep = async (scope) => {
	const dynamo = scope.clients.get(DynamoDBClient);
	const names = await allPages(async (start) => {
		const page = await awsCall(scope, 'DynamoDB ListTables', (o) =>
			dynamo.send(new ListTablesCommand(continuing(start, 'ExclusiveStartTableName')), o),
		);
		return {items: (page.TableNames ?? []).filter((name) => name.startsWith(scope.prefix)), next: page.LastEvaluatedTableName};
	});
	return candidates(
		'holders',
		names,
		(name) => `DynamoDB table ${name}`,
		async (name) => {
			const described = await awsCall(scope, `DynamoDB DescribeTable ${name}`, (o) =>
				dynamo.send(new DescribeTableCommand({TableName: name}), o),
			);
			const arn = described.Table?.TableArn ?? '';
			return fromTagList(
				(
					await awsCall(scope, `DynamoDB ListTagsOfResource ${name}`, (o) =>
						dynamo.send(new ListTagsOfResourceCommand({ResourceArn: arn}), o),
					)
				).Tags,
			);
		},
		(name) =>
			awsCallUnlessMissing(scope, `DynamoDB DeleteTable ${name}`, tableMissing, (o) =>
				dynamo.send(new DeleteTableCommand({TableName: name}), o),
			),
	);
};
