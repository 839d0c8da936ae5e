/**
 * The details pane as lines: for a component, its resolved values and where each came from, its
 * outputs and who uses them, dependencies, dependents, physical names, networking and its own
 * diagnostics; for a service, its folder, variables, components and config files.
 *
 * Pure: (workspace, selection, width, deployed) → Line[]. A component's second line says whether
 * the recorded state has it deployed (when the workbench knows: deployed-lines.ts), the next its
 * health verdict with the facts behind it (once read: status/status-lines.ts). The number of lines does not depend on the width
 * (rows are cut, never wrapped), so the reducer can scroll without knowing the layout.
 */
import {
	componentDiagnostics,
	type ComponentExplanation,
	describeOrigin,
	type Diagnostic,
	explainComponent,
	type ExplainedValue,
	formatLocation,
	type Workspace,
} from '../../engine/index.js';
import type {ServiceInfo} from '../../engine/index.js';
import {severityColor, severityIcon, theme} from '../theme.js';
import {type Health, healthLine} from '../status/status-lines.js';
import {type Deployed, deployedLine} from './deployed-lines.js';
import {column, type Line, seg} from './line.js';

export type Selection = {type: 'component'; name: string} | {type: 'service'; name: string} | undefined;

const heading = (text: string): Line => [seg(text, {bold: true, color: theme.heading})];
const blank: Line = [];
const none = (text: string): Line => [seg(`  ${text}`, {dim: true})];

export function detailTitle(workspace: Workspace | undefined, selection: Selection): string {
	if (!workspace || !selection) return 'Details';
	if (selection.type === 'service') return `service ${selection.name}`;
	return workspace.componentsByName.get(selection.name)?.address ?? selection.name;
}

export function detailLines(
	workspace: Workspace | undefined,
	selection: Selection,
	width = 80,
	deployed: Deployed = undefined,
	health: Health = undefined,
): Line[] {
	if (!workspace) return [[seg('loading…', {dim: true})]];
	if (!selection) return [[seg('No services yet: press n to add one.', {dim: true})]];
	if (selection.type === 'service') {
		const service = workspace.services.find((s) => s.name === selection.name);
		return service ? serviceLines(workspace, service, width) : [[seg(`service ${selection.name} is gone`, {dim: true})]];
	}
	const explanation = explainComponent(workspace, selection.name);
	if (!explanation) return [[seg(`component ${selection.name} is gone`, {dim: true})]];
	return componentLines(workspace, explanation, width, deployed, health);
}

function componentLines(
	workspace: Workspace,
	explanation: ComponentExplanation,
	width: number,
	deployed: Deployed,
	health: Health,
): Line[] {
	const {component} = explanation;
	const lines: Line[] = [];
	lines.push([
		seg(component.kind, {color: theme.kind, bold: true}),
		...(component.description ? [seg(` · ${component.description}`)] : []),
	]);
	const status = deployedLine(deployed, component.address);
	if (status) lines.push(status);
	const verdict = healthLine(health, component.address);
	if (verdict) lines.push(verdict);
	lines.push([
		seg(`${component.file}:${component.line}`, {dim: true}),
		...(component.valid ? [] : [seg('  spec does not validate', {color: theme.error})]),
	]);
	if (component.summary) lines.push([seg(component.summary, {dim: true})]);

	const problems = componentDiagnostics(workspace, component);
	if (problems.length > 0) {
		lines.push(blank, heading(`Problems (${problems.length})`));
		for (const d of problems) lines.push(diagnosticLine(d));
	}

	lines.push(blank, heading(`Depends on (${explanation.dependencies.length}): created before it`));
	if (explanation.dependencies.length === 0) lines.push(none('none'));
	for (const link of explanation.dependencies) lines.push(linkLine('←', link.address, link.kind, link.labels));

	lines.push(blank, heading(`Needed by (${explanation.dependents.length})`));
	if (explanation.dependents.length === 0) lines.push(none('none'));
	for (const link of explanation.dependents) lines.push(linkLine('→', link.address, link.kind, link.labels));

	lines.push(blank, heading('Outputs'));
	if (explanation.outputs.length === 0) lines.push(none('none'));
	const outputWidth = Math.min(20, Math.max(6, ...explanation.outputs.map((o) => o.name.length)));
	for (const output of explanation.outputs) {
		lines.push([
			seg(`  ${column(output.name, outputWidth)} `),
			output.usedBy.length > 0 ? seg(`used by ${output.usedBy.join(', ')}`, {color: theme.accent}) : seg('unused', {dim: true}),
			...(output.description ? [seg(`  ${output.description}`, {dim: true})] : []),
		]);
	}

	lines.push(blank, heading('Physical names'));
	const names = Object.entries(component.physicalNames);
	if (names.length === 0) lines.push(none(component.valid ? 'none' : 'not known until the spec validates'));
	const nameWidth = Math.min(22, Math.max(4, ...names.map(([k]) => k.length)));
	for (const [what, name] of names) lines.push([seg(`  ${column(what, nameWidth)} `, {dim: true}), seg(name)]);

	lines.push(blank, heading('Networking'));
	const net = component.networking;
	if (!net) {
		lines.push(none(workspace.tenant ? 'not in the VPC (a regional AWS service)' : 'unknown: no tenant config (pass --tenant-config)'));
	} else {
		lines.push([
			seg('  VPC ', {dim: true}),
			seg(net.vpcCidr),
			seg('  private subnets ', {dim: true}),
			seg(net.subnets.map((s) => `${s.cidrBlock} (${s.availabilityZone})`).join(', ')),
		]);
		for (const group of net.securityGroups) {
			lines.push([seg(`  ${group.origin} SG `, {dim: true}), seg(group.name)]);
			if (group.ingress.length > 0) lines.push([seg('    ingress ', {dim: true}), seg(group.ingress.join('; '))]);
		}
		lines.push([seg(`  inherited from ${net.inheritedFrom}`, {dim: true})]);
	}

	// Origins inside the component's own service folder are shown relative to it (service.yaml:9).
	const serviceDir = `${component.file.split('/').slice(0, 2).join('/')}/`;
	const relative = serviceDir.startsWith('services/');
	const local = (text: string) => (relative ? text.replaceAll(serviceDir, '') : text);
	lines.push(blank, [
		...heading(`Values (${explanation.values.length})`),
		seg(`  where each comes from${relative ? `; files relative to ${serviceDir}` : ''}`, {dim: true}),
	]);
	if (explanation.values.length === 0) lines.push(none('no values'));
	const pathWidth = Math.min(28, Math.max(8, ...explanation.values.map((v) => v.path.length)), Math.floor(width * 0.4));
	const valueWidth = Math.min(24, Math.max(5, ...explanation.values.map((v) => valueText(v).length)), Math.floor(width * 0.26));
	for (const value of explanation.values) {
		lines.push([
			seg(`  ${column(value.path, pathWidth)} `),
			seg(column(valueText(value), valueWidth), value.value === 'undefined' ? {dim: true} : {}),
			seg('  '),
			...originSegments(value, local),
		]);
		// A value that came through variables gets a second line saying which, and where they are set.
		if (value.origin.type === 'variable') lines.push(variableSegments(value.origin, local));
	}
	return lines;
}

function valueText(value: ExplainedValue): string {
	const shown = value.value === 'undefined' ? '(unset)' : value.value;
	return value.written !== undefined ? `${shown} ← ${value.written}` : shown;
}

function originSegments(value: ExplainedValue, local: (text: string) => string): Line {
	const origin = value.origin;
	switch (origin.type) {
		case 'file':
		case 'variable':
			return [
				...(origin.environment !== undefined ? [seg(`env ${origin.environment} `, {color: theme.variable})] : []),
				seg(local(`${origin.position.file}:${origin.position.line}`), {dim: true}),
			];
		case 'env-file':
			return [seg(local(`${origin.file}:${origin.line}`), {color: theme.info})];
		case 'default':
			return [seg('default', {dim: true, italic: true})];
	}
}

/** `    ↳ ${CPU} = "256m" (service.yaml:9)`, with the template first when it is more than one variable. */
function variableSegments(origin: Extract<ExplainedValue['origin'], {type: 'variable'}>, local: (text: string) => string): Line {
	const single = /^\$\{[A-Za-z_][A-Za-z0-9_]*(:-[^}]*)?\}$/.test(origin.template);
	const uses = origin.uses.map(
		(u) =>
			`\${${u.name}} = ${JSON.stringify(u.value)} (${u.origin.type === 'file' ? `${u.origin.environment !== undefined ? `env ${u.origin.environment}, ` : ''}${local(`${u.origin.file}:${u.origin.line}`)}` : describeOrigin(u.origin)})`,
	);
	return [
		seg('    ↳ ', {dim: true}),
		...(single ? [] : [seg(`${JSON.stringify(origin.template)}: `, {dim: true})]),
		seg(uses.join(', '), {color: theme.variable}),
	];
}

function linkLine(arrow: string, address: string, kind: string, labels: readonly string[]): Line {
	return [seg(`  ${arrow} `, {dim: true}), seg(address), seg(` ${kind}`, {color: theme.kind}), seg(`  ${labels.join(', ')}`, {dim: true})];
}

export function diagnosticLine(d: Diagnostic): Line {
	const location = formatLocation(d);
	return [
		seg(`  ${severityIcon(d.severity)} `, {color: severityColor(d.severity)}),
		...(location ? [seg(`${location} `, {dim: true})] : []),
		seg(d.message),
	];
}

function serviceLines(workspace: Workspace, service: ServiceInfo, width: number): Line[] {
	const lines: Line[] = [];
	lines.push([seg('Service', {bold: true}), ...(service.description ? [seg(` · ${service.description}`)] : [])]);
	lines.push([seg(service.file ? `${service.file}:${service.line}` : `services/${service.dirName}/ (no service.yaml)`, {dim: true})]);
	if (service.dependsOn.length > 0) lines.push([seg('created after ', {dim: true}), seg(service.dependsOn.join(', '))]);

	const prefix = `services/${service.dirName}/`;
	const problems = workspace.diagnostics.filter((d) => d.file?.startsWith(prefix));
	if (problems.length > 0) {
		lines.push(blank, heading(`Problems (${problems.length})`));
		for (const d of problems) lines.push(diagnosticLine(d));
	}

	const components = service.components.map((n) => workspace.componentsByName.get(n)).filter((c) => c !== undefined);
	lines.push(blank, heading(`Components (${components.length})`));
	if (components.length === 0) lines.push(none('none yet'));
	const nameWidth = Math.min(28, Math.max(4, ...components.map((c) => c.name.length)));
	for (const c of components)
		lines.push([seg(`  ${column(c.name, nameWidth)} `), seg(column(c.kind, 12), {color: theme.kind}), seg(` ${c.summary}`, {dim: true})]);

	const variables = Object.entries(service.variables);
	lines.push(blank, heading('Variables'));
	if (variables.length === 0) lines.push(none('none'));
	const varWidth = Math.min(24, Math.floor(width * 0.3), Math.max(4, ...variables.map(([k]) => k.length)));
	for (const [name, value] of variables)
		lines.push([seg(`  ${column(name, varWidth)} `, {color: theme.variable}), seg(JSON.stringify(value))]);

	if (service.envFiles.length > 0) {
		lines.push(blank, heading('Config files'));
		for (const file of service.envFiles) lines.push([seg(`  ${file}`, {dim: true})]);
	}
	return lines;
}
