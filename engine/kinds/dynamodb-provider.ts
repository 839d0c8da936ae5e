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
 */
import {
	type AttributeDefinition,
	type BillingMode,
	CreateTableCommand,
	DeleteTableCommand,
	DescribeContinuousBackupsCommand,
	DescribeTableCommand,
	DescribeTimeToLiveCommand,
	DynamoDBClient,
	type GlobalSecondaryIndex,
	type GlobalSecondaryIndexDescription,
	type KeySchemaElement,
	ListTagsOfResourceCommand,
	type ProjectionType,
	type ProvisionedThroughput,
	type SSESpecification,
	type StreamViewType,
	type TableDescription,
	TagResourceCommand,
	UntagResourceCommand,
	UpdateContinuousBackupsCommand,
	UpdateTableCommand,
	type UpdateTableCommandInput,
	UpdateTimeToLiveCommand,
	waitUntilTableExists,
	waitUntilTableNotExists,
} from '@aws-sdk/client-dynamodb';
import {type AwsRequest, awsCall, awsCallUnlessMissing, hasAwsErrorCode} from '../aws/call.js';
import {type AppliedResource, type Provider, ProviderError, type ResourceContext} from '../providers/provider.js';
import {fromTagList, isOwnedBy, type OwnershipAction, requireOwned, tagChanges, toTagList} from '../providers/resource-tags.js';
import {pollUntil, waiterOptions} from '../providers/wait.js';
import type {DynamoDbKey, DynamoDbSpec} from './dynamodb.js';

type IndexSpec = NonNullable<DynamoDbSpec['globalSecondaryIndexes']>[number];

const tableMissing = ['ResourceNotFoundException'];

function dynamo(context: ResourceContext): DynamoDBClient {
	return context.clients.get(DynamoDBClient);
}

function tableName(context: ResourceContext): string {
	return context.names.primary!;
}

// ---- spec → API shapes ----

function keySchema(hashKey: DynamoDbKey, rangeKey?: DynamoDbKey): KeySchemaElement[] {
	return [{AttributeName: hashKey.name, KeyType: 'HASH'}, ...(rangeKey ? [{AttributeName: rangeKey.name, KeyType: 'RANGE' as const}] : [])];
}

/** One definition per attribute used as a key by the table or by `indexes`. */
function attributeDefinitions(spec: DynamoDbSpec, indexes: readonly IndexSpec[]): AttributeDefinition[] {
	const types = new Map<string, DynamoDbKey['type']>();
	for (const key of [spec.hashKey, spec.rangeKey, ...indexes.flatMap((index) => [index.hashKey, index.rangeKey])])
		if (key && !types.has(key.name)) types.set(key.name, key.type);
	return [...types].map(([AttributeName, AttributeType]) => ({AttributeName, AttributeType}));
}

function provisionedThroughput(
	spec: DynamoDbSpec,
	holder: {readCapacity?: number; writeCapacity?: number},
): ProvisionedThroughput | undefined {
	if (spec.billingMode !== 'PROVISIONED') return undefined;
	return {ReadCapacityUnits: holder.readCapacity ?? 1, WriteCapacityUnits: holder.writeCapacity ?? 1};
}

function indexDefinition(spec: DynamoDbSpec, index: IndexSpec): GlobalSecondaryIndex {
	const throughput = provisionedThroughput(spec, index);
	return {
		IndexName: index.name,
		KeySchema: keySchema(index.hashKey, index.rangeKey),
		Projection: {
			ProjectionType: index.projection.type as ProjectionType,
			...(index.projection.nonKeyAttributes ? {NonKeyAttributes: index.projection.nonKeyAttributes} : {}),
		},
		...(throughput ? {ProvisionedThroughput: throughput} : {}),
	};
}

function sseSpecification(spec: DynamoDbSpec): SSESpecification {
	const encryption = spec.encryption;
	if (!encryption?.enabled) return {Enabled: false};
	return {Enabled: true, SSEType: 'KMS', ...(encryption.kmsKeyId ? {KMSMasterKeyId: encryption.kmsKeyId} : {})};
}

/** Same keys and projection: an index that can stay (capacity changes are updates). */
function sameIndexShape(current: GlobalSecondaryIndexDescription, wanted: IndexSpec): boolean {
	const keys = (schema: KeySchemaElement[] | undefined) => (schema ?? []).map((key) => `${key.KeyType}:${key.AttributeName}`).join(',');
	const projection = (type: string | undefined, attributes: readonly string[] | undefined) =>
		`${type ?? ''}:${[...(attributes ?? [])].sort().join(',')}`;
	return (
		keys(current.KeySchema) === keys(keySchema(wanted.hashKey, wanted.rangeKey)) &&
		projection(current.Projection?.ProjectionType, current.Projection?.NonKeyAttributes) ===
			projection(wanted.projection.type, wanted.projection.nonKeyAttributes)
	);
}

// ---- reading and waiting ----

function describeTable(context: ResourceContext): Promise<TableDescription | undefined> {
	return awsCallUnlessMissing(
		context,
		`DynamoDB DescribeTable ${tableName(context)}`,
		tableMissing,
		async (options) => (await dynamo(context).send(new DescribeTableCommand({TableName: tableName(context)}), options)).Table,
	);
}

async function describeExistingTable(context: ResourceContext): Promise<TableDescription> {
	const table = await describeTable(context);
	if (!table)
		throw new ProviderError(`DynamoDB table ${tableName(context)} does not exist (deleted outside panka?)`, 'ResourceNotFoundException');
	return table;
}

async function tableTags(context: ResourceContext, tableArn: string): Promise<Record<string, string>> {
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

async function waitForTableActive(context: ResourceContext): Promise<void> {
	const name = tableName(context);
	context.progress(`waiting for table ${name} to become ACTIVE`);
	await awsCall(context, `DynamoDB wait for table ${name} ACTIVE`, () =>
		waitUntilTableExists(waiterOptions(context, dynamo(context)), {TableName: name}),
	);
}

/** Wait until the index is ACTIVE with its backfill done (`present`) or no longer listed (`absent`). */
async function waitForIndex(context: ResourceContext, indexName: string, wanted: 'present' | 'absent'): Promise<void> {
	const what = wanted === 'present' ? `index ${indexName} to become ACTIVE` : `index ${indexName} to be removed`;
	context.progress(`waiting for ${what}`);
	await pollUntil(context, what, async () => {
		const table = await describeExistingTable(context);
		const index = table.GlobalSecondaryIndexes?.find((candidate) => candidate.IndexName === indexName);
		const settled = wanted === 'present' ? index?.IndexStatus === 'ACTIVE' && !index.Backfilling : index === undefined;
		return settled && table.TableStatus === 'ACTIVE' ? true : undefined;
	});
}

async function updateTable(context: ResourceContext, what: string, input: Omit<UpdateTableCommandInput, 'TableName'>): Promise<void> {
	const name = tableName(context);
	context.progress(`updating table ${name}: ${what}`);
	await awsCall(context, `DynamoDB UpdateTable ${name} (${what})`, (options) =>
		dynamo(context).send(new UpdateTableCommand({TableName: name, ...input}), options),
	);
	await waitForTableActive(context);
}

// ---- updates in place ----

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

async function updateTimeToLive(context: ResourceContext, spec: DynamoDbSpec): Promise<void> {
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

async function updatePointInTimeRecovery(context: ResourceContext, spec: DynamoDbSpec): Promise<void> {
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
/** The table when it exists, after checking it is this component's. */
async function ownedTable(context: ResourceContext, action: OwnershipAction): Promise<TableDescription | undefined> {
	const table = await describeTable(context);
	if (table?.TableArn) requireOwned(await tableTags(context, table.TableArn), context.tags, action, `DynamoDB table ${tableName(context)}`);
	return table;
}

async function updateInPlace(context: ResourceContext, spec: DynamoDbSpec, previousKmsKeyId: unknown): Promise<AppliedResource> {
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

function outputs(context: ResourceContext, table: TableDescription): AppliedResource {
	const arn = table.TableArn ?? '';
	const streamArn = table.StreamSpecification?.StreamEnabled ? table.LatestStreamArn : undefined;
	return {physicalId: arn, outputs: {tableName: tableName(context), arn, ...(streamArn ? {streamArn} : {})}};
}

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
