/**
 * The spec in the API's shapes: key schema, attribute definitions, throughput, index definitions,
 * SSE, and whether an index AWS has is the one the spec wants. Pure.
 */
import type {
	AttributeDefinition,
	GlobalSecondaryIndex,
	GlobalSecondaryIndexDescription,
	KeySchemaElement,
	ProjectionType,
	ProvisionedThroughput,
	SSESpecification,
} from '@aws-sdk/client-dynamodb';
import type {DynamoDbKey, DynamoDbSpec} from '../dynamodb.js';
import type {IndexSpec} from './shared.js';

export function keySchema(hashKey: DynamoDbKey, rangeKey?: DynamoDbKey): KeySchemaElement[] {
	return [{AttributeName: hashKey.name, KeyType: 'HASH'}, ...(rangeKey ? [{AttributeName: rangeKey.name, KeyType: 'RANGE' as const}] : [])];
}

/** One definition per attribute used as a key by the table or by `indexes`. */
export function attributeDefinitions(spec: DynamoDbSpec, indexes: readonly IndexSpec[]): AttributeDefinition[] {
	const types = new Map<string, DynamoDbKey['type']>();
	for (const key of [spec.hashKey, spec.rangeKey, ...indexes.flatMap((index) => [index.hashKey, index.rangeKey])])
		if (key && !types.has(key.name)) types.set(key.name, key.type);
	return [...types].map(([AttributeName, AttributeType]) => ({AttributeName, AttributeType}));
}

export function provisionedThroughput(
	spec: DynamoDbSpec,
	holder: {readCapacity?: number; writeCapacity?: number},
): ProvisionedThroughput | undefined {
	if (spec.billingMode !== 'PROVISIONED') return undefined;
	return {ReadCapacityUnits: holder.readCapacity ?? 1, WriteCapacityUnits: holder.writeCapacity ?? 1};
}

export function indexDefinition(spec: DynamoDbSpec, index: IndexSpec): GlobalSecondaryIndex {
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

export function sseSpecification(spec: DynamoDbSpec): SSESpecification {
	const encryption = spec.encryption;
	if (!encryption?.enabled) return {Enabled: false};
	return {Enabled: true, SSEType: 'KMS', ...(encryption.kmsKeyId ? {KMSMasterKeyId: encryption.kmsKeyId} : {})};
}

/** Same keys and projection: an index that can stay (capacity changes are updates). */
export function sameIndexShape(current: GlobalSecondaryIndexDescription, wanted: IndexSpec): boolean {
	const keys = (schema: KeySchemaElement[] | undefined) => (schema ?? []).map((key) => `${key.KeyType}:${key.AttributeName}`).join(',');
	const projection = (type: string | undefined, attributes: readonly string[] | undefined) =>
		`${type ?? ''}:${[...(attributes ?? [])].sort().join(',')}`;
	return (
		keys(current.KeySchema) === keys(keySchema(wanted.hashKey, wanted.rangeKey)) &&
		projection(current.Projection?.ProjectionType, current.Projection?.NonKeyAttributes) ===
			projection(wanted.projection.type, wanted.projection.nonKeyAttributes)
	);
}
