/**
 * Loading the terminal UI. Ink and React are imported only here and only on the TUI path, so
 * plain commands never pay for them; React's production build is used (its development build
 * costs about a quarter more per frame), unless NODE_ENV says otherwise.
 *
 * Since Node 22 an `import()` loads its whole module graph without turning the event loop, so a
 * Ctrl-C (SIGINT) typed during the UI's ~1 s load is handled only after it. The load therefore
 * ends with one turn of the loop: a stop asked for meanwhile is seen before the UI starts anything
 * (the destroy dashboard would otherwise start its first deletes before noticing the Ctrl-C).
 */
export async function loadUi<T>(load: () => Promise<T>): Promise<T> {
	process.env.NODE_ENV ??= 'production';
	const loaded = await load();
	await new Promise<void>((resolve) => setImmediate(resolve));
	return loaded;
}
