/**
 * The one way the engine sends an AWS request: `awsCall(scope, action, (options) => client.send(command, options))`.
 *
 * Invariants:
 * - Every request gets the scope's abort signal (`options`), so a second Ctrl-C aborts it in flight.
 * - Every failure leaves as a ProviderError named after `action` ("SNS CreateTopic orders: …",
 *   see awsError), or as what the caller's `failure` makes of the SDK error when its errors have
 *   words of their own (the state store's BackendError, a conditional write's conflict;
 *   `keepSdkError` for a sentence that quotes the SDK); a ProviderError thrown inside passes
 *   unchanged.
 * - "Not there" is one decision: `awsCallUnlessMissing` answers undefined for the service's
 *   not-found codes (`missing`, or a test where a code alone cannot tell), and `hasAwsErrorCode`
 *   reads a code whichever protocol the service speaks: query services (SNS, SQS) put it in
 *   `Code`, JSON and REST services in `name`, a ProviderError made by awsError in `code`;
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

/** How a call differs from the default path. */
export interface AwsCallOptions {
	/** What a failure (the SDK error) becomes instead of `awsError(action, …)`. */
	failure?: (error: unknown) => Error;
}

/** A `failure` for callers that put the SDK's own message in a sentence of their own ("cannot assume R: …"). */
export const keepSdkError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));

/** Which failures mean "not there": the service's codes, or a test when codes alone cannot tell (S3's bare 404s). */
export type MissingAnswer = readonly string[] | ((error: unknown) => boolean);

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

/** Send one request with the scope's signal; a failure becomes `awsError(action, …)` (or `options.failure`'s error). */
export function awsCall<T>(scope: CallScope, action: string, request: AwsRequest<T>, options?: AwsCallOptions): Promise<T>;
/** Same, retrying `transient` refusals (if any) within the scope's waits; when time runs out, the last refusal names how long it lasted. */
export function awsCall<T>(
	scope: WaitingScope,
	action: string,
	request: AwsRequest<T>,
	transient: TransientRefusal | undefined,
	options?: AwsCallOptions,
): Promise<T>;
export async function awsCall<T>(
	scope: CallScope | WaitingScope,
	action: string,
	request: AwsRequest<T>,
	transientOrOptions?: TransientRefusal | AwsCallOptions,
	callOptions?: AwsCallOptions,
): Promise<T> {
	const transient = transientOrOptions && 'matches' in transientOrOptions ? transientOrOptions : undefined;
	const options = transient ? callOptions : ((transientOrOptions as AwsCallOptions | undefined) ?? callOptions);
	const send = () => request({abortSignal: scope.signal});
	try {
		return await (transient ? retryTransient(scope as WaitingScope, action, send, transient) : send());
	} catch (error) {
		throw failureOf(action, error, options);
	}
}

/** Like awsCall, but undefined when AWS answers that the thing is not there (`missing`). */
export async function awsCallUnlessMissing<T>(
	scope: CallScope,
	action: string,
	missing: MissingAnswer,
	request: AwsRequest<T>,
	options?: AwsCallOptions,
): Promise<T | undefined> {
	try {
		return await request({abortSignal: scope.signal});
	} catch (error) {
		if (typeof missing === 'function' ? missing(error) : hasAwsErrorCode(error, ...missing)) return undefined;
		throw failureOf(action, error, options);
	}
}

function failureOf(action: string, error: unknown, options: AwsCallOptions | undefined): Error {
	if (error instanceof ProviderError) return error;
	return options?.failure ? options.failure(error) : awsError(action, error);
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
