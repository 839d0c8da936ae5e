/**
 * How a kind accepts the original tool's forms of its spec (its `legacyForms`): each form finds
 * where an old shape is written in a parsed document and says what to write instead, with the
 * edits that make it. engine/resolve/legacy-forms.ts runs the kinds' forms with its own (the
 * Stack, Service and every-component ones), reports them and applies the edits; `panka migrate`
 * applies the same edits to the YAML document.
 *
 * Invariants:
 * - A form is pure: it reads the document (never mutates it) and returns rewrites, none when the
 *   old shape is not there. It is run only on documents of its own kind.
 * - Paths are the document's (`['spec', …]`), so a rewrite is reported at the old form's key.
 * - Edits are plain path operations (set, delete, move, wrap), so they apply the same way to a
 *   JavaScript value and to a `yaml` Document.
 * - A form rewrites only what it is certain of; anything else is left for the schema to report.
 */
import type {PathSegment} from '../load/yaml-source.js';

export type Edit =
	/** Replace the value at `path` (a scalar: its node keeps its style). */
	| {op: 'set'; path: PathSegment[]; value: unknown}
	| {op: 'delete'; path: PathSegment[]}
	/** Move the node at `from` to `to` (which must not exist). */
	| {op: 'move'; from: PathSegment[]; to: PathSegment[]}
	/** The node at `path` becomes `{[key]: node}`. */
	| {op: 'wrap'; path: PathSegment[]; key: string}
	/** The node at `path` becomes `[node]`. */
	| {op: 'wrap-in-list'; path: PathSegment[]};

export interface LegacyRewrite {
	/** Where the old form is written, in the document as read. */
	path: PathSegment[];
	/** What is deprecated and the form to write instead. */
	message: string;
	edits: Edit[];
	/** Rewrites with the same key are reported once per file (the v1 apiVersion of every document). */
	oncePerFile?: string;
}

export type Mapping = Record<string, unknown>;

/** One old form of a kind's spec: its rewrites in `document` (a whole parsed document of the kind). */
export interface LegacyForm {
	find(document: Mapping): LegacyRewrite[];
}

export const isMapping = (value: unknown): value is Mapping => value !== null && typeof value === 'object' && !Array.isArray(value);

/** The value at `path`, or undefined. */
export function valueAt(root: unknown, path: readonly PathSegment[]): unknown {
	let node = root;
	for (const segment of path) {
		if (Array.isArray(node) && typeof segment === 'number') node = node[segment];
		else if (isMapping(node) && typeof segment === 'string') node = node[segment];
		else return undefined;
	}
	return node;
}

/**
 * A name field the original tool let the spec set (DynamoDB `tableName`, S3 `bucket.name`) and
 * panka derives itself: removed, saying whether the written name was one and what is named.
 */
export function derivedNameForm(path: readonly PathSegment[], named: string): LegacyForm {
	const field = path.slice(1).join('.');
	return {
		find(document) {
			const written = valueAt(document, path);
			if (written === undefined) return [];
			const unused = written === '' || written === null ? '' : ` ("${String(written)}" is not used)`;
			return [
				{
					path: [...path],
					message: `${field} is deprecated${unused}: panka names the ${named} from the tenant, stack, environment and component, so two environments never collide (panka plan shows the name); remove ${field}`,
					edits: [{op: 'delete', path: [...path]}],
				},
			];
		},
	};
}
