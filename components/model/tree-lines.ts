/**
 * Tree rows as lines: `▾ service  4` / `  component  Kind ●`, with error and warning counts flush
 * right. The marker says what the recorded state has deployed (deployed-lines.ts); without an
 * answer from the state there is no marker column at all. After it, the component's health verdict
 * read from AWS (status/status-lines.ts), once an answer came. Pure; one line per row.
 */
import type {Counts, TreeRow} from '../state/tree-rows.js';
import {theme} from '../theme.js';
import {type Health, healthMarker} from '../status/status-lines.js';
import {type Deployed, deployedMarker} from './deployed-lines.js';
import {column, type Line, seg, spread} from './line.js';

export function countSegments(counts: Counts): Line {
	const out: Line = [];
	if (counts.errors > 0) out.push(seg(`✗${counts.errors}`, {color: theme.error, bold: true}));
	if (counts.warnings > 0) out.push(...(out.length > 0 ? [seg(' ')] : []), seg(`⚠${counts.warnings}`, {color: theme.warning}));
	return out;
}

/** `kindWidth`: the longest kind in the workspace (not just the visible rows), so folding never shifts columns. */
export function treeLines(
	rows: readonly TreeRow[],
	width: number,
	kindWidth: number,
	deployed: Deployed = undefined,
	health: Health = undefined,
): Line[] {
	const markers = deployed !== undefined && !('error' in deployed);
	// The verdict column exists once the health was read, so verdicts arriving never shift the names.
	const verdicts = health !== undefined && !('error' in health);
	// Room for the counts is kept on every row ("✗9 ⚠9" at least), so problems appearing or going
	// away never shift the name and kind columns.
	const countsWidth = Math.max(5, ...rows.map((r) => countSegments(r.counts).reduce((n, s) => n + s.text.length, 0)));
	return rows.map((row) => {
		if (row.type === 'service') {
			const left: Line = [
				seg(row.collapsed ? '▸ ' : '▾ ', {dim: true}),
				seg(row.service.name, {bold: true}),
				seg(` ${row.components}`, {dim: true}),
			];
			return spread(left, countSegments(row.counts), width);
		}
		const counts = countSegments(row.counts);
		const marker = markers ? deployedMarker(deployed, row.component.address) : undefined;
		const verdict = verdicts ? (healthMarker(health, row.component.address) ?? seg(' ')) : undefined;
		const nameWidth = Math.max(4, width - 2 - 1 - kindWidth - (marker ? 2 : 0) - (verdict ? 2 : 0) - 1 - countsWidth);
		const left: Line = [
			seg('  '),
			seg(column(row.component.name, nameWidth), row.counts.errors > 0 ? {color: theme.error} : {}),
			seg(' '),
			seg(column(row.component.kind, kindWidth), {color: theme.kind}),
			...(marker ? [seg(' '), marker] : []),
			...(verdict ? [seg(' '), verdict] : []),
		];
		return spread(left, counts, width);
	});
}
