/**
 * The components tree: services (foldable) and their components, kind and problem counts.
 */
import {ListView} from './ListView.js';
import {seg} from './model/line.js';
import {treeLines} from './model/tree-lines.js';
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
}

export function TreePane({rows, cursor, focused, width, height, components, kindWidth}: TreePaneProps) {
	const inner = width - 2;
	const lines = rows.length > 0 ? treeLines(rows, inner - 1, kindWidth) : [[seg('no services yet', {dim: true})]];
	return (
		<Pane title="Components" right={String(components)} focused={focused} width={width} height={height}>
			<ListView lines={lines} offset={cursor.offset} height={height - 2} width={inner} selected={rows.length > 0 ? cursor.index : undefined} focused={focused} />
		</Pane>
	);
}
