/**
 * The one AWS call path: every request gets the scope's abort signal, every failure leaves as a
 * ProviderError named after the action, "not there" is undefined, and a refusal only time cures
 * is retried (reported once) until it passes or the limit names how long it lasted.
 */
import {describe, expect, it} from 'vitest';
import {awsCall, awsCallUnlessMissing, hasAwsErrorCode, httpStatusOf, type WaitingScope} from '../../../engine/aws/call.js';
import {ProviderError} from '../../../engine/providers/provider.js';

const sdkError = (name: string, status = 400) => Object.assign(new Error(`${name} happened`), {name, $metadata: {httpStatusCode: status}});

function scope(maxWaitTime = 5): WaitingScope & {phases: string[]} {
	const phases: string[] = [];
	return {
		signal: new AbortController().signal,
		wait: {minDelay: 0.001, maxDelay: 0.002, maxWaitTime},
		progress: (p) => phases.push(p),
		phases,
	};
}

describe('awsCall', () => {
	it('passes the scope’s abort signal to the request', async () => {
		const s = scope();
		let received: AbortSignal | undefined;
		const url = await awsCall(s, 'SQS GetQueueUrl q', async (options) => {
			received = options.abortSignal;
			return 'url';
		});
		expect(url).toBe('url');
		expect(received).toBe(s.signal);
	});

	it('maps a failure to a ProviderError named after the action, keeping the code and status readable', async () => {
		const error = await awsCall(scope(), 'SNS CreateTopic orders', () => Promise.reject(sdkError('AuthorizationError', 403))).catch(
			(e) => e,
		);
		expect(error).toBeInstanceOf(ProviderError);
		expect(error.message).toBe('SNS CreateTopic orders: AuthorizationError: AuthorizationError happened');
		expect(hasAwsErrorCode(error, 'AuthorizationError')).toBe(true);
		expect(httpStatusOf(error)).toBe(403);
	});

	it('passes a ProviderError thrown inside unchanged', async () => {
		const inner = new ProviderError('owned by someone else', 'NotOwned');
		await expect(awsCall(scope(), 'S3 HeadBucket b', () => Promise.reject(inner))).rejects.toBe(inner);
	});

	it('retries a transient refusal, reporting its phase once, until the request passes', async () => {
		const s = scope();
		let attempts = 0;
		const value = await awsCall(
			s,
			'Lambda CreateFunction fn',
			async () => {
				if (++attempts < 3) throw sdkError('InvalidParameterValueException');
				return 'created';
			},
			{matches: (e) => hasAwsErrorCode(e, 'InvalidParameterValueException'), phase: 'waiting for the new role to propagate'},
		);
		expect(value).toBe('created');
		expect(s.phases).toEqual(['waiting for the new role to propagate']);
	});

	it('throws what the caller’s failure makes of the SDK error, for errors with words of their own', async () => {
		const refused = sdkError('PreconditionFailed', 412);
		const seen: unknown[] = [];
		const error = await awsCall(scope(), 'S3 PutObject k', () => Promise.reject(refused), {
			failure: (e) => {
				seen.push(e);
				return new Error('k was changed by someone else');
			},
		}).catch((e) => e);
		expect(seen).toEqual([refused]);
		expect(error).not.toBeInstanceOf(ProviderError);
		expect(error.message).toBe('k was changed by someone else');
	});

	it('keeps the caller’s failure for a refusal it retries too', async () => {
		const s = scope();
		let attempts = 0;
		const error = await awsCall(
			s,
			'IAM GetRole r',
			async () => {
				throw sdkError(++attempts < 2 ? 'Throttled' : 'AccessDenied', 403);
			},
			{matches: (e) => hasAwsErrorCode(e, 'Throttled'), phase: 'waiting'},
			{failure: (e) => new Error(`no: ${(e as Error).name}`)},
		).catch((e) => e);
		expect(attempts).toBe(2);
		expect(error.message).toBe('no: AccessDenied');
	});

	it('gives up on a refusal that outlasts its limit, saying how long it lasted', async () => {
		const refused = awsCall(scope(0.01), 'RDS CreateDBInstance db', () => Promise.reject(sdkError('InvalidParameterValue')), {
			matches: () => true,
			phase: 'waiting',
			maxSeconds: 0.005,
		});
		await expect(refused).rejects.toThrow('RDS CreateDBInstance db (still refused after 0.005s): InvalidParameterValue');
	});
});

describe('awsCallUnlessMissing', () => {
	it('answers undefined for the not-found codes and maps every other failure', async () => {
		const missing = ['QueueDoesNotExist', 'AWS.SimpleQueueService.NonExistentQueue'];
		const gone = Object.assign(new Error('gone'), {Code: 'AWS.SimpleQueueService.NonExistentQueue'});
		expect(await awsCallUnlessMissing(scope(), 'SQS GetQueueUrl q', missing, () => Promise.reject(gone))).toBeUndefined();
		await expect(
			awsCallUnlessMissing(scope(), 'SQS GetQueueUrl q', missing, () => Promise.reject(sdkError('AccessDenied'))),
		).rejects.toThrow('SQS GetQueueUrl q: AccessDenied');
	});

	it('takes a test for "not there" where a code alone cannot tell, and the caller’s failure for the rest', async () => {
		const bareNotFound = Object.assign(new Error('UnknownError'), {name: 'Unknown', $metadata: {httpStatusCode: 404}});
		const isMissing = (e: unknown) => httpStatusOf(e) === 404;
		expect(await awsCallUnlessMissing(scope(), 'S3 GetObject k', isMissing, () => Promise.reject(bareNotFound))).toBeUndefined();
		await expect(
			awsCallUnlessMissing(scope(), 'S3 GetObject k', isMissing, () => Promise.reject(sdkError('AccessDenied', 403)), {
				failure: (e) => new Error(`cannot read k: ${(e as Error).name}`),
			}),
		).rejects.toThrow(/^cannot read k: AccessDenied$/);
	});
});
