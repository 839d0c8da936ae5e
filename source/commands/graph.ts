/**
 * `panka graph [folder] [--format ascii|dot|mermaid|svg|html] [--json]`: the dependency graph on
 * stdout (pipe-able into `dot -Tsvg`; svg and html drawn by panka, see graph-picture.ts); problems
 * go to stderr and make the exit code 1. A folder with no component to draw writes no picture.
 */
import {formatDot, formatMermaid, hasErrors} from '../../engine/index.js';
import type {CommandContext} from '../context.js';
import {UsageError} from '../errors.js';
import type {Flags} from '../flags.js';
import {graphViews} from '../views/graph-view.js';
import {chooseView} from '../views/view.js';
import {loadWorkspaceFromFlags} from '../workspace-options.js';
import {checkPictureFlags, graphPicture, isPictureFormat, writeGraphPicture} from './graph-picture.js';

export async function graphCommand(args: string[], flags: Flags, context: CommandContext): Promise<number> {
	if (args.length > 1) throw new UsageError(`panka graph takes one folder, got: ${args.join(' ')}`);
	const format = flags.format ?? 'ascii';
	checkPictureFlags(format, flags);
	const view = chooseView(graphViews, flags, context);
	const workspace = await loadWorkspaceFromFlags(context, args[0], flags);
	const failed = hasErrors(workspace.diagnostics);
	// Nothing to draw (no stack here, or no component loaded): the errors say why; no empty picture is
	// written (a document, which carries the errors, always is).
	if (!view.drawsText || !failed || workspace.graph.nodes.size > 0) {
		const text = !view.drawsText
			? undefined
			: isPictureFormat(format)
				? await graphPicture(workspace, format, flags.plan)
				: format === 'dot'
					? formatDot(workspace.graph)
					: format === 'mermaid'
						? formatMermaid(workspace.graph)
						: undefined;
		if (flags.out && text !== undefined) {
			await writeGraphPicture(flags.out, text);
			view.wrote(flags.out);
		} else view.drawing(workspace, text);
	}
	view.errors(workspace);
	return failed ? 1 : 0;
}
