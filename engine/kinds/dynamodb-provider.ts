/**
 * DynamoDB provider: one table with its keys, billing mode and capacity, global secondary
 * indexes, TTL, point-in-time recovery, stream, server-side encryption and tags. Loaded only when
 * something is applied (dynamodb.ts points here lazily).
 *
 * Invariants:
 * - The table name is the kind's deterministic physical name; `find` adopts a table only when
 *   its panka:* tags are this component's, and create, update, read and delete refuse a
 *   same-named table with other tags (`requireOwned`), naming its owner.
 * - Key schema changes are replaces (decided by the planner); everything else updates in place,
 *   in this order: remove indexes, billing mode and capacities, add indexes, stream, encryption,
 *   TTL, PITR, tags. An index whose keys or projection changed is removed and added again.
 * - AWS takes one index creation or deletion per UpdateTable and refuses updates while the table
 *   or an index is still changing, so the provider waits after every UpdateTable: for the table
 *   to be ACTIVE, and for an added index to be ACTIVE (backfill done) or a removed one to be gone,
 *   reporting each wait as a progress phase. Waits use `context.wait` and end on `context.signal`.
 * - AttributeDefinitions always list exactly the attributes used by the keys of the table and of
 *   the indexes that exist after the call (AWS rejects unused definitions).
 * - A stream view type change disables the stream and enables a new one (a new streamArn).
 *   `streamArn` is an output only while the stream is enabled.
 * - Encryption: enabled means SSE with KMS (the given key, else the AWS managed key); disabled or
 *   absent means the AWS owned key. A key change is detected against the last applied spec, since
 *   AWS reports the key as an ARN whatever form the spec used.
 * - Tags are made to match `context.tags` exactly (TagResource / UntagResource).
 *
 * Layout: this module is the provider's five operations; dynamodb/ holds the rest: shared.ts,
 * shapes.ts (the spec in the API's shapes, pure), table.ts (reading and waiting) and updates.ts.
 */
import {
	CreateTableCommand,
	DeleteTableCommand,
	DescribeContinuousBackupsCommand,
	DescribeTimeToLiveCommand,
	type StreamViewType,
	waitUntilTableNotExists,
} from '@aws-sdk/client-dynamodb';
import {awsCall, awsCallUnlessMissing, type AwsRequest, hasAwsErrorCode} from '../aws/call.js';
import type {Provider} from '../providers/provider.js';
import {isOwnedBy, toTagList} from '../providers/resource-tags.js';
import {waiterOptions} from '../providers/wait.js';
import type {DynamoDbSpec} from './dynamodb.js';
import {attributeDefinitions, indexDefinition, keySchema, provisionedThroughput, sseSpecification} from './dynamodb/shapes.js';
import {dynamo, outputs, tableMissing, tableName} from './dynamodb/shared.js';
import {describeExistingTable, describeTable, ownedTable, tableTags, waitForTableActive} from './dynamodb/table.js';
import {updateInPlace, updatePointInTimeRecovery, updateTimeToLive} from './dynamodb/updates.js';

function kmsKeyIdOf(inputs: Record<string, unknown>): unknown {
	return (inputs.encryption as {kmsKeyId?: unknown} | undefined)?.kmsKeyId;
}

export const dynamoDbProvider: Provider<DynamoDbSpec> = {
	async create(context, spec) {
		const name = tableName(context);
		const indexes = spec.globalSecondaryIndexes ?? [];
		const throughput = provisionedThroughput(spec, spec);
		context.progress(`creating table ${name}`);
		try {
			await awsCall(context, `DynamoDB CreateTable ${name}`, (options) =>
				dynamo(context).send(
					new CreateTableCommand({
						TableName: name,
						AttributeDefinitions: attributeDefinitions(spec, indexes),
						KeySchema: keySchema(spec.hashKey, spec.rangeKey),
						BillingMode: spec.billingMode,
						...(throughput ? {ProvisionedThroughput: throughput} : {}),
						...(indexes.length > 0 ? {GlobalSecondaryIndexes: indexes.map((index) => indexDefinition(spec, index))} : {}),
						...(spec.stream?.enabled
							? {StreamSpecification: {StreamEnabled: true, StreamViewType: spec.stream.viewType as StreamViewType}}
							: {}),
						...(spec.encryption?.enabled ? {SSESpecification: sseSpecification(spec)} : {}),
						Tags: toTagList(context.tags),
					}),
					options,
				),
			);
		} catch (error) {
			if (!hasAwsErrorCode(error, 'ResourceInUseException')) throw error;
			// A table with this name exists: ours (state lost after a create) converges in place.
			await ownedTable(context, 'adopt');
			await waitForTableActive(context);
			return updateInPlace(context, spec, undefined);
		}
		await waitForTableActive(context);
		await updateTimeToLive(context, spec);
		await updatePointInTimeRecovery(context, spec);
		return outputs(context, await describeExistingTable(context));
	},

	async update(context, spec, previous) {
		return updateInPlace(context, spec, kmsKeyIdOf(previous.inputs));
	},

	async delete(context) {
		const name = tableName(context);
		if (!(await ownedTable(context, 'delete'))) return;
		context.progress(`deleting table ${name}`);
		const deleteTable: AwsRequest<unknown> = (options) => dynamo(context).send(new DeleteTableCommand({TableName: name}), options);
		try {
			await awsCall(context, `DynamoDB DeleteTable ${name}`, deleteTable);
		} catch (error) {
			if (hasAwsErrorCode(error, ...tableMissing)) return;
			if (!hasAwsErrorCode(error, 'ResourceInUseException')) throw error;
			// Still creating or updating: wait for it to settle, then delete.
			await waitForTableActive(context);
			const deleted = await awsCallUnlessMissing(context, `DynamoDB DeleteTable ${name}`, tableMissing, deleteTable);
			if (!deleted) return;
		}
		context.progress(`waiting for table ${name} to be deleted`);
		await awsCall(context, `DynamoDB wait for table ${name} deleted`, () =>
			waitUntilTableNotExists(waiterOptions(context, dynamo(context)), {TableName: name}),
		);
	},

	async read(context, previous) {
		const name = tableName(context);
		const table = await ownedTable(context, 'read');
		if (!table) return {exists: false};
		const [ttl, backups] = await Promise.all([
			awsCall(context, `DynamoDB DescribeTimeToLive ${name}`, (options) =>
				dynamo(context).send(new DescribeTimeToLiveCommand({TableName: name}), options),
			),
			awsCall(context, `DynamoDB DescribeContinuousBackups ${name}`, (options) =>
				dynamo(context).send(new DescribeContinuousBackupsCommand({TableName: name}), options),
			),
		]);
		const billingMode = table.BillingModeSummary?.BillingMode ?? 'PROVISIONED';
		const ttlStatus = ttl.TimeToLiveDescription?.TimeToLiveStatus;
		const ttlEnabled = ttlStatus === 'ENABLED' || ttlStatus === 'ENABLING';
		const sseStatus = table.SSEDescription?.Status;
		const applied = outputs(context, table);
		return {
			exists: true,
			physicalId: applied.physicalId,
			outputs: {...previous.outputs, ...applied.outputs},
			// Keys are spec paths; `[]` marks a list observed by its elements' identities.
			observed: {
				billingMode,
				...(billingMode === 'PROVISIONED'
					? {readCapacity: table.ProvisionedThroughput?.ReadCapacityUnits, writeCapacity: table.ProvisionedThroughput?.WriteCapacityUnits}
					: {}),
				'globalSecondaryIndexes[].name': (table.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName),
				'ttl.enabled': ttlEnabled,
				...(ttlEnabled ? {'ttl.attributeName': ttl.TimeToLiveDescription?.AttributeName} : {}),
				'pointInTimeRecovery.enabled':
					backups.ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus === 'ENABLED',
				'stream.enabled': table.StreamSpecification?.StreamEnabled === true,
				...(table.StreamSpecification?.StreamEnabled ? {'stream.viewType': table.StreamSpecification.StreamViewType} : {}),
				'encryption.enabled': (sseStatus === 'ENABLED' || sseStatus === 'ENABLING') && table.SSEDescription?.SSEType === 'KMS',
			},
		};
	},

	async find(context) {
		const table = await describeTable(context);
		if (!table?.TableArn) return undefined;
		return isOwnedBy(await tableTags(context, table.TableArn), context.tags) ? outputs(context, table) : undefined;
	},
};
