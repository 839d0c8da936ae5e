/**
 * Property-based fuzzing of the loader (fast-check): on any input, no exception escapes, every
 * problem is a diagnostic with a file and a 1-based line and column, every value handed on is a
 * plain tree (no cycle, no shared node, no reserved key), and every run ends in bounded time.
 *
 * Inputs: token soups of YAML syntax (anchors, aliases, merge keys, tags, quotes, directives,
 * control characters, reserved keys, `${…}`), alias bombs of random shape for both parsers,
 * .env text, variable sets with random references and defaults, and whole stack folders made of
 * such files, loaded through loadWorkspace. A failure prints the seed and the shrunk input.
 */
import {mkdirSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import type {Diagnostic} from '../../../engine/diagnostics.js';
import {parseEnvFile} from '../../../engine/load/env-file.js';
import {isReservedKey, maxScalarChars, maxTreeNodes} from '../../../engine/load/input-limits.js';
import {parseYamlFile} from '../../../engine/load/yaml-source.js';
import {VariableScope} from '../../../engine/resolve/interpolate.js';
import {loadWorkspace} from '../../../engine/workspace.js';
import {tempDir} from '../../helpers/stack-fixture.js';

/** A correctness bound for one run on small inputs, not a speed target. */
const maxRunMs = 3_000;

function timed<T>(work: () => T): T {
	const started = performance.now();
	const result = work();
	expect(performance.now() - started).toBeLessThan(maxRunMs);
	return result;
}

async function timedAsync<T>(work: () => Promise<T>): Promise<T> {
	const started = performance.now();
	const result = await work();
	expect(performance.now() - started).toBeLessThan(maxRunMs);
	return result;
}

function expectWellFormed(diagnostics: readonly Diagnostic[]): void {
	for (const d of diagnostics) {
		expect(d.message.length).toBeGreaterThan(0);
		// The parsers' safety net turns an internal exception into this message: it must never be needed.
		expect(d.message).not.toMatch(/^cannot read this YAML:/);
		if (d.file !== undefined && d.line !== undefined) {
			expect(d.line).toBeGreaterThanOrEqual(1);
			expect(d.column ?? 1).toBeGreaterThanOrEqual(1);
		}
	}
}

/** A tree: every object reached once, no reserved key, scalars within the limit; returns its node count. */
function expectPlainTree(value: unknown, seen = new Set<object>()): number {
	if (typeof value === 'string') {
		expect(value.length).toBeLessThanOrEqual(maxScalarChars);
		return 1;
	}
	if (value === null || typeof value !== 'object') return 1;
	expect(seen.has(value), 'a node is shared or part of a cycle').toBe(false);
	seen.add(value);
	let nodes = 1;
	for (const [key, child] of Object.entries(value)) {
		expect(isReservedKey(key)).toBe(false);
		nodes += expectPlainTree(child, seen);
	}
	return nodes;
}

const yamlToken = fc.oneof(
	{
		weight: 4,
		arbitrary: fc.constantFrom('a', 'b', 'k', 'spec', 'name', 'kind: SQS', 'apiVersion: components.panka.io/v1', '0', '1.5', '-1'),
	},
	{
		weight: 4,
		arbitrary: fc.constantFrom(
			': ',
			':',
			'- ',
			'-',
			'? ',
			', ',
			'[',
			']',
			'{',
			'}',
			'\n',
			'\n  ',
			'\n    ',
			'  ',
			' ',
			'\t',
			'\r\n',
			'#',
			'---\n',
			'...\n',
		),
	},
	{
		weight: 3,
		arbitrary: fc.constantFrom(
			'&a ',
			'&b ',
			'*a',
			'*b',
			'<<: *a',
			'<<: [*a, *b]',
			'!!str ',
			'!!map ',
			'!!binary ',
			'!x ',
			'|',
			'>-',
			'"',
			"'",
			'\\',
			'%YAML 1.2\n',
			'%TAG ! tag:x,2024:\n',
		),
	},
	{
		weight: 2,
		arbitrary: fc.constantFrom(
			'__proto__',
			'constructor',
			'prototype',
			'${A}',
			'${A:-${B}}',
			'$${A}',
			'${',
			'}',
			'\u0000',
			'\u001b[2J',
			'\u202e',
			'\ufeff',
			'\ud800',
			'.inf',
			'~',
			'0x1F',
			'1e400',
		),
	},
	{weight: 1, arbitrary: fc.string({maxLength: 6})},
);
const yamlText = fc.array(yamlToken, {maxLength: 200}).map((tokens) => tokens.join(''));

/** Anchors of anchors: `levels` levels, each referring `fanout` times to the one below, as lists or merges. */
const aliasBomb = fc
	.record({levels: fc.integer({min: 1, max: 40}), fanout: fc.integer({min: 1, max: 12}), merge: fc.boolean(), flow: fc.boolean()})
	.map(({levels, fanout, merge, flow}) => {
		const lines = ['l0: &l0 {k: v}'];
		for (let i = 1; i < levels; i++) {
			const refs = Array.from({length: fanout}, () => `*l${i - 1}`);
			lines.push(
				merge
					? `l${i}: &l${i} {<<: [${refs.join(', ')}], k${i}: [${refs.join(', ')}]}`
					: flow
						? `l${i}: &l${i} [${refs.join(', ')}]`
						: `l${i}: &l${i}\n${refs.map((r) => `  - ${r}`).join('\n')}`,
			);
		}
		return `${lines.join('\n')}\nspec: *l${levels - 1}\n`;
	});

const envText = fc
	.array(
		fc.oneof(
			fc.constantFrom(
				'A=1',
				'export B="x\\ny"',
				"C='lit'",
				'__proto__=1',
				'constructor=2',
				'1BAD=3',
				'=',
				'D="unterminated',
				'A=again',
				'# c',
				'',
				' E = spaced # comment',
			),
			fc.string({maxLength: 12}),
		),
		{maxLength: 60},
	)
	.map((lines) => lines.join('\n'));

const variableName = fc.constantFrom('A', 'B', 'C', 'D', 'E');
const template: fc.Arbitrary<string> = fc.letrec<{template: string}>((tie) => ({
	template: fc.oneof(
		{depthSize: 'small', withCrossShrink: true},
		fc.constantFrom('x', '', '$', '$$', '${', '}', '$${A}', '${not valid}'),
		variableName.map((n) => `\${${n}}`),
		fc.tuple(variableName, tie('template')).map(([n, d]) => `\${${n}:-${d}}`),
		fc.tuple(tie('template'), tie('template')).map(([a, b]) => a + b),
	),
})).template;

describe('loader fuzzing: no exception escapes, every run ends in bounded time', () => {
	it('parseYamlFile on token soups of YAML syntax, without a process warning (it would reach stderr raw)', async () => {
		const warnings: string[] = [];
		const onWarning = (warning: Error) => warnings.push(warning.message);
		process.on('warning', onWarning);
		fc.assert(
			fc.property(yamlText, (text) => {
				const parsed = timed(() => parseYamlFile('fuzz.yaml', text));
				expectWellFormed(parsed.diagnostics);
				let nodes = 0;
				for (const document of parsed.documents) {
					nodes += expectPlainTree(document.value);
					expect(document.positionOf(['spec', 'name']).line).toBeGreaterThanOrEqual(1);
				}
				expect(nodes).toBeLessThanOrEqual(maxTreeNodes);
			}),
			{numRuns: 400},
		);
		await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on the next tick
		process.off('warning', onWarning);
		expect(warnings).toEqual([]);
	});

	it('parseYamlFile on alias bombs of random shape, with any kind of alias and merge', () => {
		fc.assert(
			fc.property(aliasBomb, (text) => {
				const parsed = timed(() => parseYamlFile('bomb.yaml', text));
				expectWellFormed(parsed.diagnostics);
				for (const document of parsed.documents) expect(expectPlainTree(document.value)).toBeLessThanOrEqual(maxTreeNodes);
			}),
			{numRuns: 60},
		);
	});

	it('parseEnvFile on any text', () => {
		fc.assert(
			fc.property(envText, (text) => {
				const parsed = timed(() => parseEnvFile('config/app.env', text));
				expectWellFormed(parsed.diagnostics);
				for (const entry of parsed.entries) expect(isReservedKey(entry.name)).toBe(false);
			}),
			{numRuns: 300},
		);
	});

	it('variables with random references, defaults and loops', () => {
		fc.assert(
			fc.property(fc.array(fc.tuple(variableName, template), {maxLength: 8}), (definitions) => {
				const scope = new VariableScope([definitions.map(([name, value]) => ({name, value, origin: {type: 'flag' as const}}))]);
				timed(() => {
					for (const [name] of definitions) {
						const result = scope.lookup(name);
						if (result?.ok) expect(result.value.length).toBeLessThanOrEqual(maxScalarChars);
						else if (result) expect(result.problem.length).toBeGreaterThan(0);
					}
				});
			}),
			{numRuns: 300},
		);
	});

	it('loadWorkspace on stack folders made of such files', async () => {
		const stackFile = fc.oneof(
			yamlText,
			fc.constant(
				'apiVersion: core.panka.io/v1\nkind: Stack\nmetadata:\n  name: shop\nspec:\n  variables:\n    A: "${B}${B}"\n    B: "${A}"\n',
			),
		);
		await fc.assert(
			fc.asyncProperty(stackFile, yamlText, yamlText, aliasBomb, envText, async (stack, service, component, bomb, env) => {
				const dir = tempDir('panka-fuzz-');
				mkdirSync(path.join(dir, 'services', 'api', 'config'), {recursive: true});
				writeFileSync(path.join(dir, 'stack.yaml'), stack);
				writeFileSync(path.join(dir, 'services', 'api', 'service.yaml'), service);
				writeFileSync(path.join(dir, 'services', 'api', 'component.yaml'), component);
				writeFileSync(path.join(dir, 'services', 'api', 'bomb.yaml'), bomb);
				writeFileSync(path.join(dir, 'services', 'api', 'config', 'app.env'), env);
				const workspace = await timedAsync(() => loadWorkspace(dir, {vars: {A: '${B}'}}));
				expectWellFormed(workspace.diagnostics);
				expect(workspace.diagnostics.length).toBeGreaterThan(0); // none of these folders is a valid stack
			}),
			{numRuns: 40},
		);
	}, 120_000);
});
