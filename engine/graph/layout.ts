/**
 * Where each node and edge of the dependency graph goes, in character cells: the one layout the
 * terminal drawing (draw.ts) and the SVG/HTML export (picture.ts) share.
 *
 * Invariants:
 * - Pure and deterministic: the same Dag, scope and options give the same layout. Coordinates come
 *   from dagre (a layered, crossing-minimising layout), loaded on the first layout; only the
 *   rounding to cells and the edge routing are ours.
 * - Dependencies are left of their dependents: an edge is laid out from the dependency (its `to`)
 *   to the dependent (its `from`), and its polyline ends on the cell just left of the dependent's
 *   box, where the arrowhead goes.
 * - Everything is in the first quadrant: boxes and polylines lie in [0, width) × [0, height).
 * - Boxes never overlap; edge polylines are orthogonal (each step changes x or y, not both) and
 *   make their vertical runs in the gaps between the columns of boxes.
 * - A self-edge is not routed: its node is marked `selfLoop` (and is cyclic in the Dag).
 * - Above `fastOrderingAbove` nodes the crossing minimisation runs one pass instead of its full
 *   search and ranks come from a tight tree instead of network simplex (both measured in
 *   bench/graph-bench.tsx: together about half the time on a 500-component stack).
 */
import {createRequire} from 'node:module';
import type {default as Dagre, Graph} from '@dagrejs/dagre';
import {printable} from '../terminal-text.js';
import type {Dag, DagNode, MergedEdge} from './dag.js';

/** What an edge means, as the legend names it. */
export type EdgeKind = 'valueFrom' | 'trigger' | 'subscription' | 'target' | 'dependsOn';

/** Every kind, in the order the legend lists them (and the order that wins when an edge has several). */
export const edgeKinds: readonly EdgeKind[] = ['valueFrom', 'trigger', 'subscription', 'target', 'dependsOn'];

/** The kind of one edge label: `valueFrom api-db.endpoint`, `sqs trigger`, `subscription`, `target`, `dependsOn`, `service a → b`. */
export function edgeKindOf(label: string): EdgeKind {
	if (label.startsWith('valueFrom')) return 'valueFrom';
	if (label.endsWith('trigger')) return 'trigger';
	if (label === 'subscription') return 'subscription';
	if (label === 'target') return 'target';
	return 'dependsOn';
}

export interface Point {
	x: number;
	y: number;
}

export interface LaidOutNode {
	id: string;
	address: string;
	kind: string;
	service: string;
	/** The name as drawn: printable, cut to `maxLabel` characters. */
	label: string;
	left: number;
	top: number;
	width: number;
	height: number;
	cyclic: boolean;
	critical: boolean;
	selfLoop: boolean;
}

export interface LaidOutEdge {
	/** The dependent (as in the Dag). */
	from: string;
	/** Its dependency. */
	to: string;
	/** The first of `kinds` in legend order. */
	kind: EdgeKind;
	kinds: EdgeKind[];
	labels: readonly string[];
	/** From the dependency's right side to the cell before the dependent's box (the arrowhead). */
	points: Point[];
	critical: boolean;
	cyclic: boolean;
	/** Bounding box of the polyline, inclusive. */
	bounds: {left: number; top: number; right: number; bottom: number};
}

export interface GraphLayout {
	width: number;
	height: number;
	/** Ordered by address. */
	nodes: LaidOutNode[];
	nodeById: ReadonlyMap<string, LaidOutNode>;
	/** In the Dag's edge order. */
	edges: LaidOutEdge[];
	compact: boolean;
	/** Cells before the name for the box's marker (a plan symbol is up to three: `-/+`). */
	markerWidth: number;
}

export interface LayoutOptions {
	/** Lay out only these nodes and the edges between them (a neighbourhood); default every node. */
	ids?: Iterable<string>;
	/** One-row boxes `[name]` without the kind, for narrow terminals. */
	compact?: boolean;
	/** Cells for the marker before the name; default 1. */
	markerWidth?: number;
}

/** Longest name drawn in a box; longer names are cut with `…`. */
export const maxLabel = 28;
/** Above this many nodes the crossing minimisation makes one pass (see the module header). */
export const fastOrderingAbove = 200;

/** Rows of a full box: border, name, kind, border. */
const boxHeight = 4;
const rankSep = 6;
const nodeSep = 1;

let dagreModule: typeof Dagre | undefined;

/** dagre, loaded on the first layout: the engine's entry (index.ts) stays cheap for commands that draw nothing. */
function dagre(): typeof Dagre {
	dagreModule ??= createRequire(import.meta.url)('@dagrejs/dagre') as typeof Dagre;
	return dagreModule;
}

export function nodeLabel(node: DagNode): string {
	const name = printable(node.id);
	return name.length > maxLabel ? `${name.slice(0, maxLabel - 1)}…` : name;
}

/** Box size in cells: `│● name │` (marker, space, name, one space of padding) or `[● name]` when compact. */
function boxSize(node: DagNode, compact: boolean, markerWidth: number): {width: number; height: number} {
	const label = nodeLabel(node);
	if (compact) return {width: label.length + markerWidth + 3, height: 1};
	return {width: Math.max(label.length + markerWidth + 4, printable(node.kind).length + 5), height: boxHeight};
}

export function layoutGraph(dag: Dag, options: LayoutOptions = {}): GraphLayout {
	const compact = options.compact ?? false;
	const markerWidth = Math.max(1, options.markerWidth ?? 1);
	const scope = options.ids ? new Set(options.ids) : undefined;
	const nodes = [...dag.nodes.values()].filter((n) => !scope || scope.has(n.id));
	const inScope = new Set(nodes.map((n) => n.id));
	const edges = dag.edges.filter((e) => inScope.has(e.from) && inScope.has(e.to));

	const large = nodes.length > fastOrderingAbove;
	const g = new (dagre().graphlib.Graph)({multigraph: false});
	g.setGraph({
		rankdir: 'LR',
		nodesep: nodeSep,
		ranksep: rankSep,
		edgesep: 1,
		marginx: 0,
		marginy: 0,
		ranker: large ? 'tight-tree' : 'network-simplex',
	});
	g.setDefaultEdgeLabel(() => ({}));
	for (const node of nodes) g.setNode(node.id, boxSize(node, compact, markerWidth));
	for (const edge of edges) if (edge.from !== edge.to) g.setEdge(edge.to, edge.from);
	dagre().layout(g, large ? {disableOptimalOrderHeuristic: true} : {});

	const critical = new Set(dag.criticalPath.ids);
	const criticalEdges = new Set<string>();
	for (let i = 1; i < dag.criticalPath.ids.length; i++) criticalEdges.add(pairKey(dag.criticalPath.ids[i]!, dag.criticalPath.ids[i - 1]!));
	const cyclicEdges = new Set<string>();
	for (const cycle of dag.cycles)
		for (let i = 0; i < cycle.length; i++) cyclicEdges.add(pairKey(cycle[i]!, cycle[(i + 1) % cycle.length]!));
	const selfLoops = new Set(edges.filter((e) => e.from === e.to).map((e) => e.from));

	const laidNodes: LaidOutNode[] = nodes.map((node) => {
		const box = g.node(node.id);
		return {
			id: node.id,
			address: node.address,
			kind: node.kind,
			service: node.service,
			label: nodeLabel(node),
			left: Math.round((box.x ?? 0) - box.width / 2),
			top: Math.round((box.y ?? 0) - box.height / 2),
			width: box.width,
			height: box.height,
			cyclic: dag.cyclic.has(node.id),
			critical: critical.has(node.id),
			selfLoop: selfLoops.has(node.id),
		};
	});
	const nodeById = new Map(laidNodes.map((n) => [n.id, n]));
	const columns = rankColumns(laidNodes, g);

	const laidEdges: LaidOutEdge[] = [];
	for (const edge of edges) {
		if (edge.from === edge.to) continue;
		const dependency = nodeById.get(edge.to)!;
		const dependent = nodeById.get(edge.from)!;
		const middle = (g.edge(edge.to, edge.from)?.points ?? []).slice(1, -1).map((p: Point) => ({x: Math.round(p.x), y: Math.round(p.y)}));
		const kinds = edgeKindsOf(edge);
		laidEdges.push({
			from: edge.from,
			to: edge.to,
			kind: kinds[0]!,
			kinds,
			labels: edge.labels,
			points: route(dependency, dependent, middle, columns),
			critical: criticalEdges.has(pairKey(edge.from, edge.to)),
			cyclic: cyclicEdges.has(pairKey(edge.from, edge.to)),
			bounds: {left: 0, top: 0, right: 0, bottom: 0},
		});
	}

	// Shift everything into the first quadrant (dagre may route a reversed edge above the top row).
	let minX = 0;
	let minY = 0;
	let maxX = 0;
	let maxY = 0;
	for (const n of laidNodes) {
		minX = Math.min(minX, n.left);
		minY = Math.min(minY, n.top);
		maxX = Math.max(maxX, n.left + n.width);
		maxY = Math.max(maxY, n.top + n.height);
	}
	for (const e of laidEdges)
		for (const p of e.points) {
			minX = Math.min(minX, p.x);
			minY = Math.min(minY, p.y);
			maxX = Math.max(maxX, p.x + 1);
			maxY = Math.max(maxY, p.y + 1);
		}
	for (const n of laidNodes) {
		n.left -= minX;
		n.top -= minY;
	}
	for (const e of laidEdges) {
		for (const p of e.points) {
			p.x -= minX;
			p.y -= minY;
		}
		e.bounds = boundsOf(e.points);
	}
	return {width: maxX - minX, height: maxY - minY, nodes: laidNodes, nodeById, edges: laidEdges, compact, markerWidth};
}

function pairKey(from: string, to: string): string {
	return `${from}\u0000${to}`;
}

function edgeKindsOf(edge: MergedEdge): EdgeKind[] {
	const found = new Set(edge.labels.map(edgeKindOf));
	return edgeKinds.filter((k) => found.has(k));
}

/** The column span [left, right) of each dagre rank's boxes. */
function rankColumns(nodes: readonly LaidOutNode[], g: Graph): Array<{left: number; right: number}> {
	const byRank = new Map<number, {left: number; right: number}>();
	for (const n of nodes) {
		const rank = (g.node(n.id).rank as number | undefined) ?? 0;
		const span = byRank.get(rank);
		if (span) {
			span.left = Math.min(span.left, n.left);
			span.right = Math.max(span.right, n.left + n.width);
		} else byRank.set(rank, {left: n.left, right: n.left + n.width});
	}
	return [...byRank.values()];
}

function inGap(x: number, columns: ReadonlyArray<{left: number; right: number}>): boolean {
	return !columns.some((c) => x >= c.left && x < c.right);
}

/**
 * An orthogonal polyline through dagre's bend points: out of the dependency's right side at its
 * middle row, into the cell before the dependent's box at its middle row. A change of row happens
 * on a column in a gap between boxes: at the first point of the pair if it is in a gap, else at
 * the second, else half-way.
 */
function route(
	dependency: LaidOutNode,
	dependent: LaidOutNode,
	middle: Point[],
	columns: ReadonlyArray<{left: number; right: number}>,
): Point[] {
	const start = {x: dependency.left + dependency.width, y: dependency.top + Math.floor(dependency.height / 2)};
	const end = {x: dependent.left - 1, y: dependent.top + Math.floor(dependent.height / 2)};
	// A forward edge keeps the bends between its ends; a cycle's back edge keeps them all (it goes round).
	const stops = [start, ...(start.x < end.x ? middle.filter((p) => p.x > start.x && p.x < end.x) : middle), end];
	const out: Point[] = [start];
	for (let i = 1; i < stops.length; i++) {
		const a = stops[i - 1]!;
		const b = stops[i]!;
		if (a.y !== b.y) {
			const bend = inGap(a.x, columns) ? a.x : i < stops.length - 1 && inGap(b.x, columns) ? b.x : Math.round((a.x + b.x) / 2);
			out.push({x: bend, y: a.y}, {x: bend, y: b.y});
		}
		out.push({x: b.x, y: b.y});
	}
	return simplify(out);
}

/** Drops repeated points and points in the middle of a straight run. */
function simplify(points: Point[]): Point[] {
	const out: Point[] = [];
	for (const p of points) {
		const last = out.at(-1);
		if (last && last.x === p.x && last.y === p.y) continue;
		const before = out.at(-2);
		if (before && last && ((before.x === last.x && last.x === p.x) || (before.y === last.y && last.y === p.y))) out[out.length - 1] = p;
		else out.push(p);
	}
	return out;
}

function boundsOf(points: readonly Point[]): LaidOutEdge['bounds'] {
	let left = Number.POSITIVE_INFINITY;
	let top = Number.POSITIVE_INFINITY;
	let right = Number.NEGATIVE_INFINITY;
	let bottom = Number.NEGATIVE_INFINITY;
	for (const p of points) {
		left = Math.min(left, p.x);
		top = Math.min(top, p.y);
		right = Math.max(right, p.x);
		bottom = Math.max(bottom, p.y);
	}
	return {left, top, right, bottom};
}
