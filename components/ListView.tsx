/**
 * A virtualised list: draws only the rows of the window [offset, offset + height), so a stack with
 * thousands of components costs the same per frame as one with ten. With a cursor, the selected
 * row gets a green bar in the gutter, and is shown inverted while the list has the focus.
 *
 * Rows are memoised on their line: a caller that keeps a row's Line object (the plan review does)
 * lets React skip every row whose line and selection did not change. The list does not clip
 * (`overflow`): it draws at most `height` rows of lines fitted to `width`, so there is nothing to
 * clip, and Ink's clipping re-measures and re-slices every line of every frame.
 */
import {Box, Text} from 'ink';
import {memo} from 'react';
import {LineText} from './LineText.js';
import type {Line} from './model/line.js';
import {visibleSlice} from './state/list-cursor.js';
import {theme} from './theme.js';

export interface ListViewProps {
	lines: readonly Line[];
	offset: number;
	height: number;
	width: number;
	/** Index (in `lines`) of the cursor row; no gutter when undefined. */
	selected?: number;
	focused?: boolean;
}

export function ListView({lines, offset, height, width, selected, focused = false}: ListViewProps) {
	const start = Math.min(Math.max(0, offset), Math.max(0, lines.length - height));
	const rows = visibleSlice(lines, start, height);
	const gutter = selected !== undefined;
	return (
		<Box flexDirection="column" width={width} height={height}>
			{rows.map((line, i) => {
				const index = start + i;
				return <Row key={index} line={line} width={width} gutter={gutter} selected={index === selected} focused={focused} />;
			})}
		</Box>
	);
}

interface RowProps {
	line: Line;
	width: number;
	gutter: boolean;
	selected: boolean;
	focused: boolean;
}

const Row = memo(function Row({line, width, gutter, selected, focused}: RowProps) {
	return (
		<Box width={width} height={1}>
			{gutter ? <Text color={theme.focusBorder}>{selected ? '▌' : ' '}</Text> : null}
			<LineText line={line} width={gutter ? width - 1 : width} inverse={selected && focused} bold={selected && !focused} />
		</Box>
	);
});
