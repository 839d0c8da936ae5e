/**
 * BlobStore on a local folder ($PANKA_HOME, default ~/.panka).
 *
 * Invariants (see blob-store.ts for the contract):
 * - The etag is the SHA-256 of the body, so it changes exactly when the content does.
 * - Conditional writes are compare-and-swap under a per-key mutex file created exclusively
 *   (`<key>.cas`, like git's index.lock, holding pid@host), so two processes can never both win;
 *   a mutex whose process is gone from this host, or older than `staleMutexMs`, is broken.
 * - A write goes to a temp file in the same folder, is fsynced, then renamed over the key, and the
 *   folder is fsynced: a crash leaves the old body or the new one, never a torn file.
 * - The replaced body is kept as a numbered backup (`<key>.backups/<n>`, the newest
 *   `keepBackups`), so no write ever loses the previous version.
 * - Folders are created 0700 and files 0600: the registry holds secret hashes.
 */
import {createHash} from 'node:crypto';
import {type FileHandle, link, mkdir, open, readdir, readFile, rm, stat, unlink, writeFile} from 'node:fs/promises';
import {hostname} from 'node:os';
import path from 'node:path';
import {
	assertSafeKey,
	type Blob,
	BackendError,
	type BlobStore,
	type BlobVersion,
	type PutCondition,
	PreconditionFailedError,
} from './blob-store.js';
import {processIsGone, tempFileOf, writePrivateFile} from './private-file.js';

/**
 * How many earlier versions of each key are kept: every checkpoint of a run is a version, and the
 * deployment history (deployments.ts) reaches back only as far as these do.
 */
export const defaultKeepBackups = 500;

export interface LocalBlobStoreOptions {
	keepBackups?: number;
	staleMutexMs?: number;
	/** Longest wait for another writer's mutex before failing. */
	mutexWaitMs?: number;
}

/** `<key>.backups/<n>`: the numbered earlier versions of a key (the highest is the newest). */
export const backupsSuffix = '.backups';
const mutexSuffix = '.cas';

export class LocalBlobStore implements BlobStore {
	readonly description: string;
	readonly #keepBackups: number;
	readonly #staleMutexMs: number;
	readonly #mutexWaitMs: number;

	constructor(
		readonly root: string,
		options: LocalBlobStoreOptions = {},
	) {
		this.description = `local folder ${root}`;
		this.#keepBackups = options.keepBackups ?? defaultKeepBackups;
		this.#staleMutexMs = options.staleMutexMs ?? 30_000;
		this.#mutexWaitMs = options.mutexWaitMs ?? 10_000;
	}

	#path(key: string): string {
		assertSafeKey(key);
		return path.join(this.root, ...key.split('/'));
	}

	async get(key: string): Promise<Blob | undefined> {
		const file = this.#path(key);
		try {
			const body = await readFile(file, 'utf8');
			return {body, etag: etagOf(body)};
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
			throw new BackendError(`cannot read ${file}: ${(error as Error).message}`, undefined, {cause: error});
		}
	}

	async put(key: string, body: string, condition: PutCondition = {}): Promise<{etag: string}> {
		const file = this.#path(key);
		await this.#withMutex(file, async () => {
			const current = await this.get(key);
			checkCondition(key, current, condition);
			if (current) await this.#backup(file);
			await writeAtomically(file, body);
		});
		return {etag: etagOf(body)};
	}

	async delete(key: string, condition: {ifMatch?: string} = {}): Promise<void> {
		const file = this.#path(key);
		await this.#withMutex(file, async () => {
			const current = await this.get(key);
			if (!current) {
				if (condition.ifMatch) throw new PreconditionFailedError(key, `${key} no longer exists`);
				return;
			}
			checkCondition(key, current, condition);
			await this.#backup(file);
			await unlink(file);
		});
	}

	async list(prefix: string): Promise<string[]> {
		const base = prefix ? this.#path(prefix.replace(/\/+$/, '')) : this.root;
		const keys: string[] = [];
		const walk = async (dir: string) => {
			let entries: import('node:fs').Dirent[];
			try {
				entries = await readdir(dir, {withFileTypes: true});
			} catch (error) {
				if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return;
				throw new BackendError(`cannot list ${dir}: ${(error as Error).message}`);
			}
			for (const entry of entries) {
				const full = path.join(dir, entry.name);
				if (entry.isDirectory()) {
					if (!entry.name.endsWith(backupsSuffix)) await walk(full);
				} else if (!entry.name.endsWith(mutexSuffix) && !entry.name.includes('.tmp-')) {
					keys.push(path.relative(this.root, full).split(path.sep).join('/'));
				}
			}
		};
		await walk(base);
		// A prefix that names a file exactly (no trailing slash) lists that file.
		if (keys.length === 0 && prefix && !prefix.endsWith('/') && (await this.get(prefix))) return [prefix];
		return keys.sort();
	}

	async versions(key: string): Promise<BlobVersion[]> {
		const file = this.#path(key);
		const numbers = await backupNumbers(file);
		const versions: BlobVersion[] = [];
		const current = await stat(file).catch(() => undefined);
		if (current) versions.push({id: 'current', modified: current.mtime.toISOString(), size: current.size, latest: true});
		for (const n of numbers.reverse()) {
			const info = await stat(path.join(file + backupsSuffix, String(n)));
			versions.push({id: String(n), modified: info.mtime.toISOString(), size: info.size, latest: false});
		}
		return versions;
	}

	async getVersion(key: string, id: string): Promise<string | undefined> {
		const file = this.#path(key);
		if (id === 'current') return (await this.get(key))?.body;
		if (!/^\d+$/.test(id)) return undefined;
		return readFile(path.join(file + backupsSuffix, id), 'utf8').catch(() => undefined);
	}

	/**
	 * Keep the current body as the next numbered backup: a hard link to the current file (no copy;
	 * the rename that follows gives the key a new inode, so the link keeps the old bytes). A body
	 * that is the newest backup already (a writer was killed between its backup and its rename)
	 * is not kept twice, so no two backups hold the same version.
	 */
	async #backup(file: string): Promise<void> {
		const dir = file + backupsSuffix;
		await mkdir(dir, {recursive: true, mode: 0o700});
		const numbers = await backupNumbers(file);
		const newest = numbers.at(-1);
		if (newest !== undefined && (await sameBody(file, path.join(dir, String(newest))))) return;
		const next = path.join(dir, String((numbers.at(-1) ?? 0) + 1));
		try {
			await link(file, next);
		} catch {
			await writeAtomically(next, await readFile(file, 'utf8')); // a filesystem without hard links
		}
		for (const old of numbers.slice(0, Math.max(0, numbers.length + 1 - this.#keepBackups)))
			await rm(path.join(dir, String(old)), {force: true});
	}

	async #withMutex<T>(file: string, work: () => Promise<T>): Promise<T> {
		await mkdir(path.dirname(file), {recursive: true, mode: 0o700});
		const mutex = file + mutexSuffix;
		const deadline = Date.now() + this.#mutexWaitMs;
		for (let delay = 5; ; delay = Math.min(delay * 2, 100)) {
			if (await claimMutex(mutex)) break;
			if (await mutexIsAbandoned(mutex, this.#staleMutexMs)) await rm(mutex, {force: true});
			else if (Date.now() > deadline)
				throw new BackendError(`${file} is being written by another process (${mutex} exists)`, `if no panka is running, delete ${mutex}`);
			else await new Promise((resolve) => setTimeout(resolve, delay));
		}
		try {
			return await work();
		} finally {
			await rm(mutex, {force: true});
		}
	}
}

/**
 * Creates the mutex with its owner (pid@host) already in it: the owner is written to a file of
 * this process's own, which is then hard-linked to the mutex's name (atomic, and refused when the
 * mutex exists). So a writer killed at any moment leaves either no mutex or one that names it,
 * never an empty one nobody can judge. Where the filesystem has no hard links, the mutex is
 * created exclusively and then written (an empty mutex is then judged by its age alone).
 * False when the mutex exists.
 */
async function claimMutex(mutex: string): Promise<boolean> {
	const owner = `${process.pid}@${hostname()}\n`;
	const claim = tempFileOf(mutex);
	try {
		await writeFile(claim, owner, {mode: 0o600, flag: 'wx'});
		try {
			await link(claim, mutex);
			return true;
		} catch (error) {
			const code = (error as NodeJS.ErrnoException).code;
			if (code === 'EEXIST') return false;
			if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV') throw error;
		}
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
		throw new BackendError(`cannot write in ${path.dirname(mutex)}: ${(error as Error).message}`, undefined, {cause: error});
	} finally {
		await rm(claim, {force: true});
	}
	// No hard links here: create, then write.
	let handle: FileHandle | undefined;
	try {
		handle = await open(mutex, 'wx', 0o600);
		await handle.writeFile(owner);
		return true;
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
		throw new BackendError(`cannot write in ${path.dirname(mutex)}: ${(error as Error).message}`, undefined, {cause: error});
	} finally {
		await handle?.close();
	}
}

/**
 * A mutex left behind by a writer that cannot be running: its process (recorded as pid@host) is
 * gone from this host, or the file is older than `staleMs` (a writer on another host, or an
 * unreadable mutex). A killed panka therefore never blocks the next one.
 */
async function mutexIsAbandoned(mutex: string, staleMs: number): Promise<boolean> {
	const info = await stat(mutex).catch(() => undefined);
	if (!info) return false;
	if (Date.now() - info.mtimeMs > staleMs) return true;
	const text = (await readFile(mutex, 'utf8').catch(() => '')).trim();
	// Empty: its writer died between creating and writing it (only without hard links); it wrote within a second, or never will.
	if (text === '') return Date.now() - info.mtimeMs > 1_000;
	const owner = /^(\d+)@(.+)$/.exec(text);
	if (!owner || owner[2] !== hostname()) return false;
	return processIsGone(Number(owner[1]));
}

export function etagOf(body: string): string {
	return createHash('sha256').update(body).digest('hex');
}

function checkCondition(key: string, current: Blob | undefined, condition: PutCondition | {ifMatch?: string}): void {
	if ('ifNoneMatch' in condition && condition.ifNoneMatch && current) throw new PreconditionFailedError(key, `${key} already exists`);
	if (condition.ifMatch !== undefined && current?.etag !== condition.ifMatch) throw new PreconditionFailedError(key);
}

async function writeAtomically(file: string, body: string): Promise<void> {
	try {
		await writePrivateFile(file, body);
	} catch (error) {
		throw new BackendError(`cannot write ${file}: ${(error as Error).message}`, undefined, {cause: error});
	}
}

async function sameBody(a: string, b: string): Promise<boolean> {
	const [x, y] = await Promise.all([stat(a).catch(() => undefined), stat(b).catch(() => undefined)]);
	if (!x || !y) return false;
	if (x.ino === y.ino && x.dev === y.dev) return true;
	return x.size === y.size && (await readFile(a, 'utf8')) === (await readFile(b, 'utf8'));
}

async function backupNumbers(file: string): Promise<number[]> {
	const names = await readdir(file + backupsSuffix).catch(() => [] as string[]);
	return names
		.filter((n) => /^\d+$/.test(n))
		.map(Number)
		.sort((a, b) => a - b);
}
