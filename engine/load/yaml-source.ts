/**
 * YAML files parsed into plain values that remember where every node came from.
 *
 * Invariants:
 * - One file may hold several documents (`---`); each becomes a SourceDocument, and a syntax error
 *   in one document drops only that document (every error is still reported).
 * - Values are plain JSON-like data, so zod and the resolver never see YAML nodes.
 * - Duplicate keys are errors (YAML forbids them; the old tool silently kept the last one).
 * - Aliases are expanded with a cap, so a "billion laughs" file is an error, not a hang.
 *
 * Two parsers, one result. Clean files (nearly all of them) are read with js-yaml, about ten times
 * faster than the `yaml` library; positions, which only diagnostics and the workbench's detail pane
 * ask for, come from a `yaml` parse of that one file on the first `positionOf` call. Any file
 * js-yaml rejects, any file with many aliases, and any file whose document split the two would see
 * differently goes through `yaml` alone, which reports every error with its position and keeps the
 * good documents. Both use the YAML 1.2 core schema plus merge keys, so they read the same values
 * (a spec test compares them).
 */
import {type Document, isAlias, isMap, isPair, isScalar, isSeq, LineCounter, type Node as YamlNode, parseAllDocuments} from 'yaml';
import jsYaml from 'js-yaml';
import type {Diagnostic, SourcePosition} from '../diagnostics.js';

export type PathSegment = string | number;

export interface SourceDocument {
	/** Stack-relative path of the file. */
	file: string;
	/** 0-based index among the non-empty documents of its file. */
	index: number;
	value: unknown;
	/** Position of the node at `path` (its key when `which` is 'key'), or of its nearest ancestor. */
	positionOf(path: readonly PathSegment[], which?: 'key' | 'value'): SourcePosition;
	/** The full source text of the file, for code frames. */
	text: string;
	/** First and last line (1-based, inclusive) the document spans in its file. */
	lines: {first: number; last: number};
}

export interface ParsedYamlFile {
	documents: SourceDocument[];
	diagnostics: Diagnostic[];
	/**
	 * `metadata.name` of documents dropped for syntax errors, when it could still be read: other
	 * files' references to these names are not reported again (the syntax error is the cause).
	 */
	brokenNames: string[];
}

const maxAliasCount = 1_000;
/** Files with more alias uses than this skip the fast path (js-yaml has no alias cap). */
const maxFastAliases = 50;
// `types` is js-yaml's public export of its built-in tags; @types/js-yaml does not declare it.
const {merge} = (jsYaml as unknown as {types: {merge: jsYaml.Type}}).types;
const jsYamlSchema = jsYaml.CORE_SCHEMA.extend({implicit: [merge]});

export function parseYamlFile(file: string, text: string): ParsedYamlFile {
	return parseFast(file, text) ?? parseYamlFileWithPositions(file, text);
}

/** js-yaml values + lazy positions, or undefined when the file needs the full parser. */
function parseFast(file: string, text: string): ParsedYamlFile | undefined {
	if ((text.match(/(?:^|[\s[{,:-])\*[^\s,\]}]+/g)?.length ?? 0) > maxFastAliases) return undefined;
	let values: unknown[];
	try {
		values = jsYaml.loadAll(text, undefined, {schema: jsYamlSchema, filename: file}).filter((v) => v !== null && v !== undefined);
	} catch {
		return undefined;
	}
	const segments = documentSegments(text);
	if (segments.length !== values.length) return undefined;
	let full: ParsedYamlFile | undefined;
	const positioned = (index: number) => {
		full ??= parseYamlFileWithPositions(file, text);
		return full.documents[index];
	};
	return {
		documents: values.map((value, index) => {
			const lines = segments[index]!;
			return {
				file,
				index,
				value,
				text,
				lines,
				positionOf: (path, which) => positioned(index)?.positionOf(path, which) ?? {file, line: lines.first, column: 1},
			};
		}),
		diagnostics: [],
		brokenNames: [],
	};
}

/**
 * Line ranges of the non-empty documents of a file, found from `---` and `...` markers at column 0
 * (inside a document such a line is always a marker in YAML). A document range starts at its
 * marker and ends at its last non-blank line (or its `...` end marker).
 */
export function documentSegments(text: string): Array<{first: number; last: number}> {
	const segments: Array<{first: number; last: number}> = [];
	let current: {first: number; last: number; content: boolean} | undefined;
	const close = () => {
		if (current?.content) segments.push({first: current.first, last: current.last});
		current = undefined;
	};
	const lines = text.split('\n');
	for (let i = 0; i < lines.length; i++) {
		const line = lines[i]!.replace(/\r$/, '');
		const number = i + 1;
		if (/^---(\s|$)/.test(line)) {
			close();
			const rest = line.slice(3).replace(/#.*$/, '').trim();
			current = {first: number, last: number, content: rest !== ''};
			continue;
		}
		if (/^\.\.\.(\s|$)/.test(line)) {
			if (current) current.last = number;
			close();
			continue;
		}
		if (/^\s*(#.*)?$/.test(line)) continue;
		current ??= {first: number, last: number, content: false};
		if (!line.startsWith('%')) current.content = true;
		current.last = number;
	}
	close();
	return segments;
}

/** The full parser: every error with its position, good documents kept, positions eager. */
export function parseYamlFileWithPositions(file: string, text: string): ParsedYamlFile {
	const lineCounter = new LineCounter();
	const diagnostics: Diagnostic[] = [];
	const documents: SourceDocument[] = [];
	const brokenNames: string[] = [];
	const parsed = parseAllDocuments(text, {lineCounter, merge: true, prettyErrors: false});
	const all = Array.isArray(parsed) ? parsed : [parsed];
	const pos = (offset: number): SourcePosition => {
		const {line, col} = lineCounter.linePos(offset);
		return {file, line, column: col};
	};

	for (const doc of all) {
		for (const error of doc.errors) {
			diagnostics.push({
				severity: 'error',
				code: 'yaml-syntax',
				message: yamlMessage(error.code, error.message),
				...pos(errorOffset(text, error.code, error.message, error.pos[0])),
				hint: yamlHint(error.code),
			});
		}
		if (doc.errors.length > 0) {
			const name = recoverName(doc);
			if (name) brokenNames.push(name);
			continue;
		}
		// An empty document (an empty file, a trailing `---`) is harmless.
		if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) continue;
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
			continue;
		}
		const [start = 0, , end = text.length] = doc.range;
		documents.push({
			file,
			index: documents.length,
			value,
			text,
			lines: {first: pos(start).line, last: pos(Math.max(start, end - 1)).line},
			positionOf: (path, which = 'value') => pos(offsetOf(doc, path, which)),
		});
	}
	return {documents, diagnostics, brokenNames};
}

function recoverName(doc: Document): string | undefined {
	try {
		const value = doc.toJS({maxAliasCount}) as {metadata?: {name?: unknown}} | null;
		const name = value?.metadata?.name;
		return typeof name === 'string' ? name : undefined;
	} catch {
		return undefined;
	}
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

/**
 * The parser reports an unclosed quote where the file ends; the useful place is the opening
 * quote, which is the last quote character before that point (a later one would have closed it).
 */
function errorOffset(text: string, code: string, message: string, offset: number): number {
	if (code !== 'MISSING_CHAR') return offset;
	const quote = message.includes('"quote') ? '"' : message.includes("'quote") ? "'" : undefined;
	if (!quote) return offset;
	const opening = text.lastIndexOf(quote, Math.max(0, offset - 1));
	return opening >= 0 ? opening : offset;
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
