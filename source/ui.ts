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

/** Tells chalk (and so Ink) the colour decision: FORCE_COLOR=0 without colour, kept or 1 with it. */
export function inkColorEnv(env: Record<string, string | undefined>, color: boolean): void {
	if (!color) env.FORCE_COLOR = '0';
	else if (env.FORCE_COLOR === undefined || env.FORCE_COLOR === '0' || env.FORCE_COLOR === 'false') env.FORCE_COLOR = '1';
}
