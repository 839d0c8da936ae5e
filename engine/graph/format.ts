/**
 * Renderers for the dependency graph: plain text for the terminal, Graphviz DOT, Mermaid, and a
 * structured neighbourhood value for the workbench's graph view.
 *
 * Invariants:
 * - Pure: every function takes a Dag and returns a value; nothing is printed or read.
 * - Deterministic: output follows the Dag's own ordering (address rank), never insertion order.
 * - Edge direction is the Dag's: dependent → dependency. Text output names dependencies with `←`
 *   ("api ← db" reads "api needs db"); DOT and Mermaid draw arrows from dependent to dependency.
 * - `formatAscii` measures width on the plain text, before `color` adds any escape codes, so
 *   colouring never changes the layout; every node appears on exactly one node line (nodes in a
 *   cycle in their own group after the levels).
 */

import type {Dag, DagNode, MergedEdge} from './dag.js';

// ---------------------------------------------------------------------------------------------
// Plain text

/** What a piece of text is, so a colouring function can style it. */
export type AsciiRole = 'heading' | 'marker' | 'address' | 'kind' | 'arrow' | 'dependency' | 'legend' | 'critical' | 'cycle' | 'seconds';

export interface AsciiOptions {
	/** Maximum line width in characters (before colouring). Default 100, at least 20. */
	width?: number;
	/** Styles one piece of text; applied after layout. Default: identity. */
	color?: (text: string, role: AsciiRole) => string;
}

export const defaultAsciiWidth = 100;
const minAsciiWidth = 20;

interface Seg {
	text: string;
	/** Undefined for spacing and punctuation that is never coloured. */
	role?: AsciiRole;
}

type Word = Seg[];

function wordLength(word: Word): number {
	let total = 0;
	for (const s of word) total += s.text.length;
	return total;
}

/** Cut a word to `budget` characters, the last one an ellipsis. */
function truncateWord(word: Word, budget: number): Word {
	if (budget <= 0) return [];
	const out: Word = [];
	let left = budget - 1;
	for (const s of word) {
		if (s.text.length <= left) {
			out.push(s);
			left -= s.text.length;
			continue;
		}
		if (left > 0) out.push({...s, text: s.text.slice(0, left)});
		break;
	}
	out.push({text: '…', role: word.at(-1)?.role});
	return out;
}

/** Word-wrap: words are atomic and separated by one space; a word too long for a line is truncated. */
function wrapWords(prefix: Word, words: readonly Word[], continuation: string, width: number): Word[] {
	const lines: Word[] = [];
	let line: Word = [...prefix];
	let length = wordLength(prefix);
	let empty = true;
	for (const word of words) {
		let w = word;
		let wl = wordLength(w);
		if (!empty && length + 1 + wl > width) {
			lines.push(line);
			line = [{text: continuation}];
			length = continuation.length;
			empty = true;
		}
		if (!empty) {
			line.push({text: ' '});
			length++;
		}
		if (length + wl > width) {
			w = truncateWord(w, width - length);
			wl = wordLength(w);
		}
		line.push(...w);
		length += wl;
		empty = false;
	}
	lines.push(line);
	return lines;
}

function arrowChain(ids: readonly string[], role: AsciiRole): Word[] {
	return ids.map((id, i) =>
		i < ids.length - 1
			? [
					{text: id, role},
					{text: ' →', role: 'arrow'},
				]
			: [{text: id, role}],
	);
}

function formatSeconds(seconds: number): string {
	return String(Math.round(seconds));
}

/**
 * A readable text view for a few dozen components: grouped by level, each node as
 * `address (Kind) ← dep1, dep2` with `*` marking the critical path, then the critical path and
 * any cycles.
 */
export function formatAscii(dag: Dag, options: AsciiOptions = {}): string {
	const width = Math.max(minAsciiWidth, Math.floor(options.width ?? defaultAsciiWidth));
	const color = options.color;
	const critical = new Set(dag.criticalPath.ids);
	const lines: Word[] = [];

	const nodeLines = (id: string): void => {
		const node = dag.nodes.get(id);
		if (!node) return;
		const prefix: Word = critical.has(id) ? [{text: '  '}, {text: '*', role: 'marker'}, {text: ' '}] : [{text: '    '}];
		const deps = dag.dependenciesOf(id);
		const words: Word[] = [
			[{text: node.address, role: critical.has(id) ? 'critical' : 'address'}],
			[{text: '('}, {text: node.kind, role: 'kind'}, {text: ')'}],
		];
		deps.forEach((dep, i) => {
			const word: Word = i === 0 ? [{text: '←', role: 'arrow'}, {text: ' '}] : [];
			word.push({text: dep, role: 'dependency'});
			if (i < deps.length - 1) word.push({text: ','});
			words.push(word);
		});
		lines.push(...wrapWords(prefix, words, '        ', width));
	};

	if (dag.nodes.size === 0) return paint([[{text: 'No components.', role: 'legend'}]], color);

	dag.levels.forEach((ids, level) => {
		if (lines.length > 0) lines.push([]);
		const title = level === 0 ? 'Level 0 — no dependencies' : `Level ${level}`;
		lines.push(...wrapWords([], [[{text: title, role: 'heading'}]], '', width));
		for (const id of ids) nodeLines(id);
	});

	if (dag.cyclic.size > 0) {
		if (lines.length > 0) lines.push([]);
		lines.push(...wrapWords([], [[{text: 'In a cycle — cannot be ordered', role: 'heading'}]], '', width));
		const cyclicIds = [...dag.cyclic].sort((a, b) => compareAddress(dag, a, b));
		for (const id of cyclicIds) nodeLines(id);
	}

	const path = dag.criticalPath;
	if (path.ids.length > 0) {
		lines.push([]);
		lines.push(
			...wrapWords(
				[],
				[
					[
						{text: '*', role: 'marker'},
						{text: ' on the critical path', role: 'legend'},
					],
				],
				'',
				width,
			),
		);
		const words: Word[] = [
			[{text: 'Critical path:', role: 'heading'}],
			...arrowChain(path.ids, 'critical'),
			[{text: `(≈ ${formatSeconds(path.seconds)} s)`, role: 'seconds'}],
		];
		lines.push(...wrapWords([], words, '  ', width));
	}

	if (dag.cycles.length > 0) lines.push([]);
	for (const cycle of dag.cycles) {
		const words: Word[] = [[{text: 'Cycle:', role: 'heading'}], ...arrowChain([...cycle, cycle[0] ?? ''], 'cycle')];
		lines.push(...wrapWords([], words, '  ', width));
	}

	return paint(lines, color);
}

function compareAddress(dag: Dag, a: string, b: string): number {
	const x = dag.nodes.get(a)?.address ?? '';
	const y = dag.nodes.get(b)?.address ?? '';
	if (x !== y) return x < y ? -1 : 1;
	return a < b ? -1 : a > b ? 1 : 0;
}

function paint(lines: readonly Word[], color: AsciiOptions['color']): string {
	return lines
		.map((line) =>
			line
				.map((s) => (color && s.role && s.text.trim() !== '' ? color(s.text, s.role) : s.text))
				.join('')
				.trimEnd(),
		)
		.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Shared helpers for DOT and Mermaid

/** Nodes grouped by service (services by name, nodes by address); nodes without a service come under ''. */
function byService(dag: Dag): [string, DagNode[]][] {
	const groups = new Map<string, DagNode[]>();
	for (const node of dag.nodes.values()) {
		const list = groups.get(node.service);
		if (list) list.push(node);
		else groups.set(node.service, [node]);
	}
	const entries = [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
	for (const [, list] of entries) list.sort((a, b) => compareAddress(dag, a.id, b.id));
	return entries;
}

/** Labels worth drawing on an edge: everything but the plain `dependsOn`. */
function edgeText(edge: MergedEdge): string[] {
	return edge.labels.filter((l) => l !== 'dependsOn');
}

/** `from\0to` keys of the edges along the critical path (dependent → dependency). */
function criticalEdgeKeys(dag: Dag): Set<string> {
	const ids = dag.criticalPath.ids;
	const keys = new Set<string>();
	for (let i = 1; i < ids.length; i++) keys.add(`${ids[i]}\u0000${ids[i - 1]}`);
	return keys;
}

function cycleEdgeKeys(dag: Dag): Set<string> {
	const keys = new Set<string>();
	for (const cycle of dag.cycles) for (let i = 0; i < cycle.length; i++) keys.add(`${cycle[i]}\u0000${cycle[(i + 1) % cycle.length]}`);
	return keys;
}

// ---------------------------------------------------------------------------------------------
// Graphviz

/** A DOT double-quoted string: backslashes and quotes escaped, newlines as `\n`. */
export function dotString(text: string): string {
	return `"${text
		.replace(/\\/g, '\\\\')
		.replace(/"/g, '\\"')
		.replace(/\r?\n|\r/g, '\\n')}"`;
}

/**
 * A Graphviz digraph: one `cluster_<service>` subgraph per service, nodes labelled `name\n(Kind)`,
 * edges labelled unless they are plain `dependsOn`, critical-path edges and nodes bold, cycle
 * edges red.
 */
export function formatDot(dag: Dag): string {
	const critical = new Set(dag.criticalPath.ids);
	const criticalEdges = criticalEdgeKeys(dag);
	const cycleEdges = cycleEdgeKeys(dag);
	const out: string[] = [
		'digraph panka {',
		'\trankdir=LR;',
		'\tnode [shape=box, fontname="Helvetica"];',
		'\tedge [fontname="Helvetica", fontsize=10];',
	];
	const nodeLine = (node: DagNode, indent: string): string => {
		const attrs = [`label=${dotString(`${node.id}\n(${node.kind})`)}`];
		if (critical.has(node.id)) attrs.push('style=bold', 'penwidth=2');
		return `${indent}${dotString(node.id)} [${attrs.join(', ')}];`;
	};
	for (const [service, nodes] of byService(dag)) {
		if (service === '') {
			for (const node of nodes) out.push(nodeLine(node, '\t'));
			continue;
		}
		out.push(`\tsubgraph ${dotString(`cluster_${service}`)} {`);
		out.push(`\t\tlabel=${dotString(service)};`);
		for (const node of nodes) out.push(nodeLine(node, '\t\t'));
		out.push('\t}');
	}
	for (const edge of dag.edges) {
		const key = `${edge.from}\u0000${edge.to}`;
		const attrs: string[] = [];
		const text = edgeText(edge);
		if (text.length > 0) attrs.push(`label=${dotString(text.join('\n'))}`);
		if (criticalEdges.has(key)) attrs.push('style=bold', 'penwidth=2');
		if (cycleEdges.has(key)) attrs.push('color="red"', 'fontcolor="red"');
		const suffix = attrs.length > 0 ? ` [${attrs.join(', ')}]` : '';
		out.push(`\t${dotString(edge.from)} -> ${dotString(edge.to)}${suffix};`);
	}
	out.push('}');
	return `${out.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------
// Mermaid

/** Text inside a Mermaid `"..."` label, with entity codes for characters Mermaid would misread. */
export function mermaidText(text: string): string {
	return text
		.replace(/#/g, '#35;')
		.replace(/"/g, '#quot;')
		.replace(/</g, '#lt;')
		.replace(/>/g, '#gt;')
		.replace(/\|/g, '#124;')
		.replace(/`/g, '#96;')
		.replace(/\r?\n|\r/g, ' ');
}

export interface MermaidOptions {
	/** `LR` (default) or `TD`. */
	direction?: 'LR' | 'TD';
}

/**
 * A Mermaid flowchart: one `subgraph` per service, node ids `n0, n1, …` in address order (component
 * names are only labels, so hyphens and keywords are safe), edges `-->` labelled unless plain
 * `dependsOn`, critical path in bold, cycle edges red.
 */
export function formatMermaid(dag: Dag, options: MermaidOptions = {}): string {
	const out: string[] = [`graph ${options.direction ?? 'LR'}`];
	const groups = byService(dag);
	const mermaidId = new Map<string, string>();
	let next = 0;
	for (const [, nodes] of groups) for (const node of nodes) mermaidId.set(node.id, `n${next++}`);

	const nodeLine = (node: DagNode, indent: string) =>
		`${indent}${mermaidId.get(node.id)}["${mermaidText(node.id)}<br/>(${mermaidText(node.kind)})"]`;
	groups.forEach(([service, nodes], i) => {
		if (service === '') {
			for (const node of nodes) out.push(nodeLine(node, '\t'));
			return;
		}
		out.push(`\tsubgraph s${i}["${mermaidText(service)}"]`);
		for (const node of nodes) out.push(nodeLine(node, '\t\t'));
		out.push('\tend');
	});

	const criticalEdges = criticalEdgeKeys(dag);
	const cycleEdges = cycleEdgeKeys(dag);
	const boldLinks: number[] = [];
	const redLinks: number[] = [];
	dag.edges.forEach((edge, i) => {
		const text = edgeText(edge);
		const arrow = text.length > 0 ? `-->|"${mermaidText(text.join(', '))}"|` : '-->';
		out.push(`\t${mermaidId.get(edge.from)} ${arrow} ${mermaidId.get(edge.to)}`);
		const key = `${edge.from}\u0000${edge.to}`;
		if (criticalEdges.has(key)) boldLinks.push(i);
		if (cycleEdges.has(key)) redLinks.push(i);
	});

	if (dag.criticalPath.ids.length > 0) {
		out.push('\tclassDef critical stroke-width:3px');
		out.push(`\tclass ${dag.criticalPath.ids.map((id) => mermaidId.get(id)).join(',')} critical`);
	}
	if (boldLinks.length > 0) out.push(`\tlinkStyle ${boldLinks.join(',')} stroke-width:3px`);
	if (redLinks.length > 0) out.push(`\tlinkStyle ${redLinks.join(',')} stroke:red`);
	return `${out.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------
// Neighbourhood (for the workbench)

export interface NeighbourhoodNode {
	id: string;
	address: string;
	kind: string;
	service: string;
	/** On a dependency cycle. */
	inCycle: boolean;
	/** On the critical path. */
	critical: boolean;
}

export interface NeighbourhoodEntry extends NeighbourhoodNode {
	/** Edges between this node and the centre (1 = direct). */
	depth: number;
	/** The nodes one step nearer the centre that connect this one (the centre itself at depth 1), by address. */
	via: string[];
	/** Distinct labels of the edges between this node and its `via` nodes. */
	labels: string[];
}

export interface Neighbourhood {
	centre: NeighbourhoodNode;
	/** What the centre depends on, transitively: sorted by depth, then address. */
	upstream: NeighbourhoodEntry[];
	/** What depends on the centre, transitively: sorted by depth, then address. */
	downstream: NeighbourhoodEntry[];
}

export interface NeighbourhoodOptions {
	/** How many edges away from the centre to go. Default 2; `Infinity` for everything. */
	depth?: number;
}

export const defaultNeighbourhoodDepth = 2;

/** The graph around one node, for a UI view centred on it; undefined for an unknown id. */
export function formatNeighbourhood(dag: Dag, id: string, options: NeighbourhoodOptions = {}): Neighbourhood | undefined {
	const node = dag.nodes.get(id);
	if (!node) return undefined;
	const maxDepth = Math.max(0, options.depth ?? defaultNeighbourhoodDepth);
	const critical = new Set(dag.criticalPath.ids);
	const describe = (n: DagNode): NeighbourhoodNode => ({
		id: n.id,
		address: n.address,
		kind: n.kind,
		service: n.service,
		inCycle: dag.cyclic.has(n.id),
		critical: critical.has(n.id),
	});
	const entries = (
		reach: ReturnType<Dag['upstreamOf']>,
		edgeOf: (near: string, far: string) => MergedEdge | undefined,
	): NeighbourhoodEntry[] =>
		reach.flatMap((r) => {
			const n = dag.nodes.get(r.id);
			if (!n) return [];
			const labels: string[] = [];
			for (const near of r.via) for (const label of edgeOf(near, r.id)?.labels ?? []) if (!labels.includes(label)) labels.push(label);
			return [{...describe(n), depth: r.depth, via: r.via, labels}];
		});
	return {
		centre: describe(node),
		upstream: entries(dag.upstreamOf(id, maxDepth), (near, far) => dag.edge(near, far)),
		downstream: entries(dag.downstreamOf(id, maxDepth), (near, far) => dag.edge(far, near)),
	};
}
