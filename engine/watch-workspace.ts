/**
 * watchWorkspace: the workspace again after every save, for the live workbench.
 *
 * Invariants:
 * - Yields the initial workspace at once, then one workspace per burst of file events: events are
 *   debounced (default 30 ms), and a burst that arrives while a reload runs causes exactly one more
 *   reload after it, never a pile-up.
 * - Watches directories, not files (editors save by rename, which kills per-file watchers): the
 *   stack root, services/, each service folder and its config/, and the tenant config's folder.
 *   The watched set is recomputed after every reload, so new services are followed too.
 * - Re-parses only changed files (one FileCache for the whole watch).
 * - Stops, closing every watcher, when `signal` aborts or the consumer stops iterating.
 */
import {type FSWatcher, watch} from 'node:fs';
import path from 'node:path';
import {FileCache, loadWorkspace, type Workspace, type WorkspaceOptions} from './workspace.js';

export interface WatchOptions {
	signal?: AbortSignal;
	debounceMs?: number;
	/** Called when a reload begins (after the debounce), before its workspace is yielded. */
	onReloadStart?: () => void;
}

export async function* watchWorkspace(
	dir: string,
	options: WorkspaceOptions = {},
	watchOptions: WatchOptions = {},
): AsyncGenerator<Workspace> {
	const root = path.resolve(dir);
	const cache = options.cache ?? new FileCache();
	const load = () => loadWorkspace(root, {...options, cache});
	const debounceMs = watchOptions.debounceMs ?? 30;
	const watchers = new Map<string, FSWatcher>();
	let dirty = false;
	let timer: NodeJS.Timeout | undefined;
	let wake: (() => void) | undefined;
	const signal = watchOptions.signal;

	const onEvent = () => {
		if (timer) clearTimeout(timer);
		timer = setTimeout(() => {
			dirty = true;
			wake?.();
		}, debounceMs);
	};
	const sync = (workspace: Workspace) => {
		const wanted = new Set<string>([root, path.join(root, 'services')]);
		for (const service of workspace.services) {
			wanted.add(path.join(root, 'services', service.dirName));
			wanted.add(path.join(root, 'services', service.dirName, 'config'));
		}
		if (options.tenantConfigPath) wanted.add(path.dirname(path.resolve(options.tenantConfigPath)));
		for (const [watched, watcher] of watchers) {
			if (!wanted.has(watched)) {
				watcher.close();
				watchers.delete(watched);
			}
		}
		for (const target of wanted) {
			if (watchers.has(target)) continue;
			try {
				const watcher = watch(target, onEvent);
				watcher.on('error', () => {
					watcher.close();
					watchers.delete(target);
				});
				watchers.set(target, watcher);
			} catch {
				// the folder does not exist (yet); the next reload tries again
			}
		}
	};
	const aborted = new Promise<void>((resolve) => {
		if (signal?.aborted) resolve();
		signal?.addEventListener('abort', () => resolve(), {once: true});
	});

	try {
		let workspace = await load();
		sync(workspace);
		yield workspace;
		while (!signal?.aborted) {
			if (!dirty) {
				await Promise.race([new Promise<void>((resolve) => (wake = resolve)), aborted]);
				wake = undefined;
				if (signal?.aborted) break;
			}
			dirty = false;
			watchOptions.onReloadStart?.();
			workspace = await load();
			sync(workspace);
			yield workspace;
		}
	} finally {
		if (timer) clearTimeout(timer);
		for (const watcher of watchers.values()) watcher.close();
		watchers.clear();
	}
}
