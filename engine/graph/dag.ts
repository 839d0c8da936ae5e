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
 * - Linear time apart from sorting: ids are mapped to integer ranks once and all walks use arrays.
 */

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
	// Rank nodes by address: rank order is the tie-break order everywhere below.
	const firstById = new Map<string, DagNode>();
	for (const node of inputNodes) if (!firstById.has(node.id)) firstById.set(node.id, node);
	const ranked = [...firstById.values()].sort(compareNodes);
	const n = ranked.length;
	const rankOf = new Map<string, number>();
	const nodes = new Map<string, DagNode>();
	ranked.forEach((node, i) => {
		rankOf.set(node.id, i);
		nodes.set(node.id, node);
	});

	// Merge edges per ordered pair.
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

	// Strongly connected components, iterative Tarjan.
	const comp = tarjan(n, deps);
	const compSize = new Int32Array(n);
	for (let v = 0; v < n; v++) compSize[comp[v]!]!++;
	const isCyclic = new Uint8Array(n);
	for (let v = 0; v < n; v++) if (selfLoop[v] || compSize[comp[v]!]! > 1) isCyclic[v] = 1;

	const cycleRanks = findCycles(n, deps, comp, compSize, selfLoop);
	const cycles = cycleRanks.map((c) => c.map((v) => ranked[v]!.id));
	const cyclic = new Set<string>();
	for (let v = 0; v < n; v++) if (isCyclic[v]) cyclic.add(ranked[v]!.id);

	// Kahn over the acyclic nodes, smallest rank first.
	const pending = new Int32Array(n);
	const heap = new MinHeap();
	for (let v = 0; v < n; v++) {
		if (isCyclic[v]) continue;
		let count = 0;
		for (const d of deps[v]!) if (!isCyclic[d]) count++;
		pending[v] = count;
		if (count === 0) heap.push(v);
	}
	const orderRanks: number[] = [];
	while (heap.size > 0) {
		const v = heap.pop();
		orderRanks.push(v);
		for (const u of dependents[v]!) {
			if (isCyclic[u]) continue;
			if (--pending[u]! === 0) heap.push(u);
		}
	}

	// Levels and the critical path, one pass in topological order.
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
	const levelRanks: number[][] = Array.from({length: maxLevel + 1}, () => []);
	for (let v = 0; v < n; v++) if (level[v]! >= 0) levelRanks[level[v]!]!.push(v);

	let end = -1;
	for (let v = 0; v < n; v++) {
		if (level[v]! < 0) continue;
		if (end === -1 || best[v]! > best[end]! || (best[v] === best[end] && bestCount[v]! > bestCount[end]!)) end = v;
	}
	const criticalIds: string[] = [];
	for (let v = end; v !== -1; v = prev[v]!) criticalIds.push(ranked[v]!.id);
	criticalIds.reverse();
	const criticalPath: CriticalPath = {ids: criticalIds, seconds: end === -1 ? 0 : best[end]!};

	const toIds = (list: readonly number[]) => list.map((v) => ranked[v]!.id);
	const order = toIds(orderRanks);
	const levels = levelRanks.map(toIds);

	const reach = (id: string, adjacency: number[][], maxDepth: number): Reach[] => {
		const start = rankOf.get(id);
		if (start === undefined) return [];
		return breadthFirst(start, adjacency, maxDepth).map((r) => ({
			id: ranked[r.v]!.id,
			depth: r.depth,
			via: toIds(r.via),
		}));
	};

	return {
		nodes,
		edges,
		unknownEdges,
		dependenciesOf: (id) => {
			const v = rankOf.get(id);
			return v === undefined ? [] : toIds(deps[v]!);
		},
		dependentsOf: (id) => {
			const v = rankOf.get(id);
			return v === undefined ? [] : toIds(dependents[v]!);
		},
		edge: (from, to) => {
			const a = rankOf.get(from);
			const b = rankOf.get(to);
			return a === undefined || b === undefined ? undefined : edgeByKey.get(a * n + b);
		},
		upstreamOf: (id, maxDepth = Number.POSITIVE_INFINITY) => reach(id, deps, maxDepth),
		downstreamOf: (id, maxDepth = Number.POSITIVE_INFINITY) => reach(id, dependents, maxDepth),
		cycles,
		cyclic,
		order,
		levels,
		levelOf: (id) => {
			const v = rankOf.get(id);
			return v === undefined || level[v]! < 0 ? undefined : level[v];
		},
		criticalPath,
	};
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

/** Component index of every node (iterative Tarjan; adjacency lists in rank order). */
function tarjan(n: number, adjacency: number[][]): Int32Array {
	const index = new Int32Array(n).fill(-1);
	const low = new Int32Array(n);
	const onStack = new Uint8Array(n);
	const comp = new Int32Array(n).fill(-1);
	const sccStack = new Int32Array(n);
	let sccTop = 0;
	const callNode = new Int32Array(n);
	const callEdge = new Int32Array(n);
	let callTop = 0;
	let counter = 0;
	let compCount = 0;

	for (let s = 0; s < n; s++) {
		if (index[s] !== -1) continue;
		index[s] = low[s] = counter++;
		sccStack[sccTop++] = s;
		onStack[s] = 1;
		callNode[callTop] = s;
		callEdge[callTop] = 0;
		callTop++;
		while (callTop > 0) {
			const v = callNode[callTop - 1]!;
			const adj = adjacency[v]!;
			const pos = callEdge[callTop - 1]!;
			if (pos < adj.length) {
				callEdge[callTop - 1] = pos + 1;
				const w = adj[pos]!;
				if (index[w] === -1) {
					index[w] = low[w] = counter++;
					sccStack[sccTop++] = w;
					onStack[w] = 1;
					callNode[callTop] = w;
					callEdge[callTop] = 0;
					callTop++;
				} else if (onStack[w] && index[w]! < low[v]!) {
					low[v] = index[w]!;
				}
				continue;
			}
			if (low[v] === index[v]) {
				let w: number;
				do {
					w = sccStack[--sccTop]!;
					onStack[w] = 0;
					comp[w] = compCount;
				} while (w !== v);
				compCount++;
			}
			callTop--;
			if (callTop > 0) {
				const u = callNode[callTop - 1]!;
				if (low[v]! < low[u]!) low[u] = low[v]!;
			}
		}
	}
	return comp;
}

/** Self-loops, then loops covering each SCC of two or more nodes; each rotated to start at its lowest rank. */
function findCycles(n: number, deps: number[][], comp: Int32Array, compSize: Int32Array, selfLoop: Uint8Array): number[][] {
	const cycles: number[][] = [];
	const covered = new Uint8Array(n);
	const perComponent = new Map<number, number>();
	const parent = new Int32Array(n);
	const seen = new Int32Array(n); // stamp per BFS
	let stamp = 0;
	for (let v = 0; v < n; v++) if (selfLoop[v]) cycles.push([v]);

	for (let m = 0; m < n; m++) {
		const c = comp[m]!;
		if (covered[m] || compSize[c]! < 2) continue;
		const found = perComponent.get(c) ?? 0;
		if (found >= maxCyclesPerComponent) continue;
		// Shortest loop through m: BFS inside the SCC, self-edges ignored, until an edge returns to m.
		stamp++;
		seen[m] = stamp;
		const queue: number[] = [m];
		let last = -1;
		for (let head = 0; head < queue.length && last === -1; head++) {
			const v = queue[head]!;
			for (const w of deps[v]!) {
				if (w === v || comp[w] !== c) continue;
				if (w === m) {
					last = v;
					break;
				}
				if (seen[w] === stamp) continue;
				seen[w] = stamp;
				parent[w] = v;
				queue.push(w);
			}
		}
		if (last === -1) continue; // unreachable inside an SCC; kept for totality
		const loop: number[] = [];
		for (let v = last; v !== m; v = parent[v]!) loop.push(v);
		loop.push(m);
		loop.reverse();
		for (const v of loop) covered[v] = 1;
		perComponent.set(c, found + 1);
		let min = 0;
		for (let i = 1; i < loop.length; i++) if (loop[i]! < loop[min]!) min = i;
		cycles.push([...loop.slice(min), ...loop.slice(0, min)]);
	}

	return cycles.sort((a, b) => {
		for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
		return a.length - b.length;
	});
}

/** BFS from start, recording every predecessor one level nearer; sorted by depth, then rank. */
function breadthFirst(start: number, adjacency: number[][], maxDepth: number): {v: number; depth: number; via: number[]}[] {
	const depth = new Map<number, number>([[start, 0]]);
	const via = new Map<number, number[]>();
	let frontier = [start];
	let d = 0;
	const out: {v: number; depth: number; via: number[]}[] = [];
	while (frontier.length > 0 && d < maxDepth) {
		d++;
		const next: number[] = [];
		for (const u of frontier) {
			for (const w of adjacency[u]!) {
				const known = depth.get(w);
				if (known === undefined) {
					depth.set(w, d);
					via.set(w, [u]);
					next.push(w);
				} else if (known === d) {
					via.get(w)!.push(u);
				}
			}
		}
		next.sort((a, b) => a - b);
		for (const w of next) out.push({v: w, depth: d, via: via.get(w)!.sort((a, b) => a - b)});
		frontier = next;
	}
	return out;
}

class MinHeap {
	private items: number[] = [];

	get size(): number {
		return this.items.length;
	}

	push(value: number): void {
		const items = this.items;
		items.push(value);
		let i = items.length - 1;
		while (i > 0) {
			const p = (i - 1) >> 1;
			if (items[p]! <= value) break;
			items[i] = items[p]!;
			i = p;
		}
		items[i] = value;
	}

	pop(): number {
		const items = this.items;
		const top = items[0]!;
		const last = items.pop()!;
		if (items.length > 0) {
			let i = 0;
			const len = items.length;
			for (;;) {
				const l = 2 * i + 1;
				if (l >= len) break;
				const r = l + 1;
				const c = r < len && items[r]! < items[l]! ? r : l;
				if (items[c]! >= last) break;
				items[i] = items[c]!;
				i = c;
			}
			items[i] = last;
		}
		return top;
	}
}
