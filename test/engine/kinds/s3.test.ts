import {describe, expect, it} from 'vitest';
import {forcesReplace} from '../../../engine/kinds/kind.js';
import {s3Kind, s3SpecSchema as schema} from '../../../engine/kinds/s3.js';
import {identity, issueAt, longIdentity, parseOk} from './kind-test-helpers.js';

const assets = {
	bucket: {acl: 'private', forceDestroy: false},
	versioning: {enabled: true},
	encryption: {enabled: true, algorithm: 'aws:kms', kmsKeyId: 'alias/assets'},
	lifecycle: [
		{
			id: 'archive-logs',
			prefix: 'logs/',
			transitions: [
				{days: 30, storageClass: 'STANDARD_IA'},
				{days: 90, storageClass: 'GLACIER'},
			],
			expiration: {days: 365},
			noncurrentVersionExpiration: {days: 30},
		},
	],
	cors: {
		rules: [{allowedOrigins: ['https://app.example.com'], allowedMethods: ['GET', 'HEAD'], maxAgeSeconds: 3000}],
	},
	tags: {team: 'web'},
};

const defaultBlock = {blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true};

describe('S3 spec', () => {
	it('parses a bucket with every section', () => {
		const spec = parseOk(schema, assets);
		expect(spec.lifecycle?.[0]?.enabled).toBe(true);
		expect(spec.publicAccessBlock).toEqual(defaultBlock);
	});

	it('applies defaults: a private bucket, not force-destroyed, with every public access block on', () => {
		expect(parseOk(schema, {})).toEqual({bucket: {acl: 'private', forceDestroy: false}, publicAccessBlock: defaultBlock});
		expect(parseOk(schema, {versioning: {}, encryption: {}})).toMatchObject({
			versioning: {enabled: true},
			encryption: {enabled: true, algorithm: 'AES256'},
		});
	});

	it('takes cors as a bare list of rules, uppercasing methods', () => {
		const spec = parseOk(schema, {cors: [{allowedOrigins: ['*'], allowedMethods: ['get', 'put']}]});
		expect(spec.cors).toEqual({rules: [{allowedOrigins: ['*'], allowedMethods: ['GET', 'PUT']}]});
		expect(issueAt(schema, {cors: [{allowedOrigins: ['*'], allowedMethods: ['PATCH']}]}, 'cors.rules.0.allowedMethods.0').code).toBe(
			'invalid_value',
		);
		expect(issueAt(schema, {cors: []}, 'cors.rules').code).toBe('too_small');
	});

	describe('lifecycle', () => {
		const rule = (extra: Record<string, unknown>) => ({lifecycle: [{id: 'r', ...extra}]});

		it('requires unique ids', () => {
			const input = {
				lifecycle: [
					{id: 'r', expiration: {days: 1}},
					{id: 'r', expiration: {days: 2}},
				],
			};
			expect(issueAt(schema, input, 'lifecycle.1.id').message).toBe('lifecycle rule id "r" is already used by entry 0');
		});

		it('requires ascending transitions, 30 days before IA classes, and expiration after the last transition', () => {
			const descending = rule({
				transitions: [
					{days: 90, storageClass: 'GLACIER'},
					{days: 60, storageClass: 'DEEP_ARCHIVE'},
				],
			});
			expect(issueAt(schema, descending, 'lifecycle.0.transitions.1.days').message).toBe('transition days must ascend: 60 comes after 90');
			const early = rule({transitions: [{days: 7, storageClass: 'standard_ia'}]});
			expect(issueAt(schema, early, 'lifecycle.0.transitions.0.days').message).toBe('STANDARD_IA transitions need at least 30 days, not 7');
			const expiresFirst = rule({transitions: [{days: 30, storageClass: 'GLACIER_IR'}], expiration: {days: 10}});
			expect(issueAt(schema, expiresFirst, 'lifecycle.0.expiration.days').code).toBe('custom');
		});

		it('requires an action and a known storage class', () => {
			expect(issueAt(schema, rule({prefix: 'tmp/'}), 'lifecycle.0').message).toMatch(/has no action/);
			expect(issueAt(schema, rule({transitions: [{days: 30, storageClass: 'COLD'}]}), 'lifecycle.0.transitions.0.storageClass').code).toBe(
				'invalid_value',
			);
		});

		it('needs versioning for noncurrent version expiration', () => {
			expect(issueAt(schema, rule({noncurrentVersionExpiration: {days: 30}}), 'versioning').message).toBe(
				'noncurrentVersionExpiration needs versioning.enabled: true',
			);
		});
	});

	it('accepts encryption algorithm aliases and ties kmsKeyId to aws:kms', () => {
		expect(parseOk(schema, {encryption: {algorithm: 'kms'}}).encryption?.algorithm).toBe('aws:kms');
		expect(parseOk(schema, {encryption: {algorithm: 'aes256'}}).encryption?.algorithm).toBe('AES256');
		expect(issueAt(schema, {encryption: {algorithm: 'AES256', kmsKeyId: 'alias/x'}}, 'encryption.kmsKeyId').message).toBe(
			'kmsKeyId needs algorithm aws:kms',
		);
	});

	it('rejects a public ACL while public ACLs are blocked', () => {
		expect(issueAt(schema, {bucket: {acl: 'public-read'}}, 'bucket.acl').message).toMatch(/blocked by publicAccessBlock.blockPublicAcls/);
		parseOk(schema, {bucket: {acl: 'public-read'}, publicAccessBlock: {blockPublicAcls: false, ignorePublicAcls: 'false'}});
	});

	it('rejects unknown keys and wrong types', () => {
		expect(issueAt(schema, {bucketName: 'mine'}, '')).toMatchObject({code: 'unrecognized_keys', keys: ['bucketName']});
		expect(issueAt(schema, {publicAccessBlock: {blockAll: true}}, 'publicAccessBlock').code).toBe('unrecognized_keys');
		expect(issueAt(schema, {bucket: {forceDestroy: 'maybe'}}, 'bucket.forceDestroy').code).toBe('invalid_type');
	});

	it('reads the same after parsing twice', () => {
		const once = parseOk(schema, assets);
		expect(parseOk(schema, once)).toEqual(once);
	});
});

describe('S3 kind', () => {
	const spec = parseOk(schema, assets);

	it('declares its outputs', () => {
		expect(Object.keys(s3Kind.outputs).sort()).toEqual(['arn', 'bucketName', 'domainName', 'regionalDomainName']);
	});

	it('never replaces: the name comes from the identity, every setting updates in place', () => {
		expect(s3Kind.replaceOn).toEqual([]);
		expect(forcesReplace(s3Kind.replaceOn, 'bucket.acl')).toBeUndefined();
	});

	it('always hashes the bucket name, salted by the account', () => {
		const name = s3Kind.physicalNames(identity, spec).primary;
		expect(name).toMatch(/^acme-shop-prod-api-[0-9a-f]{8}$/);
		expect(s3Kind.physicalNames({...identity, accountId: '111111111111'}, spec).primary).not.toBe(name);
		const long = s3Kind.physicalNames(longIdentity, spec).primary;
		expect(long.length).toBeLessThanOrEqual(63);
		expect(long).toMatch(/^[a-z0-9][a-z0-9-]*[a-z0-9]$/);
	});

	it('is not placed in the VPC and has no references', () => {
		expect(s3Kind.placement(spec)).toBe('none');
		expect(s3Kind.references(spec)).toEqual([]);
	});

	it('describes the bucket settings', () => {
		expect(s3Kind.describe(spec)).toBe('bucket private, versioned, aws:kms, 1 lifecycle rule, CORS');
	});
});
