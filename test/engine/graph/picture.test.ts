import {describe, expect, it} from 'vitest';
import {buildDag} from '../../../engine/graph/dag.js';
import {markerWidthFor, planMarks} from '../../../engine/graph/draw.js';
import {layoutGraph} from '../../../engine/graph/layout.js';
import {formatHtml, formatSvg} from '../../../engine/graph/picture.js';
import {cycleDag, loadDemo} from './graph-fixtures.js';

const count = (text: string, pattern: RegExp) => [...text.matchAll(pattern)].length;

describe('SVG', () => {
	it('has one box per component and one path per edge, each with stable hooks, and the legend', async () => {
		const {graph} = await loadDemo();
		const svg = formatSvg(layoutGraph(graph), graph, {title: 'demo'});
		expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
		expect(count(svg, /<g class="node[^"]*" data-id="/g)).toBe(graph.nodes.size);
		for (const id of graph.nodes.keys()) expect(svg).toContain(`data-id="${id}"`);
		expect(count(svg, /<path class="edge /g)).toBe(graph.edges.length);
		expect(svg).toContain('<path class="edge edge-trigger');
		expect(svg).toMatch(/<path class="edge edge-valueFrom critical" data-from="api-server" data-to="api-db"/);
		expect(svg).toContain('<g class="legend">');
		expect(svg).toContain('critical path ≈ ');
	});

	it('colours by the plan: each box carries its action', async () => {
		const {graph} = await loadDemo();
		const {marks: plan} = planMarks(
			{
				changes: [
					{address: 'api/api-db', name: 'api-db', action: 'replace', replaceStrategy: 'delete-before-create'},
					{address: 'worker/sessions', name: 'sessions', action: 'create'},
				],
			},
			new Set(['worker/sessions']),
		);
		const svg = formatSvg(layoutGraph(graph, {markerWidth: markerWidthFor(plan)}), graph, {title: 'demo', plan});
		expect(svg).toMatch(/class="node critical plan-replace" data-id="api-db"/);
		expect(svg).toMatch(/class="node plan-skipped" data-id="sessions"[^>]*data-plan="skipped"/);
		expect(svg).toMatch(/class="node plan-no-op" data-id="processor"/);
		expect(svg).toContain('>-/+ ★ api-db</text>');
		expect(svg).toContain('>replace (delete, then create)</text>');
		expect(svg).toContain('>skipped</text>');
	});

	it('names the cycle in red in the legend', () => {
		const dag = cycleDag();
		const svg = formatSvg(layoutGraph(dag), dag, {title: 'loop'});
		expect(svg).toMatch(/<text class="cycle"[^>]*fill="#dc2626"[^>]*>cycle: a → b → c → a<\/text>/);
		expect(count(svg, /class="edge [^"]*cyclic"/g)).toBe(3);
	});

	it('escapes every user string: a hostile name cannot inject markup', () => {
		const id = '<script>alert(1)</script>&"\'\u0007';
		const dag = buildDag([{id, address: `s/${id}`, kind: 'S3', service: 's', weight: 1}], []);
		const html = formatHtml(layoutGraph(dag), dag, {title: id});
		expect(html).not.toContain('<script>alert');
		expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&amp;&quot;&#39;');
		expect(html).not.toContain('\u0007');
	});
});

describe('HTML', () => {
	it('is one self-contained file: the SVG inline, no external script, style or font', async () => {
		const {graph} = await loadDemo();
		const html = formatHtml(layoutGraph(graph), graph, {title: 'demo'});
		expect(html.startsWith('<!doctype html>')).toBe(true);
		expect(html).toContain('<svg xmlns="http://www.w3.org/2000/svg"');
		expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/);
		expect(html).not.toMatch(/url\((?!#)/);
		expect(html).toContain("addEventListener('wheel'");
		expect(html).toContain('id="details"');
	});
});
