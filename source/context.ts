/**
 * What a command needs from the process, passed in rather than read globally, so commands run the
 * same in the real binary and in tests: working folder, environment, streams, and whether the
 * terminal is interactive.
 */
import {styleText} from 'node:util';
import {printableOutput} from '../engine/essentials.js';

export interface CommandContext {
	cwd: string;
	env: Readonly<Record<string, string | undefined>>;
	stdout: NodeJS.WritableStream & {isTTY?: boolean; columns?: number};
	stderr: NodeJS.WritableStream & {isTTY?: boolean};
	stdin: NodeJS.ReadableStream & {isTTY?: boolean};
	/** Colour on stdout, and on stderr: decided by `colorEnabled` for each stream. */
	color: boolean;
	stderrColor: boolean;
}

export function processContext(): CommandContext {
	const {env, stdout, stderr, stdin} = process;
	return {
		cwd: process.cwd(),
		env,
		stdout,
		stderr,
		stdin,
		color: colorEnabled(env, stdout.isTTY),
		stderrColor: colorEnabled(env, stderr.isTTY),
	};
}

/**
 * Whether to colour a stream, the one rule for line output and the workbench (ui.ts hands it to
 * Ink), first match wins:
 *   1. `--no-color` (`flag` false): no colour
 *   2. `FORCE_COLOR`: `0` or `false` no colour, anything else (empty included) colour
 *   3. `NO_COLOR` set and not empty: no colour (no-color.org)
 *   4. `TERM=dumb`: no colour
 *   5. colour exactly when the stream is a terminal
 */
export function colorEnabled(env: Readonly<Record<string, string | undefined>>, isTTY: boolean | undefined, flag = true): boolean {
	if (!flag) return false;
	const forced = env.FORCE_COLOR;
	if (forced !== undefined) return forced !== '0' && forced !== 'false';
	if (env.NO_COLOR) return false;
	if (env.TERM === 'dumb') return false;
	return !!isTTY;
}

/** `context` after `--no-color`. */
export function withColorFlag(context: CommandContext, flag: boolean): CommandContext {
	return flag ? context : {...context, color: false, stderrColor: false};
}

export type Style = 'red' | 'yellow' | 'green' | 'cyan' | 'blue' | 'magenta' | 'gray' | 'bold' | 'dim' | 'underline';

export type Paint = (text: string, ...styles: Style[]) => string;

/**
 * The decision to colour is made once, by the caller (`color`); node's styleText must not second-guess
 * it (from Node 22 it checks process.stdout and NO_COLOR itself unless told not to).
 */
export function painter(color: boolean): Paint {
	if (!color) return (text) => text;
	return (text, ...styles) => (styles.length === 0 ? text : styleText(styles, text, {validateStream: false}));
}

/** CI is set (to anything but 0/false): GitHub, GitLab and most CI systems set it. */
export function isCi(env: Readonly<Record<string, string | undefined>>): boolean {
	return ['CI', 'CONTINUOUS_INTEGRATION'].some((k) => env[k] !== undefined && env[k] !== '0' && env[k] !== 'false');
}

/**
 * The TUI runs only when both stdin and stdout are terminals, CI is not set, TERM is not dumb,
 * and the user did not pass --no-tui (docs/ARCHITECTURE.md §7).
 */
export function canUseTui(context: CommandContext, wantTui: boolean): boolean {
	return wantTui && !!context.stdout.isTTY && !!context.stdin.isTTY && !isCi(context.env) && context.env.TERM !== 'dumb';
}

/**
 * Every line panka prints goes through here: anything in it that a terminal would act on, other
 * than panka's own colours, is shown escaped (engine/terminal-text.ts). Renderers still escape the
 * user text they insert with `printable`; this is the net under them.
 */
export function writeLine(stream: NodeJS.WritableStream, text = ''): void {
	stream.write(`${printableOutput(text)}\n`);
}
