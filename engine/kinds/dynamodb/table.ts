/**
 * Reading the table (with its tags, and the ownership rule before it is adopted, changed, read or
 * deleted) and waiting for it and its indexes to settle.
 */
import {
	DescribeTableCommand,
	ListTagsOfResourceCommand,
	type TableDescription,
	UpdateTableCommand,
	type UpdateTableCommandInput,
	waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import {awsCall, awsCallUnlessMissing} from '../../aws/call.js';
import {ProviderError, type ResourceContext} from '../../providers/provider.js';
import {fromTagList, type OwnershipAction, requireOwned} from '../../providers/resource-tags.js';
import {pollUntil, waiterOptions} from '../../providers/wait.js';
import {dynamo, tableMissing, tableName} from './shared.js';

export function describeTable(context: ResourceContext): Promise<TableDescription | undefined> {
	return awsCallUnlessMissing(
		context,
		`DynamoDB DescribeTable ${tableName(context)}`,
		tableMissing,
		async (options) => (await dynamo(context).send(new DescribeTableCommand({TableName: tableName(context)}), options)).Table,
	);
}

export async function describeExistingTable(context: ResourceContext): Promise<TableDescription> {
	const table = await describeTable(context);
	if (!table)
		throw new ProviderError(`DynamoDB table ${tableName(context)} does not exist (deleted outside panka?)`, 'ResourceNotFoundException');
	return table;
}

export async function tableTags(context: ResourceContext, tableArn: string): Promise<Record<string, string>> {
	const tags: Record<string, string> = {};
	let nextToken: string | undefined;
	do {
		const page = await awsCall(context, `DynamoDB ListTagsOfResource ${tableName(context)}`, (options) =>
			dynamo(context).send(new ListTagsOfResourceCommand({ResourceArn: tableArn, ...(nextToken ? {NextToken: nextToken} : {})}), options),
		);
		Object.assign(tags, fromTagList(page.Tags));
		nextToken = page.NextToken;
	} while (nextToken);
	return tags;
}

export async function waitForTableActive(context: ResourceContext): Promise<void> {
	const name = tableName(context);
	context.progress(`waiting for table ${name} to become ACTIVE`);
	await awsCall(context, `DynamoDB wait for table ${name} ACTIVE`, () =>
		waitUntilTableExists(waiterOptions(context, dynamo(context)), {TableName: name}),
	);
}

/** Wait until the index is ACTIVE with its backfill done (`present`) or no longer listed (`absent`). */
export async function waitForIndex(context: ResourceContext, indexName: string, wanted: 'present' | 'absent'): Promise<void> {
	const what = wanted === 'present' ? `index ${indexName} to become ACTIVE` : `index ${indexName} to be removed`;
	context.progress(`waiting for ${what}`);
	await pollUntil(context, what, async () => {
		const table = await describeExistingTable(context);
		const index = table.GlobalSecondaryIndexes?.find((candidate) => candidate.IndexName === indexName);
		const settled = wanted === 'present' ? index?.IndexStatus === 'ACTIVE' && !index.Backfilling : index === undefined;
		return settled && table.TableStatus === 'ACTIVE' ? true : undefined;
	});
}

export async function updateTable(
	context: ResourceContext,
	what: string,
	input: Omit<UpdateTableCommandInput, 'TableName'>,
): Promise<void> {
	const name = tableName(context);
	context.progress(`updating table ${name}: ${what}`);
	await awsCall(context, `DynamoDB UpdateTable ${name} (${what})`, (options) =>
		dynamo(context).send(new UpdateTableCommand({TableName: name, ...input}), options),
	);
	await waitForTableActive(context);
}

/** The table when it exists, after checking it is this component's. */
export async function ownedTable(context: ResourceContext, action: OwnershipAction): Promise<TableDescription | undefined> {
	const table = await describeTable(context);
	if (table?.TableArn) requireOwned(await tableTags(context, table.TableArn), context.tags, action, `DynamoDB table ${tableName(context)}`);
	return table;
}
