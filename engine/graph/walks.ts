/**
 * Graph walks: the one home of every traversal panka makes, whatever the graph (the stack's
 * dependency graph in dag.ts, a plan's changes and their requirements, the executor's operations).
 *
 * Invariants:
 * - Iterative, never recursive: a 5,000-long chain cannot overflow the stack.
 * - Deterministic: results follow the order of the inputs and of the neighbour lists given; a walk
 *   never sorts by itself, so the caller's order (address, rank, preference) decides every tie.
 * - Total: a cycle never makes a walk loop or throw; each walk says what it does with one.
 *
 * Two families: walks over string ids with neighbour functions (plans, selections, operations), and
 * walks over integer ranks with adjacency arrays, for the stack graph built once per file save,
 * where the arrays keep a 5,000-component graph linear and fast.
 */

/** Everything reachable from `starts` through `next`, starts included, breadth first. `onFirstReach` hears how each new id was reached. */
export function reachable(
	starts: Iterable<string>,
	next: (id: string) => Iterable<string>,
	onFirstReach?: (id: string, from: string) => void,
): Set<string> {
	const seen = new Set<string>(starts);
	const queue = [...seen];
	for (let head = 0; head < queue.length; head++) {
		const from = queue[head]!;
		for (const id of next(from))
			if (!seen.has(id)) {
				seen.add(id);
				onFirstReach?.(id, from);
				queue.push(id);
			}
	}
	return seen;
}

/**
 * A depth-first topological placement: ids are visited in `preference` order and each is placed
 * right after whatever it still waits for. A loop is cut where it closes; its members are returned
 * in `looped` so the caller can say so.
 */
export function orderAfter(
	preference: readonly string[],
	waitsFor: (id: string) => readonly string[],
): {order: string[]; looped: Set<string>} {
	const state = new Map<string, 'open' | 'placed'>();
	const order: string[] = [];
	const looped = new Set<string>();
	for (const start of preference) {
		if (state.has(start)) continue;
		const stack: Array<{id: string; next: readonly string[]; i: number}> = [{id: start, next: waitsFor(start), i: 0}];
		state.set(start, 'open');
		while (stack.length > 0) {
			const top = stack[stack.length - 1]!;
			if (top.i < top.next.length) {
				const dependency = top.next[top.i++]!;
				const seen = state.get(dependency);
				if (seen === 'open') {
					looped.add(dependency).add(top.id);
					continue;
				}
				if (seen === 'placed') continue;
				state.set(dependency, 'open');
				stack.push({id: dependency, next: waitsFor(dependency), i: 0});
				continue;
			}
			stack.pop();
			state.set(top.id, 'placed');
			order.push(top.id);
		}
	}
	return {order, looped};
}

/**
 * Kahn's count-down over `waitingOn` (how many dependencies each id waits for) and `dependents`:
 * the ids that can never start because they wait, directly or not, on a cycle. Empty when acyclic.
 */
export function stuckInCycles(
	ids: readonly string[],
	dependents: (id: string) => readonly string[],
	waitingOn: ReadonlyMap<string, number>,
): string[] {
	const left = new Map(waitingOn);
	const queue = ids.filter((id) => left.get(id) === 0);
	while (queue.length > 0)
		for (const next of dependents(queue.pop()!)) {
			const count = left.get(next)! - 1;
			left.set(next, count);
			if (count === 0) queue.push(next);
		}
	return ids.filter((id) => left.get(id)! > 0);
}

/** For each id, the heaviest chain from it to the end of the graph through `next`, itself included. Edges that close a cycle are ignored. */
export function heaviestChainFrom(
	ids: readonly string[],
	next: (id: string) => readonly string[],
	weight: (id: string) => number,
): Map<string, number> {
	const chain = new Map<string, number>();
	for (const id of ids) {
		if (chain.has(id)) continue;
		const stack: Array<{id: string; expanded: boolean}> = [{id, expanded: false}];
		const onStack = new Set<string>();
		while (stack.length > 0) {
			const top = stack[stack.length - 1]!;
			if (chain.has(top.id)) {
				stack.pop();
				continue;
			}
			const children = next(top.id);
			if (!top.expanded) {
				top.expanded = true;
				onStack.add(top.id);
				for (const child of children) if (!chain.has(child) && !onStack.has(child)) stack.push({id: child, expanded: false});
				continue;
			}
			let longest = 0;
			for (const child of children) longest = Math.max(longest, chain.get(child) ?? 0);
			chain.set(top.id, weight(top.id) + longest);
			onStack.delete(top.id);
			stack.pop();
		}
	}
	return chain;
}

// ---- walks over integer ranks (adjacency lists in rank order) ----

/** The strongly connected component of every node (iterative Tarjan). */
export function strongComponents(n: number, adjacency: readonly (readonly number[])[]): Int32Array {
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

/**
 * Loops to name: every self-loop, then the shortest loop through the lowest uncovered member of
 * each component of two or more nodes, until every member is covered (at most `maxPerComponent`
 * per component). Each loop starts at its lowest rank; the list is sorted.
 */
export function namedLoops(
	n: number,
	deps: readonly (readonly number[])[],
	comp: Int32Array,
	selfLoop: Uint8Array,
	maxPerComponent: number,
): number[][] {
	const compSize = new Int32Array(n);
	for (let v = 0; v < n; v++) compSize[comp[v]!]!++;
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
		if (found >= maxPerComponent) continue;
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

/** Kahn's algorithm over the nodes not `excluded`, smallest rank first; edges to excluded nodes are ignored. */
export function rankedTopologicalOrder(
	n: number,
	deps: readonly (readonly number[])[],
	dependents: readonly (readonly number[])[],
	excluded: Uint8Array,
): number[] {
	const pending = new Int32Array(n);
	const heap = new MinHeap();
	for (let v = 0; v < n; v++) {
		if (excluded[v]) continue;
		let count = 0;
		for (const d of deps[v]!) if (!excluded[d]) count++;
		pending[v] = count;
		if (count === 0) heap.push(v);
	}
	const order: number[] = [];
	while (heap.size > 0) {
		const v = heap.pop();
		order.push(v);
		for (const u of dependents[v]!) {
			if (excluded[u]) continue;
			if (--pending[u]! === 0) heap.push(u);
		}
	}
	return order;
}

/** BFS from start, recording every predecessor one level nearer; sorted by depth, then rank. */
export function breadthFirst(
	start: number,
	adjacency: readonly (readonly number[])[],
	maxDepth: number,
): {v: number; depth: number; via: number[]}[] {
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
