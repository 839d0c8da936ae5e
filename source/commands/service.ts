/**
 * `panka service add <name> [--stack folder] [--template T]`, `panka service remove <name>
 * [--stack folder] [--yes] [--force]`, `panka service list [--stack folder] [--json]`.
 *
 * add: in a terminal, a wizard asks for what the flags did not give and confirms the files;
 * without one, a missing name fails fast. remove: refuses while other services use the service
 * (unless --force), and asks for confirmation (in a terminal) or --yes (in CI).
 */
import {
	componentDiagnostics,
	hasErrors,
	planServiceAdd,
	planServiceRemove,
	removeServiceFolder,
	writeScaffold,
} from '../../engine/index.js';
import type {CommandContext} from '../context.js';
import {UsageError} from '../errors.js';
import {type ServiceRow, serviceListViews} from '../views/service-view.js';
import {serviceAddViews, serviceRemoveViews} from '../views/scaffold-view.js';
import {chooseView, viewKind} from '../views/view.js';
import {confirmUnless} from '../prompt.js';
import type {Flags} from '../flags.js';
import {displayFile, loadWorkspaceFromFlags, workspaceOptions} from '../workspace-options.js';
import {loadUi} from '../ui.js';

export async function serviceAddCommand(args: string[], flags: Flags, context: CommandContext): Promise<number> {
	if (args.length > 1) throw new UsageError(`panka service add takes one name, got: ${args.join(' ')}`);
	const template = flags.template;
	const workspace = await loadWorkspaceFromFlags(context, flags.stack, flags);
	if (!workspace.stack.file)
		throw new UsageError(
			`${displayFile(context, workspace.root, '.')} is not a stack folder (no stack.yaml)`,
			'pass --stack <folder>, or create one with panka stack init <name>',
		);
	const view = chooseView(serviceAddViews, flags, context);
	if (viewKind(flags, context, true) === 'ink' && (!args[0] || (!flags.yes && template === undefined))) {
		const {runServiceAddWizard} = await loadUi(context, () => import('../../components/wizards/run-wizards.js'));
		const result = await runServiceAddWizard(
			workspace,
			{...(args[0] ? {name: args[0]} : {}), ...(template ? {template} : {})},
			{...workspaceOptions(context, flags), ...(workspace.tenant ? {tenantConfig: workspace.tenant} : {})},
		);
		if (!result) {
			view.cancelled();
			return 1;
		}
		view.written(result.base, result.written);
		return 0;
	}
	if (!args[0])
		throw new UsageError(
			'missing the service name',
			'pass it: panka service add <name> [--template http-api|worker|scheduled|empty] [--stack folder]',
		);
	const plan = planServiceAdd(workspace, {name: args[0], ...(template ? {template} : {})});
	if (!plan.ok) throw new UsageError(plan.problems.join('; '));
	view.written(plan.base, await writeScaffold(plan));
	return 0;
}

export async function serviceRemoveCommand(args: string[], flags: Flags, context: CommandContext): Promise<number> {
	if (args.length !== 1)
		throw new UsageError('panka service remove takes exactly one service name', 'panka service remove <name> [--stack folder] [--yes]');
	const workspace = await loadWorkspaceFromFlags(context, flags.stack, flags);
	const plan = planServiceRemove(workspace, args[0]!);
	const view = chooseView(serviceRemoveViews, flags, context);
	if (!plan.ok && !workspace.services.some((s) => s.dirName === args[0] || s.name === args[0]))
		throw new UsageError(plan.problems.join('; '));
	if (!plan.ok && !flags.force) {
		view.stillUsed(args[0]!, plan.problems);
		return 1;
	}
	const folder = displayFile(context, workspace.root, `services/${args[0]}`);
	if (!(await confirmUnless(context, flags.yes, `Delete ${folder} and every file in it?`, {what: `removing ${folder}`, flag: '--yes'}))) {
		view.cancelled();
		return 1;
	}
	await removeServiceFolder(plan);
	view.removed(args[0]!, folder);
	return 0;
}

export async function serviceListCommand(args: string[], flags: Flags, context: CommandContext): Promise<number> {
	if (args.length > 0) throw new UsageError(`panka service list takes no arguments, got: ${args.join(' ')}`, 'use --stack <folder>');
	const workspace = await loadWorkspaceFromFlags(context, flags.stack, flags);
	const rows = workspace.services.map((s): ServiceRow => {
		const components = s.components.map((n) => workspace.componentsByName.get(n)).filter((c) => c !== undefined);
		return {
			name: s.name,
			file: s.file,
			description: s.description,
			dependsOn: s.dependsOn,
			components: components.map((c) => ({name: c.name, kind: c.kind})),
			errors: components.reduce((n, c) => n + componentDiagnostics(workspace, c).filter((d) => d.severity === 'error').length, 0),
		};
	});
	chooseView(serviceListViews, flags, context).services(workspace.stack.name, rows);
	return hasErrors(workspace.diagnostics) ? 1 : 0;
}
