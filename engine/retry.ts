/**
 * The one retry loop of the engine: run an attempt until it yields, waiting between attempts with
 * a doubling, capped delay, until a deadline or the abort signal. Polls (waiting for AWS to
 * converge), retries of transient refusals (IAM propagation, DependencyViolation, a role not yet
 * trusted) and the backoff of lock and log polls all take their delays from here.
 *
 * Invariants:
 * - Attempts start at once; the delay after the n-th failed attempt is `firstMs · 2ⁿ` capped at
 *   `maxMs` (never below `firstMs`), drawn from [half, full] when a `random` source is given.
 * - No delay runs past `deadline`: when the next delay would, the loop gives up instead, and the
 *   caller decides what that means (`giveUp`: a WaitTimeout, the last refusal, a failed check).
 * - A pending delay ends as soon as `signal` aborts, and the abort reason is thrown.
 * - Time and sleeping can be injected (tests pass fakes); by default Date.now and a timer.
 */
import {setTimeout as delay} from 'node:timers/promises';

/** Delays between attempts: doubling from `firstMs` up to `maxMs`. */
export interface Backoff {
	firstMs: number;
	maxMs: number;
}

export interface RetryPolicy extends Backoff {
	/** Epoch milliseconds: no delay runs past it. */
	deadline: number;
	signal?: AbortSignal;
	sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
	now?: () => number;
}

/** The delay after `failures` failed attempts (0: after the first); `random` in [0, 1) draws it from [half, full]. */
export function backoffDelay(backoff: Backoff, failures: number, random?: () => number): number {
	const full = Math.min(Math.max(backoff.firstMs, backoff.maxMs), backoff.firstMs * 2 ** Math.max(0, failures));
	return random ? Math.round(full * (0.5 + random() / 2)) : full;
}

/** Wait `ms`, or reject with the signal's reason as soon as it aborts. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
	return delay(ms, undefined, signal ? {signal} : {});
}

/**
 * Call `attempt` until it returns something other than undefined, and return that. When the next
 * delay would pass the deadline, return (or throw) what `giveUp` makes of it.
 */
export async function retryUntil<T>(policy: RetryPolicy, attempt: () => Promise<T | undefined>, giveUp: () => T): Promise<T> {
	const now = policy.now ?? Date.now;
	const sleep = policy.sleep ?? abortableSleep;
	for (let failures = 0; ; failures++) {
		policy.signal?.throwIfAborted();
		const result = await attempt();
		if (result !== undefined) return result;
		const wait = backoffDelay(policy, failures);
		if (now() + wait > policy.deadline) return giveUp();
		await sleep(wait, policy.signal);
	}
}

export interface RetryHooks {
	/** Called with each refusal that will be retried (progress text). */
	onRetry?(error: unknown): void;
	/** What to throw when time runs out, from the last refusal (default: the refusal itself). */
	giveUp?(lastError: unknown): never;
}

/** Run `run`, retrying while `isTransient(error)` within the policy; other errors fail at once. */
export async function retryWhile<T>(
	policy: RetryPolicy,
	isTransient: (error: unknown) => boolean,
	run: () => Promise<T>,
	hooks: RetryHooks = {},
): Promise<T> {
	let lastError: unknown;
	const outcome = await retryUntil<{value: T}>(
		policy,
		async () => {
			try {
				return {value: await run()};
			} catch (error) {
				if (!isTransient(error)) throw error;
				hooks.onRetry?.(error);
				lastError = error;
				return undefined;
			}
		},
		() => {
			if (hooks.giveUp) hooks.giveUp(lastError);
			throw lastError;
		},
	);
	return outcome.value;
}
