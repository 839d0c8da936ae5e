/**
 * What the S3 store makes of S3's answers that moto does not give: a conditional request the SDK
 * sent twice, a missing bucket, a refusal. Every request carries the store's abort signal.
 */
import type {S3Client} from '@aws-sdk/client-s3';
import {describe, expect, it} from 'vitest';
import {BackendError, PreconditionFailedError} from '../../../engine/state/blob-store.js';
import {S3BlobStore} from '../../../engine/state/s3-blob-store.js';

type Answer = (input: Record<string, unknown>) => unknown;

const sdkError = (name: string, status: number, attempts = 1) =>
	Object.assign(new Error(`${name} said S3`), {name, $metadata: {httpStatusCode: status, attempts}});
const bodyOf = (text: string) => ({transformToString: async () => text});

/** A store on a fake client answering each command by its name (getObject for GetObjectCommand); records the abort signals it was given. */
function storeAnswering(answers: Record<string, Answer>, signal?: AbortSignal) {
	const signals: unknown[] = [];
	const client = {
		send: async (command: {constructor: {name: string}; input: Record<string, unknown>}, options?: {abortSignal?: AbortSignal}) => {
			signals.push(options?.abortSignal);
			const name = command.constructor.name.replace(/Command$/, '');
			const answer = answers[name.charAt(0).toLowerCase() + name.slice(1)];
			if (!answer) throw new Error(`unexpected ${command.constructor.name}`);
			return answer(command.input);
		},
	};
	return {store: new S3BlobStore(client as unknown as S3Client, 'b', 'p', signal), signals};
}

describe('S3BlobStore', () => {
	it('sends every request with the store’s abort signal', async () => {
		const signal = new AbortController().signal;
		const {store, signals} = storeAnswering({getObject: () => ({Body: bodyOf('x'), ETag: '"1"'})}, signal);
		expect(await store.get('a.yaml')).toEqual({body: 'x', etag: '"1"'});
		expect(signals).toEqual([signal]);
	});

	it('reads NoSuchKey and a bare 404 as missing, but never a missing bucket', async () => {
		const missing = storeAnswering({
			getObject: (input) => {
				throw input.Key === 'p/a.yaml' ? sdkError('NoSuchKey', 404) : sdkError('Unknown', 404);
			},
		}).store;
		expect(await missing.get('a.yaml')).toBeUndefined();
		expect(await missing.get('b.yaml')).toBeUndefined();
		const noBucket = storeAnswering({
			getObject: () => {
				throw sdkError('NoSuchBucket', 404);
			},
		}).store;
		const error = await noBucket.get('a.yaml').catch((e) => e);
		expect(error).toBeInstanceOf(BackendError);
		expect(error.message).toBe('cannot read s3://b/p/a.yaml: NoSuchBucket: NoSuchBucket said S3');
		expect(error.hint).toBe('bucket b does not exist: run panka admin init --backend s3://b/p');
	});

	it('says how often it tried when the bucket could not be reached reliably', async () => {
		const {store} = storeAnswering({
			listObjectsV2: () => {
				throw sdkError('InternalError', 500, 3);
			},
		});
		const error = await store.list('tenants/').catch((e) => e);
		expect(error.message).toBe('cannot list s3://b/p/tenants/: InternalError: InternalError said S3 (gave up after 3 attempts)');
		expect(error.hint).toBe('the bucket could not be reached reliably: run the command again');
	});

	it('reports a refused conditional write as a conflict, not retried', async () => {
		let puts = 0;
		const {store} = storeAnswering({
			putObject: () => {
				puts++;
				throw sdkError('PreconditionFailed', 412);
			},
			getObject: () => ({Body: bodyOf('theirs'), ETag: '"2"'}),
		});
		const created = await store.put('lock.json', 'mine', {ifNoneMatch: true}).catch((e) => e);
		expect(created).toBeInstanceOf(PreconditionFailedError);
		expect(created.message).toBe('lock.json already exists');
		await expect(store.put('a.yaml', 'mine', {ifMatch: '"1"'})).rejects.toThrow('a.yaml was changed by someone else');
		expect(puts).toBe(2);
	});

	it('takes a conditional write the SDK sent twice as done when its body is what is stored', async () => {
		const {store} = storeAnswering({
			putObject: () => {
				throw sdkError('PreconditionFailed', 412, 2);
			},
			getObject: () => ({Body: bodyOf('mine'), ETag: '"2"'}),
		});
		expect(await store.put('a.yaml', 'mine', {ifMatch: '"1"'})).toEqual({etag: '"2"'});
		await expect(store.put('a.yaml', 'other', {ifMatch: '"1"'})).rejects.toBeInstanceOf(PreconditionFailedError);
	});

	it('deletes a missing key quietly, unless a condition named it and the request went once', async () => {
		const gone = (attempts: number) =>
			storeAnswering({
				deleteObject: () => {
					throw sdkError('NoSuchKey', 404, attempts);
				},
			}).store;
		await expect(gone(1).delete('a.yaml')).resolves.toBeUndefined();
		await expect(gone(2).delete('a.yaml', {ifMatch: '"1"'})).resolves.toBeUndefined();
		await expect(gone(1).delete('a.yaml', {ifMatch: '"1"'})).rejects.toThrow('a.yaml no longer exists');
	});
});
