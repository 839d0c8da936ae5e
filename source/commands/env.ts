/**
 * `panka env list [folder] [--json]`: the environments a stack declares, each with what the state
 * backend holds for it (resources, pending operations, last apply: when, who, serial; lock).
 * `panka diff [folder] --env A --to B [--json]`: how the configuration differs between two
 * environments, field by field, with where each value comes from. Both only read.
 */
import {diffEnvironments, hasErrors} from '../../engine/index.js';
import type {CommandContext} from '../context.js';
import {UsageError} from '../errors.js';
import type {Flags} from '../flags.js';
import {loadTenantWorkspace} from '../stack-operation.js';
import {envDiffViews, envListViews} from '../views/env-view.js';
import {chooseView} from '../views/view.js';
import {loadWorkspaceFromFlags, stackFolderArg} from '../workspace-options.js';

export async function envListCommand(args: string[], flags: Flags, context: CommandContext): Promise<number> {
	if (args.length > 1) throw new UsageError(`panka env list takes one folder, got: ${args.join(' ')}`);
	const [{openTenantSession}, {environmentInventory}] = await Promise.all([
		import('../tenant-session.js'),
		import('../../engine/backends.js'),
	]);
	const session = (await openTenantSession(context, flags, {required: true}))!;
	const workspace = await loadTenantWorkspace(context, flags, session, await stackFolderArg(context, args[0]));
	const names = workspace.environments.length > 0 ? workspace.environments : [workspace.environment];
	const declared = workspace.stack.document?.spec.environments ?? {};
	const environments = await Promise.all(
		names.map(async (name) => ({
			...(await environmentInventory(session.backend, {tenant: session.tenant, stack: workspace.stack.name, environment: name})),
			protected: declared[name]?.protected === true,
			...(declared[name]?.description ? {description: declared[name].description} : {}),
		})),
	);
	chooseView(envListViews, flags, context).list({
		tenant: session.tenant,
		stack: workspace.stack.name,
		backend: session.backend.description,
		declared: workspace.environments.length > 0,
		environments,
	});
	return 0;
}

export async function diffCommand(args: string[], flags: Flags, context: CommandContext): Promise<number> {
	if (args.length > 1) throw new UsageError(`panka diff takes one folder, got: ${args.join(' ')}`);
	if (!flags.env || !flags.to)
		throw new UsageError('panka diff compares two environments: pass --env A --to B', 'e.g. panka diff --env staging --to production');
	const [from, to] = await Promise.all([
		loadWorkspaceFromFlags(context, args[0], flags),
		loadWorkspaceFromFlags(context, args[0], {...flags, env: flags.to}),
	]);
	const view = chooseView(envDiffViews, flags, context);
	for (const workspace of [from, to])
		if (hasErrors(workspace.diagnostics)) {
			view.unresolved(workspace);
			return 1;
		}
	view.differences(from, to, diffEnvironments(from, to));
	return 0;
}
