/**
 * The workbench's first frame as a user meets it: `panka <folder>` started in a real terminal (a
 * pseudo-terminal from util-linux `script`), with a fresh home (no session: the workbench still
 * loads its services, it only cannot plan), timed from the spawn to the first frame that shows the
 * loaded stack (its header's "N components"), median of several fresh processes. The first output
 * (the "loading…" frame) is reported too. Targets: the demo ≤ 0.8 s, 5,000 components ≤ 1.5 s.
 */
import {spawn, spawnSync} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const loadedHeader = /\b\d[\d,]* components\b/;
const ansi = /\u001b\[[0-9;?]*[A-Za-z]/g;

export function scriptAvailable(): boolean {
	return spawnSync('script', ['--version'], {encoding: 'utf8'}).status === 0;
}

/** One run: ms to the first byte of output (the loading frame) and to the loaded frame. */
function firstFrames(cli: string, folder: string, timeoutMs = 20_000): Promise<{firstMs: number; loadedMs: number}> {
	const command = `stty cols 120 rows 40; exec "${process.execPath}" "${cli}" "${folder}"`;
	const home = mkdtempSync(path.join(os.tmpdir(), 'panka-bench-home-'));
	const env = {...process.env, CI: '', HOME: home, PANKA_CONFIG_DIR: path.join(home, 'config'), PANKA_HOME: path.join(home, 'panka')};
	const started = performance.now();
	const child = spawn('script', ['-qfec', command, '/dev/null'], {stdio: ['pipe', 'pipe', 'ignore'], env});
	child.on('exit', () => rmSync(home, {recursive: true, force: true}));
	return new Promise((resolve, reject) => {
		let text = '';
		let firstMs: number | undefined;
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			reject(new Error(`no loaded frame within ${timeoutMs} ms:\n${text.slice(-500)}`));
		}, timeoutMs);
		child.stdout.on('data', (chunk: Buffer) => {
			firstMs ??= performance.now() - started;
			text += chunk.toString('utf8').replace(ansi, '');
			if (loadedHeader.test(text)) {
				const loadedMs = performance.now() - started;
				clearTimeout(timer);
				child.stdin.end('q');
				child.kill('SIGTERM');
				resolve({firstMs, loadedMs});
			}
		});
		child.on('error', reject);
	});
}

export async function workbenchFirstFrame(cli: string, folder: string, runs = 5): Promise<{firstMs: number; loadedMs: number}> {
	await firstFrames(cli, folder); // warm the file cache (and Node's compile cache where there is one)
	const samples: {firstMs: number; loadedMs: number}[] = [];
	for (let i = 0; i < runs; i++) samples.push(await firstFrames(cli, folder));
	const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
	return {firstMs: median(samples.map((s) => s.firstMs)), loadedMs: median(samples.map((s) => s.loadedMs))};
}
