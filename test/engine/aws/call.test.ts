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
});
