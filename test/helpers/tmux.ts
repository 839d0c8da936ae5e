/**
 * A real terminal for tests: the built CLI in a detached tmux pane (default 120×40,
 * TERM=xterm-256color, CI unset so the TUI is allowed). Keys go in with send-keys, the screen
 * comes back with capture-pane; waiting polls the pane, never sleeps a fixed time.
 *
 *   const term = tmuxTerminal('dashboard');           // one private tmux server per name and process
 *   term.start(['apply', stack], {env});              // panka in a fresh pane; the pane's shell
 *   await term.waitForScreen((t) => …, 'the review'); // reports how it ended (waitForExit)
 *   term.keys('y');
 *   const exit = await term.waitForExit();            // {status: '0', tty: ['icanon', 'echo'], cursor: '1'}
 *   term.kill();                                      // in afterEach
 *
 * tmux runs on a private socket (-L) with no config (-f /dev/null), so neither the user's tmux
 * server nor their config takes part; the pane starts from a minimal environment, so nothing of
 * the test runner leaks in (vitest's NODE_CHANNEL_FD, NODE_ENV, CI, VITEST_*). A missing tmux
 * fails the test with how to install it.
 */
import {execFileSync, spawnSync} from 'node:child_process';
import fs from 'node:fs';
import {setTimeout as delay} from 'node:timers/promises';
import {cliPath} from './run-cli.js';

/** Fails (never skips) without tmux or without the build. */
export function requireTmuxAndBuild(): void {
	const probe = spawnSync('tmux', ['-V'], {encoding: 'utf8'});
	if (probe.error || probe.status !== 0) throw new Error('tmux is not installed; this test needs it: apt-get install -y tmux');
	if (!fs.existsSync(cliPath)) throw new Error(`${cliPath} is missing: run \`npm run build\` first (npm test does)`);
}

/** The environment the tmux server (and so the pane) starts with. */
function cleanEnvironment(): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {TERM: 'xterm-256color'};
	for (const key of ['PATH', 'HOME', 'USER', 'LANG', 'LC_ALL', 'TMPDIR']) if (process.env[key] !== undefined) env[key] = process.env[key];
	return env;
}

const quote = (part: string) => `'${part.replaceAll("'", "'\\''")}'`;

const exitLine = /\[panka exited (\d+)\] \[tty ([^\]]*)\]/;

export interface PaneExit {
	status: string;
	/** The tty modes that matter: raw mode must be off again (`icanon echo`, not `-icanon -echo`). */
	tty: string[];
	/** tmux's cursor flag: 1 when the app left the cursor visible. */
	cursor: string;
}

export interface TmuxTerminal {
	/** Runs `panka <args>` (the built CLI) in a fresh pane; `env` is added to the clean environment. */
	start(args: string[], options?: {env?: Record<string, string | undefined>; cwd?: string; columns?: number; rows?: number}): void;
	screen(): string;
	keys(...keys: string[]): void;
	/** Polls the pane every `intervalMs` (default 50; 0 to catch a screen that lasts only a moment). */
	waitForScreen(check: (text: string) => boolean, what: string, timeoutMs?: number, intervalMs?: number): Promise<string>;
	waitForExit(timeoutMs?: number): Promise<PaneExit>;
	/** The pane's tty modes now (`icanon`/`-icanon`, `echo`/`-echo`): whether an app holds it in raw mode. */
	ttyModes(): string[];
	kill(): void;
}

export function tmuxTerminal(name: string): TmuxTerminal {
	const socket = `panka-${name}-${process.pid}`;
	const session = name;
	const tmux = (...args: string[]) =>
		execFileSync('tmux', ['-L', socket, '-f', '/dev/null', ...args], {encoding: 'utf8', env: cleanEnvironment()});
	const screen = () => tmux('capture-pane', '-p', '-t', session);
	const waitForScreen = async (check: (text: string) => boolean, what: string, timeoutMs = 15_000, intervalMs = 50) => {
		const started = Date.now();
		let text = '';
		while (Date.now() - started < timeoutMs) {
			text = screen();
			if (check(text)) return text;
			await delay(intervalMs);
		}
		throw new Error(`timed out waiting for ${what}; the screen was:\n${text}`);
	};
	return {
		start(args, options = {}) {
			requireTmuxAndBuild();
			const env = Object.entries({CI: undefined, TERM: 'xterm-256color', ...options.env});
			const command = [
				'env',
				...env.filter(([, v]) => v === undefined).flatMap(([k]) => ['-u', k]),
				...env.filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${v}`),
				process.execPath,
				cliPath,
				...args,
			]
				.map(quote)
				.join(' ');
			// After node exits, the pane's shell prints how it ended and stays alive, so tmux's cursor flag is what the app left behind.
			const report = `printf '\\n[panka exited %s] [tty %s]\\n' "$status" "$(stty -a | tr ' ;' '\\n\\n' | grep -Ex -- '-?(icanon|echo)' | tr '\\n' ' ')"`;
			const cd = options.cwd ? `cd ${quote(options.cwd)} && ` : '';
			tmux(
				'new-session',
				'-d',
				'-s',
				session,
				'-x',
				String(options.columns ?? 120),
				'-y',
				String(options.rows ?? 40),
				`${cd}${command}; status=$?; ${report}; exec sleep 600`,
			);
		},
		screen,
		keys: (...keys) => {
			tmux('send-keys', '-t', session, ...keys);
		},
		waitForScreen,
		async waitForExit(timeoutMs = 10_000) {
			const text = await waitForScreen((t) => exitLine.test(t), 'panka to exit', timeoutMs);
			const [, status = '', tty = ''] = exitLine.exec(text) ?? [];
			return {status, tty: tty.trim().split(/\s+/), cursor: tmux('display', '-p', '-t', session, '#{cursor_flag}').trim()};
		},
		ttyModes() {
			const tty = tmux('display', '-p', '-t', session, '#{pane_tty}').trim();
			const modes = execFileSync('stty', ['-a', '-F', tty], {encoding: 'utf8'});
			return modes.split(/[\s;]+/).filter((mode) => /^-?(icanon|echo)$/.test(mode));
		},
		kill() {
			const socketPath = spawnSync('tmux', ['-L', socket, 'display', '-p', '#{socket_path}'], {encoding: 'utf8'}).stdout?.trim();
			spawnSync('tmux', ['-L', socket, 'kill-server']);
			if (socketPath) fs.rmSync(socketPath, {force: true});
		},
	};
}
