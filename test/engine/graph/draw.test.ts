import {describe, expect, it} from 'vitest';
import {drawGraph, drawWhole, graphLegend, markerWidthFor, planMarks, rowText} from '../../../engine/graph/draw.js';
import {layoutGraph} from '../../../engine/graph/layout.js';
import {cycleDag, loadDemo, loadGenerated} from './graph-fixtures.js';

const text = (rows: ReturnType<typeof drawWhole>) => `${rows.map(rowText).join('\n')}\n`;

describe('drawing, golden outputs', () => {
	it('the demo stack, whole, and in a 60×16 viewport', async () => {
		const {graph} = await loadDemo();
		const layout = layoutGraph(graph);
		const legend = graphLegend(layout, graph.cycles, {width: 80});
		await expect(text([...drawWhole(layout, {selected: 'api-server'}), ...legend])).toMatchFileSnapshot('golden/demo.txt');
		const viewport = drawGraph(layout, {viewport: {x: 20, y: 10, width: 60, height: 16}});
		expect(viewport).toHaveLength(16);
		for (const row of viewport) expect(rowText(row)).toHaveLength(60);
		await expect(text(viewport)).toMatchFileSnapshot('golden/demo-viewport-60x16.txt');
	});

	it('the demo stack, compact (narrow terminals), without colour (glyphs)', async () => {
		const {graph} = await loadDemo();
		const layout = layoutGraph(graph, {compact: true});
		await expect(
			text([...drawWhole(layout, {glyphs: true}), ...graphLegend(layout, graph.cycles, {width: 60, glyphs: true})]),
		).toMatchFileSnapshot('golden/demo-compact-glyphs.txt');
	});

	it('a cycle: double borders, ⟳ on every member, the loop named in the legend', async () => {
		const dag = cycleDag();
		const layout = layoutGraph(dag);
		const legend = graphLegend(layout, dag.cycles, {width: 80});
		await expect(text([...drawWhole(layout), ...legend])).toMatchFileSnapshot('golden/cycle.txt');
		expect(legend.map(rowText)).toContain('cycle: a → b → c → a');
		const cycleRuns = drawWhole(layout)
			.flat()
			.filter((r) => r.tone === 'error');
		expect(cycleRuns.map((r) => r.text).join('')).toContain('⟳');
	});

	it('the 50-component stack in a 120×30 viewport', async () => {
		const {graph} = await loadGenerated(50);
		const layout = layoutGraph(graph);
		await expect(text(drawGraph(layout, {viewport: {x: 0, y: 0, width: 120, height: 30}}))).toMatchFileSnapshot(
			'golden/generated-50-120x30.txt',
		);
	});
});

describe('drawing, what each mark means', () => {
	it('a plan marks each box with the review’s symbol and tone; a skipped change is marked as skipped', async () => {
		const {graph} = await loadDemo();
		const change = (name: string, action: 'create' | 'update' | 'replace' | 'delete' | 'no-op') => ({
			address: graph.nodes.get(name)?.address ?? `gone/${name}`,
			name,
			action,
			...(action === 'replace' ? {replaceStrategy: 'delete-before-create' as const} : {}),
		});
		const {marks, deletedElsewhere} = planMarks(
			{changes: [change('api-db', 'replace'), change('api-server', 'update'), change('sessions', 'create'), change('old-queue', 'delete')]},
			new Set([graph.nodes.get('sessions')!.address]),
			(name) => graph.nodes.has(name),
		);
		expect([...marks].map(([name, p]) => [name, p.mark, p.symbol, p.tone])).toEqual([
			['api-db', 'replace', '-/+', 'error'],
			['api-server', 'update', '~', 'warning'],
			['sessions', 'skipped', '○', 'skipped'],
		]);
		expect(deletedElsewhere).toEqual(['gone/old-queue']);
		const layout = layoutGraph(graph, {markerWidth: markerWidthFor(marks)});
		expect(layout.markerWidth).toBe(3);
		const rows = drawWhole(layout, {plan: marks});
		const box = (id: string) => {
			const node = layout.nodeById.get(id)!;
			return rowText(rows[node.top + 1]!).slice(node.left, node.left + node.width);
		};
		expect(box('api-db')).toMatch(/^┃-\/\+ api-db +┃$/);
		expect(box('api-server')).toMatch(/^┃ {2}~ api-server +┃$/);
		expect(box('sessions')).toMatch(/^│ {2}○ sessions +│$/);
		expect(box('processor')).toMatch(/^│ {2}· processor +│$/);
		const legend = graphLegend(layout, [], {width: 400, plan: marks, deletedElsewhere}).map(rowText);
		expect(legend).toHaveLength(2);
		expect(legend[0]).toContain('-/+ replace (delete, then create)');
		expect(legend[0]).toContain('~ update in place');
		expect(legend[0]).toContain('○ skipped');
		expect(legend.at(-1)).toBe('- also deleted (no longer in the folder): gone/old-queue');
	});

	it('the selection is inverse and pinned with ◉; status markers sit before the name', async () => {
		const {graph} = await loadDemo();
		const layout = layoutGraph(graph);
		const node = layout.nodeById.get('processor')!;
		const rows = drawWhole(layout, {selected: 'processor', markers: new Map([['processor', {glyph: '●', tone: 'ok'}]])});
		expect(rowText(rows[node.top]!).slice(node.left, node.left + 2)).toBe('╭◉');
		expect(rowText(rows[node.top + 1]!).slice(node.left, node.left + 13)).toBe('│● processor ');
		expect(rows[node.top + 1]!.some((r) => r.inverse && r.text.includes('processor'))).toBe(true);
	});

	it('without colour, the critical path is drawn heavy', async () => {
		const {graph} = await loadDemo();
		const layout = layoutGraph(graph);
		const edge = layout.edges.find((e) => e.critical)!;
		const cell = (glyphs: boolean) => {
			const {x, y} = edge.points[0]!;
			return rowText(drawWhole(layout, {glyphs})[y]!)[x];
		};
		expect(cell(false)).toBe('─');
		expect(cell(true)).toBe('━');
	});

	it('culls: a viewport far from the drawing is blank, and its cost does not grow with the stack', async () => {
		const {graph} = await loadDemo();
		const layout = layoutGraph(graph);
		const rows = drawGraph(layout, {viewport: {x: layout.width + 100, y: 0, width: 30, height: 5}});
		expect(rows.map(rowText)).toEqual(Array.from({length: 5}, () => ' '.repeat(30)));
	});
});
