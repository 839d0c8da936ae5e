/**
 * The views of `panka stack info` (what a stack folder resolves to: tenant, environment,
 * networking, variables, services and components) and `panka stack list` (the tenant's stacks on
 * the backend, with their spend against the budget); or the StackInfo and StackList documents.
 * The spend arrives as texts the command computed: this module loads no pricing or backend code,
 * so `stack info` (and the workbench's summary without a terminal) loads no AWS SDK client.
 */
import path from 'node:path';
import type {StackInventory, TenantSpend} from '../../engine/backends.js';
import {componentDiagnostics, formatMonthly, hasErrors, plural, type Workspace} from '../../engine/index.js';
import {summarizeDiagnostics} from '../render/diagnostics-text.js';
import {componentJson, diagnosticJson, jsonDocument, stackJson, summaryJson} from '../render/json.js';
import {displayFile} from '../workspace-options.js';
import {lastApplyText, lockText, writeTable} from './tables.js';
import type {Views} from './view.js';

export interface StackInfoView {
	info(workspace: Workspace): void;
}

export const stackInfoViews: Views<StackInfoView> = {
	human: (out) => ({
		info(workspace) {
			const {paint, context} = out;
			const field = (label: string, value: string) => out.line(`${paint(label.padEnd(12), 'bold')}${value}`);
			field('Stack', `${workspace.stack.name}${workspace.stack.description ? ` — ${workspace.stack.description}` : ''}`);
			field(
				workspace.source === workspace.root ? 'Folder' : 'File',
				displayFile(context, workspace.root, path.relative(workspace.root, workspace.source) || '.'),
			);
			field(
				'Tenant',
				workspace.tenant
					? `${workspace.tenantName} (${displayFile(context, workspace.root, workspace.tenant.file)})`
					: `${workspace.tenantName} (no tenant config given)`,
			);
			field('Environment', workspace.environment);
			const net = workspace.stack.networking;
			if (workspace.tenant && net) {
				const tenantNet = workspace.tenant.config.spec.networking;
				field('Networking', `VPC ${tenantNet.vpc.cidrBlock}, private ${tenantNet.subnets.private.map((s) => s.cidrBlock).join(', ')}`);
				field(
					'',
					`security groups ${net.tenantGroup.name} (tenant) + ${net.stackGroup.name} (stack: ${net.stackGroup.ingress.slice(1).join('; ') || 'no extra ingress'})`,
				);
			}
			const variables = workspace.scope.names().filter((n) => !n.startsWith('PANKA_'));
			if (variables.length > 0) field('Variables', variables.map((n) => `${n}=${workspace.scope.valueOf(n) ?? '?'}`).join(', '));
			out.line();
			field('Services', `${workspace.services.length}, with ${workspace.components.length} components`);
			for (const service of workspace.services) {
				const deps = service.dependsOn.length ? paint(` (after ${service.dependsOn.join(', ')})`, 'gray') : '';
				out.line(`  ${paint(service.name, 'bold')}${deps}`);
				for (const name of service.components) {
					const c = workspace.componentsByName.get(name);
					if (!c) continue;
					const problems = componentDiagnostics(workspace, c).filter((d) => d.severity === 'error').length;
					out.line(
						`    ${c.name.padEnd(24)} ${paint(c.kind.padEnd(13), 'cyan')} ${c.summary}${problems ? paint(`  (${plural(problems, 'error')} in ${c.file})`, 'red') : ''}`,
					);
				}
			}
			out.line();
			const failed = hasErrors(workspace.diagnostics);
			field(
				'Diagnostics',
				summarizeDiagnostics(workspace.diagnostics, paint) + (failed ? paint('  (panka validate shows them)', 'gray') : ''),
			);
		},
	}),
	json: (out) => ({
		info(workspace) {
			out.line(
				jsonDocument('StackInfo', {
					stack: stackJson(workspace),
					summary: summaryJson(workspace),
					services: workspace.services.map((s) => ({
						name: s.name,
						file: s.file,
						description: s.description,
						dependsOn: s.dependsOn,
						components: s.components,
					})),
					components: workspace.components.map(componentJson),
					variables: Object.fromEntries(workspace.scope.names().map((n) => [n, workspace.scope.valueOf(n) ?? null])),
					networking: workspace.stack.networking ?? null,
					diagnostics: workspace.diagnostics.map(diagnosticJson),
				}),
			);
		},
	}),
};

export interface StackListing {
	tenant: string;
	backend: string;
	stacks: readonly StackInventory[];
	/** One row per environment instead of one per stack. */
	allEnvs: boolean;
	spend: TenantSpend;
	/** The spend against the budget, as plan-cost words it (spendText) and as --json carries it (spendJson). */
	spendTexts: {line: string; json: Record<string, unknown>};
}

export interface StackListView {
	stacks(listing: StackListing): void;
}

export const stackListViews: Views<StackListView> = {
	human: (out) => ({
		stacks({tenant, backend, stacks, allEnvs, spend, spendTexts}) {
			const {paint} = out;
			if (stacks.length === 0) {
				out.line(`Tenant ${tenant} has no stacks on ${backend} yet (panka apply creates one).`);
				return;
			}
			const monthly = (stack: string, environment?: string) =>
				spend.unavailable
					? '?'
					: formatMonthly(
							spend.environments
								.filter((entry) => entry.stack === stack && (environment === undefined || entry.environment === environment))
								.reduce((sum, entry) => sum + entry.monthly, 0),
						);
			type Row = [string, string, string, string, string, string];
			const rows: Row[] = allEnvs
				? stacks.flatMap((stack) =>
						stack.environments.map(
							(env): Row => [
								stack.name,
								env.name,
								env.problem ? 'unreadable' : String(env.resources),
								monthly(stack.name, env.name),
								lastApplyText(env.lastApply),
								lockText(env),
							],
						),
					)
				: stacks.map((stack): Row => {
						const latest = stack.environments
							.filter((env) => env.lastApply)
							.sort((a, b) => (b.lastApply?.at ?? '').localeCompare(a.lastApply?.at ?? ''))[0];
						const locks = stack.environments.filter((env) => env.lock);
						return [
							stack.name,
							stack.environments.map((env) => env.name).join(', '),
							String(stack.environments.reduce((sum, env) => sum + env.resources, 0)),
							monthly(stack.name),
							latest ? `${lastApplyText(latest.lastApply)}${stack.environments.length > 1 ? ` in ${latest.name}` : ''}` : 'never',
							locks.length === 0
								? '-'
								: locks.map((env) => `${stack.environments.length > 1 ? `${env.name} ` : ''}${lockText(env)}`).join('; '),
						];
					});
			const header: Row = ['STACK', allEnvs ? 'ENVIRONMENT' : 'ENVIRONMENTS', 'RESOURCES', 'MONTHLY', 'LAST APPLY', 'LOCK'];
			writeTable(out, header, rows, 5);
			out.line(`Estimated spend: ${spendTexts.line}`);
			const environments = stacks.reduce((sum, stack) => sum + stack.environments.length, 0);
			out.line(paint(`${plural(stacks.length, 'stack')}, ${plural(environments, 'environment')} · tenant ${tenant} · ${backend}`, 'gray'));
		},
	}),
	json: (out) => ({
		stacks({tenant, backend, stacks, spendTexts}) {
			out.line(jsonDocument('StackList', {tenant, backend, stacks, cost: spendTexts.json}));
		},
	}),
};
