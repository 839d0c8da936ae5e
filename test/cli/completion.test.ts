/**
 * `panka completion`: the bash script is loaded into a real bash and asked what it completes, the
 * way bash asks it (COMP_WORDS, COMP_CWORD); the zsh and fish scripts offer the same commands and
 * flags, all made from the same declarations.
 */
import {spawnSync} from 'node:child_process';
import {describe, expect, it} from 'vitest';
import {commands} from '../../source/command-table.js';
import {completionScript} from '../../source/completion.js';
import {cliPath, runCli} from '../helpers/run-cli.js';

/** What the bash completion offers after `words` (the last one is the word being completed). */
function bashCompletes(...words: string[]): string[] {
	const script = `source <("${process.execPath}" "${cliPath}" completion bash)
complete -p panka >&2
COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}
_panka
printf '%s\\n' "\${COMPREPLY[@]}"`;
	const result = spawnSync('bash', ['-c', script], {encoding: 'utf8', cwd: '/'});
	expect(result.stderr).toMatch(/^complete .*-F _panka panka$/m);
	return result.stdout.split('\n').filter(Boolean);
}

describe('panka completion bash, in bash', () => {
	it('completes commands, subcommands and their subcommands', () => {
		expect(bashCompletes('panka', 'ad')).toEqual(['admin']);
		expect(bashCompletes('panka', 'admin', '')).toEqual(['init', 'login', 'tenant']);
		expect(bashCompletes('panka', 'admin', 'tenant', 'r')).toEqual(['rotate']);
		expect(bashCompletes('panka', 'completion', '')).toEqual(['bash', 'zsh', 'fish']);
	});

	it("completes the command's own flags, past flags and their values", () => {
		expect(bashCompletes('panka', 'logs', '--filter', '-ERROR', '--f')).toEqual(['--follow', '--filter']);
		expect(bashCompletes('panka', '--env', 'prod', 'validate', '--')).toEqual([
			'--json',
			'--var',
			'--env',
			'--tenant-config',
			'--help',
			'--no-tui',
			'--no-color',
		]);
	});

	it("completes a flag's choices", () => {
		expect(bashCompletes('panka', 'graph', '--format', '')).toEqual(['ascii', 'dot', 'mermaid', 'svg', 'html']);
		expect(bashCompletes('panka', 'admin', 'tenant', 'init', 'acme', '--nat-type', 'p')).toEqual(['per-az']);
	});
});

describe('panka completion zsh and fish', () => {
	it('name every command word and every flag of every command', () => {
		for (const shell of ['zsh', 'fish'] as const) {
			const script = completionScript(shell);
			for (const [name, spec] of Object.entries(commands)) {
				for (const word of name === 'workbench' ? [] : name.split(' ')) expect(script, `${shell} ${name}`).toContain(word);
				for (const use of spec.flags) {
					const flag = typeof use === 'string' ? use : use.flag;
					expect(script, `${shell} ${name} --${flag}`).toMatch(new RegExp(flag.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)));
				}
			}
		}
	});

	it('refuses a shell it has no script for (exit 2)', () => {
		const result = runCli(['completion', 'powershell']);
		expect(result.code).toBe(2);
		expect(result.stderr).toMatch(/^panka: panka completion powershell: expected one of bash, zsh, fish/);
	});
});
