/**
 * The shipped JSON Schemas of panka's --json output (docs/json/), compiled once, for tests that
 * check real command output against them: `expectDocument(stdout)`, `expectEvents(stdout)`.
 */
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {Ajv} from 'ajv';
import {expect} from 'vitest';
import {repoRoot} from './stack-fixture.js';

const schema = (name: string) => JSON.parse(readFileSync(path.join(repoRoot, 'docs', 'json', name), 'utf8'));
const ajv = new Ajv({allErrors: true, strict: true, strictRequired: false});
ajv.addSchema(schema('document.schema.json'), 'document.schema.json');
ajv.addSchema(schema('event.schema.json'), 'event.schema.json');
const documentSchema = ajv.getSchema('document.schema.json')!;
const eventSchema = ajv.getSchema('event.schema.json')!;

/** `stdout` is one --json document that its schema accepts; returns it parsed. */
export function expectDocument(stdout: string): Record<string, unknown> {
	const document = JSON.parse(stdout) as Record<string, unknown>;
	expect(documentSchema(document), `${document.kind}: ${ajv.errorsText(documentSchema.errors)}`).toBe(true);
	return document;
}

/** `stdout` is NDJSON, each line an event its schema accepts; returns them parsed. */
export function expectEvents(stdout: string): Record<string, unknown>[] {
	return stdout
		.trim()
		.split('\n')
		.map((line) => {
			const event = JSON.parse(line) as Record<string, unknown>;
			expect(eventSchema(event), `${event.type}: ${ajv.errorsText(eventSchema.errors)}`).toBe(true);
			return event;
		});
}
