/**
 * The graph view: the selected component in the middle, what it needs above, what needs it below
 * (formatNeighbourhood). ↑/↓ highlight a neighbour, enter centres on it, ←/→ walk the components
 * in tree order, +/- change the depth. Follows reloads like every other view.
 */
import type {Workspace} from '../engine/index.js';
import {ListView} from './ListView.js';
import {graphModel} from './model/graph-lines.js';
import {type Line, seg} from './model/line.js';
import {Pane} from './Pane.js';
import type {ListCursor} from './state/list-cursor.js';

export interface GraphViewProps {
	workspace: Workspace | undefined;
	centre: string;
	depth: number;
	cursor: ListCursor;
	width: number;
	height: number;
}

export function GraphView({workspace, centre, depth, cursor, width, height}: GraphViewProps) {
	const model = graphModel(workspace, centre, depth);
	const inner = width - 2;
	if (!model) {
		const gone: Line[] = [[seg(`${centre} is not in the stack any more (esc: back to the overview)`, {dim: true})]];
		return (
			<Pane title={`Graph · ${centre}`} focused width={width} height={height}>
				<ListView lines={gone} offset={0} height={height - 2} width={inner} />
			</Pane>
		);
	}
	const depthText = depth >= 9 ? 'all levels' : `depth ${depth}`;
	return (
		<Pane
			title={`Graph · ${model.centre.address}`}
			right={`${depthText} · ↑${model.upstream} ↓${model.downstream}`}
			focused
			width={width}
			height={height}
		>
			<ListView
				lines={model.lines}
				offset={cursor.offset}
				height={height - 2}
				width={inner}
				selected={model.nodeLines[cursor.index]}
				focused
			/>
		</Pane>
	);
}
