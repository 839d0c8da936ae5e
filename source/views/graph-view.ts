/**
 * The view of `panka graph`: the drawing (ASCII levels, DOT, Mermaid, SVG or HTML) on stdout or
 * the file it was written to, then the folder's errors on stderr; or one Graph document.
 */
import {formatAscii, type Workspace} from '../../engine/index.js';
import type {Paint} from '../context.js';
import {renderDiagnostics, summarizeDiagnostics} from '../render/diagnostics-text.js';
import {diagnosticJson, jsonDocument, stackJson} from '../render/json.js';
import type {Views} from './view.js';

export interface GraphView {
	/** Whether the graph is drawn as text (a picture, DOT, Mermaid, ASCII), not carried in a document. */
	readonly drawsText: boolean;
	/** The text drawing of the graph, ASCII when `format` is not one of the others (drawn here, to the terminal's width and colours). */
	drawing(workspace: Workspace, text: string | undefined): void;
	/** A picture written to a file instead of stdout. */
	wrote(file: string): void;
	/** The folder's errors (a graph is still drawn when only some components resolve). */
	errors(workspace: Workspace): void;
}

const errorsOf = (workspace: Workspace) => workspace.diagnostics.filter((d) => d.severity === 'error');

export const graphViews: Views<GraphView> = {
	human: (out) => ({
		drawsText: true,
		drawing(workspace, text) {
			const {context, paint} = out;
			const drawn =
				text ??
				formatAscii(workspace.graph, {
					width: Math.max(60, context.stdout.columns ?? 100),
					color: context.color ? (t, role) => colourRole(paint, t, role) : undefined,
				});
			context.stdout.write(drawn.endsWith('\n') ? drawn : `${drawn}\n`);
		},
		wrote(file) {
			out.note(`wrote ${file}`);
		},
		errors(workspace) {
			const errors = errorsOf(workspace);
			if (errors.length === 0) return;
			for (const line of renderDiagnostics(errors, workspace, out.context, out.errPaint)) out.note(line);
			out.note(summarizeDiagnostics(errors, out.errPaint));
		},
	}),
	json: (out) => ({
		drawsText: false,
		drawing(workspace) {
			const {graph} = workspace;
			out.line(
				jsonDocument('Graph', {
					stack: stackJson(workspace),
					nodes: [...graph.nodes.values()].map((n) => ({
						id: n.id,
						address: n.address,
						kind: n.kind,
						service: n.service,
						level: graph.levelOf(n.id) ?? null,
					})),
					edges: graph.edges.map((e) => ({from: e.from, to: e.to, labels: e.labels, ...(e.position ? {position: e.position} : {})})),
					levels: graph.levels,
					order: graph.order,
					criticalPath: graph.criticalPath,
					cycles: graph.cycles,
					diagnostics: errorsOf(workspace).map(diagnosticJson),
				}),
			);
		},
		wrote() {},
		// The document carries them.
		errors() {},
	}),
};

function colourRole(paint: Paint, text: string, role: string): string {
	switch (role) {
		case 'heading':
			return paint(text, 'bold');
		case 'critical':
			return paint(text, 'yellow');
		case 'cycle':
			return paint(text, 'red', 'bold');
		case 'kind':
		case 'dependency':
		case 'legend':
			return paint(text, 'gray');
		default:
			return text;
	}
}
