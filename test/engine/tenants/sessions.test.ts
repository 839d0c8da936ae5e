/**
 * Tenant sessions as the backend records them, on both backends: the backend's record decides
 * when a session ends (nothing the session file says extends it), logout ends it for every copy,
 * only the token's hash is stored, expired records are dropped, and concurrent logins all count.
 */
import {describe, expect, it} from 'vitest';
import {type Backend, tenantSessionsKey} from '../../../engine/state/backend.js';
import {AuthenticationError} from '../../../engine/tenants/errors.js';
import {endSession, findSession, openSession, type SessionClaim, SessionEndedError} from '../../../engine/tenants/sessions.js';
import {backendKinds, useBackend} from '../../helpers/backend-fixture.js';

const hour = 3_600_000;
const loginAt = new Date('2026-11-26T10:00:00.000Z');
const later = (ms: number) => new Date(loginAt.getTime() + ms);

async function open(backend: Backend, at = loginAt): Promise<SessionClaim> {
	const session = await openSession(backend, 'acme', {secretVersion: 1, now: at, ttlMs: 12 * hour, openedBy: 'me@laptop'});
	return {tenant: 'acme', id: session.id, token: session.token};
}

async function recorded(backend: Backend): Promise<Array<{id: string; expiresAt: string}>> {
	const blob = await backend.store.get(tenantSessionsKey('acme'));
	return blob ? JSON.parse(blob.body).sessions : [];
}

describe.each(backendKinds)('%s backend: tenant sessions', (kind) => {
	const fixture = useBackend(kind);

	it('a session is open until the expiry its record holds, then refused with when it expired', async () => {
		const {backend} = fixture;
		const claim = await open(backend);
		expect(await findSession(backend, claim, later(11 * hour))).toMatchObject({id: claim.id, secretVersion: 1, openedBy: 'me@laptop'});
		const expired = await findSession(backend, claim, later(12 * hour)).catch((e: unknown) => e);
		expect(expired).toBeInstanceOf(SessionEndedError);
		expect((expired as Error).message).toBe('session expired at 2026-11-26T22:00:00.000Z: run panka login again');
	});

	it('stores the token only as its hash; a wrong token is the generic authentication error', async () => {
		const {backend} = fixture;
		const claim = await open(backend);
		expect((await backend.store.get(tenantSessionsKey('acme')))!.body).not.toContain(claim.token);
		const other = await open(backend);
		await expect(findSession(backend, {...claim, token: other.token}, loginAt)).rejects.toBeInstanceOf(AuthenticationError);
		await expect(findSession(backend, {...claim, id: 'f'.repeat(32)}, loginAt)).rejects.toThrow(/session ended/);
	});

	it('ending a session removes its record: a copy of the claim no longer works; other sessions stay open', async () => {
		const {backend} = fixture;
		const mine = await open(backend);
		const theirs = await open(backend);
		expect(await endSession(backend, {...mine, token: theirs.token}, loginAt)).toBe(false); // only with its own token
		expect(await endSession(backend, mine, loginAt)).toBe(true);
		await expect(findSession(backend, mine, loginAt)).rejects.toThrow('session ended (logged out, or expired): run panka login again');
		expect((await findSession(backend, theirs, loginAt)).id).toBe(theirs.id);
		expect(await endSession(backend, mine, loginAt)).toBe(false);
	});

	it('drops expired records whenever the list changes, so it holds only open sessions', async () => {
		const {backend} = fixture;
		const first = await open(backend, loginAt);
		const second = await open(backend, later(6 * hour));
		const third = await open(backend, later(13 * hour)); // the first expired an hour ago
		expect((await recorded(backend)).map((r) => r.id)).toEqual([second.id, third.id]);
		await expect(findSession(backend, first, later(13 * hour))).rejects.toThrow(/session ended/);
	});

	it('logins at the same moment are all recorded (compare-and-swap, retried)', async () => {
		const {backend} = fixture;
		const claims = await Promise.all(Array.from({length: 4}, () => open(backend)));
		expect((await recorded(backend)).map((r) => r.id).sort()).toEqual(claims.map((c) => c.id).sort());
	});

	it('a sessions file that is not one is an error naming it, never treated as empty', async () => {
		const {backend} = fixture;
		const claim = await open(backend);
		await backend.store.put(tenantSessionsKey('acme'), '{"kind": "Something"}');
		await expect(findSession(backend, claim, loginAt)).rejects.toThrow(/tenants\/acme\/sessions\.json on .* is not a sessions file/);
		await expect(open(backend)).rejects.toThrow(/is not a sessions file/);
	});
});
