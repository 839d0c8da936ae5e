/**
 * DynamoDB on moto: create → read back through the AWS API → update in place → delete → gone,
 * indexes added and removed as updates (one per UpdateTable, each waited for), TTL/PITR/stream
 * toggles, provisioned capacity changes, and never adopting another stack's table.
 */
import {
	CreateTableCommand,
	DescribeContinuousBackupsCommand,
	DescribeTableCommand,
	DescribeTimeToLiveCommand,
	DynamoDBClient,
	ListTagsOfResourceCommand,
} from '@aws-sdk/client-dynamodb';
import {expect, it} from 'vitest';
import type {AwsClients} from '../../../engine/aws/aws-clients.js';
import type {DynamoDbSpec} from '../../../engine/kinds/dynamodb.js';
import {dynamoDbProvider} from '../../../engine/kinds/dynamodb-provider.js';
import {ProviderError} from '../../../engine/providers/provider.js';
import {describeAws, useMoto} from '../../helpers/moto.js';
import {providerFixture} from '../../helpers/resource-context.js';
import {appliedState} from './applied-state.js';

const tagRecord = (tags: {Key?: string; Value?: string}[] | undefined) =>
	Object.fromEntries((tags ?? []).map((tag) => [tag.Key, tag.Value]));

async function describe(clients: AwsClients, TableName: string) {
	return (await clients.get(DynamoDBClient).send(new DescribeTableCommand({TableName}))).Table!;
}

async function timeToLive(clients: AwsClients, TableName: string) {
	return (await clients.get(DynamoDBClient).send(new DescribeTimeToLiveCommand({TableName}))).TimeToLiveDescription;
}

async function pointInTimeRecovery(clients: AwsClients, TableName: string) {
	const {ContinuousBackupsDescription} = await clients.get(DynamoDBClient).send(new DescribeContinuousBackupsCommand({TableName}));
	return ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus;
}

const keys = {hashKey: {name: 'pk', type: 'string'}, rangeKey: {name: 'sk', type: 'string'}};

describeAws('DynamoDB provider', () => {
	const moto = useMoto();

	it('creates a table with keys, an index, TTL, PITR, a stream, KMS encryption and tags; syncs tags exactly; deletes it', async () => {
		const clients = moto.clients();
		const fixture = providerFixture<DynamoDbSpec>(
			'DynamoDB',
			'orders',
			{
				...keys,
				globalSecondaryIndexes: [
					{
						name: 'byCustomer',
						hashKey: {name: 'customerId', type: 'S'},
						rangeKey: {name: 'createdAt', type: 'N'},
						projection: {type: 'KEYS_ONLY'},
					},
				],
				ttl: {attributeName: 'expiresAt'},
				pointInTimeRecovery: true,
				stream: {viewType: 'NEW_IMAGE'},
				encryption: {kmsKeyId: 'alias/orders'},
			},
			clients,
		);
		const TableName = fixture.context.names.primary!;
		const created = await dynamoDbProvider.create(fixture.context, fixture.spec);

		const table = await describe(clients, TableName);
		expect(table.KeySchema).toEqual([
			{AttributeName: 'pk', KeyType: 'HASH'},
			{AttributeName: 'sk', KeyType: 'RANGE'},
		]);
		expect(table.AttributeDefinitions).toEqual(
			expect.arrayContaining([
				{AttributeName: 'pk', AttributeType: 'S'},
				{AttributeName: 'sk', AttributeType: 'S'},
				{AttributeName: 'customerId', AttributeType: 'S'},
				{AttributeName: 'createdAt', AttributeType: 'N'},
			]),
		);
		expect(table.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
		expect(table.GlobalSecondaryIndexes).toEqual([
			expect.objectContaining({IndexName: 'byCustomer', IndexStatus: 'ACTIVE', Projection: {ProjectionType: 'KEYS_ONLY'}}),
		]);
		expect(table.StreamSpecification).toEqual({StreamEnabled: true, StreamViewType: 'NEW_IMAGE'});
		expect(table.SSEDescription).toMatchObject({Status: 'ENABLED', SSEType: 'KMS', KMSMasterKeyArn: 'alias/orders'});
		expect(await timeToLive(clients, TableName)).toEqual({TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt'});
		expect(await pointInTimeRecovery(clients, TableName)).toBe('ENABLED');
		expect(tagRecord((await clients.get(DynamoDBClient).send(new ListTagsOfResourceCommand({ResourceArn: table.TableArn}))).Tags)).toEqual(
			fixture.context.tags,
		);
		expect(created).toEqual({
			physicalId: table.TableArn,
			outputs: {tableName: TableName, arn: table.TableArn, streamArn: table.LatestStreamArn},
		});
		expect(fixture.phases).toEqual([
			`creating table ${TableName}`,
			`waiting for table ${TableName} to become ACTIVE`,
			'enabling TTL on expiresAt',
			'enabling point-in-time recovery',
		]);

		const read = await dynamoDbProvider.read(fixture.context, appliedState('DynamoDB', created, fixture.spec));
		expect(read).toMatchObject({
			exists: true,
			physicalId: table.TableArn,
			observed: {
				billingMode: 'PAY_PER_REQUEST',
				'globalSecondaryIndexes[].name': ['byCustomer'],
				'ttl.enabled': true,
				'ttl.attributeName': 'expiresAt',
				'pointInTimeRecovery.enabled': true,
				'stream.enabled': true,
				'stream.viewType': 'NEW_IMAGE',
				'encryption.enabled': true,
			},
		});

		// Same spec, other tags: only the tags change, to exactly the context's.
		const {team: _dropped, ...keptTags} = fixture.context.tags;
		const retagged = {...fixture.context, tags: {...keptTags, owner: 'payments'}};
		const updated = await dynamoDbProvider.update(retagged, fixture.spec, appliedState('DynamoDB', created, fixture.spec));
		expect(updated).toEqual(created);
		expect(tagRecord((await clients.get(DynamoDBClient).send(new ListTagsOfResourceCommand({ResourceArn: table.TableArn}))).Tags)).toEqual(
			retagged.tags,
		);

		await dynamoDbProvider.delete(retagged, appliedState('DynamoDB', updated, fixture.spec));
		await expect(clients.get(DynamoDBClient).send(new DescribeTableCommand({TableName}))).rejects.toMatchObject({
			name: 'ResourceNotFoundException',
		});
		expect(await dynamoDbProvider.read(retagged, appliedState('DynamoDB', updated, fixture.spec))).toEqual({exists: false});
		expect(await dynamoDbProvider.find(retagged, fixture.spec)).toBeUndefined();
		await dynamoDbProvider.delete(retagged, appliedState('DynamoDB', updated, fixture.spec)); // deleting what is gone succeeds
	});

	it('adds indexes one UpdateTable at a time, waiting for each to become ACTIVE, and removes them as updates', async () => {
		const clients = moto.clients();
		const fixture = providerFixture<DynamoDbSpec>('DynamoDB', 'sessions', keys, clients);
		const TableName = fixture.context.names.primary!;
		const created = await dynamoDbProvider.create(fixture.context, fixture.spec);

		const withIndexes = fixture.withSpec({
			...keys,
			globalSecondaryIndexes: [
				{name: 'byUser', hashKey: {name: 'userId', type: 'S'}},
				{name: 'byDevice', hashKey: {name: 'deviceId', type: 'S'}, projection: {type: 'INCLUDE', nonKeyAttributes: ['userId']}},
			],
		});
		fixture.phases.length = 0;
		const updated = await dynamoDbProvider.update(withIndexes.context, withIndexes.spec, appliedState('DynamoDB', created, fixture.spec));
		expect(updated).toEqual(created);
		const indexed = await describe(clients, TableName);
		expect(indexed.GlobalSecondaryIndexes?.map((index) => [index.IndexName, index.IndexStatus])).toEqual([
			['byUser', 'ACTIVE'],
			['byDevice', 'ACTIVE'],
		]);
		expect(indexed.GlobalSecondaryIndexes?.[1]?.Projection).toEqual({ProjectionType: 'INCLUDE', NonKeyAttributes: ['userId']});
		expect(fixture.phases).toEqual([
			`updating table ${TableName}: add index byUser`,
			`waiting for table ${TableName} to become ACTIVE`,
			'waiting for index byUser to become ACTIVE',
			`updating table ${TableName}: add index byDevice`,
			`waiting for table ${TableName} to become ACTIVE`,
			'waiting for index byDevice to become ACTIVE',
		]);

		const fewer = fixture.withSpec({
			...keys,
			globalSecondaryIndexes: [
				{name: 'byDevice', hashKey: {name: 'deviceId', type: 'S'}, projection: {type: 'INCLUDE', nonKeyAttributes: ['userId']}},
			],
		});
		await dynamoDbProvider.update(fewer.context, fewer.spec, appliedState('DynamoDB', updated, withIndexes.spec));
		expect((await describe(clients, TableName)).GlobalSecondaryIndexes?.map((index) => index.IndexName)).toEqual(['byDevice']);

		await dynamoDbProvider.update(fixture.context, fixture.spec, appliedState('DynamoDB', updated, fewer.spec));
		expect((await describe(clients, TableName)).GlobalSecondaryIndexes ?? []).toEqual([]);
		expect((await describe(clients, TableName)).TableArn).toBe(created.physicalId);
	});

	it('turns TTL, point-in-time recovery and the stream on and off in place', async () => {
		const clients = moto.clients();
		const fixture = providerFixture<DynamoDbSpec>('DynamoDB', 'carts', keys, clients);
		const TableName = fixture.context.names.primary!;
		const created = await dynamoDbProvider.create(fixture.context, fixture.spec);
		expect(created.outputs.streamArn).toBeUndefined();
		expect(await timeToLive(clients, TableName)).toMatchObject({TimeToLiveStatus: 'DISABLED'});
		expect(await pointInTimeRecovery(clients, TableName)).toBe('DISABLED');

		const on = fixture.withSpec({
			...keys,
			ttl: {attributeName: 'ttl'},
			pointInTimeRecovery: {enabled: true},
			stream: {viewType: 'KEYS_ONLY'},
		});
		const enabled = await dynamoDbProvider.update(on.context, on.spec, appliedState('DynamoDB', created, fixture.spec));
		const table = await describe(clients, TableName);
		expect(table.StreamSpecification).toEqual({StreamEnabled: true, StreamViewType: 'KEYS_ONLY'});
		expect(enabled.outputs.streamArn).toBe(table.LatestStreamArn);
		expect(await timeToLive(clients, TableName)).toEqual({TimeToLiveStatus: 'ENABLED', AttributeName: 'ttl'});
		expect(await pointInTimeRecovery(clients, TableName)).toBe('ENABLED');

		const off = fixture.withSpec({...keys, ttl: {enabled: false}, pointInTimeRecovery: false, stream: {enabled: false}});
		const disabled = await dynamoDbProvider.update(off.context, off.spec, appliedState('DynamoDB', enabled, on.spec));
		expect((await describe(clients, TableName)).StreamSpecification?.StreamEnabled ?? false).toBe(false);
		expect(disabled.outputs.streamArn).toBeUndefined();
		expect(await timeToLive(clients, TableName)).toMatchObject({TimeToLiveStatus: 'DISABLED'});
		expect(await pointInTimeRecovery(clients, TableName)).toBe('DISABLED');
	});

	it('changes provisioned capacity of the table and its indexes, and switches billing mode', async () => {
		const clients = moto.clients();
		const index = {name: 'byStatus', hashKey: {name: 'status', type: 'S'}};
		const fixture = providerFixture<DynamoDbSpec>(
			'DynamoDB',
			'inventory',
			{
				...keys,
				billingMode: 'PROVISIONED',
				readCapacity: 1,
				writeCapacity: 1,
				globalSecondaryIndexes: [{...index, readCapacity: 1, writeCapacity: 1}],
			},
			clients,
		);
		const TableName = fixture.context.names.primary!;
		const created = await dynamoDbProvider.create(fixture.context, fixture.spec);
		expect((await describe(clients, TableName)).ProvisionedThroughput).toMatchObject({ReadCapacityUnits: 1, WriteCapacityUnits: 1});

		const bigger = fixture.withSpec({
			...keys,
			billingMode: 'PROVISIONED',
			readCapacity: 5,
			writeCapacity: 4,
			globalSecondaryIndexes: [{...index, readCapacity: 3, writeCapacity: 2}],
		});
		fixture.phases.length = 0;
		const updated = await dynamoDbProvider.update(bigger.context, bigger.spec, appliedState('DynamoDB', created, fixture.spec));
		const table = await describe(clients, TableName);
		expect(table.ProvisionedThroughput).toMatchObject({ReadCapacityUnits: 5, WriteCapacityUnits: 4});
		expect(table.GlobalSecondaryIndexes?.[0]?.ProvisionedThroughput).toMatchObject({ReadCapacityUnits: 3, WriteCapacityUnits: 2});
		expect(fixture.phases).toEqual([`updating table ${TableName}: capacity`, `waiting for table ${TableName} to become ACTIVE`]);
		expect(await dynamoDbProvider.read(bigger.context, appliedState('DynamoDB', updated, bigger.spec))).toMatchObject({
			observed: {billingMode: 'PROVISIONED', readCapacity: 5, writeCapacity: 4},
		});

		const onDemand = fixture.withSpec({...keys, billingMode: 'on-demand', globalSecondaryIndexes: [index]});
		await dynamoDbProvider.update(onDemand.context, onDemand.spec, appliedState('DynamoDB', updated, bigger.spec));
		expect((await describe(clients, TableName)).BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
	});

	it('adopts its own table by tags, and never a same-named table that belongs to another stack', async () => {
		const clients = moto.clients();
		const mine = providerFixture<DynamoDbSpec>('DynamoDB', 'accounts', keys, clients);
		const created = await dynamoDbProvider.create(mine.context, mine.spec);
		expect(await dynamoDbProvider.find(mine.context, mine.spec)).toEqual(created);

		const fixture = providerFixture<DynamoDbSpec>('DynamoDB', 'billing', keys, clients);
		const TableName = fixture.context.names.primary!;
		const foreignTags = {...fixture.context.tags, 'panka:stack': 'other-stack'};
		await clients.get(DynamoDBClient).send(
			new CreateTableCommand({
				TableName,
				BillingMode: 'PAY_PER_REQUEST',
				AttributeDefinitions: [{AttributeName: 'id', AttributeType: 'S'}],
				KeySchema: [{AttributeName: 'id', KeyType: 'HASH'}],
				Tags: Object.entries(foreignTags).map(([Key, Value]) => ({Key, Value})),
			}),
		);
		expect(await dynamoDbProvider.find(fixture.context, fixture.spec)).toBeUndefined();
		const failure = dynamoDbProvider.create(fixture.context, fixture.spec);
		await expect(failure).rejects.toBeInstanceOf(ProviderError);
		await expect(failure).rejects.toThrow(
			`table ${TableName} already exists and belongs to component svc/billing of stack other-stack (tenant acme, env test)`,
		);
		expect((await describe(clients, TableName)).KeySchema).toEqual([{AttributeName: 'id', KeyType: 'HASH'}]);
	});
});
