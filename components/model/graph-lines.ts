/**
 * The graph view as lines: the neighbourhood of one component (formatNeighbourhood), upstream
 * above it (deepest first, so the page reads in creation order), downstream below it.
 *
 * Pure. `nodeIds[i]` is the component on line `nodeLines[i]`: the view's cursor moves over those
 * lines only; headings and "none" lines are not selectable. The line count does not depend on the
 * width.
 */
import type {NeighbourhoodEntry, NeighbourhoodNode, Workspace} from '../../engine/index.js';
import {formatNeighbourhood} from '../../engine/index.js';
import {theme} from '../theme.js';
import {type Line, seg} from './line.js';

export interface GraphModel {
	centre: NeighbourhoodNode;
	lines: Line[];
	nodeLines: number[];
	nodeIds: string[];
	/** Index in nodeIds of the centre. */
	centreIndex: number;
	upstream: number;
	downstream: number;
}

export const maxGraphDepth = 9;

function markers(node: NeighbourhoodNode): Line {
	return [
		...(node.critical ? [seg('  ★ critical path', {color: theme.warning})] : []),
		...(node.inCycle ? [seg('  ⟳ in a dependency cycle', {color: theme.error})] : []),
	];
}

function entryLine(entry: NeighbourhoodEntry, arrow: string): Line {
	const indent = '  '.repeat(entry.depth);
	const via = entry.depth > 1 ? `via ${entry.via.join(', ')} · ` : '';
	const how = entry.labels.join(', ');
	return [
		seg(`${indent}${arrow.repeat(entry.depth)} `, {dim: true}),
		seg(entry.address),
		seg(` ${entry.kind}`, {color: theme.kind}),
		...(via || how ? [seg(`  ${via}${how}`, {dim: true})] : []),
		...markers(entry),
	];
}

export function graphModel(workspace: Workspace | undefined, centre: string, depth: number): GraphModel | undefined {
	if (!workspace) return undefined;
	const hood = formatNeighbourhood(workspace.graph, centre, {depth: depth >= maxGraphDepth ? Number.POSITIVE_INFINITY : depth});
	if (!hood) return undefined;
	const lines: Line[] = [];
	const nodeLines: number[] = [];
	const nodeIds: string[] = [];
	const node = (line: Line, id: string) => {
		nodeLines.push(lines.length);
		nodeIds.push(id);
		lines.push(line);
	};
	const name = hood.centre.id;

	lines.push([seg(`Upstream: what ${name} needs (created before it)`, {bold: true}), seg(`  ${hood.upstream.length}`, {dim: true})]);
	if (hood.upstream.length === 0) lines.push([seg('  nothing: it can be created first', {dim: true})]);
	const upstream = [...hood.upstream].sort((a, b) => b.depth - a.depth || a.address.localeCompare(b.address));
	for (const entry of upstream) node(entryLine(entry, '↑'), entry.id);

	lines.push([]);
	const level = workspace.graph.levelOf(name);
	node(
		[
			seg('● ', {color: theme.accent}),
			seg(hood.centre.address, {bold: true}),
			seg(` ${hood.centre.kind}`, {color: theme.kind, bold: true}),
			seg(level === undefined ? '' : `  level ${level} of ${workspace.graph.levels.length - 1}`, {dim: true}),
			...markers(hood.centre),
		],
		name,
	);
	const centreIndex = nodeIds.length - 1;
	lines.push([]);

	lines.push([seg(`Downstream: what needs ${name}`, {bold: true}), seg(`  ${hood.downstream.length}`, {dim: true})]);
	if (hood.downstream.length === 0) lines.push([seg('  nothing depends on it', {dim: true})]);
	for (const entry of hood.downstream) node(entryLine(entry, '↓'), entry.id);

	const path = workspace.graph.criticalPath;
	if (path.ids.length > 0) {
		lines.push([]);
		const onPath = path.ids.includes(name);
		lines.push([
			seg(`Critical path of the stack ≈ ${Math.round(path.seconds)} s: `, {dim: true}),
			seg(path.ids.join(' → '), onPath ? {color: theme.warning} : {dim: true}),
		]);
	}
	return {centre: hood.centre, lines, nodeLines, nodeIds, centreIndex, upstream: hood.upstream.length, downstream: hood.downstream.length};
}
