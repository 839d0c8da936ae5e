/**
 * From command-line flags and environment to the engine's WorkspaceOptions: the one place that
 * decides which folder, tenant config, variables and environment a command works on.
 */
import path from 'node:path';
import {loadWorkspace, type Workspace, type WorkspaceOptions} from '../engine/workspace.js';
import type {CommandContext} from './context.js';
import {type Flags, parseVarFlags} from './flags.js';

export function stackFolderArg(context: CommandContext, folder: string | undefined): string {
	return path.resolve(context.cwd, folder ?? '.');
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

export function loadWorkspaceFromFlags(context: CommandContext, folder: string | undefined, flags: Flags): Promise<Workspace> {
	return loadWorkspace(stackFolderArg(context, folder), workspaceOptions(context, flags));
}

/** A stack-relative file as the user should see it: relative to where they ran panka. */
export function displayFile(context: CommandContext, workspaceRoot: string, file: string): string {
	const absolute = path.resolve(workspaceRoot, file);
	const relative = path.relative(context.cwd, absolute) || '.';
	return relative.split(path.sep).filter((part) => part === '..').length > 2 ? absolute : relative;
}
