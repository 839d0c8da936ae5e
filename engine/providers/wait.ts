/**
 * Waiting for AWS to converge, with the context's wait settings and abort signal.
 *
 * Invariants:
 * - Every wait is bounded by `context.wait.maxWaitTime` and ends promptly when `context.signal`
 *   fires (second Ctrl-C): the pending delay is cancelled and the abort reason is thrown.
 * - Callers report `context.progress("waiting for …")` before they wait; the helpers do not,
 *   so the phase text stays in the provider that knows what it is waiting for.
 * - Polls start immediately and back off from `minDelay` to `maxDelay` seconds (doubling).
 * - The longest wait is per kind: `waitSettingsFor` lays the user's limits (`--wait-timeout 20m`,
 *   `--wait-timeout MicroService=45m`) over the base settings; a wait that gives up is a
 *   ProviderError with code `WaitTimeout` (SDK waiters too: awsError maps theirs).
 */
import {setTimeout as delay} from 'node:timers/promises';
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
export async function pollUntil<T>(context: ResourceContext, what: string, check: () => Promise<T | undefined>): Promise<T> {
	const {minDelay, maxDelay, maxWaitTime} = context.wait;
	const deadline = Date.now() + maxWaitTime * 1_000;
	let nextDelay = minDelay;
	for (;;) {
		context.signal.throwIfAborted();
		const result = await check();
		if (result !== undefined) return result;
		if (Date.now() + nextDelay * 1_000 > deadline)
			throw new ProviderError(`gave up after ${maxWaitTime}s waiting for ${what}`, 'WaitTimeout');
		await delay(nextDelay * 1_000, undefined, {signal: context.signal});
		nextDelay = Math.min(nextDelay * 2, Math.max(minDelay, maxDelay));
	}
}
