/**
 * diffInputs: one entry per changed leaf, lists keyed by name/id when they can be, value holders
 * and references as single values, and the replace/sensitive flags.
 */
import {describe, expect, it} from 'vitest';
import {diffInputs, type DiffRules} from '../../../engine/plan/diff.js';
import {redactSensitive} from '../../../engine/plan/inputs.js';
import {compilePathPattern, formatPath} from '../../../engine/plan/values.js';
import {redactedValue} from '../../../engine/state/state-document.js';

const plain: DiffRules = {replaceOn: [], sensitive: []};

describe('diffInputs', () => {
	it('finds nothing between equal values, treating undefined members as absent', () => {
		expect(diffInputs({a: 1, b: {c: [1, 2]}, d: undefined}, {b: {c: [1, 2]}, a: 1}, plain)).toEqual([]);
	});

	it('reports changed, added and removed leaves by path, desired order first', () => {
		expect(diffInputs({runtime: {cpu: 256, memory: 512}, old: true}, {runtime: {cpu: 256, memory: 1024}, fresh: 'x'}, plain)).toEqual([
			{path: 'runtime.memory', action: 'change', before: 512, after: 1024},
			{path: 'fresh', action: 'add', after: 'x'},
			{path: 'old', action: 'remove', before: true},
		]);
	});

	it('a whole new subtree is one entry', () => {
		expect(diffInputs({}, {deadLetterQueue: {enabled: true, maxReceiveCount: 3}}, plain)).toEqual([
			{path: 'deadLetterQueue', action: 'add', after: {enabled: true, maxReceiveCount: 3}},
		]);
	});

	it('keys lists of named items by name: insertion is one add, reordering is nothing', () => {
		const before = {
			environment: [
				{name: 'A', value: '1'},
				{name: 'B', value: '2'},
			],
		};
		const after = {
			environment: [
				{name: 'B', value: '2'},
				{name: 'NEW', value: 'x'},
				{name: 'A', value: '9'},
			],
		};
		expect(diffInputs(before, after, plain)).toEqual([
			{path: 'environment[NEW]', action: 'add', after: {value: 'x'}},
			{path: 'environment[A]', action: 'change', before: {value: '1'}, after: {value: '9'}},
		]);
		expect(diffInputs(before, {environment: [...before.environment].reverse()}, plain)).toEqual([]);
	});

	it('keys by id when items have no name, and descends into keyed items', () => {
		const rule = (days: number) => ({id: 'archive', expiration: {days}});
		expect(diffInputs({lifecycle: [rule(30)]}, {lifecycle: [rule(60)]}, plain)).toEqual([
			{path: 'lifecycle[archive].expiration.days', action: 'change', before: 30, after: 60},
		]);
	});

	it('uses indexes for other lists of objects, and treats lists of scalars as one value', () => {
		expect(
			diffInputs({triggers: [{type: 'sqs', batchSize: 10}]}, {triggers: [{type: 'sqs', batchSize: 5}, {type: 'eventbridge'}]}, plain),
		).toEqual([
			{path: 'triggers[0].batchSize', action: 'change', before: 10, after: 5},
			{path: 'triggers[1]', action: 'add', after: {type: 'eventbridge'}},
		]);
		expect(diffInputs({methods: ['GET']}, {methods: ['GET', 'PUT']}, plain)).toEqual([
			{path: 'methods', action: 'change', before: ['GET'], after: ['GET', 'PUT']},
		]);
	});

	it('compares a valueFrom as a reference, and a value turned into a reference as one change', () => {
		const ref = (component: string) => ({valueFrom: {component, output: 'endpoint'}});
		expect(diffInputs({env: {DB: ref('db')}}, {env: {DB: ref('db')}}, plain)).toEqual([]);
		expect(diffInputs({env: {DB: ref('db')}}, {env: {DB: ref('db2')}}, plain)).toEqual([
			{path: 'env.DB', action: 'change', before: ref('db'), after: ref('db2')},
		]);
		expect(diffInputs({env: {DB: {value: 'localhost'}}}, {env: {DB: ref('db')}}, plain)).toEqual([
			{path: 'env.DB', action: 'change', before: {value: 'localhost'}, after: ref('db')},
		]);
	});

	it('quotes keys that are not plain identifiers', () => {
		expect(diffInputs({tags: {'panka:env': 'a'}}, {tags: {'panka:env': 'b'}}, plain)[0]?.path).toBe('tags["panka:env"]');
		expect(formatPath([{key: 'items'}, {item: 'has space'}, {index: 2}])).toBe('items["has space"][2]');
	});

	it('flags fields at or below a replaceOn path, and a parent swapped with a different value there', () => {
		const rules: DiffRules = {replaceOn: ['hashKey', 'engine.type'], sensitive: []};
		expect(diffInputs({hashKey: {name: 'a', type: 'S'}}, {hashKey: {name: 'b', type: 'S'}}, rules)).toEqual([
			{path: 'hashKey.name', action: 'change', before: 'a', after: 'b', forcesReplace: true},
		]);
		expect(
			diffInputs({engine: {type: 'postgres', version: '15'}}, {engine: {type: 'postgres', version: '16'}}, rules)[0]?.forcesReplace,
		).toBeUndefined();
		expect(diffInputs({}, {engine: {type: 'mysql'}}, rules)).toEqual([
			{path: 'engine', action: 'add', after: {type: 'mysql'}, forcesReplace: true},
		]);
	});

	it('marks entries under sensitive paths; their values are the redacted marker', () => {
		const sensitive = [compilePathPattern('environment.*PASSWORD*')];
		const before = redactSensitive({environment: [{name: 'ENV', value: 'prod'}]}, sensitive).value;
		const after = redactSensitive(
			{
				environment: [
					{name: 'ENV', value: 'prod'},
					{name: 'DB_PASSWORD', value: 's3cret'},
				],
			},
			sensitive,
		).value;
		expect(diffInputs(before, after, {replaceOn: [], sensitive})).toEqual([
			{path: 'environment[DB_PASSWORD]', action: 'add', after: {value: redactedValue}, sensitive: true},
		]);
	});
});

describe('redactSensitive', () => {
	const patterns = ['environment.*TOKEN*', 'database.password'].map(compilePathPattern);

	it('hides scalars at and below matching paths, keeping item keys and references', () => {
		const input = {
			environment: [
				{name: 'api_token', value: 'abc'},
				{name: 'TOKEN_URL', valueFrom: {component: 'auth', output: 'url'}},
				{name: 'PLAIN', value: 'visible'},
			],
			database: {password: {nested: ['x', 1]}, name: 'app'},
		};
		const {value, hidden} = redactSensitive(input, patterns);
		expect(value).toEqual({
			environment: [
				{name: 'api_token', value: redactedValue},
				{name: 'TOKEN_URL', valueFrom: {component: 'auth', output: 'url'}},
				{name: 'PLAIN', value: 'visible'},
			],
			database: {password: {nested: [redactedValue, redactedValue]}, name: 'app'},
		});
		expect(hidden).toEqual(['environment[api_token]', 'database.password']);
		expect(input.environment[0]?.value).toBe('abc'); // the input is never mutated
	});

	it('returns the value itself when nothing matches', () => {
		const input = {environment: {PLAIN: {value: 'x'}}};
		expect(redactSensitive(input, patterns).value).toBe(input);
		expect(redactSensitive(input, []).value).toBe(input);
	});
});
