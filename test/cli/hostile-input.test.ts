/**
 * The hostile-input corpus, each case through the real binary. Whatever is in the stack folder or
 * on the command line — a file that is a pipe, a socket or a device; alias and variable bombs;
 * multi-megabyte scalars; reserved keys; control characters; empty and misnamed files; a folder
 * nobody can read; bad flag values — panka ends with a diagnostic at file:line:col (or naming the
 * flag), exit 1 (usage: 2), valid JSON under --json, no stack trace and no raw control character
 * in what it prints, within a wall-time and a peak-memory bound. The bounds are correctness limits
 * against hangs and blow-ups (a loaded CI machine must pass them easily), not speed targets.
 *
 * Cases are overlays in test/fixtures/hostile/<case>/ on the base stack, or, for what git cannot
 * hold (pipes, sockets, device links, folders named like files, unreadable folders, megabytes),
 * made at test time. The exit code, time and peak memory of every run are printed at the end.
 */
import {spawnSync} from 'node:child_process';
import {chmodSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync} from 'node:fs';
import {createServer, type Server} from 'node:net';
import path from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import type {Diagnostic} from '../../engine/diagnostics.js';
import {hasStackTrace, runCli} from '../helpers/run-cli.js';
import {acmeTenant, copyStack, hostileStack, repoRoot, tempDir} from '../helpers/stack-fixture.js';

/** Wall time of one run, node's start-up included. */
const maxRunMs = 10_000;
/** Peak resident memory of one run; an idle `panka validate` uses about 80 MiB. */
const maxPeakMiB = 400;

interface ExpectedDiagnostic {
	code: Diagnostic['code'];
	file: string;
	line: number;
	column: number;
	message: RegExp;
}

interface HostileCase {
	/** The stack folder to run in; default: the base stack with test/fixtures/hostile/<name> over it. */
	stack?: () => string;
	/** The command, run in the stack folder; default: validate it with the acme tenant config. */
	args?: string[];
	/** Diagnostics the run must report (exit 1), or the usage error it must end with (exit 2). */
	expect: ExpectedDiagnostic[] | {usage: RegExp};
	/** Run as an unprivileged user (a permission problem does not exist for root). */
	unprivileged?: boolean;
	/** The command takes no --json: the text run only. */
	textOnly?: boolean;
}

const validate = ['validate', '.', '--tenant-config', acmeTenant];
const megabytes = (n: number, unit = 'x') => unit.repeat(Math.floor(n * 1024 * 1024));

/** The base stack with `change` applied to it. */
function generated(change: (dir: string) => void): () => string {
	return () => {
		const dir = copyStack();
		change(dir);
		return dir;
	};
}

const sockets: Server[] = [];
/** A listening Unix socket at `file` (node binds it before listen() returns), closed after the corpus. */
function unixSocket(file: string): void {
	const server = createServer();
	server.listen(file);
	sockets.push(server);
	if (!statSync(file).isSocket()) throw new Error(`no socket at ${file}`);
}

const component = (name: string, spec: string) => `apiVersion: components.panka.io/v1\nkind: SQS\nmetadata:\n  name: ${name}\n${spec}`;
const notAFile = (file: string, what: RegExp): ExpectedDiagnostic => ({
	code: 'not-a-regular-file',
	file,
	line: 1,
	column: 1,
	message: what,
});

const cases: Record<string, HostileCase> = {
	// ---- files that are not files ----
	'fifo-component-file': {
		stack: generated((dir) => spawnSync('mkfifo', [path.join(dir, 'services/api/pipe.yaml')])),
		expect: [notAFile('services/api/pipe.yaml', /^is a named pipe \(FIFO\), not a file: panka reads only regular files$/)],
	},
	'fifo-stack-file': {
		stack: generated((dir) => {
			rmSync(path.join(dir, 'stack.yaml'));
			spawnSync('mkfifo', [path.join(dir, 'stack.yaml')]);
		}),
		expect: [notAFile('stack.yaml', /named pipe/)],
	},
	'fifo-env-file': {
		stack: generated((dir) => {
			mkdirSync(path.join(dir, 'services/api/config'));
			spawnSync('mkfifo', [path.join(dir, 'services/api/config/app.env')]);
		}),
		expect: [notAFile('services/api/config/app.env', /named pipe/)],
	},
	'socket-component-file': {
		stack: generated((dir) => unixSocket(path.join(dir, 'services/api/socket.yaml'))),
		expect: [notAFile('services/api/socket.yaml', /^is a socket, not a file/)],
	},
	'dev-zero-component-file': {
		stack: generated((dir) => symlinkSync('/dev/zero', path.join(dir, 'services/api/zero.yaml'))),
		expect: [notAFile('services/api/zero.yaml', /^is a symbolic link to \/dev\/zero, a character device: panka reads only regular files$/)],
	},
	'dev-urandom-stack-file': {
		stack: generated((dir) => {
			rmSync(path.join(dir, 'stack.yaml'));
			symlinkSync('/dev/urandom', path.join(dir, 'stack.yaml'));
		}),
		expect: [notAFile('stack.yaml', /symbolic link to \/dev\/urandom, a character device/)],
	},
	'dev-zero-env-file': {
		stack: generated((dir) => {
			mkdirSync(path.join(dir, 'services/api/config'));
			symlinkSync('/dev/zero', path.join(dir, 'services/api/config/zero.env'));
		}),
		expect: [notAFile('services/api/config/zero.env', /\/dev\/zero, a character device/)],
	},
	'folder-named-service-yaml': {
		stack: generated((dir) => {
			rmSync(path.join(dir, 'services/worker/service.yaml'));
			mkdirSync(path.join(dir, 'services/worker/service.yaml'));
		}),
		expect: [notAFile('services/worker/service.yaml', /^is a directory, not a file/)],
	},
	'folder-named-component-yaml': {
		stack: generated((dir) => mkdirSync(path.join(dir, 'services/api/more.yaml'))),
		expect: [notAFile('services/api/more.yaml', /^is a directory, not a file/)],
	},
	'folder-named-env-file': {
		stack: generated((dir) => mkdirSync(path.join(dir, 'services/api/config/app.env'), {recursive: true})),
		expect: [notAFile('services/api/config/app.env', /^is a directory, not a file/)],
	},
	'folder-named-stack-yaml': {
		stack: generated((dir) => {
			rmSync(path.join(dir, 'stack.yaml'));
			mkdirSync(path.join(dir, 'stack.yaml'));
		}),
		expect: [notAFile('stack.yaml', /^is a directory, not a file/)],
	},
	'unreadable-service-folder': {
		stack: generated((dir) => chmodSync(path.join(dir, 'services/worker'), 0)),
		unprivileged: true,
		expect: [
			{
				code: 'unreadable-file',
				file: 'services/worker',
				line: 1,
				column: 1,
				message: /^cannot list the folder services\/worker: permission denied$/,
			},
		],
	},
	// ---- aliases ----
	'self-anchor': {
		expect: [{code: 'recursive-alias', file: 'services/api/loop.yaml', line: 6, column: 9, message: /refers to a node that contains it/}],
	},
	'self-anchor-stack': {
		expect: [{code: 'recursive-alias', file: 'stack.yaml', line: 8, column: 11, message: /refers to a node that contains it/}],
	},
	'billion-laughs': {
		expect: [
			{code: 'expansion-too-large', file: 'services/api/laughs.yaml', line: 1, column: 1, message: /aliases expand to more than 1,000/},
		],
	},
	'doubling-aliases': {
		expect: [
			{
				code: 'expansion-too-large',
				file: 'services/api/doubling.yaml',
				line: 7,
				column: 10,
				message: /expands to more than 200,000 values/,
			},
		],
	},
	'merge-laughs': {
		expect: [{code: 'expansion-too-large', file: 'services/api/merges.yaml', line: 1, column: 1, message: /aliases expand/}],
	},
	// ---- variables ----
	'exponential-variables': {
		expect: [
			{
				code: 'expansion-too-large',
				file: 'stack.yaml',
				line: 13,
				column: 9,
				message: /^variable V1: \$\{V1\} expands to more than 65,536 characters$/,
			},
		],
	},
	'variable-cycle': {
		expect: [
			{
				code: 'invalid-variable',
				file: 'stack.yaml',
				line: 12,
				column: 8,
				message: /^variable A: variable loop: LOG_LEVEL → A → B → C → A$/,
			},
		],
	},
	'deep-variable-chain': {
		expect: [{code: 'invalid-variable', file: 'stack.yaml', line: 12, column: 9, message: /variables nest more than 32 deep/}],
	},
	'deep-defaults': {
		expect: [
			{code: 'invalid-variable', file: 'services/api/queue.yaml', line: 6, column: 22, message: /":-" defaults nest more than 32 deep/},
		],
	},
	// ---- size and shape ----
	'huge-scalar': {
		stack: generated((dir) =>
			writeFileSync(path.join(dir, 'services/api/big.yaml'), component('big', `spec:\n  visibilityTimeout: "${megabytes(3.9)}"\n`)),
		),
		expect: [
			{
				code: 'value-too-large',
				file: 'services/api/big.yaml',
				line: 1,
				column: 1,
				message: /^value is 4,089,446 characters long; the limit is 65,536 characters$/,
			},
		],
	},
	'huge-kind': {
		stack: generated((dir) =>
			writeFileSync(
				path.join(dir, 'services/api/big.yaml'),
				`apiVersion: components.panka.io/v1\nkind: ${megabytes(3.9, 'K')}\nmetadata:\n  name: big\n`,
			),
		),
		expect: [{code: 'value-too-large', file: 'services/api/big.yaml', line: 1, column: 1, message: /^value is 4,089,446 characters long/}],
	},
	'huge-key': {
		stack: generated((dir) =>
			writeFileSync(path.join(dir, 'services/api/big.yaml'), component('big', `spec:\n  ${megabytes(3.9, 'k')}: 1\n`)),
		),
		expect: [{code: 'value-too-large', file: 'services/api/big.yaml', line: 1, column: 1, message: /^key is 4,089,446 characters long/}],
	},
	'megabytes-of-tiny-nodes-with-a-syntax-error': {
		stack: generated((dir) =>
			writeFileSync(path.join(dir, 'services/api/big.yaml'), `tags: [${'1,'.repeat(1_900_000)}1]\n\tbroken: indentation\n`),
		),
		expect: [{code: 'yaml-syntax', file: 'services/api/big.yaml', line: 2, column: 1, message: /tab/i}],
	},
	'deep-nesting': {
		expect: [{code: 'nesting-too-deep', file: 'services/api/deep.yaml', line: 6, column: 71, message: /nest more than 64 levels deep/}],
	},
	'very-deep-nesting': {
		expect: [
			{
				code: 'nesting-too-deep',
				file: 'services/api/deep.yaml',
				line: 6,
				column: 263,
				message: /nest too deeply to read \(the limit is 64 levels\)/,
			},
		],
	},
	'very-deep-block-nesting': {
		stack: generated((dir) =>
			writeFileSync(
				path.join(dir, 'services/api/deep.yaml'),
				`${Array.from({length: 1500}, (_, i) => `${' '.repeat(i)}a:`).join('\n')} x\n`,
			),
		),
		expect: [{code: 'nesting-too-deep', file: 'services/api/deep.yaml', line: 257, column: 257, message: /nest too deeply to read/}],
	},
	'thousands-of-errors': {
		expect: [
			{
				code: 'yaml-syntax',
				file: 'services/api/dups.yaml',
				line: 52,
				column: 3,
				message: /\(and 2,949 more problems in this file, not shown\)$/,
			},
		],
	},
	// ---- keys and characters ----
	'reserved-keys': {
		expect: [
			{code: 'reserved-key', file: 'services/api/queue.yaml', line: 5, column: 1, message: /^"__proto__" cannot be used as a key/},
			{code: 'reserved-key', file: 'services/api/queue.yaml', line: 10, column: 5, message: /^"constructor" cannot be used as a key/},
			{code: 'reserved-key', file: 'services/api/queue.yaml', line: 11, column: 5, message: /^"prototype" cannot be used as a key/},
		],
	},
	'reserved-keys-variables': {expect: [{code: 'reserved-key', file: 'stack.yaml', line: 12, column: 5, message: /"__proto__"/}]},
	'reserved-keys-env': {
		expect: [
			{code: 'invalid-env-file', file: 'services/api/config/app.env', line: 2, column: 1, message: /^"__proto__" cannot be used as a name/},
		],
	},
	'control-characters': {
		expect: [
			{code: 'unknown-kind', file: 'services/api/evil.yaml', line: 2, column: 7, message: /^unknown kind "SQS\u001b\[2J\u001b\[H"/},
			{code: 'invalid-type', file: 'services/api/queue.yaml', line: 6, column: 22, message: /\\u001b\[8mhidden/},
			{code: 'unknown-field', file: 'services/api/queue.yaml', line: 7, column: 3, message: /"max\u001b\[31mReceive"/},
			{code: 'invalid-env-file', file: 'services/api/config/app.env', line: 2, column: 1, message: /"\u001b\[2J" is not a valid/},
		],
	},
	'complex-keys': {
		expect: [
			{
				code: 'yaml-syntax',
				file: 'services/api/queue.yaml',
				line: 6,
				column: 5,
				message: /^a key must be a plain value \(a name\), not a list or a mapping$/,
			},
			{code: 'yaml-syntax', file: 'services/api/queue.yaml', line: 8, column: 5, message: /^a key must be a plain value/},
		],
	},
	// ---- empty and misplaced ----
	'empty-component-files': {
		expect: [
			{
				code: 'empty-document',
				file: 'services/api/empty.yaml',
				line: 1,
				column: 1,
				message: /^the file is empty: no component is defined in it$/,
			},
			{code: 'empty-document', file: 'services/api/blank.yaml', line: 1, column: 1, message: /^the file holds only whitespace/},
			{code: 'empty-document', file: 'services/api/comments.yaml', line: 1, column: 1, message: /^the file holds only comments/},
		],
	},
	'dot-service-folder': {
		expect: [{code: 'invalid-name', file: 'services/.hidden', line: 1, column: 1, message: /^service folder "\.hidden" starts with "\."/}],
	},
	'fifo-tenant-config': {
		stack: generated((dir) => spawnSync('mkfifo', [path.join(dir, 'tenant.yaml')])),
		args: ['validate', '.', '--tenant-config', 'tenant.yaml'],
		expect: [{code: 'tenant-config', file: 'tenant.yaml', line: 1, column: 1, message: /^tenant config: is a named pipe \(FIFO\)/}],
	},
	// ---- flags ----
	'since-not-a-duration': {
		stack: copyStack,
		args: ['logs', '--since', 'yesterday'],
		expect: {usage: /^--since "yesterday" is not a duration/},
	},
	'since-negative': {stack: copyStack, args: ['logs', '--since=-5m'], expect: {usage: /^--since "-5m" is not a duration/}},
	'since-too-long': {stack: copyStack, args: ['logs', '--since', '99999h'], expect: {usage: /^--since 99999h: at most 8784h/}},
	'lock-timeout-not-a-duration': {
		stack: copyStack,
		args: ['apply', '--yes', '--lock-timeout', 'forever'],
		expect: {usage: /^--lock-timeout "forever" is not a duration/},
	},
	'lock-timeout-empty': {
		stack: copyStack,
		args: ['destroy', '--yes', '--lock-timeout='],
		expect: {usage: /^--lock-timeout "" is not a duration/},
	},
	'lock-timeout-too-long': {
		stack: copyStack,
		args: ['destroy', '--yes', '--lock-timeout', '9999h'],
		expect: {usage: /^--lock-timeout 9999h: at most 24h/},
	},
	'parallelism-zero': {
		stack: copyStack,
		args: ['apply', '--yes', '--parallelism', '0'],
		expect: {usage: /^--parallelism 0: expected a whole number from 1 to 100/},
	},
	'parallelism-not-a-number': {
		stack: copyStack,
		args: ['destroy', '--yes', '--parallelism', 'lots'],
		expect: {usage: /^--parallelism lots: expected a whole number/},
	},
	'config-flag-is-a-device': {
		stack: generated((dir) => symlinkSync('/dev/zero', path.join(dir, 'zero.yaml'))),
		args: [
			'admin',
			'tenant',
			'init',
			'tiny-team',
			'--aws-account',
			'111111111111',
			'--region',
			'eu-west-1',
			'--no-network',
			'--config',
			'zero.yaml',
		],
		expect: {usage: /^--config zero\.yaml: is a symbolic link to \/dev\/zero, a character device/},
		textOnly: true,
	},
	'var-reserved-name': {
		stack: copyStack,
		args: ['validate', '--var', '__proto__=x'],
		expect: {usage: /^--var __proto__: "__proto__" is reserved/},
	},
};

// ---- running ----

const unprivilegedUid = 65534;
const asRoot = process.getuid?.() === 0;
const setprivMissing = asRoot && spawnSync('setpriv', ['--version']).status !== 0;

interface Measured {
	code: number | null;
	stdout: string;
	stderr: string;
	ms: number;
	peakMiB: number;
}

const results: Array<{name: string; mode: string; code: number | null; ms: number; peakMiB: number}> = [];
const preload = path.join(repoRoot, 'test', 'helpers', 'report-peak-memory.mjs');

function run(name: string, mode: 'json' | 'text', hostile: HostileCase, stack: string): Measured {
	const shared = tempDir('panka-hostile-');
	chmodSync(shared, 0o777); // writable by the unprivileged user too
	const peakFile = path.join(shared, 'peak');
	const args = [...(hostile.args ?? validate), ...(mode === 'json' ? ['--json'] : [])];
	const env: Record<string, string> = {PANKA_TEST_PEAK_MEMORY_FILE: peakFile};
	let through: string[] | undefined;
	if (hostile.unprivileged && asRoot) {
		through = ['setpriv', `--reuid=${unprivilegedUid}`, `--regid=${unprivilegedUid}`, '--clear-groups', '--'];
		Object.assign(env, {HOME: shared, PANKA_HOME: path.join(shared, 'panka'), PANKA_CONFIG_DIR: path.join(shared, 'config')});
		// The stack folder and the temp folder holding it (copyStack: <tmp>/panka-test-…/base).
		for (const dir of [stack, path.dirname(stack)]) chmodSync(dir, 0o755);
	}
	const started = Date.now();
	const result = runCli(args, {cwd: stack, env, nodeArgs: ['--import', preload], through});
	const ms = Date.now() - started;
	const peakMiB = Math.round(Number(readFileSync(peakFile, 'utf8')) / 1024);
	results.push({name, mode, code: result.code, ms, peakMiB});
	return {...result, ms, peakMiB};
}

/** A raw control character (or a C1 one) that a terminal would act on; tabs and newlines are fine. */
const rawControl = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/;

describe('the hostile-input corpus, through the real binary', () => {
	afterAll(() => {
		for (const server of sockets) server.close();
		const width = Math.max(...results.map((r) => r.name.length));
		const rows = results.map(
			(r) =>
				`${r.name.padEnd(width)}  ${r.mode.padEnd(4)}  exit ${r.code}  ${String(r.ms).padStart(5)} ms  ${String(r.peakMiB).padStart(4)} MiB`,
		);
		console.log(`hostile-input corpus: ${Object.keys(cases).length} cases, ${results.length} runs\n${rows.join('\n')}`);
	});

	for (const [name, hostile] of Object.entries(cases)) {
		const skip =
			hostile.unprivileged && setprivMissing ? 'running as root without setpriv: a permission problem cannot be made' : undefined;
		it.skipIf(skip !== undefined)(
			name,
			() => {
				const stack = (hostile.stack ?? (() => hostileStack(name)))();
				const usage = 'usage' in hostile.expect ? hostile.expect.usage : undefined;
				const exit = usage ? 2 : 1;

				const json = hostile.textOnly ? undefined : run(name, 'json', hostile, stack);
				if (json) {
					expect(json.code, json.stderr).toBe(exit);
					if (!usage) expect(json.stderr).toBe(''); // no stray warning either
					const document = JSON.parse(json.stdout) as {kind: string; message?: string; diagnostics?: Diagnostic[]};
					if (usage) {
						expect(document).toMatchObject({kind: 'Error', exitCode: 2});
						expect(document.message).toMatch(usage);
					} else {
						for (const e of hostile.expect as ExpectedDiagnostic[]) {
							const found = document.diagnostics?.find((d) => d.code === e.code && d.file === e.file && d.line === e.line);
							expect(
								found,
								`${e.code} at ${e.file}:${e.line} among:\n${document.diagnostics?.map((d) => `${d.code} ${d.file}:${d.line}:${d.column} ${d.message}`).join('\n')}`,
							).toBeDefined();
							expect(found?.column).toBe(e.column);
							expect(found?.message).toMatch(e.message);
						}
					}
				}

				const text = run(name, 'text', hostile, stack);
				expect(text.code).toBe(exit);
				const printed = text.stdout + text.stderr;
				expect(printed).not.toMatch(rawControl);
				expect(hasStackTrace(printed)).toBe(false);
				if (usage) expect(text.stderr).toMatch(new RegExp(`^panka: ${usage.source.slice(1)}`));
				else {
					expect(text.stderr).toBe('');
					const first = (hostile.expect as ExpectedDiagnostic[])[0]!;
					expect(text.stdout).toContain(`${first.file}:${first.line}:${first.column}  error`);
				}

				for (const measured of json ? [json, text] : [text]) {
					expect(measured.ms).toBeLessThan(maxRunMs);
					expect(measured.peakMiB).toBeLessThan(maxPeakMiB);
				}
			},
			3 * maxRunMs,
		);
	}
});
