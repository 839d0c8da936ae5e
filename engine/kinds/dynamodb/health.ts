/**
 * DynamoDB health: the table's status (ACTIVE is healthy; CREATING, UPDATING and the like are a
 * change in progress: degraded; INACCESSIBLE_ENCRYPTION_CREDENTIALS and ARCHIVED serve nothing:
 * failing), and its global secondary indexes' statuses.
 */
import {DescribeTableCommand, DynamoDBClient} from '@aws-sdk/client-dynamodb';
import {awsCallUnlessMissing} from '../../aws/call.js';
import type {HealthFact, HealthReader} from '../../status/health.js';
import {tableMissing} from './shared.js';

const unusableStatuses = new Set(['INACCESSIBLE_ENCRYPTION_CREDENTIALS', 'ARCHIVING', 'ARCHIVED', 'DELETING']);

export const dynamoDbHealth: HealthReader = async (context, resource) => {
	const name = String(resource.outputs.tableName ?? resource.physicalNames.primary ?? '');
	const table = await awsCallUnlessMissing(
		context,
		`DynamoDB DescribeTable ${name}`,
		tableMissing,
		async (options) => (await context.clients.get(DynamoDBClient).send(new DescribeTableCommand({TableName: name}), options)).Table,
	);
	if (!table) return {exists: false};
	const status = table.TableStatus ?? 'unknown';
	const facts: HealthFact[] = [
		{
			name: 'table',
			value: status.toLowerCase(),
			...(status === 'ACTIVE' ? {} : {verdict: unusableStatuses.has(status) ? ('failing' as const) : ('degraded' as const)}),
		},
	];
	if (table.ItemCount !== undefined) facts.push({name: 'items (approximate)', value: String(table.ItemCount)});
	for (const index of table.GlobalSecondaryIndexes ?? [])
		if (index.IndexStatus && index.IndexStatus !== 'ACTIVE')
			facts.push({name: `index ${index.IndexName}`, value: index.IndexStatus.toLowerCase(), verdict: 'degraded'});
	return {exists: true, facts};
};
