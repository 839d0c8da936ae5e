/**
 * The drawn graph view as data: which nodes are in scope, their layout (memoised per graph), the
 * canvas the pane has for them, the legend, and the viewport arithmetic (pan, centre, keep in
 * view) the reducer and the view share.
 *
 * Invariants:
 * - Pure apart from the memo: a layout is computed once per (Dag, scope, compactness, marker width) and reused
 *   until the workspace brings a new Dag, so a pan key costs a draw of the viewport, never a
 *   layout; the memo is weak on the Dag, so old workspaces' layouts go with them.
 * - The canvas is the pane's content minus the legend rows, and the legend depends only on the
 *   layout and the pane's width: the reducer and the view always agree on the canvas size.
 * - A pan is the layout cell at the canvas's top-left corner (negative: the drawing starts further
 *   in). It is clamped per axis: a drawing larger than the canvas always fills it, a smaller one is
 *   always wholly in it; within that, the selection can be centred and kept in place on reloads.
 */
import {
	drawGraph,
	type GraphLayout,
	type GraphRow,
	type GraphTone,
	graphLegend,
	layoutGraph,
	markerWidthFor,
	type NodeMarker,
	type NodePlan,
	type Workspace,
} from '../../engine/index.js';
import type {Layout} from '../state/layout.js';
import {theme} from '../theme.js';
import {type Deployed, deployedMarker} from './deployed-lines.js';
import {type Line, type Segment, seg} from './line.js';

export type GraphScope = 'stack' | 'neighbourhood';

export interface Pan {
	x: number;
	y: number;
}

/** The plan shown on the graph (plan review): actions by component, and deletes that have no box. */
export interface GraphPlan {
	marks: ReadonlyMap<string, NodePlan>;
	deletedElsewhere: readonly string[];
}

export interface GraphPictureRequest {
	scope: GraphScope;
	/** The selection: the neighbourhood's centre, the highlighted box. */
	centre: string;
	depth: number;
	plan?: GraphPlan;
}

export interface GraphPicture {
	layout: GraphLayout;
	legend: GraphRow[];
	canvas: {width: number; height: number};
}

/** Below this many columns the boxes are one row, without the kind. */
export const compactBelow = 100;
/** Legend rows at most (the cycles first go to the list view). */
const maxLegendRows = 4;
export const panStep = {x: 8, y: 3};

type Dag = Workspace['graph'];

const layouts = new WeakMap<Dag, Map<string, GraphLayout>>();

/** The nodes in scope: every one, or the centre and its up- and downstream to `depth` (9: all). */
export function scopeIds(dag: Dag, scope: GraphScope, centre: string, depth: number): string[] | undefined {
	if (scope === 'stack') return undefined;
	const limit = depth >= 9 ? Number.POSITIVE_INFINITY : depth;
	return [centre, ...dag.upstreamOf(centre, limit).map((r) => r.id), ...dag.downstreamOf(centre, limit).map((r) => r.id)];
}

export function graphLayoutFor(dag: Dag, request: GraphPictureRequest, compact: boolean): GraphLayout {
	const ids = scopeIds(dag, request.scope, request.centre, request.depth);
	const markerWidth = markerWidthFor(request.plan?.marks);
	const key = `${compact ? 'c' : 'f'}${markerWidth}:${ids ? `${request.depth}:${request.centre}` : '*'}`;
	let perDag = layouts.get(dag);
	if (!perDag) {
		perDag = new Map();
		layouts.set(dag, perDag);
	}
	let layout = perDag.get(key);
	if (!layout) {
		layout = layoutGraph(dag, {...(ids ? {ids} : {}), compact, markerWidth});
		perDag.set(key, layout);
	}
	return layout;
}

/** The picture for the full-area pane of `size` (its content: borders excluded); `glyphs`: no colour. */
export function graphPicture(
	workspace: Workspace | undefined,
	request: GraphPictureRequest,
	size: Layout,
	glyphs: boolean,
): GraphPicture | undefined {
	if (!workspace?.graph.nodes.has(request.centre)) return undefined;
	const width = size.width - 2;
	const layout = graphLayoutFor(workspace.graph, request, size.width < compactBelow);
	// Panning asks for the same picture on every key: the last one is kept (the layout is cached per graph).
	const last = lastPicture;
	if (
		last &&
		last.layout === layout &&
		last.graph === workspace.graph &&
		last.plan === request.plan &&
		last.width === width &&
		last.rows === size.fullRows &&
		last.glyphs === glyphs
	)
		return last.picture;
	const picture = drawnPicture(workspace.graph, layout, request, width, size.fullRows, glyphs);
	lastPicture = {layout, graph: workspace.graph, plan: request.plan, width, rows: size.fullRows, glyphs, picture};
	return picture;
}

let lastPicture:
	| {
			layout: GraphLayout;
			graph: Dag;
			plan: GraphPictureRequest['plan'];
			width: number;
			rows: number;
			glyphs: boolean;
			picture: GraphPicture;
	  }
	| undefined;

function drawnPicture(
	graph: Dag,
	layout: GraphLayout,
	request: GraphPictureRequest,
	width: number,
	fullRows: number,
	glyphs: boolean,
): GraphPicture {
	const scoped = new Set(layout.nodes.map((n) => n.id));
	const cycles = graph.cycles.filter((c) => c.every((id) => scoped.has(id)));
	let legend = graphLegend(layout, cycles, {
		width,
		glyphs,
		...(request.plan ? {plan: request.plan.marks, deletedElsewhere: request.plan.deletedElsewhere} : {}),
	});
	if (legend.length > maxLegendRows)
		legend = [...legend.slice(0, maxLegendRows - 1), [{text: `… ${legend.length - maxLegendRows + 1} more: v lists them`, tone: 'legend'}]];
	return {layout, legend, canvas: {width, height: Math.max(1, fullRows - legend.length)}};
}

export function clampPan(picture: GraphPicture, pan: Pan): Pan {
	const {layout, canvas} = picture;
	// Between "the drawing's left edge at the canvas's left" and "its right edge at the canvas's right".
	const clamp = (v: number, spare: number) => Math.min(Math.max(Math.min(0, spare), v), Math.max(0, spare));
	return {x: clamp(pan.x, layout.width - canvas.width), y: clamp(pan.y, layout.height - canvas.height)};
}

/** The pan that puts `id` in the middle of the canvas. */
export function centredOn(picture: GraphPicture, id: string): Pan {
	const node = picture.layout.nodeById.get(id);
	if (!node) return clampPan(picture, {x: 0, y: 0});
	const {canvas} = picture;
	return clampPan(picture, {
		x: node.left + Math.floor(node.width / 2) - Math.floor(canvas.width / 2),
		y: node.top + Math.floor(node.height / 2) - Math.floor(canvas.height / 2),
	});
}

/** The pan that keeps `id` where it was on the canvas in `before` (a reload, a new depth); centred when it was not there. */
export function keptInPlace(before: GraphPicture | undefined, pan: Pan, after: GraphPicture, id: string): Pan {
	const old = before?.layout.nodeById.get(id);
	const now = after.layout.nodeById.get(id);
	if (!old || !now) return now ? centredOn(after, id) : clampPan(after, pan);
	return clampPan(after, {x: pan.x + now.left - old.left, y: pan.y + now.top - old.top});
}

export function panBy(picture: GraphPicture, pan: Pan, dx: number, dy: number): Pan {
	return clampPan(picture, {x: pan.x + dx, y: pan.y + dy});
}

// ---------------------------------------------------------------------------------------------
// Lines for the view

const markerTones: ReadonlyArray<[string, GraphTone]> = [
	[theme.ok, 'ok'],
	[theme.error, 'error'],
	[theme.warning, 'warning'],
];

/** The tree's deployed markers (deployed-lines.ts) as box markers, by component name. */
export function deployedMarkers(workspace: Workspace, deployed: Deployed): Map<string, NodeMarker> | undefined {
	if (!deployed || 'error' in deployed) return undefined;
	const markers = new Map<string, NodeMarker>();
	for (const node of workspace.graph.nodes.values()) {
		const marker = deployedMarker(deployed, node.address);
		if (!marker) continue;
		const tone = markerTones.find(([colour]) => colour === marker.color)?.[1] ?? (marker.dim ? 'muted' : undefined);
		markers.set(node.id, {glyph: marker.text, ...(tone ? {tone} : {})});
	}
	return markers;
}

const toneColours: Readonly<Record<GraphTone, Omit<Segment, 'text'>>> = {
	// Plain edges in the default colour: fewer colour changes per row keep Ink's frame cheap on a pan.
	edge: {},
	kind: {color: theme.kind},
	muted: {dim: true},
	critical: {color: theme.warning},
	error: {color: theme.error},
	ok: {color: theme.ok},
	warning: {color: theme.warning},
	skipped: {dim: true},
	legend: {dim: true},
};

/** Graph rows as workbench lines: tones become the theme's colours, or nothing when `glyphs` (no colour). */
export function graphLines(rows: readonly GraphRow[], glyphs: boolean): Line[] {
	return rows.map((row) =>
		row.map((run) => {
			const style: Omit<Segment, 'text'> = run.tone && !glyphs ? {...toneColours[run.tone]} : {};
			if (run.bold) style.bold = true;
			if (run.inverse) style.inverse = true;
			return seg(run.text, style);
		}),
	);
}

export interface CanvasOptions {
	pan: Pan;
	selected: string;
	markers?: ReadonlyMap<string, NodeMarker>;
	plan?: GraphPlan;
	glyphs: boolean;
}

/** The canvas rows (exactly `picture.canvas.height`) followed by the legend. */
export function canvasLines(picture: GraphPicture, options: CanvasOptions): Line[] {
	const rows = drawGraph(picture.layout, {
		viewport: {...options.pan, ...picture.canvas},
		selected: options.selected,
		glyphs: options.glyphs,
		...(options.markers ? {markers: options.markers} : {}),
		...(options.plan ? {plan: options.plan.marks} : {}),
	});
	return graphLines([...rows, ...picture.legend], options.glyphs);
}
