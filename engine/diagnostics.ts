/**
 * Diagnostics are values, not exceptions (docs/ARCHITECTURE.md §2).
 *
 * Invariants:
 * - Every user-facing problem with a stack folder is a Diagnostic; the front half of the engine
 *   (load → validate → resolve → graph) never throws on user error and collects all problems in
 *   one pass, so a broken file never hides the problems of the others.
 * - `file` is relative to the stack folder and uses `/` separators, so the same diagnostic reads the
 *   same on every machine and in --json; renderers re-base it on the caller's working directory.
 * - `line` and `column` are 1-based, as editors show them.
 * - Problems that come from a command-line flag instead of a file carry `flag` (e.g. `--var`).
 */

export type Severity = 'error' | 'warning' | 'info';

/** Stable identifiers: tests, --json consumers and docs key on these, so never rename one. */
export type DiagnosticCode =
	| 'yaml-syntax'
	| 'empty-document'
	| 'not-a-mapping'
	| 'unknown-api-version'
	| 'unknown-kind'
	| 'wrong-document-kind'
	| 'unknown-field'
	| 'missing-field'
	| 'invalid-type'
	| 'invalid-value'
	| 'invalid-name'
	| 'duplicate-component'
	| 'duplicate-service'
	| 'missing-stack-file'
	| 'missing-services-dir'
	| 'missing-service-file'
	| 'stack-mismatch'
	| 'service-mismatch'
	| 'unknown-reference'
	| 'unknown-output'
	| 'unknown-dependency'
	| 'dependency-cycle'
	| 'unresolved-variable'
	| 'invalid-variable'
	| 'coercion-failed'
	| 'binary-file'
	| 'file-too-large'
	| 'symlink-loop'
	| 'unreadable-file'
	| 'not-a-regular-file'
	| 'value-too-large'
	| 'nesting-too-deep'
	| 'expansion-too-large'
	| 'recursive-alias'
	| 'reserved-key'
	| 'invalid-env-file'
	| 'limit-exceeded'
	| 'kind-not-allowed'
	| 'secret-outside-namespace'
	| 'tenant-mismatch'
	| 'tenant-config'
	| 'no-tenant-config'
	| 'missing-code-path'
	| 'unsupported-combination'
	| 'deprecated-form'
	| 'deprecated-runtime'
	| 'provider-mismatch'
	| 'unknown-environment'
	// The tenant's policies (TenantConfig spec.policies; engine/resolve/tenant-policies.ts), one code per rule.
	| 'policy-encryption-at-rest'
	| 'policy-public-bucket'
	| 'policy-rds-instance-class'
	| 'policy-max-replicas'
	| 'policy-internet-ingress'
	| 'policy-lambda-runtime';

export interface Diagnostic {
	severity: Severity;
	code: DiagnosticCode;
	message: string;
	/** Path relative to the stack folder, `/`-separated. Absent for flag problems. */
	file?: string;
	line?: number;
	column?: number;
	/** The command-line flag the problem came from, when it came from one. */
	flag?: string;
	/** What to do about it. */
	hint?: string;
	/** Other places that take part in the problem (e.g. each member of a cycle). */
	related?: RelatedLocation[];
}

export interface RelatedLocation {
	file: string;
	line: number;
	column: number;
	message: string;
}

export interface SourcePosition {
	file: string;
	line: number;
	column: number;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
	return diagnostics.some((d) => d.severity === 'error');
}

export function countBySeverity(diagnostics: readonly Diagnostic[]): Record<Severity, number> {
	const counts: Record<Severity, number> = {error: 0, warning: 0, info: 0};
	for (const d of diagnostics) counts[d.severity]++;
	return counts;
}

const severityRank: Record<Severity, number> = {error: 0, warning: 1, info: 2};

/** Errors first, then by file, line and column: the order every renderer shows. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
	return [...diagnostics].sort(
		(a, b) =>
			severityRank[a.severity] - severityRank[b.severity] ||
			(a.file ?? '').localeCompare(b.file ?? '') ||
			(a.line ?? 0) - (b.line ?? 0) ||
			(a.column ?? 0) - (b.column ?? 0) ||
			a.message.localeCompare(b.message),
	);
}

/** `file:line:col`, or the flag, or nothing: the location prefix every renderer prints. */
export function formatLocation(d: Pick<Diagnostic, 'file' | 'line' | 'column' | 'flag'>): string {
	if (d.file) return d.line ? `${d.file}:${d.line}:${d.column ?? 1}` : d.file;
	return d.flag ?? '';
}

export function at(position: SourcePosition | undefined): Pick<Diagnostic, 'file' | 'line' | 'column'> {
	return position ? {file: position.file, line: position.line, column: position.column} : {};
}
