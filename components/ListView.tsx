/**
 * A virtualised list: draws only the rows of the window [offset, offset + height), so a stack with
 * thousands of components costs the same per frame as one with ten. With a cursor, the selected
 * row gets a green bar in the gutter, and is shown inverted while the list has the focus.
 */
import {Box, Text} from 'ink';
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
		<Box flexDirection="column" width={width} height={height} overflow="hidden">
			{rows.map((line, i) => {
				const index = start + i;
				const isSelected = index === selected;
				return (
					<Box key={index} width={width} height={1}>
						{gutter ? <Text color={theme.focusBorder}>{isSelected ? '▌' : ' '}</Text> : null}
						<LineText line={line} width={gutter ? width - 1 : width} inverse={isSelected && focused} bold={isSelected && !focused} />
					</Box>
				);
			})}
		</Box>
	);
}
