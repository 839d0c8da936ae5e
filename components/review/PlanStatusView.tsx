/**
 * The screens before a review: the plan being computed (a spinner; esc leaves, the result is then
 * ignored), or why it could not be made (the planner's or the backend's message and hint; p tries
 * again, esc goes back). Both fill the view area exactly, like every other screen.
 */
import {Box, Text} from 'ink';
import Spinner from 'ink-spinner';
import {ListView} from '../ListView.js';
import {wrapText} from '../model/diagnostic-lines.js';
import {type Line, seg} from '../model/line.js';
import {Pane} from '../Pane.js';
import {theme} from '../theme.js';

export type PlanStatusProps = {width: number; height: number} & (
	| {status: 'planning'; stack: string; environment: string}
	| {status: 'failed'; message: string; hint?: string}
);

export function PlanStatusView(props: PlanStatusProps) {
	const {width, height} = props;
	const inner = width - 2;
	if (props.status === 'planning')
		return (
			<Pane title="Plan" right="esc back" focused width={width} height={height}>
				<Box width={inner} height={1}>
					<Text color={theme.accent}>
						<Spinner type="dots" />
					</Text>
					<Text wrap="truncate-end">{` planning ${props.stack} (${props.environment}) against its recorded state…`}</Text>
				</Box>
			</Pane>
		);
	const lines: Line[] = [];
	wrapText(props.message, inner - 2).forEach((text, i) => {
		lines.push([seg(i === 0 ? '✗ ' : '  ', {color: theme.error, bold: true}), seg(text, i === 0 ? {bold: true} : {})]);
	});
	if (props.hint) {
		lines.push([]);
		wrapText(props.hint, inner - 6).forEach((text, i) => {
			lines.push([seg(i === 0 ? 'hint: ' : '      ', {color: theme.ok, bold: true}), seg(text)]);
		});
	}
	lines.push([], [seg('p plans again · esc goes back to the overview', {dim: true})]);
	return (
		<Pane title="Plan failed" right="esc back" focused width={width} height={height}>
			<ListView lines={lines} offset={0} height={height - 2} width={inner} />
		</Pane>
	);
}
