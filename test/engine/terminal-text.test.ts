/**
 * What reaches a terminal: control and format characters from user text are shown as escapes a
 * person can read (JSON's own, so JSON stays valid); panka's own colours pass the output net.
 */
import {describe, expect, it} from 'vitest';
import {codeFrame, formatCodeFrame, maxFrameColumns} from '../../engine/code-frame.js';
import {printable, printableLines, printableOutput} from '../../engine/terminal-text.js';
import {painter, type Style} from '../../source/context.js';

describe('printable', () => {
	it('escapes C0, DEL, C1 and the bidi and zero-width format characters; leaves the rest', () => {
		expect(printable('a\u001b[2Jb\r\n\tc\u0007\u007f\u009b\u202e\u200b\ufeffé✓')).toBe(
			'a\\u001b[2Jb\\r\\n\\tc\\u0007\\u007f\\u009b\\u202e\\u200b\\ufeffé✓',
		);
		expect(printable('plain text')).toBe('plain text');
		expect(printableLines('one\ntwo\u001b')).toBe('one\ntwo\\u001b');
	});

	it('is JSON-safe: escaped text inside a JSON string still parses to the same value', () => {
		const raw = 'x\u0085y\u2028z\u001b';
		const json = JSON.stringify({value: raw});
		expect(JSON.parse(printableOutput(json))).toEqual({value: raw});
	});
});

describe('printableOutput (the net under every line panka prints)', () => {
	it("keeps panka's own colour sequences, for every style the painter has", () => {
		const paint = painter(true);
		const styles: Style[] = ['red', 'yellow', 'green', 'cyan', 'blue', 'magenta', 'gray', 'bold', 'dim', 'underline'];
		const line = styles.map((s) => paint(s, s)).join(' ') + paint('x', 'red', 'bold');
		expect(line).toContain('\u001b[');
		expect(printableOutput(line)).toBe(line);
	});

	it('escapes every other sequence: hiding text, moving the cursor, retitling the window', () => {
		expect(printableOutput('a\u001b[8mhidden\u001b[2J\u001b]0;owned\u0007\rb')).toBe(
			'a\\u001b[8mhidden\\u001b[2J\\u001b]0;owned\\u0007\\rb',
		);
		expect(printableOutput('keeps\nlines\tand tabs')).toBe('keeps\nlines\tand tabs');
	});
});

describe('code frames', () => {
	it('escape control characters and keep the caret under its column', () => {
		const frame = formatCodeFrame(codeFrame('kind: "\u001b[2J"\nname: x', 2, 7, 1));
		expect(frame).toEqual(['  1 | kind: "\\u001b[2J"', '> 2 | name: x', '    |       ^']);
		// Column 9 is the `b` after two escaped characters: the caret moves with the escapes.
		const [text, caret] = formatCodeFrame(codeFrame('a: "\u001b\u001b" b', 1, 9, 0));
		expect(text).toBe('> 1 | a: "\\u001b\\u001b" b');
		expect(caret!.indexOf('^')).toBe(text!.indexOf(' b') + 1);
	});

	it('cut a long line to a window around the caret', () => {
		const line = `${'x'.repeat(5000)}HERE${'y'.repeat(5000)}`;
		const [text, caret] = formatCodeFrame(codeFrame(line, 1, 5001, 0));
		expect(text!.length).toBeLessThan(maxFrameColumns + 12);
		expect(text).toMatch(/^> 1 \| …x+HEREy+…$/);
		expect(text!.indexOf('HERE')).toBe(caret!.indexOf('^'));
	});
});
