/**
 * From command-line flags and environment to the engine's WorkspaceOptions: the one place that
 * decides which folder, tenant config, variables and environment a command works on.
 *
 * The tenant config, first match wins: `--tenant-config FILE` (or PANKA_TENANT_CONFIG); the
 * logged-in tenant's config from the registry (a session, or PANKA_TENANT + PANKA_TENANT_SECRET);
 * none (validate then says networking and limits are not checked). With a tenant, a stack whose
 * metadata.tenant names another tenant gets the engine's tenant-mismatch error.
 */
import path from 'node:path';
import {findStackRoot, loadWorkspace, type Workspace, type WorkspaceOptions} from '../engine/index.js';
import type {CommandContext} from './context.js';
import {type Flags, parseVarFlags} from './flags.js';
import {sessionTenantConfig} from './tenant-session.js';

/**
 * The stack a command's folder argument means (default: where panka runs): a stack folder, a stack
 * file (the whole stack in one YAML file), or the stack folder above it, found as git finds its
 * repository, so `panka plan` works from `services/api` too.
 */
export function stackFolderArg(context: CommandContext, folder: string | undefined): Promise<string> {
	return findStackRoot(path.resolve(context.cwd, folder ?? '.'));
}

export function workspaceOptions(context: CommandContext, flags: Flags): WorkspaceOptions {
	const tenantConfig = flags.tenantConfig ?? context.env.PANKA_TENANT_CONFIG;
	return {
		vars: parseVarFlags(flags.var),
		env: context.env,
		...(flags.env ? {environment: flags.env} : {}),
		...(tenantConfig ? {tenantConfigPath: path.resolve(context.cwd, tenantConfig)} : {}),
	};
}

/** workspaceOptions plus the logged-in tenant's config when no --tenant-config was given. */
export async function resolveWorkspaceOptions(context: CommandContext, flags: Flags): Promise<WorkspaceOptions> {
	const options = workspaceOptions(context, flags);
	if (options.tenantConfigPath) return options;
	const tenantConfig = await sessionTenantConfig(context);
	return tenantConfig ? {...options, tenantConfig} : options;
}

export async function loadWorkspaceFromFlags(context: CommandContext, folder: string | undefined, flags: Flags): Promise<Workspace> {
	const [target, options] = await Promise.all([stackFolderArg(context, folder), resolveWorkspaceOptions(context, flags)]);
	return loadWorkspace(target, options);
}

/** A stack-relative file as the user should see it: relative to where they ran panka. */
export function displayFile(context: CommandContext, workspaceRoot: string, file: string): string {
	// A tenant config from the registry is named `tenants/x/tenant.yaml on s3://…`: not a local path.
	if (file.includes(' on ')) return file;
	const absolute = path.resolve(workspaceRoot, file);
	const relative = path.relative(context.cwd, absolute) || '.';
	return relative.split(path.sep).filter((part) => part === '..').length > 2 ? absolute : relative;
}
