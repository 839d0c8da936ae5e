/**
 * The tenant session file, `$PANKA_CONFIG_DIR/session.json` (default ~/.config/panka/), written by
 * `panka login` and removed by `panka logout`.
 *
 *   {version, tenant, backend, backendDescription, secretVersion, key, createdAt, expiresAt}
 *
 * Invariants:
 * - The file is written 0600 (temp file + rename) and holds the session key derived from the
 *   secret (engine/tenants/secrets.ts), never the secret itself. The key is a credential: a session
 *   file that other users can read is refused, not used (the message says how to fix it).
 * - A session lasts 12 hours; an expired one is refused with "session expired".
 * - This module only reads and writes the file. Whether the session is still good (tenant
 *   suspended, secret rotated) is decided against the registry on every command, in
 *   tenant-session.ts. No AWS SDK is loaded here: commands without a session stay fast.
 */
import {readFile, rm, stat} from 'node:fs/promises';
import path from 'node:path';
import {writePrivateFile} from '../engine/state/private-file.js';
import {configDir} from './backend-selection.js';
import type {CommandContext} from './context.js';

export const sessionTtlMs = 12 * 60 * 60 * 1000;

export interface SessionFile {
	version: 1;
	tenant: string;
	/** s3://bucket/prefix or an absolute folder: the backend the session was opened on. */
	backend: string;
	/** The S3 bucket's region, when known. */
	backendRegion?: string;
	backendDescription: string;
	secretVersion: number;
	/** base64url session key (proves the secret was known at login). */
	key: string;
	createdAt: string;
	expiresAt: string;
}

/** A session file problem: unusable as it is; the message says what to do. */
export class SessionFileError extends Error {
	constructor(
		message: string,
		readonly hint?: string,
	) {
		super(message);
		this.name = 'SessionFileError';
	}
}

export function sessionPath(context: Pick<CommandContext, 'env' | 'cwd'>): string {
	return path.join(configDir(context), 'session.json');
}

/** Cheap check (no parsing, no AWS): is there a session file at all? */
export async function sessionFileExists(context: Pick<CommandContext, 'env' | 'cwd'>): Promise<boolean> {
	return stat(sessionPath(context)).then(
		() => true,
		() => false,
	);
}

/**
 * The session, or undefined when not logged in. A file readable by group or others, a corrupt
 * one, or an expired one throws SessionFileError (`now` is the clock, for expiry).
 */
export async function readSession(context: Pick<CommandContext, 'env' | 'cwd'>, now = Date.now()): Promise<SessionFile | undefined> {
	const file = sessionPath(context);
	let mode: number;
	try {
		mode = (await stat(file)).mode;
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
		throw new SessionFileError(`cannot read the session file ${file}: ${(error as Error).message}`);
	}
	if ((mode & 0o077) !== 0)
		throw new SessionFileError(
			`the session file ${file} is readable by other users (mode ${(mode & 0o777).toString(8).padStart(3, '0')}): refusing to use it`,
			`its key may have been seen: run panka logout, then panka login (or chmod 600 ${file} if you are sure nobody read it)`,
		);
	let session: SessionFile;
	try {
		session = parseSession(JSON.parse(await readFile(file, 'utf8')));
	} catch (error) {
		throw new SessionFileError(`the session file ${file} is corrupt: ${(error as Error).message}`, 'run panka logout, then panka login');
	}
	if (Date.parse(session.expiresAt) <= now)
		throw new SessionFileError(
			`session expired at ${session.expiresAt}: run panka login again`,
			`you were logged in as tenant ${session.tenant}`,
		);
	return session;
}

function parseSession(value: unknown): SessionFile {
	const v = value as Partial<SessionFile> | null;
	if (!v || typeof v !== 'object') throw new Error('not a JSON object');
	for (const field of ['tenant', 'backend', 'backendDescription', 'key', 'createdAt', 'expiresAt'] as const)
		if (typeof v[field] !== 'string' || v[field] === '') throw new Error(`"${field}" is missing`);
	if (v.version !== 1) throw new Error(`unknown session version ${String(v.version)}`);
	if (typeof v.secretVersion !== 'number' || !Number.isInteger(v.secretVersion)) throw new Error('"secretVersion" is missing');
	if (Number.isNaN(Date.parse(v.expiresAt!))) throw new Error('"expiresAt" is not a time');
	return v as SessionFile;
}

export async function writeSession(context: Pick<CommandContext, 'env' | 'cwd'>, session: SessionFile): Promise<string> {
	const file = sessionPath(context);
	await writePrivateFile(file, `${JSON.stringify(session, null, 2)}\n`);
	return file;
}

/** Remove the session file; true when there was one. */
export async function removeSession(context: Pick<CommandContext, 'env' | 'cwd'>): Promise<boolean> {
	const file = sessionPath(context);
	const existed = await sessionFileExists(context);
	await rm(file, {force: true});
	return existed;
}
