/**
 * `panka apply` / `panka destroy` in a terminal: the live dashboard over the engine's events.
 *
 *     runApplyDashboard({events, plan, operation, onStop, onAbort, selection?})
 *       → Promise<summary event | undefined>
 *
 * Resolves, once the user leaves the finished run, with the engine's `summary` event (undefined
 * if the stream ended without one). Rejects with the stream's error when the stream threw (after
 * the user has read it on the dashboard), so the caller reports it like any other failure.
 *
 * Ctrl-C is the dashboard's: Ink runs with `exitOnCtrlC: false` and raw mode, so the terminal
 * delivers ^C as a key, not as SIGINT. The first calls `onStop` (the engine starts nothing new;
 * the steps in flight finish and are saved), the second `onAbort` (they are aborted and stay
 * pending). A SIGINT from elsewhere (`kill -INT`) is still the caller's to handle.
 *
 * Invariants: renders only the dashboard (no backend, no files, no process signals, no exit
 * code); the frame is cleared when it ends, so the caller's report follows on a clean terminal.
 */
import {render} from 'ink';
import type {EngineEvent, Plan, Selection} from '../../engine/index.js';
import {ApplyDashboard, type ApplyDashboardResult} from './ApplyDashboard.js';

export interface ApplyDashboardInput {
	events: AsyncIterable<EngineEvent>;
	plan: Plan;
	operation: 'apply' | 'destroy';
	onStop(): void;
	onAbort(): void;
	/** The approved changes; only seeds the rows until the engine lists its steps. */
	selection?: Selection;
}

export async function runApplyDashboard(input: ApplyDashboardInput): Promise<Extract<EngineEvent, {type: 'summary'}> | undefined> {
	if (!process.stdin.isTTY)
		throw new Error('the apply dashboard needs an interactive terminal; without one, panka apply prints one line per event');
	let finish: (result: ApplyDashboardResult) => void = () => {};
	const done = new Promise<ApplyDashboardResult>((resolve) => {
		finish = resolve;
	});
	const instance = render(
		<ApplyDashboard
			events={input.events}
			plan={input.plan}
			{...(input.selection ? {selection: input.selection} : {})}
			operation={input.operation}
			onStop={() => input.onStop()}
			onAbort={() => input.onAbort()}
			onDone={(result) => finish(result)}
		/>,
		{exitOnCtrlC: false},
	);
	const result = await done;
	instance.unmount();
	await instance.waitUntilExit();
	if (result.error !== undefined) throw result.error;
	return result.summary;
}
