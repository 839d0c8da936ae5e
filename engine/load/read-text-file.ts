/**
 * Reading one user file defensively: whatever is on disk becomes either text or a diagnostic.
 *
 * Guards, in order: symlink loops and broken links (stat fails), files above `maxBytes` (never read
 * into memory), binary content (a NUL byte in the first 8 KiB), and text that is not UTF-8.
 * A leading byte-order mark is dropped.
 */
import {readFile, stat} from 'node:fs/promises';
import type {Diagnostic} from '../diagnostics.js';

/** 4 MiB: far above any hand-written stack file, far below what would hurt to parse. */
export const defaultMaxFileBytes = 4 * 1024 * 1024;

export type ReadTextResult = {ok: true; text: string} | {ok: false; diagnostic: Diagnostic};

export async function readTextFile(absolutePath: string, file: string, maxBytes = defaultMaxFileBytes): Promise<ReadTextResult> {
	const fail = (code: Diagnostic['code'], message: string, hint?: string): ReadTextResult => ({
		ok: false,
		diagnostic: {severity: 'error', code, message, file, line: 1, column: 1, hint},
	});
	let size: number;
	try {
		size = (await stat(absolutePath)).size;
	} catch (error) {
		return fail(...statProblem(error as NodeJS.ErrnoException));
	}
	if (size > maxBytes)
		return fail(
			'file-too-large',
			`file is ${formatBytes(size)}, above the ${formatBytes(maxBytes)} limit for stack files`,
			'split it into several files, or move data that is not panka configuration out of the service folder',
		);
	let bytes: Buffer;
	try {
		bytes = await readFile(absolutePath);
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
			return ['unreadable-file', 'is a directory, not a file'];
		default:
			return ['unreadable-file', `cannot read file: ${error.code ?? error.message}`];
	}
}

export function formatBytes(bytes: number): string {
	if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
	if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
	return `${bytes} B`;
}
