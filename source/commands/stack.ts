/**
 * `panka stack init <name> [--services a,b] [--template T] [--tenant T] [--env E] [--dir D]` and
 * `panka stack info [folder]` and `panka stack list`.
 *
 * init: in a terminal, a wizard asks for whatever the flags did not give and shows the files before
 * writing; without a terminal, a missing name fails fast naming what to pass. Both paths plan and
 * write through the engine's scaffold module, so they write the same files.
 */
import path from 'node:path';
import {hasErrors, planStackInit, type StackInitRequest, writeScaffold} from '../../engine/index.js';
import type {CommandContext} from '../context.js';
import {UsageError} from '../errors.js';
import {type Flags, splitList} from '../flags.js';
import {stackInfoViews, stackListViews} from '../views/stack-view.js';
import {stackInitViews} from '../views/scaffold-view.js';
import {chooseView, viewKind} from '../views/view.js';
import {loadWorkspaceFromFlags} from '../workspace-options.js';
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
	const view = chooseView(stackInitViews, flags, context);
	if (
		viewKind(flags, context, true) === 'ink' &&
		(!request.name || (!flags.yes && (request.services === undefined || request.template === undefined)))
	) {
		const {runStackInitWizard} = await loadUi(context, () => import('../../components/wizards/run-wizards.js'));
		const result = await runStackInitWizard(request);
		if (!result) {
			view.cancelled();
			return 1;
		}
		view.written(result.base, result.written);
		return 0;
	}
	if (!request.name)
		throw new UsageError(
			'missing the stack name',
			'pass it: panka stack init <name> [--services a,b] [--template http-api|worker|scheduled|empty]',
		);
	const plan = planStackInit({...request, name: request.name});
	if (!plan.ok) throw new UsageError(plan.problems.join('; '));
	view.written(plan.base, await writeScaffold(plan));
	return 0;
}

/** The tenant a new stack belongs to when --tenant is not given: PANKA_TENANT, else the logged-in one's. */
async function loggedInTenant(context: CommandContext): Promise<{tenant?: string}> {
	if (context.env.PANKA_TENANT) return {tenant: context.env.PANKA_TENANT};
	const session = await readSessionFile(context).catch(() => undefined);
	return session ? {tenant: session.tenant} : {};
}

export async function stackInfoCommand(args: string[], flags: Flags, context: CommandContext): Promise<number> {
	if (args.length > 1) throw new UsageError(`panka stack info takes one folder, got: ${args.join(' ')}`);
	const workspace = await loadWorkspaceFromFlags(context, args[0], flags);
	const failed = hasErrors(workspace.diagnostics);
	chooseView(stackInfoViews, flags, context).info(workspace);
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
	chooseView(stackListViews, flags, context).stacks({
		tenant: session.tenant,
		backend: session.backend.description,
		stacks,
		allEnvs: flags.allEnvs === true,
		spend,
		spendTexts: {line: spendText(spend, session.config, costs.table), json: spendJson(spend, session.config, costs.table)},
	});
	return 0;
}
