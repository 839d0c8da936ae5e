/**
 * Line prompts for the few commands that ask (login, confirmations), with node:readline — not
 * Ink, so a login never pays for the UI. Prompts go to stderr, keeping stdout for results.
 *
 * Invariants:
 * - Only in a terminal (stdin and stderr are TTYs): callers check `canPrompt` first and, without
 *   one, fail fast naming the flag or variable to pass instead (like Shopify cli-kit's
 *   throwInNonTTY).
 * - A hidden prompt echoes nothing of what is typed (the readline output is muted after the
 *   question is written), and the answer is never written anywhere.
 * - End of input or Ctrl-C rejects with PromptCancelled; nothing is done after it.
 */
import {createInterface} from 'node:readline';
import {Writable} from 'node:stream';
import type {CommandContext} from './context.js';
import {UsageError} from './errors.js';

export class PromptCancelled extends Error {
	readonly hint = undefined;
	constructor() {
		super('cancelled: nothing was done');
		this.name = 'PromptCancelled';
	}
}

export function canPrompt(context: CommandContext): boolean {
	return !!context.stdin.isTTY && !!context.stderr.isTTY;
}

export function promptLine(context: CommandContext, question: string, options: {hidden?: boolean} = {}): Promise<string> {
	let muted = false;
	const output = new Writable({
		write(chunk, _encoding, callback) {
			if (!muted) context.stderr.write(chunk);
			callback();
		},
	});
	const rl = createInterface({input: context.stdin, output, terminal: !!context.stdin.isTTY});
	return new Promise<string>((resolve, reject) => {
		let answered = false;
		rl.on('SIGINT', () => rl.close());
		rl.on('close', () => {
			if (!answered) {
				if (options.hidden) context.stderr.write('\n');
				reject(new PromptCancelled());
			}
		});
		rl.question(question, (answer) => {
			answered = true;
			if (options.hidden) {
				muted = false;
				context.stderr.write('\n');
			}
			rl.close();
			resolve(answer.trim());
		});
		if (options.hidden) muted = true;
	});
}

/** y/N confirmation; anything but y/yes is no. */
export async function confirm(context: CommandContext, question: string): Promise<boolean> {
	const answer = await promptLine(context, `${question} [y/N] `);
	return /^(y|yes)$/i.test(answer.trim());
}

/**
 * A confirmation a flag can give instead: true at once when it was given; without a terminal a
 * usage error naming the flag (`needs` says what needs confirming); otherwise the y/N question.
 */
export async function confirmUnless(
	context: CommandContext,
	given: boolean | undefined,
	question: string,
	needs: {what: string; flag: string},
): Promise<boolean> {
	if (given) return true;
	if (!canPrompt(context)) throw new UsageError(`${needs.what} needs confirmation`, `pass ${needs.flag} to confirm without a terminal`);
	return confirm(context, question);
}

/** A confirmation by typing a name (destroying a stack): true only when the answer is exactly `expected`. */
export async function typedConfirmation(context: CommandContext, question: string, expected: string): Promise<boolean> {
	return (await promptLine(context, question)).trim() === expected;
}
