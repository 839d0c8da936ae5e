/**
 * A closed standard output or error (`panka apply … | head -3`, a CI runner that went away): the
 * process learns it from EPIPE on its next write. cli.ts reports each stream here once;
 * a command doing something that must not be cut short (an apply) listens and stops cleanly
 * instead, and every other command lets cli.ts exit quietly, as any Unix tool does.
 *
 * Kept tiny and dependency-free: cli.ts loads it before anything else.
 */
export type OutputStream = 'stdout' | 'stderr';

const listeners = new Set<(stream: OutputStream) => void>();
const closed = new Set<OutputStream>();

/**
 * cli.ts: `stream` failed with EPIPE (every later write to it fails again). True when the process
 * must not exit for it: a listener took the first one, and later ones change nothing.
 */
export function reportOutputClosed(stream: OutputStream): boolean {
	if (closed.has(stream)) return true;
	closed.add(stream);
	for (const listener of listeners) listener(stream);
	return listeners.size > 0;
}

export function isOutputClosed(stream: OutputStream): boolean {
	return closed.has(stream);
}

/** Hear about closed outputs while the returned function is not called; a stream already closed is reported at once. */
export function onOutputClosed(listener: (stream: OutputStream) => void): () => void {
	listeners.add(listener);
	for (const stream of closed) listener(stream);
	return () => listeners.delete(listener);
}
