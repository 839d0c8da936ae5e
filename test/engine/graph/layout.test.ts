import {describe, expect, it} from 'vitest';
import {buildDag, type Dag} from '../../../engine/graph/dag.js';
import {edgeKindOf, type GraphLayout, layoutGraph, maxLabel} from '../../../engine/graph/layout.js';
import {cycleDag, loadDemo, loadGenerated} from './graph-fixtures.js';

function overlaps(a: {left: number; top: number; width: number; height: number}, b: typeof a): boolean {
	return a.left < b.left + b.width && b.left < a.left + a.width && a.top < b.top + b.height && b.top < a.top + a.height;
}

/** The invariants of the module header, checked on any layout. */
function expectWellFormed(layout: GraphLayout, dag: Dag): void {
	for (const [i, a] of layout.nodes.entries()) {
		expect(a.left).toBeGreaterThanOrEqual(0);
		expect(a.top).toBeGreaterThanOrEqual(0);
		expect(a.left + a.width).toBeLessThanOrEqual(layout.width);
		expect(a.top + a.height).toBeLessThanOrEqual(layout.height);
		for (const b of layout.nodes.slice(i + 1)) expect(overlaps(a, b), `${a.id} overlaps ${b.id}`).toBe(false);
	}
	for (const edge of layout.edges) {
		const dependency = layout.nodeById.get(edge.to)!;
		const dependent = layout.nodeById.get(edge.from)!;
		const first = edge.points[0]!;
		const last = edge.points.at(-1)!;
		expect(first).toEqual({x: dependency.left + dependency.width, y: dependency.top + Math.floor(dependency.height / 2)});
		expect(last).toEqual({x: dependent.left - 1, y: dependent.top + Math.floor(dependent.height / 2)});
		for (let i = 1; i < edge.points.length; i++) {
			const a = edge.points[i - 1]!;
			const b = edge.points[i]!;
			expect(a.x === b.x || a.y === b.y, `${edge.from} → ${edge.to} is orthogonal`).toBe(true);
		}
		for (const p of edge.points) {
			expect(p.x).toBeGreaterThanOrEqual(0);
			expect(p.y).toBeGreaterThanOrEqual(0);
			expect(p.x).toBeLessThan(layout.width);
			expect(p.y).toBeLessThan(layout.height);
		}
		if (!dag.cyclic.has(edge.from) && !dag.cyclic.has(edge.to))
			expect(dependency.left + dependency.width, `${edge.to} is left of ${edge.from}`).toBeLessThan(dependent.left);
	}
}

describe('edge kinds', () => {
	it.each([
		['valueFrom api-db.endpoint', 'valueFrom'],
		['sqs trigger', 'trigger'],
		['subscription', 'subscription'],
		['target', 'target'],
		['dependsOn', 'dependsOn'],
		['service api → worker', 'dependsOn'],
	] as const)('%s is a %s edge', (label, kind) => {
		expect(edgeKindOf(label)).toBe(kind);
	});
});

describe('layoutGraph', () => {
	it('lays out the demo stack: every component once, dependencies left of dependents, no box over another', async () => {
		const {graph} = await loadDemo();
		const layout = layoutGraph(graph);
		expect(layout.nodes.map((n) => n.id).sort()).toEqual([...graph.nodes.keys()].sort());
		expect(layout.edges).toHaveLength(graph.edges.length);
		expectWellFormed(layout, graph);
		const apiServer = layout.edges.find((e) => e.from === 'api-server' && e.to === 'api-db')!;
		expect(apiServer.kinds).toEqual(['valueFrom', 'dependsOn']);
		expect(apiServer.kind).toBe('valueFrom');
		expect(apiServer.critical).toBe(true);
	});

	it('keeps a cycle drawable: members marked, the self-edge not routed but marked on its node', () => {
		const dag = cycleDag();
		const layout = layoutGraph(dag);
		expectWellFormed(layout, dag);
		expect(layout.nodes.filter((n) => n.cyclic).map((n) => n.id)).toEqual(['a', 'b', 'c', 'd']);
		expect(layout.nodeById.get('d')!.selfLoop).toBe(true);
		expect(layout.edges.map((e) => `${e.from}→${e.to}`)).not.toContain('d→d');
		expect(layout.edges.filter((e) => e.cyclic).map((e) => `${e.from}→${e.to}`)).toEqual(['a→b', 'b→c', 'c→a']);
	});

	it('lays out only the scope it is given, and one-row boxes when compact', async () => {
		const {graph} = await loadDemo();
		const ids = ['api-server', ...graph.dependenciesOf('api-server')];
		const layout = layoutGraph(graph, {ids, compact: true});
		expect(layout.nodes.map((n) => n.id).sort()).toEqual([...ids].sort());
		expect(layout.edges.every((e) => ids.includes(e.from) && ids.includes(e.to))).toBe(true);
		expect(layout.nodes.every((n) => n.height === 1 && n.width === n.label.length + 4)).toBe(true);
		expectWellFormed(layout, graph);
	});

	it('is deterministic and well formed on the 50-component stack', async () => {
		const {graph} = await loadGenerated(50);
		const layout = layoutGraph(graph);
		expectWellFormed(layout, graph);
		expect(JSON.stringify(layoutGraph(graph))).toBe(JSON.stringify(layout));
	});

	it('cuts long names and shows control characters escaped', () => {
		const id = `e-${'x'.repeat(40)}\u001b[2J`;
		const layout = layoutGraph(buildDag([{id, address: `s/${id}`, kind: 'S3', service: 's', weight: 1}], []));
		const label = layout.nodes[0]!.label;
		expect(label).toHaveLength(maxLabel);
		expect(label.endsWith('…')).toBe(true);
		expect(label).not.toContain('\u001b');
	});
});
