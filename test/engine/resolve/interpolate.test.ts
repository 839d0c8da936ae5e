import {describe, expect, it} from 'vitest';
import {expand, interpolateTree, VariableScope} from '../../../engine/resolve/interpolate.js';

const scope = (layers: Record<string, string>[]) =>
	new VariableScope(
		layers.map((layer, i) =>
			Object.entries(layer).map(([name, value]) => ({
				name,
				value,
				origin: {type: 'file' as const, scope: 'stack' as const, file: `layer${i}`, line: 1, column: 1},
			})),
		),
	);

describe('expand', () => {
	it('substitutes, with the first layer winning', () => {
		expect(expand('${A}-${B}', scope([{A: 'flag'}, {A: 'stack', B: 'b'}]))).toMatchObject({ok: true, value: 'flag-b'});
	});

	it('uses :- defaults only when the variable is undefined', () => {
		expect(expand('${A:-x}', scope([{}]))).toMatchObject({ok: true, value: 'x'});
		expect(expand('${A:-x}', scope([{A: ''}]))).toMatchObject({ok: true, value: ''});
		expect(expand('${A:-${B:-deep}}', scope([{}]))).toMatchObject({ok: true, value: 'deep'});
	});

	it('keeps $${…} as a literal and lone dollars as they are', () => {
		expect(expand('$${A} costs $5', scope([{A: 'x'}]))).toMatchObject({ok: true, value: '${A} costs $5'});
	});

	it('expands variables inside variables, and reports loops', () => {
		expect(expand('${URL}', scope([{URL: 'https://${HOST}', HOST: 'example.com'}]))).toMatchObject({
			ok: true,
			value: 'https://example.com',
		});
		expect(expand('${A}', scope([{A: '${B}', B: '${A}'}]))).toMatchObject({
			ok: false,
			code: 'invalid-variable',
			problem: 'variable loop: A → B → A',
		});
	});

	it('stops a value that doubles at every level at the scalar limit, recording each variable once', () => {
		const doubling: Record<string, string> = {V17: 'xy'};
		for (let i = 0; i < 17; i++) doubling[`V${i}`] = `\${V${i + 1}}\${V${i + 1}}`;
		expect(expand('${V0}', scope([doubling]))).toEqual({
			ok: false,
			code: 'expansion-too-large',
			problem: '${V1} expands to more than 65,536 characters',
		});
		const ten = expand('${V8}', scope([doubling]));
		expect(ten.ok && ten.value.length).toBe(2 ** 10);
		expect(ten.ok && ten.uses.map((u) => u.name)).toEqual(['V8', 'V9', 'V10', 'V11', 'V12', 'V13', 'V14', 'V15', 'V16', 'V17']);
	});

	it('refuses references nested deeper than the limit, through variables or :- defaults', () => {
		const chain: Record<string, string> = {C40: 'end'};
		for (let i = 0; i < 40; i++) chain[`C${i}`] = `\${C${i + 1}}`;
		expect(expand('${C0}', scope([chain]))).toMatchObject({
			ok: false,
			code: 'invalid-variable',
			problem: expect.stringMatching(/^variables nest more than 32 deep: C0 → C1 → C2 → … → C32$/),
		});
		expect(expand('${C20}', scope([chain]))).toMatchObject({ok: true, value: 'end'});
		const defaults = `${'${U:-'.repeat(40)}x${'}'.repeat(40)}`;
		expect(expand(defaults, scope([{}]))).toMatchObject({
			ok: false,
			code: 'invalid-variable',
			problem: expect.stringMatching(/^":-" defaults nest more than 32 deep/),
		});
	});

	it('rejects malformed references', () => {
		expect(expand('${A', scope([{}]))).toMatchObject({ok: false, code: 'invalid-variable'});
		expect(expand('${A-B}', scope([{}]))).toMatchObject({ok: false, code: 'invalid-variable'});
		expect(expand('${MISSING}', scope([{}]))).toMatchObject({ok: false, code: 'unresolved-variable', problem: 'MISSING'});
	});

	it('records every variable used, with its origin', () => {
		const result = expand('${A}/${B:-d}', scope([{A: 'a'}]));
		expect(result.ok && result.uses.map((u) => [u.name, u.value, u.origin.type])).toEqual([
			['A', 'a', 'file'],
			['B', 'd', 'default'],
		]);
	});
});

describe('interpolateTree', () => {
	it('works on parsed scalars only, so a value cannot inject structure', () => {
		const result = interpolateTree({a: '${V}', list: ['${V}', 3]}, scope([{V: 'x\ninjected: true'}]), ['spec']);
		expect(result.value).toEqual({a: 'x\ninjected: true', list: ['x\ninjected: true', 3]});
		expect([...result.interpolations.keys()]).toHaveLength(2);
	});

	it('reports each unresolved variable at its path and leaves the value as written', () => {
		const result = interpolateTree({a: {b: '${NOPE}'}}, scope([{NOPE2: 'x'}]), ['spec']);
		expect(result.problems).toMatchObject([{path: ['spec', 'a', 'b'], code: 'unresolved-variable'}]);
		expect(result.value).toEqual({a: {b: '${NOPE}'}});
	});
});
