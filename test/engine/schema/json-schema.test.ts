/**
 * The generated JSON Schema agrees with panka's own validation: it accepts every document of the
 * demo stack (including `${VAR}` templates in number fields), and rejects unknown fields and wrong
 * kinds the way `panka validate` does. Checked with a real JSON Schema validator (ajv, 2020-12).
 */
import {readdirSync, readFileSync, statSync} from 'node:fs';
import path from 'node:path';
import {Ajv2020} from 'ajv/dist/2020.js';
import {parseAllDocuments} from 'yaml';
import {describe, expect, it} from 'vitest';
import {documentKindNames, jsonSchemaForAllKinds, jsonSchemaForKind} from '../../../engine/schema/json-schema.js';
import {demoStack, demoTenant} from '../../helpers/stack-fixture.js';

const ajv = new Ajv2020({strict: false, allErrors: true});
const validateAny = ajv.compile(jsonSchemaForAllKinds());
const sqsValidator = ajv.compile(jsonSchemaForKind('SQS')!);

function yamlFiles(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const full = path.join(dir, name);
		if (statSync(full).isDirectory()) return yamlFiles(full);
		return /\.ya?ml$/.test(name) ? [full] : [];
	});
}

describe('panka schema', () => {
	it('has a schema for every document kind', () => {
		for (const kind of documentKindNames) expect(jsonSchemaForKind(kind)?.title).toBe(`panka ${kind}`);
		expect(jsonSchemaForKind('Nope')).toBeUndefined();
	});

	it('accepts every document of the demo stack and the demo tenant', () => {
		for (const file of [...yamlFiles(demoStack), demoTenant]) {
			for (const doc of parseAllDocuments(readFileSync(file, 'utf8')) as Array<{toJS(): unknown}>) {
				const ok = validateAny(doc.toJS());
				expect(ok, `${file}: ${JSON.stringify(validateAny.errors)}`).toBe(true);
			}
		}
	});

	it('accepts ${VAR} templates and numeric strings where numbers go', () => {
		const validate = sqsValidator;
		const doc = (spec: unknown) => ({apiVersion: 'components.panka.io/v1', kind: 'SQS', metadata: {name: 'q'}, spec});
		expect(validate(doc({visibilityTimeout: '${TIMEOUT}'}))).toBe(true);
		expect(validate(doc({visibilityTimeout: '30'}))).toBe(true);
		expect(validate(doc({visibilityTimeout: 'soon'}))).toBe(false);
	});

	it('rejects unknown fields, like the loader', () => {
		const validate = sqsValidator;
		expect(validate({apiVersion: 'components.panka.io/v1', kind: 'SQS', metadata: {name: 'q'}, spec: {visibilityTimout: 30}})).toBe(false);
		expect(validate.errors?.[0]).toMatchObject({keyword: 'additionalProperties', params: {additionalProperty: 'visibilityTimout'}});
	});

	it('accepts the other written forms panka normalises (any-case enums, bare booleans, lists)', () => {
		const doc = (kind: string, spec: unknown) => ({apiVersion: 'components.panka.io/v1', kind, metadata: {name: 'x'}, spec});
		expect(validateAny(doc('DynamoDB', {billingMode: 'on-demand', hashKey: {name: 'id', type: 'string'}, pointInTimeRecovery: true}))).toBe(
			true,
		);
		expect(validateAny(doc('S3', {cors: [{allowedOrigins: ['*'], allowedMethods: ['GET']}]}))).toBe(true);
		expect(validateAny(doc('DynamoDB', {billingMode: 'PAY_PER_REQUST', hashKey: {name: 'id', type: 'S'}}))).toBe(false);
	});

	it('dispatches on kind, so an SQS field is wrong in an S3 document', () => {
		expect(validateAny({apiVersion: 'components.panka.io/v1', kind: 'S3', metadata: {name: 'b'}, spec: {visibilityTimeout: 30}})).toBe(
			false,
		);
		expect(validateAny({apiVersion: 'components.panka.io/v1', kind: 'Nope', metadata: {name: 'b'}})).toBe(false);
	});
});
