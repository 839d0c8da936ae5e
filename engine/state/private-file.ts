/**
 * Writing a file that only its owner may read, so that no reader ever sees half of it: the body
 * goes to a temporary file (mode 0600, created exclusively) in the same folder, is flushed to
 * disk, and replaces the file with one rename; the folder is then flushed so the rename survives
 * a crash. Used for state and lock files (local-blob-store.ts) and for the CLI's own files
 * (configuration, sessions, secrets written with --output).
 *
 * Invariants: on any failure the temporary file is removed and the old file is left as it was;
 * a folder that is created is private too (0700). A writer killed mid-write (SIGKILL) cannot
 * remove its temporary file: the next write in that folder does, once the writer (its pid in the
 * name, on this host) is gone or the file is older than `abandonedAfterMs`.
 */
import {randomBytes} from 'node:crypto';
import {mkdir, open, readdir, rename, rm, stat} from 'node:fs/promises';
import path from 'node:path';

/** `<file>.tmp-<pid>-<random>`: a temporary file of this module (and of the local store's mutex claims). */
export const tempFilePattern = /\.tmp-(\d+)-[0-9a-f]+$/;
/** A temporary file this old is abandoned whoever wrote it: no write takes that long. */
export const abandonedAfterMs = 10 * 60_000;

export function tempFileOf(file: string): string {
	return `${file}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
}

export async function writePrivateFile(file: string, body: string): Promise<void> {
	await mkdir(path.dirname(file), {recursive: true, mode: 0o700});
	await removeAbandonedTempFiles(path.dirname(file));
	const temp = tempFileOf(file);
	const handle = await open(temp, 'wx', 0o600);
	try {
		await handle.writeFile(body);
		await handle.chmod(0o600); // whatever the umask
		await handle.sync();
	} catch (error) {
		await handle.close();
		await rm(temp, {force: true});
		throw error;
	}
	await handle.close();
	try {
		await rename(temp, file);
	} catch (error) {
		await rm(temp, {force: true});
		throw error;
	}
	const dir = await open(path.dirname(file), 'r');
	try {
		await dir.sync();
	} finally {
		await dir.close();
	}
}

/** Removes the temporary files in `dir` whose writer is gone (see the module header); returns how many. */
export async function removeAbandonedTempFiles(dir: string): Promise<number> {
	const names = await readdir(dir).catch(() => [] as string[]);
	let removed = 0;
	for (const name of names) {
		const pid = tempFilePattern.exec(name)?.[1];
		if (!pid || Number(pid) === process.pid) continue;
		const file = path.join(dir, name);
		const info = await stat(file).catch(() => undefined);
		if (!info?.isFile()) continue;
		if (processIsGone(Number(pid)) || Date.now() - info.mtimeMs > abandonedAfterMs) {
			await rm(file, {force: true});
			removed++;
		}
	}
	return removed;
}

/** Whether no process `pid` runs on this host (a pid reused since counts as running: nothing is removed early). */
export function processIsGone(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return false;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'ESRCH';
	}
}
