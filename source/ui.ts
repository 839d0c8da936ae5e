/**
 * Loading the terminal UI. Ink and React are imported only here and only on the TUI path, so
 * plain commands never pay for them; React's production build is used (its development build
 * costs about a quarter more per frame), unless NODE_ENV says otherwise.
 */
export async function loadUi<T>(load: () => Promise<T>): Promise<T> {
	process.env.NODE_ENV ??= 'production';
	return load();
}
