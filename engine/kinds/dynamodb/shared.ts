/**
 * What the DynamoDB modules share: the client and the table name of a ResourceContext, the
 * not-found code, the spec's index shape, and the outputs of a table as AWS describes it.
 */
import {DynamoDBClient, type TableDescription} from '@aws-sdk/client-dynamodb';
import type {AppliedResource, ResourceContext} from '../../providers/provider.js';
import type {DynamoDbSpec} from '../dynamodb.js';

export type IndexSpec = NonNullable<DynamoDbSpec['globalSecondaryIndexes']>[number];

export const tableMissing = ['ResourceNotFoundException'];

export function dynamo(context: ResourceContext): DynamoDBClient {
	return context.clients.get(DynamoDBClient);
}

export function tableName(context: ResourceContext): string {
	return context.names.primary!;
}

export function outputs(context: ResourceContext, table: TableDescription): AppliedResource {
	const arn = table.TableArn ?? '';
	const streamArn = table.StreamSpecification?.StreamEnabled ? table.LatestStreamArn : undefined;
	return {physicalId: arn, outputs: {tableName: tableName(context), arn, ...(streamArn ? {streamArn} : {})}};
}
