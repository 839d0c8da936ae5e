/** The local store's write mutex never outlives its writer: a killed panka does not block the next. */
import {mkdirSync, readdirSync, utimesSync, writeFileSync} from 'node:fs';
import {hostname} from 'node:os';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {LocalBlobStore} from '../../../engine/state/local-blob-store.js';
import {deadPid} from '../../helpers/backend-fixture.js';
import {tempDir} from '../../helpers/stack-fixture.js';

describe('LocalBlobStore write mutex', () => {
	it('breaks a mutex whose process is gone from this host, at once', async () => {
		const root = tempDir();
		const store = new LocalBlobStore(root, {mutexWaitMs: 200});
		mkdirSync(path.join(root, 'a'), {recursive: true});
		writeFileSync(path.join(root, 'a', 'state.json.cas'), `${await deadPid()}@${hostname()}\n`);
		await expect(store.put('a/state.json', '{}')).resolves.toMatchObject({etag: expect.any(String)});
	});

	it('waits for a live writer, then reports who holds it', async () => {
		const root = tempDir();
		const store = new LocalBlobStore(root, {mutexWaitMs: 50});
		mkdirSync(path.join(root, 'a'), {recursive: true});
		writeFileSync(path.join(root, 'a', 'state.json.cas'), `${process.pid}@${hostname()}\n`);
		await expect(store.put('a/state.json', '{}')).rejects.toThrow(/is being written by another process/);
	});

	it('breaks an empty mutex more than a second old (a writer killed between creating and writing it)', async () => {
		const root = tempDir();
		const store = new LocalBlobStore(root, {mutexWaitMs: 200});
		mkdirSync(path.join(root, 'a'), {recursive: true});
		const mutex = path.join(root, 'a', 'state.json.cas');
		writeFileSync(mutex, '');
		const past = new Date(Date.now() - 2_000);
		utimesSync(mutex, past, past);
		await expect(store.put('a/state.json', '{}')).resolves.toMatchObject({etag: expect.any(String)});
	});

	it('leaves no mutex or claim file behind, and lists only the keys', async () => {
		const root = tempDir();
		const store = new LocalBlobStore(root);
		await Promise.all(Array.from({length: 8}, (_, i) => store.put(`a/k${i}.json`, '{}')));
		expect(readdirSync(path.join(root, 'a')).filter((n) => n.includes('.cas') || n.includes('.tmp-'))).toEqual([]);
		expect(await store.list('a/')).toEqual(Array.from({length: 8}, (_, i) => `a/k${i}.json`));
	});
});
