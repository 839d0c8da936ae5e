/**
 * --json views. Every document carries `apiVersion: panka.io/cli/v1` and a `kind`, so scripts can
 * check what they parse; field names are stable (additions only).
 */
import {countBySeverity, type Diagnostic} from '../../engine/index.js';
import type {Workspace} from '../../engine/index.js';

export const cliApiVersion = 'panka.io/cli/v1';

export function jsonDocument(kind: string, body: Record<string, unknown>): string {
	return JSON.stringify({apiVersion: cliApiVersion, kind, ...body}, null, 2);
}

export function diagnosticJson(d: Diagnostic): Record<string, unknown> {
	return {
		severity: d.severity,
		code: d.code,
		message: d.message,
		...(d.file !== undefined ? {file: d.file} : {}),
		...(d.line !== undefined ? {line: d.line, column: d.column ?? 1} : {}),
		...(d.flag ? {flag: d.flag} : {}),
		...(d.hint ? {hint: d.hint} : {}),
		...(d.related?.length ? {related: d.related} : {}),
	};
}

export function stackJson(workspace: Workspace): Record<string, unknown> {
	return {
		name: workspace.stack.name,
		root: workspace.root,
		...(workspace.source !== workspace.root ? {file: workspace.source} : {}),
		tenant: workspace.tenantName,
		environment: workspace.environment,
		...(workspace.stack.description ? {description: workspace.stack.description} : {}),
	};
}

export function summaryJson(workspace: Workspace): Record<string, unknown> {
	const counts = countBySeverity(workspace.diagnostics);
	return {
		services: workspace.services.length,
		components: workspace.components.length,
		errors: counts.error,
		warnings: counts.warning,
		infos: counts.info,
	};
}

export function componentJson(c: Workspace['components'][number]): Record<string, unknown> {
	return {
		name: c.name,
		address: c.address,
		kind: c.kind,
		service: c.service,
		file: c.file,
		line: c.line,
		valid: c.valid,
		summary: c.summary,
		dependsOn: c.references.filter((r) => r.resolved).map((r) => r.component),
		outputs: c.outputs,
		physicalNames: c.physicalNames,
		tags: c.tags,
		...(c.networking ? {networking: c.networking} : {}),
		spec: c.spec,
	};
}
