/**
 * Loading the terminal UI. Ink and React are imported only here and only on the TUI path, so
 * plain commands never pay for them; React's production build is used (its development build
 * costs about a quarter more per frame), unless NODE_ENV says otherwise.
 *
 * Colour follows the same rule as line output (`colorEnabled` in context.ts): Ink colours through
 * chalk, which decides once, when it is first imported, from FORCE_COLOR; so the decision is
 * handed to it that way before Ink loads (chalk alone would ignore NO_COLOR, for one).
 *
 * Since Node 22 an `import()` loads its whole module graph without turning the event loop, so a
 * Ctrl-C (SIGINT) typed during the UI's ~1 s load is handled only after it. The load therefore
 * ends with one turn of the loop: a stop asked for meanwhile is seen before the UI starts anything
 * (the destroy dashboard would otherwise start its first deletes before noticing the Ctrl-C).
 */
import type {CommandContext} from './context.js';

export async function loadUi<T>(context: Pick<CommandContext, 'color'>, load: () => Promise<T>): Promise<T> {
	process.env.NODE_ENV ??= 'production';
	inkColorEnv(process.env, context.color);
	const loaded = await load();
	await new Promise<void>((resolve) => setImmediate(resolve));
	return loaded;
}

/**
 * FORCE_COLOR wins over NO_COLOR (colorEnabled in context.ts), so where both are set NO_COLOR is
 * dropped before anything asks Node about colour: Node 24 otherwise warns on stderr that it
 * ignores it. Runs first thing in the binary (cli.ts), before node:util is loaded.
 */
export function settleColorEnvironment(env: Record<string, string | undefined>): void {
	if (env.FORCE_COLOR !== undefined && env.NO_COLOR !== undefined) delete env.NO_COLOR;
}

/**
 * Tells chalk (and so Ink) the colour decision: FORCE_COLOR=0 without colour, kept or 1 with it.
 * NO_COLOR has been taken into that decision, so it is dropped: Node 24 warns on stderr ("The
 * 'NO_COLOR' env is ignored due to the 'FORCE_COLOR' env being set") when it finds both.
 */
export function inkColorEnv(env: Record<string, string | undefined>, color: boolean): void {
	if (!color) env.FORCE_COLOR = '0';
	else if (env.FORCE_COLOR === undefined || env.FORCE_COLOR === '0' || env.FORCE_COLOR === 'false') env.FORCE_COLOR = '1';
	delete env.NO_COLOR;
}
