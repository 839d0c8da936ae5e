/**
 * readTextFile reads a whole file whatever its size says: the size the handle reports (one read),
 * a file that reports 0 (/proc, read in chunks to the end), and the limit one byte past which
 * reading stops.
 */
import {mkdtempSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {readTextFile} from '../../../engine/load/read-text-file.js';

const folder = mkdtempSync(path.join(os.tmpdir(), 'panka-read-'));

function written(name: string, text: string): string {
	const file = path.join(folder, name);
	writeFileSync(file, text);
	return file;
}

describe('readTextFile', () => {
	it('reads a small file, a file of several 64 KiB chunks and an empty one whole', async () => {
		for (const text of ['kind: Stack\n', `${'a: 1\n'.repeat(40_000)}`, '']) {
			const file = written(`f${text.length}.yaml`, text);
			expect(await readTextFile(file, 'f.yaml', {maxBytes: 1_000_000})).toEqual({ok: true, text});
		}
	});

	it('reads a file that reports size 0 (/proc) to its end', async () => {
		const read = await readTextFile('/proc/self/status', 'status', {maxBytes: 1_000_000});
		expect(read.ok && read.text).toMatch(/^Name:/);
		expect(read.ok && read.text.endsWith('\n')).toBe(true);
	});

	it('refuses a file one byte over the limit and reads one at the limit', async () => {
		expect(await readTextFile(written('at.yaml', 'x'.repeat(100)), 'at.yaml', {maxBytes: 100})).toEqual({ok: true, text: 'x'.repeat(100)});
		const over = await readTextFile(written('over.yaml', 'x'.repeat(101)), 'over.yaml', {maxBytes: 100});
		expect(over.ok ? undefined : over.diagnostic.code).toBe('file-too-large');
	});
});
