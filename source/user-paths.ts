/**
 * Where panka keeps its own files in the user's home, the one place that decides (XDG base
 * directories, with panka's earlier paths as fallbacks):
 *
 *   config (config.json: the remembered backend)
 *     $PANKA_CONFIG_DIR, else $XDG_CONFIG_HOME/panka, else ~/.config/panka
 *   state (session.json: the tenant session)
 *     $PANKA_CONFIG_DIR, else $XDG_STATE_HOME/panka, else the config folder (where it always was)
 *
 * An XDG variable that is empty or not an absolute path is ignored, as the specification says.
 * Every path comes from the command context (its env and HOME), never from process state, so tests
 * point HOME and the variables at temp folders.
 */
import os from 'node:os';
import path from 'node:path';
import type {CommandContext} from './context.js';

type PathContext = Pick<CommandContext, 'env' | 'cwd'>;

export function homeDir(context: Pick<CommandContext, 'env'>): string {
	return context.env.HOME || os.homedir();
}

/** `~` and `~/…` against the context's HOME. */
export function expandHome(context: Pick<CommandContext, 'env'>, p: string): string {
	return p === '~' || p.startsWith('~/') ? path.join(homeDir(context), p.slice(1)) : p;
}

function pankaConfigDir(context: PathContext): string | undefined {
	const dir = context.env.PANKA_CONFIG_DIR;
	return dir ? path.resolve(context.cwd, expandHome(context, dir)) : undefined;
}

/** `$XDG_…_HOME/panka` when the variable holds an absolute path. */
function xdgDir(context: PathContext, variable: 'XDG_CONFIG_HOME' | 'XDG_STATE_HOME'): string | undefined {
	const base = context.env[variable];
	return base && path.isAbsolute(base) ? path.join(base, 'panka') : undefined;
}

export function configDir(context: PathContext): string {
	return pankaConfigDir(context) ?? xdgDir(context, 'XDG_CONFIG_HOME') ?? path.join(homeDir(context), '.config', 'panka');
}

export function stateDir(context: PathContext): string {
	return pankaConfigDir(context) ?? xdgDir(context, 'XDG_STATE_HOME') ?? configDir(context);
}

export function userConfigPath(context: PathContext): string {
	return path.join(configDir(context), 'config.json');
}

export function sessionPath(context: PathContext): string {
	return path.join(stateDir(context), 'session.json');
}
