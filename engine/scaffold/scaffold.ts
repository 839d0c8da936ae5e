/**
 * Scaffolding: `panka stack init` and `panka service add`, for the flag path and the wizards alike.
 *
 * Both are two steps: plan (pure: which files, with what content, or why not) and write. The
 * wizard shows the plan and asks before writing; the flag path writes at once. Because both call
 * the same functions, a wizard writes exactly what the flags write.
 *
 * Invariants:
 * - Nothing is ever overwritten: a plan that would touch an existing file is refused whole, and
 *   `writeScaffold` re-checks with exclusive creates, so a race cannot clobber a file either.
 * - Names are checked (lowercase-hyphen, ≤ 63) before any path is built.
 */
import {mkdir, open, rm} from 'node:fs/promises';
import {existsSync} from 'node:fs';
import path from 'node:path';
import {nameProblem} from '../model/names.js';
import type {Workspace} from '../workspace.js';
import {serviceFile, stackFile, type TemplateName, templateComponentNames, templateFiles, templateNames} from './templates.js';

export interface ScaffoldFile {
	/** Relative to the plan's base folder, `/`-separated. */
	path: string;
	content: string;
}

export type ScaffoldPlan = {ok: true; base: string; files: ScaffoldFile[]} | {ok: false; problems: string[]};

export interface StackInitRequest {
	/** Folder in which the stack folder is created. */
	parentDir: string;
	name: string;
	services?: readonly string[];
	/** The owning tenant: the flag, else the logged-in one (source/ decides); no line when neither. */
	tenant?: string;
	/** The environments stack.yaml declares, in promotion order; default: `defaultEnvironments`. */
	environments?: readonly string[];
	template?: TemplateName;
}

/** What a new stack declares when no environment is asked for: one to try things in. */
export const defaultEnvironments: readonly string[] = ['development'];

export function planStackInit(request: StackInitRequest): ScaffoldPlan {
	const problems: string[] = [];
	const nameIssue = nameProblem(request.name, 'stack');
	if (nameIssue) problems.push(nameIssue);
	if (request.tenant) {
		const tenantIssue = nameProblem(request.tenant, 'tenant');
		if (tenantIssue) problems.push(tenantIssue);
	}
	const environments = request.environments ?? defaultEnvironments;
	if (environments.length === 0) problems.push('a stack declares at least one environment');
	for (const [index, environment] of environments.entries()) {
		const envIssue = nameProblem(environment, 'environment');
		if (envIssue) problems.push(envIssue);
		if (environments.indexOf(environment) !== index) problems.push(`environment "${environment}" is listed twice`);
	}
	const services = request.services ?? [];
	const seen = new Set<string>();
	for (const service of services) {
		const issue = nameProblem(service, 'service');
		if (issue) problems.push(issue);
		if (seen.has(service)) problems.push(`service "${service}" is listed twice`);
		seen.add(service);
	}
	if (request.template && !templateNames.includes(request.template))
		problems.push(`unknown template "${request.template}" (templates: ${templateNames.join(', ')})`);
	if (problems.length > 0) return {ok: false, problems};
	const base = path.join(request.parentDir, request.name);
	if (existsSync(base)) return {ok: false, problems: [`${base} already exists; choose another name or folder`]};
	const template = request.template ?? 'empty';
	const files: ScaffoldFile[] = [{path: 'stack.yaml', content: stackFile({...request, environments})}];
	if (services.length === 0) files.push({path: 'services/.gitkeep', content: ''});
	for (const service of services) files.push(...serviceScaffold(request.name, service, template));
	return {ok: true, base, files};
}

export interface ServiceAddRequest {
	name: string;
	template?: TemplateName;
}

/** Plan a new service in a loaded workspace (its stack must at least have a name). */
export function planServiceAdd(workspace: Workspace, request: ServiceAddRequest): ScaffoldPlan {
	const problems: string[] = [];
	const issue = nameProblem(request.name, 'service');
	if (issue) problems.push(issue);
	const template = request.template ?? 'empty';
	if (!templateNames.includes(template)) problems.push(`unknown template "${template}" (templates: ${templateNames.join(', ')})`);
	if (!workspace.stack.file) problems.push(`${workspace.root} has no stack.yaml; create the stack first with \`panka stack init\``);
	if (workspace.services.some((s) => s.dirName === request.name) || existsSync(path.join(workspace.root, 'services', request.name)))
		problems.push(`service "${request.name}" already exists (services/${request.name})`);
	if (!issue && templateNames.includes(template)) {
		for (const component of templateComponentNames(request.name, template)) {
			const componentIssue = nameProblem(component, 'component');
			if (componentIssue) problems.push(`the ${template} template would create ${componentIssue}; choose a shorter service name`);
			const existing = workspace.componentsByName.get(component);
			if (existing) problems.push(`component "${component}" already exists (${existing.address}); choose another service name`);
		}
	}
	if (problems.length > 0) return {ok: false, problems};
	return {ok: true, base: workspace.root, files: serviceScaffold(workspace.stack.name, request.name, template)};
}

function serviceScaffold(stack: string, service: string, template: TemplateName): ScaffoldFile[] {
	const dir = `services/${service}`;
	return [
		{path: `${dir}/service.yaml`, content: serviceFile({stack, service}, template)},
		...templateFiles({stack, service}, template).map((f) => ({path: `${dir}/${f.path}`, content: f.content})),
	];
}

/** Write a plan's files; refuses (and writes nothing more) when any file already exists. */
export async function writeScaffold(plan: Extract<ScaffoldPlan, {ok: true}>): Promise<string[]> {
	const existing = plan.files.filter((f) => existsSync(path.join(plan.base, f.path)));
	if (existing.length > 0) throw new ScaffoldConflict(existing.map((f) => f.path));
	const written: string[] = [];
	for (const file of plan.files) {
		const target = path.join(plan.base, file.path);
		await mkdir(path.dirname(target), {recursive: true});
		const handle = await open(target, 'wx');
		try {
			await handle.writeFile(file.content);
		} finally {
			await handle.close();
		}
		written.push(file.path);
	}
	return written;
}

export class ScaffoldConflict extends Error {
	constructor(readonly paths: string[]) {
		super(`refusing to overwrite ${paths.join(', ')}`);
	}
}

export interface ServiceRemovalPlan {
	ok: boolean;
	folder: string;
	/** Components of other services that reference the service's components. */
	referencedBy: Array<{from: string; to: string; label: string}>;
	problems: string[];
}

export function planServiceRemove(workspace: Workspace, name: string): ServiceRemovalPlan {
	const service = workspace.services.find((s) => s.dirName === name || s.name === name);
	const folder = path.join(workspace.root, 'services', service?.dirName ?? name);
	if (!service)
		return {
			ok: false,
			folder,
			referencedBy: [],
			problems: [`no service "${name}" in ${workspace.root} (services: ${workspace.services.map((s) => s.name).join(', ') || 'none'})`],
		};
	const own = new Set(service.components);
	const referencedBy = workspace.graph.edges
		.filter((e) => own.has(e.to) && !own.has(e.from) && !e.labels.every((l) => l.startsWith('service ')))
		.map((e) => ({
			from: workspace.componentsByName.get(e.from)?.address ?? e.from,
			to: workspace.componentsByName.get(e.to)?.address ?? e.to,
			label: e.label,
		}));
	const dependentServices = workspace.services.filter((s) => s.dependsOn.includes(service.name)).map((s) => s.name);
	const problems = [
		...referencedBy.map((r) => `${r.from} uses ${r.to} (${r.label})`),
		...dependentServices.map((s) => `service ${s} dependsOn ${service.name}`),
	];
	return {ok: problems.length === 0, folder, referencedBy, problems};
}

export async function removeServiceFolder(plan: ServiceRemovalPlan): Promise<void> {
	await rm(plan.folder, {recursive: true, force: false});
}
