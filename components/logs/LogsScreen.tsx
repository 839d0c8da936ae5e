/**
 * The logs pane: a bordered pane titled with what is tailed, a status line, the window of log
 * rows and the latest notice. Exactly `width` × `height`.
 *
 * Invariants: only the rows of the window are sliced out and formatted, so a frame costs the same
 * with 50 lines kept as with 50,000, and at 10,000 lines/s the work per frame is one window.
 */
import {Box} from 'ink';
import {useMemo} from 'react';
import {LineText} from '../LineText.js';
import {ListView} from '../ListView.js';
import {Pane} from '../Pane.js';
import {componentColours, emptyLogsLine, logRowLine, logsNoticeLine, logsStatusLine} from './log-lines.js';
import {logRows, type LogsState, logsWindowStart} from './logs-state.js';

export interface LogsScreenProps {
	logs: LogsState;
	width: number;
	height: number;
	focused?: boolean;
}

export function LogsScreen({logs, width, height, focused = true}: LogsScreenProps) {
	const rows = logRows(height);
	const inner = Math.max(1, width - 2);
	const colours = useMemo(() => componentColours(logs.target.components), [logs.target.components]);
	const nameWidth = useMemo(() => Math.max(0, ...logs.target.components.map((c) => c.length)), [logs.target.components]);
	const start = logsWindowStart(logs, rows);
	const window = logs.shown.slice(start, start + rows);
	const lines = window.length > 0 ? window.map((line) => logRowLine(line, colours, nameWidth)) : [emptyLogsLine(logs)];
	const title = `logs · ${logs.target.label}${logs.target.components.length > 1 || logs.target.components[0] !== logs.target.label ? ` (${logs.target.components.join(', ')})` : ''}`;
	const position = logs.shown.length > rows ? `${start + 1}–${start + window.length} of ${logs.shown.length.toLocaleString('en-US')}` : undefined;
	return (
		<Pane title={title} {...(position ? {right: position} : {})} focused={focused} width={width} height={height} clip={false}>
			<Box flexDirection="column" width={inner} height={rows + 2}>
				<LineText line={logsStatusLine(logs)} width={inner} />
				<ListView lines={lines} offset={0} height={rows} width={inner} />
				<LineText line={logsNoticeLine(logs)} width={inner} />
			</Box>
		</Pane>
	);
}
