/**
 * A parsed YAML value made into a plain tree that the rest of the engine can walk without a guard.
 *
 * Both YAML parsers return aliases as shared references (and a self-referencing anchor as a
 * cycle), so a few hundred bytes can stand for a graph that a naive walk expands exponentially, or
 * never finishes. `plainTree` copies the value and checks every bound of input-limits.ts on the
 * way, so that what comes out is a tree: no cycles, no shared nodes, at most `maxTreeNodes` nodes
 * (shared across a file's documents through the budget), nested at most `maxNestingDepth` deep,
 * no scalar (key or value) longer than `maxScalarChars`, and no reserved key (`__proto__`,
 * `constructor`, `prototype`), which would otherwise reach an object's prototype when copied.
 *
 * Invariants: the walk itself is bounded by the same limits (it stops at the first problem of a
 * kind that makes the rest meaningless: a cycle, the budget, the depth), recursion never goes
 * deeper than `maxNestingDepth`, and it never throws. Each problem carries the path of the node,
 * so the caller can point at file:line:col.
 */
import type {DiagnosticCode} from '../diagnostics.js';
import {formatCount, isReservedKey, maxNestingDepth, maxScalarChars, maxTreeNodes} from './input-limits.js';

/** One step of a path into a document: a mapping key or a sequence index. */
export type PathSegment = string | number;

export interface TreeProblem {
	path: PathSegment[];
	/** Whether the problem is the key at `path` (reserved or too long) or the value there. */
	which: 'key' | 'value';
	code: DiagnosticCode;
	message: string;
	hint?: string;
}

/** Nodes left for one file; its documents share it. */
export interface NodeBudget {
	left: number;
}

export function nodeBudget(): NodeBudget {
	return {left: maxTreeNodes};
}

export interface PlainTree {
	/** The copied tree; undefined when a problem stopped the copy. */
	value: unknown;
	problems: TreeProblem[];
}

class Stop extends Error {}

export function plainTree(value: unknown, budget: NodeBudget = nodeBudget()): PlainTree {
	const problems: TreeProblem[] = [];
	const ancestors = new Set<object>();
	const stop = (problem: TreeProblem): never => {
		problems.push(problem);
		throw new Stop();
	};
	const scalarTooLong = (path: PathSegment[], which: 'key' | 'value', length: number): TreeProblem => ({
		path,
		which,
		code: 'value-too-large',
		message: `${which === 'key' ? 'key' : 'value'} is ${formatCount(length, 'characters')} long; the limit is ${formatCount(maxScalarChars, 'characters')}`,
		hint: 'panka configuration values are short; keep data that is not configuration out of the stack folder',
	});

	const copy = (node: unknown, path: PathSegment[]): unknown => {
		if (--budget.left < 0)
			stop({
				path,
				which: 'value',
				code: 'expansion-too-large',
				message: `the file expands to more than ${formatCount(maxTreeNodes, 'values')} (aliases of aliases multiply)`,
				hint: 'use fewer aliases (*name), or split the file',
			});
		if (typeof node === 'string') {
			if (node.length > maxScalarChars) problems.push(scalarTooLong(path, 'value', node.length));
			return node;
		}
		if (node === null || typeof node !== 'object') return node;
		if (ancestors.has(node))
			stop({
				path,
				which: 'value',
				code: 'recursive-alias',
				message: 'this alias refers to a node that contains it: the value would be infinite',
				hint: 'an alias (*name) may only refer to an anchor (&name) outside of itself',
			});
		if (ancestors.size >= maxNestingDepth)
			stop({
				path,
				which: 'value',
				code: 'nesting-too-deep',
				message: `mappings and lists nest more than ${maxNestingDepth} levels deep here`,
				hint: 'flatten the structure',
			});
		ancestors.add(node);
		try {
			if (Array.isArray(node)) return node.map((item, index) => copy(item, [...path, index]));
			const out: Record<string, unknown> = {};
			for (const [key, child] of Object.entries(node)) {
				const at = [...path, key];
				if (isReservedKey(key)) {
					problems.push({
						path: at,
						which: 'key',
						code: 'reserved-key',
						message: `"${key}" cannot be used as a key: it is reserved in JavaScript, which panka is written in`,
						hint: 'rename or remove the key',
					});
					continue;
				}
				if (key.length > maxScalarChars) {
					problems.push(scalarTooLong(at, 'key', key.length));
					continue;
				}
				out[key] = copy(child, at);
			}
			return out;
		} finally {
			ancestors.delete(node);
		}
	};

	try {
		const tree = copy(value, []);
		return {value: problems.length > 0 ? undefined : tree, problems};
	} catch (error) {
		if (error instanceof Stop) return {value: undefined, problems};
		throw error;
	}
}
