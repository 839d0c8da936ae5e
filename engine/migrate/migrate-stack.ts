/**
 * `panka migrate`: rewrites the original tool's forms in a stack's YAML files into panka's, in
 * place, keeping comments and formatting.
 *
 * The rewrites are the ones validation warns about (resolve/legacy-forms.ts: one list, one
 * meaning); here their edits are applied to each file's `yaml` Document (the document API keeps
 * comments, key order, quoting and flow style), and a service folder without service.yaml gets one.
 *
 * Invariants:
 * - Planning reads only; `writeMigration` writes each changed file atomically (temp file + rename)
 *   and creates new files exclusively, so a half-written file or a clobbered one cannot happen.
 * - A file with YAML syntax errors is never rewritten (its problems are reported instead).
 * - `spec.provider` is removed only when it agrees with the tenant (when one is known): a region or
 *   account that differs stays, reported, for the user to decide.
 * - Output uses the file's own sequence indentation, so untouched parts stay byte for byte.
 */
import {randomUUID} from 'node:crypto';
import {chmod, open, rename, rm, stat, writeFile} from 'node:fs/promises';
import path from 'node:path';
import type {Document, ToStringOptions} from 'yaml';
import {type Edit, valueAt} from '../kinds/legacy-form.js';
import {isStackFile, loadStackFile} from '../load/stack-file.js';
import {FileCache, type LoadedFile, loadStackFolder, type StackFolder} from '../load/stack-folder.js';
import {type PathSegment, yamlLibrary} from '../load/yaml-source.js';
import type {TenantConfig} from '../model/tenant-config.js';
import {normaliseDocument} from '../resolve/legacy-forms.js';
import {serviceFile} from '../scaffold/templates.js';

export interface MigrationChange {
	line: number;
	message: string;
}

export interface MigratedFile {
	/** Relative to the stack folder, `/`-separated. */
	file: string;
	absolutePath: string;
	/** The text before ('' for a file migrate creates). */
	before: string;
	after: string;
	created: boolean;
	changes: MigrationChange[];
}

export interface MigrationPlan {
	/** The stack folder (for a stack file, the folder holding it). */
	root: string;
	stackName?: string;
	files: MigratedFile[];
	/** What migrate left alone, and why (syntax errors, a provider that disagrees with the tenant, …). */
	problems: Array<{file: string; line: number; message: string}>;
}

export interface MigrationOptions {
	/** The tenant the stack deploys with, when known: spec.provider is checked against it. */
	tenant?: TenantConfig;
}

const maxAliasCount = 1_000;

export async function planMigration(target: string, options: MigrationOptions = {}): Promise<MigrationPlan> {
	const singleFile = await isStackFile(target);
	const folder = singleFile ? await loadStackFile(target, new FileCache()) : await loadStackFolder(target, new FileCache());
	const plan: MigrationPlan = {root: folder.root, files: [], problems: []};
	const stackName = (folder.stackFile?.documents[0]?.value as {metadata?: {name?: unknown}} | undefined)?.metadata?.name;
	if (typeof stackName === 'string') plan.stackName = stackName;

	for (const [absolutePath, source] of filesOf(folder)) {
		if (folder.brokenFiles.includes(source.file)) {
			plan.problems.push({
				file: source.file,
				line: 1,
				message: 'not migrated: the file has YAML errors (panka validate shows them); fix them first',
			});
			continue;
		}
		const migrated = migrateText(source.file, source.text, source.serviceOf, options, plan.problems);
		if (migrated)
			plan.files.push({
				file: source.file,
				absolutePath,
				before: source.text,
				after: migrated.text,
				created: false,
				changes: migrated.changes,
			});
	}
	if (!folder.singleFile && plan.stackName)
		for (const service of folder.services) {
			if (service.serviceFile) continue;
			const file = `services/${service.dirName}/service.yaml`;
			plan.files.push({
				file,
				absolutePath: path.join(service.absolutePath, 'service.yaml'),
				before: '',
				after: serviceFile({stack: plan.stackName, service: service.dirName}, 'empty'),
				created: true,
				changes: [{line: 1, message: `added the Service document the folder lacked (service ${service.dirName})`}],
			});
		}
	plan.files.sort((a, b) => a.file.localeCompare(b.file));
	return plan;
}

/** Every YAML file of the stack once, with the service each of its documents belongs to. */
function filesOf(folder: StackFolder): Map<string, {file: string; text: string; serviceOf: Map<number, string>}> {
	const files = new Map<string, {file: string; text: string; serviceOf: Map<number, string>}>();
	const add = (loaded: LoadedFile | undefined, service?: string) => {
		if (!loaded) return;
		const entry = files.get(loaded.absolutePath) ?? {file: loaded.file, text: loaded.text, serviceOf: new Map<number, string>()};
		files.set(loaded.absolutePath, entry);
		if (service) for (const document of loaded.documents) entry.serviceOf.set(document.index, service);
	};
	add(folder.stackFile);
	for (const service of folder.services) {
		add(service.serviceFile, service.dirName);
		for (const file of service.componentFiles) add(file, service.dirName);
	}
	return files;
}

/** The file's text with every rewrite applied, or undefined when nothing changes. */
function migrateText(
	file: string,
	text: string,
	serviceOf: ReadonlyMap<number, string>,
	options: MigrationOptions,
	problems: MigrationPlan['problems'],
): {text: string; changes: MigrationChange[]} | undefined {
	const documents = yamlLibrary().parseAllDocuments(text, {merge: true});
	if (!Array.isArray(documents)) return undefined;
	const changes: MigrationChange[] = [];
	const lineOf = (offset: number) => text.slice(0, offset).split('\n').length;
	let index = 0;
	for (const document of documents) {
		if (document.contents === null || (yamlLibrary().isScalar(document.contents) && document.contents.value === null)) continue;
		const service = serviceOf.get(index);
		index++;
		const value = document.toJS({maxAliasCount});
		const normalised = normaliseDocument(value, service ? {service} : {});
		for (const rewrite of normalised.rewrites) {
			const line = lineOf(nodeOffset(document, rewrite.path));
			const keep = rewrite.path.join('.') === 'spec.provider' ? providerConflict(value, options.tenant) : undefined;
			if (keep) {
				problems.push({file, line, message: `kept spec.provider: ${keep}`});
				continue;
			}
			const applied = rewrite.edits.every((edit) => applyYamlEdit(document, edit));
			if (applied) changes.push({line, message: rewrite.message});
			else problems.push({file, line, message: `not migrated (the form is written through an alias or merge key): ${rewrite.message}`});
		}
	}
	if (changes.length === 0) return undefined;
	const style = toStringStyle(text);
	return {text: documents.map((document) => document.toString(style)).join(''), changes: changes.sort((a, b) => a.line - b.line)};
}

/** Why a stack's spec.provider must stay (it names another region or account than the tenant's), if it must. */
function providerConflict(value: unknown, tenant: TenantConfig | undefined): string | undefined {
	if (!tenant) return undefined;
	const provider = valueAt(value, ['spec', 'provider']) as {region?: unknown; accountId?: unknown} | undefined;
	const {region, accountId} = tenant.spec.aws;
	if (provider?.region !== undefined && String(provider.region) !== region)
		return `its region ${String(provider.region)} differs from tenant ${tenant.metadata.name}'s ${region}; remove it yourself once you have chosen`;
	if (provider?.accountId !== undefined && String(provider.accountId) !== accountId)
		return `its account ${String(provider.accountId)} differs from tenant ${tenant.metadata.name}'s ${accountId}; remove it yourself once you have chosen`;
	return undefined;
}

/**
 * The `yaml` output options that reproduce this file: sequences indented under their key or not
 * (whichever round-trips the untouched file), no line folding, `[a, b]` flow lists.
 */
function toStringStyle(text: string): ToStringOptions {
	const candidates: ToStringOptions[] = [true, false].map((indentSeq) => ({indentSeq, lineWidth: 0, flowCollectionPadding: false}));
	const roundTrips = (style: ToStringOptions) =>
		yamlLibrary()
			.parseAllDocuments(text)
			.map((document) => document.toString(style))
			.join('') === text;
	return candidates.find(roundTrips) ?? candidates[0]!;
}

/** Start offset of the node at `path` (its key for a mapping entry), for the line a change is reported at. */
function nodeOffset(document: Document, path: readonly PathSegment[]): number {
	const parent = path.length > 1 ? document.getIn(path.slice(0, -1), true) : document.contents;
	if (parent instanceof yamlLibrary().YAMLMap) {
		const pair = parent.items.find((item) => yamlLibrary().isScalar(item.key) && String(item.key.value) === String(path.at(-1)));
		const range = (pair?.key as {range?: [number, number, number]} | undefined)?.range;
		if (range) return range[0];
	}
	const node = document.getIn(path, true) as {range?: [number, number, number]} | undefined;
	return node?.range?.[0] ?? document.range?.[0] ?? 0;
}

/** One edit applied to a `yaml` Document; false when its path is not plainly in the document. */
export function applyYamlEdit(document: Document, edit: Edit): boolean {
	const nodeAt = (at: readonly PathSegment[]) => (document.hasIn(at) ? document.getIn(at, true) : undefined);
	switch (edit.op) {
		case 'set': {
			const node = nodeAt(edit.path);
			if (yamlLibrary().isScalar(node)) node.value = edit.value;
			else document.setIn(edit.path, edit.value);
			return true;
		}
		case 'delete':
			return document.deleteIn(edit.path);
		case 'move': {
			const node = nodeAt(edit.from);
			if (node === undefined || document.hasIn(edit.to)) return false;
			document.deleteIn(edit.from);
			document.setIn(edit.to, node);
			return true;
		}
		case 'wrap': {
			const node = nodeAt(edit.path);
			if (node === undefined) return false;
			const map = new (yamlLibrary().YAMLMap)(document.schema);
			map.set(document.createNode(edit.key), node);
			document.setIn(edit.path, map);
			return true;
		}
		case 'wrap-in-list': {
			const node = nodeAt(edit.path);
			if (node === undefined || (!yamlLibrary().isCollection(node) && !yamlLibrary().isScalar(node))) return false;
			const list = new (yamlLibrary().YAMLSeq)(document.schema);
			list.items.push(node);
			document.setIn(edit.path, list);
			return true;
		}
	}
}

/** Writes a migration: changed files replaced atomically, new files created (never overwriting one). */
export async function writeMigration(plan: MigrationPlan): Promise<void> {
	for (const file of plan.files) {
		if (file.created) {
			const handle = await open(file.absolutePath, 'wx');
			try {
				await handle.writeFile(file.after);
			} finally {
				await handle.close();
			}
			continue;
		}
		const temp = path.join(path.dirname(file.absolutePath), `.${path.basename(file.absolutePath)}.${randomUUID().slice(0, 8)}.tmp`);
		try {
			const {mode} = await stat(file.absolutePath);
			await writeFile(temp, file.after, {flag: 'wx'});
			await chmod(temp, mode & 0o7777);
			await rename(temp, file.absolutePath);
		} catch (error) {
			await rm(temp, {force: true});
			throw error;
		}
	}
}
