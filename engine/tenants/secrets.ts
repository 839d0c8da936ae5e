/**
 * Tenant secrets: generated once, shown once, stored only as a slow hash.
 *
 *   secret   = "pnk_" + base64url(32 random bytes)                     (given to the tenant team)
 *   key      = scrypt(secret, salt, N=2^15, r=8, p=1, 32 bytes)        (the session key)
 *   hash     = SHA-256(key)                                            (all the registry stores)
 *
 * Invariants:
 * - The registry holds the salt, the scrypt parameters and `hash`; never the secret, never the key.
 *   The hash never equals the secret, and neither the secret nor the key can be recovered from it
 *   (a 256-bit random secret behind scrypt; a 256-bit key behind SHA-256).
 * - `panka login` does the slow scrypt once, then opens a session (sessions.ts): a random token
 *   in the 0600 session file, its SHA-256 in the backend. Neither the secret nor the key is ever
 *   written to the session file, and a token cannot be forged from what the backend holds.
 * - Comparisons use crypto.timingSafeEqual on equal-length buffers.
 * - Verifying against an unknown tenant does the same scrypt work with dummy parameters and then
 *   fails, so the time taken does not tell which tenant names exist.
 * - Parameters are stored per secret, so raising them later leaves old hashes verifiable.
 */
import {createHash, randomBytes, scrypt, timingSafeEqual} from 'node:crypto';
import {z} from '../zod.js';

export const secretPrefix = 'pnk_';
const secretBytes = 32;
const saltBytes = 16;

export const defaultScryptParams = {N: 2 ** 15, r: 8, p: 1, keyLength: 32} as const;

export const secretHashSchema = z.object({
	algorithm: z.literal('scrypt'),
	N: z.int().min(2),
	r: z.int().min(1),
	p: z.int().min(1),
	keyLength: z.int().min(16).max(64),
	/** base64url. */
	salt: z.string().min(1),
	/** base64url of SHA-256 over the scrypt-derived key. */
	hash: z.string().min(1),
});
export type SecretHash = z.output<typeof secretHashSchema>;

export function generateSecret(): string {
	return secretPrefix + randomBytes(secretBytes).toString('base64url');
}

/** Shape check only (no secret is ever compared this way). */
export function looksLikeSecret(text: string): boolean {
	return /^pnk_[A-Za-z0-9_-]{43}$/.test(text);
}

/** scrypt needs 128·N·r bytes; raise Node's 32 MiB default with headroom. */
function maxmem(params: Pick<SecretHash, 'N' | 'r'>): number {
	return 128 * params.N * params.r * 2;
}

export function deriveKey(secret: string, salt: Buffer, params: Pick<SecretHash, 'N' | 'r' | 'p' | 'keyLength'>): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		scrypt(secret, salt, params.keyLength, {N: params.N, r: params.r, p: params.p, maxmem: maxmem(params)}, (error, key) =>
			error ? reject(error) : resolve(key),
		);
	});
}

function sha256(data: Buffer): Buffer {
	return createHash('sha256').update(data).digest();
}

/** Hash a new secret: the record for the registry, and the derived key (the session key). */
export async function hashSecret(secret: string): Promise<{record: SecretHash; key: Buffer}> {
	const salt = randomBytes(saltBytes);
	const key = await deriveKey(secret, salt, defaultScryptParams);
	return {
		record: {algorithm: 'scrypt', ...defaultScryptParams, salt: salt.toString('base64url'), hash: sha256(key).toString('base64url')},
		key,
	};
}

const dummyRecord: SecretHash = {
	algorithm: 'scrypt',
	...defaultScryptParams,
	salt: Buffer.alloc(saltBytes, 7).toString('base64url'),
	hash: Buffer.alloc(32, 0).toString('base64url'),
};

/**
 * The derived key when `secret` matches `record`, else undefined. With no record (unknown or
 * deleted tenant) the same scrypt work runs against a dummy record, and fails.
 */
export async function verifySecret(secret: string, record: SecretHash | undefined): Promise<Buffer | undefined> {
	const used = record ?? dummyRecord;
	const key = await deriveKey(secret, Buffer.from(used.salt, 'base64url'), used);
	const matches = hashMatches(key, used.hash);
	return matches && record !== undefined ? key : undefined;
}

/** A new session token (base64url of 32 random bytes), and the hash the backend keeps of it. */
export function newSessionToken(): {token: string; hash: string} {
	const token = randomBytes(32).toString('base64url');
	return {token, hash: sha256(Buffer.from(token, 'base64url')).toString('base64url')};
}

/** A session token against the hash the backend keeps (undefined: no such session): fast, constant-time. */
export function sessionTokenMatches(token: string, hash: string | undefined): boolean {
	const matches = hashMatches(Buffer.from(token, 'base64url'), hash ?? dummyRecord.hash);
	return matches && hash !== undefined;
}

function hashMatches(key: Buffer, storedHash: string): boolean {
	const actual = sha256(key);
	const expected = Buffer.from(storedHash, 'base64url');
	// timingSafeEqual needs equal lengths; compare against ourselves and fail when lengths differ.
	const sameLength = expected.length === actual.length;
	return timingSafeEqual(actual, sameLength ? expected : actual) && sameLength;
}
