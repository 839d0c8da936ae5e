/**
 * The rows of the components tree: services, each followed (unless collapsed) by its components,
 * with their error and warning counts. Pure; derived from the workspace on demand.
 *
 * Invariants:
 * - Row keys are stable across reloads (`service:<name>`, `component:<name>`): the selection is
 *   kept by key, so an edit that does not rename the selected component never moves it.
 * - A component's counts are `componentDiagnostics` (problems inside its YAML document); a
 *   service's counts are every problem in a file under its folder (so a YAML syntax error that
 *   hides the components of a file still shows on its service).
 */
import type {Diagnostic, ResolvedComponent, ServiceInfo} from '../../engine/index.js';
import {componentDiagnostics, type Workspace} from '../../engine/index.js';

export interface Counts {
	errors: number;
	warnings: number;
}

export type TreeRow =
	| {type: 'service'; key: string; service: ServiceInfo; collapsed: boolean; components: number; counts: Counts}
	| {type: 'component'; key: string; component: ResolvedComponent; counts: Counts};

export const serviceKey = (name: string) => `service:${name}`;
export const componentKey = (name: string) => `component:${name}`;

function count(diagnostics: readonly Diagnostic[]): Counts {
	let errors = 0;
	let warnings = 0;
	for (const d of diagnostics) {
		if (d.severity === 'error') errors++;
		else if (d.severity === 'warning') warnings++;
	}
	return {errors, warnings};
}

export function serviceComponents(workspace: Workspace, service: ServiceInfo): ResolvedComponent[] {
	return service.components.map((name) => workspace.componentsByName.get(name)).filter((c): c is ResolvedComponent => c !== undefined);
}

let memo: {workspace: Workspace; collapsed: ReadonlySet<string>; rows: TreeRow[]} | undefined;

export function treeRows(workspace: Workspace | undefined, collapsed: ReadonlySet<string>): TreeRow[] {
	if (!workspace) return [];
	if (memo && memo.workspace === workspace && memo.collapsed === collapsed) return memo.rows;
	const rows: TreeRow[] = [];
	for (const service of workspace.services) {
		const prefix = `services/${service.dirName}/`;
		const components = serviceComponents(workspace, service);
		const isCollapsed = collapsed.has(service.name);
		rows.push({
			type: 'service',
			key: serviceKey(service.name),
			service,
			collapsed: isCollapsed,
			components: components.length,
			counts: count(workspace.diagnostics.filter((d) => d.file?.startsWith(prefix))),
		});
		if (isCollapsed) continue;
		for (const component of components)
			rows.push({
				type: 'component',
				key: componentKey(component.name),
				component,
				counts: count(componentDiagnostics(workspace, component)),
			});
	}
	memo = {workspace, collapsed, rows};
	return rows;
}

/** Every component in tree order, collapsed services included (for the graph's prev/next). */
export function componentsInTreeOrder(workspace: Workspace | undefined): ResolvedComponent[] {
	if (!workspace) return [];
	return workspace.services.flatMap((service) => serviceComponents(workspace, service));
}

export function diagnosticKey(d: Diagnostic): string {
	return `${d.file ?? d.flag ?? ''}:${d.line ?? 0}:${d.column ?? 0}:${d.code}:${d.message}`;
}
