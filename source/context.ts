/**
 * What a command needs from the process, passed in rather than read globally, so commands run the
 * same in the real binary and in tests: working folder, environment, streams, and whether the
 * terminal is interactive.
 */
import {styleText} from 'node:util';
import {printableOutput} from '../engine/index.js';

export interface CommandContext {
	cwd: string;
	env: Readonly<Record<string, string | undefined>>;
	stdout: NodeJS.WritableStream & {isTTY?: boolean; columns?: number};
	stderr: NodeJS.WritableStream & {isTTY?: boolean};
	stdin: NodeJS.ReadableStream & {isTTY?: boolean};
	/** Colour on stdout (TTY, no NO_COLOR, or FORCE_COLOR). */
	color: boolean;
}

export function processContext(): CommandContext {
	const env = process.env;
	const forced = env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0';
	const color = forced || (!!process.stdout.isTTY && env.NO_COLOR === undefined && env.TERM !== 'dumb');
	return {cwd: process.cwd(), env, stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, color};
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
