import {describe, expect, it} from 'vitest';
import {dynamoDbKind, dynamoDbSpecSchema as schema} from '../../../engine/kinds/dynamodb.js';
import {forcesReplace} from '../../../engine/kinds/kind.js';
import {identity, issueAt, longIdentity, parseOk} from './kind-test-helpers.js';

const table = {
	billingMode: 'PAY_PER_REQUEST',
	hashKey: {name: 'tenantId', type: 'S'},
	rangeKey: {name: 'createdAt', type: 'N'},
	globalSecondaryIndexes: [
		{name: 'by-status', hashKey: {name: 'status', type: 'S'}, rangeKey: {name: 'createdAt', type: 'N'}},
		{name: 'by-user', hashKey: {name: 'userId', type: 'S'}, projection: {type: 'INCLUDE', nonKeyAttributes: ['subject']}},
	],
	ttl: {enabled: true, attributeName: 'expiresAt'},
	pointInTimeRecovery: {enabled: true},
	stream: {enabled: true, viewType: 'NEW_AND_OLD_IMAGES'},
	tags: {team: 'notifications'},
};

const minimal = {hashKey: {name: 'id', type: 'S'}};
const provisioned = {...minimal, billingMode: 'PROVISIONED', readCapacity: 5, writeCapacity: 5};

describe('DynamoDB spec', () => {
	it('parses a table with indexes, TTL, PITR and a stream', () => {
		const spec = parseOk(schema, table);
		expect(spec.globalSecondaryIndexes?.[0]?.projection).toEqual({type: 'ALL'});
		expect(spec.globalSecondaryIndexes?.[1]?.projection).toEqual({type: 'INCLUDE', nonKeyAttributes: ['subject']});
	});

	it('defaults to on-demand billing', () => {
		expect(parseOk(schema, minimal)).toEqual({billingMode: 'PAY_PER_REQUEST', hashKey: {name: 'id', type: 'S'}});
	});

	it('normalises billing modes, key types and stream view types written in other styles', () => {
		expect(parseOk(schema, {...minimal, billingMode: 'on-demand'}).billingMode).toBe('PAY_PER_REQUEST');
		expect(parseOk(schema, {...minimal, billingMode: 'pay-per-request'}).billingMode).toBe('PAY_PER_REQUEST');
		expect(parseOk(schema, {...provisioned, billingMode: 'provisioned'}).billingMode).toBe('PROVISIONED');
		const spec = parseOk(schema, {hashKey: {name: 'id', type: 'string'}, rangeKey: {name: 'n', type: 'number'}});
		expect([spec.hashKey.type, spec.rangeKey?.type]).toEqual(['S', 'N']);
		expect(parseOk(schema, {hashKey: {name: 'blob', type: 'binary'}}).hashKey.type).toBe('B');
		expect(parseOk(schema, {...minimal, stream: {viewType: 'new-and-old-images'}}).stream).toEqual({
			enabled: true,
			viewType: 'NEW_AND_OLD_IMAGES',
		});
	});

	it('rejects unknown billing modes and key types', () => {
		expect(issueAt(schema, {...minimal, billingMode: 'free'}, 'billingMode').code).toBe('invalid_value');
		expect(issueAt(schema, {hashKey: {name: 'id', type: 'BOOL'}}, 'hashKey.type').code).toBe('invalid_value');
		expect(issueAt(schema, {}, 'hashKey').code).toBe('invalid_type');
	});

	describe('capacity', () => {
		it('requires table and index capacity when provisioned, as numbers or numeric strings', () => {
			expect(parseOk(schema, {...provisioned, readCapacity: '10'}).readCapacity).toBe(10);
			expect(issueAt(schema, {...minimal, billingMode: 'PROVISIONED', readCapacity: 5}, 'writeCapacity').message).toBe(
				'billingMode PROVISIONED needs writeCapacity for the table',
			);
			const index = {name: 'by-status', hashKey: {name: 'status', type: 'S'}};
			expect(issueAt(schema, {...provisioned, globalSecondaryIndexes: [index]}, 'globalSecondaryIndexes.0.readCapacity').message).toBe(
				'billingMode PROVISIONED needs readCapacity for index by-status',
			);
		});

		it('forbids capacity on demand', () => {
			expect(issueAt(schema, {...minimal, readCapacity: 5}, 'readCapacity').message).toBe(
				'readCapacity is only for billingMode PROVISIONED; on-demand tables scale by themselves',
			);
			const index = {name: 'by-status', hashKey: {name: 'status', type: 'S'}, writeCapacity: 1};
			expect(issueAt(schema, {...minimal, globalSecondaryIndexes: [index]}, 'globalSecondaryIndexes.0.writeCapacity').code).toBe('custom');
		});

		it('rejects zero and non-numeric capacity', () => {
			expect(issueAt(schema, {...provisioned, readCapacity: 0}, 'readCapacity').code).toBe('too_small');
			expect(issueAt(schema, {...provisioned, readCapacity: 'lots'}, 'readCapacity').code).toBe('invalid_type');
		});
	});

	describe('global secondary indexes', () => {
		const index = (extra: Record<string, unknown> = {}) => ({name: 'by-status', hashKey: {name: 'status', type: 'S'}, ...extra});

		it('requires unique names', () => {
			expect(issueAt(schema, {...minimal, globalSecondaryIndexes: [index(), index()]}, 'globalSecondaryIndexes.1.name').message).toBe(
				'index name "by-status" is already used by entry 0',
			);
		});

		it('ties nonKeyAttributes to projection INCLUDE', () => {
			const include = index({projection: {type: 'include'}});
			expect(
				issueAt(schema, {...minimal, globalSecondaryIndexes: [include]}, 'globalSecondaryIndexes.0.projection.nonKeyAttributes').message,
			).toBe('projection INCLUDE needs nonKeyAttributes');
			const keysOnly = index({projection: {type: 'KEYS_ONLY', nonKeyAttributes: ['a']}});
			expect(
				issueAt(schema, {...minimal, globalSecondaryIndexes: [keysOnly]}, 'globalSecondaryIndexes.0.projection.nonKeyAttributes').message,
			).toBe('nonKeyAttributes applies only to projection INCLUDE, not KEYS_ONLY');
		});

		it('gives a key attribute one type across the table and its indexes', () => {
			const conflicting = index({hashKey: {name: 'id', type: 'N'}});
			expect(issueAt(schema, {...minimal, globalSecondaryIndexes: [conflicting]}, 'globalSecondaryIndexes.0.hashKey.type').message).toBe(
				'attribute id is type S elsewhere; a key attribute has one type',
			);
		});

		it('rejects names AWS does not accept', () => {
			expect(issueAt(schema, {...minimal, globalSecondaryIndexes: [index({name: 'ix'})]}, 'globalSecondaryIndexes.0.name').code).toBe(
				'invalid_format',
			);
		});
	});

	it('accepts pointInTimeRecovery as a bare boolean', () => {
		expect(parseOk(schema, {...minimal, pointInTimeRecovery: true}).pointInTimeRecovery).toEqual({enabled: true});
		expect(parseOk(schema, {...minimal, pointInTimeRecovery: 'false'}).pointInTimeRecovery).toEqual({enabled: false});
		expect(parseOk(schema, {...minimal, pointInTimeRecovery: {}}).pointInTimeRecovery).toEqual({enabled: true});
		expect(issueAt(schema, {...minimal, pointInTimeRecovery: 'sometimes'}, 'pointInTimeRecovery').code).toBe('invalid_type');
	});

	it('needs a TTL attribute when TTL is enabled', () => {
		expect(issueAt(schema, {...minimal, ttl: {}}, 'ttl.attributeName').message).toMatch(/ttl needs attributeName/);
		parseOk(schema, {...minimal, ttl: {enabled: false}});
	});

	it('ties kmsKeyId to encryption enabled', () => {
		expect(issueAt(schema, {...minimal, encryption: {enabled: false, kmsKeyId: 'alias/x'}}, 'encryption.kmsKeyId').code).toBe('custom');
	});

	it('rejects unknown keys', () => {
		expect(issueAt(schema, {...minimal, sortKey: {name: 'sk', type: 'S'}}, '')).toMatchObject({
			code: 'unrecognized_keys',
			keys: ['sortKey'],
		});
		expect(issueAt(schema, {...minimal, ttl: {attribute: 'x'}}, 'ttl').code).toBe('unrecognized_keys');
	});

	it('reads the same after parsing twice', () => {
		const once = parseOk(schema, table);
		expect(parseOk(schema, once)).toEqual(once);
	});
});

describe('DynamoDB kind', () => {
	const spec = parseOk(schema, table);

	it('declares its outputs', () => {
		expect(Object.keys(dynamoDbKind.outputs).sort()).toEqual(['arn', 'streamArn', 'tableName']);
	});

	it('replaces on a key schema change only; indexes are updates', () => {
		expect(forcesReplace(dynamoDbKind.replaceOn, 'hashKey.name')).toBe('hashKey');
		expect(forcesReplace(dynamoDbKind.replaceOn, 'rangeKey')).toBe('rangeKey');
		expect(forcesReplace(dynamoDbKind.replaceOn, 'globalSecondaryIndexes.0')).toBeUndefined();
		expect(forcesReplace(dynamoDbKind.replaceOn, 'billingMode')).toBeUndefined();
	});

	it('is not placed in the VPC and has no references', () => {
		expect(dynamoDbKind.placement(spec)).toBe('none');
		expect(dynamoDbKind.references(spec)).toEqual([]);
	});

	it('names the table within the limit', () => {
		expect(dynamoDbKind.physicalNames(identity, spec)).toEqual({primary: 'acme-shop-prod-api'});
		const long = dynamoDbKind.physicalNames(longIdentity, spec).primary;
		expect(long.length).toBeLessThanOrEqual(255);
		expect(long).toMatch(/^[A-Za-z0-9_.-]+$/);
	});

	it('describes billing, keys and extras', () => {
		expect(dynamoDbKind.describe(spec)).toBe(
			'on-demand table, key tenantId (S) + createdAt (N), 2 GSI, TTL expiresAt, PITR, stream NEW_AND_OLD_IMAGES',
		);
		expect(dynamoDbKind.describe(parseOk(schema, provisioned))).toBe('provisioned 5R/5W table, key id (S)');
	});
});
