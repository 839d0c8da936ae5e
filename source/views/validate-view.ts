/** The view of `panka validate`: every diagnostic at file:line:col and a one-line verdict, or one ValidationResult document. */
import path from 'node:path';
import {hasErrors, type Workspace} from '../../engine/index.js';
import {renderDiagnostics, summarizeDiagnostics} from '../render/diagnostics-text.js';
import {diagnosticJson, jsonDocument, stackJson, summaryJson} from '../render/json.js';
import {displayFile} from '../workspace-options.js';
import type {Views} from './view.js';

export interface ValidateView {
	result(workspace: Workspace): void;
}

export const validateViews: Views<ValidateView> = {
	human: (out) => ({
		result(workspace) {
			const {paint, context} = out;
			const failed = hasErrors(workspace.diagnostics);
			out.lines(renderDiagnostics(workspace.diagnostics, workspace, context, paint));
			if (workspace.diagnostics.length > 0) out.line();
			const mark = failed ? paint('✗', 'red', 'bold') : paint('✓', 'green', 'bold');
			const where = displayFile(context, workspace.root, path.relative(workspace.root, workspace.source) || '.');
			out.line(
				`${mark} ${paint(workspace.stack.name, 'bold')} (${where}, env ${workspace.environment}, tenant ${workspace.tenantName}): ` +
					`${workspace.services.length} services, ${workspace.components.length} components — ${summarizeDiagnostics(workspace.diagnostics, paint)}`,
			);
		},
	}),
	json: (out) => ({
		result(workspace) {
			out.line(
				jsonDocument('ValidationResult', {
					ok: !hasErrors(workspace.diagnostics),
					stack: stackJson(workspace),
					summary: summaryJson(workspace),
					diagnostics: workspace.diagnostics.map(diagnosticJson),
				}),
			);
		},
	}),
};
