/**
 * Tenant secrets: random, shown once, stored as scrypt(+SHA-256) only, compared in constant time;
 * an unknown tenant costs the same scrypt work as a wrong secret and fails the same way.
 */
import * as crypto from 'node:crypto';
import {beforeEach, describe, expect, it, vi} from 'vitest';
import {
	defaultScryptParams,
	generateSecret,
	hashSecret,
	looksLikeSecret,
	newSessionToken,
	sessionTokenMatches,
	verifySecret,
} from '../../../engine/tenants/secrets.js';

vi.mock('node:crypto', async (importOriginal) => {
	const original = await importOriginal<typeof import('node:crypto')>();
	return {...original, scrypt: vi.fn(original.scrypt), timingSafeEqual: vi.fn(original.timingSafeEqual)};
});

describe('tenant secrets', () => {
	beforeEach(() => {
		vi.mocked(crypto.scrypt).mockClear();
		vi.mocked(crypto.timingSafeEqual).mockClear();
	});

	it('generates pnk_ + 32 random bytes in base64url, different every time', () => {
		const a = generateSecret();
		const b = generateSecret();
		expect(a).toMatch(/^pnk_[A-Za-z0-9_-]{43}$/);
		expect(Buffer.from(a.slice(4), 'base64url')).toHaveLength(32);
		expect(a).not.toBe(b);
		expect(looksLikeSecret(a)).toBe(true);
	});

	it('stores scrypt parameters, a per-secret salt and a hash that is not the secret', async () => {
		const secret = generateSecret();
		const first = await hashSecret(secret);
		const second = await hashSecret(secret);
		expect(first.record).toMatchObject({algorithm: 'scrypt', N: 2 ** 15, r: 8, p: 1, keyLength: 32});
		expect(defaultScryptParams.N).toBe(32768);
		expect(first.record.hash).not.toBe(secret);
		expect(JSON.stringify(first.record)).not.toContain(secret.slice(4));
		expect(JSON.stringify(first.record)).not.toContain(first.key.toString('base64url'));
		expect(first.record.salt).not.toBe(second.record.salt);
		expect(first.record.hash).not.toBe(second.record.hash);
	});

	it('verifies the right secret and returns the derived key', async () => {
		const secret = generateSecret();
		const {record, key} = await hashSecret(secret);
		expect((await verifySecret(secret, record))?.equals(key)).toBe(true);
	});

	it('refuses a wrong secret, a near miss and an empty one', async () => {
		const secret = generateSecret();
		const {record} = await hashSecret(secret);
		expect(await verifySecret(generateSecret(), record)).toBeUndefined();
		expect(await verifySecret(`${secret.slice(0, -1)}x`, record)).toBeUndefined();
		expect(await verifySecret('', record)).toBeUndefined();
	});

	it('does the same scrypt work and a constant-time compare for an unknown tenant, and fails', async () => {
		const {record} = await hashSecret(generateSecret());
		vi.mocked(crypto.scrypt).mockClear();
		await verifySecret(generateSecret(), record);
		const known = {
			scrypt: vi.mocked(crypto.scrypt).mock.calls.map((c) => c.slice(2, 4)),
			compares: vi.mocked(crypto.timingSafeEqual).mock.calls.length,
		};
		vi.mocked(crypto.scrypt).mockClear();
		vi.mocked(crypto.timingSafeEqual).mockClear();
		expect(await verifySecret(generateSecret(), undefined)).toBeUndefined();
		const unknown = {
			scrypt: vi.mocked(crypto.scrypt).mock.calls.map((c) => c.slice(2, 4)),
			compares: vi.mocked(crypto.timingSafeEqual).mock.calls.length,
		};
		expect(unknown).toEqual(known);
		expect(unknown.scrypt).toHaveLength(1);
		expect(unknown.compares).toBe(1);
	});

	it('session tokens: random, kept only as a hash, checked in constant time; a wrong, short or missing hash never passes', () => {
		const {token, hash} = newSessionToken();
		expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
		expect(hash).not.toContain(token);
		expect(newSessionToken().token).not.toBe(token);
		vi.mocked(crypto.timingSafeEqual).mockClear();
		expect(sessionTokenMatches(token, hash)).toBe(true);
		expect(sessionTokenMatches(newSessionToken().token, hash)).toBe(false);
		expect(sessionTokenMatches('', hash)).toBe(false);
		expect(sessionTokenMatches(token, undefined)).toBe(false);
		expect(sessionTokenMatches(token, 'AAAA')).toBe(false);
		expect(vi.mocked(crypto.timingSafeEqual)).toHaveBeenCalledTimes(5);
	});
});
