/**
 * The one way the engine sends an AWS request: `awsCall(scope, action, (options) => client.send(command, options))`.
 *
 * Invariants:
 * - Every request gets the scope's abort signal (`options`), so a second Ctrl-C aborts it in flight.
 * - Every failure leaves as a ProviderError named after `action` ("SNS CreateTopic orders: …",
 *   see awsError); a ProviderError thrown inside passes unchanged.
 * - "Not there" is one decision: `awsCallUnlessMissing` answers undefined for the service's
 *   not-found codes (`missingCodes`), and `hasAwsErrorCode` reads a code whichever protocol the
 *   service speaks: query services (SNS, SQS) put it in `Code`, JSON and REST services in `name`,
 *   a ProviderError made by awsError in `code`;
 *   S3 HEAD requests carry no body, so only `httpStatusOf` tells a 404 from a 403.
 * - Retries: the SDK retries transient transport errors (5xx, 429, throttling) itself. A refusal
 *   that only time cures (a role IAM has not propagated yet, a DependencyViolation while AWS
 *   releases network interfaces) is retried by the call path when the caller names it
 *   (`transient`), within the scope's wait limits and engine/retry.ts's backoff, reporting the
 *   phase once.
 */
import {awsError, ProviderError, type WaitSettings} from '../providers/provider.js';
import {retryPolicyOf} from '../providers/wait.js';
import {retryWhile} from '../retry.js';

/** What every call needs from its caller: the abort signal (a ResourceContext, a NetworkCall). */
export interface CallScope {
	signal: AbortSignal;
}

/** The SDK call itself, given the options every request carries. */
export type AwsRequest<T> = (options: {abortSignal: AbortSignal}) => Promise<T>;

/** A refusal the call path retries until it passes or `maxSeconds` (at most the scope's maxWaitTime) run out. */
export interface TransientRefusal {
	matches(error: unknown): boolean;
	/** Progress text while retrying ("waiting for the new role to propagate"). */
	phase: string;
	maxSeconds?: number;
}

/** A scope that can wait: what a call with a TransientRefusal needs. */
export interface WaitingScope extends CallScope {
	wait: WaitSettings;
	progress(phase: string): void;
}

interface SdkErrorShape {
	name?: string;
	Code?: string;
	/** A ProviderError's code (awsError keeps the service's). */
	code?: string;
	$metadata?: {httpStatusCode?: number};
}

/** Whether `error` (an SDK error, or a ProviderError made from one) carries one of `codes`. */
export function hasAwsErrorCode(error: unknown, ...codes: readonly string[]): boolean {
	if (!error || typeof error !== 'object') return false;
	const {Code, name, code: providerCode} = error as SdkErrorShape;
	return codes.some((code) => code === Code || code === name || code === providerCode);
}

/** The HTTP status of an SDK error, or of the SDK error a ProviderError was made from. */
export function httpStatusOf(error: unknown): number | undefined {
	if (!error || typeof error !== 'object') return undefined;
	const status = (error as SdkErrorShape).$metadata?.httpStatusCode;
	return status ?? (error instanceof ProviderError ? httpStatusOf(error.cause) : undefined);
}

/** Send one request with the scope's signal; a failure becomes `awsError(action, …)`. */
export function awsCall<T>(scope: CallScope, action: string, request: AwsRequest<T>): Promise<T>;
/** Same, retrying `transient` refusals (if any) within the scope's waits; when time runs out, the last refusal names how long it lasted. */
export function awsCall<T>(
	scope: WaitingScope,
	action: string,
	request: AwsRequest<T>,
	transient: TransientRefusal | undefined,
): Promise<T>;
export async function awsCall<T>(
	scope: CallScope | WaitingScope,
	action: string,
	request: AwsRequest<T>,
	transient?: TransientRefusal,
): Promise<T> {
	const send = () => request({abortSignal: scope.signal});
	try {
		return await (transient ? retryTransient(scope as WaitingScope, action, send, transient) : send());
	} catch (error) {
		throw error instanceof ProviderError ? error : awsError(action, error);
	}
}

/** Like awsCall, but undefined when AWS answers with one of `missingCodes` (the thing is not there). */
export async function awsCallUnlessMissing<T>(
	scope: CallScope,
	action: string,
	missingCodes: readonly string[],
	request: AwsRequest<T>,
): Promise<T | undefined> {
	try {
		return await request({abortSignal: scope.signal});
	} catch (error) {
		if (hasAwsErrorCode(error, ...missingCodes)) return undefined;
		throw error instanceof ProviderError ? error : awsError(action, error);
	}
}

function retryTransient<T>(scope: WaitingScope, action: string, send: () => Promise<T>, transient: TransientRefusal): Promise<T> {
	const seconds = Math.min(scope.wait.maxWaitTime, transient.maxSeconds ?? scope.wait.maxWaitTime);
	let reported = false;
	return retryWhile(retryPolicyOf(scope, seconds), (error) => transient.matches(error), send, {
		onRetry: () => {
			if (!reported) scope.progress(transient.phase);
			reported = true;
		},
		giveUp: (refusal) => {
			throw awsError(`${action} (still refused after ${seconds}s)`, refusal);
		},
	});
}
