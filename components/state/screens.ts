/**
 * What the workbench shows: one Screen at a time, a discriminated union on `type`.
 *
 * Invariants:
 * - `overview` is the home screen; every other screen is reached from it and `esc` leads back.
 * - `help` is an overlay: it remembers the screen it covers (`under`) and restores it unchanged.
 * - Screens hold only what is theirs (the graph's centre and viewport, the diagnostic being shown); everything
 *   derived from the workspace is recomputed from the latest one on each render, so a reload
 *   never leaves a screen showing stale data.
 * - Later screens (apply dashboard, logs) are new variants here, a context and their bindings in
 *   keymap.ts, and a case in the reducer and in WorkbenchView: nothing else changes.
 * - The plan review is three screens: `planning` (the caller's plan service is running for
 *   `request`), `plan-failed`, and `review`. `planning` and `review` keep the workspace the plan is
 *   made from, so a reload during the review shows as "changed since this plan" and never
 *   replaces the plan under the user's selection. `a` goes through the same two screens with the
 *   intent `apply`: the review then offers y (apply the approved changes) first.
 * - `dashboard` is an apply in progress or finished (`request` identifies the run for the hook
 *   that performs it, use-apply-service.ts): it keeps the plan and the Selection it runs, and its
 *   own state (dashboard/dashboard-state.ts). It is left only once the run has ended.
 * - `logs` is the logs pane of one target (`l` on a component or a service): `pane` identifies it
 *   for the tail hook (use-log-tail.ts), `workspace` is the one it was opened on (a reload does not
 *   restart the tail), `logs` its own state (logs/logs-state.ts). The tail keeps running under
 *   the help overlay.
 * - `status` is the status pane: the health of `scope`'s components (the tree's selection when it
 *   was opened) or, with `whole`, of every deployed component; what it shows is the workbench's
 *   latest `health` answer, read again every few seconds while it is open.
 * - `history` is the deployment history (`H`) of the workspace it was opened on; `request`
 *   identifies it for the hook that reads it (use-history-service.ts), `history` its own state
 *   (history/history-state.ts).
 */
import type {Diagnostic, Plan, Selection, Workspace} from '../../engine/index.js';
import type {DashboardState} from '../dashboard/dashboard-state.js';
import type {HistoryState} from '../history/history-state.js';
import type {LogsState} from '../logs/logs-state.js';
import type {GraphPlan, GraphScope, Pan} from '../model/graph-picture.js';
import type {ReviewIntent, ReviewState} from '../review/review-state.js';
import type {ListCursor} from './list-cursor.js';

export type Focus = 'tree' | 'detail' | 'diagnostics';

export const focusOrder: readonly Focus[] = ['tree', 'detail', 'diagnostics'];

export type WizardKind = 'service-add';

export type BaseScreen =
	| {type: 'overview'}
	| {
			type: 'graph';
			/** The selection (shared with the tree): the list's and the neighbourhood's centre, the drawing's highlighted box. */
			centre: string;
			/** The list's highlighted row. */
			cursor: ListCursor;
			depth: number;
			/** The drawing (default) or the list. */
			drawn: boolean;
			scope: GraphScope;
			/** The drawing's viewport: the layout cell at its top-left corner. */
			pan: Pan;
			/** What is typed after `/`, while it is typed. */
			jump?: string;
			/** The plan on the graph, when opened from the plan review (which `back` is). */
			plan?: GraphPlan;
			back?: BaseScreen;
	  }
	| {type: 'diagnostic'; diagnostic: Diagnostic}
	| {type: 'wizard'; wizard: WizardKind}
	| {type: 'planning'; request: number; workspace: Workspace; intent: ReviewIntent}
	| {type: 'plan-failed'; message: string; hint?: string}
	| {type: 'review'; review: ReviewState; workspace: Workspace; intent: ReviewIntent}
	| {type: 'dashboard'; request: number; run: DashboardState; plan: Plan; selection: Selection; confirmedEnvironment?: string}
	| {type: 'logs'; pane: number; logs: LogsState; workspace: Workspace}
	| {type: 'status'; scope: StatusScope; whole: boolean; offset: number}
	| {type: 'history'; request: number; history: HistoryState; workspace: Workspace};

/** What the status pane was opened on: a component or a service, by name, with its components' addresses. */
export interface StatusScope {
	label: string;
	addresses: readonly string[];
}

export type Screen = BaseScreen | {type: 'help'; under: BaseScreen; offset: number};

export type ScreenType = Screen['type'];
