/**
 * YAML files parsed into plain values that remember where every node came from.
 *
 * Invariants:
 * - One file may hold several documents (`---`); each becomes a SourceDocument, and a syntax error
 *   in one document drops only that document (every error is still reported).
 * - Values are plain JSON-like data (`toJS`), so zod and the resolver never see YAML nodes; the
 *   YAML tree is kept only to answer `positionOf(path)`, lazily, for diagnostics and provenance.
 * - Duplicate keys are errors (YAML forbids them; the old tool silently kept the last one).
 * - Aliases are expanded with a cap, so a "billion laughs" file is an error, not a hang.
 */
import {
	type Document,
	isAlias,
	isMap,
	isPair,
	isScalar,
	isSeq,
	LineCounter,
	type Node as YamlNode,
	parseAllDocuments,
} from 'yaml';
import type {Diagnostic, SourcePosition} from '../diagnostics.js';

export type PathSegment = string | number;

export interface SourceDocument {
	/** Stack-relative path of the file. */
	file: string;
	/** 0-based index of the document in its file. */
	index: number;
	value: unknown;
	/** Position of the node at `path` (its key when `which` is 'key'), or of its nearest ancestor. */
	positionOf(path: readonly PathSegment[], which?: 'key' | 'value'): SourcePosition;
	/** The full source text of the file, for code frames. */
	text: string;
}

export interface ParsedYamlFile {
	documents: SourceDocument[];
	diagnostics: Diagnostic[];
}

const maxAliasCount = 1_000;

export function parseYamlFile(file: string, text: string): ParsedYamlFile {
	const lineCounter = new LineCounter();
	const diagnostics: Diagnostic[] = [];
	const documents: SourceDocument[] = [];
	const parsed = parseAllDocuments(text, {lineCounter, merge: true, prettyErrors: false});
	const all = Array.isArray(parsed) ? parsed : [parsed];
	const pos = (offset: number): SourcePosition => {
		const {line, col} = lineCounter.linePos(offset);
		return {file, line, column: col};
	};

	all.forEach((doc, index) => {
		for (const error of doc.errors) {
			diagnostics.push({
				severity: 'error',
				code: 'yaml-syntax',
				message: yamlMessage(error.code, error.message),
				...pos(error.pos[0]),
				hint: yamlHint(error.code),
			});
		}
		if (doc.errors.length > 0) return;
		if (doc.contents === null) return; // an empty document (e.g. a trailing `---`) is harmless
		let value: unknown;
		try {
			value = doc.toJS({maxAliasCount});
		} catch (error) {
			diagnostics.push({
				severity: 'error',
				code: 'yaml-syntax',
				message: `cannot expand aliases: ${(error as Error).message}`,
				...pos(doc.contents.range?.[0] ?? 0),
			});
			return;
		}
		documents.push({
			file,
			index,
			value,
			text,
			positionOf: (path, which = 'value') => pos(offsetOf(doc, path, which)),
		});
	});
	return {documents, diagnostics};
}

/** Start offset of the node at `path`, falling back to the deepest ancestor that exists. */
function offsetOf(doc: Document, path: readonly PathSegment[], which: 'key' | 'value'): number {
	let node: unknown = doc.contents;
	let offset = rangeStart(node) ?? 0;
	for (let i = 0; i < path.length; i++) {
		const segment = path[i];
		if (isAlias(node)) node = node.resolve(doc);
		let next: unknown;
		let keyOffset: number | undefined;
		if (isMap(node)) {
			const pair = node.items.find((item) => isPair(item) && keyText(item.key) === String(segment));
			if (pair) {
				keyOffset = rangeStart(pair.key);
				next = pair.value;
			}
		} else if (isSeq(node) && typeof segment === 'number') {
			next = node.items[segment];
		}
		if (next === undefined && keyOffset === undefined) break;
		const last = i === path.length - 1;
		offset = (last && which === 'key' ? keyOffset : undefined) ?? rangeStart(next) ?? keyOffset ?? offset;
		node = next;
	}
	return offset;
}

function keyText(key: unknown): string | undefined {
	if (isScalar(key)) return String(key.value);
	return undefined;
}

function rangeStart(node: unknown): number | undefined {
	const range = (node as YamlNode | null | undefined)?.range;
	return range ? range[0] : undefined;
}

function yamlMessage(code: string, message: string): string {
	const first = message.split('\n')[0] ?? message;
	const text = first.replace(/ at line \d+, column \d+:?$/, '');
	return code === 'TAB_AS_INDENT' ? `${text} (YAML indents with spaces only)` : text;
}

function yamlHint(code: string): string | undefined {
	switch (code) {
		case 'TAB_AS_INDENT':
			return 'replace the tab characters at the start of the line with spaces';
		case 'MISSING_CHAR':
			return 'a quoted string was opened and never closed; add the closing quote';
		case 'DUPLICATE_KEY':
			return 'each key may appear once per mapping; remove or merge the repeated key';
		case 'BAD_INDENT':
			return 'check the indentation of this line against its parent';
		default:
			return undefined;
	}
}
