/**
 * Which backend a command works on, and who is running it.
 *
 * Backend, first match wins:
 *   1. `--backend s3://bucket/prefix` or `--home DIR` (admin commands and login)
 *   2. `PANKA_BACKEND` (s3://… or a folder path)
 *   3. the user config file, `config.json` in the config folder (user-paths.ts), written by
 *      `panka admin init` and `panka login` so later commands find the same backend
 *   4. `$PANKA_HOME`
 *   5. `~/.panka`
 *
 * An S3 backend's bucket region is recorded next to it (config file, session) by admin init, so
 * later commands talk to the bucket in its region whatever AWS_REGION says.
 *
 * Every path comes from the command context (its env and HOME), never from process state, so tests
 * point HOME, PANKA_HOME and PANKA_CONFIG_DIR (or XDG_CONFIG_HOME) at temp folders. The AWS SDK is loaded only when an
 * S3 backend is actually opened.
 */
import os from 'node:os';
import path from 'node:path';
import type {AwsClients, Backend, BackendSpec} from '../engine/backends.js';
import {BackendError, maxSettingsFileBytes, readTextFile, writePrivateFile} from '../engine/index.js';
import type {CommandContext} from './context.js';
import {UsageError} from './errors.js';
import {expandHome, homeDir, userConfigPath} from './user-paths.js';
import type {Flags} from './flags.js';

export interface BackendChoice {
	spec: BackendSpec;
	/** Where the choice came from, for messages: `--backend`, `PANKA_BACKEND`, `config file …`. */
	source: string;
}

/** `s3://…` → S3; anything else is a folder path (relative to the working folder, `~` expanded). */
export async function parseBackendText(context: Pick<CommandContext, 'env' | 'cwd'>, text: string, origin: string): Promise<BackendSpec> {
	const value = text.trim();
	if (value === '') throw new UsageError(`${origin} is empty`);
	if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
		if (!value.startsWith('s3://')) throw new UsageError(`${origin} ${value}: only s3://bucket/prefix URLs or folder paths are backends`);
		const {parseBackendUrl} = await import('../engine/backends.js');
		try {
			return parseBackendUrl(value);
		} catch (error) {
			throw new UsageError(`${origin}: ${(error as Error).message}`, (error as {hint?: string}).hint);
		}
	}
	return {kind: 'local', home: path.resolve(context.cwd, expandHome(context, value))};
}

/** The text that selects `spec` again: an s3:// URL or an absolute folder. */
export function backendText(spec: BackendSpec): string {
	return spec.kind === 'local' ? spec.home : `s3://${spec.bucket}${spec.prefix ? `/${spec.prefix}` : ''}`;
}

export interface UserConfig {
	/** s3://bucket/prefix or an absolute folder. */
	backend?: string;
	/** The S3 bucket's region, when known (admin init records it): S3 clients talk to it there. */
	region?: string;
	updatedAt?: string;
}

/** The user config, or undefined when there is none; a broken file is an error naming it. */
export async function readUserConfig(context: Pick<CommandContext, 'env' | 'cwd'>): Promise<UserConfig | undefined> {
	const file = userConfigPath(context);
	const read = await readTextFile(file, file, {maxBytes: maxSettingsFileBytes});
	if (!read.ok) {
		if (read.missing) return undefined;
		throw new UsageError(`cannot read ${file}: ${read.diagnostic.message}`);
	}
	try {
		const value = JSON.parse(read.text) as unknown;
		if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error('not a JSON object');
		const backend = (value as {backend?: unknown}).backend;
		if (backend !== undefined && typeof backend !== 'string') throw new Error('"backend" must be a string');
		return value as UserConfig;
	} catch (error) {
		throw new UsageError(
			`${file} is not a valid panka config: ${(error as Error).message}`,
			`fix or delete it; panka admin init and panka login write it`,
		);
	}
}

/** Record the backend in the user config (0600, written atomically), keeping other fields. */
export async function writeUserConfig(context: Pick<CommandContext, 'env' | 'cwd'>, spec: BackendSpec, now = new Date()): Promise<string> {
	const file = userConfigPath(context);
	const current = (await readUserConfig(context).catch(() => undefined)) ?? {};
	const {region: _old, ...rest} = current;
	const region = spec.kind === 's3' ? spec.region : undefined;
	await writePrivateFile(
		file,
		`${JSON.stringify({...rest, backend: backendText(spec), ...(region ? {region} : {}), updatedAt: now.toISOString()}, null, 2)}\n`,
	);
	return file;
}

export async function selectBackend(context: CommandContext, flags: Pick<Flags, 'backend' | 'home'>): Promise<BackendChoice> {
	if (flags.backend !== undefined && flags.home !== undefined) throw new UsageError('pass --backend or --home, not both');
	if (flags.backend !== undefined) {
		if (!flags.backend.startsWith('s3://'))
			throw new UsageError(`--backend ${flags.backend}: expected s3://bucket/prefix`, 'for a local folder, pass --home DIR');
		return {spec: await parseBackendText(context, flags.backend, '--backend'), source: '--backend'};
	}
	if (flags.home !== undefined) {
		if (flags.home.startsWith('s3://'))
			throw new UsageError(`--home ${flags.home}: --home takes a folder`, 'for S3, pass --backend s3://bucket/prefix');
		return {spec: await parseBackendText(context, flags.home, '--home'), source: '--home'};
	}
	if (context.env.PANKA_BACKEND)
		return {spec: await parseBackendText(context, context.env.PANKA_BACKEND, 'PANKA_BACKEND'), source: 'PANKA_BACKEND'};
	const config = await readUserConfig(context);
	if (config?.backend) {
		const spec = await parseBackendText(context, config.backend, `backend in ${userConfigPath(context)}`);
		return {
			spec: spec.kind === 's3' && typeof config.region === 'string' ? {...spec, region: config.region} : spec,
			source: `config file ${userConfigPath(context)}`,
		};
	}
	if (context.env.PANKA_HOME) return {spec: await parseBackendText(context, context.env.PANKA_HOME, 'PANKA_HOME'), source: 'PANKA_HOME'};
	return {spec: {kind: 'local', home: path.join(homeDir(context), '.panka')}, source: 'default (~/.panka)'};
}

export interface OpenedBackend {
	backend: Backend;
	/** The caller's AWS clients (also for a local backend: tenant work still talks to AWS). */
	clients: AwsClients;
	choice: BackendChoice;
}

export interface RegionChoice {
	/** Used only when AWS_REGION / AWS_DEFAULT_REGION are unset. */
	fallback?: string;
	/** Wins over the environment (admin init --region: where the bucket goes). Else an S3 spec's own region wins. */
	region?: string;
}

/** Open a backend spec with the caller's AWS identity (loads the SDK). */
export async function openBackendSpec(
	context: CommandContext,
	spec: BackendSpec,
	regions: RegionChoice = {},
): Promise<{backend: Backend; clients: AwsClients}> {
	const [{openBackend}, {AwsClients}, {awsSettingsFromEnv}] = await Promise.all([
		import('../engine/backends.js'),
		import('../engine/backends.js'),
		import('./aws-settings.js'),
	]);
	const settings = await awsSettingsFromEnv(context.env, regions.fallback);
	const region = regions.region ?? (spec.kind === 's3' ? spec.region : undefined);
	const clients = new AwsClients(region ? {...settings, region} : settings);
	return {backend: openBackend(spec, clients), clients};
}

export async function openSelectedBackend(
	context: CommandContext,
	flags: Pick<Flags, 'backend' | 'home'>,
	regions: RegionChoice = {},
): Promise<OpenedBackend> {
	const choice = await selectBackend(context, flags);
	return {...(await openBackendSpec(context, choice.spec, regions)), choice};
}

/** user@host of whoever runs panka: the admin identity on a local backend. */
export function localIdentity(context: Pick<CommandContext, 'env'>): string {
	let user: string | undefined;
	try {
		user = os.userInfo().username;
	} catch {
		user = context.env.USER ?? context.env.LOGNAME;
	}
	return `${user || 'unknown'}@${os.hostname()}`;
}

/** The admin identity for a backend: the STS caller ARN for S3, user@host for a local folder. */
export async function callerIdentity(context: CommandContext, backend: Backend, clients: AwsClients): Promise<string> {
	if (backend.spec.kind === 'local') return localIdentity(context);
	const {callerIdentityOf} = await import('../engine/backends.js');
	try {
		return (await callerIdentityOf(clients)).arn;
	} catch (error) {
		throw new BackendError(
			`cannot tell who you are on AWS (sts:GetCallerIdentity): ${(error as Error).message}`,
			'check the AWS credentials (AWS_PROFILE, AWS_ACCESS_KEY_ID) and AWS_REGION',
		);
	}
}
