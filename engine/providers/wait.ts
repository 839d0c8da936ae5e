/**
 * Waiting for AWS to converge, with the context's wait settings and abort signal.
 *
 * Invariants:
 * - Every wait is bounded by `context.wait.maxWaitTime` and ends promptly when `context.signal`
 *   fires (second Ctrl-C): the pending delay is cancelled and the abort reason is thrown.
 * - Callers report `context.progress("waiting for …")` before they wait; the helpers do not,
 *   so the phase text stays in the provider that knows what it is waiting for.
 * - Polls start immediately and back off from `minDelay` to `maxDelay` seconds (doubling, the
 *   one retry loop in engine/retry.ts).
 * - The longest wait is per kind: `waitSettingsFor` lays the user's limits (`--wait-timeout 20m`,
 *   `--wait-timeout MicroService=45m`) over the base settings; a wait that gives up is a
 *   ProviderError with code `WaitTimeout` (SDK waiters too: awsError maps theirs).
 */
import {type RetryPolicy, retryUntil} from '../retry.js';
import {defaultWait, ProviderError, type ResourceContext, type WaitSettings} from './provider.js';

/** The user's limits on waits, in seconds: one for every kind, and per kind (which wins). */
export interface WaitTimeouts {
	all?: number;
	byKind?: Readonly<Record<string, number>>;
}

/** The wait settings of a step of `kind`: `base` (default: defaultWait) with the user's limit for that kind. */
export function waitSettingsFor(base: WaitSettings | undefined, timeouts: WaitTimeouts | undefined, kind: string): WaitSettings {
	const settings = base ?? defaultWait;
	const limit = timeouts?.byKind?.[kind] ?? timeouts?.all;
	return limit === undefined ? settings : {...settings, maxWaitTime: limit};
}

/** Options for an SDK v3 `waitUntil…` waiter: the client, the context's delays and signal. */
export function waiterOptions<Client>(context: ResourceContext, client: Client) {
	const {minDelay, maxDelay, maxWaitTime} = context.wait;
	return {client, minDelay, maxDelay: Math.max(minDelay, maxDelay), maxWaitTime, abortSignal: context.signal};
}

/**
 * Call `check` until it returns something other than undefined, and return that. Throws a
 * ProviderError (code `WaitTimeout`) naming `what` when maxWaitTime passes first.
 */
export function pollUntil<T>(context: ResourceContext, what: string, check: () => Promise<T | undefined>): Promise<T> {
	return retryUntil(retryPolicyOf(context), check, () => {
		throw new ProviderError(`gave up after ${context.wait.maxWaitTime}s waiting for ${what}`, 'WaitTimeout');
	});
}

/** The retry policy of a wait starting now: the wait settings' delays, its limit (or `maxSeconds`, if shorter) and signal. */
export function retryPolicyOf(scope: {wait: WaitSettings; signal: AbortSignal}, maxSeconds = scope.wait.maxWaitTime): RetryPolicy {
	const {minDelay, maxDelay, maxWaitTime} = scope.wait;
	const seconds = Math.min(maxWaitTime, maxSeconds);
	return {firstMs: minDelay * 1_000, maxMs: maxDelay * 1_000, deadline: Date.now() + seconds * 1_000, signal: scope.signal};
}
