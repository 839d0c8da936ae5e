/**
 * Pane sizes from the terminal size: one pure function, used both by the reducer (to keep every
 * cursor inside its window) and by the views (to draw exactly that window).
 *
 * Invariants:
 * - The frame is `rows - 1` tall: never as tall as the terminal, so Ink never falls back to
 *   clearing the whole screen on each frame (that path flickers), and never taller.
 * - Heights do not depend on the workspace: diagnostics coming and going never move a pane.
 * - Unknown sizes (not a TTY, tests) default to 120×40.
 */

export interface TerminalSize {
	columns: number;
	rows: number;
}

export const defaultSize: TerminalSize = {columns: 120, rows: 40};
export const minimumSize: TerminalSize = {columns: 60, rows: 14};

export interface Layout {
	width: number;
	/** Height of the whole frame. */
	height: number;
	tooSmall: boolean;
	/** Outer sizes of the overview's panes (borders included). */
	treeWidth: number;
	detailWidth: number;
	mainHeight: number;
	diagnosticsHeight: number;
	/** Outer height of a full-area view (graph, diagnostic, help, wizard). */
	fullHeight: number;
	/** Content rows inside each pane (outer height minus the two border rows). */
	treeRows: number;
	detailRows: number;
	diagnosticsRows: number;
	fullRows: number;
}

export function sizeOrDefault(columns: number | undefined, rows: number | undefined): TerminalSize {
	return {
		columns: columns && columns > 0 ? columns : defaultSize.columns,
		rows: rows && rows > 0 ? rows : defaultSize.rows,
	};
}

export function layoutFor(size: TerminalSize): Layout {
	const width = Math.max(20, size.columns);
	const height = Math.max(3, size.rows - 1);
	const tooSmall = size.columns < minimumSize.columns || size.rows < minimumSize.rows;
	const body = Math.max(6, height - 2); // header and footer rows
	const diagnosticsHeight = Math.min(9, Math.max(5, Math.round(body * 0.2)));
	const mainHeight = Math.max(3, body - diagnosticsHeight);
	const treeWidth = Math.min(48, Math.max(34, Math.round(width * 0.38)));
	return {
		width,
		height,
		tooSmall,
		treeWidth,
		detailWidth: width - treeWidth,
		mainHeight,
		diagnosticsHeight,
		fullHeight: body,
		treeRows: mainHeight - 2,
		detailRows: mainHeight - 2,
		diagnosticsRows: diagnosticsHeight - 2,
		fullRows: body - 2,
	};
}
