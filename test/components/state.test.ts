/**
 * Pure pieces of the workbench state: virtualised list cursors, the layout, fitted lines.
 */
import {describe, expect, test} from 'vitest';
import {fitLine, lineText, lineWidth} from '../../components/model/line.js';
import {layoutFor} from '../../components/state/layout.js';
import {cursorMoves, cursorTarget, cursorTo, scrollBy, visibleSlice} from '../../components/state/list-cursor.js';

describe('list cursor', () => {
	test('keeps the cursor in the window and scrolls only when it would leave it', () => {
		let cursor = {index: 0, offset: 0};
		for (let i = 1; i <= 12; i++) {
			cursor = cursorTo(cursor, i, 100, 10);
			expect(cursor.index).toBe(i);
			expect(cursor.offset).toBe(Math.max(0, i - 9));
		}
		cursor = cursorTo(cursor, 5, 100, 10); // back up inside the window: no jump until it leaves
		expect(cursor).toEqual({index: 5, offset: 3});
		cursor = cursorTo(cursor, 1, 100, 10);
		expect(cursor).toEqual({index: 1, offset: 1});
		expect(cursorTo(cursor, 500, 100, 10)).toEqual({index: 99, offset: 90});
		expect(cursorTo(cursor, -3, 100, 10)).toEqual({index: 0, offset: 0});
		expect(cursorTo(cursor, 3, 0, 10)).toEqual({index: 0, offset: 0});
	});

	test('a shrinking list pulls the window back', () => {
		expect(cursorTo({index: 95, offset: 90}, 95, 20, 10)).toEqual({index: 19, offset: 10});
		expect(scrollBy(8, 5, 15, 10)).toBe(5);
		expect(visibleSlice([1, 2, 3, 4, 5], 4, 3)).toEqual([3, 4, 5]);
	});

	test('a movement key goes one row, a page (the window less the row kept in view), or to either end', () => {
		const from = 40;
		const targets = Object.fromEntries(cursorMoves.map((move) => [move, cursorTarget(move, from, 100, 10)]));
		expect(targets).toEqual({'move-up': 39, 'move-down': 41, 'page-up': 31, 'page-down': 49, first: 0, last: 99});
		expect(cursorTarget('page-down', 0, 100, 1)).toBe(1);
		expect(cursorTo({index: 95, offset: 90}, cursorTarget('page-down', 95, 100, 10), 100, 10)).toEqual({index: 99, offset: 90});
	});
});

describe('layout', () => {
	test('the frame is one row shorter than the terminal and the panes add up', () => {
		for (const size of [
			{columns: 120, rows: 40},
			{columns: 80, rows: 24},
			{columns: 200, rows: 60},
			{columns: 60, rows: 14},
		]) {
			const layout = layoutFor(size);
			expect(layout.height).toBe(size.rows - 1);
			expect(1 + layout.mainHeight + layout.diagnosticsHeight + 1).toBe(layout.height);
			expect(layout.fullHeight).toBe(layout.mainHeight + layout.diagnosticsHeight);
			expect(layout.treeWidth + layout.detailWidth).toBe(size.columns);
			expect(layout.tooSmall).toBe(false);
		}
		expect(layoutFor({columns: 50, rows: 10}).tooSmall).toBe(true);
	});
});

describe('fitted lines', () => {
	test('are exactly the width: cut with an ellipsis, padded, never wrapped', () => {
		expect(lineText(fitLine([{text: 'hello '}, {text: 'world', color: 'red'}], 8))).toBe('hello w…');
		expect(lineWidth(fitLine([{text: 'hi'}], 6))).toBe(6);
		expect(lineText(fitLine([{text: 'a\tb\u0007c'}], 10))).toBe('a b\\u0007c');
		expect(lineText(fitLine([{text: 'x\u001b[2Jy'}], 12))).toBe('x\\u001b[2Jy ');
	});
});
