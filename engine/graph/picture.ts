/**
 * The dependency graph as a picture to share: SVG, and one self-contained HTML file that pans,
 * zooms and shows a component's details on hover (`panka graph --format svg|html`).
 *
 * Invariants:
 * - The same layout as the terminal (layout.ts), scaled from cells to pixels, and the same legend
 *   entries (draw.ts `legendItems`); no Graphviz, no network: the HTML embeds its SVG, style and
 *   script.
 * - Every user string goes through `xml`, so a component name can never inject markup or script
 *   (the HTML's script reads details from the DOM's text, never from interpolated strings).
 * - Stable hooks for tools and tests: each box is `<g class="node" data-id=…>`, each edge a
 *   `<path class="edge edge-<kind>" data-from=… data-to=…>`; the legend is `<g class="legend">`.
 */
import type {Dag} from './dag.js';
import {type LegendItem, legendItems, type NodePlan, type PlanMark, unchangedPlan} from './draw.js';
import type {EdgeKind, GraphLayout, LaidOutEdge, LaidOutNode} from './layout.js';

/** Pixels per cell. */
const cellWidth = 9;
const cellHeight = 18;
const margin = 16;
const legendRow = 22;

export interface PictureOptions {
	title: string;
	plan?: ReadonlyMap<string, NodePlan>;
}

export function xml(text: string): string {
	return text
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/"/g, '&quot;')
		.replace(/'/g, '&#39;')
		.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '\ufffd');
}

const edgeStrokes: Readonly<Record<EdgeKind, {color: string; dash?: string; width: number}>> = {
	valueFrom: {color: '#4b5563', width: 1.5},
	trigger: {color: '#2563eb', width: 3},
	subscription: {color: '#7c3aed', dash: '2 3', width: 1.5},
	target: {color: '#0d9488', dash: '10 3 2 3', width: 2},
	dependsOn: {color: '#6b7280', dash: '6 4', width: 1.5},
};

const planFills: Readonly<Record<PlanMark, string>> = {
	create: '#dcfce7',
	update: '#fef9c3',
	replace: '#ffedd5',
	delete: '#fee2e2',
	'no-op': '#ffffff',
	skipped: '#e5e7eb',
};

const criticalColor = '#b45309';
const errorColor = '#dc2626';

const px = (cellX: number) => cellX * cellWidth;
const py = (cellY: number) => cellY * cellHeight;

function edgePath(edge: LaidOutEdge): string {
	const points = edge.points.map((p) => ({x: px(p.x + 0.5), y: py(p.y + 0.5)}));
	// Start on the dependency's right border; the arrow cell is the one before the dependent's box:
	// end on its left border.
	const first = points[0];
	if (first) points.unshift({x: first.x - cellWidth, y: first.y});
	const last = points.at(-1);
	if (last) points.push({x: last.x + cellWidth, y: last.y});
	return points.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x} ${p.y}`).join(' ');
}

function edgeElement(edge: LaidOutEdge): string {
	const stroke = edgeStrokes[edge.kind];
	const color = edge.cyclic ? errorColor : edge.critical ? criticalColor : stroke.color;
	const width = edge.critical ? stroke.width + 1.5 : stroke.width;
	const classes = ['edge', `edge-${edge.kind}`, ...(edge.critical ? ['critical'] : []), ...(edge.cyclic ? ['cyclic'] : [])].join(' ');
	return `<path class="${classes}" data-from="${xml(edge.from)}" data-to="${xml(edge.to)}" d="${edgePath(edge)}" fill="none" stroke="${color}" stroke-width="${width}"${stroke.dash ? ` stroke-dasharray="${stroke.dash}"` : ''} marker-end="url(#arrow${edge.cyclic ? '-error' : edge.critical ? '-critical' : ''})"><title>${xml(`${edge.from} needs ${edge.to}: ${edge.labels.join(', ')}`)}</title></path>`;
}

function nodeElement(node: LaidOutNode, plan: PictureOptions['plan']): string {
	const part = plan ? (plan.get(node.id) ?? unchangedPlan) : undefined;
	const mark = part?.mark;
	const x = px(node.left + 0.5);
	const y = py(node.top + 0.5);
	const w = px(node.width - 1);
	const h = py(node.height - 1);
	const stroke = node.cyclic ? errorColor : node.critical ? criticalColor : '#374151';
	const strokeWidth = node.cyclic || node.critical ? 3 : 1.5;
	const fill = mark ? planFills[mark] : '#ffffff';
	const dash = mark === 'skipped' ? ' stroke-dasharray="5 3"' : '';
	const badges = `${part ? `${part.symbol} ` : ''}${node.critical ? '★ ' : ''}${node.cyclic ? '⟳ ' : ''}`;
	const classes = [
		'node',
		...(node.critical ? ['critical'] : []),
		...(node.cyclic ? ['cyclic'] : []),
		...(mark ? [`plan-${mark}`] : []),
	].join(' ');
	const textX = x + cellWidth;
	const lines = node.height === 1 ? [`${badges}${node.id}`] : [`${badges}${node.id}`, node.kind];
	const texts = lines
		.map(
			(line, i) =>
				`<text x="${textX}" y="${node.height === 1 ? y + h / 2 + 4 : y + cellHeight * (i + 0.5) + 5}"${i === 0 ? ' font-weight="bold"' : ' fill="#0e7490"'}>${xml(line)}</text>`,
		)
		.join('');
	const details = [
		node.address,
		node.kind,
		...(mark ? [`plan: ${mark}`] : []),
		...(node.critical ? ['on the critical path'] : []),
		...(node.cyclic ? ['in a dependency cycle'] : []),
	];
	return `<g class="${classes}" data-id="${xml(node.id)}" data-address="${xml(node.address)}" data-kind="${xml(node.kind)}"${mark ? ` data-plan="${mark}"` : ''}><title>${xml(details.join('\n'))}</title><rect x="${x}" y="${y}" width="${w}" height="${Math.max(h, cellHeight)}" rx="6" fill="${fill}" stroke="${stroke}" stroke-width="${strokeWidth}"${dash}/>${texts}</g>`;
}

function legendSample(item: LegendItem, x: number, y: number): string {
	switch (item.key) {
		case 'direction':
			return `<text x="${x}" y="${y + 4}">a → b</text>`;
		case 'critical':
			return `<rect x="${x}" y="${y - 7}" width="28" height="14" rx="3" fill="#fff" stroke="${criticalColor}" stroke-width="3"/>`;
		case 'cyclic':
			return `<rect x="${x}" y="${y - 7}" width="28" height="14" rx="3" fill="#fff" stroke="${errorColor}" stroke-width="3"/>`;
		case 'plan': {
			const mark = item.mark ?? 'no-op';
			return `<rect x="${x}" y="${y - 7}" width="32" height="14" rx="3" fill="${planFills[mark]}" stroke="#374151"${mark === 'skipped' ? ' stroke-dasharray="5 3"' : ''}/><text x="${x + 4}" y="${y + 4}">${xml(item.sample)}</text>`;
		}
		default: {
			const stroke = edgeStrokes[item.key];
			return `<path class="edge-${item.key}" d="M${x} ${y} L${x + 28} ${y}" stroke="${stroke.color}" stroke-width="${stroke.width}"${stroke.dash ? ` stroke-dasharray="${stroke.dash}"` : ''} marker-end="url(#arrow)"/>`;
		}
	}
}

/** The legend as rows of SVG, from `top`; returns the markup and its height. */
function legendElement(layout: GraphLayout, dag: Dag, options: PictureOptions, top: number, width: number): {svg: string; height: number} {
	const parts: string[] = [];
	let x = margin;
	let y = top + legendRow / 2;
	for (const item of legendItems(layout, options.plan ? {plan: options.plan} : {})) {
		const label = item.key === 'direction' ? `${item.label} (a is created first)` : item.label;
		const itemWidth = 48 + label.length * 8 + 24;
		if (x > margin && x + itemWidth > width - margin) {
			x = margin;
			y += legendRow;
		}
		parts.push(`<g class="legend-item">${legendSample(item, x, y)}<text x="${x + 48}" y="${y + 4}">${xml(label)}</text></g>`);
		x += itemWidth;
	}
	const scoped = new Set(layout.nodes.map((n) => n.id));
	for (const cycle of dag.cycles.filter((c) => c.every((id) => scoped.has(id)))) {
		y += legendRow;
		parts.push(
			`<text class="cycle" x="${margin}" y="${y + 4}" fill="${errorColor}" font-weight="bold">${xml(`cycle: ${[...cycle, cycle[0]].join(' → ')}`)}</text>`,
		);
	}
	if (dag.criticalPath.ids.length > 0) {
		y += legendRow;
		parts.push(
			`<text class="critical-path" x="${margin}" y="${y + 4}" fill="${criticalColor}">${xml(`critical path ≈ ${Math.round(dag.criticalPath.seconds)} s: ${dag.criticalPath.ids.join(' → ')}`)}</text>`,
		);
	}
	return {svg: `<g class="legend">${parts.join('')}</g>`, height: y + legendRow / 2 - top};
}

function arrowMarker(id: string, color: string): string {
	return `<marker id="${id}" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="10" markerHeight="10" orient="auto-start-reverse"><path d="M0 0 L10 5 L0 10 z" fill="${color}"/></marker>`;
}

/** A standalone SVG document of the layout and its legend. */
export function formatSvg(layout: GraphLayout, dag: Dag, options: PictureOptions): string {
	const graphWidth = px(layout.width) + 2 * margin;
	const width = Math.max(graphWidth, 640);
	const legendTop = py(layout.height) + 2 * margin;
	const legend = legendElement(layout, dag, options, legendTop, width);
	const height = legendTop + legend.height + margin;
	return [
		`<svg xmlns="http://www.w3.org/2000/svg" class="panka-graph" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="ui-monospace, Menlo, Consolas, monospace" font-size="13">`,
		`<title>${xml(options.title)}</title>`,
		`<defs>${arrowMarker('arrow', '#4b5563')}${arrowMarker('arrow-critical', criticalColor)}${arrowMarker('arrow-error', errorColor)}</defs>`,
		`<rect class="background" width="${width}" height="${height}" fill="#f9fafb"/>`,
		`<g class="graph" transform="translate(${margin} ${margin})">`,
		`<g class="edges">${layout.edges.map(edgeElement).join('')}</g>`,
		`<g class="nodes">${layout.nodes.map((n) => nodeElement(n, options.plan)).join('')}</g>`,
		'</g>',
		legend.svg,
		'</svg>',
		'',
	].join('\n');
}

/** One HTML file: the SVG, a details panel, and a small script for pan (drag), zoom (wheel) and hover. */
export function formatHtml(layout: GraphLayout, dag: Dag, options: PictureOptions): string {
	const svg = formatSvg(layout, dag, options);
	return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${xml(options.title)}</title>
<style>
html, body { margin: 0; height: 100%; font-family: ui-monospace, Menlo, Consolas, monospace; background: #f9fafb; }
#viewport { position: absolute; inset: 0; overflow: hidden; cursor: grab; }
#viewport.dragging { cursor: grabbing; }
#viewport > svg { transform-origin: 0 0; }
#details { position: fixed; top: 8px; right: 8px; max-width: 40ch; padding: 8px 10px; background: #fff; border: 1px solid #9ca3af;
  border-radius: 6px; white-space: pre-line; font-size: 13px; box-shadow: 0 2px 6px rgba(0,0,0,.15); }
#details[hidden] { display: none; }
#help { position: fixed; bottom: 8px; right: 8px; font-size: 12px; color: #6b7280; }
g.node:hover rect { stroke-width: 3; }
</style>
</head>
<body>
<div id="viewport">
${svg}</div>
<div id="details" hidden></div>
<div id="help">drag to pan · wheel to zoom · 0 to reset</div>
<script>
(() => {
  const viewport = document.getElementById('viewport');
  const svg = viewport.querySelector('svg');
  const details = document.getElementById('details');
  let scale = 1, x = 0, y = 0, drag;
  const apply = () => { svg.style.transform = 'translate(' + x + 'px,' + y + 'px) scale(' + scale + ')'; };
  viewport.addEventListener('wheel', (event) => {
    event.preventDefault();
    const factor = Math.exp(-event.deltaY * 0.0015);
    const next = Math.min(8, Math.max(0.1, scale * factor));
    x = event.clientX - (event.clientX - x) * (next / scale);
    y = event.clientY - (event.clientY - y) * (next / scale);
    scale = next;
    apply();
  }, {passive: false});
  viewport.addEventListener('pointerdown', (event) => { drag = {x: event.clientX - x, y: event.clientY - y}; viewport.classList.add('dragging'); });
  window.addEventListener('pointermove', (event) => { if (!drag) return; x = event.clientX - drag.x; y = event.clientY - drag.y; apply(); });
  window.addEventListener('pointerup', () => { drag = undefined; viewport.classList.remove('dragging'); });
  window.addEventListener('keydown', (event) => { if (event.key === '0') { scale = 1; x = 0; y = 0; apply(); } });
  for (const node of svg.querySelectorAll('g.node')) {
    node.addEventListener('mouseenter', () => { details.textContent = node.querySelector('title').textContent; details.hidden = false; });
    node.addEventListener('mouseleave', () => { details.hidden = true; });
  }
})();
</script>
</body>
</html>
`;
}
