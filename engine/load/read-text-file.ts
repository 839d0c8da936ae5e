/**
 * Reading one user file defensively: whatever is on disk becomes either text or a diagnostic.
 *
 * Guards, in order: symlink loops and broken links (stat fails); anything that is not a regular
 * file — a folder, a named pipe, a socket, a device such as /dev/zero, directly or through a link —
 * refused before it is opened; files above `maxBytes` (never read into memory); binary content (a
 * NUL byte in the first 8 KiB); text that is not UTF-8. A leading byte-order mark is dropped.
 *
 * Invariants: the file is opened non-blocking and checked again on the open handle (it may have
 * been swapped since the stat), and the read stops one byte past `maxBytes` whatever the size
 * said (a file can grow, and /proc files report size 0). So no file, however hostile, makes a read
 * block, or hold more than `maxBytes` + 64 KiB.
 */
import {constants, type Stats} from 'node:fs';
import {lstat, open, readlink, stat} from 'node:fs/promises';
import type {Diagnostic} from '../diagnostics.js';
import {formatBytes, maxFileBytes} from './input-limits.js';

/** `missing`: nothing at that path (a broken link counts as missing). */
export type ReadTextResult = {ok: true; text: string} | {ok: false; diagnostic: Diagnostic; missing?: boolean};

export interface ReadTextOptions {
	/** Default: maxFileBytes, the limit for stack files. */
	maxBytes?: number;
	/** What to do about a file above the limit. */
	tooLargeHint?: string;
}

const stackFileHint = 'split it into several files, or move data that is not panka configuration out of the service folder';
const chunkBytes = 64 * 1024;

/** The text of `absolutePath`, or a diagnostic at `file`:1:1 saying why not. */
export async function readTextFile(absolutePath: string, file: string, options: ReadTextOptions = {}): Promise<ReadTextResult> {
	const maxBytes = options.maxBytes ?? maxFileBytes;
	const fail = (code: Diagnostic['code'], message: string, hint?: string, missing = false): ReadTextResult => ({
		ok: false,
		diagnostic: {severity: 'error', code, message, file, line: 1, column: 1, ...(hint ? {hint} : {})},
		...(missing ? {missing} : {}),
	});
	const tooLarge = (size: string) =>
		fail('file-too-large', `file is ${size}, above the ${formatBytes(maxBytes)} limit`, options.tooLargeHint ?? stackFileHint);

	let info: Stats;
	try {
		info = await stat(absolutePath);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return fail(...statProblem(error as NodeJS.ErrnoException));
		const link = await lstat(absolutePath).then(
			(l) => l.isSymbolicLink(),
			() => false,
		);
		return link
			? fail('unreadable-file', 'broken symbolic link: its target does not exist', 'fix or remove the link', true)
			: fail('unreadable-file', 'file does not exist', undefined, true);
	}
	if (!info.isFile()) return fail('not-a-regular-file', await notRegularMessage(absolutePath, info), notRegularHint(info));
	if (info.size > maxBytes) return tooLarge(formatBytes(info.size));

	let bytes: Buffer;
	try {
		const handle = await open(absolutePath, constants.O_RDONLY | constants.O_NONBLOCK);
		try {
			const opened = await handle.stat();
			if (!opened.isFile()) return fail('not-a-regular-file', await notRegularMessage(absolutePath, opened), notRegularHint(opened));
			const chunks: Buffer[] = [];
			let total = 0;
			for (;;) {
				// The first read asks for the size the handle says plus one byte (that byte tells a file
				// that grew); a file that says 0 (/proc) is read in chunks until the end.
				const wanted = Math.min(total === 0 && opened.size > 0 ? opened.size + 1 : chunkBytes, maxBytes + 1 - total);
				// Only the bytes read are kept, so the buffer need not be zeroed first.
				const chunk = Buffer.allocUnsafe(wanted);
				const {bytesRead} = await handle.read(chunk, 0, wanted, null);
				if (bytesRead === 0) break;
				chunks.push(bytesRead === wanted ? chunk : chunk.subarray(0, bytesRead));
				total += bytesRead;
				if (total > maxBytes) return tooLarge(`more than ${formatBytes(maxBytes)}`);
				// A regular file that reads short has ended.
				if (opened.size > 0 && bytesRead < wanted) break;
			}
			bytes = Buffer.concat(chunks, total);
		} finally {
			await handle.close();
		}
	} catch (error) {
		return fail(...statProblem(error as NodeJS.ErrnoException));
	}
	if (bytes.subarray(0, 8192).includes(0))
		return fail(
			'binary-file',
			'file looks binary (it contains NUL bytes), not YAML',
			'move binary files out of the service folder, or give them an extension other than .yaml/.yml/.env',
		);
	let text: string;
	try {
		text = new TextDecoder('utf-8', {fatal: true}).decode(bytes);
	} catch {
		return fail('binary-file', 'file is not valid UTF-8 text', 'save it as UTF-8');
	}
	return {ok: true, text: text.startsWith('\uFEFF') ? text.slice(1) : text};
}

/** `a named pipe (FIFO)`, `a character device`, …: what a non-regular file is. */
export function fileTypeName(info: Stats): string {
	if (info.isDirectory()) return 'a directory';
	if (info.isFIFO()) return 'a named pipe (FIFO)';
	if (info.isSocket()) return 'a socket';
	if (info.isCharacterDevice()) return 'a character device';
	if (info.isBlockDevice()) return 'a block device';
	return 'not a regular file';
}

async function notRegularMessage(absolutePath: string, info: Stats): Promise<string> {
	const link = await lstat(absolutePath).then(
		(l) => (l.isSymbolicLink() ? readlink(absolutePath).catch(() => undefined) : undefined),
		() => undefined,
	);
	return link === undefined
		? `is ${fileTypeName(info)}, not a file: panka reads only regular files`
		: `is a symbolic link to ${link}, ${fileTypeName(info)}: panka reads only regular files`;
}

function notRegularHint(info: Stats): string {
	return info.isDirectory()
		? 'a folder cannot be named like a YAML or .env file; rename it'
		: 'replace it with a regular file, or remove it';
}

function statProblem(error: NodeJS.ErrnoException): [Diagnostic['code'], string, string?] {
	switch (error.code) {
		case 'ELOOP':
			return ['symlink-loop', 'symbolic link loop: the link resolves back to itself', 'point the link at a real file, or remove it'];
		case 'ENOENT':
			return ['unreadable-file', 'broken symbolic link: its target does not exist', 'fix or remove the link'];
		case 'EACCES':
		case 'EPERM':
			return ['unreadable-file', 'permission denied', 'make the file readable by the current user'];
		case 'EISDIR':
			return ['not-a-regular-file', 'is a directory, not a file'];
		case 'ENXIO':
			return ['not-a-regular-file', 'is a socket or device with nothing behind it, not a file'];
		default:
			return ['unreadable-file', `cannot read file: ${error.code ?? error.message}`];
	}
}
