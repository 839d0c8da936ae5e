/**
 * Command dispatch. Subcommands are parsed from meow's `cli.input` (not meow's `commands:`, which
 * stops flag parsing at the command), each command declares the flags it takes, and every error
 * ends here: usage errors exit 2 with the flag or argument named; expected failures (errors that
 * carry a `hint`: backend, tenant, session) exit 1 with one line and the hint; anything unexpected
 * exits 1 with one line (the stack trace only with PANKA_DEBUG=1). Messages are printed with
 * control characters escaped (they quote arguments and files). Under --json the error is also one
 * line of JSON on stdout (`kind: Error`), so a script always has a document to parse. Ink is never
 * imported here.
 */
import {statSync} from 'node:fs';
import path from 'node:path';
import meow from 'meow';
import {commands} from './command-table.js';
import {type CommandContext, painter, processContext, withColorFlag, writeLine} from './context.js';
import {exitCodes, FailureReport, UsageError} from './errors.js';
import {
	checkFlagValues,
	type FlagName,
	type Flags,
	flagDeclarations,
	flagDefaults,
	globalFlags,
	meowFlags,
	undeclaredFlagError,
	undeclaredFlags,
	valueFlagsJoined,
} from './flags.js';
import {commandFlags, commandHelp, generalHelp, groupHelp} from './help.js';
import {type ErrorBody, errorJson, jsonLine} from './render/json.js';
import {didYouMean, printable} from '../engine/essentials.js';

/**
 * The longest command whose words start `input` (`admin tenant init` before `admin`); an existing
 * folder opens the workbench; anything else is a usage error with the closest commands.
 */
function resolveCommand(input: string[], context: CommandContext): {name: string; args: string[]} {
	if (input.length === 0) return {name: 'workbench', args: []};
	for (let words = Math.min(3, input.length); words >= 1; words--) {
		const name = input.slice(0, words).join(' ');
		if (commands[name] && name !== 'workbench') return {name, args: input.slice(words)};
	}
	// A group (`panka admin tenant`, `panka state`) without a known subcommand.
	for (let words = Math.min(2, input.length); words >= 1; words--) {
		const group = input.slice(0, words).join(' ');
		const subs = [
			...new Set(
				Object.keys(commands)
					.filter((c) => c.startsWith(`${group} `))
					.map((c) => c.slice(group.length + 1).split(' ')[0]!),
			),
		];
		if (subs.length === 0) continue;
		const next = input[words];
		throw new UsageError(
			next ? `unknown command "panka ${group} ${next}"${didYouMean(next, subs)}` : `panka ${group} needs a subcommand`,
			`panka ${group} ${subs.join('|')}`,
		);
	}
	if (isStackTarget(context, input[0]!)) return {name: 'workbench', args: input};
	const first = input[0]!;
	throw new UsageError(
		`unknown command "${first}"${didYouMean(first, [...new Set(Object.keys(commands).map((c) => c.split(' ')[0]!)), 'help'])}`,
		'run panka --help for the list of commands',
	);
}

export async function main(argv: string[], processView: CommandContext = processContext()): Promise<number> {
	let context = processView;
	const joined = valueFlagsJoined(argv);
	// Until the flags are parsed, --json is known only from its word (a parse error is JSON too).
	let json = joined.slice(0, joined.includes('--') ? joined.indexOf('--') : undefined).includes('--json');
	try {
		const every = parse(joined, allFlagNames);
		json = every.flags.json;
		context = withColorFlag(processView, every.flags.color);
		const {input, flags: early} = every;
		if (early.version && input.length === 0) return await commands.version!.run([], early, context);
		if (input.length === 0 && early.help) {
			writeLine(context.stdout, generalHelp());
			return exitCodes.ok;
		}
		if (input[0] === 'help') {
			const topic = input.slice(1).join(' ');
			const spec = commands[topic];
			const group = spec ? undefined : groupHelp(topic);
			writeLine(context.stdout, spec ? commandHelp(topic, spec) : (group ?? generalHelp()));
			return topic && !spec && !group ? exitCodes.usage : exitCodes.ok;
		}
		// `panka admin --help`, `panka state -h`: a group's commands, not a usage error.
		const group = early.help ? groupHelp(input.join(' ')) : undefined;
		if (group && !commands[input.join(' ')]) {
			writeLine(context.stdout, group);
			return exitCodes.ok;
		}
		const {name, args} = resolveCommand(input, context);
		const spec = commands[name]!;
		if (early.help) {
			writeLine(context.stdout, commandHelp(name, spec));
			return exitCodes.ok;
		}
		// Parsed again with only this command's flags: what meow does not know, the command does not take.
		const allowed = [...globalFlags, ...commandFlags(spec).map((f) => f.name)];
		const own = parse(joined, allowed);
		const undeclared = undeclaredFlags(own.flags, allowed);
		if (undeclared.length > 0) throw undeclaredFlagError(undeclared[0]!, name, allowed);
		const flags = {...flagDefaults(), ...own.flags} as Flags;
		await checkFlagValues(flags);
		return await spec.run(args, flags, context);
	} catch (error) {
		return reportError(error, context, json);
	}
}

const allFlagNames = Object.keys(flagDeclarations) as FlagName[];

/** meow with the declarations of `names`; what it refuses (a value outside the choices, a flag given twice) is a usage error. */
function parse(argv: string[], names: readonly FlagName[]): {input: string[]; flags: Flags & Record<string, unknown>} {
	try {
		const cli = meow({
			argv,
			importMeta: import.meta,
			// panka writes its own help and version: no package.json for meow to look up and parse.
			pkg: {},
			flags: meowFlags(names),
			autoHelp: false,
			autoVersion: false,
			allowUnknownFlags: true,
		});
		return {input: cli.input, flags: cli.flags as Flags & Record<string, unknown>};
	} catch (error) {
		const message = (error as Error).message.replace(/`/g, '');
		const choice = /^Unknown value for flag (--\S+): (.*)\. Value must be one of: \[(.*)\]$/.exec(message);
		throw new UsageError(choice ? `${choice[1]} ${choice[2]}: expected one of ${choice[3]}` : message);
	}
}

/**
 * The end of every failed command: usage errors exit 2, expected failures (an error with a hint)
 * and anything unexpected exit 1; under --json the same error is also one JSON line on stdout.
 */
function reportError(error: unknown, context: CommandContext, json: boolean): number {
	const paint = painter(context.stderrColor);
	if (error instanceof UsageError) {
		writeLine(context.stderr, `${paint('panka:', 'bold')} ${printable(error.message)}`);
		if (error.hint) writeLine(context.stderr, `${paint('hint:', 'cyan')} ${printable(error.hint)}`);
		if (json) writeErrorJson(context, {exitCode: exitCodes.usage, code: 'usage', message: error.message, hint: error.hint});
		return exitCodes.usage;
	}
	if (error instanceof FailureReport) {
		for (const line of error.lines) writeLine(context.stderr, line);
		if (json) writeErrorJson(context, {exitCode: exitCodes.errors, code: 'failed', message: error.message, ...error.details});
		return exitCodes.errors;
	}
	const err = error as NodeJS.ErrnoException & {hint?: string};
	const message = err?.message ?? String(error);
	writeLine(context.stderr, `${paint('panka: error:', 'red', 'bold')} ${printable(message)}`);
	// An error that carries a hint (BackendError, TenantError, a session problem) is an expected
	// failure with advice, not a bug: its hint, and no stack trace or bug-report line.
	if (err && typeof err === 'object' && 'hint' in err) {
		if (err.hint) writeLine(context.stderr, `${paint('hint:', 'cyan')} ${printable(err.hint)}`);
		if (json) writeErrorJson(context, {exitCode: exitCodes.errors, code: 'failed', message, hint: err.hint});
		return exitCodes.errors;
	}
	if (json) writeErrorJson(context, {exitCode: exitCodes.errors, code: 'internal', message});
	if (context.env.PANKA_DEBUG === '1' && err?.stack) writeLine(context.stderr, err.stack);
	else
		writeLine(context.stderr, paint('(set PANKA_DEBUG=1 for the stack trace; please report it if this looks like a bug in panka)', 'gray'));
	return exitCodes.errors;
}

/** The --json view of a failed command: one line, so it is also a valid NDJSON event. */
function writeErrorJson(context: CommandContext, error: ErrorBody): void {
	writeLine(context.stdout, jsonLine('Error', errorJson(error)));
}

/** `panka my-stack` (or `panka stack.yaml`) opens the workbench there: an existing folder or YAML file that is not a command. */
function isStackTarget(context: CommandContext, arg: string): boolean {
	try {
		const found = statSync(path.resolve(context.cwd, arg));
		return found.isDirectory() || (found.isFile() && /\.ya?ml$/i.test(arg));
	} catch {
		return false;
	}
}
