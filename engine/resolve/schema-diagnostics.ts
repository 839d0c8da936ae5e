/**
 * Zod validation of one document (or part of one) → typed data + diagnostics at file:line:col.
 *
 * Messages are written for people editing YAML, not for zod users:
 * - unknown fields point at the key and suggest the closest known field;
 * - a missing field points at the object that lacks it;
 * - a bad value names the field path, the value, and, when it came from `${VAR}`, the variable,
 *   its value and where it was defined (code `coercion-failed`);
 * - union failures report the branch that came closest instead of every branch.
 * Paths whose interpolation already failed are not reported twice.
 */
import type {z} from 'zod';
import type {Diagnostic, DiagnosticCode} from '../diagnostics.js';
import type {PathSegment, SourceDocument} from '../load/yaml-source.js';
import {describeOrigin, type Interpolation, pathKey} from './interpolate.js';
import {didYouMean} from './suggest.js';
import {plural} from '../presentation.js';

export interface SchemaCheckInput {
	document: SourceDocument;
	/** Path of `value` inside the document (e.g. ['spec']). */
	base: PathSegment[];
	value: unknown;
	interpolations?: ReadonlyMap<string, Interpolation>;
	/** pathKeys whose problems were already reported (failed interpolation). */
	suppressed?: ReadonlySet<string>;
	/** Where a path of `value` is written in the document, when not at the same path (an environment's override). */
	sourcePath?: (path: PathSegment[]) => PathSegment[];
}

export type SchemaCheckResult<T> = {ok: true; data: T; diagnostics: Diagnostic[]} | {ok: false; diagnostics: Diagnostic[]};

type Issue = z.core.$ZodIssue;

export function checkAgainstSchema<T>(schema: z.ZodType<T>, input: SchemaCheckInput): SchemaCheckResult<T> {
	const result = schema.safeParse(input.value);
	if (result.success) return {ok: true, data: result.data, diagnostics: []};
	const diagnostics: Diagnostic[] = [];
	const seen = new Set<string>();
	for (const issue of flattenUnions(result.error.issues)) {
		for (const diagnostic of issueToDiagnostics(issue, schema, input)) {
			const key = `${diagnostic.line}:${diagnostic.column}:${diagnostic.message}`;
			if (!seen.has(key)) {
				seen.add(key);
				diagnostics.push(diagnostic);
			}
		}
	}
	return {ok: false, diagnostics};
}

/** For a failed union, keep the issues of the branch that got furthest (deepest paths, fewest issues). */
function flattenUnions(issues: readonly Issue[]): Issue[] {
	const out: Issue[] = [];
	for (const issue of issues) {
		if (issue.code === 'invalid_union' && issue.errors.length > 0) {
			const ranked = issue.errors
				.map((branch) => flattenUnions(branch.map((i) => ({...i, path: [...issue.path, ...i.path]}) as Issue)))
				.sort((a, b) => depth(b) - depth(a) || a.length - b.length);
			out.push(...(ranked[0] ?? [issue]));
		} else out.push(issue);
	}
	return out;
}

function depth(issues: readonly Issue[]): number {
	return Math.max(0, ...issues.map((i) => i.path.length));
}

function issueToDiagnostics(issue: Issue, schema: z.ZodType, input: SchemaCheckInput): Diagnostic[] {
	const relative = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p)) as PathSegment[];
	const path = [...input.base, ...relative];
	if (input.suppressed?.has(pathKey(path))) return [];
	const where = (p: PathSegment[], which: 'key' | 'value' = 'value') => {
		const {file, line, column} = input.document.positionOf(input.sourcePath ? input.sourcePath(p) : p, which);
		return {file, line, column};
	};
	const field = displayPath(path);
	const make = (code: DiagnosticCode, message: string, position = where(path), hint?: string): Diagnostic => ({
		severity: 'error',
		code,
		message,
		...position,
		...(hint ? {hint} : {}),
	});

	switch (issue.code) {
		case 'unrecognized_keys': {
			const known = knownKeysAt(schema, relative, input.value);
			return issue.keys.map((key) =>
				make(
					'unknown-field',
					`unknown field "${key}" in ${field || 'the document'}${didYouMean(key, known)}`,
					where([...path, key], 'key'),
					known.length > 0 ? `known fields here: ${known.join(', ')}` : undefined,
				),
			);
		}
		case 'invalid_type': {
			const actual = valueAt(input.value, relative);
			if (actual === undefined) {
				const last = path[path.length - 1];
				return [
					make(
						'missing-field',
						`missing required field "${String(last)}" in ${displayPath(path.slice(0, -1)) || 'the document'}`,
						where(path.slice(0, -1)),
					),
				];
			}
			const interpolation = input.interpolations?.get(pathKey(path));
			const expected = expectedText(issue.expected);
			if (interpolation)
				return [
					make(
						'coercion-failed',
						`${field}: expected ${expected}, got ${show(actual)} ${viaVariables(interpolation)}`,
						where(path),
						`set the variable to ${expected}`,
					),
				];
			return [make('invalid-type', `${field}: expected ${expected}, got ${describeValue(actual)}`)];
		}
		case 'invalid_value': {
			const actual = valueAt(input.value, relative);
			const options = issue.values.map((v) => String(v));
			const suggestion = typeof actual === 'string' ? didYouMean(actual, options) : '';
			const interpolation = input.interpolations?.get(pathKey(path));
			return [
				make(
					interpolation ? 'coercion-failed' : 'invalid-value',
					`${field}: ${show(actual)} is not one of ${options.join(', ')}${suggestion}${interpolation ? ` ${viaVariables(interpolation)}` : ''}`,
				),
			];
		}
		case 'invalid_union': {
			const actual = valueAt(input.value, relative);
			const note = 'note' in issue && issue.note === 'No matching discriminator';
			if (note && 'options' in issue && Array.isArray(issue.options)) {
				const options = issue.options.map(String);
				return [
					make(
						'invalid-value',
						`${field}: ${show(actual)} is not one of ${options.join(', ')}${typeof actual === 'string' ? didYouMean(actual, options) : ''}`,
					),
				];
			}
			return [make('invalid-value', `${field}: ${describeValue(actual)} does not match any accepted form`)];
		}
		case 'too_small':
		case 'too_big': {
			const actual = valueAt(input.value, relative);
			const interpolation = input.interpolations?.get(pathKey(path));
			return [
				make(
					interpolation ? 'coercion-failed' : 'invalid-value',
					`${field}: ${boundText(issue)}, got ${describeSize(actual, issue.origin)}${interpolation ? ` ${viaVariables(interpolation)}` : ''}`,
				),
			];
		}
		case 'invalid_format':
			return [
				make(
					'invalid-value',
					`${field}: ${customText(issue.message, `${show(valueAt(input.value, relative))} is not a valid ${issue.format}`)}`,
				),
			];
		case 'custom': {
			const code = (issue.params as {code?: DiagnosticCode} | undefined)?.code ?? 'invalid-value';
			return [make(code, field ? `${field}: ${issue.message}` : issue.message)];
		}
		default:
			return [make('invalid-value', field ? `${field}: ${issue.message}` : issue.message)];
	}
}

/** `spec.triggers[0].type` */
export function displayPath(path: readonly PathSegment[]): string {
	let out = '';
	for (const segment of path) {
		if (typeof segment === 'number') out += `[${segment}]`;
		else out += out ? `.${segment}` : segment;
	}
	return out;
}

export function valueAt(value: unknown, path: readonly PathSegment[]): unknown {
	let node = value;
	for (const segment of path) {
		if (node === null || typeof node !== 'object') return undefined;
		node = (node as Record<string | number, unknown>)[segment];
	}
	return node;
}

function viaVariables(interpolation: Interpolation): string {
	const uses = interpolation.uses.map((u) => `\${${u.name}} = ${show(u.value)}, set at ${describeOrigin(u.origin)}`);
	const single = interpolation.uses.length === 1 && interpolation.template.trim() === `\${${interpolation.uses[0]?.name}}`;
	return single ? `(from ${uses[0]})` : `(from ${interpolation.template}: ${uses.join('; ')})`;
}

function expectedText(expected: string): string {
	switch (expected) {
		case 'int':
			return 'an integer';
		case 'number':
			return 'a number';
		case 'boolean':
			return 'true or false';
		case 'string':
			return 'a string';
		case 'object':
		case 'record':
			return 'a mapping (key: value)';
		case 'array':
			return 'a list';
		default:
			return expected;
	}
}

function boundText(issue: Extract<Issue, {code: 'too_small' | 'too_big'}>): string {
	const limit = Number(issue.code === 'too_small' ? issue.minimum : issue.maximum);
	const small = issue.code === 'too_small';
	const inclusive = issue.inclusive !== false;
	switch (issue.origin) {
		case 'string':
			return small ? `must be at least ${limit} characters` : `must be at most ${limit} characters`;
		case 'array':
		case 'set':
			return small ? `must have at least ${plural(limit, 'item')}` : `must have at most ${limit} items`;
		default:
			return small ? `must be ${inclusive ? 'at least' : 'above'} ${limit}` : `must be ${inclusive ? 'at most' : 'below'} ${limit}`;
	}
}

function describeSize(value: unknown, origin: string): string {
	if (origin === 'string' && typeof value === 'string') return `${value.length} characters`;
	if (Array.isArray(value)) return `${plural(value.length, 'item')}`;
	return show(value);
}

function customText(message: string, fallback: string): string {
	return message.startsWith('Invalid') ? fallback : message;
}

function show(value: unknown): string {
	if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'a list';
	if (typeof value === 'object') return 'a mapping';
	return String(value);
}

function describeValue(value: unknown): string {
	if (value === null) return 'null (an empty value)';
	if (Array.isArray(value)) return 'a list';
	if (typeof value === 'object') return 'a mapping';
	if (typeof value === 'string') return `the string ${show(value)}`;
	return `${typeof value} ${String(value)}`;
}

// ---- walking zod schemas to list the keys an object accepts ----

interface Def {
	type: string;
	innerType?: z.ZodType;
	in?: z.ZodType;
	out?: z.ZodType;
	element?: z.ZodType;
	valueType?: z.ZodType;
	options?: z.ZodType[];
	shape?: Record<string, z.ZodType>;
	discriminator?: string;
}

function def(schema: z.ZodType): Def {
	return (schema as unknown as {_zod: {def: Def}})._zod.def;
}

function unwrap(schema: z.ZodType): z.ZodType {
	let current = schema;
	for (let i = 0; i < 20; i++) {
		const d = def(current);
		if (d.innerType && ['optional', 'nullable', 'default', 'prefault', 'catch', 'readonly', 'nonoptional'].includes(d.type))
			current = d.innerType;
		else if (d.type === 'pipe' && d.in && d.out) current = def(d.out).type === 'transform' ? d.in : d.out;
		else break;
	}
	return current;
}

/** The keys the object schema at `path` accepts (union branches chosen by the value when possible). */
export function knownKeysAt(schema: z.ZodType, path: readonly PathSegment[], value: unknown): string[] {
	let current: z.ZodType | undefined = unwrap(schema);
	let node = value;
	for (const segment of path) {
		if (!current) return [];
		current = pickUnionBranch(current, node);
		const d = def(current);
		if (d.type === 'object' && d.shape) current = d.shape[String(segment)];
		else if (d.type === 'array' && d.element) current = d.element;
		else if (d.type === 'record' && d.valueType) current = d.valueType;
		else return [];
		if (current) current = unwrap(current);
		node = node && typeof node === 'object' ? (node as Record<string | number, unknown>)[segment] : undefined;
	}
	if (!current) return [];
	const d = def(pickUnionBranch(current, node));
	return d.type === 'object' && d.shape ? Object.keys(d.shape) : [];
}

function pickUnionBranch(schema: z.ZodType, value: unknown): z.ZodType {
	const d = def(schema);
	if (d.type !== 'union' || !d.options) return schema;
	const options = d.options.map(unwrap);
	if (d.discriminator && value && typeof value === 'object') {
		const tag = (value as Record<string, unknown>)[d.discriminator];
		const match = options.find((o) => {
			const shape = def(o).shape;
			const lit = shape?.[d.discriminator!];
			return lit && (lit as z.ZodType).safeParse(tag).success;
		});
		if (match) return match;
	}
	return options.find((o) => def(o).type === 'object') ?? schema;
}
