/**
 * The original tool's forms, accepted and normalised to panka's: the one place that runs them, and
 * the home of the forms no kind owns (Stack and Service documents, the v1 apiVersions, a service's
 * `${service.VAR}`). A kind's own forms live in its module (`legacyForms`, engine/kinds/legacy-form.ts)
 * and are collected from the registry; this module never tests a component kind's name.
 *
 * The original Go tool decoded YAML leniently, and its own examples use shapes panka's schemas do
 * not take (a GSI `projection: ALL`, a flat S3 `cors` rule, `spec.provider` in stack.yaml, the v1
 * apiVersions, …). `normaliseDocument` rewrites one parsed document into panka's form before any
 * schema runs, and records each rewrite: where the old form is written, a message that shows the
 * new form, and the edits that make it. Validation turns the records into warnings; `panka
 * migrate` applies the same edits to the YAML document itself (keeping comments), so the two can
 * never disagree about what a form means.
 *
 * Invariants:
 * - Pure: the input value is never mutated; the result is a rewritten copy (or the input itself
 *   when nothing applies).
 * - Edits are plain path operations (set, delete, move, wrap), so they apply the same way to a
 *   JavaScript value (`applyEdits`) and to a `yaml` Document (migrate).
 * - Rewrites are found in one order (the document-wide forms, then the kind's own in the order it
 *   lists them, then `${service.VAR}`), and reported and applied in that order.
 * - A form is rewritten only when its meaning is certain; anything else is left for the schema to
 *   report (with its did-you-mean), never guessed at.
 */
import type {Diagnostic} from '../diagnostics.js';
import {type Edit, isMapping, type LegacyRewrite, type Mapping, valueAt} from '../kinds/legacy-form.js';
import {legacyFormsByKind} from '../kinds/registry.js';
import type {PathSegment, SourceDocument} from '../load/yaml-source.js';
import {documentKinds} from './documents.js';

/** `spec.provider` of a stack.yaml, kept for the resolver to check against the tenant. */
export interface LegacyProvider {
	name?: string;
	region?: string;
	accountId?: string;
	path: PathSegment[];
}

export interface NormalisedDocument {
	value: unknown;
	rewrites: LegacyRewrite[];
	provider?: LegacyProvider;
}

export interface NormaliseContext {
	/** The service the document belongs to, for `${service.VAR}` references to its own variables. */
	service?: string;
}

/** The v1 apiVersions of the original tool: every kind was accepted under them. */
export const legacyApiVersions: readonly string[] = ['panka.io/v1', 'infra.panka.io/v1'];

export const migrateHint = '`panka migrate --write` rewrites it in place, keeping comments';

export function normaliseDocument(value: unknown, context: NormaliseContext = {}): NormalisedDocument {
	if (!isMapping(value)) return {value, rewrites: []};
	const rewrites: LegacyRewrite[] = [];
	const kind = typeof value.kind === 'string' ? value.kind : undefined;
	let provider: LegacyProvider | undefined;
	for (const rule of rules) {
		if (rule.kinds && (!kind || !rule.kinds.includes(kind))) continue;
		rewrites.push(...rule.find(value, kind ?? '', context));
	}
	if (kind === 'Stack') {
		const raw = valueAt(value, ['spec', 'provider']);
		if (isMapping(raw)) {
			const text = (key: string) => (typeof raw[key] === 'string' || typeof raw[key] === 'number' ? String(raw[key]) : undefined);
			provider = {
				path: ['spec', 'provider'],
				...optional('name', text('name')),
				...optional('region', text('region')),
				...optional('accountId', text('accountId')),
			};
		}
	}
	if (rewrites.length === 0) return {value, rewrites, ...(provider ? {provider} : {})};
	return {
		value: applyEdits(
			value,
			rewrites.flatMap((r) => r.edits),
		),
		rewrites,
		...(provider ? {provider} : {}),
	};
}

/**
 * The resolver's view: each document normalised, its rewrites reported as `deprecated-form`
 * warnings at the old form's key (a per-file rewrite once per file), with the hint to migrate.
 */
export function legacyFormsReporter(diagnostics: Diagnostic[]) {
	const reportedOnce = new Set<string>();
	return (document: SourceDocument, context: NormaliseContext = {}): {document: SourceDocument; provider?: LegacyProvider} => {
		const normalised = normaliseDocument(document.value, context);
		for (const rewrite of normalised.rewrites) {
			if (rewrite.oncePerFile) {
				const key = `${document.file}\0${rewrite.oncePerFile}`;
				if (reportedOnce.has(key)) continue;
				reportedOnce.add(key);
			}
			const {file, line, column} = document.positionOf(rewrite.path, 'key');
			diagnostics.push({severity: 'warning', code: 'deprecated-form', message: rewrite.message, file, line, column, hint: migrateHint});
		}
		return {
			document: normalised.value === document.value ? document : {...document, value: normalised.value},
			...(normalised.provider ? {provider: normalised.provider} : {}),
		};
	};
}

export type LegacyFormsReporter = ReturnType<typeof legacyFormsReporter>;

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
	return value === undefined ? {} : ({[key]: value} as Record<K, string>);
}

interface Rule {
	/** Document kinds the rule applies to; every kind when absent. */
	kinds?: readonly string[];
	find(document: Mapping, kind: string, context: NormaliseContext): LegacyRewrite[];
}

const componentKinds = documentKinds['components.panka.io/v1'] ?? [];

/** Forms of Stack, Service and any kind's documents: the ones no kind owns. */
const documentRules: Rule[] = [
	{
		// `apiVersion: panka.io/v1` (or infra.panka.io/v1) on any kind.
		find(document, kind) {
			const {apiVersion} = document;
			if (typeof apiVersion !== 'string' || !legacyApiVersions.includes(apiVersion)) return [];
			const current = Object.entries(documentKinds).find(([, kinds]) => kinds.includes(kind))?.[0];
			if (!current) return [];
			return [
				{
					path: ['apiVersion'],
					message: `apiVersion ${apiVersion} (the original tool's v1 API) is deprecated: write apiVersion: ${current} for ${current === 'core.panka.io/v1' ? 'Stack and Service' : 'component'} documents (said once per file)`,
					edits: [{op: 'set', path: ['apiVersion'], value: current}],
					oncePerFile: `apiVersion ${apiVersion} → ${current}`,
				},
			];
		},
	},
	{
		// `spec.provider: {name: aws, region, accountId?, profile?}` in stack.yaml.
		kinds: ['Stack'],
		find(document) {
			const provider = valueAt(document, ['spec', 'provider']);
			if (provider === undefined) return [];
			const region = isMapping(provider) && typeof provider.region === 'string' ? ` (${provider.region} here)` : '';
			return [
				{
					path: ['spec', 'provider'],
					message: `spec.provider is deprecated: the tenant's config decides the AWS account and region${region}, and your AWS credentials (or the tenant's role) are used; remove spec.provider`,
					edits: [{op: 'delete', path: ['spec', 'provider']}],
				},
			];
		},
	},
	{
		// `spec.description` of a Stack or Service → `metadata.description`.
		kinds: ['Stack', 'Service'],
		find(document) {
			const description = valueAt(document, ['spec', 'description']);
			if (description === undefined) return [];
			const existing = valueAt(document, ['metadata', 'description']);
			return [
				{
					path: ['spec', 'description'],
					message:
						existing === undefined
							? 'spec.description is deprecated: write it as metadata.description'
							: 'spec.description is deprecated and metadata.description already says what this is: remove spec.description',
					edits:
						existing === undefined
							? [{op: 'move', from: ['spec', 'description'], to: ['metadata', 'description']}]
							: [{op: 'delete', path: ['spec', 'description']}],
				},
			];
		},
	},
	{
		// `spec.infrastructure: {defaults: ./infra/defaults.yaml, …}`: v1 file references panka never reads.
		kinds: ['Stack', 'Service'],
		find(document) {
			if (valueAt(document, ['spec', 'infrastructure']) === undefined) return [];
			return [
				{
					path: ['spec', 'infrastructure'],
					message:
						'spec.infrastructure is deprecated and ignored: networking and defaults come from the tenant, and each component says its own size; remove spec.infrastructure',
					edits: [{op: 'delete', path: ['spec', 'infrastructure']}],
				},
			];
		},
	},
];

/** Each kind's own forms (`legacyForms` of its KindDefinition), run on that kind's documents only. */
const kindRules: Rule[] = [...legacyFormsByKind].flatMap(([kind, forms]) =>
	forms.map((form): Rule => ({kinds: [kind], find: (document) => form.find(document)})),
);

/** The forms of the strings in any component's or Service's spec, found after the kinds' own. */
const variableRules: Rule[] = [
	{
		// `${service.VAR}`: the original tool's name for a service's own variable, `${VAR}` in panka.
		kinds: [...componentKinds, 'Service'],
		find(document, _kind, context) {
			const service = context.service;
			if (!service || !isMapping(document.spec)) return [];
			const prefix = `\${${service}.`;
			return stringsIn(document.spec, ['spec'])
				.filter(({text}) => text.includes(prefix))
				.map(({text, path}) => ({
					path,
					message: `\${${service}.NAME} is deprecated: a service's variables are \${NAME} in its own files; write "${text.replaceAll(prefix, '${')}"`,
					edits: [{op: 'set', path, value: text.replaceAll(prefix, '${')} as Edit],
				}));
		},
	},
];

/** Every rule, in the order their rewrites are reported and applied. */
const rules: readonly Rule[] = [...documentRules, ...kindRules, ...variableRules];

function stringsIn(node: unknown, path: PathSegment[]): Array<{text: string; path: PathSegment[]}> {
	if (typeof node === 'string') return [{text: node, path}];
	if (Array.isArray(node)) return node.flatMap((item, index) => stringsIn(item, [...path, index]));
	if (isMapping(node)) return Object.entries(node).flatMap(([key, child]) => stringsIn(child, [...path, key]));
	return [];
}

/** The edits applied to a copy of `value` (the input is never mutated). */
export function applyEdits(value: unknown, edits: readonly Edit[]): unknown {
	const root = structuredClone(value);
	const holder = {root};
	const parentOf = (path: readonly PathSegment[], create: boolean): {node: Mapping | unknown[]; key: PathSegment} | undefined => {
		let node: unknown = holder;
		const full: PathSegment[] = ['root', ...path];
		for (const segment of full.slice(0, -1)) {
			let next = (node as Record<string | number, unknown>)[segment as string];
			if (next === undefined && create) {
				next = {};
				(node as Record<string | number, unknown>)[segment as string] = next;
			}
			if (next === null || typeof next !== 'object') return undefined;
			node = next;
		}
		return {node: node as Mapping | unknown[], key: full.at(-1)!};
	};
	const get = (path: readonly PathSegment[]) => {
		const at = parentOf(path, false);
		return at ? (at.node as Record<string | number, unknown>)[at.key as string] : undefined;
	};
	const put = (path: readonly PathSegment[], next: unknown) => {
		const at = parentOf(path, true);
		if (at) (at.node as Record<string | number, unknown>)[at.key as string] = next;
	};
	const remove = (path: readonly PathSegment[]) => {
		const at = parentOf(path, false);
		if (!at) return;
		if (Array.isArray(at.node) && typeof at.key === 'number') at.node.splice(at.key, 1);
		else delete (at.node as Mapping)[at.key as string];
	};
	for (const edit of edits) {
		switch (edit.op) {
			case 'set':
				put(edit.path, edit.value);
				break;
			case 'delete':
				remove(edit.path);
				break;
			case 'move': {
				const moved = get(edit.from);
				remove(edit.from);
				put(edit.to, moved);
				break;
			}
			case 'wrap':
				put(edit.path, {[edit.key]: get(edit.path)});
				break;
			case 'wrap-in-list':
				put(edit.path, [get(edit.path)]);
				break;
		}
	}
	return holder.root;
}
