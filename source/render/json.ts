/**
 * --json views. Every document and every NDJSON event carries the same version marker,
 * `apiVersion: panka.io/cli/v1`, and says what it is (`kind` for a document, `type` for an event),
 * so scripts can check what they parse; field names are stable (additions only). The shapes are
 * documented as JSON Schemas in docs/json/, checked against real output by test/cli/json-schema.test.ts.
 */
import {countBySeverity, type Diagnostic} from '../../engine/essentials.js';
import type {Workspace} from '../../engine/index.js';

export const cliApiVersion = 'panka.io/cli/v1';

export function jsonDocument(kind: string, body: Record<string, unknown>): string {
	return JSON.stringify({apiVersion: cliApiVersion, kind, ...body}, null, 2);
}

/** A document on one line (an error, which may end an NDJSON stream). */
export function jsonLine(kind: string, body: Record<string, unknown>): string {
	return JSON.stringify({apiVersion: cliApiVersion, kind, ...body});
}

/** One NDJSON event (`panka apply --json`, `panka logs --json`): one line, its `type` says what it is. */
export function jsonEvent(event: {type: string}): string {
	return JSON.stringify({apiVersion: cliApiVersion, ...event});
}

export interface ErrorBody {
	exitCode: number;
	/** `usage` (exit 2), `failed` (an expected failure, with a hint), `internal` (a bug, probably). */
	code: 'usage' | 'failed' | 'internal';
	message: string;
	hint?: string | undefined;
	/** The problems at file:line:col the failure is about (a stack folder that does not validate, a refused plan). */
	diagnostics?: readonly Diagnostic[] | undefined;
}

/** The --json view of a failed command; `type: error` makes it an event of an NDJSON stream too. */
export function errorJson({exitCode, code, message, hint, diagnostics}: ErrorBody): Record<string, unknown> {
	return {
		type: 'error',
		ok: false,
		exitCode,
		code,
		message,
		...(hint ? {hint} : {}),
		...(diagnostics?.length ? {diagnostics: diagnostics.map(diagnosticJson)} : {}),
	};
}

/** An expected failure a view reports itself (the command then exits 1): the Error document main.ts prints for a thrown one. */
export function failureLine(message: string, hint?: string): string {
	return jsonLine('Error', errorJson({exitCode: 1, code: 'failed', message, hint}));
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
