/**
 * The CLI's flag conventions, through the real binary: every command's help documents every flag it
 * takes (description, default, example) and its usage line names them; a flag the command does not
 * take is a usage error; a value flag takes the next word even when it starts with `-`.
 */
import {describe, expect, it} from 'vitest';
import {kindsWithLogs, listText} from '../../engine/index.js';
import {commands} from '../../source/command-table.js';
import {flagDeclarations, kebab} from '../../source/flags.js';
import {commandFlags, commandHelp, flagSyntax, usageLine} from '../../source/help.js';
import {demoStack} from '../helpers/stack-fixture.js';
import {runCli} from '../helpers/run-cli.js';

describe('help', () => {
	it('documents every flag of every command with a description, a default and an example', () => {
		for (const [name, spec] of Object.entries(commands)) {
			const help = commandHelp(name, spec);
			const usage = usageLine(name, spec);
			for (const flag of commandFlags(spec)) {
				const syntax = flagSyntax(flag.name, flag.declaration);
				expect(usage, `${name} usage`).toContain(syntax);
				const row = help.split('\n').find((line) => line.startsWith(`  ${syntax}  `) || line.startsWith(`  ${syntax}, -`));
				expect(row, `${name} ${syntax}`).toBeDefined();
				expect(row).toContain(flag.description);
				expect(row).toMatch(/ (Default: .+|Required)\./);
				expect(row).toContain(`Example: ${flag.declaration.example}`);
			}
		}
	});

	it('gives each example in the form the flag is written', () => {
		for (const [name, declaration] of Object.entries(flagDeclarations)) {
			const written = declaration.type === 'boolean' && declaration.default === true ? `--no-${kebab(name)}` : `--${kebab(name)}`;
			expect(declaration.example.split(' ')[0], name).toBe(written);
		}
		for (const [command, spec] of Object.entries(commands))
			for (const flag of commandFlags(spec))
				expect(flag.declaration.example.split(' ')[0], `${command} ${flag.name}`).toBe(
					flagSyntax(flag.name, flag.declaration).split(' ')[0],
				);
	});

	it('names the kinds whose logs panka logs shows as the kind registry lists them', () => {
		expect(commands.logs!.summary).toContain(`the CloudWatch logs of ${listText(kindsWithLogs)} components,`);
	});

	it("names a flag's value as the command means it: rollback --to takes a serial, diff --to an environment", () => {
		expect(usageLine('rollback', commands.rollback!)).toContain(' --to SERIAL');
		expect(commandHelp('rollback', commands.rollback!)).toMatch(
			/^ {2}--to SERIAL +the serial of the deployment to roll back to .*Required\. Example: --to 12$/m,
		);
		expect(usageLine('diff', commands.diff!)).toContain('[--to ENV]');
		expect(commandHelp('diff', commands.diff!)).toMatch(/^ {2}--to ENV +the environment to compare with .*Example: --to production$/m);
	});

	it('is what `panka <command> --help` and `panka help <command>` print', () => {
		const logs = runCli(['logs', '--help']);
		expect(logs.code).toBe(0);
		expect(logs.stdout).toMatch(
			/^ {2}panka logs \[folder\] \[component\|service …\] \[--follow\] \[--since DURATION\] \[--filter PATTERN\]/m,
		);
		expect(logs.stdout).toMatch(/^ {2}--since DURATION +how far back to start .*Default: 10m\. Example: --since 2h$/m);
		expect(logs.stdout).toMatch(/^ {2}--no-color +no colour/m);
		expect(runCli(['help', 'admin', 'tenant', 'init']).stdout).toMatch(
			/panka admin tenant init <name> --aws-account ID --region REGION \[--vpc-cidr CIDR\]/,
		);
	});
});

describe('flags', () => {
	it('a value flag takes the next word even when it starts with -', () => {
		// logs then needs a session: the usage error is about that, not about the flags.
		const result = runCli(['logs', demoStack, '--filter', '-ERROR', '--json']);
		expect(result.stderr).not.toMatch(/flag/);
		expect(JSON.parse(result.stdout)).toMatchObject({kind: 'Error', message: 'not logged in as a tenant'});
	});

	it('refuses a flag of another command, and one panka does not know, naming it (exit 2)', () => {
		const other = runCli(['graph', demoStack, '--yes']);
		expect(other.code).toBe(2);
		expect(other.stderr).toMatch(/^panka: panka graph does not take --yes\nhint: panka graph takes: --no-tui, --no-color, --format/);
		expect(runCli(['graph', demoStack, '-x']).stderr).toMatch(/^panka: unknown flag -x/);
	});

	it('refuses a value outside the choices and a single flag given twice (exit 2)', () => {
		const choice = runCli(['stack', 'init', 'shop', '--template', 'spa', '--yes']);
		expect(choice.code).toBe(2);
		expect(choice.stderr).toMatch(/^panka: --template spa: expected one of http-api, worker, scheduled, empty/);
		const twice = runCli(['graph', demoStack, '--format', 'dot', '--format', 'ascii']);
		expect(twice.code).toBe(2);
		expect(twice.stderr).toMatch(/^panka: The flag --format can only be set once/);
	});
});
