/**
 * Code frames: the lines around a position, with a caret under the column, as compilers show
 * them. Pure text (no colour); renderers style the parts.
 *
 * Invariants: the text is safe for a terminal and the caret stays under its column: tabs are shown
 * as `→` (so a tab-indentation error is visible), other control characters escaped
 * (terminal-text.ts), and a line longer than `maxFrameColumns` is cut to a window around the
 * caret with `…` at the cut ends, so a 4 MB single-line file prints one short line.
 */
import {printable} from './terminal-text.js';

export interface CodeFrameLine {
	number: number;
	text: string;
	/** True for the line the position is on. */
	focus: boolean;
}

export interface CodeFrame {
	lines: CodeFrameLine[];
	/** 0-based column of the caret inside the focus line's displayed text. */
	caret: number;
}

/** The widest line a frame shows. */
export const maxFrameColumns = 120;

export function codeFrame(source: string, line: number, column: number, context = 2): CodeFrame {
	const first = Math.max(1, line - context);
	const raw = linesOf(source, first, line + context);
	const last = first + raw.length - 1;
	const focusRaw = raw[line - first] ?? '';
	// The caret's column in displayed text, and the window every line of the frame is cut to.
	const caretAt = shown(focusRaw.slice(0, Math.max(0, column - 1))).length;
	const start = caretAt >= maxFrameColumns ? caretAt - Math.floor(maxFrameColumns / 2) : 0;
	const lines: CodeFrameLine[] = [];
	for (let n = first; n <= last; n++) lines.push({number: n, text: cut(shown(raw[n - first] ?? ''), start), focus: n === line});
	return {lines, caret: caretAt - start + (start > 0 ? 1 : 0)};
}

/** The frame as plain lines: ` 12 | text` and a caret line under the focus line. */
export function formatCodeFrame(frame: CodeFrame): string[] {
	const width = String(frame.lines.at(-1)?.number ?? 0).length;
	const out: string[] = [];
	for (const l of frame.lines) {
		out.push(`${l.focus ? '>' : ' '} ${String(l.number).padStart(width)} | ${l.text}`);
		if (l.focus) out.push(`  ${' '.repeat(width)} | ${' '.repeat(frame.caret)}^`);
	}
	return out;
}

function shown(text: string): string {
	return printable(text.replaceAll('\t', '→'));
}

/** `text` from display column `start`, at most maxFrameColumns wide, `…` where it was cut. */
function cut(text: string, start: number): string {
	const head = start > 0 ? '…' : '';
	const body = text.slice(start, start + maxFrameColumns);
	return head + body + (start + maxFrameColumns < text.length ? '…' : '');
}

/** Lines `first`..`last` (1-based) of `source`, without splitting the whole text. */
function linesOf(source: string, first: number, last: number): string[] {
	const lines: string[] = [];
	let offset = 0;
	for (let n = 1; n <= last && offset <= source.length; n++) {
		const end = source.indexOf('\n', offset);
		const stop = end < 0 ? source.length : end;
		if (n >= first) lines.push(source.slice(offset, stop).replace(/\r$/, ''));
		if (end < 0) break;
		offset = end + 1;
	}
	return lines;
}
