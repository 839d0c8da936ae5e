/**
 * The dependency graph drawn on a character grid, from a GraphLayout (layout.ts): boxes with the
 * kind, the name and a status marker; edges in a line style per kind; the critical path and cycles
 * marked; the plan's actions when there is a plan. Plus the legend that explains all of it.
 *
 * Invariants:
 * - Pure, and free of any UI library: the result is rows of runs with a semantic `tone`; the
 *   caller maps tones to its colours (the workbench) or drops them (no colour).
 * - Exactly `viewport.height` rows of exactly `viewport.width` columns; only what intersects the
 *   viewport is visited (culling), so a frame costs the viewport, not the stack.
 * - Nothing depends on colour alone: a critical box has a heavy border and a `★`, a box on a cycle
 *   a double border and a `⟳`, a plan action a glyph (`+ ~ ± − ⊘`), the selection is inverse. With
 *   `glyphs` (NO_COLOR), critical-path edges are drawn heavy as well.
 * - Boxes are drawn over edges; where edges meet, their directions merge into one junction glyph.
 */
import type {EdgeKind, GraphLayout, LaidOutEdge, LaidOutNode} from './layout.js';
import type {Change} from '../plan/plan.js';
import {changeSymbol, changeSymbols, symbolTone} from '../presentation.js';
import {printable} from '../terminal-text.js';
import {edgeKinds} from './layout.js';

export type GraphTone = 'edge' | 'kind' | 'muted' | 'critical' | 'error' | 'ok' | 'warning' | 'skipped' | 'legend';

export interface GraphRun {
	text: string;
	tone?: GraphTone;
	bold?: boolean;
	inverse?: boolean;
}

export type GraphRow = GraphRun[];

/** What the plan does to a component; `skipped` is a change the selection leaves out. */
export type PlanMark = 'create' | 'update' | 'replace' | 'delete' | 'no-op' | 'skipped';

/** A component's part of the plan: what happens, its symbol (engine/presentation.ts, as in the review) and tone. */
export interface NodePlan {
	mark: PlanMark;
	symbol: string;
	tone: GraphTone;
}

export interface NodeMarker {
	glyph: string;
	tone?: GraphTone;
}

export interface Viewport {
	x: number;
	y: number;
	width: number;
	height: number;
}

export interface DrawOptions {
	viewport: Viewport;
	selected?: string;
	/** Status markers by node id (what is deployed); a plan mark takes their place. */
	markers?: ReadonlyMap<string, NodeMarker>;
	plan?: ReadonlyMap<string, NodePlan>;
	/** No colour (NO_COLOR): glyphs carry what colour would. */
	glyphs?: boolean;
}

/** The review's mark for a skipped change; a component the plan leaves as it is shows `·`. */
export const skippedSymbol = '○';
export const unchangedPlan: NodePlan = {mark: 'no-op', symbol: '·', tone: 'muted'};

/**
 * What a plan does to each component of the graph (by component name), with the selection's skips;
 * `deletedElsewhere` lists the deletes of components no longer in the folder (they have no box).
 */
export function planMarks(
	plan: {changes: readonly Pick<Change, 'address' | 'name' | 'action' | 'replaceStrategy'>[]},
	skipped: ReadonlySet<string> | ReadonlyMap<string, unknown> = new Set(),
	inGraph: (name: string) => boolean = () => true,
): {marks: Map<string, NodePlan>; deletedElsewhere: string[]} {
	const marks = new Map<string, NodePlan>();
	const deletedElsewhere: string[] = [];
	for (const change of plan.changes) {
		if (change.action === 'delete' && !inGraph(change.name)) deletedElsewhere.push(change.address);
		else if (change.action === 'no-op') marks.set(change.name, unchangedPlan);
		else if (skipped.has(change.address)) marks.set(change.name, {mark: 'skipped', symbol: skippedSymbol, tone: 'skipped'});
		else {
			const symbol = changeSymbol(change);
			marks.set(change.name, {mark: change.action, symbol, tone: symbolTone[symbol]});
		}
	}
	return {marks, deletedElsewhere};
}

/** Cells the marker takes in a box: the longest plan symbol (`-/+`), or one. */
export function markerWidthFor(plan: ReadonlyMap<string, NodePlan> | undefined): number {
	let width = 1;
	for (const node of plan?.values() ?? []) width = Math.max(width, node.symbol.length);
	return width;
}

// ---------------------------------------------------------------------------------------------
// Line styles

const up = 1;
const down = 2;
const left = 4;
const right = 8;

type Family = 'light' | 'heavy' | 'double';

interface LineStyle {
	family: Family;
	horizontal: string;
	vertical: string;
	arrow: string;
}

/** How each kind of edge is drawn. */
export const edgeStyles: Readonly<Record<EdgeKind, LineStyle>> = {
	valueFrom: {family: 'light', horizontal: '─', vertical: '│', arrow: '▶'},
	trigger: {family: 'double', horizontal: '═', vertical: '║', arrow: '▶'},
	subscription: {family: 'light', horizontal: '┄', vertical: '┆', arrow: '▶'},
	target: {family: 'heavy', horizontal: '┅', vertical: '┇', arrow: '▶'},
	dependsOn: {family: 'light', horizontal: '╌', vertical: '╎', arrow: '▷'},
};

const criticalGlyphStyle: LineStyle = {family: 'heavy', horizontal: '━', vertical: '┃', arrow: '▶'};

/** Junctions by family, indexed by the direction mask (up 1, down 2, left 4, right 8). */
const junctions: Readonly<Record<Family, readonly string[]>> = {
	light: [' ', '│', '│', '│', '─', '╯', '╮', '┤', '─', '╰', '╭', '├', '─', '┴', '┬', '┼'],
	heavy: [' ', '┃', '┃', '┃', '━', '┛', '┓', '┫', '━', '┗', '┏', '┣', '━', '┻', '┳', '╋'],
	double: [' ', '║', '║', '║', '═', '╝', '╗', '╣', '═', '╚', '╔', '╠', '═', '╩', '╦', '╬'],
};

interface BoxChars {
	tl: string;
	tr: string;
	bl: string;
	br: string;
	h: string;
	v: string;
}

const boxes: Readonly<Record<'plain' | 'critical' | 'cyclic', BoxChars>> = {
	plain: {tl: '╭', tr: '╮', bl: '╰', br: '╯', h: '─', v: '│'},
	critical: {tl: '┏', tr: '┓', bl: '┗', br: '┛', h: '━', v: '┃'},
	cyclic: {tl: '╔', tr: '╗', bl: '╚', br: '╝', h: '═', v: '║'},
};

// ---------------------------------------------------------------------------------------------
// The grid

const styleFlagBold = 1;
const styleFlagInverse = 2;

class Grid {
	readonly chars: string[];
	readonly tones: (GraphTone | undefined)[];
	readonly flags: Uint8Array;
	readonly masks: Uint8Array;
	readonly lineStyles: (LineStyle | undefined)[];

	constructor(
		readonly viewport: Viewport,
		size = viewport.width * viewport.height,
	) {
		this.chars = new Array<string>(size).fill(' ');
		this.tones = new Array<GraphTone | undefined>(size).fill(undefined);
		this.flags = new Uint8Array(size);
		this.masks = new Uint8Array(size);
		this.lineStyles = new Array<LineStyle | undefined>(size).fill(undefined);
	}

	index(x: number, y: number): number {
		const vx = x - this.viewport.x;
		const vy = y - this.viewport.y;
		if (vx < 0 || vy < 0 || vx >= this.viewport.width || vy >= this.viewport.height) return -1;
		return vy * this.viewport.width + vx;
	}

	put(x: number, y: number, ch: string, tone?: GraphTone, flags = 0): void {
		const i = this.index(x, y);
		if (i < 0) return;
		this.chars[i] = ch;
		this.tones[i] = tone;
		this.flags[i] = flags;
		this.masks[i] = 0;
	}

	text(x: number, y: number, text: string, tone?: GraphTone, flags = 0): void {
		for (let k = 0; k < text.length; k++) this.put(x + k, y, text[k]!, tone, flags);
	}

	line(x: number, y: number, mask: number, style: LineStyle, tone: GraphTone): void {
		const i = this.index(x, y);
		if (i < 0) return;
		this.masks[i]! |= mask;
		this.lineStyles[i] = style;
		this.tones[i] = tone;
		this.flags[i] = tone === 'edge' ? 0 : styleFlagBold;
	}

	rows(): GraphRow[] {
		const {width, height} = this.viewport;
		const out: GraphRow[] = [];
		for (let y = 0; y < height; y++) {
			const row: GraphRow = [];
			let run: GraphRun | undefined;
			let runFlags = -1;
			for (let x = 0; x < width; x++) {
				const i = y * width + x;
				const ch = this.masks[i] ? lineChar(this.masks[i]!, this.lineStyles[i]!) : this.chars[i]!;
				const tone = this.tones[i];
				const flags = this.flags[i]!;
				if (run && run.tone === tone && runFlags === flags) {
					run.text += ch;
					continue;
				}
				run = {
					text: ch,
					...(tone ? {tone} : {}),
					...(flags & styleFlagBold ? {bold: true} : {}),
					...(flags & styleFlagInverse ? {inverse: true} : {}),
				};
				runFlags = flags;
				row.push(run);
			}
			out.push(row);
		}
		return out;
	}
}

function lineChar(mask: number, style: LineStyle): string {
	if (mask === up || mask === down || mask === (up | down)) return style.vertical;
	if (mask === left || mask === right || mask === (left | right)) return style.horizontal;
	return junctions[style.family][mask]!;
}

function intersects(viewport: Viewport, l: number, t: number, r: number, b: number): boolean {
	return r >= viewport.x && l < viewport.x + viewport.width && b >= viewport.y && t < viewport.y + viewport.height;
}

// ---------------------------------------------------------------------------------------------
// Drawing

function edgeTone(edge: LaidOutEdge): GraphTone {
	return edge.cyclic ? 'error' : edge.critical ? 'critical' : 'edge';
}

function drawEdge(grid: Grid, edge: LaidOutEdge, glyphs: boolean): void {
	const style = glyphs && edge.critical ? criticalGlyphStyle : edgeStyles[edge.kind];
	const tone = edgeTone(edge);
	const points = edge.points;
	for (let s = 1; s < points.length; s++) {
		const a = points[s - 1]!;
		const b = points[s]!;
		if (a.y === b.y) {
			const step = b.x > a.x ? 1 : -1;
			for (let x = a.x; x !== b.x + step; x += step) {
				let mask = 0;
				if (x !== a.x) mask |= step > 0 ? left : right;
				if (x !== b.x) mask |= step > 0 ? right : left;
				grid.line(x, a.y, mask, style, tone);
			}
		} else {
			const step = b.y > a.y ? 1 : -1;
			for (let y = a.y; y !== b.y + step; y += step) {
				let mask = 0;
				if (y !== a.y) mask |= step > 0 ? up : down;
				if (y !== b.y) mask |= step > 0 ? down : up;
				grid.line(a.x, y, mask, style, tone);
			}
		}
	}
	const end = points.at(-1);
	if (end) grid.put(end.x, end.y, style.arrow, tone, tone === 'edge' ? 0 : styleFlagBold);
}

function nodeTone(node: LaidOutNode, plan: NodePlan | undefined): GraphTone | undefined {
	if (node.cyclic) return 'error';
	if (plan) return plan.tone;
	return node.critical ? 'critical' : undefined;
}

function markerOf(node: LaidOutNode, options: DrawOptions): NodeMarker {
	if (options.plan) {
		const plan = options.plan.get(node.id) ?? unchangedPlan;
		return {glyph: plan.symbol, tone: plan.tone};
	}
	return options.markers?.get(node.id) ?? {glyph: ' '};
}

function drawNode(grid: Grid, node: LaidOutNode, markerWidth: number, options: DrawOptions): void {
	const tone = nodeTone(node, options.plan?.get(node.id));
	const selected = options.selected === node.id;
	const nameFlags = selected ? styleFlagInverse | styleFlagBold : 0;
	const marker = markerOf(node, options);
	const {left: x, top: y, width, height} = node;
	if (height === 1) {
		grid.put(x, y, selected ? '◉' : node.cyclic ? '⟪' : '[', tone, styleFlagBold);
		grid.text(x + 1, y, marker.glyph.padStart(markerWidth), marker.tone, nameFlags);
		grid.text(
			x + 1 + markerWidth,
			y,
			` ${node.label}`.padEnd(width - 2 - markerWidth),
			tone,
			nameFlags | (node.critical ? styleFlagBold : 0),
		);
		grid.put(x + width - 1, y, node.cyclic ? '⟫' : ']', tone, styleFlagBold);
		return;
	}
	const chars = node.cyclic ? boxes.cyclic : node.critical ? boxes.critical : boxes.plain;
	const borderFlags = selected || node.critical || node.cyclic ? styleFlagBold : 0;
	const badges = `${node.critical ? '★' : ''}${node.cyclic ? '⟳' : ''}${node.selfLoop ? '↻' : ''}`;
	const pin = selected ? '◉' : '';
	const top = `${chars.tl}${pin}${chars.h.repeat(width - 2 - pin.length - badges.length)}${badges}${chars.tr}`;
	grid.text(x, y, top, tone, borderFlags);
	for (let row = 1; row < height - 1; row++) {
		grid.put(x, y + row, chars.v, tone, borderFlags);
		grid.text(x + 1, y + row, ' '.repeat(width - 2));
		grid.put(x + width - 1, y + row, chars.v, tone, borderFlags);
	}
	grid.text(x, y + height - 1, `${chars.bl}${chars.h.repeat(width - 2)}${chars.br}`, tone, borderFlags);
	grid.text(x + 1, y + 1, marker.glyph.padStart(markerWidth), marker.tone, nameFlags);
	grid.text(x + 1 + markerWidth, y + 1, ` ${node.label}`.padEnd(width - 2 - markerWidth), tone, nameFlags | styleFlagBold);
	grid.text(x + 3, y + 2, node.kind.slice(0, width - 4), 'kind');
}

/** The part of the layout inside `viewport`, as rows of styled runs. */
export function drawGraph(layout: GraphLayout, options: DrawOptions): GraphRow[] {
	const viewport = {...options.viewport, width: Math.max(0, options.viewport.width), height: Math.max(0, options.viewport.height)};
	const grid = new Grid(viewport);
	const glyphs = options.glyphs ?? false;
	const visible = layout.edges.filter((e) => intersects(viewport, e.bounds.left, e.bounds.top, e.bounds.right, e.bounds.bottom));
	// Plain edges first, then the critical path, then cycles: the most important tone wins a shared cell.
	const rank = (e: LaidOutEdge) => (e.cyclic ? 2 : e.critical ? 1 : 0);
	for (const edge of [...visible].sort((a, b) => rank(a) - rank(b))) drawEdge(grid, edge, glyphs);
	for (const node of layout.nodes)
		if (intersects(viewport, node.left, node.top, node.left + node.width - 1, node.top + node.height - 1))
			drawNode(grid, node, layout.markerWidth, options);
	return grid.rows();
}

/** The whole layout, every row (for tests and plain-text output). */
export function drawWhole(layout: GraphLayout, options: Omit<DrawOptions, 'viewport'> = {}): GraphRow[] {
	return drawGraph(layout, {...options, viewport: {x: 0, y: 0, width: layout.width, height: layout.height}});
}

export function rowText(row: GraphRow): string {
	return row.map((r) => r.text).join('');
}

// ---------------------------------------------------------------------------------------------
// Legend

export interface LegendOptions {
	plan?: ReadonlyMap<string, NodePlan>;
	glyphs?: boolean;
	/** Wrap to this many columns. */
	width: number;
	/** Addresses of deletes that are not in the graph any more (listed, since they have no box). */
	deletedElsewhere?: readonly string[];
}

export const edgeKindDescriptions: Readonly<Record<EdgeKind, string>> = {
	valueFrom: 'valueFrom (reads an output)',
	trigger: 'trigger (queue → function)',
	subscription: 'subscription (topic)',
	target: 'target (schedule/rule)',
	dependsOn: 'dependsOn',
};

/** One legend entry per thing the legend explains, as the SVG and HTML export show them too. */
export interface LegendItem {
	/** What the entry explains: an edge kind, the direction, the critical path, a cycle, or a plan symbol (`mark` says which). */
	key: EdgeKind | 'direction' | 'critical' | 'cyclic' | 'plan';
	mark?: PlanMark;
	sample: string;
	label: string;
	tone?: GraphTone;
	bold?: boolean;
}

export function legendItems(layout: GraphLayout, options: Omit<LegendOptions, 'width'> = {}): LegendItem[] {
	const present = new Set(layout.edges.map((e) => e.kind));
	const items: LegendItem[] = [{key: 'direction', sample: 'a ─▶ b', label: '= b needs a', tone: 'legend'}];
	for (const kind of edgeKinds)
		if (present.has(kind)) {
			const style = edgeStyles[kind];
			items.push({key: kind, sample: `${style.horizontal.repeat(2)}${style.arrow}`, label: edgeKindDescriptions[kind], tone: 'edge'});
		}
	if (layout.nodes.some((n) => n.critical))
		items.push({key: 'critical', sample: options.glyphs ? '┏★ ━▶' : '┏★', label: 'critical path', tone: 'critical', bold: true});
	if (layout.nodes.some((n) => n.cyclic)) items.push({key: 'cyclic', sample: '╔⟳', label: 'in a cycle', tone: 'error', bold: true});
	if (options.plan) {
		// The review's symbols and words (engine/presentation.ts), for the symbols this plan uses.
		const used = new Map([...options.plan.values()].map((p) => [p.symbol, p]));
		for (const {symbol, meaning} of changeSymbols) {
			const plan = used.get(symbol);
			if (plan) items.push({key: 'plan', mark: plan.mark, sample: symbol, label: meaning, tone: plan.tone, bold: true});
		}
		if (used.has(skippedSymbol))
			items.push({key: 'plan', mark: 'skipped', sample: skippedSymbol, label: 'skipped', tone: 'skipped', bold: true});
	}
	return items;
}

/** The legend under the drawing: the items wrapped to `width`, then the cycles (named) and deletes without a box. */
export function graphLegend(layout: GraphLayout, cycles: readonly (readonly string[])[], options: LegendOptions): GraphRow[] {
	const width = Math.max(10, options.width);
	const rows: GraphRow[] = [];
	let row: GraphRow = [];
	let used = 0;
	for (const item of legendItems(layout, options)) {
		const length = item.sample.length + 1 + item.label.length;
		if (used > 0 && used + 2 + length > width) {
			rows.push(row);
			row = [];
			used = 0;
		}
		if (used > 0) {
			row.push({text: '  '});
			used += 2;
		}
		row.push(
			{text: item.sample, ...(item.tone ? {tone: item.tone} : {}), ...(item.bold ? {bold: true} : {})},
			{text: ` ${item.label}`, tone: 'legend'},
		);
		used += length;
	}
	if (row.length > 0) rows.push(row);
	for (const cycle of cycles)
		rows.push([
			{text: 'cycle: ', tone: 'error', bold: true},
			{text: [...cycle, cycle[0]].map((id) => printable(id ?? '')).join(' → '), tone: 'error'},
		]);
	if (options.deletedElsewhere && options.deletedElsewhere.length > 0)
		rows.push([
			{text: `${changeSymbol({action: 'delete'})} also deleted (no longer in the folder): `, tone: 'error', bold: true},
			{text: options.deletedElsewhere.map(printable).join(', '), tone: 'error'},
		]);
	return rows;
}
