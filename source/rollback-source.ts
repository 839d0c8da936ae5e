/**
 * The stack operation of a rollback: the folder's operation with the workspace of an earlier
 * deployment (engine/plan/rollback.ts), read from the state backend's versions. `panka rollback`
 * and `panka apply <rollback plan file>` both make it here, so a saved rollback plan is checked
 * against the same configuration it was made from.
 *
 * Invariant: the refusals are the engine's (`rollbackWorkspace`), thrown as RollbackRefused
 * (exit 1, with the reason and what to do); `recheck` makes them again on the state read under
 * the lock, so a rollback never runs on a state other than the one it was judged on.
 */
import {findDeployment, readDeploymentHistory, readState, readStateVersion} from '../engine/backends.js';
import type {Rollback, StateDocument, Workspace} from '../engine/index.js';
import {rollbackWorkspace, undeclaredEnvironment} from '../engine/index.js';
import type {CommandContext} from './context.js';
import {UsageError} from './errors.js';
import type {Flags} from './flags.js';
import {loadTenantWorkspace, type StackOperation} from './stack-operation.js';
import {stackFolderArg} from './workspace-options.js';

/** A rollback cannot be made (exit 1): why, and what to do. */
export class RollbackRefused extends Error {
	constructor(
		message: string,
		readonly hint: string,
	) {
		super(message);
		this.name = 'RollbackRefused';
	}
}

export interface RolledBack {
	rollback: Rollback;
	/** Said with the plan (values kept from the folder). */
	notes: string[];
	/** The state version rolled back to. */
	target: StateDocument;
	/** The folder's own workspace (the newer configuration). */
	folder: Workspace;
}

/** Which deployment to roll back to: a history label (`7`, `7@1f2e3d4c`), or a saved plan's serial and lineage. */
export type RollbackRequest = {label: string} | {serial: number; lineage: string};

export async function rollBackOperation(op: StackOperation, request: RollbackRequest): Promise<{op: StackOperation; rolled: RolledBack}> {
	const {backend} = op.session;
	const history = await readDeploymentHistory(backend, op.key);
	const label = 'label' in request ? request.label : `${request.serial}@${request.lineage}`;
	const found = findDeployment(history, label);
	if (!found.ok) throw new RollbackRefused(`cannot roll back to ${label}: ${found.message}`, found.hint);
	const target = await readStateVersion(backend, op.key, found.deployment.versionId);
	if (!target)
		throw new RollbackRefused(
			`cannot roll back to ${label}: that state version can no longer be read`,
			'panka history lists the versions the backend keeps',
		);
	const current = await readState(backend, op.key);
	const rolled = judge(op.workspace, target, current?.state, label);
	return {op: {...op, workspace: rolled.workspace}, rolled: {rollback: rolled.rollback, notes: rolled.notes, target, folder: op.workspace}};
}

/**
 * The promotable variables (stack.yaml `spec.promote`, e.g. VERSION) the deployment recorded, as
 * `--var K=V`: the folder is loaded with them, so a folder that needs a release variable resolves
 * as it did then. Refused (RollbackRefused) when no deployment has that serial.
 */
export async function variablesRecordedAt(
	context: CommandContext,
	flags: Flags,
	folder: string | undefined,
	label: string,
): Promise<string[]> {
	const {openTenantSession} = await import('./tenant-session.js');
	const session = (await openTenantSession(context, flags, {required: true}))!;
	const workspace = await loadTenantWorkspace(context, flags, session, await stackFolderArg(context, folder));
	const undeclared = undeclaredEnvironment(workspace.stack.document, workspace.environment);
	if (undeclared) throw new UsageError(undeclared.message, undeclared.hint);
	const key = {tenant: session.tenant, stack: workspace.stack.name, environment: workspace.environment};
	const found = findDeployment(await readDeploymentHistory(session.backend, key), label);
	if (!found.ok) throw new RollbackRefused(`cannot roll back to ${label}: ${found.message}`, found.hint);
	const target = await readStateVersion(session.backend, key, found.deployment.versionId).catch(() => undefined);
	return Object.entries(target?.metadata.variables ?? {}).map(([name, value]) => `${name}=${value}`);
}

/** The refusals again, on the state read under the lock. */
export function recheck(rolled: RolledBack, locked: StateDocument | undefined): void {
	judge(rolled.folder, rolled.target, locked, String(rolled.target.serial));
}

function judge(folder: Workspace, target: StateDocument, current: StateDocument | undefined, label: string) {
	const source = rollbackWorkspace(folder, target, current);
	if (!source.ok) throw new RollbackRefused(`cannot roll back to ${label}: ${source.message}`, source.hint);
	return source;
}
