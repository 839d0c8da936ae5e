/** Canonical JSON: the same text for the same value, whatever order its keys were written in. */
import {describe, expect, it} from 'vitest';
import {canonicalJson} from '../../engine/canonical-json.js';

describe('canonicalJson', () => {
	it('sorts object keys at every depth and writes no whitespace', () => {
		expect(canonicalJson({b: 1, a: {d: [1, {f: 2, e: 3}], c: 'x'}})).toBe('{"a":{"c":"x","d":[1,{"e":3,"f":2}]},"b":1}');
		expect(canonicalJson({b: 1, a: 2})).toBe(canonicalJson({a: 2, b: 1}));
	});

	it('drops undefined members and writes undefined array elements as null, as JSON does', () => {
		expect(canonicalJson({a: undefined, b: [undefined, null]})).toBe('{"b":[null,null]}');
		expect(canonicalJson(undefined)).toBe('null');
	});
});
