/**
 * Everything that can change the workbench's state. Keys arrive raw (`key`) and are resolved by
 * the reducer against the keymap with the state it is given, never a stale copy: two keys that
 * arrive in one chunk (a fast typist, tmux send-keys) are applied in order to the right screen.
 */
import type {EngineEvent, Plan, Workspace} from '../../engine/index.js';
import type {BindingId, KeyPress} from '../keymap.js';
import type {HistoryChanges, HistoryState} from '../history/history-state.js';
import type {LogLine, LogsNotice} from '../logs/logs-state.js';
import type {StackStatus} from '../../engine/observe.js';
import type {DeployedStatuses, PlanOutcome, SaveOutcome, StackCondition} from '../services.js';
import type {TerminalSize} from './layout.js';

export interface WizardResult {
	base: string;
	written: string[];
}

export type WorkbenchAction =
	| {type: 'key'; press: KeyPress}
	| {type: 'command'; command: BindingId}
	| {type: 'workspace.reloading'}
	| {type: 'workspace.loaded'; workspace: Workspace}
	| {type: 'workspace.failed'; message: string}
	| {type: 'resize'; size: TerminalSize}
	| {type: 'wizard.finished'; result: WizardResult | undefined}
	/** The caller's plan service answered request `request`. */
	| {type: 'plan.finished'; request: number; outcome: PlanOutcome}
	/** The caller's savePlan answered save request `request` of the review of `plan`. */
	| {type: 'plan.saved'; plan: Plan; request: number; outcome: SaveOutcome}
	/** A batch of the engine's events of apply run `request` (at most one per frame). */
	| {type: 'apply.events'; request: number; events: EngineEvent[]}
	/** Apply run `request`'s stream ended; `error` when it threw (refused, lock held, …). */
	| {type: 'apply.ended'; request: number; error?: {message: string; hint?: string}}
	/** The caller's deployedStatus answered request `request`. */
	| {type: 'deployed.loaded'; request: number; outcome: {statuses: DeployedStatuses} | {error: string}; condition?: StackCondition}
	/** A batch of lines for logs pane `pane`. */
	| {type: 'logs.lines'; pane: number; lines: LogLine[]}
	/** A status from the tail of logs pane `pane`. */
	| {type: 'logs.status'; pane: number; notice: LogsNotice}
	/** Tail `tailRequest` of logs pane `pane` ended (read everything) or failed (`error`). */
	| {type: 'logs.ended'; pane: number; tailRequest: number; error?: {message: string; hint?: string}}
	/** The caller's status service answered request `request`. */
	| {type: 'status.loaded'; request: number; outcome: {status: StackStatus} | {error: string}}
	/** Time to read the stack's health again (the status pane is open). */
	| {type: 'status.refresh'}
	/** The history service answered history screen `request`. */
	| {type: 'history.loaded'; request: number; list: NonNullable<HistoryState['list']>}
	/** The deploymentChanges service answered for deployment `label` of history screen `request`. */
	| {type: 'history.changes'; request: number; label: string; changes: HistoryChanges};
