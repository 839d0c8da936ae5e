/**
 * Writing a file that only its owner may read, so that no reader ever sees half of it: the body
 * goes to a temporary file (mode 0600, created exclusively) in the same folder, is flushed to
 * disk, and replaces the file with one rename; the folder is then flushed so the rename survives
 * a crash. Used for state and lock files (local-blob-store.ts) and for the CLI's own files
 * (configuration, sessions, secrets written with --output).
 *
 * Invariants: on any failure the temporary file is removed and the old file is left as it was;
 * a folder that is created is private too (0700).
 */
import {randomBytes} from 'node:crypto';
import {mkdir, open, rename, rm} from 'node:fs/promises';
import path from 'node:path';

export async function writePrivateFile(file: string, body: string): Promise<void> {
	await mkdir(path.dirname(file), {recursive: true, mode: 0o700});
	const temp = `${file}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
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
