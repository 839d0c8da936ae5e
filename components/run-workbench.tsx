/**
 * `panka [folder]` on a terminal: render the workbench and resolve with the exit code once the
 * user leaves it (0 for q, 130 for ctrl+c). Ink is configured not to exit on ctrl+c itself, so
 * the workbench decides; the workspace watcher is stopped through an AbortController when the
 * app ends, whatever the reason.
 *
 * `services` (optional) is how the workbench plans and saves plans without touching a backend or
 * a file itself: the CLI passes functions that have the tenant session and the state backend
 * (services.ts). Without `services.plan`, `p` says how to log in.
 */
import {render} from 'ink';
import type {WorkspaceOptions} from '../engine/index.js';
import type {WorkbenchServices} from './services.js';
import {Workbench} from './Workbench.js';

export type {PlanOutcome, SaveOutcome, WorkbenchServices} from './services.js';

export async function runWorkbench({
	root,
	options,
	services,
	noColor = false,
}: {
	root: string;
	options: WorkspaceOptions;
	services?: WorkbenchServices;
	/** No colour (NO_COLOR, TERM=dumb): the graph drawing says with glyphs what colour would. */
	noColor?: boolean;
}): Promise<number> {
	const controller = new AbortController();
	let code = 0;
	const instance = render(
		<Workbench
			root={root}
			options={options}
			{...(services ? {services} : {})}
			signal={controller.signal}
			noColor={noColor}
			onExit={(exitCode) => {
				code = exitCode;
			}}
		/>,
		// Not incrementalRendering: with ink 6.8 it leaves stale rows behind in a real terminal
		// (seen in tmux); full frames are written inside synchronized-update sequences instead.
		{exitOnCtrlC: false},
	);
	try {
		await instance.waitUntilExit();
	} finally {
		controller.abort();
	}
	return code;
}
