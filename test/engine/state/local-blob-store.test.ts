/** The local store's write mutex never outlives its writer: a killed panka does not block the next. */
import {mkdirSync, writeFileSync} from 'node:fs';
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
});
