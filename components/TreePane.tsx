/**
 * The components tree: services (foldable) and their components, kind and problem counts.
 */
import {ListView} from './ListView.js';
import type {Deployed} from './model/deployed-lines.js';
import {seg} from './model/line.js';
import {treeLines} from './model/tree-lines.js';
import type {Health} from './status/status-lines.js';
import {Pane} from './Pane.js';
import type {KeyedCursor} from './state/workbench-state.js';
import type {TreeRow} from './state/tree-rows.js';

export interface TreePaneProps {
	rows: readonly TreeRow[];
	cursor: KeyedCursor;
	focused: boolean;
	width: number;
	height: number;
	components: number;
	/** Width of the kind column: the longest kind of the workspace. */
	kindWidth: number;
	/** What the recorded state has deployed (markers), when known. */
	deployed?: Deployed;
	/** Each deployed component's health verdict, when read. */
	health?: Health;
}

export function TreePane({rows, cursor, focused, width, height, components, kindWidth, deployed, health}: TreePaneProps) {
	const inner = width - 2;
	const lines = rows.length > 0 ? treeLines(rows, inner - 1, kindWidth, deployed, health) : [[seg('no services yet', {dim: true})]];
	const recorded = deployed && 'statuses' in deployed ? Object.keys(deployed.statuses).length : undefined;
	return (
		<Pane
			title="Components"
			right={recorded === undefined ? String(components) : `${components} · ${recorded} deployed`}
			focused={focused}
			width={width}
			height={height}
		>
			<ListView
				lines={lines}
				offset={cursor.offset}
				height={height - 2}
				width={inner}
				selected={rows.length > 0 ? cursor.index : undefined}
				focused={focused}
			/>
		</Pane>
	);
}
