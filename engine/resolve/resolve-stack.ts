/**
 * resolveStack: parsed stack folder → desired stack (docs/ARCHITECTURE.md §2, "validate" and "resolve").
 *
 * In one pass over every document it checks the envelope (apiVersion/kind), metadata and names,
 * interpolates `${VARS}` with their precedence, validates each spec against its kind's schema
 * (coercing `"3"` to 3 and normalising e.g. "512Mi"), merges `config/*.env`, checks references
 * (`valueFrom`, `dependsOn`, triggers, subscriptions, targets), secret references (the tenant's
 * namespace only), tenant limits and allowed kinds, and derives networking, physical names and tags.
 * Each component document is resolved by resolve-component.ts; the types of the result's parts
 * live in resolved-parts.ts (re-exported here).
 *
 * Invariants:
 * - Pure apart from the kinds' file-existence checks: same folder and options → same result.
 * - Never throws on user error; a broken component is kept (flagged `valid: false`) so the tree,
 *   the graph and its dependents' checks still work around it.
 * - Component names are unique within a stack; a duplicate is reported and left out of the graph.
 */
import {statSync} from 'node:fs';
import path from 'node:path';
import type {Diagnostic, SourcePosition} from '../diagnostics.js';
import type {DagEdge} from '../graph/dag.js';
import type {KindCheckContext} from '../kinds/kind.js';
import {getKind} from '../kinds/registry.js';
import type {LoadedFile, StackFolder} from '../load/stack-folder.js';
import type {PathSegment, SourceDocument} from '../load/yaml-source.js';
import {nameProblem} from '../model/names.js';
import {type EnvironmentSettings, type ServiceDocument, serviceSchema, stackSchema} from '../model/stack.js';
import type {TenantConfig} from '../model/tenant-config.js';
import {classifyDocument} from './documents.js';
import {declaredEnvironments, defaultEnvironment, environmentSettings, undeclaredEnvironment} from './environments.js';
import {type LegacyFormsReporter, legacyFormsReporter} from './legacy-forms.js';
import {type VariableDefinition, VariableScope} from './interpolate.js';
import {stackNetworking} from './networking.js';
import {checkAgainstSchema, valueAt} from './schema-diagnostics.js';
import {resolveComponent} from './resolve-component.js';
import {lazy} from './lazy.js';
import type {ResolvedComponent, ServiceInfo, StackInfo} from './resolved-parts.js';
import {didYouMean} from './suggest.js';
import {checkTenantPolicies} from './tenant-policies.js';

export type {ComponentReferenceInfo, ResolvedComponent, ServiceInfo, StackInfo} from './resolved-parts.js';

export interface ResolveOptions {
	/** `--var K=V` values: the highest precedence. */
	vars?: Readonly<Record<string, string>>;
	/** The process environment, for `PANKA_VAR_K`. The engine never reads process.env itself. */
	env?: Readonly<Record<string, string | undefined>>;
	/** `--env`; defaults to the stack's `labels.environment`, else its first declared environment, else `default`. */
	environment?: string;
	tenant?: {config: TenantConfig; file: string};
	/** Clock for date-dependent checks (runtime end of support); defaults to Date.now. */
	now?: () => number;
}

export interface ResolvedStack {
	stack: StackInfo;
	environment: string;
	/** The environments stack.yaml declares, in file order; empty when it declares none. */
	environments: string[];
	/** The settings of `environment` when the stack declares it. */
	environmentSettings?: EnvironmentSettings;
	tenantName: string;
	services: ServiceInfo[];
	components: ResolvedComponent[];
	edges: DagEdge[];
	scope: VariableScope;
	diagnostics: Diagnostic[];
}

export function resolveStack(folder: StackFolder, options: ResolveOptions = {}): ResolvedStack {
	const diagnostics: Diagnostic[] = [];
	const legacy = legacyFormsReporter(diagnostics);
	const stack = resolveStackDocument(folder, diagnostics, legacy);
	const environment = resolveEnvironment(folder, stack, options, diagnostics);
	const tenant = options.tenant?.config;
	const tenantName = resolveTenant(folder, stack, environment, tenant, diagnostics);
	const scope = stackVariableScope(folder, stack, environment, tenantName, options, diagnostics);
	const run: ServicesRun = {
		folder,
		stack,
		environment,
		environmentSettings: environmentSettings(stack.document, environment),
		tenantName,
		tenant,
		scope,
		legacy,
		diagnostics,
		// Names declared by documents that failed before resolution (syntax, kind, apiVersion): other
		// components' references to them are not reported again; the document's own error is the cause.
		brokenNames: new Set(folder.brokenNames),
		files: memoisedFileChecks(),
		today: new Date((options.now ?? Date.now)()),
		services: [],
		components: [],
		byName: new Map(),
		serviceDocs: new Map(),
	};
	for (const folderService of folder.services) resolveService(folderService, run);
	const edges = [...referenceEdges(run), ...serviceDependencyEdges(run)];
	if (tenant) checkTenantRules(tenant, stack, run.services, run.components, folder, run.serviceDocs, diagnostics);
	return {
		stack,
		environment,
		environments: declaredEnvironments(stack.document),
		...(run.environmentSettings ? {environmentSettings: run.environmentSettings} : {}),
		tenantName,
		services: run.services,
		components: run.components,
		edges,
		scope,
		diagnostics,
	};
}

/** Where a path of a document is, for a diagnostic. */
function positionIn(document: SourceDocument, p: PathSegment[], which: 'key' | 'value' = 'value'): SourcePosition {
	const {file, line, column} = document.positionOf(p, which);
	return {file, line, column};
}

function stackPosition(folder: StackFolder, p: PathSegment[]): SourcePosition {
	const document = folder.stackFile?.documents[0];
	return document ? positionIn(document, p) : {file: 'stack.yaml', line: 1, column: 1};
}

function pushError(diagnostics: Diagnostic[], d: Omit<Diagnostic, 'severity'>): void {
	diagnostics.push({severity: 'error', ...d});
}

/**
 * `--env`, else the stack's `labels.environment`, else its first declared environment, else
 * `default` (engine/resolve/environments.ts); a bad or undeclared name is reported where it came from.
 */
function resolveEnvironment(folder: StackFolder, stack: StackInfo, options: ResolveOptions, diagnostics: Diagnostic[]): string {
	const environment = options.environment ?? defaultEnvironment(stack.document, stack.labels);
	const envProblem = nameProblem(environment, 'environment');
	const undeclared = envProblem ? undefined : undeclaredEnvironment(stack.document, environment);
	const message = envProblem ?? undeclared?.message;
	if (!message) return environment;
	const code = envProblem ? 'invalid-name' : 'unknown-environment';
	const hint = undeclared ? {hint: undeclared.hint} : {};
	if (options.environment) pushError(diagnostics, {code, message, flag: '--env', ...hint});
	else if (stack.document)
		pushError(diagnostics, {
			code,
			message: `labels.environment: ${message}`,
			...stackPosition(folder, ['metadata', 'labels', 'environment']),
			...hint,
		});
	return environment;
}

/** The tenant's name; checks the stack belongs to the tenant config and derives the stack's networking from it. */
function resolveTenant(
	folder: StackFolder,
	stack: StackInfo,
	environment: string,
	tenant: TenantConfig | undefined,
	diagnostics: Diagnostic[],
): string {
	if (tenant && stack.tenant && stack.tenant !== tenant.metadata.name)
		pushError(diagnostics, {
			code: 'tenant-mismatch',
			message: `stack names tenant "${stack.tenant}" but the tenant config is for "${tenant.metadata.name}"`,
			...stackPosition(folder, ['metadata', 'tenant']),
			hint: 'deploy with the tenant the stack belongs to, or fix metadata.tenant',
		});
	if (tenant && stack.legacyProvider) checkLegacyProvider(stack.legacyProvider, tenant, diagnostics);
	const tenantName = tenant?.metadata.name ?? stack.tenant ?? 'default';
	if (tenant)
		stack.networking = stackNetworking(tenant, stack.document, {
			tenant: tenantName,
			stack: stack.name,
			env: environment,
			accountId: tenant.spec.aws.accountId,
		});
	else if (folder.stackFile)
		diagnostics.push({
			severity: 'info',
			code: 'no-tenant-config',
			message: 'no tenant config: networking, tenant limits and allowed kinds are not checked',
			file: folder.stackFile.file,
			line: 1,
			column: 1,
			hint: 'pass --tenant-config FILE (the demo has demo/tenant.yaml)',
		});
	return tenantName;
}

/**
 * The stack's variables by precedence: `--var` > `PANKA_VAR_*` > the environment's (stack.yaml
 * `spec.environments.<env>.variables`) > stack.yaml > built-ins; each service's sit between the
 * environment's and the stack's (`serviceLayer`).
 */
function stackVariableScope(
	folder: StackFolder,
	stack: StackInfo,
	environment: string,
	tenantName: string,
	options: ResolveOptions,
	diagnostics: Diagnostic[],
): VariableScope {
	const flagVars: VariableDefinition[] = Object.entries(options.vars ?? {}).map(([name, value]) => ({name, value, origin: {type: 'flag'}}));
	const envVars: VariableDefinition[] = Object.entries(options.env ?? {})
		.filter(([key, value]) => key.startsWith('PANKA_VAR_') && key.length > 10 && value !== undefined)
		.map(([key, value]) => ({name: key.slice(10), value: value ?? '', origin: {type: 'env', name: key}}));
	const builtins: VariableDefinition[] = [
		{name: 'PANKA_STACK', value: stack.name, origin: {type: 'builtin'}},
		{name: 'PANKA_ENV', value: environment, origin: {type: 'builtin'}},
		{name: 'PANKA_TENANT', value: tenantName, origin: {type: 'builtin'}},
	];
	const stackDocument = folder.stackFile?.documents[0];
	const stackVars = variableDefinitions(stackDocument, 'stack');
	const environmentVars = environmentSettings(stack.document, environment)
		? variableDefinitions(stackDocument, 'environment', environment)
		: [];
	const scope = new VariableScope([flagVars, envVars, environmentVars, stackVars, builtins]);
	checkVariableDefinitions(stackVars, scope, stackDocument, diagnostics);
	checkVariableDefinitions(environmentVars, scope, stackDocument, diagnostics);
	return scope;
}

/** Where a service's variables go in the stack's scope: below `--var`, `PANKA_VAR_*` and the environment's. */
const serviceLayer = 3;

/** What resolving the services of one stack shares and builds up. */
interface ServicesRun {
	folder: StackFolder;
	stack: StackInfo;
	environment: string;
	environmentSettings: EnvironmentSettings | undefined;
	tenantName: string;
	tenant: TenantConfig | undefined;
	scope: VariableScope;
	legacy: LegacyFormsReporter;
	diagnostics: Diagnostic[];
	brokenNames: Set<string>;
	files: Pick<KindCheckContext, 'fileExists' | 'isDirectory'>;
	today: Date;
	services: ServiceInfo[];
	components: ResolvedComponent[];
	byName: Map<string, ResolvedComponent>;
	serviceDocs: Map<string, {document: SourceDocument; doc?: ServiceDocument}>;
}

/** One service folder: its service.yaml, its variables, then each of its components. */
function resolveService(folderService: StackFolder['services'][number], run: ServicesRun): void {
	const {stack, diagnostics, legacy, scope, byName} = run;
	const error = (d: Omit<Diagnostic, 'severity'>) => pushError(diagnostics, d);
	const at = positionIn;
	const dirProblem = nameProblem(folderService.dirName, 'service');
	if (dirProblem)
		error({
			code: 'invalid-name',
			message: `service folder: ${dirProblem}`,
			file: `services/${folderService.dirName}`,
			line: 1,
			column: 1,
		});
	const normalised = (document: SourceDocument) => legacy(document, {service: folderService.dirName}).document;
	const [first, ...rest] = (folderService.serviceFile?.documents ?? []).map(normalised);
	const componentDocs: SourceDocument[] = [...rest, ...folderService.componentFiles.flatMap((f) => f.documents.map(normalised))];
	const serviceDoc = checkServiceDocument(folderService, first, componentDocs, run);

	const serviceName = folderService.dirName;
	if (first && serviceDoc?.metadata.name && serviceDoc.metadata.name !== serviceName)
		error({
			code: 'service-mismatch',
			message: `service.yaml names service "${serviceDoc.metadata.name}" but its folder is services/${serviceName}`,
			...at(first, ['metadata', 'name']),
			hint: `rename the folder, or set metadata.name: ${serviceName}`,
		});
	if (first && serviceDoc?.metadata.stack && stack.valid && serviceDoc.metadata.stack !== stack.name)
		error({
			code: 'stack-mismatch',
			message: `service.yaml names stack "${serviceDoc.metadata.stack}" but it is in stack "${stack.name}"`,
			...at(first, ['metadata', 'stack']),
			hint: `set metadata.stack: ${stack.name}, or remove it (it defaults from the folder)`,
		});
	const serviceVars = first && serviceDoc ? variableDefinitions(first, 'service') : [];
	const serviceScope = scope.withLayer(
		[...serviceVars, {name: 'PANKA_SERVICE', value: serviceName, origin: {type: 'builtin'}}],
		serviceLayer,
	);
	if (first) checkVariableDefinitions(serviceVars, serviceScope, first, diagnostics);
	if (first) run.serviceDocs.set(serviceName, {document: first, doc: serviceDoc});
	const service: ServiceInfo = {
		name: serviceName,
		dirName: folderService.dirName,
		dir: folderService.absolutePath,
		file: folderService.serviceFile?.file,
		line: first ? first.lines.first : 1,
		description: serviceDoc?.metadata.description,
		labels: serviceDoc?.metadata.labels ?? {},
		dependsOn: serviceDoc?.spec.dependsOn ?? [],
		variables: Object.fromEntries(serviceVars.map((v) => [v.name, v.value])),
		components: [],
		envFiles: folderService.envFiles,
	};
	run.services.push(service);

	for (const document of componentDocs) {
		const component = resolveComponent(document, {
			service,
			stack,
			environment: run.environment,
			environmentTags: run.environmentSettings?.tags,
			tenantName: run.tenantName,
			tenant: run.tenant,
			scope: serviceScope,
			envEntries: folderService.envEntries,
			serviceDir: folderService.absolutePath,
			diagnostics,
			brokenNames: run.brokenNames,
			files: run.files,
			today: run.today,
		});
		if (!component) continue;
		const existing = byName.get(component.name);
		if (existing) {
			error({
				code: 'duplicate-component',
				message: `component name "${component.name}" is already used by ${existing.address} (${existing.file}:${existing.line})`,
				...at(document, ['metadata', 'name']),
				hint: 'component names are unique within a stack: rename one of them',
				related: [{file: existing.file, line: existing.line, column: existing.column, message: `first defined as ${existing.address}`}],
			});
			continue;
		}
		byName.set(component.name, component);
		run.components.push(component);
		service.components.push(component.name);
	}
}

/**
 * The Service document that opens service.yaml, checked; undefined when there is none (a folder
 * without service.yaml gets a default service, as in the original tool, with a warning). A
 * component found in its place is moved to `componentDocs`.
 */
function checkServiceDocument(
	folderService: StackFolder['services'][number],
	first: SourceDocument | undefined,
	componentDocs: SourceDocument[],
	run: ServicesRun,
): ServiceDocument | undefined {
	const {diagnostics} = run;
	const unparsedFiles = run.folder.brokenFiles;
	const error = (d: Omit<Diagnostic, 'severity'>) => pushError(diagnostics, d);
	const at = positionIn;
	if (!folderService.serviceFile) {
		const serviceFilePrefix = `services/${folderService.dirName}/service.y`;
		// The original tool made up a default service for a folder without one: so does panka, saying
		// so. A service.yaml that exists but could not be read (a folder, a pipe, …) is reported by the loader.
		if (
			!run.folder.singleFile &&
			!diagnostics.some((d) => d.file?.startsWith(serviceFilePrefix)) &&
			!unparsedFiles.some((f) => f.startsWith(serviceFilePrefix))
		)
			diagnostics.push({
				severity: 'warning',
				code: 'missing-service-file',
				message: `service folder ${folderService.dirName} has no service.yaml: its service has no variables, labels or dependsOn`,
				file: `services/${folderService.dirName}/service.yaml`,
				line: 1,
				column: 1,
				hint: '`panka migrate --write` adds a service.yaml (or write one: apiVersion: core.panka.io/v1, kind: Service)',
			});
	} else if (first) {
		const classified = classifyDocument(first);
		if (!classified.ok) diagnostics.push(...classified.diagnostics);
		else if (classified.kind !== 'Service') {
			error({
				code: 'wrong-document-kind',
				message: `service.yaml must start with the Service document, found ${classified.kind}`,
				...at(first, ['kind']),
				hint: 'put components in other files of the service folder, or after the Service document',
			});
			componentDocs.unshift(first);
		} else {
			const checked = checkAgainstSchema(serviceSchema, {document: first, base: [], value: first.value});
			diagnostics.push(...checked.diagnostics);
			if (checked.ok) return checked.data;
		}
	} else if (
		// A service.yaml the loader could not read or parse is reported there, not as empty.
		!unparsedFiles.includes(folderService.serviceFile.file) &&
		!diagnostics.some((d) => d.file === folderService.serviceFile?.file && d.severity === 'error')
	) {
		error({
			code: 'empty-document',
			message: 'service.yaml is empty',
			file: folderService.serviceFile.file,
			line: 1,
			column: 1,
			hint: 'add the Service document (apiVersion: core.panka.io/v1, kind: Service)',
		});
	}
	return undefined;
}

/** The edges of components' references (valueFrom, dependsOn, triggers, …), each checked against its target. */
function referenceEdges(run: ServicesRun): DagEdge[] {
	const {byName, brokenNames, diagnostics} = run;
	const unparsedFiles = run.folder.brokenFiles;
	const error = (d: Omit<Diagnostic, 'severity'>) => pushError(diagnostics, d);
	const edges: DagEdge[] = [];
	for (const component of run.components) {
		for (const ref of component.references) {
			const target = byName.get(ref.component);
			const {acceptsKinds} = ref;
			if (!target) {
				if (brokenNames.has(ref.component)) continue;
				const unparsed = unparsedFiles.length > 0 ? `; note: ${unparsedFiles.join(', ')} could not be fully read and may define it` : '';
				error({
					code: ref.label === 'dependsOn' ? 'unknown-dependency' : 'unknown-reference',
					message: `${ref.label === 'dependsOn' ? 'dependsOn' : ref.label} names component "${ref.component}", which does not exist in this stack${didYouMean(ref.component, byName.keys())}`,
					...ref.position,
					hint: `components in this stack: ${[...byName.keys()].sort().join(', ') || '(none)'}${unparsed}`,
				});
				continue;
			}
			if (acceptsKinds && !acceptsKinds.includes(target.kind)) {
				error({
					code: 'invalid-value',
					message: `${ref.label} "${ref.component}" is a ${target.kind}; it must be ${acceptsKinds.join(' or ')}`,
					...ref.position,
				});
				continue;
			}
			if (ref.output !== undefined) {
				const outputs = getKind(target.kind)?.outputs ?? {};
				if (!(ref.output in outputs)) {
					error({
						code: 'unknown-output',
						message: `${target.kind} "${target.name}" has no output "${ref.output}"${didYouMean(ref.output, Object.keys(outputs))}`,
						...ref.position,
						hint: `${target.kind} outputs: ${Object.keys(outputs).join(', ')}`,
					});
					continue;
				}
			}
			ref.resolved = true;
			edges.push({
				from: component.name,
				to: target.name,
				label: ref.output ? `valueFrom ${target.name}.${ref.output}` : ref.label,
				get position() {
					return ref.position;
				},
			});
		}
	}
	return edges;
}

/** A service's dependsOn: every component of it depends on every component of the service it names. */
function serviceDependencyEdges(run: ServicesRun): DagEdge[] {
	const {services, serviceDocs, diagnostics} = run;
	const error = (d: Omit<Diagnostic, 'severity'>) => pushError(diagnostics, d);
	const at = positionIn;
	const edges: DagEdge[] = [];
	for (const service of services) {
		const origin = serviceDocs.get(service.name);
		service.dependsOn.forEach((dependency, index) => {
			const position = lazy(() =>
				origin ? at(origin.document, ['spec', 'dependsOn', index]) : {file: service.file ?? '', line: service.line, column: 1},
			);
			const target = services.find((s) => s.name === dependency);
			if (!target) {
				error({
					code: 'unknown-dependency',
					message: `service dependsOn names service "${dependency}", which does not exist${didYouMean(
						dependency,
						services.map((s) => s.name),
					)}`,
					...position(),
				});
				return;
			}
			const label = `service ${service.name} → ${dependency}`;
			for (const from of service.components)
				for (const to of target.components)
					edges.push({
						from,
						to,
						label,
						get position() {
							return position();
						},
					});
		});
	}
	return edges;
}

function memoisedFileChecks(): Pick<KindCheckContext, 'fileExists' | 'isDirectory'> {
	const stats = new Map<string, 'file' | 'dir' | 'none'>();
	const kindOf = (p: string) => {
		let known = stats.get(p);
		if (!known) {
			const stat = statSync(p, {throwIfNoEntry: false});
			known = !stat ? 'none' : stat.isDirectory() ? 'dir' : 'file';
			stats.set(p, known);
		}
		return known;
	};
	return {fileExists: (p) => kindOf(p) !== 'none', isDirectory: (p) => kindOf(p) === 'dir'};
}

function resolveStackDocument(folder: StackFolder, diagnostics: Diagnostic[], legacy: LegacyFormsReporter): StackInfo {
	const fallbackName = path.basename(folder.root);
	const stackFile: LoadedFile | undefined = folder.stackFile;
	const info: StackInfo = {name: fallbackName, labels: {}, file: stackFile?.file, valid: false};
	if (!stackFile) return info;
	const [written, ...extra] = stackFile.documents;
	const normalised = written ? legacy(written) : undefined;
	const document = normalised?.document;
	if (normalised?.provider) info.legacyProvider = {...normalised.provider, position: document!.positionOf(normalised.provider.path, 'key')};
	for (const more of extra) {
		const {line, column} = more.positionOf([]);
		diagnostics.push({
			severity: 'error',
			code: 'wrong-document-kind',
			message: 'stack.yaml holds exactly one Stack document; components go in services/<service>/*.yaml',
			file: stackFile.file,
			line,
			column,
		});
	}
	if (!document) {
		// A stack.yaml the loader could not read or parse is reported there, not as empty.
		if (!folder.brokenFiles.includes(stackFile.file) && !diagnostics.some((d) => d.file === stackFile.file && d.severity === 'error'))
			diagnostics.push({
				severity: 'error',
				code: 'empty-document',
				message: 'stack.yaml is empty',
				file: stackFile.file,
				line: 1,
				column: 1,
				hint: 'add the Stack document (apiVersion: core.panka.io/v1, kind: Stack)',
			});
		return info;
	}
	const classified = classifyDocument(document);
	if (!classified.ok) {
		diagnostics.push(...classified.diagnostics);
		return info;
	}
	if (classified.kind !== 'Stack') {
		const {line, column} = document.positionOf(['kind']);
		diagnostics.push({
			severity: 'error',
			code: 'wrong-document-kind',
			message: `stack.yaml must hold the Stack document, found ${classified.kind}`,
			file: stackFile.file,
			line,
			column,
		});
		return info;
	}
	const checked = checkAgainstSchema(stackSchema, {document, base: [], value: document.value});
	diagnostics.push(...checked.diagnostics);
	if (checked.ok) {
		const doc = checked.data;
		return {
			...info,
			name: doc.metadata.name,
			tenant: doc.metadata.tenant,
			description: doc.metadata.description,
			labels: doc.metadata.labels ?? {},
			file: stackFile.file,
			valid: true,
			document: doc,
		};
	}
	// Best effort from the raw document, so services still resolve under the right name.
	const raw = classified.value as {metadata?: {name?: unknown; tenant?: unknown; labels?: unknown}};
	if (typeof raw.metadata?.name === 'string' && !nameProblem(raw.metadata.name, 'stack')) info.name = raw.metadata.name;
	if (typeof raw.metadata?.tenant === 'string') info.tenant = raw.metadata.tenant;
	if (raw.metadata?.labels && typeof raw.metadata.labels === 'object')
		info.labels = Object.fromEntries(Object.entries(raw.metadata.labels).filter(([, v]) => typeof v === 'string')) as Record<
			string,
			string
		>;
	return info;
}

/**
 * The original tool's `spec.provider` against the tenant: panka deploys where the tenant is, so a
 * different region or account is an error naming both (the warning that it is deprecated comes
 * from the normalisation).
 */
function checkLegacyProvider(provider: NonNullable<StackInfo['legacyProvider']>, tenant: TenantConfig, diagnostics: Diagnostic[]): void {
	const {region, accountId} = tenant.spec.aws;
	const name = tenant.metadata.name;
	const problem = (message: string, hint: string) =>
		diagnostics.push({severity: 'error', code: 'provider-mismatch', message, ...provider.position, hint});
	if (provider.name !== undefined && provider.name.toLowerCase() !== 'aws')
		problem(
			`spec.provider.name is ${provider.name}, but panka deploys to AWS`,
			'remove spec.provider: the tenant decides where the stack goes',
		);
	if (provider.region !== undefined && provider.region !== region)
		problem(
			`spec.provider.region is ${provider.region}, but tenant ${name} is in ${region}: panka deploys the tenant's stacks in ${region}`,
			`remove spec.provider to deploy in ${region}, or deploy this stack with a tenant in ${provider.region}`,
		);
	if (provider.accountId !== undefined && provider.accountId !== accountId)
		problem(
			`spec.provider.accountId is ${provider.accountId}, but tenant ${name} is AWS account ${accountId}`,
			`remove spec.provider to deploy in account ${accountId}, or deploy this stack with the tenant of account ${provider.accountId}`,
		);
}

/**
 * `spec.variables` of a stack or service document (or `spec.environments.<env>.variables` of the
 * stack's), scalar values only, with their positions.
 */
function variableDefinitions(
	document: SourceDocument | undefined,
	scope: 'stack' | 'service' | 'environment',
	environment?: string,
): VariableDefinition[] {
	const base: PathSegment[] = scope === 'environment' && environment !== undefined ? ['spec', 'environments', environment] : ['spec'];
	const variables = valueAt(document?.value, [...base, 'variables']);
	if (!document || !variables || typeof variables !== 'object' || Array.isArray(variables)) return [];
	return Object.entries(variables)
		.filter(([, value]) => ['string', 'number', 'boolean'].includes(typeof value))
		.map(([name, value]) => {
			const position = lazy(() => document.positionOf([...base, 'variables', name]));
			return {
				name,
				value: String(value),
				origin: {
					type: 'file',
					scope,
					...(environment !== undefined ? {environment} : {}),
					file: document.file,
					get line() {
						return position().line;
					},
					get column() {
						return position().column;
					},
				},
			};
		});
}

/** A variable whose own value cannot be expanded is reported once, at its definition. */
function checkVariableDefinitions(
	defs: readonly VariableDefinition[],
	scope: VariableScope,
	document: SourceDocument | undefined,
	diagnostics: Diagnostic[],
): void {
	if (!document) return;
	for (const def of defs) {
		if (scope.definition(def.name) !== def) continue; // shadowed by a flag or env var
		const result = scope.lookup(def.name);
		if (result && !result.ok) {
			const {file, line, column} = def.origin.type === 'file' ? def.origin : document.positionOf(['spec', 'variables', def.name]);
			diagnostics.push({
				severity: 'error',
				code: result.code,
				message:
					result.code === 'unresolved-variable'
						? `variable ${def.name} uses \${${result.problem}}, which is not defined`
						: `variable ${def.name}: ${result.problem}`,
				file,
				line,
				column,
			});
		}
	}
}

function checkTenantRules(
	tenant: TenantConfig,
	stack: StackInfo,
	services: ServiceInfo[],
	components: ResolvedComponent[],
	folder: StackFolder,
	serviceDocs: Map<string, {document: SourceDocument}>,
	diagnostics: Diagnostic[],
): void {
	const {limits, allowedResources} = tenant.spec;
	const tenantName = tenant.metadata.name;
	const stackDoc = folder.stackFile?.documents[0];
	if (limits.maxServicesPerStack !== undefined && services.length > limits.maxServicesPerStack)
		diagnostics.push({
			severity: 'error',
			code: 'limit-exceeded',
			message: `stack ${stack.name} has ${services.length} services; tenant ${tenantName} allows ${limits.maxServicesPerStack} per stack`,
			...(stackDoc ? stackDoc.positionOf(['metadata', 'name']) : {file: 'stack.yaml', line: 1, column: 1}),
			hint: 'remove services, or ask the platform admin to raise limits.maxServicesPerStack',
		});
	if (limits.maxResourcesPerService !== undefined)
		for (const service of services) {
			if (service.components.length <= limits.maxResourcesPerService) continue;
			const position = serviceDocs.get(service.name)?.document.positionOf([]) ?? {
				file: service.file ?? `services/${service.dirName}`,
				line: 1,
				column: 1,
			};
			diagnostics.push({
				severity: 'error',
				code: 'limit-exceeded',
				message: `service ${service.name} has ${service.components.length} components; tenant ${tenantName} allows ${limits.maxResourcesPerService} per service`,
				file: position.file,
				line: position.line,
				column: position.column,
				hint: 'split the service, or ask the platform admin to raise limits.maxResourcesPerService',
			});
		}
	diagnostics.push(...checkTenantPolicies(tenant, {stackIngress: stack.networking?.stackIngress, document: stackDoc}, components));
	if (allowedResources) {
		for (const component of components) {
			if (allowedResources.includes(component.kind)) continue;
			const {file, line, column} = component.document.positionOf(['kind']);
			diagnostics.push({
				severity: 'error',
				code: 'kind-not-allowed',
				message: `kind ${component.kind} is not allowed for tenant ${tenantName} (allowed: ${allowedResources.join(', ')})`,
				file,
				line,
				column,
				hint: 'use an allowed kind, or ask the platform admin to add it to allowedResources',
			});
		}
	}
}
