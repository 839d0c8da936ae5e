/**
 * `panka apply` / `panka destroy` in a terminal: the dashboard alone, without the workbench around
 * it. This is its reducer: engine event batches and the end of the stream to dashboard-state.ts,
 * keys through the keymap (the dashboard's contexts, then global), and the one way it ends: the
 * user leaves a finished run (enter, esc, q, or ctrl+c once it has ended).
 *
 * Invariants:
 * - Pure; `left` is set once, only after the run ended, and nothing changes after it. While the
 *   apply runs there is no way out but through the engine: ctrl+c stops it (then aborts it), and
 *   the dashboard stays until the engine has finished and saved (leaving earlier would end the
 *   process with the stack's lock held and steps unrecorded).
 */
import type {EngineEvent, Plan, Selection} from '../../engine/index.js';
import {type KeyContext, type KeyPress, resolveBinding} from '../keymap.js';
import {terminalViewport} from '../review/terminal-review.js';
import type {TerminalSize} from '../state/layout.js';
import {
	type DashboardState,
	dashboardCommand,
	dashboardContexts,
	dashboardEnded,
	dashboardEvents,
	openDashboard,
	refitDashboard,
} from './dashboard-state.js';

export interface TerminalDashboardState {
	run: DashboardState;
	size: TerminalSize;
	left: boolean;
}

export type TerminalDashboardAction =
	| {type: 'key'; press: KeyPress}
	| {type: 'resize'; size: TerminalSize}
	| {type: 'events'; events: EngineEvent[]}
	| {type: 'ended'; error?: {message: string; hint?: string}};

export function terminalDashboardContexts(run: Pick<DashboardState, 'ended'>): KeyContext[] {
	return [...dashboardContexts(run), 'global'];
}

export function initialTerminalDashboard({
	plan,
	selection,
	operation,
	size,
	now,
}: {
	plan: Plan;
	selection?: Selection;
	operation: 'apply' | 'destroy';
	size: TerminalSize;
	now: number;
}): TerminalDashboardState {
	return {run: openDashboard({plan, ...(selection ? {selection} : {}), operation, now}, terminalViewport(size)), size, left: false};
}

export function terminalDashboardReducer(state: TerminalDashboardState, action: TerminalDashboardAction): TerminalDashboardState {
	if (state.left) return state;
	const viewport = terminalViewport(state.size);
	const withRun = (run: DashboardState) => (run === state.run ? state : {...state, run});
	switch (action.type) {
		case 'resize':
			return {...state, size: action.size, run: refitDashboard(state.run, terminalViewport(action.size))};
		case 'events':
			return withRun(dashboardEvents(state.run, action.events, viewport));
		case 'ended':
			return withRun(dashboardEnded(state.run, action.error, viewport));
		case 'key': {
			const binding = resolveBinding(action.press, terminalDashboardContexts(state.run));
			if (!binding) return state;
			if (binding.id === 'dashboard-leave' || (binding.id === 'interrupt' && state.run.ended)) return {...state, left: true};
			return withRun(dashboardCommand(state.run, binding.id, viewport));
		}
	}
}
