/**
 * The logs pane: a bordered pane titled with what is tailed, a status line, the window of log
 * rows and the latest notice. Exactly `width` × `height`.
 *
 * Invariants: it is given a LogsView (log-lines.ts), already cut to the window and formatted, so
 * a frame costs the same with 50 lines kept as with 50,000, and at 10,000 lines/s the work per
 * frame is one window.
 */
import {Box} from 'ink';
import {LineText} from '../LineText.js';
import {ListView} from '../ListView.js';
import {Pane} from '../Pane.js';
import type {LogsView} from './log-lines.js';
import {logRows} from './logs-state.js';

export interface LogsScreenProps {
	view: LogsView;
	width: number;
	height: number;
	focused?: boolean;
}

export function LogsScreen({view, width, height, focused = true}: LogsScreenProps) {
	const inner = Math.max(1, width - 2);
	const rows = logRows(height);
	return (
		<Pane
			title={view.title}
			{...(view.position ? {right: view.position} : {})}
			focused={focused}
			width={width}
			height={height}
			clip={false}
		>
			<Box flexDirection="column" width={inner} height={rows + 2}>
				<LineText line={view.status} width={inner} />
				<ListView lines={view.rows} offset={0} height={rows} width={inner} />
				<LineText line={view.notice} width={inner} />
			</Box>
		</Pane>
	);
}
