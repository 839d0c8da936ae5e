/**
 * Every in-place change, in the order AWS accepts them: indexes and capacity (one index change per
 * UpdateTable, each waited for), stream, encryption, time to live, point-in-time recovery, tags.
 */
import {
	type BillingMode,
	DescribeContinuousBackupsCommand,
	DescribeTimeToLiveCommand,
	type StreamViewType,
	type TableDescription,
	TagResourceCommand,
	UntagResourceCommand,
	UpdateContinuousBackupsCommand,
	UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import {awsCall, hasAwsErrorCode} from '../../aws/call.js';
import type {AppliedResource, ResourceContext} from '../../providers/provider.js';
import {tagChanges, toTagList} from '../../providers/resource-tags.js';
import type {DynamoDbSpec} from '../dynamodb.js';
import {attributeDefinitions, indexDefinition, provisionedThroughput, sameIndexShape, sseSpecification} from './shapes.js';
import {dynamo, type IndexSpec, outputs, tableName} from './shared.js';
import {describeExistingTable, ownedTable, tableTags, updateTable, waitForIndex} from './table.js';

async function updateIndexesAndCapacity(context: ResourceContext, spec: DynamoDbSpec, table: TableDescription): Promise<void> {
	const wanted = new Map((spec.globalSecondaryIndexes ?? []).map((index) => [index.name, index]));
	const current = table.GlobalSecondaryIndexes ?? [];
	const keep = current.filter((index) => {
		const wantedIndex = wanted.get(index.IndexName ?? '');
		return wantedIndex !== undefined && sameIndexShape(index, wantedIndex);
	});
	const keptNames = new Set(keep.map((index) => index.IndexName));
	// The indexes that exist at each step, for AttributeDefinitions.
	const existing: IndexSpec[] = [...wanted.values()].filter((index) => keptNames.has(index.name));

	for (const index of current.filter((candidate) => !keptNames.has(candidate.IndexName))) {
		const indexName = index.IndexName ?? '';
		await updateTable(context, `remove index ${indexName}`, {GlobalSecondaryIndexUpdates: [{Delete: {IndexName: indexName}}]});
		await waitForIndex(context, indexName, 'absent');
	}

	const currentMode: BillingMode = table.BillingModeSummary?.BillingMode ?? 'PROVISIONED';
	if (spec.billingMode === 'PAY_PER_REQUEST') {
		if (currentMode !== 'PAY_PER_REQUEST') await updateTable(context, 'billing mode PAY_PER_REQUEST', {BillingMode: 'PAY_PER_REQUEST'});
	} else {
		const switching = currentMode !== 'PROVISIONED';
		const tableThroughput = provisionedThroughput(spec, spec)!;
		const tableChanged =
			switching ||
			table.ProvisionedThroughput?.ReadCapacityUnits !== tableThroughput.ReadCapacityUnits ||
			table.ProvisionedThroughput?.WriteCapacityUnits !== tableThroughput.WriteCapacityUnits;
		const indexUpdates = keep.flatMap((index) => {
			const throughput = provisionedThroughput(spec, wanted.get(index.IndexName!)!)!;
			const same =
				!switching &&
				index.ProvisionedThroughput?.ReadCapacityUnits === throughput.ReadCapacityUnits &&
				index.ProvisionedThroughput?.WriteCapacityUnits === throughput.WriteCapacityUnits;
			return same ? [] : [{Update: {IndexName: index.IndexName!, ProvisionedThroughput: throughput}}];
		});
		if (tableChanged || indexUpdates.length > 0)
			await updateTable(context, switching ? 'billing mode PROVISIONED' : 'capacity', {
				...(switching ? {BillingMode: 'PROVISIONED'} : {}),
				...(tableChanged ? {ProvisionedThroughput: tableThroughput} : {}),
				...(indexUpdates.length > 0 ? {GlobalSecondaryIndexUpdates: indexUpdates} : {}),
			});
	}

	for (const index of wanted.values()) {
		if (keptNames.has(index.name)) continue;
		existing.push(index);
		await updateTable(context, `add index ${index.name}`, {
			AttributeDefinitions: attributeDefinitions(spec, existing),
			GlobalSecondaryIndexUpdates: [{Create: indexDefinition(spec, index)}],
		});
		await waitForIndex(context, index.name, 'present');
	}
}

async function updateStream(context: ResourceContext, spec: DynamoDbSpec, table: TableDescription): Promise<void> {
	const current = table.StreamSpecification?.StreamEnabled ? table.StreamSpecification.StreamViewType : undefined;
	const wanted = spec.stream?.enabled ? (spec.stream.viewType as StreamViewType) : undefined;
	if (current === wanted) return;
	if (current) await updateTable(context, 'disable stream', {StreamSpecification: {StreamEnabled: false}});
	if (wanted) await updateTable(context, `enable stream ${wanted}`, {StreamSpecification: {StreamEnabled: true, StreamViewType: wanted}});
}

async function updateEncryption(
	context: ResourceContext,
	spec: DynamoDbSpec,
	table: TableDescription,
	previousKmsKeyId: unknown,
): Promise<void> {
	const status = table.SSEDescription?.Status;
	const kmsNow = (status === 'ENABLED' || status === 'ENABLING' || status === 'UPDATING') && table.SSEDescription?.SSEType === 'KMS';
	const wanted = spec.encryption?.enabled === true;
	const keyChanged = wanted && kmsNow && (spec.encryption?.kmsKeyId ?? undefined) !== (previousKmsKeyId ?? undefined);
	if (wanted === kmsNow && !keyChanged) return;
	await updateTable(context, wanted ? 'encryption with KMS' : 'encryption with the AWS owned key', {
		SSESpecification: sseSpecification(spec),
	});
}

export async function updateTimeToLive(context: ResourceContext, spec: DynamoDbSpec): Promise<void> {
	const name = tableName(context);
	const {TimeToLiveDescription: current} = await awsCall(context, `DynamoDB DescribeTimeToLive ${name}`, (options) =>
		dynamo(context).send(new DescribeTimeToLiveCommand({TableName: name}), options),
	);
	const currentAttribute =
		current?.TimeToLiveStatus === 'ENABLED' || current?.TimeToLiveStatus === 'ENABLING' ? current.AttributeName : undefined;
	const wantedAttribute = spec.ttl?.enabled ? spec.ttl.attributeName : undefined;
	if (currentAttribute === wantedAttribute) return;
	const set = (enabled: boolean, attributeName: string) =>
		awsCall(context, `DynamoDB UpdateTimeToLive ${name}`, (options) =>
			dynamo(context).send(
				new UpdateTimeToLiveCommand({TableName: name, TimeToLiveSpecification: {Enabled: enabled, AttributeName: attributeName}}),
				options,
			),
		);
	context.progress(wantedAttribute ? `enabling TTL on ${wantedAttribute}` : 'disabling TTL');
	if (currentAttribute) await set(false, currentAttribute);
	if (wantedAttribute) await set(true, wantedAttribute);
}

export async function updatePointInTimeRecovery(context: ResourceContext, spec: DynamoDbSpec): Promise<void> {
	const name = tableName(context);
	const {ContinuousBackupsDescription: current} = await awsCall(context, `DynamoDB DescribeContinuousBackups ${name}`, (options) =>
		dynamo(context).send(new DescribeContinuousBackupsCommand({TableName: name}), options),
	);
	const enabledNow = current?.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus === 'ENABLED';
	const wanted = spec.pointInTimeRecovery?.enabled === true;
	if (enabledNow === wanted) return;
	context.progress(`${wanted ? 'enabling' : 'disabling'} point-in-time recovery`);
	// Right after CreateTable, AWS answers ContinuousBackupsUnavailableException for a while.
	await awsCall(
		context,
		`DynamoDB UpdateContinuousBackups ${name}`,
		(options) =>
			dynamo(context).send(
				new UpdateContinuousBackupsCommand({TableName: name, PointInTimeRecoverySpecification: {PointInTimeRecoveryEnabled: wanted}}),
				options,
			),
		{
			matches: (error) => hasAwsErrorCode(error, 'ContinuousBackupsUnavailableException'),
			phase: `waiting for continuous backups of table ${name} to become available`,
		},
	);
}

async function syncTableTags(context: ResourceContext, tableArn: string): Promise<void> {
	const name = tableName(context);
	const changes = tagChanges(await tableTags(context, tableArn), context.tags);
	if (changes.remove.length > 0)
		await awsCall(context, `DynamoDB UntagResource ${name}`, (options) =>
			dynamo(context).send(new UntagResourceCommand({ResourceArn: tableArn, TagKeys: changes.remove}), options),
		);
	if (Object.keys(changes.set).length > 0)
		await awsCall(context, `DynamoDB TagResource ${name}`, (options) =>
			dynamo(context).send(new TagResourceCommand({ResourceArn: tableArn, Tags: toTagList(changes.set)}), options),
		);
}
/** Every in-place change, in the order AWS accepts them; the outputs as the table ends up. */
export async function updateInPlace(context: ResourceContext, spec: DynamoDbSpec, previousKmsKeyId: unknown): Promise<AppliedResource> {
	await ownedTable(context, 'change');
	let table = await describeExistingTable(context);
	await updateIndexesAndCapacity(context, spec, table);
	table = await describeExistingTable(context);
	await updateStream(context, spec, table);
	await updateEncryption(context, spec, table, previousKmsKeyId);
	await updateTimeToLive(context, spec);
	await updatePointInTimeRecovery(context, spec);
	await syncTableTags(context, table.TableArn!);
	return outputs(context, await describeExistingTable(context));
}
