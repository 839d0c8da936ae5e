/**
 * The built binary as a background process: stream its stdout lines as they come, kill it at any
 * moment (the crash tests SIGKILL it mid-apply), and wait for its exit code.
 */
import {type ChildProcess, spawn} from 'node:child_process';
import {createInterface} from 'node:readline';
import {cliPath} from './run-cli.js';

export interface RunningCli {
	child: ChildProcess;
	lines: string[];
	/** Resolves with the first line matching, or rejects when the process ends first. */
	waitForLine(pattern: RegExp): Promise<string>;
	exit: Promise<{code: number | null; signal: NodeJS.Signals | null; stderr: string}>;
}

export function spawnCli(args: string[], options: {cwd: string; env: Record<string, string | undefined>}): RunningCli {
	const env: Record<string, string | undefined> = {...process.env, NO_COLOR: '1', ...options.env};
	for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
	const child = spawn(process.execPath, [cliPath, ...args], {
		cwd: options.cwd,
		env: env as NodeJS.ProcessEnv,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	const lines: string[] = [];
	const waiters: Array<{pattern: RegExp; resolve(line: string): void}> = [];
	let stderr = '';
	child.stderr!.on('data', (chunk) => {
		stderr += String(chunk);
	});
	createInterface({input: child.stdout!}).on('line', (line) => {
		lines.push(line);
		for (const waiter of waiters.splice(0)) {
			if (waiter.pattern.test(line)) waiter.resolve(line);
			else waiters.push(waiter);
		}
	});
	const exit = new Promise<{code: number | null; signal: NodeJS.Signals | null; stderr: string}>((resolve) =>
		child.on('exit', (code, signal) => setImmediate(() => resolve({code, signal, stderr}))),
	);
	return {
		child,
		lines,
		exit,
		waitForLine(pattern) {
			const seen = lines.find((line) => pattern.test(line));
			if (seen) return Promise.resolve(seen);
			return new Promise((resolve, reject) => {
				waiters.push({pattern, resolve});
				void exit.then(() => reject(new Error(`process ended before a line matched ${pattern}:\n${lines.join('\n')}\n${stderr}`)));
			});
		},
	};
}
