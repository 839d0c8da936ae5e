/**
 * docs/json/document.schema.json names every document kind panka prints, and only those: the
 * kinds are read from the source (`jsonDocument('Kind', …)` and `jsonLine('Kind', …)`, the only
 * ways a document is built, render/json.ts), and each has its own `if kind … then` shape.
 */
import {readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {repoRoot} from '../helpers/stack-fixture.js';

function sourceFiles(folder: string): string[] {
	return readdirSync(folder, {withFileTypes: true}).flatMap((entry) => {
		const file = path.join(folder, entry.name);
		return entry.isDirectory() ? sourceFiles(file) : /\.tsx?$/.test(entry.name) ? [file] : [];
	});
}

const emitted = new Set(
	['source', 'components', 'engine']
		.flatMap((folder) => sourceFiles(path.join(repoRoot, folder)))
		.flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/\bjson(?:Document|Line)\(\s*'([A-Za-z]+)'/g)].map((m) => m[1]!)),
);

const schema = JSON.parse(readFileSync(path.join(repoRoot, 'docs', 'json', 'document.schema.json'), 'utf8')) as {
	properties: {kind: {enum: string[]}};
	allOf: Array<{if: {properties: {kind: {const: string}}}; then: {$ref: string}}>;
	definitions: Record<string, unknown>;
};
const listed = schema.properties.kind.enum;

describe('the document schema lists every kind panka emits', () => {
	it('finds the kinds in the source (the search itself works)', () => {
		expect(emitted).toContain('Version');
		expect(emitted).toContain('Error');
	});

	it('every emitted kind is in the schema, and every listed kind is emitted', () => {
		expect([...emitted].filter((kind) => !listed.includes(kind))).toEqual([]);
		expect(listed.filter((kind) => !emitted.has(kind))).toEqual([]);
	});

	it('every listed kind has its shape, a definition that exists', () => {
		for (const kind of listed) {
			const rule = schema.allOf.find((r) => r.if.properties.kind.const === kind);
			expect(rule, kind).toBeDefined();
			expect(schema.definitions, kind).toHaveProperty(rule!.then.$ref.replace('#/definitions/', ''));
		}
	});
});
