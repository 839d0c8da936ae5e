/**
 * On-demand values for the resolve: a position costs a full YAML parse of its file, so the resolve
 * computes positions only when something reads them.
 */

/** A memoised thunk: `compute` runs on the first call only. */
export function lazy<T>(compute: () => T): () => T {
	let done = false;
	let value: T;
	return () => {
		if (!done) {
			value = compute();
			done = true;
		}
		return value;
	};
}
