/**
 * The stack overview: the components tree and the details side by side, the diagnostics below.
 * Pane sizes come from the layout only, never from the content.
 */
import {Box} from 'ink';
import {DetailPane} from './DetailPane.js';
import {DiagnosticsPane} from './DiagnosticsPane.js';
import type {Layout} from './state/layout.js';
import {selectionOf} from './state/reducer.js';
import {treeRows} from './state/tree-rows.js';
import type {WorkbenchState} from './state/workbench-state.js';
import {TreePane} from './TreePane.js';

export interface OverviewProps {
	state: WorkbenchState;
	layout: Layout;
}

export function Overview({state, layout}: OverviewProps) {
	const rows = treeRows(state.workspace, state.collapsed);
	const kindWidth = Math.min(12, Math.max(3, ...(state.workspace?.components ?? []).map((c) => c.kind.length)));
	return (
		<Box flexDirection="column" width={layout.width} height={layout.fullHeight}>
			<Box flexDirection="row" width={layout.width} height={layout.mainHeight}>
				<TreePane
					rows={rows}
					cursor={state.tree}
					focused={state.focus === 'tree'}
					width={layout.treeWidth}
					height={layout.mainHeight}
					components={state.workspace?.components.length ?? 0}
					kindWidth={kindWidth}
					deployed={state.deployed}
					health={state.health}
				/>
				<DetailPane
					workspace={state.workspace}
					selection={selectionOf(state)}
					offset={state.detailOffset}
					focused={state.focus === 'detail'}
					width={layout.detailWidth}
					height={layout.mainHeight}
					deployed={state.deployed}
					health={state.health}
				/>
			</Box>
			<DiagnosticsPane
				diagnostics={state.workspace?.diagnostics}
				cursor={state.diagnostics}
				focused={state.focus === 'diagnostics'}
				width={layout.width}
				height={layout.diagnosticsHeight}
			/>
		</Box>
	);
}
