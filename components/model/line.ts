/**
 * Styled text lines: the unit every pane renders. A pane's content is computed as `Line[]` by pure
 * functions (testable without Ink), then drawn one `<Text>` per line.
 *
 * Invariants:
 * - A line is drawn on exactly one terminal row: `fitLine` truncates (with `…`) and pads to the
 *   width, so no line ever wraps and a pane's height is exactly its number of visible lines.
 * - Widths are counted in UTF-16 code units; every glyph the workbench itself uses (▾ ▸ ✗ ⚠ ← →
 *   ● │) is one column wide. Wide characters from user files may misalign a row, never wrap it.
 *   A tab becomes one space; other control characters are shown escaped, as everywhere panka prints
 *   user text (engine/terminal-text.ts): a terminal would act on them, and break the row count.
 */
import {hasUnsafeCharacters, printable} from '../../engine/index.js';

export interface Segment {
	text: string;
	color?: string;
	dim?: boolean;
	bold?: boolean;
	italic?: boolean;
	inverse?: boolean;
}

export type Line = Segment[];

export const seg = (text: string, style: Omit<Segment, 'text'> = {}): Segment => ({text, ...style});

export function lineText(line: Line): string {
	return line.map((s) => s.text).join('');
}

export function lineWidth(line: Line): number {
	let width = 0;
	for (const s of line) width += s.text.length;
	return width;
}

/** Exactly `width` columns: truncated with an ellipsis, or padded with spaces. */
export function fitLine(input: Line, width: number): Line {
	if (width <= 0) return [];
	const line = input.some((s) => hasUnsafeCharacters(s.text))
		? input.map((s) => ({...s, text: printable(s.text.replaceAll('\t', ' '))}))
		: input;
	const total = lineWidth(line);
	if (total <= width) return total === width ? line : [...line, {text: ' '.repeat(width - total)}];
	const out: Line = [];
	let left = width - 1;
	for (const s of line) {
		if (left <= 0) break;
		if (s.text.length <= left) {
			out.push(s);
			left -= s.text.length;
		} else {
			out.push({...s, text: s.text.slice(0, left)});
			left = 0;
		}
	}
	const last = out.at(-1);
	out.push({text: '…', ...(last?.color ? {color: last.color} : {}), ...(last?.dim ? {dim: true} : {})});
	return out;
}

/** Pad or cut plain text to a column width (for table-like rows). */
export function column(text: string, width: number): string {
	if (width <= 0) return '';
	if (text.length <= width) return text.padEnd(width);
	return `${text.slice(0, Math.max(0, width - 1))}…`;
}

/** `left` then `right` flush against the right edge; `left` is cut first when they do not fit. */
export function spread(left: Line, right: Line, width: number): Line {
	const rightWidth = lineWidth(right);
	if (rightWidth === 0) return fitLine(left, width);
	const room = width - rightWidth - 1;
	if (room <= 0) return fitLine(right, width);
	return [...fitLine(left, room), {text: ' '}, ...right];
}
