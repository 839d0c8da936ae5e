/**
 * Feeds the reducer from the engine's watchWorkspace: the first workspace, then one per burst of
 * saves. Nothing restarts on a reload; the previous workspace stays on screen until the next one
 * is dispatched.
 *
 * Invariants:
 * - One watcher per mounted workbench; it stops (closing every fs watcher) on unmount and when
 *   the caller's `signal` aborts, whichever comes first.
 * - No dispatch after the watcher was stopped.
 * - `options` must be stable for the life of the workbench (a new object restarts the watch).
 */
import {type Dispatch, useEffect} from 'react';
import {watchWorkspace} from '../../engine/index.js';
import type {WorkspaceOptions} from '../../engine/index.js';
import type {WorkbenchAction} from '../state/actions.js';

export interface WatchSettings {
	signal?: AbortSignal;
	debounceMs?: number;
}

export function useWorkspaceWatch(
	root: string,
	options: WorkspaceOptions,
	dispatch: Dispatch<WorkbenchAction>,
	settings: WatchSettings = {},
): void {
	const {signal, debounceMs} = settings;
	useEffect(() => {
		const controller = new AbortController();
		const stop = () => controller.abort();
		if (signal?.aborted) return;
		signal?.addEventListener('abort', stop, {once: true});
		void (async () => {
			try {
				const watch = watchWorkspace(root, options, {
					signal: controller.signal,
					onReloadStart: () => {
						if (!controller.signal.aborted) dispatch({type: 'workspace.reloading'});
					},
					...(debounceMs !== undefined ? {debounceMs} : {}),
				});
				for await (const workspace of watch) {
					if (controller.signal.aborted) break;
					dispatch({type: 'workspace.loaded', workspace});
				}
			} catch (error) {
				if (!controller.signal.aborted)
					dispatch({type: 'workspace.failed', message: error instanceof Error ? error.message : String(error)});
			}
		})();
		return () => {
			signal?.removeEventListener('abort', stop);
			controller.abort();
		};
	}, [root, options, dispatch, signal, debounceMs]);
}
