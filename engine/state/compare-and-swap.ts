/**
 * Read → change → conditional write, again when someone else wrote in between: the one
 * compare-and-swap loop for objects panka edits in place (the tenant registry, a tenant's
 * sessions file).
 *
 * Invariants:
 * - Each attempt reads afresh (`revise`) and writes on condition of what it read: `ifMatch` its
 *   etag, or create-only when there was nothing. A concurrent write is never overwritten.
 * - Only a refused condition (PreconditionFailedError) is tried again; any other failure, one
 *   thrown by `revise` included, ends the loop with nothing written.
 * - At most `attempts` attempts (default 5), with a jittered, doubling delay from engine/retry.ts
 *   between them so contending writers spread out; then `contended` says what giving up means
 *   (default: the last refusal itself).
 */
import {abortableSleep, type Backoff, backoffDelay} from '../retry.js';
import {type BlobStore, PreconditionFailedError} from './blob-store.js';

/** What one attempt read and made of it: the body to write, the etag it read (none: the object was not there), the result. */
export interface Revision<T> {
	body: string;
	etag?: string;
	result: T;
}

export interface CompareAndSwapOptions {
	attempts?: number;
	/** What to throw when every attempt was refused. */
	contended?: (attempts: number, lastRefusal: PreconditionFailedError) => Error;
	backoff?: Backoff;
	signal?: AbortSignal;
	sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
	random?: () => number;
}

export const compareAndSwapBackoff: Backoff = {firstMs: 25, maxMs: 800};

/** Write `key` from what `revise` made of a fresh read; returns the result of the attempt that landed. */
export async function compareAndSwap<T>(
	store: BlobStore,
	key: string,
	revise: () => Promise<Revision<T>>,
	options: CompareAndSwapOptions = {},
): Promise<T> {
	const attempts = options.attempts ?? 5;
	const sleep = options.sleep ?? abortableSleep;
	for (let attempt = 1; ; attempt++) {
		options.signal?.throwIfAborted();
		const {body, etag, result} = await revise();
		try {
			await store.put(key, body, etag !== undefined ? {ifMatch: etag} : {ifNoneMatch: true});
			return result;
		} catch (error) {
			if (!(error instanceof PreconditionFailedError)) throw error;
			if (attempt >= attempts) throw options.contended ? options.contended(attempts, error) : error;
		}
		await sleep(backoffDelay(options.backoff ?? compareAndSwapBackoff, attempt - 1, options.random ?? Math.random), options.signal);
	}
}
