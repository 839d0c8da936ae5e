import {describe, expect, it} from 'vitest';
import {buildDag, cycleEdges, type DagEdge, type DagNode} from '../../../engine/graph/dag.js';

function node(id: string, weight = 10, service = 'app', kind = 'Lambda'): DagNode {
	return {id, address: `${service}/${id}`, kind, service, weight};
}

function edge(from: string, to: string, label = 'dependsOn', line?: number): DagEdge {
	return line === undefined ? {from, to, label} : {from, to, label, position: {file: `services/app/${from}.yaml`, line, column: 3}};
}

/** vpc ← db, cache ← api: the smallest graph with a join. */
const diamondNodes = [node('api'), node('db'), node('cache'), node('vpc')];
const diamondEdges = [edge('api', 'db'), edge('api', 'cache'), edge('db', 'vpc'), edge('cache', 'vpc')];

describe('buildDag: direction and neighbours', () => {
	const dag = buildDag(diamondNodes, diamondEdges);

	it('an edge goes from the dependent to its dependency', () => {
		expect(dag.dependenciesOf('api')).toEqual(['cache', 'db']);
		expect(dag.dependentsOf('vpc')).toEqual(['cache', 'db']);
		expect(dag.dependenciesOf('vpc')).toEqual([]);
		expect(dag.dependentsOf('api')).toEqual([]);
	});

	it('an unknown id has no neighbours rather than throwing', () => {
		expect(dag.dependenciesOf('nope')).toEqual([]);
		expect(dag.dependentsOf('nope')).toEqual([]);
		expect(dag.upstreamOf('nope')).toEqual([]);
		expect(dag.levelOf('nope')).toBeUndefined();
	});

	it('upstream is every transitive dependency with its shortest depth and the nodes it is reached through', () => {
		expect(dag.upstreamOf('api')).toEqual([
			{id: 'cache', depth: 1, via: ['api']},
			{id: 'db', depth: 1, via: ['api']},
			{id: 'vpc', depth: 2, via: ['cache', 'db']},
		]);
		expect(dag.upstreamOf('api', 1).map((r) => r.id)).toEqual(['cache', 'db']);
	});

	it('downstream is every transitive dependent', () => {
		expect(dag.downstreamOf('vpc')).toEqual([
			{id: 'cache', depth: 1, via: ['vpc']},
			{id: 'db', depth: 1, via: ['vpc']},
			{id: 'api', depth: 2, via: ['cache', 'db']},
		]);
	});
});

describe('buildDag: order and levels', () => {
	it('levels a diamond: no dependencies first, then 1 + the highest level of the dependencies', () => {
		const dag = buildDag(diamondNodes, diamondEdges);
		expect(dag.levels).toEqual([['vpc'], ['cache', 'db'], ['api']]);
		expect(dag.levelOf('api')).toBe(2);
		expect(dag.order).toEqual(['vpc', 'cache', 'db', 'api']);
		expect(dag.cycles).toEqual([]);
	});

	it('a level is the longest way down, not the shortest', () => {
		// api depends on vpc directly and through db: it must wait for db.
		const dag = buildDag([node('api'), node('db'), node('vpc')], [edge('api', 'vpc'), edge('api', 'db'), edge('db', 'vpc')]);
		expect(dag.levels).toEqual([['vpc'], ['db'], ['api']]);
	});

	it('breaks ties by address, not by id or input order', () => {
		const nodes = [
			{...node('a'), address: 'zeta/a', service: 'zeta'},
			{...node('z'), address: 'alpha/z', service: 'alpha'},
		];
		const dag = buildDag(nodes, []);
		expect(dag.order).toEqual(['z', 'a']);
		expect(dag.levels).toEqual([['z', 'a']]);
	});

	it('is the same whatever order nodes and edges come in', () => {
		const a = buildDag(diamondNodes, diamondEdges);
		const b = buildDag([...diamondNodes].reverse(), [...diamondEdges].reverse());
		expect(b.order).toEqual(a.order);
		expect(b.levels).toEqual(a.levels);
		expect(b.edges).toEqual(a.edges);
		expect(b.criticalPath).toEqual(a.criticalPath);
	});

	it('keeps the first of two nodes with the same id (the caller reports the duplicate)', () => {
		const dag = buildDag([node('db', 5, 'one'), node('db', 5, 'two')], []);
		expect(dag.nodes.size).toBe(1);
		expect(dag.nodes.get('db')?.service).toBe('one');
	});
});

describe('buildDag: edges', () => {
	it('merges duplicate edges between the same pair, keeping every label and the first position', () => {
		const dag = buildDag(
			[node('api'), node('db')],
			[
				edge('api', 'db', 'dependsOn'),
				edge('api', 'db', 'valueFrom db.endpoint', 12),
				edge('api', 'db', 'valueFrom db.port', 14),
				edge('api', 'db', 'dependsOn', 20),
			],
		);
		expect(dag.edges).toEqual([
			{
				from: 'api',
				to: 'db',
				label: 'dependsOn, valueFrom db.endpoint, valueFrom db.port',
				labels: ['dependsOn', 'valueFrom db.endpoint', 'valueFrom db.port'],
				position: {file: 'services/app/api.yaml', line: 12, column: 3},
			},
		]);
		expect(dag.edge('api', 'db')?.labels).toHaveLength(3);
		expect(dag.edge('db', 'api')).toBeUndefined();
	});

	it('ignores edges whose endpoints are unknown and hands them back for reporting', () => {
		const ghost = edge('api', 'ghost', 'dependsOn', 7);
		const dag = buildDag([node('api'), node('db')], [edge('api', 'db'), ghost, edge('phantom', 'db')]);
		expect(dag.edges.map((e) => [e.from, e.to])).toEqual([['api', 'db']]);
		expect(dag.unknownEdges).toEqual([ghost, edge('phantom', 'db')]);
		expect(dag.dependenciesOf('api')).toEqual(['db']);
		expect(dag.order).toEqual(['db', 'api']);
	});
});

describe('buildDag: cycles', () => {
	// a → b → c → a, declared starting from b; d depends on the loop; e stands alone.
	const nodes = [node('a'), node('b'), node('c'), node('d'), node('e')];
	const edges = [edge('b', 'c', 'dependsOn', 4), edge('c', 'a', 'valueFrom a.arn', 9), edge('a', 'b', 'dependsOn', 2), edge('d', 'a')];
	const dag = buildDag(nodes, edges);

	it('reports a 3-node cycle as the whole loop in edge order, starting at its first member by address', () => {
		expect(dag.cycles).toEqual([['a', 'b', 'c']]);
		expect([...dag.cyclic].sort()).toEqual(['a', 'b', 'c']);
	});

	it('gives the edges around the loop, each with the place it is declared', () => {
		const loop = cycleEdges(dag, dag.cycles[0]!);
		expect(loop.map((e) => `${e.from}→${e.to} ${e.labels.join()} :${e.position?.line}`)).toEqual([
			'a→b dependsOn :2',
			'b→c dependsOn :4',
			'c→a valueFrom a.arn :9',
		]);
	});

	it('leaves cycle members out of order and levels, but still orders what depends on them', () => {
		expect(dag.order).toEqual(['d', 'e']);
		expect(dag.levels).toEqual([['d', 'e']]);
		expect(dag.levelOf('a')).toBeUndefined();
		expect(dag.criticalPath.ids).not.toContain('a');
	});

	it('treats a self-edge as a cycle of one', () => {
		const self = buildDag([node('x'), node('y')], [edge('x', 'x', 'dependsOn', 3), edge('y', 'x')]);
		expect(self.cycles).toEqual([['x']]);
		expect(self.cyclic.has('x')).toBe(true);
		expect(cycleEdges(self, ['x']).map((e) => e.position?.line)).toEqual([3]);
		expect(self.order).toEqual(['y']);
	});

	it('names every member of a tangled component in some loop', () => {
		// Figure eight through a: a → b → a and a → c → a.
		const eight = buildDag([node('a'), node('b'), node('c')], [edge('a', 'b'), edge('b', 'a'), edge('a', 'c'), edge('c', 'a')]);
		expect(eight.cycles).toEqual([
			['a', 'b'],
			['a', 'c'],
		]);
		for (const cycle of eight.cycles) expect(cycleEdges(eight, cycle)).toHaveLength(cycle.length);
	});

	it('reports separate loops separately', () => {
		const two = buildDag([node('a'), node('b'), node('c'), node('d')], [edge('a', 'b'), edge('b', 'a'), edge('d', 'c'), edge('c', 'd')]);
		expect(two.cycles).toEqual([
			['a', 'b'],
			['c', 'd'],
		]);
	});
});

describe('buildDag: critical path', () => {
	it('picks the heaviest chain, not the longest by count, ordered first-to-create to last', () => {
		// Four quick steps: one ← two ← three ← four (4 s); two slow ones: cluster ← service (1200 s).
		const dag = buildDag(
			[node('one', 1), node('two', 1), node('three', 1), node('four', 1), node('cluster', 900), node('service', 300)],
			[edge('two', 'one'), edge('three', 'two'), edge('four', 'three'), edge('service', 'cluster')],
		);
		expect(dag.criticalPath).toEqual({ids: ['cluster', 'service'], seconds: 1200});
	});

	it('follows the heavy branch through a join', () => {
		const dag = buildDag([node('api', 30), node('db', 600), node('cache', 300), node('vpc', 60)], diamondEdges);
		expect(dag.criticalPath).toEqual({ids: ['vpc', 'db', 'api'], seconds: 690});
	});

	it('prefers the longer chain when weights tie, and counts bad weights as zero', () => {
		const dag = buildDag([node('a', 0), node('b', Number.NaN), node('c', -5), node('d', 0)], [edge('b', 'a'), edge('c', 'b')]);
		expect(dag.criticalPath).toEqual({ids: ['a', 'b', 'c'], seconds: 0});
	});

	it('is empty for an empty graph', () => {
		const dag = buildDag([], []);
		expect(dag.criticalPath).toEqual({ids: [], seconds: 0});
		expect(dag.order).toEqual([]);
		expect(dag.levels).toEqual([]);
	});
});

describe('buildDag: size', () => {
	const n = 5000;
	const ids = Array.from({length: n}, (_, i) => `c${String(i).padStart(4, '0')}`);

	it('handles a 5,000-node chain without overflowing the stack', () => {
		const dag = buildDag(
			ids.map((id) => node(id, 1)),
			ids.slice(1).map((id, i) => edge(id, ids[i]!)),
		);
		expect(dag.order).toEqual(ids);
		expect(dag.levels).toHaveLength(n);
		expect(dag.criticalPath.ids).toEqual(ids);
		expect(dag.criticalPath.seconds).toBe(n);
		expect(dag.upstreamOf(ids[n - 1]!)).toHaveLength(n - 1);
		expect(dag.cycles).toEqual([]);
	});

	it('finds a 5,000-node loop as one cycle in order', () => {
		const dag = buildDag(
			ids.map((id) => node(id, 1)),
			ids.map((id, i) => edge(id, ids[(i + 1) % n]!)),
		);
		expect(dag.cycles).toEqual([ids]);
		expect(dag.order).toEqual([]);
	});
});
