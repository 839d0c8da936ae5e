/**
 * The graph view. Drawn (default): the stack's graph (or the selection's neighbourhood) as boxes
 * and edges (graph-picture.ts over engine/graph/draw.ts), the selection inverse, panned with the
 * arrows or hjkl, `/` jumps, enter centres; with the plan's colours when opened from the plan
 * review. As a list (`v`, for screen readers): the selected component in the middle, what it
 * needs above, what needs it below (formatNeighbourhood). Follows reloads like every other view.
 */
import type {Workspace} from '../engine/index.js';
import {ListView} from './ListView.js';
import type {Deployed} from './model/deployed-lines.js';
import {graphModel} from './model/graph-lines.js';
import {canvasLines, deployedMarkers} from './model/graph-picture.js';
import {type Line, seg} from './model/line.js';
import {Pane} from './Pane.js';
import {type GraphScreen, pictureOf} from './state/graph-state.js';
import type {Layout} from './state/layout.js';
import {theme} from './theme.js';

export interface GraphViewProps {
	workspace: Workspace | undefined;
	screen: GraphScreen;
	layout: Layout;
	deployed?: Deployed;
	noColor?: boolean;
}

export function GraphView({workspace, screen, layout, deployed, noColor = false}: GraphViewProps) {
	const {centre, depth, cursor} = screen;
	const width = layout.width;
	const height = layout.fullHeight;
	const inner = width - 2;
	const node = workspace?.graph.nodes.get(centre);
	if (!node || !workspace) {
		const gone: Line[] = [[seg(`${centre} is not in the stack any more (esc: back)`, {dim: true})]];
		return (
			<Pane title={`Graph · ${centre}`} focused width={width} height={height}>
				<ListView lines={gone} offset={0} height={height - 2} width={inner} />
			</Pane>
		);
	}
	const depthText = depth >= 9 ? 'all levels' : `depth ${depth}`;
	const model = screen.drawn ? undefined : graphModel(workspace, centre, depth);
	if (model)
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

	const picture = pictureOf(workspace, screen, {size: layout, glyphs: noColor})!;
	const markers = deployedMarkers(workspace, deployed);
	const lines = canvasLines(picture, {
		pan: screen.pan,
		selected: centre,
		glyphs: noColor,
		...(markers ? {markers} : {}),
		...(screen.plan ? {plan: screen.plan} : {}),
	});
	if (screen.jump !== undefined)
		lines[lines.length - 1] = [seg('jump to: ', {bold: true}), seg(screen.jump), seg('▏', noColor ? {} : {color: theme.accent})];
	const scope = screen.scope === 'stack' ? 'whole stack' : `neighbourhood, ${depthText}`;
	const count = picture.layout.nodes.length;
	return (
		<Pane
			title={`Graph · ${node.address}`}
			right={`${screen.plan ? 'plan · ' : ''}${scope} · ${count} component${count === 1 ? '' : 's'}`}
			focused
			width={width}
			height={height}
			clip={false}
		>
			<ListView lines={lines} offset={0} height={height - 2} width={inner} />
		</Pane>
	);
}
