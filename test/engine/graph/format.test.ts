import {describe, expect, it} from 'vitest';
import {buildDag, type DagEdge, type DagNode} from '../../../engine/graph/dag.js';
import {formatAscii, formatDot, formatMermaid, formatNeighbourhood} from '../../../engine/graph/format.js';

function node(id: string, service: string, kind: string, weight: number): DagNode {
	return {id, address: `${service}/${id}`, kind, service, weight};
}

function edge(from: string, to: string, label = 'dependsOn'): DagEdge {
	return {from, to, label};
}

/** A small stack: network/vpc ← api/api-db ← api/api ← worker/worker, and worker/jobs on the side. */
function smallStack() {
	return buildDag(
		[
			node('vpc', 'network', 'Vpc', 60),
			node('api-db', 'api', 'Postgres', 600),
			node('api', 'api', 'Lambda', 30),
			node('jobs', 'worker', 'Sqs', 5),
			node('worker', 'worker', 'Lambda', 30),
		],
		[
			edge('api-db', 'vpc'),
			edge('api', 'api-db', 'valueFrom api-db.endpoint'),
			edge('api', 'jobs', 'valueFrom jobs.url'),
			edge('worker', 'jobs', 'sqs trigger'),
			edge('worker', 'api', 'service api → worker'),
		],
	);
}

/** 50 components over 5 services, each depending on up to 3 earlier ones (fixed pseudo-random). */
function generated(count = 50) {
	let seed = 7;
	const random = () => {
		seed = (seed * 1103515245 + 12345) % 2147483648;
		return seed / 2147483648;
	};
	const services = ['network', 'data', 'api', 'worker', 'a-service-with-a-rather-long-name'];
	const nodes: DagNode[] = [];
	const edges: DagEdge[] = [];
	for (let i = 0; i < count; i++) {
		const name = i % 7 === 0 ? `component-with-a-long-descriptive-name-${i}` : `component-${i}`;
		nodes.push(node(name, services[i % services.length]!, i % 3 === 0 ? 'Postgres' : 'Lambda', Math.floor(random() * 300)));
		const deps = i === 0 ? 0 : Math.floor(random() * 4);
		for (let d = 0; d < deps; d++) {
			const target = nodes[Math.floor(random() * i)]!;
			edges.push(edge(name, target.id, d % 2 === 0 ? 'dependsOn' : `valueFrom ${target.id}.arn`));
		}
	}
	return {nodes, edges, dag: buildDag(nodes, edges)};
}

/** A node line: two spaces, the critical-path marker or a space, a space, the address. */
const nodeLine = /^ {2}[* ] (\S+)/;

describe('formatAscii', () => {
	it('groups by level, names direct dependencies, marks the critical path and sums it', () => {
		expect(formatAscii(smallStack())).toBe(
			[
				'Level 0 — no dependencies',
				'  * network/vpc (Vpc)',
				'    worker/jobs (Sqs)',
				'',
				'Level 1',
				'  * api/api-db (Postgres) ← vpc',
				'',
				'Level 2',
				'  * api/api (Lambda) ← api-db, jobs',
				'',
				'Level 3',
				'  * worker/worker (Lambda) ← api, jobs',
				'',
				'* on the critical path',
				'Critical path: vpc → api-db → api → worker (≈ 720 s)',
			].join('\n'),
		);
	});

	it('lists cycle members once, in their own group, and each cycle as a closed loop', () => {
		const dag = buildDag(
			[node('a', 'x', 'K', 1), node('b', 'x', 'K', 1), node('c', 'x', 'K', 1), node('d', 'x', 'K', 1)],
			[edge('a', 'b'), edge('b', 'c'), edge('c', 'a'), edge('d', 'a')],
		);
		const text = formatAscii(dag);
		expect(text).toContain('In a cycle — cannot be ordered\n    x/a (K) ← b\n    x/b (K) ← c\n    x/c (K) ← a');
		expect(text.split('\n').at(-1)).toBe('Cycle: a → b → c → a');
	});

	it('shows every node of a 50-node graph exactly once and keeps every line within the width', () => {
		const {nodes, dag} = generated();
		for (const width of [100, 60, 30]) {
			const lines = formatAscii(dag, {width}).split('\n');
			for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(width);
			const shown = lines.flatMap((l) => nodeLine.exec(l)?.[1] ?? []);
			if (width === 100) expect(shown.sort()).toEqual(nodes.map((n) => n.address).sort());
			else {
				// Narrower than an address: it is cut with '…', but every node still has its one line.
				expect(shown).toHaveLength(nodes.length);
				for (const address of shown) expect(nodes.some((n) => n.address.startsWith(address.replace(/…$/, '')))).toBe(true);
			}
		}
	});

	it('wraps a long list of dependencies onto indented continuation lines', () => {
		const deps = Array.from({length: 12}, (_, i) => node(`dependency-${i}`, 'data', 'Sqs', 1));
		const dag = buildDag(
			[node('hub', 'api', 'Lambda', 1), ...deps],
			deps.map((d) => edge('hub', d.id)),
		);
		const lines = formatAscii(dag, {width: 60}).split('\n');
		const start = lines.findIndex((l) => l.includes('api/hub (Lambda) ←'));
		expect(start).toBeGreaterThan(-1);
		expect(lines[start + 1]).toMatch(/^ {8}dependency-/);
		const listed = lines
			.slice(start)
			.join(' ')
			.match(/dependency-\d+/g);
		expect(new Set(listed)).toEqual(new Set(deps.map((d) => d.id)));
	});

	it('colours pieces after layout, so stripping the colour gives the plain output', () => {
		const dag = generated().dag;
		const coloured = formatAscii(dag, {width: 60, color: (text, role) => `<${role}>${text}</>`});
		expect(coloured).toContain('<heading>Critical path:</>');
		expect(coloured.replace(/<[a-z]+>|<\/>/g, '')).toBe(formatAscii(dag, {width: 60}));
	});

	it('is deterministic and says so when there is nothing to show', () => {
		const {nodes, edges, dag} = generated();
		expect(formatAscii(buildDag([...nodes].reverse(), [...edges].reverse()))).toBe(formatAscii(dag));
		expect(formatAscii(buildDag([], []))).toBe('No components.');
	});
});

describe('formatDot', () => {
	it('draws one cluster per service and every edge, labelling all but dependsOn and bolding the critical path', () => {
		const dot = formatDot(smallStack());
		expect(dot.startsWith('digraph panka {\n')).toBe(true);
		expect(dot.match(/subgraph "cluster_[^"]+"/g)).toEqual([
			'subgraph "cluster_api"',
			'subgraph "cluster_network"',
			'subgraph "cluster_worker"',
		]);
		expect(dot).toContain('"api-db" [label="api-db\\n(Postgres)", style=bold, penwidth=2];');
		expect(dot).toContain('"api-db" -> "vpc" [style=bold, penwidth=2];');
		expect(dot).toContain('"api" -> "api-db" [label="valueFrom api-db.endpoint", style=bold, penwidth=2];');
		expect(dot).toContain('"worker" -> "jobs" [label="sqs trigger"];');
		expect(dot.match(/ -> /g)).toHaveLength(5);
	});

	it('covers a generated graph: every service a cluster, every edge drawn', () => {
		const {nodes, dag} = generated();
		const dot = formatDot(dag);
		expect(dot.match(/subgraph "cluster_/g)).toHaveLength(new Set(nodes.map((n) => n.service)).size);
		for (const e of dag.edges) expect(dot).toContain(`"${e.from}" -> "${e.to}"`);
	});

	it('escapes quotes and backslashes, and colours cycle edges', () => {
		const dag = buildDag(
			[node('a', 'x', 'Odd"Kind\\', 1), node('b', 'x', 'K', 1)],
			[edge('a', 'b', 'valueFrom b."quoted"'), edge('b', 'a')],
		);
		const dot = formatDot(dag);
		expect(dot).toContain('"a" [label="a\\n(Odd\\"Kind\\\\)"]');
		expect(dot).toContain('"a" -> "b" [label="valueFrom b.\\"quoted\\"", color="red", fontcolor="red"];');
	});
});

describe('formatMermaid', () => {
	it('uses one subgraph per service, safe ids with the names as labels, and every edge', () => {
		const mermaid = formatMermaid(smallStack());
		const lines = mermaid.split('\n');
		expect(lines[0]).toBe('graph LR');
		expect(lines.filter((l) => /^\tsubgraph /.test(l))).toEqual([
			'\tsubgraph s0["api"]',
			'\tsubgraph s1["network"]',
			'\tsubgraph s2["worker"]',
		]);
		expect(mermaid).toContain('n1["api-db<br/>(Postgres)"]');
		expect(mermaid).toContain('\tn0 -->|"valueFrom api-db.endpoint"| n1');
		expect(mermaid).toContain('\tn1 --> n2');
		expect(lines.filter((l) => l.includes('-->'))).toHaveLength(5);
		expect(mermaid).not.toMatch(/\bapi-db\b(?![^"]*")/); // hyphenated names only inside labels
		expect(formatMermaid(smallStack(), {direction: 'TD'}).startsWith('graph TD\n')).toBe(true);
	});

	it('covers a generated graph and escapes quotes', () => {
		const {nodes, dag} = generated();
		const mermaid = formatMermaid(dag);
		expect(mermaid.match(/^\tsubgraph /gm)).toHaveLength(new Set(nodes.map((n) => n.service)).size);
		expect(mermaid.match(/ --> | -->\|/g)).toHaveLength(dag.edges.length);
		const quoted = formatMermaid(buildDag([node('a', 'x', 'K', 1), node('b', 'x', 'K', 1)], [edge('a', 'b', 'says "hi" #1')]));
		expect(quoted).toContain('n0 -->|"says #quot;hi#quot; #35;1"| n1');
	});
});

describe('formatNeighbourhood', () => {
	it('centres on one node with what it needs upstream and what needs it downstream, by depth then address', () => {
		const view = formatNeighbourhood(smallStack(), 'api');
		expect(view?.centre).toEqual({id: 'api', address: 'api/api', kind: 'Lambda', service: 'api', inCycle: false, critical: true});
		expect(view?.upstream.map((e) => [e.id, e.depth, e.via, e.labels])).toEqual([
			['api-db', 1, ['api'], ['valueFrom api-db.endpoint']],
			['jobs', 1, ['api'], ['valueFrom jobs.url']],
			['vpc', 2, ['api-db'], ['dependsOn']],
		]);
		expect(view?.downstream.map((e) => [e.id, e.depth, e.via, e.labels])).toEqual([['worker', 1, ['api'], ['service api → worker']]]);
	});

	it('stops at the requested depth and returns undefined for an unknown node', () => {
		const dag = smallStack();
		expect(formatNeighbourhood(dag, 'worker', {depth: 1})?.upstream.map((e) => e.id)).toEqual(['api', 'jobs']);
		expect(formatNeighbourhood(dag, 'worker', {depth: 3})?.upstream.map((e) => [e.id, e.depth])).toEqual([
			['api', 1],
			['jobs', 1],
			['api-db', 2],
			['vpc', 3],
		]);
		expect(formatNeighbourhood(dag, 'nope')).toBeUndefined();
	});
});
