/**
 * Tenant login sessions as the backend records them: `tenants/{tenant}/sessions.json`, a list of
 * open sessions, each with its id, the SHA-256 of its token, the secret version it was opened
 * under, and when it was opened and expires.
 *
 * Invariants:
 * - The backend decides. A session is good only while its record is there, the token matches
 *   (constant time), the record's expiry has not passed and its secret version is the tenant's
 *   current one. The session file on the user's machine holds the id and the token and nothing
 *   that extends a session: editing its `expiresAt`, or keeping a copy after logout, gains nothing.
 * - Only the token's hash is stored; the token, the secret and the scrypt key never are.
 * - Changes are read → modify → compare-and-swap write, retried on a concurrent change, and every
 *   change drops the expired records, so the file holds only sessions still open. The stores keep
 *   earlier versions of it, like every other object of the backend.
 * - `endSession` (panka logout) removes the record: the session ends for every copy of the file.
 */
import {randomBytes} from 'node:crypto';
import {z} from '../zod.js';
import {compareAndSwap} from '../state/compare-and-swap.js';
import {type Backend, tenantSessionsKey} from '../state/backend.js';
import {AuthenticationError, TenantError} from './errors.js';
import {newSessionToken, sessionTokenMatches} from './secrets.js';

const sessionRecordSchema = z.looseObject({
	id: z.string().regex(/^[0-9a-f]{32}$/),
	/** base64url SHA-256 of the token. */
	tokenHash: z.string().min(1),
	secretVersion: z.int().min(1),
	createdAt: z.string(),
	expiresAt: z.string(),
	/** user@host that logged in. */
	openedBy: z.string().optional(),
});
export type SessionRecord = z.output<typeof sessionRecordSchema>;

const sessionsFileSchema = z.looseObject({
	kind: z.literal('TenantSessions'),
	sessions: z.array(sessionRecordSchema),
});
type SessionsFile = z.output<typeof sessionsFileSchema>;

/** What a session file presents to prove a session. */
export interface SessionClaim {
	tenant: string;
	id: string;
	token: string;
}

export interface OpenedSession {
	id: string;
	/** Shown to no one: it goes to the 0600 session file. */
	token: string;
	createdAt: string;
	expiresAt: string;
}

/** The session expired, or was ended (logout), or was dropped after it expired. */
export class SessionEndedError extends TenantError {
	constructor(message: string, tenant: string) {
		super(message, `you were logged in as tenant ${tenant}`);
		this.name = 'SessionEndedError';
	}
}

/** Record a new session for `tenant` (already authenticated), open from `now` for `ttlMs`. */
export async function openSession(
	backend: Backend,
	tenant: string,
	options: {secretVersion: number; now: Date; ttlMs: number; openedBy?: string},
): Promise<OpenedSession> {
	const {token, hash} = newSessionToken();
	const opened = {
		id: randomBytes(16).toString('hex'),
		token,
		createdAt: options.now.toISOString(),
		expiresAt: new Date(options.now.getTime() + options.ttlMs).toISOString(),
	};
	await updateSessions(backend, tenant, options.now, (sessions) => [
		...sessions,
		{
			id: opened.id,
			tokenHash: hash,
			secretVersion: options.secretVersion,
			createdAt: opened.createdAt,
			expiresAt: opened.expiresAt,
			...(options.openedBy ? {openedBy: options.openedBy} : {}),
		},
	]);
	return opened;
}

/**
 * The record of a claimed session, if the backend says it is open at `now`. A token that does not
 * match is the generic AuthenticationError; a session past its recorded expiry, ended or dropped is
 * SessionEndedError.
 */
export async function findSession(backend: Backend, claim: SessionClaim, now: Date): Promise<SessionRecord> {
	const {sessions} = await readSessions(backend, claim.tenant);
	const record = sessions.find((s) => s.id === claim.id);
	if (!sessionTokenMatches(claim.token, record?.tokenHash)) {
		if (!record) throw new SessionEndedError('session ended (logged out, or expired): run panka login again', claim.tenant);
		throw new AuthenticationError();
	}
	if (!(Date.parse(record!.expiresAt) > now.getTime()))
		throw new SessionEndedError(`session expired at ${record!.expiresAt}: run panka login again`, claim.tenant);
	return record!;
}

/** Remove a session's record (logout); false when there was none to remove. */
export async function endSession(backend: Backend, claim: SessionClaim, now: Date): Promise<boolean> {
	let removed = false;
	await updateSessions(backend, claim.tenant, now, (sessions) => {
		const kept = sessions.filter((s) => !(s.id === claim.id && sessionTokenMatches(claim.token, s.tokenHash)));
		removed = kept.length < sessions.length;
		return kept;
	});
	return removed;
}

async function readSessions(backend: Backend, tenant: string): Promise<{sessions: SessionRecord[]; etag?: string}> {
	const key = tenantSessionsKey(tenant);
	const blob = await backend.store.get(key);
	if (!blob) return {sessions: []};
	let json: unknown;
	try {
		json = JSON.parse(blob.body);
	} catch {
		json = undefined;
	}
	const parsed = sessionsFileSchema.safeParse(json);
	if (!parsed.success)
		throw new TenantError(
			`${key} on ${backend.description} is not a sessions file`,
			'every tenant session fails until it is fixed; an admin can delete it (everyone then logs in again)',
		);
	return {sessions: parsed.data.sessions, etag: blob.etag};
}

/** Read → change (expired records already dropped) → compare-and-swap write, a few attempts. */
async function updateSessions(
	backend: Backend,
	tenant: string,
	now: Date,
	change: (open: SessionRecord[]) => SessionRecord[],
	attempts = 5,
): Promise<void> {
	await compareAndSwap(
		backend.store,
		tenantSessionsKey(tenant),
		async () => {
			const {sessions, etag} = await readSessions(backend, tenant);
			const open = sessions.filter((s) => Date.parse(s.expiresAt) > now.getTime());
			const file: SessionsFile = {kind: 'TenantSessions', sessions: change(open)};
			return {body: `${JSON.stringify(file, null, 2)}\n`, ...(etag !== undefined ? {etag} : {}), result: undefined};
		},
		{attempts},
	);
}
