/**
 * DynamoDB: one table with optional global secondary indexes, TTL, point-in-time recovery and a
 * stream.
 *
 * Invariants:
 * - `billingMode` is `PAY_PER_REQUEST` (default; also written on-demand / pay-per-request) or
 *   `PROVISIONED`. Table and index read/write capacities are required when provisioned and
 *   forbidden on demand.
 * - Key types are `S`, `N` or `B` (also written string / number / binary). An attribute used as a
 *   key in the table and in indexes has the same type everywhere (one AttributeDefinition).
 * - `pointInTimeRecovery` is always an object: a bare boolean becomes `{enabled}`.
 * - Projection `INCLUDE` needs nonKeyAttributes; other projections forbid them.
 * - The key schema is fixed at creation (replace); indexes, TTL, PITR, stream, capacity and
 *   encryption are updates.
 */
import {z} from '../zod.js';
import {estimateFrom, formatRate, monthlyAtHourly, usageLine} from '../cost/cost-rules.js';
import type {CostLine} from '../cost/cost-types.js';
import {alsoAccepts, boolean, dependsOnSchema, integer, tagsSchema, toBooleanIfBoolean} from '../model/fields.js';
import {nameRules, physicalName} from '../resolve/physical-names.js';
import {arnInOutput, defineKind, type ReaderAccess} from './kind.js';
import {dynamoDbLegacyForms} from './dynamodb/legacy-forms.js';
import {addFieldIssue, caseInsensitiveEnum, type IssueSink, reportDuplicates} from './spec-rules.js';

const keySchema = z.strictObject({
	name: z.string().min(1).max(255),
	type: caseInsensitiveEnum(['S', 'N', 'B'], {string: 'S', number: 'N', binary: 'B'}),
});
export type DynamoDbKey = z.output<typeof keySchema>;

const capacity = () => integer({min: 1});

const indexSchema = z
	.strictObject({
		name: z.string().regex(/^[A-Za-z0-9_.-]{3,255}$/, {
			error: 'index names are 3–255 letters, digits, underscores, periods and hyphens',
		}),
		hashKey: keySchema,
		rangeKey: keySchema.optional(),
		projection: z
			.strictObject({
				type: caseInsensitiveEnum(['ALL', 'KEYS_ONLY', 'INCLUDE']).default('ALL'),
				nonKeyAttributes: z.array(z.string().min(1)).min(1).max(100).optional(),
			})
			.prefault({}),
		readCapacity: capacity().optional(),
		writeCapacity: capacity().optional(),
	})
	.superRefine((index, ctx) => {
		const {type, nonKeyAttributes} = index.projection;
		if (type === 'INCLUDE' && nonKeyAttributes === undefined)
			addFieldIssue(ctx, ['projection', 'nonKeyAttributes'], 'projection INCLUDE needs nonKeyAttributes');
		if (type !== 'INCLUDE' && nonKeyAttributes !== undefined)
			addFieldIssue(ctx, ['projection', 'nonKeyAttributes'], `nonKeyAttributes applies only to projection INCLUDE, not ${type}`);
	});

/** `{enabled}`, or a bare boolean meaning the same. */
const pointInTimeRecoverySchema = alsoAccepts(
	z.preprocess(
		(input) => {
			const flag = toBooleanIfBoolean(input);
			return typeof flag === 'boolean' ? {enabled: flag} : input;
		},
		z.strictObject({enabled: boolean().default(true)}),
	),
	boolean(),
);

export const dynamoDbSpecSchema = z
	.strictObject({
		billingMode: caseInsensitiveEnum(['PAY_PER_REQUEST', 'PROVISIONED'], {'on-demand': 'PAY_PER_REQUEST'}).default('PAY_PER_REQUEST'),
		hashKey: keySchema,
		rangeKey: keySchema.optional(),
		readCapacity: capacity().optional(),
		writeCapacity: capacity().optional(),
		globalSecondaryIndexes: z.array(indexSchema).max(20).optional(),
		ttl: z
			.strictObject({
				enabled: boolean().default(true),
				attributeName: z.string().min(1).max(255).optional(),
			})
			.superRefine((ttl, ctx) => {
				if (ttl.enabled && ttl.attributeName === undefined)
					addFieldIssue(ctx, ['attributeName'], 'ttl needs attributeName: the attribute holding the expiry time');
			})
			.optional(),
		/** DynamoDB always encrypts: enabled uses a KMS key (kmsKeyId, else the AWS managed key), disabled an AWS owned key. */
		encryption: z.strictObject({enabled: boolean().default(true), kmsKeyId: z.string().min(1).optional()}).optional(),
		pointInTimeRecovery: pointInTimeRecoverySchema.optional(),
		stream: z
			.strictObject({
				enabled: boolean().default(true),
				viewType: caseInsensitiveEnum(['NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES', 'KEYS_ONLY']).default('NEW_AND_OLD_IMAGES'),
			})
			.optional(),
		tags: tagsSchema.optional(),
		dependsOn: dependsOnSchema.optional(),
	})
	.superRefine((spec, ctx) => {
		const provisioned = spec.billingMode === 'PROVISIONED';
		checkCapacity(ctx, [], spec, provisioned, 'the table');
		spec.globalSecondaryIndexes?.forEach((index, position) => {
			checkCapacity(ctx, ['globalSecondaryIndexes', position], index, provisioned, `index ${index.name}`);
		});
		reportDuplicates(
			ctx,
			spec.globalSecondaryIndexes,
			(index) => index.name,
			(position) => ['globalSecondaryIndexes', position, 'name'],
			'index name',
		);
		if (spec.encryption?.kmsKeyId !== undefined && !spec.encryption.enabled)
			addFieldIssue(ctx, ['encryption', 'kmsKeyId'], 'kmsKeyId needs encryption.enabled: true');
		checkKeyTypes(ctx, spec);
	});

function checkCapacity(
	ctx: IssueSink,
	at: (string | number)[],
	holder: {readCapacity?: number; writeCapacity?: number},
	provisioned: boolean,
	what: string,
): void {
	for (const field of ['readCapacity', 'writeCapacity'] as const) {
		if (provisioned && holder[field] === undefined)
			addFieldIssue(ctx, [...at, field], `billingMode PROVISIONED needs ${field} for ${what}`);
		if (!provisioned && holder[field] !== undefined)
			addFieldIssue(ctx, [...at, field], `${field} is only for billingMode PROVISIONED; on-demand tables scale by themselves`);
	}
}

/** Every key attribute has one type across the table and its indexes. */
function checkKeyTypes(ctx: IssueSink, spec: z.output<typeof dynamoDbSpecSchema>): void {
	const typeOf = new Map<string, DynamoDbKey['type']>();
	const visit = (key: DynamoDbKey | undefined, path: (string | number)[]) => {
		if (!key) return;
		const known = typeOf.get(key.name);
		if (known === undefined) typeOf.set(key.name, key.type);
		else if (known !== key.type)
			addFieldIssue(ctx, [...path, 'type'], `attribute ${key.name} is type ${known} elsewhere; a key attribute has one type`);
	};
	visit(spec.hashKey, ['hashKey']);
	visit(spec.rangeKey, ['rangeKey']);
	spec.globalSecondaryIndexes?.forEach((index, position) => {
		visit(index.hashKey, ['globalSecondaryIndexes', position, 'hashKey']);
		visit(index.rangeKey, ['globalSecondaryIndexes', position, 'rangeKey']);
	});
}

export type DynamoDbSpec = z.output<typeof dynamoDbSpecSchema>;

/** What reading the table's name or ARN grants: item reads and writes on the table and its indexes. */
const tableReadWrite: ReaderAccess = {
	name: 'table',
	actions: [
		'dynamodb:BatchGetItem',
		'dynamodb:BatchWriteItem',
		'dynamodb:ConditionCheckItem',
		'dynamodb:DeleteItem',
		'dynamodb:DescribeTable',
		'dynamodb:GetItem',
		'dynamodb:PutItem',
		'dynamodb:Query',
		'dynamodb:Scan',
		'dynamodb:UpdateItem',
	],
	resources: arnInOutput('arn', ['', '/index/*']),
};
/** What reading the stream's ARN grants: reading the stream. */
const streamRead: ReaderAccess = {
	name: 'stream',
	actions: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'],
	resources: arnInOutput('streamArn'),
};

export const dynamoDbKind = defineKind<DynamoDbSpec>({
	kind: 'DynamoDB',
	summary: 'A DynamoDB table with optional indexes, TTL, point-in-time recovery and a stream',
	awsType: 'AWS::DynamoDB::Table',
	spec: dynamoDbSpecSchema,
	outputs: {
		tableName: {description: 'The table name'},
		arn: {description: 'The table ARN'},
		streamArn: {description: 'The latest stream ARN (when the stream is enabled)'},
	},
	/*
	 * A table's key schema is fixed at creation. Everything else is UpdateTable or a sibling API:
	 * global secondary indexes are added and removed in place (one index change per UpdateTable
	 * call, so the provider serialises them), TTL, PITR and encryption have their own calls, and a
	 * stream view type change disables and re-enables the stream (a new streamArn, not a new table).
	 */
	replaceOn: ['hashKey', 'rangeKey'],
	placement: () => 'none',
	physicalNames: (identity) => ({primary: physicalName(identity, nameRules.dynamodbTable)}),
	references: () => [],
	describe(spec) {
		const mode = spec.billingMode === 'PROVISIONED' ? `provisioned ${spec.readCapacity}R/${spec.writeCapacity}W` : 'on-demand';
		const key = [spec.hashKey, spec.rangeKey]
			.filter((k): k is DynamoDbKey => k !== undefined)
			.map((k) => `${k.name} (${k.type})`)
			.join(' + ');
		const extras = [
			spec.globalSecondaryIndexes?.length && `${spec.globalSecondaryIndexes.length} GSI`,
			spec.ttl?.enabled && `TTL ${spec.ttl.attributeName}`,
			spec.pointInTimeRecovery?.enabled && 'PITR',
			spec.stream?.enabled && `stream ${spec.stream.viewType}`,
		].filter(Boolean);
		return [`${mode} table, key ${key}`, ...extras].join(', ');
	},
	/** Provisioned: capacity units all month (the table's and its indexes'). On-demand: requests (usage file). Storage: usage. */
	cost(spec, context) {
		const {dynamodb} = context.prices;
		const usage = context.usage;
		const lines: CostLine[] = [];
		const notes: string[] = [];
		const provisioned = spec.billingMode === 'PROVISIONED';
		if (provisioned) {
			const holders = [spec, ...(spec.globalSecondaryIndexes ?? [])];
			const reads = holders.reduce((sum, holder) => sum + (holder.readCapacity ?? 0), 0);
			const writes = holders.reduce((sum, holder) => sum + (holder.writeCapacity ?? 0), 0);
			lines.push({
				item: `provisioned ${reads} RCU / ${writes} WCU${holders.length > 1 ? ' (table and indexes)' : ''}`,
				monthly: monthlyAtHourly(reads * dynamodb.rcuHour + writes * dynamodb.wcuHour),
			});
		} else {
			lines.push(
				...usageLine(`${usage?.readRequestsPerMonth} reads/month`, usage?.readRequestsPerMonth, dynamodb.readRequestMillion, 1_000_000),
				...usageLine(`${usage?.writeRequestsPerMonth} writes/month`, usage?.writeRequestsPerMonth, dynamodb.writeRequestMillion, 1_000_000),
			);
			if (lines.length === 0)
				notes.push(
					`on-demand: ${formatRate(dynamodb.readRequestMillion)} per million reads, ${formatRate(dynamodb.writeRequestMillion)} per million writes`,
				);
		}
		const storage = usageLine(`${usage?.storageGB} GB stored`, usage?.storageGB, dynamodb.storageGbMonth);
		if (storage.length === 0) notes.push(`storage: usage-based (${formatRate(dynamodb.storageGbMonth)}/GB-month)`);
		return estimateFrom([...lines, ...storage], notes, {billedByUse: !provisioned});
	},
	// A reader of the table's name or ARN reads and writes its items; of its stream, reads the stream.
	readerAccess: {tableName: [tableReadWrite], arn: [tableReadWrite], streamArn: [streamRead]},
	holdsData: true,
	allowedByDefault: true,
	typicalCreateSeconds: 10,
	provider: async () => (await import('./dynamodb-provider.js')).dynamoDbProvider,
	health: async () => (await import('./dynamodb/health.js')).dynamoDbHealth,
	leftovers: async () => (await import('./dynamodb/leftovers.js')).dynamoDbLeftovers,
	legacyForms: dynamoDbLegacyForms,
});
