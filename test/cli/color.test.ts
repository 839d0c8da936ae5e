/**
 * The colour rule (`colorEnabled`): --no-color, then FORCE_COLOR, then NO_COLOR, then TERM=dumb,
 * then whether the stream is a terminal; the same in line output and in the workbench, which gets
 * it through chalk (Ink's colours) before Ink loads.
 */
import {spawnSync} from 'node:child_process';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {colorEnabled} from '../../source/context.js';
import {badStack, repoRoot} from '../helpers/stack-fixture.js';
import {runCli} from '../helpers/run-cli.js';

const colourCode = '\u001b[';

describe('colorEnabled', () => {
	it.each([
		['a terminal', {}, true, true, true],
		['a pipe', {}, false, true, false],
		['--no-color', {}, true, false, false],
		['--no-color over FORCE_COLOR', {FORCE_COLOR: '1'}, true, false, false],
		['FORCE_COLOR=1 on a pipe', {FORCE_COLOR: '1'}, false, true, true],
		['FORCE_COLOR empty', {FORCE_COLOR: ''}, false, true, true],
		['FORCE_COLOR=0 on a terminal', {FORCE_COLOR: '0'}, true, true, false],
		['FORCE_COLOR=false', {FORCE_COLOR: 'false'}, true, true, false],
		['FORCE_COLOR over NO_COLOR', {FORCE_COLOR: '1', NO_COLOR: '1'}, false, true, true],
		['NO_COLOR', {NO_COLOR: '1'}, true, true, false],
		['NO_COLOR empty (ignored)', {NO_COLOR: ''}, true, true, true],
		['TERM=dumb', {TERM: 'dumb'}, true, true, false],
	] as const)('%s', (_, env, isTTY, flag, expected) => {
		expect(colorEnabled(env, isTTY, flag)).toBe(expected);
	});
});

describe('line output', () => {
	const stack = badStack('cycle-three');
	it('is coloured with FORCE_COLOR, also on a pipe', () => {
		expect(runCli(['validate', stack], {env: {NO_COLOR: undefined, FORCE_COLOR: '1'}}).stdout).toContain(colourCode);
	});
	it('is plain with --no-color, NO_COLOR or FORCE_COLOR=0', () => {
		for (const [args, env] of [
			[['--no-color'], {NO_COLOR: undefined, FORCE_COLOR: '1'}],
			[[], {NO_COLOR: '1'}],
			[[], {NO_COLOR: undefined, FORCE_COLOR: '0'}],
		] as const) {
			const result = runCli(['validate', stack, ...args], {env});
			expect(result.code).toBe(1);
			expect(result.stdout + result.stderr).not.toContain(colourCode);
		}
	});
});

describe('the workbench (Ink, through chalk)', () => {
	/** chalk's colour level once loadUi has loaded it as it loads Ink, in a process with `env`, as on a terminal. */
	function inkLevel(env: Record<string, string>, flag = true): number {
		const script = `
			const {loadUi, settleColorEnvironment} = await import(${JSON.stringify(path.join(repoRoot, 'dist/source/ui.js'))});
			settleColorEnvironment(process.env); // as the binary does first (cli.ts)
			const {colorEnabled} = await import(${JSON.stringify(path.join(repoRoot, 'dist/source/context.js'))});
			const chalk = await loadUi({color: colorEnabled(process.env, true, ${flag})}, () => import('chalk'));
			process.stdout.write(String(chalk.default.level));`;
		const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !['FORCE_COLOR', 'NO_COLOR', 'TERM'].includes(k)));
		const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
			cwd: repoRoot,
			env: {...clean, ...env},
			encoding: 'utf8',
		});
		expect(result.stderr).toBe('');
		return Number(result.stdout.trim());
	}

	it('has no colour where line output has none, and colour where it has', () => {
		expect(inkLevel({NO_COLOR: '1'})).toBe(0);
		expect(inkLevel({FORCE_COLOR: '0'})).toBe(0);
		expect(inkLevel({FORCE_COLOR: '3'}, false)).toBe(0);
		expect(inkLevel({})).toBeGreaterThan(0);
		expect(inkLevel({NO_COLOR: '1', FORCE_COLOR: '1'})).toBeGreaterThan(0);
	});
});
