/**
 * The diagnostic view as lines: severity, code, location, message, the offending lines of the file
 * (a code frame from the workspace's own copy of the source) with a caret, the hint and the related
 * locations. Long text is word-wrapped to the width; code lines are cut, never wrapped.
 */
import {codeFrame, type Diagnostic, formatLocation} from '../../engine/index.js';
import type {Workspace} from '../../engine/index.js';
import {severityColor, severityIcon, theme} from '../theme.js';
import {type Line, seg} from './line.js';
import {diagnosticKey} from '../state/tree-rows.js';

/** Greedy word wrap; a word longer than the width is cut into pieces. */
export function wrapText(text: string, width: number): string[] {
	const limit = Math.max(10, width);
	const out: string[] = [];
	for (const paragraph of text.split('\n')) {
		let line = '';
		for (const word of paragraph.split(/\s+/).filter(Boolean)) {
			let w = word;
			while (w.length > limit) {
				if (line) out.push(line);
				out.push(w.slice(0, limit));
				w = w.slice(limit);
				line = '';
			}
			if (!line) line = w;
			else if (line.length + 1 + w.length <= limit) line += ` ${w}`;
			else {
				out.push(line);
				line = w;
			}
		}
		out.push(line);
	}
	return out;
}

export function diagnosticViewLines(workspace: Workspace | undefined, d: Diagnostic, width: number): Line[] {
	const color = severityColor(d.severity);
	const lines: Line[] = [];
	const stillThere = workspace?.diagnostics.some((x) => diagnosticKey(x) === diagnosticKey(d)) ?? true;
	lines.push([
		seg(`${severityIcon(d.severity)} ${d.severity}`, {color, bold: true}),
		seg(`  ${d.code}`, {dim: true}),
		...(stillThere ? [] : [seg('  fixed since: gone after the last reload', {color: theme.ok})]),
	]);
	const location = formatLocation(d);
	if (location) lines.push([seg(location, {bold: true})]);
	for (const text of wrapText(d.message, width)) lines.push([seg(text)]);
	lines.push([]);

	const source = d.file ? workspace?.sources.get(d.file) : undefined;
	if (source !== undefined && d.line !== undefined) {
		const frame = codeFrame(source, d.line, d.column ?? 1, 3);
		const numberWidth = String(frame.lines.at(-1)?.number ?? 0).length;
		for (const l of frame.lines) {
			lines.push([
				seg(l.focus ? '> ' : '  ', {color, bold: true}),
				seg(`${String(l.number).padStart(numberWidth)} │ `, {dim: !l.focus}),
				seg(l.text, l.focus ? {bold: true} : {}),
			]);
			if (l.focus)
				lines.push([seg(`  ${' '.repeat(numberWidth)} │ `, {dim: true}), seg(`${' '.repeat(frame.caret)}^`, {color, bold: true})]);
		}
	} else if (d.file) {
		lines.push([
			seg(d.line === undefined ? `(the problem is with ${d.file} as a whole)` : `(no text of ${d.file} in this workspace)`, {dim: true}),
		]);
	} else if (d.flag) {
		lines.push([seg(`(from the command-line flag ${d.flag})`, {dim: true})]);
	}

	if (d.hint) {
		lines.push([]);
		wrapText(d.hint, width - 6).forEach((text, i) => {
			lines.push([seg(i === 0 ? 'hint: ' : '      ', {color: theme.ok, bold: true}), seg(text)]);
		});
	}
	if (d.related && d.related.length > 0) {
		lines.push([], [seg('Related', {bold: true})]);
		for (const r of d.related) lines.push([seg(`  ${r.file}:${r.line}:${r.column} `, {dim: true}), seg(r.message)]);
	}
	return lines;
}
