/**
 * What every stack-changing command (plan, apply, destroy, drift, state) starts from: the tenant
 * it acts for, the stack folder resolved with that tenant's config, the state key, and AWS clients
 * acting in the tenant's account (through AssumeRole when the tenant config names a role).
 *
 * Invariants: the tenant config always comes from the registry here (never --tenant-config, which
 * is for validating folders offline); a folder with errors is reported and nothing else happens.
 */
import os from 'node:os';
import path from 'node:path';
import {hasErrors, loadWorkspace, type Workspace} from '../engine/index.js';
import {type AcquireLockOptions, type LockInfo, type LockRequest, parseDuration, type StackTarget} from '../engine/backends.js';
import {localIdentity} from './backend-selection.js';
import {type CommandContext, painter} from './context.js';
import {FailureReport, UsageError} from './errors.js';
import type {Flags} from './flags.js';
import {renderDiagnostics, summarizeDiagnostics} from './render/diagnostics-text.js';
import {openTenantSession, type TenantSession} from './tenant-session.js';
import {packageVersion} from './version.js';
import {stackFolderArg, workspaceOptions} from './workspace-options.js';

/** The stack target (engine/apply/stack-change.ts) with the tenant session it was opened in. */
export interface StackOperation extends StackTarget {
	session: TenantSession;
}

/**
 * How every stack command takes the lock: --lock-timeout, the unlock command spelled for this
 * folder, and a lock left by a panka that died on this host broken, told through `brokeLock` (the
 * command's view: a killed apply must not need a manual unlock; a holder on another host is never
 * broken).
 */
export function stackLockOptions(
	context: CommandContext,
	op: StackOperation,
	flags: Pick<Flags, 'lockTimeout'>,
	brokeLock: (broken: LockInfo) => void,
): AcquireLockOptions {
	return {
		timeoutMs: flags.lockTimeout ? parseDuration(flags.lockTimeout) : 0,
		formatUnlockCommand: stackCommands(context, op).unlock,
		breakDeadHolder: brokeLock,
	};
}

/** The commands panka's messages tell the user to run on this stack, spelled for where they ran panka. */
export function stackCommands(context: CommandContext, op: StackOperation) {
	const folder = path.relative(context.cwd, op.workspace.source);
	const stack = folder ? ` --stack ${folder}` : '';
	const env = ` --env ${op.key.environment}`;
	return {
		unlock: (id: string) => `panka state unlock ${id}${stack}${env}`,
		statePush: (file: string) => `panka state push ${file}${stack}${env}`,
		rerun: (operation: 'apply' | 'destroy') => `panka ${operation}${folder ? ` ${folder}` : ''}${env}`,
	};
}

/** What a lock records about this process. */
export function lockRequest(op: StackOperation, operation: string): LockRequest {
	return {operation, who: op.who, host: os.hostname(), pid: process.pid, version: packageVersion()};
}

export async function openStackOperation(
	context: CommandContext,
	folder: string | undefined,
	flags: Flags,
	options: {allowErrors?: boolean} = {},
): Promise<StackOperation> {
	if (flags.tenantConfig)
		throw new UsageError(
			'--tenant-config is for validating folders; plan, apply and state use the logged-in tenant’s config from the registry',
			'drop --tenant-config',
		);
	const session = (await openTenantSession(context, flags, {required: true}))!;
	const workspace = await loadTenantWorkspace(context, flags, session, await stackFolderArg(context, folder));
	if (hasErrors(workspace.diagnostics) && !options.allowErrors) {
		const paint = painter(context.stderrColor);
		const errors = workspace.diagnostics.filter((d) => d.severity === 'error');
		const advice = 'fix the stack folder first (panka validate shows every problem)';
		throw new FailureReport(
			[...renderDiagnostics(errors, workspace, context, paint), `${summarizeDiagnostics(errors, paint)}: ${advice}`],
			`${summarizeDiagnostics(errors, painter(false))}: ${advice}`,
			{diagnostics: errors},
		);
	}
	return stackOperationFor(context, session, workspace);
}

/** The stack folder loaded as the tenant sees it: its config from the registry, the flags' variables and environment. */
export function loadTenantWorkspace(context: CommandContext, flags: Flags, session: TenantSession, root: string): Promise<Workspace> {
	const {tenantConfig: _ignored, tenantConfigPath: _path, ...base} = workspaceOptions(context, {...flags, tenantConfig: undefined});
	return loadWorkspace(root, {...base, tenantConfig: {config: session.config, file: session.configFile}});
}

/** The operation on an already loaded workspace, for a session already open (the workbench's services). */
export function stackOperationFor(context: CommandContext, session: TenantSession, workspace: Workspace): StackOperation {
	const aws = session.config.spec.aws;
	return {
		session,
		backend: session.backend,
		workspace,
		key: {tenant: session.tenant, stack: workspace.stack.name, environment: workspace.environment},
		tenantClients: session.clients.inTenantAccount(aws, `panka-${session.tenant}`),
		region: aws.region,
		accountId: aws.accountId,
		who: localIdentity(context),
	};
}
