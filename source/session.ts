/**
 * The tenant session file, `$PANKA_CONFIG_DIR/session.json` (default ~/.config/panka/), written by
 * `panka login` and removed by `panka logout`.
 *
 *   {version: 2, tenant, backend, backendDescription, sessionId, token, createdAt, expiresAt}
 *
 * Invariants:
 * - The file is written 0600 (temp file + rename) and holds the session's id and token
 *   (engine/tenants/sessions.ts), never the secret or a key derived from it. The token is a
 *   credential: a session file that other users can read is refused, not used (the message says
 *   how to fix it).
 * - A session lasts 12 hours, and the backend's record of it says so: `expiresAt` here is a copy
 *   for messages. A file that says it expired is refused at once; a file that says it has not
 *   proves nothing (tenant-session.ts asks the backend on every command).
 * - This module only reads and writes the file. No AWS SDK is loaded here: commands without a
 *   session stay fast.
 */
import {rm, stat} from 'node:fs/promises';
import path from 'node:path';
import {maxSettingsFileBytes, readTextFile, writePrivateFile} from '../engine/index.js';
import {configDir} from './backend-selection.js';
import type {CommandContext} from './context.js';

export const sessionTtlMs = 12 * 60 * 60 * 1000;

export interface SessionFile {
	version: 2;
	tenant: string;
	/** s3://bucket/prefix or an absolute folder: the backend the session was opened on. */
	backend: string;
	/** The S3 bucket's region, when known. */
	backendRegion?: string;
	backendDescription: string;
	/** The session's record on the backend (engine/tenants/sessions.ts). */
	sessionId: string;
	/** base64url session token; the backend keeps only its hash. */
	token: string;
	createdAt: string;
	/** A copy of the backend record's expiry, for messages; the backend's is the one that counts. */
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
			`its token may have been seen: run panka logout (it ends the session on the backend), then panka login (or chmod 600 ${file} if you are sure nobody read it)`,
		);
	const session = await readSessionFile(context);
	if (!session) return undefined;
	if (Date.parse(session.expiresAt) <= now)
		throw new SessionFileError(
			`session expired at ${session.expiresAt}: run panka login again`,
			`you were logged in as tenant ${session.tenant}`,
		);
	return session;
}

/**
 * The session file as written, with no check of its mode or expiry (logout ends even a session
 * whose file was exposed); undefined when there is none. Unreadable or corrupt: SessionFileError.
 */
export async function readSessionFile(context: Pick<CommandContext, 'env' | 'cwd'>): Promise<SessionFile | undefined> {
	const file = sessionPath(context);
	const read = await readTextFile(file, file, {maxBytes: maxSettingsFileBytes});
	if (!read.ok) {
		if (read.missing) return undefined;
		throw new SessionFileError(`the session file ${file} cannot be used: ${read.diagnostic.message}`, 'run panka logout, then panka login');
	}
	try {
		return parseSession(JSON.parse(read.text));
	} catch (error) {
		throw new SessionFileError(`the session file ${file} is corrupt: ${(error as Error).message}`, 'run panka logout, then panka login');
	}
}

function parseSession(value: unknown): SessionFile {
	const v = value as Partial<SessionFile> | null;
	if (!v || typeof v !== 'object') throw new Error('not a JSON object');
	if ((v as {version?: unknown}).version === 1) throw new Error('it was written by an older panka');
	if (v.version !== 2) throw new Error(`unknown session version ${String(v.version)}`);
	for (const field of ['tenant', 'backend', 'backendDescription', 'sessionId', 'token', 'createdAt', 'expiresAt'] as const)
		if (typeof v[field] !== 'string' || v[field] === '') throw new Error(`"${field}" is missing`);
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
