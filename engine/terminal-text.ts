/**
 * Text from outside panka — names, values and keys from stack files, file names, state, AWS
 * messages, application logs — made safe to show on a terminal. A terminal acts on control
 * characters: ESC starts sequences that recolour, hide (SGR 8), move the cursor, clear the screen,
 * set the window title or make links; CR rewrites the line; bidirectional overrides reorder what is
 * shown. Printed raw, a value could hide a line of a plan or forge one.
 *
 * `printable` shows every such character as an escape a person can read: `\n`, `\r`, `\t`, and
 * `\u001b` for the rest (C0, DEL, C1, and the Unicode format characters that reorder or hide
 * text). The escapes are JSON's own, so printable text inside a JSON string stays valid JSON with
 * the same value. `printableLines` keeps line breaks and tabs; `printableOutput` is the last line of
 * defence for whole lines of output that already carry panka's own colours (see its comment).
 *
 * Invariant: one definition of "unsafe" (`unsafeCharacter`) for every renderer: the CLI's line
 * renderers and code frames, and the workbench's lines (components/model/line.ts).
 */

/** C0 controls, DEL, C1 controls, and the format characters that reorder or hide text. */
const unsafeCharacter = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb]/;
const everyUnsafeCharacter = new RegExp(unsafeCharacter.source, 'g');

const short: Record<string, string> = {'\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f'};

function escapeCharacter(c: string): string {
	return short[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** `text` with every control and format character shown as an escape; nothing else changes. */
export function printable(text: string): string {
	return unsafeCharacter.test(text) ? text.replace(everyUnsafeCharacter, escapeCharacter) : text;
}

/** Like printable, but line breaks and tabs stay as they are (for multi-line messages). */
export function printableLines(text: string): string {
	return unsafeCharacter.test(text) ? text.replace(everyUnsafeCharacter, (c) => (c === '\n' || c === '\t' ? c : escapeCharacter(c))) : text;
}

/** Whether `text` holds anything `printable` would escape. */
export function hasUnsafeCharacters(text: string): boolean {
	return unsafeCharacter.test(text);
}

/**
 * The SGR sequences panka's own painter writes (node's util.styleText for the styles of
 * source/context.ts): colours, bold, dim, underline and their resets. Nothing else.
 */
const painterSequence = /\u001b\[(?:1|2|4|22|24|31|32|33|34|35|36|39|90)m/y;

/**
 * A whole line of output, as written: panka's own colour sequences, line breaks and tabs pass,
 * every other control character is escaped. Renderers escape user text with `printable` where
 * they put it in a line (so a user's text cannot even change a colour); this catches anything a
 * renderer missed, and leaves JSON output valid (its escapes are JSON's).
 */
export function printableOutput(line: string): string {
	if (!unsafeCharacter.test(line)) return line;
	let out = '';
	let last = 0;
	for (const match of line.matchAll(everyUnsafeCharacter)) {
		const at = match.index;
		if (at < last) continue; // inside a painter sequence already kept
		out += line.slice(last, at);
		const c = match[0];
		painterSequence.lastIndex = at;
		const sequence = c === '\u001b' ? painterSequence.exec(line)?.[0] : undefined;
		if (sequence) {
			out += sequence;
			last = at + sequence.length;
		} else {
			out += c === '\n' || c === '\t' ? c : escapeCharacter(c);
			last = at + 1;
		}
	}
	return out + line.slice(last);
}
