/** `panka validate [folder | stack.yaml]`: every problem of a stack, at file:line:col; exit 1 on errors. */
import path from 'node:path';
import {hasErrors} from '../../engine/index.js';
import {type CommandContext, painter, writeLine} from '../context.js';
import {UsageError} from '../errors.js';
import type {Flags} from '../flags.js';
import {renderDiagnostics, summarizeDiagnostics} from '../render/diagnostics-text.js';
import {diagnosticJson, jsonDocument, stackJson, summaryJson} from '../render/json.js';
import {displayFile, loadWorkspaceFromFlags} from '../workspace-options.js';

export async function validateCommand(args: string[], flags: Flags, context: CommandContext): Promise<number> {
	if (args.length > 1) throw new UsageError(`panka validate takes one folder, got: ${args.join(' ')}`);
	const workspace = await loadWorkspaceFromFlags(context, args[0], flags);
	const failed = hasErrors(workspace.diagnostics);
	if (flags.json) {
		writeLine(
			context.stdout,
			jsonDocument('ValidationResult', {
				ok: !failed,
				stack: stackJson(workspace),
				summary: summaryJson(workspace),
				diagnostics: workspace.diagnostics.map(diagnosticJson),
			}),
		);
		return failed ? 1 : 0;
	}
	const paint = painter(context.color);
	for (const line of renderDiagnostics(workspace.diagnostics, workspace, context, paint)) writeLine(context.stdout, line);
	if (workspace.diagnostics.length > 0) writeLine(context.stdout);
	const mark = failed ? paint('✗', 'red', 'bold') : paint('✓', 'green', 'bold');
	const where = displayFile(context, workspace.root, path.relative(workspace.root, workspace.source) || '.');
	writeLine(
		context.stdout,
		`${mark} ${paint(workspace.stack.name, 'bold')} (${where}, env ${workspace.environment}, tenant ${workspace.tenantName}): ` +
			`${workspace.services.length} services, ${workspace.components.length} components — ${summarizeDiagnostics(workspace.diagnostics, paint)}`,
	);
	return failed ? 1 : 0;
}
