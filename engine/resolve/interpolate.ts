/**
 * `${VAR}` interpolation on parsed scalar values (never on raw text, so YAML structure cannot be
 * injected through a variable).
 *
 * Forms: `${VAR}`, `${VAR:-default}` (the default may itself hold `${…}`), and `$${…}` for a
 * literal `${…}`. A lone `$` is kept as is.
 *
 * Precedence (highest first): `--var K=V`, `PANKA_VAR_K`, the environment's variables (stack.yaml
 * `spec.environments.<env>.variables`), service variables, stack variables, the `:-default`. Built-ins (PANKA_STACK, PANKA_SERVICE, PANKA_ENV, PANKA_TENANT) sit below the
 * stack's variables. A variable's own value may use other variables of its scope; loops are errors.
 *
 * Every substitution is recorded (which variables, their values, where each was defined; each
 * variable once), so the workbench can show where a value came from and errors can name the
 * variable behind a bad value.
 *
 * Bounded: a value that would expand past `maxScalarChars` (`V0: "${V1}${V1}"`, … doubling at
 * each level) stops as soon as it gets there, and references nested deeper than
 * `maxVariableDepth` (through variables or `:-` defaults) are an error, like a loop. Each
 * variable is expanded once per scope (memoised), so the work is linear in what is written.
 */
import {formatCount, maxScalarChars, maxVariableDepth} from '../load/input-limits.js';
import type {PathSegment} from '../load/yaml-source.js';

export type VariableOrigin =
	| {type: 'flag'}
	| {type: 'env'; name: string}
	| {type: 'file'; scope: 'stack' | 'service' | 'environment'; environment?: string; file: string; line: number; column: number}
	| {type: 'builtin'}
	| {type: 'default'};

export interface VariableDefinition {
	name: string;
	value: string;
	origin: VariableOrigin;
}

export interface VariableUse {
	name: string;
	value: string;
	origin: VariableOrigin;
}

/** How one scalar got its value. */
export interface Interpolation {
	template: string;
	value: string;
	uses: VariableUse[];
}

export interface InterpolationProblem {
	path: PathSegment[];
	code: 'unresolved-variable' | 'invalid-variable' | 'expansion-too-large';
	message: string;
	hint?: string;
}

type Resolved = {ok: true; value: string; uses: VariableUse[]} | {ok: false; problem: string; code: InterpolationProblem['code']};

/** Variables by precedence: `layers[0]` wins over `layers[1]`, and so on. */
export class VariableScope {
	readonly #layers: ReadonlyArray<ReadonlyMap<string, VariableDefinition>>;
	readonly #memo = new Map<string, Resolved>();

	constructor(layers: ReadonlyArray<readonly VariableDefinition[]>) {
		this.#layers = layers.map((defs) => new Map(defs.map((d) => [d.name, d])));
	}

	/** A scope whose variables sit above this one's (service variables over stack variables). */
	withLayer(layer: readonly VariableDefinition[], position: number): VariableScope {
		const layers = this.#layers.map((m) => [...m.values()]);
		layers.splice(position, 0, [...layer]);
		return new VariableScope(layers);
	}

	definition(name: string): VariableDefinition | undefined {
		for (const layer of this.#layers) {
			const hit = layer.get(name);
			if (hit) return hit;
		}
		return undefined;
	}

	/** The variable's expanded value, or undefined when it is unknown or cannot be expanded. */
	valueOf(name: string): string | undefined {
		const result = this.lookup(name);
		return result?.ok ? result.value : undefined;
	}

	/** All visible names, for "did you mean" and the workbench. */
	names(): string[] {
		return [...new Set(this.#layers.flatMap((m) => [...m.keys()]))].sort();
	}

	/** The variable's fully interpolated value, or why it has none. */
	lookup(name: string, visiting: readonly string[] = []): Resolved | undefined {
		const memo = this.#memo.get(name);
		if (memo) return memo;
		const def = this.definition(name);
		if (!def) return undefined;
		if (visiting.includes(name)) return {ok: false, code: 'invalid-variable', problem: `variable loop: ${[...visiting, name].join(' → ')}`};
		if (visiting.length >= maxVariableDepth)
			return {
				ok: false,
				code: 'invalid-variable',
				problem: `variables nest more than ${maxVariableDepth} deep: ${[...visiting.slice(0, 3), '…', name].join(' → ')}`,
			};
		const expanded = expand(def.value, this, [...visiting, name]);
		const result: Resolved = expanded.ok
			? {ok: true, value: expanded.value, uses: mergeUses([{name, value: expanded.value, origin: def.origin}], expanded.uses)}
			: expanded;
		this.#memo.set(name, result);
		return result;
	}
}

/** Expand every `${…}` in one string; `defaults` counts the `:-` defaults this one is nested in. */
export function expand(template: string, scope: VariableScope, visiting: readonly string[] = [], defaults = 0): Resolved {
	if (!template.includes('$')) return {ok: true, value: template, uses: []};
	let out = '';
	let uses: VariableUse[] = [];
	const tooLong = (): Resolved => ({
		ok: false,
		code: 'expansion-too-large',
		problem: `${visiting.length > 0 ? `\${${visiting.at(-1)}}` : 'the value'} expands to more than ${formatCount(maxScalarChars, 'characters')}`,
	});
	let i = 0;
	while (i < template.length) {
		const dollar = template.indexOf('$', i);
		if (dollar < 0) {
			out += template.slice(i);
			break;
		}
		out += template.slice(i, dollar);
		i = dollar;
		if (template[i + 1] === '$' && template[i + 2] === '{') {
			const end = matchingBrace(template, i + 2);
			if (end < 0) return {ok: false, code: 'invalid-variable', problem: `unterminated "$\${" in "${excerpt(template)}"`};
			out += template.slice(i + 1, end + 1);
			i = end + 1;
		} else if (template[i + 1] === '{') {
			const end = matchingBrace(template, i + 1);
			if (end < 0)
				return {ok: false, code: 'invalid-variable', problem: `unterminated "\${" in "${excerpt(template)}": add the closing "}"`};
			const body = template.slice(i + 2, end);
			const sep = body.indexOf(':-');
			const name = sep >= 0 ? body.slice(0, sep) : body;
			if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
				return {
					ok: false,
					code: 'invalid-variable',
					problem: `"\${${excerpt(body)}}" is not a variable reference: names are letters, digits and underscores`,
				};
			const found = scope.lookup(name, visiting);
			if (found?.ok) {
				out += found.value;
				uses = mergeUses(uses, found.uses);
			} else if (found && !found.ok) {
				return found;
			} else if (sep >= 0) {
				if (defaults >= maxVariableDepth)
					return {
						ok: false,
						code: 'invalid-variable',
						problem: `":-" defaults nest more than ${maxVariableDepth} deep in "${excerpt(template)}"`,
					};
				const fallback = expand(body.slice(sep + 2), scope, visiting, defaults + 1);
				if (!fallback.ok) return fallback;
				out += fallback.value;
				uses = mergeUses(uses, [{name, value: fallback.value, origin: {type: 'default'}}, ...fallback.uses]);
			} else {
				return {ok: false, code: 'unresolved-variable', problem: name};
			}
			i = end + 1;
		} else {
			out += '$';
			i++;
		}
		if (out.length > maxScalarChars) return tooLong();
	}
	return {ok: true, value: out, uses};
}

/** `uses` followed by the uses in `more` of variables it does not already name (each variable once). */
function mergeUses(uses: VariableUse[], more: readonly VariableUse[]): VariableUse[] {
	if (more.length === 0) return uses;
	const named = new Set(uses.map((u) => `${u.origin.type}:${u.name}`));
	const merged = [...uses];
	for (const use of more) {
		const key = `${use.origin.type}:${use.name}`;
		if (named.has(key)) continue;
		named.add(key);
		merged.push(use);
	}
	return merged;
}

/** A template as messages quote it: at most 80 characters. */
function excerpt(text: string): string {
	return text.length <= 80 ? text : `${text.slice(0, 77)}…`;
}

function matchingBrace(text: string, open: number): number {
	let depth = 0;
	for (let i = open; i < text.length; i++) {
		if (text[i] === '{') depth++;
		else if (text[i] === '}' && --depth === 0) return i;
	}
	return -1;
}

export interface InterpolatedValue {
	value: unknown;
	/** Keyed by `pathKey(path)`. */
	interpolations: Map<string, Interpolation>;
	problems: InterpolationProblem[];
}

export function pathKey(path: readonly PathSegment[]): string {
	return path.join('\u0000');
}

/** Interpolate every string scalar inside `value`; `base` is the path of `value` in its document. */
export function interpolateTree(value: unknown, scope: VariableScope, base: PathSegment[]): InterpolatedValue {
	const interpolations = new Map<string, Interpolation>();
	const problems: InterpolationProblem[] = [];
	const visit = (node: unknown, path: PathSegment[]): unknown => {
		if (typeof node === 'string') {
			if (!node.includes('$')) return node;
			const result = expand(node, scope);
			if (!result.ok) {
				problems.push(
					result.code === 'unresolved-variable'
						? {
								path,
								code: 'unresolved-variable',
								message: `variable \${${result.problem}} is not defined`,
								hint: unresolvedHint(result.problem, scope),
							}
						: {path, code: result.code, message: result.problem},
				);
				return node;
			}
			if (result.uses.length > 0 || result.value !== node)
				interpolations.set(pathKey(path), {template: node, value: result.value, uses: result.uses});
			return result.value;
		}
		if (Array.isArray(node)) return node.map((item, index) => visit(item, [...path, index]));
		if (node && typeof node === 'object') {
			const out: Record<string, unknown> = {};
			for (const [key, child] of Object.entries(node)) out[key] = visit(child, [...path, key]);
			return out;
		}
		return node;
	};
	return {value: visit(value, base), interpolations, problems};
}

function unresolvedHint(name: string, scope: VariableScope): string {
	const known = scope.names().filter((n) => !n.startsWith('PANKA_'));
	const close = known.find((k) => k.toLowerCase() === name.toLowerCase());
	const suggestion = close ? `did you mean \${${close}}? ` : '';
	return `${suggestion}define ${name} in spec.variables of stack.yaml or service.yaml, pass --var ${name}=…, set PANKA_VAR_${name}, or give a default: \${${name}:-value}`;
}

/** `${CPU}` = "256m" (services/api/service.yaml:9): one line per use, for the workbench. */
export function describeOrigin(origin: VariableOrigin): string {
	switch (origin.type) {
		case 'flag':
			return '--var';
		case 'env':
			return `$${origin.name}`;
		case 'file':
			return origin.environment !== undefined
				? `environment ${origin.environment}, ${origin.file}:${origin.line}`
				: `${origin.file}:${origin.line}`;
		case 'builtin':
			return 'built-in';
		case 'default':
			return ':- default';
	}
}
