/**
 * The history screen: the deployments on top (newest first, the selected one marked), what the
 * selected deployment changed below. Exactly `width` × `height` (historyLayout splits it); both
 * panes are windows of Line[] computed by history-state.ts.
 */
import {Box} from 'ink';
import {plural} from '../../engine/index.js';
import {ListView} from '../ListView.js';
import {type Line, seg} from '../model/line.js';
import {Pane} from '../Pane.js';
import {theme} from '../theme.js';
import {changesLines, deploymentCount, deploymentRows, type HistoryState, historyLayout, selectedDeployment} from './history-state.js';

export interface HistoryScreenProps {
	history: HistoryState;
	stack: string;
	environment: string;
	width: number;
	height: number;
}

export function HistoryScreen({history, stack, environment, width, height}: HistoryScreenProps) {
	const {listHeight, diffHeight} = historyLayout(height, deploymentCount(history));
	const inner = Math.max(1, width - 2);
	const list = history.list;
	const selected = selectedDeployment(history);
	let listLines: Line[];
	let right: string | undefined;
	if (!list) listLines = [[seg('reading the state versions…', {dim: true})]];
	else if ('error' in list)
		listLines = [
			[seg(`cannot read the history: ${list.error}`, {color: theme.error})],
			...(list.hint ? [[seg(`hint: ${list.hint}`, {dim: true})]] : []),
		];
	else if (list.history.deployments.length === 0)
		listLines = [[seg(`no deployments recorded: ${stack} (${environment}) was never applied`, {dim: true})]];
	else {
		listLines = deploymentRows(list.history);
		right = `${history.cursor.index + 1} of ${plural(list.history.deployments.length, 'deployment')}`;
	}
	const diff = selected ? changesLines(selected, history.changes.get(selected.label)) : [];
	return (
		<Box flexDirection="column" width={width} height={height}>
			<Pane title={`History · ${stack} · ${environment}`} {...(right ? {right} : {})} focused width={width} height={listHeight}>
				<ListView
					lines={listLines}
					offset={selected ? history.cursor.offset : 0}
					height={listHeight - 2}
					width={inner}
					{...(selected ? {selected: history.cursor.index, focused: true} : {})}
				/>
			</Pane>
			<Pane title={selected ? `Deployment ${selected.label}` : 'Deployment'} width={width} height={diffHeight}>
				<ListView lines={diff} offset={history.diffOffset} height={diffHeight - 2} width={inner} />
			</Pane>
		</Box>
	);
}
