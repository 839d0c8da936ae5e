/**
 * What reading another component's outputs grants a compute component's role: each source kind's
 * own readerAccess, merged per component and access, deterministic, and nothing for outputs a
 * kind does not list or sources without the ARN to scope to.
 */
import {describe, expect, it} from 'vitest';
import type {ValueSource} from '../../../engine/providers/provider.js';
import {valueSourceStatements} from '../../../engine/providers/value-sources.js';

const table = 'arn:aws:dynamodb:us-east-1:123456789012:table/acme-orders';
const source = (component: string, kind: string, output: string, outputs: Record<string, unknown>): ValueSource => ({
	component,
	kind,
	output,
	outputs,
});

describe('valueSourceStatements', () => {
	it('merges several outputs of one source into one statement per access', () => {
		const statements = valueSourceStatements([
			source('orders', 'DynamoDB', 'tableName', {arn: table}),
			source('orders', 'DynamoDB', 'arn', {arn: table}),
		]);
		expect(statements).toHaveLength(1);
		expect(statements[0]).toMatchObject({Effect: 'Allow', Resource: [table, `${table}/index/*`]});
		expect(statements[0]!.Action).toContain('dynamodb:Query');
	});

	it('orders statements by component, then access, with sorted actions', () => {
		const bucket = 'arn:aws:s3:::acme-files';
		const statements = valueSourceStatements([
			source('files', 'S3', 'bucketName', {arn: bucket}),
			source('events', 'SNS', 'topicArn', {topicArn: 'arn:aws:sns:us-east-1:123456789012:acme-events'}),
		]);
		expect(statements.map((s) => s.Resource)).toEqual(['arn:aws:sns:us-east-1:123456789012:acme-events', bucket, `${bucket}/*`]);
		expect(statements[2]!.Action).toEqual(['s3:GetObject', 's3:PutObject']);
	});

	it('grants nothing for outputs reached over the network, unknown kinds, or a source without its ARN', () => {
		expect(
			valueSourceStatements([
				source('db', 'RDS', 'endpoint', {endpoint: 'db.local'}),
				source('x', 'Kinesis', 'arn', {arn: 'arn:aws:kinesis:::x'}),
				source('orders', 'DynamoDB', 'tableName', {}),
			]),
		).toEqual([]);
		expect(valueSourceStatements(undefined)).toEqual([]);
	});
});
