/**
 * Real stack folders for component tests: a copy of the demo (or a small hand-written stack) in a
 * fresh temp dir, loaded by the real engine. Nothing is mocked.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const demoStack = path.join(repoRoot, 'demo/notification-platform');
export const demoTenant = path.join(repoRoot, 'demo/tenant.yaml');

const made: string[] = [];

export function tempDir(prefix = 'panka-ui-'): string {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
	made.push(dir);
	return dir;
}

/** A private copy of the demo stack; returns its folder. */
export function copyDemo(): string {
	const dir = path.join(tempDir(), 'notification-platform');
	fs.cpSync(demoStack, dir, {recursive: true});
	return dir;
}

export function writeFile(root: string, file: string, content: string): void {
	const target = path.join(root, file);
	fs.mkdirSync(path.dirname(target), {recursive: true});
	// Write to a temp name and rename, as editors do: the watcher must follow that too.
	const temp = `${target}.tmp-${process.pid}`;
	fs.writeFileSync(temp, content);
	fs.renameSync(temp, target);
}

export function readFile(root: string, file: string): string {
	return fs.readFileSync(path.join(root, file), 'utf8');
}

export function removeTempDirs(): void {
	for (const dir of made.splice(0)) fs.rmSync(dir, {recursive: true, force: true});
}
