/**
 * `panka stack init <name> [--services a,b] [--template T] [--tenant T] [--env E] [--dir D]` and
 * `panka stack info [folder]` and `panka stack list`.
 *
 * init: in a terminal, a wizard asks for whatever the flags did not give and shows the files before
 * writing; without a terminal, a missing name fails fast naming what to pass. Both paths plan and
 * write through the engine's scaffold module, so they write the same files.
 */
import path from 'node:path';
import {
	componentDiagnostics,
	formatMonthly,
	hasErrors,
	planStackInit,
	plural,
	type StackInitRequest,
	writeScaffold,
} from '../../engine/index.js';
import {type CommandContext, canUseTui, painter, writeLine} from '../context.js';
import {UsageError} from '../errors.js';
import {type Flags, splitList} from '../flags.js';
import {summarizeDiagnostics} from '../render/diagnostics-text.js';
import {componentJson, diagnosticJson, jsonDocument, stackJson, summaryJson} from '../render/json.js';
import {lastApplyText, lockText, writeTable} from '../views/tables.js';
import {Output} from '../views/view.js';
import {displayFile, loadWorkspaceFromFlags} from '../workspace-options.js';
import {loadUi} from '../ui.js';
import {readSessionFile} from '../session.js';

export async function stackInitCommand(args: string[], flags: Flags, context: CommandContext): Promise<number> {
	if (args.length > 1) throw new UsageError(`panka stack init takes one name, got: ${args.join(' ')}`);
	const request: Partial<StackInitRequest> & {parentDir: string} = {
		parentDir: path.resolve(context.cwd, flags.dir ?? '.'),
		...(args[0] ? {name: args[0]} : {}),
		...(flags.services !== undefined ? {services: splitList(flags.services)} : {}),
		...(flags.tenant ? {tenant: flags.tenant} : {}),
		...(flags.env ? {environments: splitList(flags.env)} : {}),
		...(!flags.tenant ? await loggedInTenant(context) : {}),
		...(flags.template ? {template: flags.template} : {}),
	};
	if (
		canUseTui(context, flags.tui) &&
		(!request.name || (!flags.yes && (request.services === undefined || request.template === undefined)))
	) {
		const {runStackInitWizard} = await loadUi(context, () => import('../../components/wizards/run-wizards.js'));
		const result = await runStackInitWizard(request);
		if (!result) {
			writeLine(context.stderr, 'stack init cancelled: nothing written');
			return 1;
		}
		reportWritten(context, result.base, result.written);
		return 0;
	}
	if (!request.name)
		throw new UsageError(
			'missing the stack name',
			'pass it: panka stack init <name> [--services a,b] [--template http-api|worker|scheduled|empty]',
		);
	const plan = planStackInit({...request, name: request.name});
	if (!plan.ok) throw new UsageError(plan.problems.join('; '));
	reportWritten(context, plan.base, await writeScaffold(plan));
	return 0;
}

/** The tenant a new stack belongs to when --tenant is not given: PANKA_TENANT, else the logged-in one's. */
async function loggedInTenant(context: CommandContext): Promise<{tenant?: string}> {
	if (context.env.PANKA_TENANT) return {tenant: context.env.PANKA_TENANT};
	const session = await readSessionFile(context).catch(() => undefined);
	return session ? {tenant: session.tenant} : {};
}

export function reportWritten(context: CommandContext, base: string, written: string[]): void {
	const paint = painter(context.color);
	for (const file of written) writeLine(context.stdout, `${paint('+', 'green')} ${displayFile(context, base, file)}`);
	writeLine(
		context.stdout,
		`${paint('✓', 'green', 'bold')} wrote ${plural(written.length, 'file')}; next: panka validate ${displayFile(context, base, '.')}`,
	);
}

export async function stackInfoCommand(args: string[], flags: Flags, context: CommandContext): Promise<number> {
	if (args.length > 1) throw new UsageError(`panka stack info takes one folder, got: ${args.join(' ')}`);
	const workspace = await loadWorkspaceFromFlags(context, args[0], flags);
	const failed = hasErrors(workspace.diagnostics);
	if (flags.json) {
		writeLine(
			context.stdout,
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
		return failed ? 1 : 0;
	}
	const paint = painter(context.color);
	const out = (label: string, value: string) => writeLine(context.stdout, `${paint(label.padEnd(12), 'bold')}${value}`);
	out('Stack', `${workspace.stack.name}${workspace.stack.description ? ` — ${workspace.stack.description}` : ''}`);
	out(
		workspace.source === workspace.root ? 'Folder' : 'File',
		displayFile(context, workspace.root, path.relative(workspace.root, workspace.source) || '.'),
	);
	out(
		'Tenant',
		workspace.tenant
			? `${workspace.tenantName} (${displayFile(context, workspace.root, workspace.tenant.file)})`
			: `${workspace.tenantName} (no tenant config given)`,
	);
	out('Environment', workspace.environment);
	const net = workspace.stack.networking;
	if (workspace.tenant && net) {
		const tenantNet = workspace.tenant.config.spec.networking;
		out('Networking', `VPC ${tenantNet.vpc.cidrBlock}, private ${tenantNet.subnets.private.map((s) => s.cidrBlock).join(', ')}`);
		out(
			'',
			`security groups ${net.tenantGroup.name} (tenant) + ${net.stackGroup.name} (stack: ${net.stackGroup.ingress.slice(1).join('; ') || 'no extra ingress'})`,
		);
	}
	const variables = workspace.scope.names().filter((n) => !n.startsWith('PANKA_'));
	if (variables.length > 0) out('Variables', variables.map((n) => `${n}=${workspace.scope.valueOf(n) ?? '?'}`).join(', '));
	writeLine(context.stdout);
	out('Services', `${workspace.services.length}, with ${workspace.components.length} components`);
	for (const service of workspace.services) {
		const deps = service.dependsOn.length ? paint(` (after ${service.dependsOn.join(', ')})`, 'gray') : '';
		writeLine(context.stdout, `  ${paint(service.name, 'bold')}${deps}`);
		for (const name of service.components) {
			const c = workspace.componentsByName.get(name);
			if (!c) continue;
			const problems = componentDiagnostics(workspace, c).filter((d) => d.severity === 'error').length;
			writeLine(
				context.stdout,
				`    ${c.name.padEnd(24)} ${paint(c.kind.padEnd(13), 'cyan')} ${c.summary}${problems ? paint(`  (${plural(problems, 'error')} in ${c.file})`, 'red') : ''}`,
			);
		}
	}
	writeLine(context.stdout);
	out('Diagnostics', summarizeDiagnostics(workspace.diagnostics, paint) + (failed ? paint('  (panka validate shows them)', 'gray') : ''));
	return failed ? 1 : 0;
}

/**
 * `panka stack list [--all-envs] [--json]`: the logged-in tenant's stacks on the backend. One row
 * per stack (its environments, resources in all of them, the latest apply, any lock); with
 * --all-envs one row per environment. --json always lists every environment.
 */
export async function stackListCommand(args: string[], flags: Flags, context: CommandContext): Promise<number> {
	if (args.length > 0)
		throw new UsageError(`panka stack list takes no arguments, got: ${args.join(' ')}`, 'it lists the logged-in tenant’s stacks');
	const [{openTenantSession}, {listTenantStacks}] = await Promise.all([import('../tenant-session.js'), import('../../engine/backends.js')]);
	const {costSources, spendJson, spendText, tenantSpend} = await import('../plan-cost.js');
	const costs = await costSources(context, {...flags, usage: undefined});
	const session = (await openTenantSession(context, flags, {required: true}))!;
	const stacks = await listTenantStacks(session.backend, session.tenant);
	const spend = await tenantSpend({session}, costs);
	const monthly = (stack: string, environment?: string) =>
		spend.unavailable
			? '?'
			: formatMonthly(
					spend.environments
						.filter((entry) => entry.stack === stack && (environment === undefined || entry.environment === environment))
						.reduce((sum, entry) => sum + entry.monthly, 0),
				);
	if (flags.json) {
		writeLine(
			context.stdout,
			jsonDocument('StackList', {
				tenant: session.tenant,
				backend: session.backend.description,
				stacks,
				cost: spendJson(spend, session.config, costs.table),
			}),
		);
		return 0;
	}
	const paint = painter(context.color);
	if (stacks.length === 0) {
		writeLine(context.stdout, `Tenant ${session.tenant} has no stacks on ${session.backend.description} yet (panka apply creates one).`);
		return 0;
	}
	type Row = [string, string, string, string, string, string];
	const applied = lastApplyText;
	const locked = lockText;
	const rows: Row[] = flags.allEnvs
		? stacks.flatMap((stack) =>
				stack.environments.map(
					(env): Row => [
						stack.name,
						env.name,
						env.problem ? 'unreadable' : String(env.resources),
						monthly(stack.name, env.name),
						applied(env.lastApply),
						locked(env),
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
					latest ? `${applied(latest.lastApply)}${stack.environments.length > 1 ? ` in ${latest.name}` : ''}` : 'never',
					locks.length === 0 ? '-' : locks.map((env) => `${stack.environments.length > 1 ? `${env.name} ` : ''}${locked(env)}`).join('; '),
				];
			});
	const header: Row = ['STACK', flags.allEnvs ? 'ENVIRONMENT' : 'ENVIRONMENTS', 'RESOURCES', 'MONTHLY', 'LAST APPLY', 'LOCK'];
	writeTable(new Output(context), header, rows, 5);
	writeLine(context.stdout, `Estimated spend: ${spendText(spend, session.config, costs.table)}`);
	const environments = stacks.reduce((sum, stack) => sum + stack.environments.length, 0);
	writeLine(
		context.stdout,
		paint(
			`${plural(stacks.length, 'stack')}, ${plural(environments, 'environment')} · tenant ${session.tenant} · ${session.backend.description}`,
			'gray',
		),
	);
	return 0;
}
