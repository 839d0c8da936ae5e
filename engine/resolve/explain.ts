/**
 * explainComponent: a resolved component's values and where each one came from, for the
 * workbench's detail pane (and any plain-text view of the same).
 *
 * Each leaf of the resolved spec is one row: its path, its final value (after interpolation,
 * coercion, defaults and normalisation), and its origin: the file:line where it is written, the
 * `${VAR}` that produced it (and where that variable is defined), the config/*.env line, or
 * "default" when the kind's schema supplied it. A value written in the component's
 * `environments.<env>` block (or a variable set in `spec.environments.<env>.variables`) names the
 * environment.
 */
import type {SourcePosition} from '../diagnostics.js';
import {getKind} from '../kinds/registry.js';
import type {PathSegment} from '../load/yaml-source.js';
import type {Workspace} from '../workspace.js';
import {sourcePath} from './environments.js';
import {pathKey, type VariableUse} from './interpolate.js';
import type {ResolvedComponent} from './resolve-stack.js';
import {displayPath, valueAt} from './schema-diagnostics.js';

export type ValueOrigin =
	/** `environment`: written in the component's `environments.<env>` block. */
	| {type: 'file'; position: SourcePosition; environment?: string}
	| {type: 'variable'; position: SourcePosition; template: string; uses: VariableUse[]; environment?: string}
	| {type: 'env-file'; file: string; line: number}
	| {type: 'default'};

export interface ExplainedValue {
	path: string;
	value: string;
	/** The value as written, when it differs (e.g. "512Mi" before normalisation to 512). */
	written?: string;
	origin: ValueOrigin;
}

export interface ComponentLink {
	name: string;
	address: string;
	kind: string;
	labels: readonly string[];
}

export interface ComponentExplanation {
	component: ResolvedComponent;
	values: ExplainedValue[];
	outputs: Array<{name: string; description: string; usedBy: string[]}>;
	dependencies: ComponentLink[];
	dependents: ComponentLink[];
}

export function explainComponent(workspace: Workspace, name: string): ComponentExplanation | undefined {
	const component = workspace.componentsByName.get(name);
	if (!component) return undefined;
	const values: ExplainedValue[] = [];
	const envByName = new Map(component.envFromFiles.map((e) => [e.name, e]));
	const override = component.environmentOverride;

	const visit = (node: unknown, path: PathSegment[]) => {
		if (Array.isArray(node) && node.length > 0) {
			for (const [i, item] of node.entries()) visit(item, [...path, i]);
			return;
		}
		if (node && typeof node === 'object' && !Array.isArray(node) && Object.keys(node).length > 0) {
			for (const [key, child] of Object.entries(node)) visit(child, [...path, key]);
			return;
		}
		const full: PathSegment[] = ['spec', ...path];
		const interpolation = component.interpolations.get(pathKey(full));
		const source = sourcePath(full, override);
		const raw = valueAt(component.document.value, source);
		const written = interpolation ? interpolation.value : raw;
		const environment = source[0] === 'environments' ? {environment: override.environment} : {};
		let origin: ValueOrigin;
		if (interpolation) {
			origin = {
				type: 'variable',
				position: component.document.positionOf(source),
				template: interpolation.template,
				uses: interpolation.uses,
				...environment,
			};
		} else if (raw !== undefined) {
			origin = {type: 'file', position: component.document.positionOf(source), ...environment};
		} else {
			const env = envOrigin(component, path, envByName);
			origin = env ? {type: 'env-file', file: env.file, line: env.line} : {type: 'default'};
		}
		values.push({
			path: displayPath(path),
			value: show(node),
			...(written !== undefined && show(written) !== show(node) ? {written: show(written)} : {}),
			origin,
		});
	};
	visit(component.spec, []);

	const link = (id: string, labels: readonly string[]): ComponentLink => {
		const other = workspace.componentsByName.get(id);
		return {name: id, address: other?.address ?? id, kind: other?.kind ?? '?', labels};
	};
	const edgesFrom = workspace.graph.edges.filter((e) => e.from === name);
	const edgesTo = workspace.graph.edges.filter((e) => e.to === name);
	const outputs = Object.entries(kindOutputs(component)).map(([output, description]) => ({
		name: output,
		description,
		usedBy: workspace.components.filter((c) => c.references.some((r) => r.component === name && r.output === output)).map((c) => c.address),
	}));
	return {
		component,
		values,
		outputs,
		dependencies: edgesFrom.map((e) => link(e.to, e.labels)),
		dependents: edgesTo.map((e) => link(e.from, e.labels)),
	};
}

function kindOutputs(component: ResolvedComponent): Record<string, string> {
	const declared = getKind(component.kind)?.outputs ?? {};
	return Object.fromEntries(Object.entries(declared).map(([output, d]) => [output, d.description]));
}

/** Env entries merged from config/*.env show up as `environment[i].value` or `environment.KEY`. */
function envOrigin(component: ResolvedComponent, path: PathSegment[], envByName: Map<string, {file: string; line: number}>) {
	if (path[0] !== 'environment') return undefined;
	const entry = valueAt(component.spec, path.slice(0, 2));
	const key = typeof path[1] === 'string' ? path[1] : (entry as {name?: string} | undefined)?.name;
	return key ? envByName.get(key) : undefined;
}

function show(value: unknown): string {
	if (typeof value === 'string') return value;
	if (Array.isArray(value)) return '[]';
	if (value && typeof value === 'object') return '{}';
	return String(value);
}
