/**
 * Every diagnostic of the workspace, errors first, as `✗ file:line:col message  code`. `enter`
 * opens the offending lines. A fixed height: problems coming and going never move other panes.
 */
import {countBySeverity, type Diagnostic, formatLocation} from '../engine/index.js';
import {ListView} from './ListView.js';
import {type Line, seg} from './model/line.js';
import {Pane} from './Pane.js';
import type {KeyedCursor} from './state/list-cursor.js';
import {severityColor, severityIcon, theme} from './theme.js';

export interface DiagnosticsPaneProps {
	diagnostics: readonly Diagnostic[] | undefined;
	cursor: KeyedCursor;
	focused: boolean;
	width: number;
	height: number;
}

function diagnosticRow(d: Diagnostic): Line {
	const location = formatLocation(d);
	return [
		seg(`${severityIcon(d.severity)} `, {color: severityColor(d.severity), bold: true}),
		...(location ? [seg(`${location}  `)] : []),
		seg(d.message),
		seg(`  ${d.code}`, {dim: true}),
	];
}

export function DiagnosticsPane({diagnostics, cursor, focused, width, height}: DiagnosticsPaneProps) {
	const inner = width - 2;
	const list = diagnostics ?? [];
	const counts = countBySeverity(list);
	const right =
		diagnostics === undefined
			? ''
			: list.length === 0
				? '✓ none'
				: `✗ ${counts.error}  ⚠ ${counts.warning}${counts.info ? `  ℹ ${counts.info}` : ''}`;
	const lines: Line[] =
		diagnostics === undefined
			? [[seg('loading…', {dim: true})]]
			: list.length === 0
				? [[seg('✓ no problems', {color: theme.ok})]]
				: list.map(diagnosticRow);
	return (
		<Pane title="Diagnostics" right={right} focused={focused} width={width} height={height}>
			<ListView
				lines={lines}
				offset={cursor.offset}
				height={height - 2}
				width={inner}
				selected={list.length > 0 ? cursor.index : undefined}
				focused={focused}
			/>
		</Pane>
	);
}
