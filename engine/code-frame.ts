/**
 * Code frames: the lines around a position, with a caret under the column, as compilers show
 * them. Pure text (no colour); renderers style the parts. Tabs are shown as `→` so a
 * tab-indentation error is visible.
 */

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

export function codeFrame(source: string, line: number, column: number, context = 2): CodeFrame {
	const all = source.split(/\r?\n/);
	const first = Math.max(1, line - context);
	const last = Math.min(all.length, line + context);
	const lines: CodeFrameLine[] = [];
	for (let n = first; n <= last; n++) lines.push({number: n, text: (all[n - 1] ?? '').replaceAll('\t', '→'), focus: n === line});
	return {lines, caret: Math.max(0, column - 1)};
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
