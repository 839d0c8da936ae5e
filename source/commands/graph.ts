/**
 * `panka graph [folder] [--format ascii|dot|mermaid|svg|html] [--json]`: the dependency graph on
 * stdout (pipe-able into `dot -Tsvg`; svg and html drawn by panka, see graph-picture.ts); problems
 * go to stderr and make the exit code 1.
 */
import {formatAscii, formatDot, formatMermaid, hasErrors, type Workspace} from '../../engine/index.js';
import {type CommandContext, painter, writeLine} from '../context.js';
import {UsageError} from '../errors.js';
import {checkPictureFlags, graphPicture, isPictureFormat, writeGraphPicture} from './graph-picture.js';
import type {Flags} from '../flags.js';
import {renderDiagnostics, summarizeDiagnostics} from '../render/diagnostics-text.js';
import {diagnosticJson, jsonDocument, stackJson} from '../render/json.js';
import {loadWorkspaceFromFlags} from '../workspace-options.js';

export async function graphCommand(args: string[], flags: Flags, context: CommandContext): Promise<number> {
	if (args.length > 1) throw new UsageError(`panka graph takes one folder, got: ${args.join(' ')}`);
	const format = flags.format ?? 'ascii';
	checkPictureFlags(format, flags);
	const workspace = await loadWorkspaceFromFlags(context, args[0], flags);
	const {graph} = workspace;
	const failed = hasErrors(workspace.diagnostics);
	if (flags.json) {
		writeLine(
			context.stdout,
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
				diagnostics: workspace.diagnostics.filter((d) => d.severity === 'error').map(diagnosticJson),
			}),
		);
		return failed ? 1 : 0;
	}
	// Nothing to draw (no stack here, or no component loaded): the errors say why; no empty picture is written.
	if (failed && graph.nodes.size === 0) return reportErrors(workspace, context);
	const paint = painter(context.color);
	const width = Math.max(60, context.stdout.columns ?? 100);
	const text = isPictureFormat(format)
		? await graphPicture(workspace, format, flags.plan)
		: format === 'dot'
			? formatDot(graph)
			: format === 'mermaid'
				? formatMermaid(graph)
				: formatAscii(graph, {width, color: context.color ? (t, role) => colourRole(paint, t, role) : undefined});
	if (flags.out) await writeGraphPicture(flags.out, text, context);
	else context.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
	return failed ? reportErrors(workspace, context) : 0;
}

/** The folder's errors on stderr; exit 1. */
function reportErrors(workspace: Workspace, context: CommandContext): number {
	const errors = workspace.diagnostics.filter((d) => d.severity === 'error');
	const errPaint = painter(context.color && !!context.stderr.isTTY);
	for (const line of renderDiagnostics(errors, workspace, context, errPaint)) writeLine(context.stderr, line);
	writeLine(context.stderr, summarizeDiagnostics(errors, errPaint));
	return 1;
}

function colourRole(paint: ReturnType<typeof painter>, text: string, role: string): string {
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
