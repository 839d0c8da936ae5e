/**
 * The local store's write mutex never outlives its writer: a killed panka does not block the next;
 * nor do its temporary files outlive it, and its numbered backups never hold one version twice.
 */
import {linkSync, mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync} from 'node:fs';
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

describe('LocalBlobStore after a writer was killed', () => {
	it('removes the temporary files of a writer that is gone (or of any writer, after 10 minutes), and keeps a live one', async () => {
		const root = tempDir();
		const store = new LocalBlobStore(root);
		await store.put('a/state.json', '{"v":1}');
		const dir = path.join(root, 'a');
		const dead = await deadPid();
		const orphans = [`state.json.tmp-${dead}-0badc0de`, `state.json.cas.tmp-${dead}-0badc0de`];
		for (const name of orphans) writeFileSync(path.join(dir, name), 'half a write');
		const live = `state.json.tmp-${process.ppid}-feedf00d`;
		const old = `other.json.tmp-${process.ppid}-0ddba11a`;
		writeFileSync(path.join(dir, live), 'in progress');
		writeFileSync(path.join(dir, old), 'in progress long ago');
		const past = new Date(Date.now() - 11 * 60_000);
		utimesSync(path.join(dir, old), past, past);

		await store.put('a/state.json', '{"v":2}', {ifMatch: (await store.get('a/state.json'))!.etag});
		expect(readdirSync(dir).filter((n) => n.includes('.tmp-'))).toEqual([live]);
		expect(await store.list('a/')).toEqual(['a/state.json']);
	});

	it('keeps one backup per version when a writer died between its backup and its rename', async () => {
		const root = tempDir();
		const store = new LocalBlobStore(root);
		await store.put('a/state.json', '{"serial":1}');
		await store.put('a/state.json', '{"serial":2}');
		const file = path.join(root, 'a', 'state.json');
		const backups = `${file}.backups`;
		// The killed writer had linked serial 2 as backup 2, and died before replacing the file.
		linkSync(file, path.join(backups, '2'));
		await store.put('a/state.json', '{"serial":3}');
		const kept = readdirSync(backups).sort();
		expect(kept).toEqual(['1', '2']);
		expect(kept.map((n) => readFileSync(path.join(backups, n), 'utf8'))).toEqual(['{"serial":1}', '{"serial":2}']);
	});
});
