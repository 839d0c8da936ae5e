/**
 * Recognising AWS error codes across SDK clients, and running calls so that every failure leaves
 * the provider as a ProviderError. Query-protocol services (SNS, SQS) put the code in `Code`, JSON
 * and REST services in `name`; S3 HEAD requests carry no body, so only the HTTP status tells a 404
 * from a 403.
 */
import {awsError, ProviderError} from './provider.js';

interface SdkErrorShape {
	name?: string;
	Code?: string;
	$metadata?: {httpStatusCode?: number};
}

export function hasAwsErrorCode(error: unknown, ...codes: readonly string[]): boolean {
	if (!error || typeof error !== 'object') return false;
	const {Code, name} = error as SdkErrorShape;
	return codes.some((code) => code === Code || code === name);
}

export function httpStatusOf(error: unknown): number | undefined {
	if (!error || typeof error !== 'object') return undefined;
	return (error as SdkErrorShape).$metadata?.httpStatusCode;
}

/** Run one AWS call; a failure becomes `awsError(action, …)` ("SNS CreateTopic orders: …"). */
export async function awsCall<T>(action: string, run: () => Promise<T>): Promise<T> {
	try {
		return await run();
	} catch (error) {
		throw error instanceof ProviderError ? error : awsError(action, error);
	}
}

/** Like awsCall, but undefined when AWS answers with one of `missingCodes` (the thing is not there). */
export async function awsCallUnlessMissing<T>(
	action: string,
	missingCodes: readonly string[],
	run: () => Promise<T>,
): Promise<T | undefined> {
	try {
		return await run();
	} catch (error) {
		if (hasAwsErrorCode(error, ...missingCodes)) return undefined;
		throw error instanceof ProviderError ? error : awsError(action, error);
	}
}
