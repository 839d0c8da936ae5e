/**
 * `config/*.env` files: `KEY=value` lines that become environment entries of the service's
 * components. Accepted: blank lines, `# comments`, an optional `export ` prefix, unquoted values
 * (trailing ` # comment` dropped), 'single-quoted' literals and "double-quoted" values with \n, \t,
 * \" and \\ escapes. Anything else is a diagnostic at its line; good lines are still used. A
 * reserved name (`__proto__`, …) and a value above `maxScalarChars` are errors like any bad line.
 * Linear in the file's size: a name set again replaces the earlier entry without a scan.
 */
import type {Diagnostic} from '../diagnostics.js';
import type {EnvFileEntry} from '../kinds/kind.js';
import {variableNamePattern} from '../model/fields.js';
import {formatCount, isReservedKey, maxScalarChars} from './input-limits.js';

export interface ParsedEnvFile {
	entries: EnvFileEntry[];
	diagnostics: Diagnostic[];
}

const linePattern = /^\s*(?:export\s+)?([^=\s]+)\s*=\s*(.*)$/;

export function parseEnvFile(file: string, text: string): ParsedEnvFile {
	const entries = new Map<string, EnvFileEntry>();
	const diagnostics: Diagnostic[] = [];
	for (const [index, raw] of text.split(/\r?\n/).entries()) {
		const line = index + 1;
		if (/^\s*(#.*)?$/.test(raw)) continue;
		const match = linePattern.exec(raw);
		const problem = (message: string, hint?: string) =>
			diagnostics.push({severity: 'error', code: 'invalid-env-file', message, file, line, column: 1, hint});
		if (!match) {
			problem('expected KEY=value', 'each line of a .env file is KEY=value, a # comment, or blank');
			continue;
		}
		const [, name = '', rawValue = ''] = match;
		if (!variableNamePattern.test(name)) {
			problem(`"${name}" is not a valid environment variable name`, 'use letters, digits and underscores, not starting with a digit');
			continue;
		}
		if (isReservedKey(name)) {
			problem(`"${name}" cannot be used as a name: it is reserved in JavaScript, which panka is written in`, 'rename the variable');
			continue;
		}
		const value = unquote(rawValue.trim());
		if (value === undefined) {
			problem(`unterminated quoted value for ${name}`, 'close the quote on the same line');
			continue;
		}
		if (value.length > maxScalarChars) {
			problem(
				`the value of ${name} is ${formatCount(value.length, 'characters')} long; the limit is ${formatCount(maxScalarChars, 'characters')}`,
			);
			continue;
		}
		const previous = entries.get(name);
		if (previous !== undefined)
			diagnostics.push({
				severity: 'warning',
				code: 'invalid-env-file',
				message: `${name} is set again; line ${previous.line} is overridden`,
				file,
				line,
				column: 1,
			});
		entries.delete(name); // the later line wins, and takes the later place
		entries.set(name, {name, value, file, line});
	}
	return {entries: [...entries.values()], diagnostics};
}

function unquote(value: string): string | undefined {
	if (value.startsWith("'")) {
		const end = value.indexOf("'", 1);
		return end < 0 ? undefined : value.slice(1, end);
	}
	if (value.startsWith('"')) {
		let out = '';
		for (let i = 1; i < value.length; i++) {
			const ch = value[i];
			if (ch === '"') return out;
			if (ch === '\\' && i + 1 < value.length) {
				const next = value[++i];
				out += next === 'n' ? '\n' : next === 't' ? '\t' : next === 'r' ? '\r' : next;
			} else out += ch;
		}
		return undefined;
	}
	return value.replace(/\s+#.*$/, '');
}
