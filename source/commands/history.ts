/**
 * `panka history [folder] [--env] [--json]`: every deployment the state backend's versions record
 * for the stack and environment (serial, when, who, operation, change counts, completed or not),
 * newest first. `panka history show <serial> [folder]`: what that deployment changed, field by
 * field, between the state before it and the state it left, secrets redacted. Both only read.
 *
 * The list and the diff are the engine's (engine/state/deployments.ts, engine/plan/deployment-diff.ts);
 * this module reads the backend through the logged-in tenant's session; views/history-view.ts prints.
 */
import type {StateKey} from '../../engine/index.js';
import {findDeployment, readDeploymentHistory, readDeploymentStates} from '../../engine/backends.js';
import {deploymentChanges, undeclaredEnvironment} from '../../engine/index.js';
import type {CommandContext} from '../context.js';
import {UsageError} from '../errors.js';
import type {Flags} from '../flags.js';
import {loadTenantWorkspace} from '../stack-operation.js';
import {historyViews} from '../views/history-view.js';
import {chooseView} from '../views/view.js';
import {stackFolderArg} from '../workspace-options.js';

/** A deployment that cannot be shown (exit 1): why, and what to do. */
export class HistoryRefused extends Error {
	constructor(
		message: string,
		readonly hint: string,
	) {
		super(message);
	}
}

export async function historyCommand(args: string[], flags: Flags, context: CommandContext): Promise<number> {
	if (args.length > 1)
		throw new UsageError(`panka history takes one folder, got: ${args.join(' ')}`, 'panka history show <serial> shows one deployment');
	const {key, backend, protectedEnvironment} = await openHistory(context, flags, args[0]);
	const history = await readDeploymentHistory(backend, key);
	chooseView(historyViews, flags, context).history(key, backend.description, protectedEnvironment, history);
	return 0;
}

export async function historyShowCommand(args: string[], flags: Flags, context: CommandContext): Promise<number> {
	if (args.length < 1 || args.length > 2)
		throw new UsageError('panka history show takes <serial> [folder]', 'e.g. panka history show 7 (panka history lists the serials)');
	const [label, folder] = args as [string, string | undefined];
	const {key, backend} = await openHistory(context, flags, folder);
	const history = await readDeploymentHistory(backend, key);
	const found = findDeployment(history, label);
	if (!found.ok) throw new HistoryRefused(found.message, found.hint);
	const {deployment} = found;
	const {before, after} = await readDeploymentStates(backend, key, deployment);
	const changes = deploymentChanges(before, after);
	chooseView(historyViews, flags, context).changes(key, deployment, changes);
	return 0;
}

/** The tenant's session, the stack's state key and whether the environment is protected. */
async function openHistory(context: CommandContext, flags: Flags, folder: string | undefined) {
	const {openTenantSession} = await import('../tenant-session.js');
	const session = (await openTenantSession(context, flags, {required: true}))!;
	const workspace = await loadTenantWorkspace(context, flags, session, await stackFolderArg(context, folder));
	// A mistyped --env would read as "never applied": name the declared ones instead.
	const undeclared = undeclaredEnvironment(workspace.stack.document, workspace.environment);
	if (undeclared) throw new UsageError(undeclared.message, undeclared.hint);
	const key: StateKey = {tenant: session.tenant, stack: workspace.stack.name, environment: workspace.environment};
	return {key, backend: session.backend, protectedEnvironment: workspace.environmentSettings?.protected === true};
}
