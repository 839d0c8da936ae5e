/**
 * Finding the stack a command means, as git finds its repository: from a folder inside a stack
 * (`services/api`, a Lambda's `src/`), the nearest folder above that holds stack.yaml.
 *
 * Invariants: a stack file (`*.yaml`) or a folder that holds stack.yaml is taken as given; the walk
 * stops at the filesystem root; when nothing is found the start is returned unchanged, so the
 * loader reports "not a stack" about what the user named. A stack.yaml without a services/
 * folder beside it is a single-file stack (the whole stack in one file): its path is returned.
 */
import {stat} from 'node:fs/promises';
import path from 'node:path';

const stackFileNames = ['stack.yaml', 'stack.yml'];

const isA = async (target: string, what: 'file' | 'dir') => {
	const found = await stat(target).catch(() => undefined);
	return what === 'file' ? (found?.isFile() ?? false) : (found?.isDirectory() ?? false);
};

/** The folder itself (a folder stack), its stack.yaml (a single-file stack), or undefined. */
async function stackIn(dir: string): Promise<string | undefined> {
	for (const name of stackFileNames) {
		const file = path.join(dir, name);
		if (await isA(file, 'file')) return (await isA(path.join(dir, 'services'), 'dir')) ? dir : file;
	}
	return undefined;
}

/** The stack folder (or stack file) that `start` (absolute) is, or is inside of. */
export async function findStackRoot(start: string): Promise<string> {
	if (!(await isA(start, 'dir'))) return start;
	for (let dir = start; ; dir = path.dirname(dir)) {
		const found = await stackIn(dir);
		if (found) return found;
		if (path.dirname(dir) === dir) return start;
	}
}
