/**
 * The status pane: a bordered pane titled with what it shows, a status line (the verdict, when it
 * was read) and the window of health rows from `offset`. Exactly `width` × `height`.
 */
import {Box} from 'ink';
import {LineText} from '../LineText.js';
import {ListView} from '../ListView.js';
import {Pane} from '../Pane.js';
import {type StatusView, statusRows} from './status-lines.js';

export interface StatusScreenProps {
	view: StatusView;
	offset: number;
	width: number;
	height: number;
}

export function StatusScreen({view, offset, width, height}: StatusScreenProps) {
	const inner = Math.max(1, width - 2);
	const rows = statusRows(height);
	const position =
		view.rows.length > rows ? `${offset + 1}–${Math.min(view.rows.length, offset + rows)} of ${view.rows.length}` : undefined;
	return (
		<Pane title={view.title} {...(position ? {right: position} : {})} focused width={width} height={height} clip={false}>
			<Box flexDirection="column" width={inner} height={rows + 1}>
				<LineText line={view.status} width={inner} />
				<ListView lines={view.rows} offset={offset} height={rows} width={inner} />
			</Box>
		</Pane>
	);
}
