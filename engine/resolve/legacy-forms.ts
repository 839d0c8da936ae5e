/**
 * The original tool's forms, accepted and normalised to panka's: the one place that knows them.
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
 * - A form is rewritten only when its meaning is certain; anything else is left for the schema to
 *   report (with its did-you-mean), never guessed at.
 */
import type {Diagnostic} from '../diagnostics.js';
import type {PathSegment, SourceDocument} from '../load/yaml-source.js';
import {documentKinds} from './documents.js';

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

type Mapping = Record<string, unknown>;

const isMapping = (value: unknown): value is Mapping => value !== null && typeof value === 'object' && !Array.isArray(value);

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

const rules: Rule[] = [
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
	{
		// DynamoDB GSI `projection: ALL | KEYS_ONLY | INCLUDE` (with `nonKeyAttributes` beside it).
		kinds: ['DynamoDB'],
		find(document) {
			const indexes = valueAt(document, ['spec', 'globalSecondaryIndexes']);
			if (!Array.isArray(indexes)) return [];
			return indexes.flatMap((index, position): LegacyRewrite[] => {
				if (!isMapping(index) || typeof index.projection !== 'string') return [];
				const at: PathSegment[] = ['spec', 'globalSecondaryIndexes', position];
				const beside = index.nonKeyAttributes;
				const form =
					beside === undefined ? `{type: ${index.projection}}` : `{type: ${index.projection}, nonKeyAttributes: ${flow(beside)}}`;
				return [
					{
						path: [...at, 'projection'],
						message: `projection: ${index.projection} (a plain string${beside === undefined ? '' : ' with nonKeyAttributes beside it'}) is deprecated: write projection: ${form}`,
						edits: [
							{op: 'wrap', path: [...at, 'projection'], key: 'type'},
							...(beside === undefined
								? []
								: [{op: 'move', from: [...at, 'nonKeyAttributes'], to: [...at, 'projection', 'nonKeyAttributes']} as Edit]),
						],
					},
				];
			});
		},
	},
	{
		// DynamoDB `encryption.kmsKey` → `encryption.kmsKeyId`.
		kinds: ['DynamoDB'],
		find(document) {
			if (
				valueAt(document, ['spec', 'encryption', 'kmsKey']) === undefined ||
				valueAt(document, ['spec', 'encryption', 'kmsKeyId']) !== undefined
			)
				return [];
			return [
				{
					path: ['spec', 'encryption', 'kmsKey'],
					message: 'encryption.kmsKey is deprecated: write encryption.kmsKeyId',
					edits: [{op: 'move', from: ['spec', 'encryption', 'kmsKey'], to: ['spec', 'encryption', 'kmsKeyId']}],
				},
			];
		},
	},
	{
		// `tableName` (DynamoDB) and `bucket.name` (S3): names panka derives itself.
		kinds: ['DynamoDB', 'S3'],
		find(document, kind) {
			const path: PathSegment[] = kind === 'DynamoDB' ? ['spec', 'tableName'] : ['spec', 'bucket', 'name'];
			const written = valueAt(document, path);
			if (written === undefined) return [];
			const field = kind === 'DynamoDB' ? 'tableName' : 'bucket.name';
			const unused = written === '' || written === null ? '' : ` ("${String(written)}" is not used)`;
			return [
				{
					path,
					message: `${field} is deprecated${unused}: panka names the ${kind === 'DynamoDB' ? 'table' : 'bucket'} from the tenant, stack, environment and component, so two environments never collide (panka plan shows the name); remove ${field}`,
					edits: [{op: 'delete', path}],
				},
			];
		},
	},
	{
		// S3 `bucket.tags` → `tags` (the component's tags, as on every kind).
		kinds: ['S3'],
		find(document) {
			const bucketTags = valueAt(document, ['spec', 'bucket', 'tags']);
			if (!isMapping(bucketTags)) return [];
			const tags = valueAt(document, ['spec', 'tags']);
			const edits: Edit[] = isMapping(tags)
				? [
						...Object.keys(bucketTags)
							.filter((key) => !(key in tags))
							.map((key): Edit => ({op: 'move', from: ['spec', 'bucket', 'tags', key], to: ['spec', 'tags', key]})),
						{op: 'delete', path: ['spec', 'bucket', 'tags']},
					]
				: [{op: 'move', from: ['spec', 'bucket', 'tags'], to: ['spec', 'tags']}];
			return [
				{path: ['spec', 'bucket', 'tags'], message: 'bucket.tags is deprecated: write the tags as spec.tags, as on every kind', edits},
			];
		},
	},
	{
		// S3 `cors` as one flat rule.
		kinds: ['S3'],
		find(document) {
			const cors = valueAt(document, ['spec', 'cors']);
			if (!isMapping(cors) || 'rules' in cors || !corsRuleKeys.some((key) => key in cors)) return [];
			return [
				{
					path: ['spec', 'cors'],
					message: `cors written as one flat rule is deprecated: write cors: {rules: [{${Object.keys(cors).join(', ')}}]} (a list of rules)`,
					edits: [
						{op: 'wrap-in-list', path: ['spec', 'cors']},
						{op: 'wrap', path: ['spec', 'cors'], key: 'rules'},
					],
				},
			];
		},
	},
	{
		// MicroService `runtime.launchType: FARGATE` and `runtime.networkMode: awsvpc`: what Fargate always is.
		kinds: ['MicroService'],
		find(document) {
			const fixed: Record<string, string> = {launchType: 'fargate', networkMode: 'awsvpc'};
			return Object.entries(fixed).flatMap(([field, only]): LegacyRewrite[] => {
				const value = valueAt(document, ['spec', 'runtime', field]);
				if (typeof value !== 'string' || value.toLowerCase() !== only) return [];
				return [
					{
						path: ['spec', 'runtime', field],
						message: `runtime.${field}: ${value} is deprecated: a MicroService always runs on Fargate with awsvpc networking; remove runtime.${field}`,
						edits: [{op: 'delete', path: ['spec', 'runtime', field]}],
					},
				];
			});
		},
	},
	{
		// MicroService `healthCheck.enabled` and `healthCheck.protocol` (HTTP/HTTPS: the port's own).
		kinds: ['MicroService'],
		find(document) {
			const check = valueAt(document, ['spec', 'healthCheck']);
			if (!isMapping(check)) return [];
			const found: LegacyRewrite[] = [];
			if (check.enabled === false || check.enabled === 'false')
				return [
					{
						path: ['spec', 'healthCheck', 'enabled'],
						message: 'healthCheck.enabled: false is deprecated: remove the healthCheck block to have none',
						edits: [{op: 'delete', path: ['spec', 'healthCheck']}],
					},
				];
			if (check.enabled === true || check.enabled === 'true')
				found.push({
					path: ['spec', 'healthCheck', 'enabled'],
					message: 'healthCheck.enabled is deprecated: a healthCheck block is enabled by being there; remove enabled',
					edits: [{op: 'delete', path: ['spec', 'healthCheck', 'enabled']}],
				});
			if (typeof check.protocol === 'string' && /^https?$/i.test(check.protocol))
				found.push({
					path: ['spec', 'healthCheck', 'protocol'],
					message: `healthCheck.protocol: ${check.protocol} is deprecated: the check uses the protocol of the port it probes; remove protocol`,
					edits: [{op: 'delete', path: ['spec', 'healthCheck', 'protocol']}],
				});
			return found;
		},
	},
	{
		// RDS `backup.maintenanceWindow` → `maintenance.preferredWindow`.
		kinds: ['RDS'],
		find(document) {
			if (valueAt(document, ['spec', 'backup', 'maintenanceWindow']) === undefined) return [];
			const taken = valueAt(document, ['spec', 'maintenance', 'preferredWindow']) !== undefined;
			return [
				{
					path: ['spec', 'backup', 'maintenanceWindow'],
					message: taken
						? 'backup.maintenanceWindow is deprecated and maintenance.preferredWindow already sets the window: remove backup.maintenanceWindow'
						: 'backup.maintenanceWindow is deprecated: write maintenance.preferredWindow',
					edits: taken
						? [{op: 'delete', path: ['spec', 'backup', 'maintenanceWindow']}]
						: [{op: 'move', from: ['spec', 'backup', 'maintenanceWindow'], to: ['spec', 'maintenance', 'preferredWindow']}],
				},
			];
		},
	},
	{
		// RDS gp3 below 400 GB with `iops: 3000`: the fixed baseline, which AWS refuses to have set.
		kinds: ['RDS'],
		find(document) {
			const storage = valueAt(document, ['spec', 'instance', 'storage']);
			if (!isMapping(storage) || String(storage.type ?? 'gp3').toLowerCase() !== 'gp3') return [];
			const size = Number(storage.allocatedGB);
			if (String(storage.iops) !== '3000' || !Number.isFinite(size) || size >= 400) return [];
			return [
				{
					path: ['spec', 'instance', 'storage', 'iops'],
					message: `iops: 3000 is gp3's fixed baseline below 400 GB (${size} GB here), which AWS does not let you set; remove iops (it can be raised from 400 GB)`,
					edits: [{op: 'delete', path: ['spec', 'instance', 'storage', 'iops']}],
				},
			];
		},
	},
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

const corsRuleKeys = ['allowedOrigins', 'allowedMethods', 'allowedHeaders', 'exposeHeaders', 'maxAgeSeconds'];

function stringsIn(node: unknown, path: PathSegment[]): Array<{text: string; path: PathSegment[]}> {
	if (typeof node === 'string') return [{text: node, path}];
	if (Array.isArray(node)) return node.flatMap((item, index) => stringsIn(item, [...path, index]));
	if (isMapping(node)) return Object.entries(node).flatMap(([key, child]) => stringsIn(child, [...path, key]));
	return [];
}

/** A short value in YAML flow style, for messages: `[a, b]`, `{type: ALL}`. */
function flow(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(flow).join(', ')}]`;
	if (isMapping(value))
		return `{${Object.entries(value)
			.map(([k, v]) => `${k}: ${flow(v)}`)
			.join(', ')}}`;
	return typeof value === 'string' && /^[\w./-]+$/.test(value) ? value : JSON.stringify(value);
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
