/**
 * Black-box runs of the built binary (dist/bin/cli.js, the bundle `panka` ships), as a user's shell would run it:
 * a real process, real files, no TTY, CI unset unless the test sets it.
 */
import {spawnSync} from 'node:child_process';
import {mkdtempSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {repoRoot} from './stack-fixture.js';

export const cliPath = path.join(repoRoot, 'dist', 'bin', 'cli.js');
/** The unbundled build the bundle is made from (tsc's output): its modules are still files, for tests that trace which ones load. */
export const unbundledCliPath = path.join(repoRoot, 'dist', 'source', 'cli.js');

export interface CliResult {
	code: number | null;
	stdout: string;
	stderr: string;
}

export interface RunCliOptions {
	cwd?: string;
	env?: Record<string, string | undefined>;
	input?: string;
	/** Arguments for node itself, before the script (`--import` a preload). */
	nodeArgs?: string[];
	/** A command the node process is run through (`setpriv --reuid=…`). */
	through?: string[];
	/** The script to run instead of the bundle (`unbundledCliPath`). */
	script?: string;
}

export function runCli(args: string[], options: RunCliOptions = {}): CliResult {
	const env: Record<string, string | undefined> = {...process.env, ...hermetic(), NO_COLOR: '1', FORCE_COLOR: undefined, ...options.env};
	for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
	const [command, ...prefix] = [...(options.through ?? []), process.execPath];
	const result = spawnSync(command!, [...prefix, ...(options.nodeArgs ?? []), options.script ?? cliPath, ...args], {
		cwd: options.cwd ?? repoRoot,
		env: env as NodeJS.ProcessEnv,
		input: options.input ?? '',
		encoding: 'utf8',
		timeout: 30_000,
	});
	return {code: result.status, stdout: result.stdout, stderr: result.stderr};
}

let isolatedHome: string | undefined;

/**
 * Nothing of the developer's own panka setup leaks in: a throwaway HOME, PANKA_HOME and config dir
 * (unless a test passes its own), no tenant, backend or tenant config from the environment, and
 * no instance-metadata lookup for AWS credentials.
 */
function hermetic(): Record<string, string | undefined> {
	isolatedHome ??= mkdtempSync(path.join(os.tmpdir(), 'panka-cli-home-'));
	return {
		HOME: isolatedHome,
		PANKA_HOME: path.join(isolatedHome, '.panka'),
		PANKA_CONFIG_DIR: path.join(isolatedHome, '.config', 'panka'),
		PANKA_TENANT: undefined,
		PANKA_TENANT_SECRET: undefined,
		PANKA_BACKEND: undefined,
		PANKA_TENANT_CONFIG: undefined,
		// No AWS credentials here: the SDK must not go looking for them on the EC2 metadata address.
		AWS_EC2_METADATA_DISABLED: 'true',
	};
}

/** No stack trace ever reaches the user: node's "    at fn (file:line)" frames. */
export function hasStackTrace(text: string): boolean {
	return /^\s+at .+[(:]\d+/m.test(text);
}
