/**
 * `panka graph [folder] [--format ascii|dot|mermaid|svg|html] [--plan plan.json] [--out FILE] [--json]`:
 * the dependency graph on stdout (pipe-able into `dot -Tsvg`), or a picture panka draws itself
 * (svg, html: the workbench's layout and legend; --plan colours it by action) on stdout or into
 * --out; problems go to stderr and make the exit code 1.
 */
import {writeFile} from 'node:fs/promises';
import {
	formatAscii,
	formatDot,
	formatHtml,
	formatMermaid,
	formatSvg,
	hasErrors,
	layoutGraph,
	planMarks,
	readPlanFile,
	type Workspace,
} from '../../engine/index.js';
import {type CommandContext, painter, writeLine} from '../context.js';
import {UsageError} from '../errors.js';
import type {Flags} from '../flags.js';
import {renderDiagnostics, summarizeDiagnostics} from '../render/diagnostics-text.js';
import {diagnosticJson, jsonDocument, stackJson} from '../render/json.js';
import {loadWorkspaceFromFlags} from '../workspace-options.js';

export const graphFormats = ['ascii', 'dot', 'mermaid', 'svg', 'html'] as const;
const pictureFormats = new Set(['svg', 'html']);

export async function graphCommand(args: string[], flags: Flags, context: CommandContext): Promise<number> {
	if (args.length > 1) throw new UsageError(`panka graph takes one folder, got: ${args.join(' ')}`);
	const format = flags.format ?? 'ascii';
	if (!graphFormats.includes(format as (typeof graphFormats)[number]))
		throw new UsageError(`--format ${format}: expected one of ${graphFormats.join(', ')}`);
	if ((flags.plan !== undefined || flags.out !== undefined) && !pictureFormats.has(format))
		throw new UsageError(`--${flags.plan !== undefined ? 'plan' : 'out'} goes with --format svg or html`);
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
	if (pictureFormats.has(format)) {
		const picture = await drawPicture(workspace, format as 'svg' | 'html', flags.plan);
		if (flags.out) {
			await writePicture(flags.out, picture);
			writeLine(context.stderr, `wrote ${flags.out}`);
		} else context.stdout.write(picture);
		return reportProblems(workspace, context);
	}
	const paint = painter(context.color);
	const width = Math.max(60, context.stdout.columns ?? 100);
	const text =
		format === 'dot'
			? formatDot(graph)
			: format === 'mermaid'
				? formatMermaid(graph)
				: formatAscii(graph, {width, color: context.color ? (t, role) => colourRole(paint, t, role) : undefined});
	context.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
	return reportProblems(workspace, context);
}

/** The folder's errors on stderr; the exit code. */
function reportProblems(workspace: Workspace, context: CommandContext): number {
	if (!hasErrors(workspace.diagnostics)) return 0;
	const errors = workspace.diagnostics.filter((d) => d.severity === 'error');
	const errPaint = painter(context.color && !!context.stderr.isTTY);
	for (const line of renderDiagnostics(errors, workspace, context, errPaint)) writeLine(context.stderr, line);
	writeLine(context.stderr, summarizeDiagnostics(errors, errPaint));
	return 1;
}

/** Writes --out; a file that cannot be written is the user's to fix (exit 1 with why), not a crash. */
async function writePicture(file: string, picture: string): Promise<void> {
	try {
		await writeFile(file, picture);
	} catch (error) {
		const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
		throw Object.assign(new Error(`--out ${file}: cannot write the picture there (${reason})`), {
			hint: 'give a file in a folder that exists and that you can write to',
		});
	}
}

/** The SVG or HTML picture of the whole graph, coloured by the plan file's actions when one is given. */
async function drawPicture(workspace: Workspace, format: 'svg' | 'html', planPath: string | undefined): Promise<string> {
	const {graph} = workspace;
	const planFile = planPath ? await readPlanFile(planPath) : undefined;
	if (planFile && planFile.stack !== workspace.stack.name)
		throw new UsageError(`--plan ${planPath} is a plan of stack ${planFile.stack}, not of ${workspace.stack.name}`);
	const skipped = new Set(planFile?.selection?.skipped.map((s) => s.address) ?? []);
	const plan = planFile ? planMarks(planFile.plan, skipped, (name) => graph.nodes.has(name)).marks : undefined;
	const title = `${workspace.stack.name} · dependency graph${planFile ? ' · plan' : ''}`;
	const layout = layoutGraph(graph);
	const options = {title, ...(plan ? {plan} : {})};
	return format === 'svg' ? formatSvg(layout, graph, options) : formatHtml(layout, graph, options);
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
