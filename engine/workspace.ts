/**
 * The workspace: the front half of the engine in one call (docs/ARCHITECTURE.md §2, §9).
 *
 *   loadWorkspace(dir, options) = loadStackFolder → resolveStack → buildDag (+ cycle diagnostics)
 *
 * `dir` may also be a stack file (`stack.yaml` holding the whole stack: loadStackFile).
 *
 * Invariants:
 * - Never throws on user error: every problem is in `diagnostics`, sorted errors-first.
 * - The caller passes the folder (absolute), the environment variables, the tenant config file and
 *   optionally a FileCache; the engine reads no process state of its own.
 * - With the same cache, reloading after one file changed re-parses only that file (the watcher
 *   and the workbench rely on this for their latency budget).
 */
import path from 'node:path';
import {type Diagnostic, hasErrors, sortDiagnostics} from './diagnostics.js';
import {buildDag, cycleEdges, type Dag} from './graph/dag.js';
import {getKind} from './kinds/registry.js';
import {isStackFile, loadStackFile} from './load/stack-file.js';
import {FileCache, loadStackFolder} from './load/stack-folder.js';
import type {TenantConfig} from './model/tenant-config.js';
import type {EnvironmentSettings} from './model/stack.js';
import {type ResolvedComponent, type ResolveOptions, resolveStack, type ServiceInfo, type StackInfo} from './resolve/resolve-stack.js';
import {loadTenantConfigFile} from './resolve/tenant-config-file.js';
import type {VariableScope} from './resolve/interpolate.js';

export interface WorkspaceOptions extends Omit<ResolveOptions, 'tenant'> {
	/** Absolute path of a TenantConfig YAML file (`--tenant-config`). */
	tenantConfigPath?: string;
	/** An already loaded tenant config (from the registry); wins over tenantConfigPath. */
	tenantConfig?: {config: TenantConfig; file: string};
	cache?: FileCache;
	/** Clock for `loadedAt`/`durationMs`; defaults to Date.now / performance.now. */
	now?: () => number;
}

export interface Workspace {
	/** The stack's folder (absolute); for a single-file stack, the folder holding the file. */
	root: string;
	/** What was loaded: `root` itself, or the stack file (a whole stack in one YAML file). */
	source: string;
	stack: StackInfo;
	environment: string;
	/** The environments stack.yaml declares, in file order; empty when it declares none. */
	environments: string[];
	/** The settings of `environment` (protected, description, variables, tags) when the stack declares it. */
	environmentSettings?: EnvironmentSettings;
	tenantName: string;
	tenant?: {config: TenantConfig; file: string};
	services: ServiceInfo[];
	/** Sorted by address. */
	components: ResolvedComponent[];
	componentsByName: ReadonlyMap<string, ResolvedComponent>;
	graph: Dag;
	diagnostics: Diagnostic[];
	/** Text of every file read, by stack-relative path: code frames in the workbench. */
	sources: ReadonlyMap<string, string>;
	/** Every stack-relative file read (for watchers). */
	files: string[];
	scope: VariableScope;
	loadedAt: number;
	durationMs: number;
}

export async function loadWorkspace(dir: string, options: WorkspaceOptions = {}): Promise<Workspace> {
	const started = performance.now();
	const source = path.resolve(dir);
	const singleFile = await isStackFile(source);
	const root = singleFile ? path.dirname(source) : source;
	const cache = options.cache ?? new FileCache();
	const [folder, tenantLoaded] = await Promise.all([
		singleFile ? loadStackFile(source, cache) : loadStackFolder(root, cache),
		options.tenantConfig
			? Promise.resolve(undefined)
			: options.tenantConfigPath
				? loadTenantConfigFile(path.resolve(options.tenantConfigPath), root)
				: Promise.resolve(undefined),
	]);
	const tenant = options.tenantConfig ?? (tenantLoaded?.config ? {config: tenantLoaded.config, file: tenantLoaded.file} : undefined);
	const resolved = resolveStack(folder, {...options, tenant});
	const diagnostics = [...folder.diagnostics, ...(tenantLoaded?.diagnostics ?? []), ...resolved.diagnostics];

	const components = [...resolved.components].sort((a, b) => a.address.localeCompare(b.address));
	const graph = buildDag(
		components.map((c) => ({
			id: c.name,
			address: c.address,
			kind: c.kind,
			service: c.service,
			weight: getKind(c.kind)?.typicalCreateSeconds ?? 1,
		})),
		resolved.edges,
	);
	diagnostics.push(...cycleDiagnostics(graph));

	const sources = new Map<string, string>();
	if (folder.stackFile) sources.set(folder.stackFile.file, folder.stackFile.text);
	for (const service of folder.services) {
		if (service.serviceFile) sources.set(service.serviceFile.file, service.serviceFile.text);
		for (const file of service.componentFiles) sources.set(file.file, file.text);
	}

	return {
		root,
		source,
		stack: resolved.stack,
		environment: resolved.environment,
		environments: resolved.environments,
		...(resolved.environmentSettings ? {environmentSettings: resolved.environmentSettings} : {}),
		tenantName: resolved.tenantName,
		tenant,
		services: resolved.services,
		components,
		componentsByName: new Map(components.map((c) => [c.name, c])),
		graph,
		diagnostics: sortDiagnostics(diagnostics),
		sources,
		files: folder.files,
		scope: resolved.scope,
		loadedAt: (options.now ?? Date.now)(),
		durationMs: performance.now() - started,
	};
}

/** One diagnostic per cycle, naming the whole loop, each member with the file:line of its edge. */
function cycleDiagnostics(graph: Dag): Diagnostic[] {
	return graph.cycles.map((cycle) => {
		const edges = cycleEdges(graph, cycle);
		const addresses = cycle.map((id) => graph.nodes.get(id)?.address ?? id);
		const first = edges[0]?.position;
		return {
			severity: 'error',
			code: 'dependency-cycle',
			message: `dependency cycle: ${[...addresses, addresses[0]].join(' → ')}`,
			...(first ? {file: first.file, line: first.line, column: first.column} : {}),
			hint: 'break the loop: remove one dependsOn, or read one value some other way than valueFrom',
			related: edges.map((edge) => ({
				file: edge.position?.file ?? '',
				line: edge.position?.line ?? 1,
				column: edge.position?.column ?? 1,
				message: `${graph.nodes.get(edge.from)?.address ?? edge.from} depends on ${graph.nodes.get(edge.to)?.address ?? edge.to} (${edge.label})`,
			})),
		} satisfies Diagnostic;
	});
}

export function workspaceHasErrors(workspace: Workspace): boolean {
	return hasErrors(workspace.diagnostics);
}

export {FileCache};

/** Diagnostics located inside a component's YAML document. */
export function componentDiagnostics(workspace: Workspace, component: ResolvedComponent): Diagnostic[] {
	const {first, last} = component.document.lines;
	return workspace.diagnostics.filter((d) => d.file === component.file && d.line !== undefined && d.line >= first && d.line <= last);
}
