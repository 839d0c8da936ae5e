/**
 * The selected component (or service) in detail: values and their origins, outputs, dependencies,
 * dependents, physical names, networking. Scrolls when focused.
 */
import type {Workspace} from '../engine/index.js';
import {ListView} from './ListView.js';
import type {Deployed} from './model/deployed-lines.js';
import type {Health} from './status/status-lines.js';
import {detailLines, detailTitle, type Selection} from './model/detail-lines.js';
import {Pane} from './Pane.js';

export interface DetailPaneProps {
	workspace: Workspace | undefined;
	selection: Selection;
	offset: number;
	focused: boolean;
	width: number;
	height: number;
	deployed?: Deployed;
	/** Each deployed component's health, when read. */
	health?: Health;
}

export function DetailPane({workspace, selection, offset, focused, width, height, deployed, health}: DetailPaneProps) {
	const inner = width - 2;
	const rows = height - 2;
	const lines = detailLines(workspace, selection, inner, deployed, health);
	const start = Math.min(offset, Math.max(0, lines.length - rows));
	const right = lines.length > rows ? `${start + 1}–${Math.min(start + rows, lines.length)} of ${lines.length}` : undefined;
	return (
		<Pane title={detailTitle(workspace, selection)} right={right} focused={focused} width={width} height={height}>
			<ListView lines={lines} offset={start} height={rows} width={inner} />
		</Pane>
	);
}
