/**
 * resolveComponent: one component document of a service folder → a ResolvedComponent, for
 * resolveStack (resolve-stack.ts), which gives it the stack, the service and the variables.
 *
 * In order: the header (kind, name, metadata, checked against the folder and the declared
 * environments), the spec (this environment's override merged, interpolated, validated against the
 * kind's schema, env files folded in, secrets kept to the tenant's namespace, the kind's checks),
 * the references (dependsOn, valueFrom, the kind's own), physical names, tags and networking.
 *
 * Invariants:
 * - Never throws on user error: a document that names no component gives undefined (its problems
 *   reported); one with a broken spec is kept, `valid: false`, with the interpolated input as spec.
 * - Errors are reported where the field is written: in the environment override's own lines for
 *   what it sets (`sourcePath`).
 * - Positions are computed on demand (lazy): they cost a full YAML parse of their file.
 */
import {z} from '../zod.js';
import type {Diagnostic} from '../diagnostics.js';
import {componentsApiVersion, type EnvFileEntry, type KindCheckContext, type KindDefinition} from '../kinds/kind.js';
import {getKind} from '../kinds/registry.js';
import type {PathSegment, SourceDocument} from '../load/yaml-source.js';
import {componentEnvironmentsSchema, componentMetadataSchema} from '../model/fields.js';
import type {TenantConfig} from '../model/tenant-config.js';
import {scopeSecretRef} from '../providers/secret-namespace.js';
import {classifyDocument} from './documents.js';
import {sourcePath, undeclaredOverrides, withEnvironmentOverride} from './environments.js';
import {interpolateTree, pathKey, type VariableScope} from './interpolate.js';
import {lazy} from './lazy.js';
import {componentNetworking} from './networking.js';
import type {NameIdentity} from './physical-names.js';
import type {ComponentReferenceInfo, ResolvedComponent, ServiceInfo, StackInfo} from './resolved-parts.js';
import {checkAgainstSchema, displayPath} from './schema-diagnostics.js';
import {resourceTags, tagProblems} from './tags.js';

const componentEnvelopeSchema = z.strictObject({
	apiVersion: z.literal(componentsApiVersion),
	kind: z.string(),
	metadata: componentMetadataSchema,
	spec: z.unknown().optional(),
	environments: componentEnvironmentsSchema.optional(),
});

export interface ComponentContext {
	service: ServiceInfo;
	stack: StackInfo;
	environment: string;
	environmentTags: Readonly<Record<string, string>> | undefined;
	tenantName: string;
	tenant?: TenantConfig;
	scope: VariableScope;
	envEntries: readonly EnvFileEntry[];
	serviceDir: string;
	diagnostics: Diagnostic[];
	brokenNames: Set<string>;
	/** File checks for kinds, memoised for the whole resolve (many Lambdas share one code folder). */
	files: Pick<KindCheckContext, 'fileExists' | 'isDirectory'>;
	today: Date;
}

/** Where a component's fields are written (the environment override's own lines for what it sets), and how errors are added. */
interface ComponentSite {
	document: SourceDocument;
	override: ReturnType<typeof withEnvironmentOverride>;
	written: (p: PathSegment[]) => PathSegment[];
	at: (p: PathSegment[], which?: 'key' | 'value') => {file: string; line: number; column: number};
	error: (d: Omit<Diagnostic, 'severity'>) => void;
}

export function resolveComponent(document: SourceDocument, context: ComponentContext): ResolvedComponent | undefined {
	const {service, stack} = context;
	const rawEnvironments = (document.value as {environments?: unknown} | null)?.environments;
	const override = withEnvironmentOverride((document.value as {spec?: unknown} | null)?.spec ?? {}, rawEnvironments, context.environment);
	const written = (p: PathSegment[]) => sourcePath(p, override);
	const site: ComponentSite = {
		document,
		override,
		written,
		at: (p, which = 'value') => {
			const {file, line, column} = document.positionOf(written(p), which);
			return {file, line, column};
		},
		error: (d) => context.diagnostics.push({severity: 'error', ...d}),
	};
	const header = componentHeader(site, context, rawEnvironments);
	if (!header) return undefined;
	const {kind, name, metadata} = header;
	const {interpolated, checked, spec, envFromFiles} = componentSpec(site, context, kind);
	const {references, dependsOn} = componentReferences(site, kind, interpolated.value, checked.ok ? spec : undefined);

	const identity: NameIdentity = {
		tenant: context.tenantName,
		stack: stack.name,
		env: context.environment,
		component: name,
		accountId: context.tenant?.spec.aws.accountId,
	};
	const physicalNames = checked.ok ? kind.physicalNames(identity, spec) : {};
	const tags = componentTags(
		site,
		context,
		name,
		metadata?.labels,
		checked.ok ? (spec as {tags?: Record<string, string>}).tags : undefined,
	);
	const networking =
		checked.ok && context.tenant && stack.networking && kind.placement(spec) === 'private-subnets'
			? componentNetworking(context.tenant, stack.networking)
			: undefined;

	const position = lazy(() => site.at(['metadata', 'name']));
	return {
		name,
		address: `${service.name}/${name}`,
		kind: kind.kind,
		service: service.name,
		file: document.file,
		get line() {
			return position().line;
		},
		get column() {
			return position().column;
		},
		description: metadata?.description,
		labels: metadata?.labels ?? {},
		valid: checked.ok,
		spec,
		inputSpec: interpolated.value,
		interpolations: interpolated.interpolations,
		environmentOverride: {environment: override.environment, overridden: override.overridden},
		envFromFiles,
		references,
		dependsOn,
		outputs: Object.keys(kind.outputs),
		networking,
		physicalNames,
		tags,
		summary: checked.ok ? kind.describe(spec) : 'invalid spec',
		document,
	};
}

/** The document's kind, name and metadata, checked against its folder and the declared environments; undefined when it names no component. */
function componentHeader(site: ComponentSite, context: ComponentContext, rawEnvironments: unknown) {
	const {document, at, error} = site;
	const {diagnostics, service, stack} = context;
	const classified = classifyDocument(document);
	if (!classified.ok) {
		diagnostics.push(...classified.diagnostics);
		const rawName = (document.value as {metadata?: {name?: unknown}} | null)?.metadata?.name;
		if (typeof rawName === 'string') context.brokenNames.add(rawName);
		return undefined;
	}
	if (classified.apiVersion !== componentsApiVersion) {
		error({
			code: 'wrong-document-kind',
			message: `a ${classified.kind} document cannot live in a service folder${classified.kind === 'Service' ? ' (one Service document per service, in service.yaml)' : ''}`,
			...at(['kind']),
			hint: classified.kind === 'Stack' ? 'the Stack document lives in stack.yaml at the stack root' : undefined,
		});
		return undefined;
	}
	const kind = getKind(classified.kind) as KindDefinition | undefined;
	if (!kind) return undefined; // classifyDocument already rejected unknown kinds

	const envelope = checkAgainstSchema(componentEnvelopeSchema, {document, base: [], value: classified.value});
	diagnostics.push(...envelope.diagnostics);
	const rawMetadata = classified.value.metadata as {name?: unknown; service?: unknown; stack?: unknown} | undefined;
	const name = envelope.ok ? envelope.data.metadata.name : typeof rawMetadata?.name === 'string' ? rawMetadata.name : undefined;
	if (!name) return undefined;
	const metadata = envelope.ok ? envelope.data.metadata : undefined;
	if (metadata?.service && metadata.service !== service.name)
		error({
			code: 'service-mismatch',
			message: `component names service "${metadata.service}" but it is in services/${service.dirName}`,
			...at(['metadata', 'service']),
			hint: `move the file to services/${metadata.service}/, or set metadata.service: ${service.name} (it defaults from the folder)`,
		});
	if (metadata?.stack && stack.valid && metadata.stack !== stack.name)
		error({
			code: 'stack-mismatch',
			message: `component names stack "${metadata.stack}" but it is in stack "${stack.name}"`,
			...at(['metadata', 'stack']),
			hint: `set metadata.stack: ${stack.name}, or remove it (it defaults from the folder)`,
		});
	if (envelope.ok)
		for (const problem of undeclaredOverrides(document, rawEnvironments, stack.document))
			error({code: 'unknown-environment', message: `environments: ${problem.message}`, ...problem.position, hint: problem.hint});
	return {kind, name, metadata};
}

/**
 * The spec: this environment's override merged, interpolated, then validated and normalised against
 * the kind's schema; env files folded in; secrets kept to the tenant's own namespace (decided here,
 * before anything talks to AWS); the kind's own checks.
 */
function componentSpec(site: ComponentSite, context: ComponentContext, kind: KindDefinition) {
	const {document, at, error, written} = site;
	const {diagnostics, stack} = context;
	const interpolated = interpolateTree(site.override.spec, context.scope, ['spec']);
	const stackCaveat = stack.valid ? '' : ' (stack.yaml could not be read, and it may define it)';
	for (const problem of interpolated.problems)
		error({
			code: problem.code,
			message: problem.message + (problem.code === 'unresolved-variable' ? stackCaveat : ''),
			...at(problem.path),
			hint: problem.hint,
		});
	const suppressed = new Set(interpolated.problems.map((p) => pathKey(p.path)));
	const checked = checkAgainstSchema(kind.spec, {
		document,
		base: ['spec'],
		value: interpolated.value,
		interpolations: interpolated.interpolations,
		suppressed,
		sourcePath: written,
	});
	diagnostics.push(...checked.diagnostics);
	let spec: unknown = checked.ok ? checked.data : interpolated.value;
	const envFromFiles: EnvFileEntry[] = [];
	if (checked.ok && kind.withEnvironment && context.envEntries.length > 0) {
		spec = kind.withEnvironment(spec, context.envEntries);
		envFromFiles.push(...context.envEntries);
	}
	if (checked.ok && kind.secretReferences)
		for (const reference of kind.secretReferences(spec)) {
			const scope = scopeSecretRef(
				reference.ref,
				{tenant: context.tenantName, accountId: context.tenant?.spec.aws.accountId},
				reference.accepts,
			);
			if (!scope.ok)
				error({
					code: 'secret-outside-namespace',
					message: `${displayPath(['spec', ...reference.path])}: ${scope.problem}`,
					...at(['spec', ...reference.path]),
					hint: scope.hint,
				});
		}
	if (checked.ok && kind.check)
		for (const issue of kind.check(spec, {serviceDir: context.serviceDir, today: context.today, ...context.files}))
			diagnostics.push({
				severity: issue.severity ?? 'error',
				code: issue.code ?? 'invalid-value',
				message: `${displayPath(['spec', ...issue.path])}: ${issue.message}`,
				...at(['spec', ...issue.path]),
				...(issue.hint ? {hint: issue.hint} : {}),
			});
	return {interpolated, checked, spec, envFromFiles};
}

/** References: explicit dependsOn, valueFrom anywhere in the spec, and the kind's own (from a valid spec). */
function componentReferences(site: ComponentSite, kind: KindDefinition, written: unknown, validSpec: unknown | undefined) {
	const references: ComponentReferenceInfo[] = [];
	const dependsOn = Array.isArray((written as {dependsOn?: unknown}).dependsOn)
		? ((written as {dependsOn: unknown[]}).dependsOn.filter((d) => typeof d === 'string') as string[])
		: [];
	const reference = (info: Omit<ComponentReferenceInfo, 'position' | 'resolved'>, positionPath: PathSegment[]): ComponentReferenceInfo => {
		const position = lazy(() => site.at(positionPath));
		return {
			...info,
			resolved: false,
			get position() {
				return position();
			},
		};
	};
	for (const [index, dependency] of dependsOn.entries())
		references.push(
			reference({component: dependency, label: 'dependsOn', path: ['spec', 'dependsOn', index]}, ['spec', 'dependsOn', index]),
		);
	for (const found of findValueFroms(written, ['spec']))
		references.push(
			reference({component: found.component, output: found.output, label: 'valueFrom', path: found.path}, [...found.path, 'component']),
		);
	if (validSpec !== undefined)
		for (const ref of kind.references(validSpec)) {
			const p = ['spec', ...ref.path];
			references.push(
				reference({component: ref.component, label: ref.label, path: p, ...(ref.acceptsKinds ? {acceptsKinds: ref.acceptsKinds} : {})}, p),
			);
		}
	return {references, dependsOn};
}

/** The resource tags, from tenant defaults down to the component's own; tag limits checked at the tag's key. */
function componentTags(
	site: ComponentSite,
	context: ComponentContext,
	name: string,
	labels: Readonly<Record<string, string>> | undefined,
	own: Record<string, string> | undefined,
): Record<string, string> {
	const {stack, service} = context;
	const userTags = own ?? {};
	const tags = resourceTags(
		{tenant: context.tenantName, stack: stack.name, env: context.environment, service: service.name, component: name},
		[context.tenant?.spec.defaultTags, stack.labels, context.environmentTags, service.labels, labels, userTags],
	);
	for (const problem of tagProblems(Object.keys(userTags), Object.keys(tags).length))
		context.diagnostics.push({
			severity: problem.severity,
			code: 'invalid-value',
			message: problem.message,
			hint: problem.hint,
			...site.at(problem.key ? ['spec', 'tags', problem.key] : ['spec'], 'key'),
		});
	return tags;
}

/** Every `valueFrom: {component, output}` in a spec, with its path. */
function findValueFroms(value: unknown, base: PathSegment[]): Array<{component: string; output: string; path: PathSegment[]}> {
	const found: Array<{component: string; output: string; path: PathSegment[]}> = [];
	const visit = (node: unknown, p: PathSegment[]) => {
		if (Array.isArray(node)) {
			for (const [i, item] of node.entries()) visit(item, [...p, i]);
			return;
		}
		if (!node || typeof node !== 'object') return;
		for (const [key, child] of Object.entries(node)) {
			if (key === 'valueFrom' && child && typeof child === 'object') {
				const {component, output} = child as {component?: unknown; output?: unknown};
				if (typeof component === 'string' && typeof output === 'string') found.push({component, output, path: [...p, key]});
			} else visit(child, [...p, key]);
		}
	};
	visit(value, base);
	return found;
}
