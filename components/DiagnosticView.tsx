/**
 * One diagnostic in full: message, the offending lines of the file with a caret, hint and related
 * locations. The source text comes from the workspace (what the engine read), never from disk.
 */
import type {Diagnostic, Workspace} from '../engine/index.js';
import {ListView} from './ListView.js';
import {diagnosticViewLines} from './model/diagnostic-lines.js';
import {Pane} from './Pane.js';

export interface DiagnosticViewProps {
	workspace: Workspace | undefined;
	diagnostic: Diagnostic;
	width: number;
	height: number;
}

export function DiagnosticView({workspace, diagnostic, width, height}: DiagnosticViewProps) {
	const inner = width - 2;
	const lines = diagnosticViewLines(workspace, diagnostic, inner - 1);
	return (
		<Pane title="Diagnostic" right="esc back" focused width={width} height={height}>
			<ListView lines={lines} offset={0} height={height - 2} width={inner} />
		</Pane>
	);
}
