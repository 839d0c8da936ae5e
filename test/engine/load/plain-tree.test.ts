/**
 * plainTree: what the YAML parsers return (aliases as shared references, a self-referencing anchor
 * as a cycle) becomes a plain tree within the bounds of input-limits.ts, or problems at paths.
 */
import {describe, expect, it} from 'vitest';
import {maxNestingDepth, maxScalarChars, maxTreeNodes} from '../../../engine/load/input-limits.js';
import {nodeBudget, plainTree} from '../../../engine/load/plain-tree.js';

describe('plainTree', () => {
	it('copies a value into a tree: a shared node becomes two independent copies', () => {
		const shared = {cpu: 256};
		const {value, problems} = plainTree({a: shared, b: [shared, shared]});
		expect(problems).toEqual([]);
		expect(value).toEqual({a: {cpu: 256}, b: [{cpu: 256}, {cpu: 256}]});
		const tree = value as {a: object; b: object[]};
		expect(tree.a).not.toBe(tree.b[0]);
		expect(tree.b[0]).not.toBe(tree.b[1]);
	});

	it('reports a cycle at the alias that closes it, and gives no value', () => {
		const spec: Record<string, unknown> = {name: 'x'};
		spec.tags = {self: spec};
		expect(plainTree({spec})).toEqual({
			value: undefined,
			problems: [expect.objectContaining({code: 'recursive-alias', path: ['spec', 'tags', 'self'], which: 'value'})],
		});
	});

	it('stops at the node budget, which the documents of one file share', () => {
		let node: unknown = 'leaf';
		for (let i = 0; i < 20; i++) node = [node, node]; // 2^21 nodes behind 21 objects
		const budget = nodeBudget();
		const {problems} = plainTree({bomb: node}, budget);
		expect(problems).toEqual([
			expect.objectContaining({code: 'expansion-too-large', message: expect.stringMatching(/more than 200,000 values/)}),
		]);
		expect(budget.left).toBeLessThan(0);
		const small = {left: 3};
		expect(plainTree({a: 1}, small).problems).toEqual([]);
		expect(plainTree({b: 1}, small).problems).toHaveLength(1); // the file's budget is spent
		expect(maxTreeNodes).toBe(200_000);
	});

	it('refuses nesting deeper than the limit', () => {
		let deep: unknown = 'x';
		for (let i = 0; i < maxNestingDepth + 1; i++) deep = [deep];
		expect(plainTree(deep).problems).toEqual([expect.objectContaining({code: 'nesting-too-deep'})]);
		let fine: unknown = 'x';
		for (let i = 0; i < maxNestingDepth; i++) fine = [fine];
		expect(plainTree(fine).problems).toEqual([]);
	});

	it('reports every reserved key and every over-long scalar, at the key or the value', () => {
		const long = 'x'.repeat(maxScalarChars + 1);
		const value = JSON.parse(`{"__proto__": {"polluted": true}, "spec": {"constructor": 1, "prototype": 2, "ok": "${long}"}}`);
		const {value: tree, problems} = plainTree({...value, [long]: 1});
		expect(tree).toBeUndefined();
		expect(problems.map((p) => [p.code, p.path.join('.').slice(0, 20), p.which])).toEqual([
			['reserved-key', '__proto__', 'key'],
			['reserved-key', 'spec.constructor', 'key'],
			['reserved-key', 'spec.prototype', 'key'],
			['value-too-large', 'spec.ok', 'value'],
			['value-too-large', 'x'.repeat(20), 'key'],
		]);
		expect(({} as {polluted?: boolean}).polluted).toBeUndefined();
	});
});
