/**
 * Diagnostics as text, compiler style: `file:line:col  error  message  [code]`, the hint, and a
 * code frame for errors. Paths are re-based on the caller's working folder so terminals and
 * editors can open them. Messages, hints and paths quote user files, so they are shown with
 * control characters escaped, and a message is cut at `maxMessageChars`.
 */
import {codeFrame, countBySeverity, type Diagnostic, formatCodeFrame, plural, printable} from '../../engine/index.js';
import type {Workspace} from '../../engine/index.js';
import type {CommandContext, Paint} from '../context.js';
import {displayFile} from '../workspace-options.js';

const maxFrames = 20;
const maxMessageChars = 1000;

/** User-controlled text as a diagnostic line shows it: escaped, and at most maxMessageChars. */
function shown(text: string): string {
	const safe = printable(text);
	return safe.length > maxMessageChars ? `${safe.slice(0, maxMessageChars - 1)}…` : safe;
}

export function renderDiagnostics(
	diagnostics: readonly Diagnostic[],
	workspace: Workspace,
	context: CommandContext,
	paint: Paint,
): string[] {
	const lines: string[] = [];
	let frames = 0;
	for (const d of diagnostics) {
		const file = d.file ? displayFile(context, workspace.root, d.file) : undefined;
		const location = shown(file ? (d.line ? `${file}:${d.line}:${d.column ?? 1}` : file) : (d.flag ?? ''));
		const label =
			d.severity === 'error'
				? paint('error', 'red', 'bold')
				: d.severity === 'warning'
					? paint('warning', 'yellow', 'bold')
					: paint('info', 'cyan');
		lines.push(`${location ? `${paint(location, 'bold')}  ` : ''}${label}  ${shown(d.message)}  ${paint(`[${d.code}]`, 'gray')}`);
		const source = d.file ? workspace.sources.get(d.file) : undefined;
		if (d.severity === 'error' && source !== undefined && d.line && frames < maxFrames) {
			frames++;
			for (const frameLine of formatCodeFrame(codeFrame(source, d.line, d.column ?? 1, 1)))
				lines.push(paint(`    ${frameLine}`, frameLine.startsWith('>') ? 'bold' : 'gray'));
		}
		for (const related of d.related ?? [])
			lines.push(
				`    ${paint('·', 'gray')} ${shown(displayFile(context, workspace.root, related.file))}:${related.line}:${related.column}  ${shown(related.message)}`,
			);
		if (d.hint) lines.push(`    ${paint('hint:', 'cyan')} ${shown(d.hint)}`);
	}
	return lines;
}

/** `3 errors, 1 warning` / `no problems`. */
export function summarizeDiagnostics(diagnostics: readonly Diagnostic[], paint: Paint): string {
	const counts = countBySeverity(diagnostics);
	if (counts.error === 0 && counts.warning === 0) return paint('no problems', 'green');
	const parts: string[] = [];
	if (counts.error) parts.push(paint(`${plural(counts.error, 'error')}`, 'red', 'bold'));
	if (counts.warning) parts.push(paint(`${plural(counts.warning, 'warning')}`, 'yellow'));
	return parts.join(', ');
}
