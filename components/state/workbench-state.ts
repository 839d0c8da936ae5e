/**
 * The workbench's UI state: one value, changed only by the reducer (reducer.ts) in response to
 * typed actions (actions.ts). Views are pure functions of it.
 *
 * Invariants:
 * - `workspace` is the latest one the watcher delivered; the previous one stays on screen until
 *   the next arrives (no blank "loading" frames on reload).
 * - The tree selection is a row key (`component:<name>` / `service:<name>`), plus the row index it
 *   had, used to pick the nearest row when the key disappears.
 * - Cursors are kept inside the windows of `layoutFor(size)`, so views can draw them as they are.
 */
import type {Workspace} from '../../engine/index.js';
import type {StackStatus} from '../../engine/observe.js';
import type {DeployedStatuses, StackCondition, WorkbenchServices} from '../services.js';
import {type KeyedCursor, startCursor} from './list-cursor.js';

export type {KeyedCursor} from './list-cursor.js';
import {defaultSize, type TerminalSize} from './layout.js';
import type {Focus, Screen} from './screens.js';

export interface Notice {
	text: string;
	tone: 'ok' | 'error' | 'info';
	/** `folder-errors`: it says the folder has errors, so it follows the diagnostics as they change. */
	about?: 'folder-errors';
}

export interface WorkbenchState {
	root: string;
	workspace?: Workspace;
	/** True until the first workspace arrives, and after the workbench wrote files until the watcher delivers them. */
	reloading: boolean;
	/** How many workspaces arrived (the first load counts). */
	loads: number;
	failure?: string;
	size: TerminalSize;
	screen: Screen;
	focus: Focus;
	/** Names of collapsed services. */
	collapsed: ReadonlySet<string>;
	tree: KeyedCursor;
	diagnostics: KeyedCursor;
	detailOffset: number;
	/** Select this tree row as soon as a workspace contains it (a service a wizard just wrote). */
	pendingKey?: string;
	notice?: Notice;
	/** Which of the caller's services exist (the services themselves stay in the component). */
	canPlan: boolean;
	canSavePlan: boolean;
	canApply: boolean;
	canReadDeployed: boolean;
	canTailLogs: boolean;
	canReadHistory: boolean;
	/** Why plan, apply and logs are not offered, when the caller says (read-only). */
	readOnly?: string;
	/** How many logs panes were opened: the id of the latest. */
	logsPanes: number;
	/** How many history screens were opened: the id of the latest. */
	historyRequests: number;
	/** How many plans were asked for: the id of the latest, so a late answer to an older one is ignored. */
	planRequests: number;
	/** How many applies were started: the id of the latest run. */
	applyRequests: number;
	/**
	 * What is deployed, from the recorded state (the tree's markers): asked for when the workbench
	 * opens and after every apply (`deployedRequests` counts the asks; only the latest answer is
	 * kept). Undefined until the first answer, or without the service.
	 */
	deployed?: {statuses: DeployedStatuses} | {error: string};
	deployedRequests: number;
	/**
	 * Each deployed component's health read from AWS (the tree's verdicts, the status pane): asked
	 * when the workbench opens, after every apply and every few seconds while the status pane is
	 * open (`healthRequests` counts the asks; only the latest answer is kept).
	 */
	health?: {status: StackStatus} | {error: string};
	healthRequests: number;
	canReadStatus: boolean;
	/** What a cut-off run left on the stack (the header's lock and in-flight marks), asked with `deployed`. */
	condition?: StackCondition;
	/** No colour on this terminal: views that use colour for meaning use glyphs instead. */
	noColor: boolean;
	/**
	 * The environment `e` switched to (undefined: the one the workbench opened with). The
	 * Workbench resolves the folder for it; the workspace that comes back is that environment's.
	 */
	environment?: string;
	/** Set when the app should end; the Workbench component performs the exit. */
	exit?: {code: number};
}

export function initialState({
	root,
	size = defaultSize,
	services = {},
	noColor = false,
}: {
	root: string;
	size?: TerminalSize;
	services?: WorkbenchServices;
	noColor?: boolean;
}): WorkbenchState {
	return {
		root,
		noColor,
		canPlan: services.plan !== undefined,
		canSavePlan: services.savePlan !== undefined,
		canApply: services.apply !== undefined,
		canReadDeployed: services.deployedStatus !== undefined,
		canTailLogs: services.logs !== undefined,
		canReadStatus: services.status !== undefined,
		canReadHistory: services.history !== undefined,
		...(services.readOnly ? {readOnly: services.readOnly} : {}),
		logsPanes: 0,
		historyRequests: 0,
		planRequests: 0,
		applyRequests: 0,
		deployedRequests: 1,
		healthRequests: 1,
		reloading: true,
		loads: 0,
		size,
		screen: {type: 'overview'},
		focus: 'tree',
		collapsed: new Set(),
		tree: {...startCursor},
		diagnostics: {...startCursor},
		detailOffset: 0,
	};
}
