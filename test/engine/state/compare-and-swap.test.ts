/**
 * The one compare-and-swap loop: each attempt reads afresh and writes on condition of what it read;
 * only a refused condition is tried again, a bounded number of times, with growing delays between.
 */
import {describe, expect, it} from 'vitest';
import {BackendError, type BlobStore, type PutCondition, PreconditionFailedError} from '../../../engine/state/blob-store.js';
import {compareAndSwap} from '../../../engine/state/compare-and-swap.js';

/** A store whose puts answer from `refuse` (a PreconditionFailedError, another error, or nothing: the write lands). */
function storeRefusing(refuse: (put: number) => Error | undefined) {
	const puts: PutCondition[] = [];
	const store = {
		put: async (key: string, _body: string, condition: PutCondition = {}) => {
			puts.push(condition);
			const refusal = refuse(puts.length);
			if (refusal) throw refusal;
			return {etag: `"${key}-${puts.length}"`};
		},
	} as unknown as BlobStore;
	return {store, puts};
}

const conflict = () => new PreconditionFailedError('k');
const noDelay = {sleep: async () => {}};

describe('compareAndSwap', () => {
	it('writes on condition of the etag it read, or create-only when there was nothing', async () => {
		const {store, puts} = storeRefusing(() => undefined);
		expect(await compareAndSwap(store, 'k', async () => ({body: 'b', etag: '"7"', result: 'seven'}))).toBe('seven');
		expect(await compareAndSwap(store, 'k', async () => ({body: 'b', result: 'new'}))).toBe('new');
		expect(puts).toEqual([{ifMatch: '"7"'}, {ifNoneMatch: true}]);
	});

	it('reads afresh after a refused write, waiting longer each time, and returns what the landed attempt made', async () => {
		const {store} = storeRefusing((put) => (put < 3 ? conflict() : undefined));
		const waited: number[] = [];
		let reads = 0;
		const result = await compareAndSwap(store, 'k', async () => ({body: 'b', etag: `"${++reads}"`, result: reads}), {
			backoff: {firstMs: 10, maxMs: 100},
			random: () => 0.999_999,
			sleep: async (ms) => void waited.push(ms),
		});
		expect(result).toBe(3);
		expect(waited).toEqual([10, 20]);
	});

	it('gives up after the attempts it was given, saying so through `contended`, or with the last refusal', async () => {
		const {store, puts} = storeRefusing(conflict);
		const revise = async () => ({body: 'b', etag: '"1"', result: 1});
		await expect(
			compareAndSwap(store, 'k', revise, {...noDelay, attempts: 3, contended: (n) => new Error(`kept changing (${n} attempts)`)}),
		).rejects.toThrow('kept changing (3 attempts)');
		expect(puts).toHaveLength(3);
		await expect(compareAndSwap(store, 'k', revise, noDelay)).rejects.toBeInstanceOf(PreconditionFailedError);
		expect(puts).toHaveLength(8);
	});

	it('does not try again after any other failure, nor write when the change itself throws', async () => {
		const {store, puts} = storeRefusing(() => new BackendError('cannot write'));
		await expect(compareAndSwap(store, 'k', async () => ({body: 'b', result: 1}), noDelay)).rejects.toThrow('cannot write');
		expect(puts).toHaveLength(1);
		await expect(
			compareAndSwap(
				store,
				'k',
				async () => {
					throw new Error('not allowed');
				},
				noDelay,
			),
		).rejects.toThrow('not allowed');
		expect(puts).toHaveLength(1);
	});
});
