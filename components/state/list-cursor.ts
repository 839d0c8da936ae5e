/**
 * Cursor and scroll offset of a virtualised list: only rows [offset, offset + height) are drawn.
 *
 * Invariants (for count > 0 and height > 0): 0 ≤ index < count, 0 ≤ offset ≤ max(0, count - height),
 * and offset ≤ index < offset + height. The offset only moves when the cursor would leave the
 * window, so the list never jumps under a cursor that stays visible.
 */

export interface ListCursor {
	index: number;
	offset: number;
}

export const startCursor: ListCursor = {index: 0, offset: 0};

const clamp = (value: number, min: number, max: number) => Math.min(Math.max(value, min), max);

/** Put the cursor on `index` (clamped) and scroll just enough to show it. */
export function cursorTo(cursor: ListCursor, index: number, count: number, height: number): ListCursor {
	if (count <= 0) return startCursor;
	const rows = Math.max(1, height);
	const i = clamp(index, 0, count - 1);
	let offset = cursor.offset;
	if (i < offset) offset = i;
	if (i >= offset + rows) offset = i - rows + 1;
	return {index: i, offset: clamp(offset, 0, Math.max(0, count - rows))};
}

/** The keys that move a cursor (or a scrolled view) in a list. */
export const cursorMoves = ['move-up', 'move-down', 'page-up', 'page-down', 'first', 'last'] as const;
export type CursorMove = (typeof cursorMoves)[number];

export function isCursorMove(command: string): command is CursorMove {
	return (cursorMoves as readonly string[]).includes(command);
}

/**
 * The row a movement key takes the cursor at `index` to, in a list of `count` rows shown `height`
 * rows at a time: one row, a page (a window less one row, so the edge row stays in view), the
 * first or the last. Not clamped: `cursorTo` and `scrollBy` clamp.
 */
export function cursorTarget(move: CursorMove, index: number, count: number, height: number): number {
	const page = Math.max(1, height - 1);
	switch (move) {
		case 'move-up':
			return index - 1;
		case 'move-down':
			return index + 1;
		case 'page-up':
			return index - page;
		case 'page-down':
			return index + page;
		case 'first':
			return 0;
		case 'last':
			return count - 1;
	}
}

/** Scroll a cursor-less view (details, help) by `delta` rows. */
export function scrollBy(offset: number, delta: number, count: number, height: number): number {
	return clamp(offset + delta, 0, Math.max(0, count - Math.max(1, height)));
}

/** The slice of `items` a window shows. */
export function visibleSlice<T>(items: readonly T[], offset: number, height: number): T[] {
	const start = clamp(offset, 0, Math.max(0, items.length - Math.max(0, height)));
	return items.slice(start, start + Math.max(0, height));
}

/** A cursor that also remembers the key of its row, so it stays on that row when rows move. */
export interface KeyedCursor extends ListCursor {
	key?: string;
}
