/**
 * The engine's one retry loop: doubling capped delays, a deadline no delay runs past, the caller's
 * verdict when time runs out, and only transient errors retried. Time and sleep are fakes.
 */
import {describe, expect, it} from 'vitest';
import {backoffDelay, type RetryPolicy, retryUntil, retryWhile} from '../../engine/retry.js';

function fakeTime(deadline: number): RetryPolicy & {slept: number[]} {
	let clock = 0;
	const slept: number[] = [];
	return {
		firstMs: 100,
		maxMs: 350,
		deadline,
		now: () => clock,
		sleep: async (ms) => {
			slept.push(ms);
			clock += ms;
		},
		slept,
	};
}

describe('backoffDelay', () => {
	it('doubles from the first delay up to the cap, never below the first', () => {
		expect([0, 1, 2, 3].map((n) => backoffDelay({firstMs: 100, maxMs: 350}, n))).toEqual([100, 200, 350, 350]);
		expect(backoffDelay({firstMs: 100, maxMs: 10}, 3)).toBe(100);
	});

	it('draws each delay from [half, full] with a random source', () => {
		expect(backoffDelay({firstMs: 100, maxMs: 1_000}, 1, () => 0)).toBe(100);
		expect(backoffDelay({firstMs: 100, maxMs: 1_000}, 1, () => 0.999_999)).toBe(200);
	});
});

describe('retryUntil', () => {
	it('returns the first value an attempt yields, sleeping the backoff in between', async () => {
		const policy = fakeTime(10_000);
		let attempts = 0;
		expect(
			await retryUntil(
				policy,
				async () => (++attempts === 4 ? 'done' : undefined),
				() => 'gave up',
			),
		).toBe('done');
		expect(policy.slept).toEqual([100, 200, 350]);
	});

	it('gives up instead of sleeping past the deadline', async () => {
		const policy = fakeTime(400);
		expect(
			await retryUntil(
				policy,
				async () => undefined,
				() => 'gave up',
			),
		).toBe('gave up');
		expect(policy.slept).toEqual([100, 200]);
	});

	it('ends with the abort reason when the signal fires', async () => {
		const controller = new AbortController();
		controller.abort(new Error('second Ctrl-C'));
		await expect(
			retryUntil(
				{firstMs: 1, maxMs: 1, deadline: Date.now() + 1_000, signal: controller.signal},
				async () => undefined,
				() => 0,
			),
		).rejects.toThrow('second Ctrl-C');
	});
});

describe('retryWhile', () => {
	const transient = (error: unknown) => (error as Error).message === 'not yet';

	it('retries transient refusals, reporting each, until the call passes', async () => {
		let attempts = 0;
		const refusals: unknown[] = [];
		const value = await retryWhile(
			fakeTime(10_000),
			transient,
			async () => {
				if (++attempts < 3) throw new Error('not yet');
				return attempts;
			},
			{onRetry: (error) => refusals.push(error)},
		);
		expect(value).toBe(3);
		expect(refusals).toHaveLength(2);
	});

	it('fails at once on any other error', async () => {
		const policy = fakeTime(10_000);
		await expect(retryWhile(policy, transient, async () => Promise.reject(new Error('denied')))).rejects.toThrow('denied');
		expect(policy.slept).toEqual([]);
	});

	it('throws the last refusal, or what giveUp makes of it, when time runs out', async () => {
		await expect(retryWhile(fakeTime(150), transient, async () => Promise.reject(new Error('not yet')))).rejects.toThrow('not yet');
		await expect(
			retryWhile(fakeTime(150), transient, async () => Promise.reject(new Error('not yet')), {
				giveUp: (last) => {
					throw new Error(`still refused: ${(last as Error).message}`);
				},
			}),
		).rejects.toThrow('still refused: not yet');
	});
});
