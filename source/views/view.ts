/**
 * Views, one per command (as Terraform's internal/command/views): a command computes its result
 * and hands it to its view; the view decides every byte printed. Each view interface has a human
 * implementation (lines on stdout/stderr, painted when colour is on) and a JSON one (one document,
 * or NDJSON events, render/json.ts), plus the Ink one where the command has a terminal UI.
 *
 * Invariants: the kind is chosen once, from the flags, by `chooseView`; commands never test
 * `--json` themselves; every line goes through `writeLine` (context.ts), which escapes what a
 * terminal would act on.
 */
import {type CommandContext, type Paint, painter, writeLine} from '../context.js';
import type {Flags} from '../flags.js';

export type ViewKind = 'human' | 'json';

/** The implementations of one view interface, by kind. */
export type Views<V> = Record<ViewKind, (output: Output) => V>;

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

export function viewKind(flags: Pick<Flags, 'json'>): ViewKind {
	return flags.json ? 'json' : 'human';
}

/** The command's view for these flags: the one place its kind is decided. */
export function chooseView<V>(views: Views<V>, flags: Pick<Flags, 'json'>, context: CommandContext): V {
	return views[viewKind(flags)](new Output(context));
}
