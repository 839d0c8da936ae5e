/**
 * loadStackFolder: the stack folder on disk → parsed files, with every problem as a diagnostic.
 *
 * Layout (the contract's): `stack.yaml` + `services/<dir>/service.yaml` + any other `*.yaml|*.yml`
 * in the service folder (each possibly multi-document) + `services/<dir>/config/*.env`. Other files
 * and sub-folders (code, README, settings) are ignored.
 *
 * Invariants:
 * - Never throws on anything in the folder: missing files, unreadable, binary, oversized files and
 *   symlink loops become diagnostics, and every other file is still loaded.
 * - Nothing that looks like part of the stack is skipped in silence: a folder that cannot be
 *   listed, a service folder whose name starts with `.`, an entry named like a YAML or .env file
 *   that is not a regular file (a folder, a pipe, a device), and a component file with no document
 *   in it (empty, blank or only comments) are each an error at that path.
 * - Deterministic: services and files are sorted by name.
 * - With a FileCache, a file whose text did not change is not parsed again (the workbench reloads
 *   on every save; only the saved file is re-parsed).
 * - Reads are bounded in concurrency, so a 5,000-file stack never runs out of file descriptors.
 */
import type {Dirent} from 'node:fs';
import {readdir, realpath, stat} from 'node:fs/promises';
import path from 'node:path';
import type {Diagnostic} from '../diagnostics.js';
import type {EnvFileEntry} from '../kinds/kind.js';
import {parseEnvFile} from './env-file.js';
import {readTextFile} from './read-text-file.js';
import {type ParsedYamlFile, parseYamlFile, type SourceDocument} from './yaml-source.js';

export interface LoadedFile {
	/** Stack-relative, `/`-separated. */
	file: string;
	absolutePath: string;
	text: string;
	documents: SourceDocument[];
}

export interface ServiceFolder {
	/** The folder name under services/: the service's name unless its file says otherwise. */
	dirName: string;
	absolutePath: string;
	/** `services/<dir>/service.yaml`, when present and readable. */
	serviceFile?: LoadedFile;
	/** Every other YAML file of the folder, sorted. */
	componentFiles: LoadedFile[];
	envEntries: EnvFileEntry[];
	envFiles: string[];
}

export interface StackFolder {
	root: string;
	stackFile?: LoadedFile;
	services: ServiceFolder[];
	diagnostics: Diagnostic[];
	/** Stack-relative paths of every file read, for the watcher and code frames. */
	files: string[];
	/** YAML files that could not be read or parsed (fully or in part). */
	brokenFiles: string[];
	/** Component names recovered from documents dropped for syntax errors. */
	brokenNames: string[];
	/** Loaded from one multi-document file (stack-file.ts), not a folder. */
	singleFile?: boolean;
}

/** Parsed files by absolute path; reused while their text is unchanged. */
export class FileCache {
	readonly #entries = new Map<string, {text: string; parsed: ParsedYamlFile}>();

	parse(absolutePath: string, file: string, text: string): ParsedYamlFile {
		const hit = this.#entries.get(absolutePath);
		if (hit && hit.text === text) return hit.parsed;
		const parsed = parseYamlFile(file, text);
		this.#entries.set(absolutePath, {text, parsed});
		return parsed;
	}

	get size(): number {
		return this.#entries.size;
	}
}

const yamlFile = /\.ya?ml$/i;
const readConcurrency = 32;

export async function loadStackFolder(root: string, cache: FileCache = new FileCache()): Promise<StackFolder> {
	const folder: StackFolder = {root, services: [], diagnostics: [], files: [], brokenFiles: [], brokenNames: []};
	const rootStat = await stat(root).catch(() => undefined);
	if (!rootStat?.isDirectory()) {
		folder.diagnostics.push(notAStackFolder(root, rootStat !== undefined));
		return folder;
	}
	const rootEntries = await listDirOrUndefined(root, '.', folder.diagnostics);
	if (!rootEntries) return folder;
	const load: FolderLoad = {root, cache, folder, jobs: []};
	queueStackFile(load, rootEntries.find((e) => /^stack\.ya?ml$/.test(e.name))?.name);
	await queueServices(
		load,
		rootEntries.find((e) => e.name === 'services'),
	);
	await runBounded(load.jobs, readConcurrency);
	sortFolder(folder);
	return folder;
}

/** One load in progress: the folder being filled, and the reads queued to fill it (run bounded at the end). */
interface FolderLoad {
	root: string;
	cache: FileCache;
	folder: StackFolder;
	jobs: Array<() => Promise<void>>;
}

function notAStackFolder(root: string, exists: boolean): Diagnostic {
	return {
		severity: 'error',
		code: 'missing-stack-file',
		message: exists ? `${root} is a file, not a stack folder` : `stack folder ${root} does not exist`,
		file: '.',
		line: 1,
		column: 1,
		hint: 'pass the folder that holds stack.yaml, or create one with `panka stack init <name>`',
	};
}

/** Queues reading and parsing a YAML file; `assign` puts the result in its place. A component file must hold a document. */
function queueYaml(
	{cache, folder, jobs}: FolderLoad,
	absolutePath: string,
	file: string,
	assign: (loaded: LoadedFile) => void,
	role: 'component' | 'other' = 'other',
): void {
	jobs.push(async () => {
		folder.files.push(file);
		const read = await readTextFile(absolutePath, file);
		if (!read.ok) {
			folder.diagnostics.push(read.diagnostic);
			folder.brokenFiles.push(file);
			return;
		}
		const parsed = cache.parse(absolutePath, file, read.text);
		folder.diagnostics.push(...parsed.diagnostics);
		if (parsed.diagnostics.length > 0) folder.brokenFiles.push(file);
		else if (role === 'component' && parsed.documents.length === 0) folder.diagnostics.push(emptyComponentFile(file, read.text));
		folder.brokenNames.push(...parsed.brokenNames);
		assign({file, absolutePath, text: read.text, documents: parsed.documents});
	});
}

function queueStackFile(load: FolderLoad, stackName: string | undefined): void {
	const {folder} = load;
	if (stackName) {
		queueYaml(load, path.join(load.root, stackName), stackName, (loaded) => {
			folder.stackFile = loaded;
		});
		return;
	}
	folder.diagnostics.push({
		severity: 'error',
		code: 'missing-stack-file',
		message: 'stack.yaml is missing: this folder is not a stack',
		file: 'stack.yaml',
		line: 1,
		column: 1,
		hint: 'create it with `panka stack init <name>`, or pass the folder that holds stack.yaml',
	});
}

/** Every service folder under services/ (which must be a folder). */
async function queueServices(load: FolderLoad, servicesEntry: DirEntry | undefined): Promise<void> {
	const {diagnostics} = load.folder;
	if (!servicesEntry?.dir) {
		diagnostics.push({
			severity: 'error',
			code: 'missing-services-dir',
			message: servicesEntry ? 'services is a file; it must be a folder of service folders' : 'services/ folder is missing',
			file: 'services',
			line: 1,
			column: 1,
			hint: 'add a service with `panka service add <name>`',
		});
		return;
	}
	for (const entry of await listDir(path.join(load.root, 'services'), 'services', diagnostics)) await queueService(load, entry);
}

/** One entry of services/: a service folder's files, or why it is not loaded (a stray file is not a service). */
async function queueService(load: FolderLoad, entry: DirEntry): Promise<void> {
	const {root, folder} = load;
	const {diagnostics} = folder;
	const relative = `services/${entry.name}`;
	if (entry.problem) {
		diagnostics.push({...entry.problem, file: relative});
		return;
	}
	if (!entry.dir) return; // a stray file in services/ (README.md) is not a service
	if (entry.name.startsWith('.')) {
		diagnostics.push({
			severity: 'error',
			code: 'invalid-name',
			message: `service folder "${entry.name}" starts with ".": it is not loaded, and a service name starts with a letter`,
			file: relative,
			line: 1,
			column: 1,
			hint: 'rename the folder, or move it out of services/',
		});
		return;
	}
	const absolutePath = path.join(root, 'services', entry.name);
	if (await linksToEnclosingFolder(absolutePath, root)) {
		diagnostics.push({
			severity: 'error',
			code: 'symlink-loop',
			message: `services/${entry.name} is a link back to an enclosing folder`,
			file: relative,
			line: 1,
			column: 1,
			hint: 'service folders must be real folders (or links to folders outside the stack)',
		});
		return;
	}
	const children = await listDirOrUndefined(absolutePath, relative, diagnostics);
	if (!children) return; // reported; "has no service.yaml" would mis-describe it
	const service: ServiceFolder = {
		dirName: entry.name,
		absolutePath,
		componentFiles: [],
		envEntries: [],
		envFiles: [],
	};
	folder.services.push(service);
	for (const child of children) await queueServiceEntry(load, service, relative, child);
}

/** One entry of a service folder: service.yaml, a component file, or the config/ folder of .env files. */
async function queueServiceEntry(load: FolderLoad, service: ServiceFolder, relative: string, child: DirEntry): Promise<void> {
	const {folder, jobs} = load;
	const file = `${relative}/${child.name}`;
	if (child.problem && yamlFile.test(child.name)) folder.diagnostics.push({...child.problem, file});
	else if (child.dir && child.name === 'config') await collectEnvFiles(service, file, jobs, folder.diagnostics, folder.files);
	else if (yamlFile.test(child.name)) {
		// Not only regular files: a folder or pipe named like YAML is reported by readTextFile.
		const isServiceFile = /^service\.ya?ml$/.test(child.name);
		queueYaml(
			load,
			path.join(service.absolutePath, child.name),
			file,
			(loaded) => {
				if (isServiceFile) service.serviceFile = loaded;
				else service.componentFiles.push(loaded);
			},
			isServiceFile ? 'other' : 'component',
		);
	}
}

/** Deterministic order: component files and env entries by file (and line), files by name. */
function sortFolder(folder: StackFolder): void {
	for (const service of folder.services) {
		service.componentFiles.sort((a, b) => a.file.localeCompare(b.file));
		service.envEntries.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
	}
	folder.files.sort();
	folder.brokenFiles.sort();
}

async function collectEnvFiles(
	service: ServiceFolder,
	configDir: string,
	jobs: Array<() => Promise<void>>,
	diagnostics: Diagnostic[],
	files: string[],
): Promise<void> {
	for (const entry of await listDir(path.join(service.absolutePath, 'config'), configDir, diagnostics)) {
		if (!entry.name.endsWith('.env')) continue;
		const file = `${configDir}/${entry.name}`;
		if (entry.problem) {
			diagnostics.push({...entry.problem, file});
			continue;
		}
		jobs.push(async () => {
			files.push(file);
			const read = await readTextFile(path.join(service.absolutePath, 'config', entry.name), file);
			if (!read.ok) return void diagnostics.push(read.diagnostic);
			const parsed = parseEnvFile(file, read.text);
			diagnostics.push(...parsed.diagnostics);
			service.envEntries.push(...parsed.entries);
			service.envFiles.push(file);
		});
	}
}

interface DirEntry {
	name: string;
	dir: boolean;
	problem?: Diagnostic;
}

/** Entries sorted by name (none when the folder cannot be listed: that is reported at `relative`). */
async function listDir(dir: string, relative: string, diagnostics: Diagnostic[]): Promise<DirEntry[]> {
	return (await listDirOrUndefined(dir, relative, diagnostics)) ?? [];
}

/**
 * Entries sorted by name, or undefined when the folder cannot be listed (a diagnostic at
 * `relative` says why). Symlinks are followed, and a looping or broken one is reported.
 */
async function listDirOrUndefined(dir: string, relative: string, diagnostics: Diagnostic[]): Promise<DirEntry[] | undefined> {
	let entries: Dirent[];
	try {
		entries = await readdir(dir, {withFileTypes: true});
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		diagnostics.push({
			severity: 'error',
			code: 'unreadable-file',
			message:
				code === 'EACCES' || code === 'EPERM'
					? `cannot list the folder ${relative}: permission denied`
					: `cannot list the folder ${relative}: ${code ?? (error as Error).message}`,
			file: relative,
			line: 1,
			column: 1,
			hint: 'make the folder readable (and searchable) by the current user',
		});
		return undefined;
	}
	entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
	return Promise.all(
		entries.map(async (entry): Promise<DirEntry> => {
			const {name} = entry;
			// A plain file or folder says what it is in the listing; anything else (a link, a file
			// system that does not say) is followed with stat, which also finds a looping or broken link.
			if (entry.isFile() || entry.isDirectory()) return {name, dir: entry.isDirectory()};
			try {
				return {name, dir: (await stat(path.join(dir, name))).isDirectory()};
			} catch (error) {
				const code = (error as NodeJS.ErrnoException).code;
				return {
					name,
					dir: false,
					problem: {
						severity: 'error',
						code: code === 'ELOOP' ? 'symlink-loop' : 'unreadable-file',
						message:
							code === 'ELOOP'
								? 'symbolic link loop: the link resolves back to itself'
								: code === 'ENOENT'
									? 'broken symbolic link: its target does not exist'
									: `cannot read: ${code}`,
						line: 1,
						column: 1,
						hint: 'fix or remove the link',
					},
				};
			}
		}),
	);
}

/** The error for a component file that holds no document: panka does not skip it in silence. */
function emptyComponentFile(file: string, text: string): Diagnostic {
	const onlyComments = text.split('\n').every((line) => /^\s*(#.*)?$/.test(line) || /^(---|\.\.\.)(\s.*)?$/.test(line.trimEnd()));
	const what =
		text.length === 0
			? 'the file is empty'
			: text.trim() === ''
				? 'the file holds only whitespace'
				: onlyComments
					? 'the file holds only comments'
					: 'the file holds only empty documents';
	return {
		severity: 'error',
		code: 'empty-document',
		message: `${what}: no component is defined in it`,
		file,
		line: 1,
		column: 1,
		hint: 'add a component document (apiVersion, kind, metadata.name, spec), or delete the file',
	};
}

/** True when `dir` resolves to the stack root, services/ or any folder above them. */
async function linksToEnclosingFolder(dir: string, root: string): Promise<boolean> {
	try {
		const [target, services] = await Promise.all([realpath(dir), realpath(path.join(root, 'services'))]);
		return services === target || services.startsWith(`${target}${path.sep}`);
	} catch {
		return false;
	}
}

async function runBounded(jobs: Array<() => Promise<void>>, limit: number): Promise<void> {
	let next = 0;
	const worker = async () => {
		while (next < jobs.length) {
			const job = jobs[next++];
			if (job) await job();
		}
	};
	await Promise.all(Array.from({length: Math.min(limit, jobs.length)}, worker));
}
