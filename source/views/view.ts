/**
 * Views, one per command (as Terraform's internal/command/views): a command computes its result
 * and hands it to its view; the view decides every byte printed. Each view interface has a human
 * implementation (lines on stdout/stderr, painted when colour is on) and a JSON one (one document,
 * or NDJSON events, render/json.ts), plus the Ink one where the command has a terminal UI.
 *
 * Invariants: the kind is chosen once, from the flags, by `chooseView`: JSON with --json, the Ink
 * implementation (when the view has one) where a terminal UI can run (canUseTui), human lines
 * otherwise; commands never test `--json` or the terminal themselves; every line goes through
 * `writeLine` (context.ts), which escapes what a terminal would act on.
 */
import {type CommandContext, canUseTui, type Paint, painter, writeLine} from '../context.js';
import type {Flags} from '../flags.js';

export type ViewKind = 'human' | 'json' | 'ink';

/** The implementations of one view interface, by kind (the Ink one only where the command has a terminal UI). */
export type Views<V> = Record<'human' | 'json', (output: Output) => V> & {ink?: (output: Output) => V};

/** Where a view writes: both streams, each with its own colour decision. */
export class Output {
	readonly paint: Paint;
	readonly errPaint: Paint;

	constructor(readonly context: CommandContext) {
		this.paint = painter(context.color);
		this.errPaint = painter(context.stderrColor);
	}

	line(text = ''): void {
		writeLine(this.context.stdout, text);
	}

	lines(texts: Iterable<string>): void {
		for (const text of texts) this.line(text);
	}

	/** A line on stderr (warnings, progress, what a failure leaves behind). */
	note(text: string): void {
		writeLine(this.context.stderr, text);
	}
}

export function viewKind(flags: Pick<Flags, 'json'> & Partial<Pick<Flags, 'tui'>>, context: CommandContext, hasInk: boolean): ViewKind {
	if (flags.json) return 'json';
	return hasInk && canUseTui(context, flags.tui ?? true) ? 'ink' : 'human';
}

/** The command's view for these flags: the one place its kind is decided. */
export function chooseView<V>(views: Views<V>, flags: Pick<Flags, 'json'> & Partial<Pick<Flags, 'tui'>>, context: CommandContext): V {
	const kind = viewKind(flags, context, views.ink !== undefined);
	return (kind === 'ink' ? views.ink! : views[kind])(new Output(context));
}
