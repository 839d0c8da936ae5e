/**
 * loadStackFile: a whole stack in one multi-document YAML file (the original tool's v1 layout,
 * which it validated as readily as a folder) → the same StackFolder a folder gives, so the
 * resolver, graph, plan and apply never know the difference.
 *
 * The file holds one Stack document, any Service documents, and components; a component belongs
 * to the service its `metadata.service` names (the only service when there is one and it names
 * none). A service named only by its components needs no Service document. Each service's
 * folder, where Lambda `code.path` is looked up, is the file's own folder.
 *
 * Invariants: as loadStackFolder — never throws on anything in the file, every problem is a
 * diagnostic with its line; documents keep their file order within a service.
 */
import {stat} from 'node:fs/promises';
import path from 'node:path';
import type {Diagnostic} from '../diagnostics.js';
import {readTextFile} from './read-text-file.js';
import {FileCache, type LoadedFile, type ServiceFolder, type StackFolder} from './stack-folder.js';
import type {SourceDocument} from './yaml-source.js';

/** True when `target` is a file that could hold a stack (`*.yaml` / `*.yml`). */
export async function isStackFile(target: string): Promise<boolean> {
	if (!/\.ya?ml$/i.test(target)) return false;
	return (await stat(target).catch(() => undefined))?.isFile() ?? false;
}

export async function loadStackFile(absolutePath: string, cache: FileCache = new FileCache()): Promise<StackFolder> {
	const root = path.dirname(absolutePath);
	const file = path.basename(absolutePath);
	const diagnostics: Diagnostic[] = [];
	const folder: StackFolder = {root, services: [], diagnostics, files: [file], brokenFiles: [], brokenNames: [], singleFile: true};
	const read = await readTextFile(absolutePath, file);
	if (!read.ok) {
		diagnostics.push(read.diagnostic);
		folder.brokenFiles.push(file);
		return folder;
	}
	const parsed = cache.parse(absolutePath, file, read.text);
	diagnostics.push(...parsed.diagnostics);
	if (parsed.diagnostics.length > 0) folder.brokenFiles.push(file);
	folder.brokenNames.push(...parsed.brokenNames);
	const loaded = (documents: SourceDocument[]): LoadedFile => ({file, absolutePath, text: read.text, documents});

	const stacks = parsed.documents.filter((d) => kindOf(d) === 'Stack');
	const serviceDocs = parsed.documents.filter((d) => kindOf(d) === 'Service');
	const components = parsed.documents.filter((d) => kindOf(d) !== 'Stack' && kindOf(d) !== 'Service');
	const [stackDocument, ...extraStacks] = stacks;
	if (stackDocument) folder.stackFile = loaded([stackDocument]);
	else if (parsed.diagnostics.length === 0)
		diagnostics.push({
			severity: 'error',
			code: 'missing-stack-file',
			message: `${file} has no Stack document: a stack file starts with one (apiVersion: core.panka.io/v1, kind: Stack)`,
			file,
			line: 1,
			column: 1,
			hint: 'pass a stack folder, or add the Stack document to this file',
		});
	for (const extra of extraStacks)
		diagnostics.push({
			severity: 'error',
			code: 'wrong-document-kind',
			message: 'a stack file holds one Stack document; this is a second one',
			...extra.positionOf(['kind']),
		});

	const services = new Map<string, {serviceDocs: SourceDocument[]; components: SourceDocument[]}>();
	const serviceOf = (name: string) => {
		const entry = services.get(name) ?? {serviceDocs: [], components: []};
		services.set(name, entry);
		return entry;
	};
	for (const document of serviceDocs) {
		const name = metadataString(document, 'name');
		if (name) serviceOf(name).serviceDocs.push(document);
		else
			diagnostics.push({
				severity: 'error',
				code: 'missing-field',
				message: 'a Service document in a stack file needs metadata.name: its components name it in metadata.service',
				...document.positionOf(['metadata']),
			});
	}
	const named = new Set([...services.keys(), ...components.map((d) => metadataString(d, 'service')).filter((s) => s !== undefined)]);
	for (const document of components) {
		const service = metadataString(document, 'service') ?? (named.size === 1 ? [...named][0] : undefined);
		if (service) serviceOf(service).components.push(document);
		else
			diagnostics.push({
				severity: 'error',
				code: 'missing-field',
				message: `in a stack file each component names its service: add metadata.service${named.size > 0 ? ` (one of: ${[...named].sort().join(', ')})` : ''}`,
				...document.positionOf(['metadata']),
			});
	}

	for (const [name, entry] of [...services].sort(([a], [b]) => a.localeCompare(b))) {
		const [serviceDocument, ...moreServiceDocs] = entry.serviceDocs;
		for (const extra of moreServiceDocs)
			diagnostics.push({
				severity: 'error',
				code: 'duplicate-service',
				message: `service ${name} is defined twice in ${file}`,
				...extra.positionOf(['metadata', 'name']),
			});
		const service: ServiceFolder = {
			dirName: name,
			absolutePath: root,
			...(serviceDocument ? {serviceFile: loaded([serviceDocument])} : {}),
			componentFiles: entry.components.length > 0 ? [loaded(entry.components)] : [],
			envEntries: [],
			envFiles: [],
		};
		folder.services.push(service);
	}
	return folder;
}

function kindOf(document: SourceDocument): unknown {
	const value = document.value as {kind?: unknown} | null;
	return value && typeof value === 'object' ? value.kind : undefined;
}

function metadataString(document: SourceDocument, key: 'name' | 'service'): string | undefined {
	const metadata = (document.value as {metadata?: Record<string, unknown>} | null)?.metadata;
	const value = metadata && typeof metadata === 'object' ? metadata[key] : undefined;
	return typeof value === 'string' && value !== '' ? value : undefined;
}
