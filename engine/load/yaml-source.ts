/**
 * YAML files parsed into plain values that remember where every node came from.
 *
 * Invariants:
 * - One file may hold several documents (`---`); each becomes a SourceDocument, and a syntax error
 *   in one document drops only that document (every error is still reported).
 * - Values are plain trees of JSON-like data (plain-tree.ts), so zod and the resolver never see
 *   YAML nodes, cycles or shared nodes. A document that breaks a bound of input-limits.ts (alias
 *   expansion, nesting, scalar length) or uses a reserved key is dropped like a syntax error, with
 *   a diagnostic at the node.
 * - Duplicate keys are errors (YAML forbids them; the old tool silently kept the last one).
 * - Bounded work: the positions-aware parser only ever sees text within `maxFullParseBytes` and
 *   `maxFullParseNodes`; beyond them the fast parser's own error and document lines are used.
 *
 * Two parsers, one result. Clean files (nearly all of them) are read with js-yaml, about ten times
 * faster than the `yaml` library; positions, which only diagnostics and the workbench's detail pane
 * ask for, come from a `yaml` parse of that one document on the first `positionOf` call. Any file
 * js-yaml rejects, any file with many aliases, and any file whose document split the two would see
 * differently goes through `yaml` alone, which reports every error with its position and keeps the
 * good documents. Both use the YAML 1.2 core schema plus merge keys, so they read the same values
 * (a spec test compares them).
 */
import {type Document, isAlias, isMap, isPair, isScalar, isSeq, LineCounter, type Node as YamlNode, parseAllDocuments, visit} from 'yaml';
import jsYaml from 'js-yaml';
import type {Diagnostic, SourcePosition} from '../diagnostics.js';
import {formatCount, maxFullParseBytes, maxFullParseNodes, maxNestingDepth, maxParsedNesting, maxProblemsPerFile} from './input-limits.js';
import {type NodeBudget, nodeBudget, type PathSegment, plainTree} from './plain-tree.js';

export type {PathSegment};

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

/** yaml's own alias cap for toJS: alias uses × the size of what they refer to. */
const maxAliasCount = 1_000;
/** Files with more alias uses than this skip the fast path (js-yaml has no alias cap). */
const maxFastAliases = 50;
// `types` is js-yaml's public export of its built-in tags; @types/js-yaml does not declare it.
const {merge} = (jsYaml as unknown as {types: {merge: jsYaml.Type}}).types;
const jsYamlSchema = jsYaml.CORE_SCHEMA.extend({implicit: [merge]});

type Position = (path: readonly PathSegment[], which?: 'key' | 'value') => SourcePosition;

export function parseYamlFile(file: string, text: string): ParsedYamlFile {
	try {
		return parseBounded(file, text);
	} catch (error) {
		// Neither parser should throw on any text (a fuzz test holds them to it); if one does, the
		// file is reported, not the process ended.
		const deep = error instanceof RangeError;
		return {
			documents: [],
			diagnostics: [
				{
					severity: 'error',
					code: deep ? 'nesting-too-deep' : 'yaml-syntax',
					message: deep ? nestingMessage : `cannot read this YAML: ${(error as Error).message}`,
					file,
					line: 1,
					column: 1,
				},
			],
			brokenNames: [],
		};
	}
}

function parseBounded(file: string, text: string): ParsedYamlFile {
	const deep = refuseDeepNesting(file, text);
	if (deep) return deep;
	const small = fitsFullParse(text);
	const fast = readFast(file, text);
	if ('values' in fast) {
		const aliases = text.match(/(?:^|[\s[{,:-])\*[^\s,\]}]+/g)?.length ?? 0;
		const segments = documentSegments(text);
		const aligned = segments.length === fast.values.length;
		const simple = aliases <= maxFastAliases && aligned && !complexKey.test(text);
		if (!small || simple) return fastResult(file, text, fast.values, aligned ? segments : undefined);
	}
	if (small) return parseYamlFileWithPositions(file, text);
	// Too big for the positions-aware parser, and js-yaml refused it: its error is the diagnostic.
	return {documents: [], diagnostics: ['error' in fast ? fast.error : []].flat(), brokenNames: []};
}

/** Whether the positions-aware parser may take `text` (input-limits.ts). */
function fitsFullParse(text: string): boolean {
	return text.length <= maxFullParseBytes && estimateNodes(text) <= maxFullParseNodes;
}

/**
 * Both parsers recurse once per level of nesting and run out of stack somewhere near a thousand
 * levels (where exactly depends on the engine's state). A text that nests past
 * `maxParsedNesting` is refused before either parser sees it, at the line where it gets there;
 * plainTree reports the nesting between `maxNestingDepth` and that, with the exact position.
 */
function refuseDeepNesting(file: string, text: string): ParsedYamlFile | undefined {
	const at = deepNestingAt(text, maxParsedNesting);
	if (!at) return undefined;
	return {
		documents: [],
		diagnostics: [{severity: 'error', code: 'nesting-too-deep', message: nestingMessage, file, ...at, hint: 'flatten the structure'}],
		brokenNames: [],
	};
}

/**
 * Where the nesting of `text` first goes past `limit`, or undefined. An estimate that errs high
 * only for plain scalars with unbalanced brackets: block levels are counted from indentation and
 * `- ` markers, flow levels from brackets outside quotes and comments.
 */
function deepNestingAt(text: string, limit: number): {line: number; column: number} | undefined {
	const indents: number[] = [];
	let flow = 0;
	let quote: string | undefined;
	const lines = text.split('\n');
	for (let index = 0; index < lines.length; index++) {
		const raw = lines[index]!;
		let column = 0;
		if (flow === 0 && quote === undefined) {
			while (raw[column] === ' ') column++;
			if (column === raw.length || raw[column] === '#' || raw[column] === '\r') continue;
			while (indents.length > 0 && indents.at(-1)! >= column) indents.pop();
			indents.push(column);
			for (let c = column; raw[c] === '-' && (raw[c + 1] === ' ' || raw[c + 1] === undefined); c += 2) indents.push(c + 1);
			if (indents.length > limit) return {line: index + 1, column: column + 1};
		}
		for (let c = column; c < raw.length; c++) {
			const ch = raw[c];
			if (quote !== undefined) {
				if (ch === '\\' && quote === '"') c++;
				else if (ch === quote) quote = undefined;
			} else if (ch === '"' || ch === "'") {
				if (c === 0 || /[\s[{,:]/.test(raw[c - 1]!)) quote = ch;
			} else if (ch === '#' && (c === 0 || /\s/.test(raw[c - 1]!))) break;
			else if (ch === '[' || ch === '{') {
				if (++flow + indents.length > limit) return {line: index + 1, column: c + 1};
			} else if ((ch === ']' || ch === '}') && flow > 0) flow--;
		}
	}
	return undefined;
}

/** A cheap upper estimate of a text's nodes: one per line, comma, `[` and `{`. */
function estimateNodes(text: string): number {
	let count = 1;
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (c === 10 || c === 44 || c === 91 || c === 123) count++;
	}
	return count;
}

/** js-yaml's values (aliases still shared), or its first error as a diagnostic. */
function readFast(file: string, text: string): {values: unknown[]} | {error: Diagnostic} {
	try {
		return {values: jsYaml.loadAll(text, undefined, {schema: jsYamlSchema}).filter((v) => v !== null && v !== undefined)};
	} catch (error) {
		const mark = (error as {mark?: {line: number; column: number}}).mark;
		const deep = error instanceof RangeError;
		return {
			error: {
				severity: 'error',
				code: deep ? 'nesting-too-deep' : 'yaml-syntax',
				message: deep ? nestingMessage : ((error as {reason?: string}).reason ?? (error as Error).message.split('\n')[0]!),
				file,
				line: (mark?.line ?? 0) + 1,
				column: (mark?.column ?? 0) + 1,
			},
		};
	}
}

/**
 * A line that starts a key that is not a scalar: `? …` (explicit key) or `[…]:` / `{…}:`. js-yaml
 * turns such keys into strings its own way; the full parser reports them instead.
 */
const complexKey = /^[ \t]*(?:- +)*(?:\?(?:[ \t]|$)|[[{][^\n]*[\]}][ \t]*:(?:[ \t]|$))/m;

const nestingMessage = `mappings and lists nest too deeply to read (the limit is ${maxNestingDepth} levels)`;

/** js-yaml values + lazy positions (per document), as plain trees. */
function fastResult(
	file: string,
	text: string,
	values: unknown[],
	segments: Array<{first: number; last: number}> | undefined,
): ParsedYamlFile {
	const documents: SourceDocument[] = [];
	const diagnostics: Diagnostic[] = [];
	const brokenNames: string[] = [];
	const budget = nodeBudget();
	const lastLine = lineCount(text);
	for (const [index, raw] of values.entries()) {
		const lines = segments?.[index] ?? {first: 1, last: lastLine};
		let positions: Position | undefined;
		const positionOf: Position = (path, which) => {
			positions ??= segmentPositions(file, text, lines);
			return positions(path, which);
		};
		const tree = checkedTree(raw, budget, positionOf, file, diagnostics, brokenNames);
		if (tree === undefined) continue;
		documents.push({file, index: documents.length, value: tree.value, text, lines, positionOf});
	}
	return capDiagnostics({documents, diagnostics, brokenNames});
}

/** The document as a plain tree, or undefined (its problems reported, its name recorded) when it breaks a bound. */
function checkedTree(
	raw: unknown,
	budget: NodeBudget,
	positionOf: Position,
	file: string,
	diagnostics: Diagnostic[],
	brokenNames: string[],
): {value: unknown} | undefined {
	const tree = plainTree(raw, budget);
	if (tree.problems.length === 0) return {value: tree.value};
	for (const problem of tree.problems)
		diagnostics.push({
			severity: 'error',
			code: problem.code,
			message: problem.message,
			...positionOf(problem.path, problem.which),
			file,
			...(problem.hint ? {hint: problem.hint} : {}),
		});
	const name = nameOf(raw);
	if (name) brokenNames.push(name);
	return undefined;
}

/** `metadata.name` of a raw document, when it is a short string. */
function nameOf(raw: unknown): string | undefined {
	const metadata = raw && typeof raw === 'object' ? (raw as {metadata?: unknown}).metadata : undefined;
	const name = metadata && typeof metadata === 'object' ? (metadata as {name?: unknown}).name : undefined;
	return typeof name === 'string' && name.length <= 253 ? name : undefined;
}

/**
 * Positions for one document, from a `yaml` parse of its lines alone (the cost of a document, not
 * of the file); a document too big for that answers with its first line.
 */
function segmentPositions(file: string, text: string, lines: {first: number; last: number}): Position {
	const fallback: Position = () => ({file, line: lines.first, column: 1});
	const slice = sliceLines(text, lines.first, lines.last);
	if (!fitsFullParse(slice)) return fallback;
	const lineCounter = new LineCounter();
	const [doc] = parseAllDocuments(slice, {lineCounter, merge: true, prettyErrors: false, logLevel: 'error'}) as Document[];
	if (!doc) return fallback;
	return (path, which = 'value') => {
		const {line, col} = lineCounter.linePos(offsetOf(doc, path, which));
		return {file, line: line + lines.first - 1, column: col};
	};
}

/** Lines `first`..`last` (1-based, inclusive) of `text`, without scanning past them. */
function sliceLines(text: string, first: number, last: number): string {
	let start = 0;
	for (let line = 1; line < first && start >= 0; line++) start = text.indexOf('\n', start) + 1 || -1;
	if (start < 0) return '';
	let end = start;
	for (let line = first; line <= last && end >= 0; line++) end = text.indexOf('\n', end) + 1 || -1;
	return end < 0 ? text.slice(start) : text.slice(start, end);
}

function lineCount(text: string): number {
	let count = 1;
	for (let i = text.indexOf('\n'); i >= 0 && i < text.length - 1; i = text.indexOf('\n', i + 1)) count++;
	return count;
}

/** At most `maxProblemsPerFile` diagnostics, the last one saying how many more there were. */
function capDiagnostics(parsed: ParsedYamlFile): ParsedYamlFile {
	const {diagnostics} = parsed;
	if (diagnostics.length <= maxProblemsPerFile) return parsed;
	const kept = diagnostics.slice(0, maxProblemsPerFile);
	const last = kept.at(-1)!;
	kept[kept.length - 1] = {
		...last,
		message: `${last.message} (and ${formatCount(diagnostics.length - maxProblemsPerFile, 'more problems')} in this file, not shown)`,
	};
	return {...parsed, diagnostics: kept};
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
	const deep = refuseDeepNesting(file, text);
	if (deep) return deep;
	const lineCounter = new LineCounter();
	const diagnostics: Diagnostic[] = [];
	const documents: SourceDocument[] = [];
	const brokenNames: string[] = [];
	const budget = nodeBudget();
	const parsed = parseAllDocuments(text, {lineCounter, merge: true, prettyErrors: false, logLevel: 'error'});
	const all = Array.isArray(parsed) ? parsed : [parsed];
	const pos = (offset: number): SourcePosition => {
		const {line, col} = lineCounter.linePos(offset);
		return {file, line, column: col};
	};

	for (const doc of all) {
		for (const error of doc.errors) {
			// yaml reports running out of stack on deep nesting as an error of the document.
			const deep = error.message.includes('Maximum call stack size exceeded');
			diagnostics.push({
				severity: 'error',
				code: deep ? 'nesting-too-deep' : 'yaml-syntax',
				message: deep ? nestingMessage : yamlMessage(error.code, error.message),
				...pos(errorOffset(text, error.code, error.message, error.pos[0])),
				...(deep ? {hint: 'flatten the structure'} : {hint: yamlHint(error.code)}),
			});
		}
		if (doc.errors.length > 0) {
			const name = recoverName(doc);
			if (name) brokenNames.push(name);
			continue;
		}
		// An empty document (an empty file, a trailing `---`) is harmless.
		if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) continue;
		const complex = complexKeyOffsets(doc);
		if (complex.length > 0) {
			for (const offset of complex)
				diagnostics.push({
					severity: 'error',
					code: 'yaml-syntax',
					message: 'a key must be a plain value (a name), not a list or a mapping',
					...pos(offset),
					hint: 'write the key as a name: `name: value`',
				});
			const name = recoverName(doc);
			if (name) brokenNames.push(name);
			continue;
		}
		let raw: unknown;
		try {
			raw = doc.toJS({maxAliasCount});
		} catch {
			// yaml's alias cap: "Excessive alias count indicates a resource exhaustion attack".
			diagnostics.push({
				severity: 'error',
				code: 'expansion-too-large',
				message: `the document's aliases expand to more than ${formatCount(maxAliasCount, 'aliased values')} (aliases of aliases multiply)`,
				...pos(doc.contents.range?.[0] ?? 0),
				hint: 'use fewer aliases (*name), or split the file',
			});
			const name = recoverName(doc);
			if (name) brokenNames.push(name);
			continue;
		}
		const positionOf: Position = (path, which = 'value') => pos(offsetOf(doc, path, which));
		const tree = checkedTree(raw, budget, positionOf, file, diagnostics, brokenNames);
		if (tree === undefined) continue;
		const [start = 0, , end = text.length] = doc.range;
		documents.push({
			file,
			index: documents.length,
			value: tree.value,
			text,
			lines: {first: pos(start).line, last: pos(Math.max(start, end - 1)).line},
			positionOf,
		});
	}
	return capDiagnostics({documents, diagnostics, brokenNames});
}

/** Where the document has keys that are lists or mappings (which no panka field is). */
function complexKeyOffsets(doc: Document): number[] {
	const offsets: number[] = [];
	visit(doc, {
		Pair(_, pair) {
			if (pair.key !== null && !isScalar(pair.key) && !isAlias(pair.key)) offsets.push(rangeStart(pair.key) ?? 0);
		},
	});
	return offsets;
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
