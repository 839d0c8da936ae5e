/**
 * The dependency graph of a stack: which component must exist before which.
 *
 * Invariants:
 * - Edge direction: an edge goes `from` the dependent `to` its dependency ("api depends on db" is
 *   api → db). `dependenciesOf` follows edges, `dependentsOf` goes against them; `order`, `levels`
 *   and `criticalPath` list dependencies first (first-to-create to last).
 * - Pure and total: building never throws and never mutates its input. Edges whose endpoints are
 *   not nodes are set aside in `unknownEdges` (the caller reports them as `unknown-dependency`);
 *   a duplicate node id keeps its first occurrence (the caller reports `duplicate-component`).
 * - Duplicate edges between the same pair are merged into one edge that keeps every distinct label
 *   (in input order, in `labels`; joined with ', ' in `label`) and the first position given.
 * - Deterministic: nodes are ranked by address (then id) with plain code-unit comparison, never the
 *   locale; every list the graph hands out (dependencies, edges, order, levels, cycles, reach) is
 *   ordered by that rank, so the same stack gives the same output whatever the input order.
 * - Cycles: strongly connected components are found with an iterative Tarjan (no recursion, so a
 *   5,000-long chain cannot overflow the stack). A node in a cycle (an SCC of two or more nodes, or
 *   a node with a self-edge) is in `cyclic`, and is left out of `order`, `levels` and
 *   `criticalPath`. `cycles` names each loop in edge order, starting at its lowest-ranked member
 *   ([a, b, c] means a → b → c → a); every self-edge is a cycle of one; within a larger SCC the
 *   shortest loop through its lowest-ranked member is reported, then further loops until every
 *   member is named (at most `maxCyclesPerComponent` loops per SCC; `cyclic` is always complete).
 * - A node that is not in a cycle but depends on one is still ordered and levelled, as if its
 *   cyclic dependencies did not exist, so the rest of the graph stays visible while the cycle is
 *   being fixed.
 * - Linear time apart from sorting: ids are mapped to integer ranks once and all walks use arrays
 *   (the walks themselves live in walks.ts).
 */
import {breadthFirst, namedLoops, rankedTopologicalOrder, strongComponents} from './walks.js';

export interface DagNode {
	/** Component name, unique in the stack. */
	id: string;
	/** `service/component`. */
	address: string;
	kind: string;
	service: string;
	/** Typical create time in seconds, for the critical path. Negative or non-finite counts as 0. */
	weight: number;
}

export interface EdgePosition {
	file: string;
	line: number;
	column: number;
}

export interface DagEdge {
	/** The dependent. */
	from: string;
	/** Its dependency. */
	to: string;
	/** 'dependsOn' | 'valueFrom api-db.endpoint' | 'sqs trigger' | 'service api → worker' ... */
	label: string;
	/**
	 * Where the edge is declared. May be a getter: the graph never reads it while building, so a
	 * caller can compute positions lazily (only cycles and the workbench ask for them).
	 */
	position?: EdgePosition;
}

/** One edge of the graph after duplicates between the same pair were merged. */
export interface MergedEdge extends DagEdge {
	/** Every distinct label, joined with ', ' (for messages). */
	label: string;
	/** Every distinct label of the merged edges, in input order. */
	labels: readonly string[];
	/** The first position given among the merged edges. */
	position?: EdgePosition;
}

/** A node reached from another one by following edges (upstream) or going against them (downstream). */
export interface Reach {
	id: string;
	/** Number of edges on the shortest path from the starting node (1 = direct). */
	depth: number;
	/** The nodes one step nearer the starting node that lead to this one, by address. */
	via: string[];
}

export interface CriticalPath {
	/** First-to-create to last. Empty when the graph has no acyclic node. */
	ids: string[];
	/** Sum of the weights along the path. */
	seconds: number;
}

export interface Dag {
	readonly nodes: ReadonlyMap<string, DagNode>;
	/** Merged edges, ordered by the rank of `from`, then of `to`. */
	readonly edges: readonly MergedEdge[];
	/** Input edges whose `from` or `to` is not a node, in input order. */
	readonly unknownEdges: readonly DagEdge[];
	/** Direct dependencies, by address. Empty for an unknown id. */
	dependenciesOf(id: string): string[];
	/** Direct dependents, by address. Empty for an unknown id. */
	dependentsOf(id: string): string[];
	/** The merged edge from → to, if any. */
	edge(from: string, to: string): MergedEdge | undefined;
	/** Transitive dependencies with their depth, sorted by depth then address; the node itself is excluded. */
	upstreamOf(id: string, maxDepth?: number): Reach[];
	/** Transitive dependents with their depth, sorted by depth then address; the node itself is excluded. */
	downstreamOf(id: string, maxDepth?: number): Reach[];
	/** Each loop in edge order: [a, b, c] means a → b → c → a. */
	readonly cycles: readonly (readonly string[])[];
	/** Every node that is on some cycle (self-edges included). */
	readonly cyclic: ReadonlySet<string>;
	/** Topological order of the acyclic nodes, dependencies first; ties broken by address. */
	readonly order: readonly string[];
	/** Level 0 = no dependencies; level n = 1 + the highest level of its dependencies. Each level by address. */
	readonly levels: readonly (readonly string[])[];
	/** The level of an acyclic node, undefined for a node in a cycle or an unknown id. */
	levelOf(id: string): number | undefined;
	readonly criticalPath: CriticalPath;
}

/** Bound on the loops reported for one strongly connected component (keeps pathological tangles linear-ish). */
export const maxCyclesPerComponent = 32;

function compareNodes(a: DagNode, b: DagNode): number {
	if (a.address !== b.address) return a.address < b.address ? -1 : 1;
	if (a.id !== b.id) return a.id < b.id ? -1 : 1;
	return 0;
}

function cleanWeight(weight: number): number {
	return Number.isFinite(weight) && weight > 0 ? weight : 0;
}

export function buildDag(inputNodes: readonly DagNode[], inputEdges: readonly DagEdge[]): Dag {
	const {ranked, rankOf} = rankNodes(inputNodes);
	const n = ranked.length;
	const wiring = wireEdges(ranked, rankOf, inputEdges);
	const {deps, dependents, selfLoop} = wiring;

	const comp = strongComponents(n, deps);
	const compSize = new Int32Array(n);
	for (let v = 0; v < n; v++) compSize[comp[v]!]!++;
	const isCyclic = new Uint8Array(n);
	for (let v = 0; v < n; v++) if (selfLoop[v] || compSize[comp[v]!]! > 1) isCyclic[v] = 1;
	const toIds = (list: readonly number[]) => list.map((v) => ranked[v]!.id);
	const cycles = namedLoops(n, deps, comp, selfLoop, maxCyclesPerComponent).map(toIds);
	const cyclic = new Set<string>();
	for (let v = 0; v < n; v++) if (isCyclic[v]) cyclic.add(ranked[v]!.id);

	const orderRanks = rankedTopologicalOrder(n, deps, dependents, isCyclic);
	const {level, levels, criticalPath} = levelsAndCriticalPath(ranked, deps, isCyclic, orderRanks);

	const reach = (id: string, adjacency: number[][], maxDepth: number): Reach[] => {
		const start = rankOf.get(id);
		if (start === undefined) return [];
		return breadthFirst(start, adjacency, maxDepth).map((r) => ({id: ranked[r.v]!.id, depth: r.depth, via: toIds(r.via)}));
	};
	const byId = (id: string, lists: number[][]) => {
		const v = rankOf.get(id);
		return v === undefined ? [] : toIds(lists[v]!);
	};

	return {
		nodes: new Map(ranked.map((node) => [node.id, node])),
		edges: wiring.edges,
		unknownEdges: wiring.unknownEdges,
		dependenciesOf: (id) => byId(id, deps),
		dependentsOf: (id) => byId(id, dependents),
		edge: (from, to) => {
			const a = rankOf.get(from);
			const b = rankOf.get(to);
			return a === undefined || b === undefined ? undefined : wiring.edgeByKey.get(a * n + b);
		},
		upstreamOf: (id, maxDepth = Number.POSITIVE_INFINITY) => reach(id, deps, maxDepth),
		downstreamOf: (id, maxDepth = Number.POSITIVE_INFINITY) => reach(id, dependents, maxDepth),
		cycles,
		cyclic,
		order: toIds(orderRanks),
		levels: levels.map(toIds),
		levelOf: (id) => {
			const v = rankOf.get(id);
			return v === undefined || level[v]! < 0 ? undefined : level[v];
		},
		criticalPath: {ids: toIds(criticalPath.ranks), seconds: criticalPath.seconds},
	};
}

/** Nodes ranked by address (first occurrence of an id wins): rank order is the tie-break order everywhere. */
function rankNodes(inputNodes: readonly DagNode[]): {ranked: DagNode[]; rankOf: Map<string, number>} {
	const firstById = new Map<string, DagNode>();
	for (const node of inputNodes) if (!firstById.has(node.id)) firstById.set(node.id, node);
	const ranked = [...firstById.values()].sort(compareNodes);
	return {ranked, rankOf: new Map(ranked.map((node, i) => [node.id, i]))};
}

interface Wiring {
	edges: MergedEdge[];
	edgeByKey: Map<number, MergedEdge>;
	unknownEdges: DagEdge[];
	/** Per rank, its dependencies' ranks, ascending. */
	deps: number[][];
	/** Per rank, its dependents' ranks, ascending. */
	dependents: number[][];
	selfLoop: Uint8Array;
}

/** Edges merged per ordered pair (labels kept, first position kept), set aside when an end is unknown, and wired as adjacency lists. */
function wireEdges(ranked: readonly DagNode[], rankOf: ReadonlyMap<string, number>, inputEdges: readonly DagEdge[]): Wiring {
	const n = ranked.length;
	const merged = new Map<number, {from: number; to: number; labels: string[]; located?: DagEdge}>();
	const unknownEdges: DagEdge[] = [];
	for (const e of inputEdges) {
		const from = rankOf.get(e.from);
		const to = rankOf.get(e.to);
		if (from === undefined || to === undefined) {
			unknownEdges.push(e);
			continue;
		}
		const key = from * n + to;
		const existing = merged.get(key);
		if (existing) {
			if (!existing.labels.includes(e.label)) existing.labels.push(e.label);
			if (!existing.located && 'position' in e) existing.located = e;
		} else {
			merged.set(key, {from, to, labels: [e.label], ...('position' in e ? {located: e} : {})});
		}
	}
	const rawEdges = [...merged.values()].sort((a, b) => a.from - b.from || a.to - b.to);

	const deps: number[][] = Array.from({length: n}, () => []);
	const dependents: number[][] = Array.from({length: n}, () => []);
	const selfLoop = new Uint8Array(n);
	const edgeByKey = new Map<number, MergedEdge>();
	const edges: MergedEdge[] = [];
	for (const e of rawEdges) {
		const edge: MergedEdge = {from: ranked[e.from]!.id, to: ranked[e.to]!.id, label: e.labels.join(', '), labels: e.labels};
		const located = e.located;
		if (located)
			Object.defineProperty(edge, 'position', {enumerable: true, get: () => (located.position ? {...located.position} : undefined)});
		edges.push(edge);
		edgeByKey.set(e.from * n + e.to, edge);
		// Sorted by (from, to), so each deps list comes out ascending; dependents likewise by from.
		deps[e.from]!.push(e.to);
		dependents[e.to]!.push(e.from);
		if (e.from === e.to) selfLoop[e.from] = 1;
	}
	return {edges, edgeByKey, unknownEdges, deps, dependents, selfLoop};
}

/** Levels and the critical path (heaviest by weight, then longest), in one pass in topological order. */
function levelsAndCriticalPath(
	ranked: readonly DagNode[],
	deps: readonly (readonly number[])[],
	isCyclic: Uint8Array,
	orderRanks: readonly number[],
): {level: Int32Array; levels: number[][]; criticalPath: {ranks: number[]; seconds: number}} {
	const n = ranked.length;
	const level = new Int32Array(n).fill(-1);
	const best = new Float64Array(n);
	const bestCount = new Int32Array(n);
	const prev = new Int32Array(n).fill(-1);
	let maxLevel = -1;
	for (const v of orderRanks) {
		let lv = 0;
		let bw = 0;
		let bc = 0;
		let bp = -1;
		for (const d of deps[v]!) {
			if (isCyclic[d]) continue;
			const dl = level[d]! + 1;
			if (dl > lv) lv = dl;
			const w = best[d]!;
			const c = bestCount[d]!;
			if (bp === -1 || w > bw || (w === bw && c > bc)) {
				bw = w;
				bc = c;
				bp = d;
			}
		}
		level[v] = lv;
		if (lv > maxLevel) maxLevel = lv;
		best[v] = bw + cleanWeight(ranked[v]!.weight);
		bestCount[v] = bc + 1;
		prev[v] = bp;
	}
	const levels: number[][] = Array.from({length: maxLevel + 1}, () => []);
	for (let v = 0; v < n; v++) if (level[v]! >= 0) levels[level[v]!]!.push(v);

	let end = -1;
	for (let v = 0; v < n; v++) {
		if (level[v]! < 0) continue;
		if (end === -1 || best[v]! > best[end]! || (best[v] === best[end] && bestCount[v]! > bestCount[end]!)) end = v;
	}
	const ranks: number[] = [];
	for (let v = end; v !== -1; v = prev[v]!) ranks.push(v);
	ranks.reverse();
	return {level, levels, criticalPath: {ranks, seconds: end === -1 ? 0 : best[end]!}};
}

/** The edges around a cycle, in loop order: cycle[0] → cycle[1], …, cycle[last] → cycle[0]. Missing edges are skipped. */
export function cycleEdges(dag: Dag, cycle: readonly string[]): MergedEdge[] {
	const out: MergedEdge[] = [];
	for (let i = 0; i < cycle.length; i++) {
		const e = dag.edge(cycle[i]!, cycle[(i + 1) % cycle.length]!);
		if (e) out.push(e);
	}
	return out;
}
