/**
 * The workbench reducer: (state, action) → state, pure and total.
 *
 * Invariants:
 * - Keys are resolved here, through the keymap registry and `activeContexts(state)`, so every key
 *   acts on the state it arrives in (see actions.ts).
 * - A new workspace never resets what the user was looking at: the tree selection is kept by key
 *   (a vanished row gives way to the nearest row), the diagnostics cursor likewise, the screen and
 *   focus stay, and the graph keeps its centre and its highlighted node.
 * - Every cursor is re-fitted to its window (layoutFor) whenever rows, size or position change.
 * - Nothing here performs effects: quitting sets `exit`, the Workbench component does the rest;
 *   `p` opens the `planning` screen with a new request id, and the plan service's answer arrives as
 *   `plan.finished` (an answer to any other request, or after esc, is dropped). Saving likewise.
 *   `a` plans the same way with the intent to apply; `y` in the review opens the `dashboard` with
 *   a new apply request id, which the apply hook (use-apply-service.ts) performs; its events
 *   arrive as `apply.events` batches and its end as `apply.ended`, and each apply's end asks for
 *   the deployed statuses again (`deployedRequests`).
 * - On the review screen every command but back, quit, help, ctrl+c and y is the review's
 *   (review/review-state.ts), applied with the review pane's size; on the dashboard every command
 *   but help and leaving is the dashboard's (dashboard/dashboard-state.ts), also under the help.
 * - A running apply is never left: the dashboard's contexts shadow ctrl+c (it stops the apply) and
 *   offer no quit; it is left once its stream has ended.
 * - `l` opens the logs pane on the selection's components whose kind has logs (a new `pane`
 *   id); the tail hook (use-log-tail.ts) feeds it through `logs.*` actions, which are dropped
 *   unless they name the pane on screen. On the logs screen every command but back, quit, help and
 *   ctrl+c is the pane's (logs/logs-state.ts).
 * - `s` opens the status pane on the selection and asks for the health again (`healthRequests`);
 *   the status hook (use-stack-status.ts) answers with `status.loaded` and, while the pane is
 *   open, asks again every few seconds (`status.refresh`). The tree's verdicts are the latest
 *   answer. In the pane `l` opens the logs of its failing components.
 * - `H` opens the deployment history (a new `request` id); its list and each selected
 *   deployment's changes arrive as `history.*` actions (use-history-service.ts), dropped unless
 *   they name the history screen on screen. There ↑↓ select, pgup/pgdn scroll the changes.
 */
import {approvedChanges, environmentLabel, hasErrors, hasLogs, kindsWithLogs, listText, planMarks, plural} from '../../engine/index.js';
import type {Workspace} from '../../engine/index.js';
import type {BindingId} from '../keymap.js';
import {resolveBinding} from '../keymap.js';
import {detailLines, type Selection} from '../model/detail-lines.js';
import {type GraphModel, graphModel, maxGraphDepth} from '../model/graph-lines.js';
import {panStep} from '../model/graph-picture.js';
import {helpLines} from '../model/help-lines.js';
import {
	type DashboardState,
	type DashboardViewport,
	dashboardCommand,
	dashboardEnded,
	dashboardEvents,
	openDashboard,
	refitDashboard,
} from '../dashboard/dashboard-state.js';
import {
	changesLines,
	deploymentCount,
	historyChangesLoaded,
	historyCommand,
	historyLayout,
	historyLoaded,
	type HistoryState,
	openHistory,
	selectedDeployment,
} from '../history/history-state.js';
import {logRows, logsCommand, logsEnded, logsReceived, type LogsState, logsStatus, logsTyped, openLogs} from '../logs/logs-state.js';
import {
	confirmEnvironment,
	openReview,
	type ReviewState,
	type ReviewViewport,
	refitReview,
	reviewCommand,
	reviewSaved,
	reviewTyped,
	withApplyNotice,
} from '../review/review-state.js';
import type {ReviewIntent} from '../review/terminal-review.js';
import type {PlanOutcome} from '../services.js';
import {statusPaneView, statusRows} from '../status/status-lines.js';
import type {WizardResult, WorkbenchAction} from './actions.js';
import {activeContexts} from './contexts.js';
import {centreView, followPicture, type GraphScreen, type GraphSurface, jumpTarget, jumpTyped, panView} from './graph-state.js';
import {type Layout, layoutFor} from './layout.js';
import {type CursorMove, cursorTarget, cursorTo, isCursorMove, type ListCursor, scrollBy, startCursor} from './list-cursor.js';
import {type BaseScreen, focusOrder} from './screens.js';
import {componentKey, componentsInTreeOrder, diagnosticKey, serviceKey, type TreeRow, treeRows} from './tree-rows.js';
import type {KeyedCursor, WorkbenchState} from './workbench-state.js';

export function workbenchReducer(state: WorkbenchState, action: WorkbenchAction): WorkbenchState {
	switch (action.type) {
		case 'key': {
			const binding = resolveBinding(action.press, activeContexts(state));
			// A notice stays until the next command (which may set its own).
			if (binding) return runCommand(state.notice ? {...state, notice: undefined} : state, binding.id);
			// A key no binding took is text where something is being typed (the review's or the logs' filter, a graph jump).
			if (state.screen.type === 'graph' && state.screen.jump !== undefined)
				return {...state, screen: jumpTyped(state.screen, action.press)};
			if (state.screen.type === 'logs') return withLogs(state, state.screen.pane, (logs) => logsTyped(logs, action.press));
			return state.screen.type === 'review' ? withReview(state, (review, viewport) => reviewTyped(review, action.press, viewport)) : state;
		}
		case 'command':
			return runCommand(state, action.command);
		case 'workspace.reloading':
			return state.reloading ? state : {...state, reloading: true};
		case 'workspace.loaded':
			return workspaceLoaded(state, action.workspace);
		case 'workspace.failed':
			return {...state, reloading: false, failure: action.message};
		case 'resize':
			return refitStatus(refit({...state, size: action.size}, state.size));
		case 'wizard.finished':
			return wizardFinished(state, action.result);
		case 'plan.finished':
			return planFinished(state, action.request, action.outcome);
		case 'apply.events':
			return withDashboard(state, action.request, (run, viewport) => dashboardEvents(run, action.events, viewport));
		case 'apply.ended': {
			const next = withDashboard(state, action.request, (run, viewport) => dashboardEnded(run, action.error, viewport));
			// What is deployed changed (or may have): ask again, so the tree is current when the user goes back.
			return action.request === state.applyRequests
				? {...next, deployedRequests: state.deployedRequests + 1, healthRequests: state.healthRequests + 1}
				: next;
		}
		case 'deployed.loaded': {
			if (action.request !== state.deployedRequests) return state;
			// A condition no longer reported (the lock released, the operations resolved) is cleared.
			const {condition: _previous, ...rest} = state;
			return {...rest, deployed: action.outcome, ...(action.condition ? {condition: action.condition} : {})};
		}
		case 'status.loaded': {
			if (action.request !== state.healthRequests) return state;
			return refitStatus({...state, health: action.outcome});
		}
		case 'status.refresh':
			return screenOf(state.screen, 'status') ? {...state, healthRequests: state.healthRequests + 1} : state;
		case 'logs.lines':
			return withLogs(state, action.pane, (logs) => logsReceived(logs, action.lines));
		case 'logs.status':
			return withLogs(state, action.pane, (logs) => logsStatus(logs, action.notice));
		case 'logs.ended':
			return withLogs(state, action.pane, (logs) => logsEnded(logs, action.tailRequest, action.error));
		case 'history.loaded':
			return withHistory(state, action.request, (history) => historyLoaded(history, action.list));
		case 'history.changes':
			return withHistory(state, action.request, (history) => historyChangesLoaded(history, action.label, action.changes));
		case 'plan.saved': {
			const review = screenOf(state.screen, 'review')?.review;
			if (review?.plan === action.plan && review.saveRequest === action.request)
				return withReview(state, (r) => reviewSaved(r, action.outcome));
			// The user left that review while it was being saved: say what became of it.
			const outcome = action.outcome;
			return {
				...state,
				notice:
					'path' in outcome
						? {text: `✓ saved the plan to ${outcome.path}`, tone: 'ok'}
						: {text: `the plan was not saved: ${outcome.error}`, tone: 'error'},
			};
		}
	}
}

// ---------------------------------------------------------------------------------------------
// Screens that may sit under the help overlay (review, dashboard, logs)

type ScreenOfType<T extends BaseScreen['type']> = Extract<BaseScreen, {type: T}>;

/** The screen of type `type`, on screen or under the help overlay. */
export function screenOf<T extends BaseScreen['type']>(screen: WorkbenchState['screen'], type: T): ScreenOfType<T> | undefined {
	const base = screen.type === 'help' ? screen.under : screen;
	return base.type === type ? (base as ScreenOfType<T>) : undefined;
}

/** Replaces that screen with `change(screen)` where it is (on screen or under the help); the same state when nothing changed. */
function withScreen<T extends BaseScreen['type']>(
	state: WorkbenchState,
	type: T,
	change: (screen: ScreenOfType<T>) => ScreenOfType<T>,
): WorkbenchState {
	const screen = screenOf(state.screen, type);
	if (!screen) return state;
	const next = change(screen);
	if (next === screen) return state;
	return {...state, screen: state.screen.type === 'help' ? {...state.screen, under: next} : next};
}

// ---------------------------------------------------------------------------------------------
// Plan review

/** The review pane fills the view area. */
export function reviewViewport(layout: Layout): ReviewViewport {
	return {width: layout.width, height: layout.fullHeight};
}

function withReview(state: WorkbenchState, change: (review: ReviewState, viewport: ReviewViewport) => ReviewState): WorkbenchState {
	return withScreen(state, 'review', (screen) => {
		const review = change(screen.review, reviewViewport(layoutFor(state.size)));
		return review === screen.review ? screen : {...screen, review};
	});
}

const needsTenant = 'plan needs a tenant: panka login (or PANKA_TENANT + PANKA_TENANT_SECRET)';

function startPlan(state: WorkbenchState, intent: ReviewIntent): WorkbenchState {
	if (state.screen.type === 'planning') return state;
	const workspace = state.workspace;
	if (!workspace) return {...state, notice: {text: 'the stack is still loading', tone: 'info'}};
	if (!state.canPlan || (intent === 'apply' && !state.canApply))
		return {...state, notice: {text: state.readOnly ?? needsTenant, tone: state.readOnly ? 'info' : 'error'}};
	if (hasErrors(workspace.diagnostics)) return refusedForErrors(state, workspace);
	const request = state.planRequests + 1;
	return {...state, planRequests: request, notice: undefined, screen: {type: 'planning', request, workspace, intent}};
}

// ---------------------------------------------------------------------------------------------
// Apply dashboard

/** The dashboard pane fills the view area, like the review. */
export function dashboardViewport(layout: Layout): DashboardViewport {
	return {width: layout.width, height: layout.fullHeight};
}

/** Changes the dashboard of run `request` (any run when undefined), wherever it is shown. */
function withDashboard(
	state: WorkbenchState,
	request: number | undefined,
	change: (run: DashboardState, viewport: DashboardViewport) => DashboardState,
): WorkbenchState {
	return withScreen(state, 'dashboard', (screen) => {
		if (request !== undefined && screen.request !== request) return screen;
		const run = change(screen.run, dashboardViewport(layoutFor(state.size)));
		return run === screen.run ? screen : {...screen, run};
	});
}

/** y in the review: the approved changes go to the caller's apply service, on the dashboard. */
function startApply(state: WorkbenchState): WorkbenchState {
	const screen = screenOf(state.screen, 'review');
	if (!screen || state.screen.type !== 'review') return state;
	if (!state.canApply) return {...state, notice: {text: state.readOnly ?? needsTenant, tone: 'error'}};
	const {plan, selection, status} = screen.review;
	if (status === 'saving') return state;
	if (!approvedChanges(plan, selection).some((c) => c.action !== 'no-op'))
		return withReview(state, (review) => ({...review, notice: {tone: 'info', text: 'nothing to apply: no change is approved'}}));
	// A protected environment applies only once its name is typed (the engine's service checks it too).
	let confirmedEnvironment: string | undefined;
	if (plan.protectedEnvironment) {
		const {review, confirmed} = confirmEnvironment(screen.review);
		if (!confirmed) return withReview(state, () => review);
		confirmedEnvironment = plan.environment;
	}
	const request = state.applyRequests + 1;
	const run = openDashboard({plan, selection, operation: 'apply'}, dashboardViewport(layoutFor(state.size)));
	return {
		...state,
		applyRequests: request,
		notice: undefined,
		screen: {type: 'dashboard', request, run, plan, selection, ...(confirmedEnvironment ? {confirmedEnvironment} : {})},
	};
}

/** Back to the tree from a finished run, with the engine's verdict on it in the footer. */
function leaveDashboard(state: WorkbenchState, run: DashboardState): WorkbenchState {
	const outcome = run.summary?.outcome;
	const notice: WorkbenchState['notice'] = outcome
		? {text: outcome.headline, tone: outcome.tone === 'ok' ? 'ok' : 'error'}
		: {text: `the apply did not run: ${run.failure?.message ?? 'no summary'}`, tone: 'error'};
	return {...state, screen: {type: 'overview'}, focus: 'tree', notice};
}

// ---------------------------------------------------------------------------------------------
// Logs pane

/** Changes logs pane `pane`, wherever it is shown; rows are the pane's log rows. */
function withLogs(state: WorkbenchState, pane: number, change: (logs: LogsState, rows: number) => LogsState): WorkbenchState {
	return withScreen(state, 'logs', (screen) => {
		if (screen.pane !== pane) return screen;
		const logs = change(screen.logs, logRows(layoutFor(state.size).fullHeight));
		return logs === screen.logs ? screen : {...screen, logs};
	});
}

/** `l` on the tree's selection: its components whose kind has logs (hasLogs), live. */
function openLogsPane(state: WorkbenchState): WorkbenchState {
	const {workspace} = state;
	const selection = selectionOf(state);
	if (!workspace || !selection) return {...state, notice: {text: 'nothing to show logs of: select a component or a service', tone: 'info'}};
	if (!state.canTailLogs)
		return {
			...state,
			notice: {text: state.readOnly ?? 'logs need a tenant: panka login (or PANKA_TENANT + PANKA_TENANT_SECRET)', tone: 'error'},
		};
	const components = selectedComponents(workspace, selection);
	const tailable = components.filter((c) => hasLogs(c.kind));
	if (tailable.length === 0) {
		const what =
			selection.type === 'component'
				? `${selection.name} is ${components[0] ? `a ${components[0].kind}` : 'not a component'}`
				: `service ${selection.name} has no ${listText(kindsWithLogs, 'or')} component`;
		return {...state, notice: {text: `no logs to tail: ${what} (logs are ${listText(kindsWithLogs)} output)`, tone: 'info'}};
	}
	return logsPaneOn(state, workspace, selection.name, tailable);
}

function logsPaneOn(state: WorkbenchState, workspace: Workspace, label: string, components: readonly {name: string}[]): WorkbenchState {
	const pane = state.logsPanes + 1;
	const logs = openLogs({label, components: components.map((c) => c.name)});
	return {...state, logsPanes: pane, notice: undefined, screen: {type: 'logs', pane, logs, workspace}};
}

/** The selection's components: the component, or every component of the service. */
function selectedComponents(workspace: Workspace, selection: NonNullable<Selection>) {
	const names =
		selection.type === 'component' ? [selection.name] : (workspace.services.find((s) => s.name === selection.name)?.components ?? []);
	return names.map((n) => workspace.componentsByName.get(n)).filter((c) => c !== undefined);
}

// ---------------------------------------------------------------------------------------------
// Status pane

/** `s` on the tree's selection: the status pane on its components, read again now. */
function openStatusPane(state: WorkbenchState): WorkbenchState {
	const {workspace} = state;
	const selection = selectionOf(state);
	if (!workspace || !selection)
		return {...state, notice: {text: 'nothing to show the status of: select a component or a service', tone: 'info'}};
	const addresses = selectedComponents(workspace, selection).map((c) => c.address);
	return {
		...state,
		notice: undefined,
		healthRequests: state.canReadStatus ? state.healthRequests + 1 : state.healthRequests,
		screen: {type: 'status', scope: {label: selection.name, addresses}, whole: false, offset: 0},
	};
}

function statusCommand(state: WorkbenchState, screen: ScreenOfType<'status'>, command: BindingId): WorkbenchState {
	switch (command) {
		case 'status-scope':
			return {...state, screen: {...screen, whole: !screen.whole, offset: 0}};
		case 'status-logs':
			return logsOfStatus(state, screen);
		case 'move-up':
		case 'move-down':
		case 'page-up':
		case 'page-down':
		case 'first':
		case 'last': {
			const rows = statusRows(layoutFor(state.size).fullHeight);
			const count = statusPaneView(state, screen).rows.length;
			const offset = Math.max(0, Math.min(Math.max(0, count - rows), cursorTarget(command, screen.offset, count, rows)));
			return offset === screen.offset ? state : {...state, screen: {...screen, offset}};
		}
		default:
			return state;
	}
}

/** The status pane's offset kept inside its rows after a new answer or a resize. */
function refitStatus(state: WorkbenchState): WorkbenchState {
	return withScreen(state, 'status', (screen) => {
		const rows = statusRows(layoutFor(state.size).fullHeight);
		const offset = Math.min(screen.offset, Math.max(0, statusPaneView(state, screen).rows.length - rows));
		return offset === screen.offset ? screen : {...screen, offset};
	});
}

/** `l` in the status pane: the logs of its failing components that have logs (none failing: of every one shown that has). */
function logsOfStatus(state: WorkbenchState, screen: ScreenOfType<'status'>): WorkbenchState {
	const {workspace} = state;
	if (!workspace) return state;
	if (!state.canTailLogs)
		return {
			...state,
			notice: {text: state.readOnly ?? 'logs need a tenant: panka login (or PANKA_TENANT + PANKA_TENANT_SECRET)', tone: 'error'},
		};
	const shown = workspace.components.filter((c) => hasLogs(c.kind) && (screen.whole || screen.scope.addresses.includes(c.address)));
	const health = state.health && 'status' in state.health ? state.health.status.components : [];
	const failing = shown.filter((c) => health.some((h) => h.address === c.address && h.verdict === 'failing'));
	const chosen = failing.length > 0 ? failing : shown;
	if (chosen.length === 0)
		return {...state, notice: {text: `no logs to tail here (logs are ${listText(kindsWithLogs)} output)`, tone: 'info'}};
	const label =
		failing.length > 0
			? `failing in ${screen.whole ? 'the stack' : screen.scope.label}`
			: screen.whole
				? 'whole stack'
				: screen.scope.label;
	return logsPaneOn(state, workspace, label, chosen);
}

// ---------------------------------------------------------------------------------------------
// Deployment history

/** Changes history screen `request`, wherever it is shown. */
function withHistory(state: WorkbenchState, request: number, change: (history: HistoryState) => HistoryState): WorkbenchState {
	return withScreen(state, 'history', (screen) => {
		if (screen.request !== request) return screen;
		const history = change(screen.history);
		return history === screen.history ? screen : {...screen, history};
	});
}

/** `H`: the deployment history of the workspace's stack and environment. */
function openHistoryScreen(state: WorkbenchState): WorkbenchState {
	const {workspace} = state;
	if (!workspace) return {...state, notice: {text: 'the stack is still loading', tone: 'info'}};
	if (!state.canReadHistory)
		return {
			...state,
			notice: {text: state.readOnly ?? 'the history needs a tenant: panka login (or PANKA_TENANT + PANKA_TENANT_SECRET)', tone: 'error'},
		};
	const request = state.historyRequests + 1;
	return {...state, historyRequests: request, notice: undefined, screen: {type: 'history', request, history: openHistory(), workspace}};
}

/** A folder with errors is never planned: back to the overview, the diagnostics pane focused. */
function refusedForErrors(state: WorkbenchState, workspace: Workspace): WorkbenchState {
	const errors = workspace.diagnostics.filter((d) => d.severity === 'error').length;
	const what = errors > 0 ? `${plural(errors, 'error')}` : 'errors';
	return {...state, screen: {type: 'overview'}, focus: 'diagnostics', notice: folderErrorsNotice(what)};
}

function folderErrorsNotice(what: string): WorkbenchState['notice'] {
	return {text: `cannot plan: the stack folder has ${what} (see Diagnostics)`, tone: 'error', about: 'folder-errors'};
}

/** A notice about the folder's errors says what the folder has now: their new count, or that they are gone. */
function followDiagnostics(state: WorkbenchState, workspace: Workspace): WorkbenchState['notice'] {
	const {notice} = state;
	if (notice?.about !== 'folder-errors') return notice;
	const errors = workspace.diagnostics.filter((d) => d.severity === 'error').length;
	if (errors > 0) return folderErrorsNotice(`${plural(errors, 'error')}`);
	return {text: `✓ the stack folder has no errors now${state.canPlan ? ': p plans' : ''}`, tone: 'ok'};
}

function planFinished(state: WorkbenchState, request: number, outcome: PlanOutcome): WorkbenchState {
	const screen = state.screen;
	if (screen.type !== 'planning' || screen.request !== request) return state;
	if ('plan' in outcome) {
		const review = openReview(outcome.plan, reviewViewport(layoutFor(state.size)), {canSave: state.canSavePlan, endsOnConfirm: false});
		return {
			...state,
			screen: {
				type: 'review',
				review: screen.intent === 'apply' ? withApplyNotice(review) : review,
				workspace: screen.workspace,
				intent: screen.intent,
			},
		};
	}
	if (outcome.code === 'workspace-has-errors') return refusedForErrors(state, screen.workspace);
	return {...state, screen: {type: 'plan-failed', message: outcome.error, ...(outcome.hint ? {hint: outcome.hint} : {})}};
}

// ---------------------------------------------------------------------------------------------
// Derived values shared with the views

export function selectionOf(state: Pick<WorkbenchState, 'workspace' | 'collapsed' | 'tree'>): Selection {
	const row = treeRows(state.workspace, state.collapsed)[state.tree.index];
	if (!row) return undefined;
	return row.type === 'service' ? {type: 'service', name: row.service.name} : {type: 'component', name: row.component.name};
}

/** The component the graph opens on: the selected one, or the first of the selected service. */
function graphCentreFor(state: WorkbenchState): string | undefined {
	const selection = selectionOf(state);
	if (!selection || !state.workspace) return undefined;
	if (selection.type === 'component') return selection.name;
	return state.workspace.services.find((s) => s.name === selection.name)?.components.find((n) => state.workspace?.componentsByName.has(n));
}

// ---------------------------------------------------------------------------------------------
// Cursors

function placeKeyed(cursor: KeyedCursor, rows: readonly {key: string}[], height: number, preferKey?: string): KeyedCursor {
	if (rows.length === 0) return {...startCursor};
	let index = -1;
	if (preferKey !== undefined) index = rows.findIndex((r) => r.key === preferKey);
	if (index < 0 && cursor.key !== undefined) index = rows.findIndex((r) => r.key === cursor.key);
	if (index < 0) index = Math.min(cursor.index, rows.length - 1);
	const placed = cursorTo(cursor, index, rows.length, height);
	return {...placed, key: rows[placed.index]?.key};
}

function moveKeyed(cursor: KeyedCursor, rows: readonly {key: string}[], height: number, index: number): KeyedCursor {
	const placed = cursorTo(cursor, index, rows.length, height);
	return {...placed, key: rows[placed.index]?.key};
}

function diagnosticRows(workspace: Workspace | undefined): {key: string}[] {
	return (workspace?.diagnostics ?? []).map((d) => ({key: diagnosticKey(d)}));
}

function graphCursor(model: GraphModel, node: number, cursor: ListCursor, height: number): ListCursor {
	const index = Math.min(Math.max(node, 0), model.nodeIds.length - 1);
	const line = model.nodeLines[index] ?? 0;
	const rows = Math.max(1, height);
	let offset = index === 0 ? 0 : cursor.offset;
	if (line < offset) offset = line;
	if (line >= offset + rows) offset = line - rows + 1;
	offset = Math.min(Math.max(0, offset), Math.max(0, model.lines.length - rows));
	return {index, offset};
}

/** Re-fit every cursor to its window after the size or the rows changed. */
function refit(state: WorkbenchState, previousSize = state.size): WorkbenchState {
	const layout = layoutFor(state.size);
	const tree = placeKeyed(state.tree, treeRows(state.workspace, state.collapsed), layout.treeRows);
	const diagnostics = placeKeyed(state.diagnostics, diagnosticRows(state.workspace), layout.diagnosticsRows);
	let screen = state.screen;
	if (screen.type === 'graph') {
		const model = graphModel(state.workspace, screen.centre, screen.depth);
		if (model) {
			const refitted = {...screen, cursor: graphCursor(model, screen.cursor.index, screen.cursor, layout.fullRows)};
			const before = {workspace: state.workspace, screen, surface: {size: layoutFor(previousSize), glyphs: state.noColor}};
			screen = followPicture(before, {workspace: state.workspace, screen: refitted, surface: graphSurface(state)});
		}
	}
	const refitted = withReview({...state, tree, diagnostics, screen}, (review, viewport) => refitReview(review, viewport));
	return withDashboard(refitted, undefined, (run, viewport) => refitDashboard(run, viewport));
}

// ---------------------------------------------------------------------------------------------
// Workspace and wizard events

/** `e`: resolve the folder for the next declared environment (the Workbench reloads it; the selection stays). */
function switchEnvironment(state: WorkbenchState): WorkbenchState {
	const workspace = state.workspace;
	if (!workspace) return state;
	const declared = workspace.environments;
	if (declared.length < 2)
		return {
			...state,
			notice: {
				text:
					declared.length === 0
						? `stack.yaml declares no environments: this is ${workspace.environment} (add spec.environments to switch)`
						: `stack.yaml declares only ${workspace.environment}`,
				tone: 'info',
			},
		};
	const next = declared[(declared.indexOf(workspace.environment) + 1) % declared.length]!;
	return {...state, environment: next, reloading: true, notice: {text: `switching to ${next}…`, tone: 'info'}};
}

function workspaceLoaded(state: WorkbenchState, workspace: Workspace): WorkbenchState {
	const layout = layoutFor(state.size);
	const rows = treeRows(workspace, state.collapsed);
	const first = state.workspace === undefined;
	let preferKey = state.pendingKey && rows.some((r) => r.key === state.pendingKey) ? state.pendingKey : undefined;
	if (first && preferKey === undefined && state.tree.key === undefined) preferKey = rows.find((r) => r.type === 'component')?.key;
	const tree = placeKeyed(state.tree, rows, layout.treeRows, preferKey);
	const diagnostics = placeKeyed(state.diagnostics, diagnosticRows(workspace), layout.diagnosticsRows);

	let screen = state.screen;
	if (screen.type === 'graph') {
		const before = graphModel(state.workspace, screen.centre, screen.depth);
		const highlighted = before?.nodeIds[screen.cursor.index];
		const after = graphModel(workspace, screen.centre, screen.depth);
		if (after) {
			const node = highlighted ? after.nodeIds.indexOf(highlighted) : -1;
			const reloaded = {...screen, cursor: graphCursor(after, node >= 0 ? node : after.centreIndex, screen.cursor, layout.fullRows)};
			const surface = graphSurface(state);
			screen = followPicture({workspace: state.workspace, screen, surface}, {workspace, screen: reloaded, surface});
		}
	}
	const switched = state.workspace !== undefined && state.workspace.environment !== workspace.environment;
	return {
		...state,
		notice: switched
			? {text: `environment ${environmentLabel(workspace.environment, workspace.environmentSettings?.protected)}`, tone: 'info'}
			: followDiagnostics(state, workspace),
		// What is deployed is another environment's: dropped until its own answer comes.
		...(switched ? {deployed: undefined} : {}),
		workspace,
		loads: state.loads + 1,
		reloading: false,
		failure: undefined,
		tree,
		diagnostics,
		screen,
		detailOffset: tree.key === state.tree.key ? state.detailOffset : 0,
		pendingKey: preferKey === state.pendingKey ? undefined : state.pendingKey,
	};
}

function wizardFinished(state: WorkbenchState, result: WizardResult | undefined): WorkbenchState {
	const back: WorkbenchState = {...state, screen: {type: 'overview'}};
	if (!result) return {...back, notice: {text: 'new service cancelled: nothing written', tone: 'info'}};
	const service = result.written[0]?.split('/')[1];
	const notice = {
		text: `✓ wrote ${plural(result.written.length, 'file')}${service ? ` in services/${service}` : ''}`,
		tone: 'ok' as const,
	};
	const key = service ? serviceKey(service) : undefined;
	const rows = treeRows(state.workspace, state.collapsed);
	if (key && rows.some((r) => r.key === key)) {
		// The watcher was quicker than this message: the service is already on screen.
		return {...back, focus: 'tree', notice, tree: placeKeyed(state.tree, rows, layoutFor(state.size).treeRows, key), detailOffset: 0};
	}
	return {...back, reloading: true, focus: 'tree', ...(key ? {pendingKey: key} : {}), notice};
}

// ---------------------------------------------------------------------------------------------
// Commands
//
// A command goes first to the screen on show when that screen owns it (`screenCommand`), else to
// its entry in `commandHandlers`: one handler per binding id, grouped by family as the keymap
// groups its bindings, so a binding without a handler does not typecheck.

function runCommand(state: WorkbenchState, command: BindingId): WorkbenchState {
	return screenCommand(state, command) ?? commandHandlers[command](state, command);
}

/** Commands the review, logs and status screens leave to the workbench; every other one is theirs. */
const passedOnByReview: readonly BindingId[] = ['interrupt', 'quit', 'help', 'close', 'review-apply', 'review-confirm-env-done', 'graph'];
const passedOnByPanes: readonly BindingId[] = ['interrupt', 'quit', 'help', 'close'];
/** Commands the dashboard leaves to the workbench (it offers no quit while an apply runs: see the module header). */
const passedOnByDashboard: readonly BindingId[] = ['interrupt', 'help', 'close'];

/** The command's effect on the screen that owns it (review, logs, status, history, dashboard); undefined when it is the workbench's. */
function screenCommand(state: WorkbenchState, command: BindingId): WorkbenchState | undefined {
	const screen = state.screen;
	if (screen.type === 'review' && !passedOnByReview.includes(command))
		return withReview(state, (review, viewport) => reviewCommand(review, command, viewport));
	if (screen.type === 'logs' && !passedOnByPanes.includes(command))
		return withLogs(state, screen.pane, (logs, rows) => logsCommand(logs, command, rows));
	if (screen.type === 'status' && !passedOnByPanes.includes(command)) return statusCommand(state, screen, command);
	if (screen.type === 'history' && isCursorMove(command)) return moveInHistory(state, screen.request, command);
	const dashboard = screenOf(screen, 'dashboard');
	if (dashboard && command === 'dashboard-leave') return dashboard.run.ended ? leaveDashboard(state, dashboard.run) : state;
	if (
		dashboard &&
		(screen.type === 'dashboard' || command === 'apply-stop' || command === 'dashboard-follow') &&
		!passedOnByDashboard.includes(command)
	)
		return withDashboard(state, dashboard.request, (run, viewport) => dashboardCommand(run, command, viewport));
	return undefined;
}

function moveInHistory(state: WorkbenchState, request: number, command: CursorMove): WorkbenchState {
	const layout = layoutFor(state.size);
	return withHistory(state, request, (history) => {
		const selected = selectedDeployment(history);
		const diffLength = selected ? changesLines(selected, history.changes.get(selected.label)).length : 0;
		const {listHeight, diffHeight} = historyLayout(layout.fullHeight, deploymentCount(history));
		return historyCommand(history, command, listHeight - 2, diffHeight - 2, diffLength);
	});
}

type CommandHandler = (state: WorkbenchState, command: BindingId) => WorkbenchState;
type GraphCommandHandler = (state: WorkbenchState, screen: GraphScreen, command: BindingId) => WorkbenchState;

/** A graph screen's command: nothing happens on any other screen. */
function onGraph(handler: GraphCommandHandler): CommandHandler {
	return (state, command) => (state.screen.type === 'graph' ? handler(state, state.screen, command) : state);
}

/** A cursor movement in the focused list (the table's keys for it are exactly the cursor moves). */
const moveCursor: CommandHandler = (state, command) => (isCursorMove(command) ? move(state, command) : state);

/** A command that only means something where it is taken before the table: on its own screen (`screenCommand`) or in a wizard's reducer. */
const takenElsewhere: CommandHandler = (state) => state;

const commandHandlers: Readonly<Record<BindingId, CommandHandler>> = {
	// Everywhere
	interrupt: (state) => ({...state, exit: {code: 130}}),
	quit: (state) => ({...state, exit: {code: 0}}),
	help: toggleHelp,
	close: closeScreen,
	'focus-next': cycleFocus,
	'focus-prev': cycleFocus,
	// The tree, the detail and the diagnostics
	'move-up': moveCursor,
	'move-down': moveCursor,
	'page-up': moveCursor,
	'page-down': moveCursor,
	first: moveCursor,
	last: moveCursor,
	collapse: (state) => fold(state, 'collapse'),
	expand: (state) => fold(state, 'expand'),
	toggle: (state) => fold(state, 'toggle'),
	'open-diagnostic': openDiagnostic,
	// The graph
	graph: toggleGraph,
	'graph-pan-left': onGraph(panGraph),
	'graph-pan-right': onGraph(panGraph),
	'graph-pan-up': onGraph(panGraph),
	'graph-pan-down': onGraph(panGraph),
	'graph-view': onGraph(toggleGraphDrawing),
	'graph-scope': onGraph(toggleGraphScope),
	'graph-jump': onGraph((state, screen) => ({...state, screen: {...screen, jump: ''}})),
	'graph-jump-cancel': onGraph((state, screen) => ({...state, screen: {...screen, jump: undefined}})),
	'graph-jump-done': onGraph(finishGraphJump),
	'graph-recentre': onGraph(recentreOnHighlighted),
	'graph-prev': onGraph(stepGraphCentre),
	'graph-next': onGraph(stepGraphCentre),
	'graph-deeper': onGraph(changeGraphDepth),
	'graph-shallower': onGraph(changeGraphDepth),
	// Typing a graph jump; elsewhere the wizard's own reducer handles these.
	'wizard-erase': onGraph(eraseGraphJump),
	'wizard-clear': onGraph(eraseGraphJump),
	// What the workbench starts
	'new-service': openServiceWizard,
	'switch-env': switchEnvironment,
	plan: (state) => startPlan(state, 'plan'),
	apply: (state) => startPlan(state, 'apply'),
	'review-apply': startApply,
	'review-confirm-env-done': startApply,
	logs: openLogsPane,
	status: openStatusPane,
	history: openHistoryScreen,
	// Only on the status screen
	'status-scope': takenElsewhere,
	'status-logs': takenElsewhere,
	// Only on the logs screen
	'logs-pause': takenElsewhere,
	'logs-follow': takenElsewhere,
	'logs-live': takenElsewhere,
	'logs-filter': takenElsewhere,
	'logs-filter-done': takenElsewhere,
	'logs-filter-clear': takenElsewhere,
	// Only on the dashboard
	'apply-stop': takenElsewhere,
	'dashboard-follow': takenElsewhere,
	'dashboard-leave': takenElsewhere,
	// The wizard (its reducer, or its text input)
	'wizard-submit': takenElsewhere,
	'wizard-cursor': takenElsewhere,
	'wizard-cancel': takenElsewhere,
	'wizard-up': takenElsewhere,
	'wizard-down': takenElsewhere,
	'wizard-write': takenElsewhere,
	// Only on the review screen
	'review-toggle': takenElsewhere,
	'review-expand': takenElsewhere,
	'review-approve-all': takenElsewhere,
	'review-approve-broadening': takenElsewhere,
	'review-filter': takenElsewhere,
	'review-filter-done': takenElsewhere,
	'review-filter-clear': takenElsewhere,
	'review-confirm-env-cancel': takenElsewhere,
	'review-save': takenElsewhere,
	'review-confirm': takenElsewhere,
	'review-cancel': takenElsewhere,
};

// Everywhere

function toggleHelp(state: WorkbenchState): WorkbenchState {
	const screen = state.screen;
	if (screen.type === 'help') return {...state, screen: screen.under};
	return {...state, screen: {type: 'help', under: screen, offset: 0}};
}

function closeScreen(state: WorkbenchState): WorkbenchState {
	const screen = state.screen;
	if (screen.type === 'help') return {...state, screen: screen.under};
	return {...state, screen: (screen.type === 'graph' ? screen.back : undefined) ?? {type: 'overview'}};
}

function cycleFocus(state: WorkbenchState, command: BindingId): WorkbenchState {
	const step = command === 'focus-next' ? 1 : focusOrder.length - 1;
	return {...state, focus: focusOrder[(focusOrder.indexOf(state.focus) + step) % focusOrder.length]!};
}

// The tree, the detail and the diagnostics

function openDiagnostic(state: WorkbenchState): WorkbenchState {
	const diagnostic = state.workspace?.diagnostics[state.diagnostics.index];
	return diagnostic ? {...state, screen: {type: 'diagnostic', diagnostic}} : state;
}

// The graph

/** `g`: leaves the graph, or opens it on the review's plan or on the selection. */
function toggleGraph(state: WorkbenchState): WorkbenchState {
	const screen = state.screen;
	if (screen.type === 'graph') return {...state, screen: screen.back ?? {type: 'overview'}};
	if (screen.type === 'review') return graphOfReview(state, screen);
	const centre = graphCentreFor(state);
	if (!centre) return {...state, notice: {text: 'nothing to graph: select a component', tone: 'info'}};
	return recentre({...state, notice: undefined}, centre, 2);
}

function panGraph(state: WorkbenchState, screen: GraphScreen, command: BindingId): WorkbenchState {
	const dx = command === 'graph-pan-left' ? -panStep.x : command === 'graph-pan-right' ? panStep.x : 0;
	const dy = command === 'graph-pan-up' ? -panStep.y : command === 'graph-pan-down' ? panStep.y : 0;
	const next = panView(state.workspace, screen, graphSurface(state), dx, dy);
	return next === screen ? state : {...state, screen: next};
}

/** Switches between the drawn picture and the list of nodes. */
function toggleGraphDrawing(state: WorkbenchState, screen: GraphScreen): WorkbenchState {
	return {...state, screen: centreView(state.workspace, {...screen, drawn: !screen.drawn}, graphSurface(state))};
}

/** Switches between the whole stack and the centre's neighbourhood, keeping the highlighted node in view. */
function toggleGraphScope(state: WorkbenchState, screen: GraphScreen): WorkbenchState {
	const scope = screen.scope === 'stack' ? 'neighbourhood' : 'stack';
	return {
		...state,
		screen: followPicture(
			{workspace: state.workspace, screen, surface: graphSurface(state)},
			{workspace: state.workspace, screen: {...screen, scope}, surface: graphSurface(state)},
		),
	};
}

/** Enter after typing a jump: recentres on the component it matches, or says none does. */
function finishGraphJump(state: WorkbenchState, screen: GraphScreen): WorkbenchState {
	if (screen.jump === undefined) return state;
	const target = jumpTarget(state.workspace, screen.jump);
	const typed = screen.jump;
	const left = {...state, screen: {...screen, jump: undefined}};
	if (!target) return typed.trim() === '' ? left : {...left, notice: {text: `no component matches "${typed}"`, tone: 'info'}};
	return recentre(left, target, screen.depth);
}

function eraseGraphJump(state: WorkbenchState, screen: GraphScreen, command: BindingId): WorkbenchState {
	if (screen.jump === undefined) return state;
	return {...state, screen: {...screen, jump: command === 'wizard-clear' ? '' : screen.jump.slice(0, -1)}};
}

/** Recentres on the highlighted node (the centre itself in the drawn picture). */
function recentreOnHighlighted(state: WorkbenchState, screen: GraphScreen): WorkbenchState {
	if (screen.drawn) return recentre(state, screen.centre, screen.depth);
	const model = graphModel(state.workspace, screen.centre, screen.depth);
	const id = model?.nodeIds[screen.cursor.index];
	return id ? recentre(state, id, screen.depth) : state;
}

/** Recentres on the previous or next component in tree order, stopping at either end. */
function stepGraphCentre(state: WorkbenchState, screen: GraphScreen, command: BindingId): WorkbenchState {
	const order = componentsInTreeOrder(state.workspace).map((c) => c.name);
	const here = order.indexOf(screen.centre);
	const next = order[Math.min(Math.max(here + (command === 'graph-next' ? 1 : -1), 0), order.length - 1)];
	return next ? recentre(state, next, screen.depth) : state;
}

/** One step deeper or shallower (within 1…maxGraphDepth), keeping the highlighted node highlighted and in view. */
function changeGraphDepth(state: WorkbenchState, screen: GraphScreen, command: BindingId): WorkbenchState {
	const layout = layoutFor(state.size);
	const depth = Math.min(Math.max(screen.depth + (command === 'graph-deeper' ? 1 : -1), 1), maxGraphDepth);
	const before = graphModel(state.workspace, screen.centre, screen.depth);
	const after = graphModel(state.workspace, screen.centre, depth);
	if (!after) return state;
	const highlighted = before?.nodeIds[screen.cursor.index];
	const node = highlighted ? after.nodeIds.indexOf(highlighted) : -1;
	const deeper = {...screen, depth, cursor: graphCursor(after, node >= 0 ? node : after.centreIndex, screen.cursor, layout.fullRows)};
	return {
		...state,
		screen: followPicture(
			{workspace: state.workspace, screen, surface: graphSurface(state)},
			{workspace: state.workspace, screen: deeper, surface: graphSurface(state)},
		),
	};
}

// What the workbench starts

function openServiceWizard(state: WorkbenchState): WorkbenchState {
	if (!state.workspace) return state;
	if (!state.workspace.stack.file)
		return {...state, notice: {text: 'no stack.yaml here: create the stack first (panka stack init)', tone: 'error'}};
	return {...state, notice: undefined, screen: {type: 'wizard', wizard: 'service-add'}};
}

/** Centre the graph on `id`, highlight it, and select it in the tree (expanding its service). */
function recentre(state: WorkbenchState, id: string, depth: number): WorkbenchState {
	const layout = layoutFor(state.size);
	const model = graphModel(state.workspace, id, depth);
	if (!model) return state;
	const component = state.workspace?.componentsByName.get(id);
	let collapsed = state.collapsed;
	if (component && collapsed.has(component.service)) {
		const next = new Set(collapsed);
		next.delete(component.service);
		collapsed = next;
	}
	const rows = treeRows(state.workspace, collapsed);
	const tree = placeKeyed(state.tree, rows, layout.treeRows, componentKey(id));
	const previous = state.screen.type === 'graph' ? state.screen : undefined;
	const screen: GraphScreen = {
		drawn: true,
		scope: 'stack',
		pan: {x: 0, y: 0},
		...previous,
		jump: undefined,
		type: 'graph',
		centre: id,
		depth,
		cursor: graphCursor(model, model.centreIndex, startCursor, layout.fullRows),
	};
	return {
		...state,
		collapsed,
		tree,
		detailOffset: tree.key === state.tree.key ? state.detailOffset : 0,
		screen: centreView(state.workspace, screen, graphSurface(state)),
	};
}

/** Where the drawn graph goes: the full-area pane, with or without colour. */
function graphSurface(state: WorkbenchState): GraphSurface {
	return {size: layoutFor(state.size), glyphs: state.noColor};
}

/** `g` in the plan review: the whole stack drawn in the plan's colours, on the selection; esc goes back to the review. */
function graphOfReview(state: WorkbenchState, review: ScreenOfType<'review'>): WorkbenchState {
	const graph = review.workspace.graph;
	const {plan, selection} = review.review;
	const marks = planMarks(plan, selection.skipped, (name) => graph.nodes.has(name));
	const centre =
		plan.changes.find((c) => c.action !== 'no-op' && graph.nodes.has(c.name))?.name ?? graph.order[0] ?? [...graph.nodes.keys()][0];
	if (!centre) return {...state, notice: {text: 'nothing to graph: the stack has no components', tone: 'info'}};
	const opened = recentre({...state, screen: {type: 'overview'}}, centre, 2);
	if (opened.screen.type !== 'graph') return state;
	const screen: GraphScreen = {...opened.screen, drawn: true, scope: 'stack', plan: marks, back: review};
	return {...opened, screen: centreView(state.workspace, screen, graphSurface(state))};
}

function move(state: WorkbenchState, command: CursorMove): WorkbenchState {
	const layout = layoutFor(state.size);
	const screen = state.screen;
	if (screen.type === 'help') {
		const count = helpLines().length;
		const offset = scrollBy(
			screen.offset,
			cursorTarget(command, screen.offset, count, layout.fullRows) - screen.offset,
			count,
			layout.fullRows,
		);
		return {...state, screen: {...screen, offset}};
	}
	if (screen.type === 'graph') {
		const model = graphModel(state.workspace, screen.centre, screen.depth);
		if (!model) return state;
		const index = cursorTarget(command, screen.cursor.index, model.nodeIds.length, layout.fullRows);
		return {...state, screen: {...screen, cursor: graphCursor(model, index, screen.cursor, layout.fullRows)}};
	}
	if (screen.type !== 'overview') return state;
	switch (state.focus) {
		case 'tree': {
			const rows = treeRows(state.workspace, state.collapsed);
			const tree = moveKeyed(state.tree, rows, layout.treeRows, cursorTarget(command, state.tree.index, rows.length, layout.treeRows));
			return {...state, tree, pendingKey: undefined, detailOffset: tree.key === state.tree.key ? state.detailOffset : 0};
		}
		case 'detail': {
			const count = detailLines(state.workspace, selectionOf(state), 80, state.deployed, state.health).length;
			const target = cursorTarget(command, state.detailOffset, count, layout.detailRows);
			return {...state, detailOffset: scrollBy(state.detailOffset, target - state.detailOffset, count, layout.detailRows)};
		}
		case 'diagnostics': {
			const rows = diagnosticRows(state.workspace);
			return {
				...state,
				diagnostics: moveKeyed(
					state.diagnostics,
					rows,
					layout.diagnosticsRows,
					cursorTarget(command, state.diagnostics.index, rows.length, layout.diagnosticsRows),
				),
			};
		}
	}
}

function fold(state: WorkbenchState, command: 'collapse' | 'expand' | 'toggle'): WorkbenchState {
	const layout = layoutFor(state.size);
	const rows = treeRows(state.workspace, state.collapsed);
	const row: TreeRow | undefined = rows[state.tree.index];
	if (!row) return state;
	if (row.type === 'component') {
		if (command === 'toggle') return {...state, focus: 'detail'};
		if (command === 'collapse') {
			const tree = placeKeyed(state.tree, rows, layout.treeRows, serviceKey(row.component.service));
			return {...state, tree, detailOffset: 0};
		}
		return state;
	}
	const name = row.service.name;
	const collapse = command === 'toggle' ? !state.collapsed.has(name) : command === 'collapse';
	if (collapse === state.collapsed.has(name)) return state;
	const collapsed = new Set(state.collapsed);
	if (collapse) collapsed.add(name);
	else collapsed.delete(name);
	const tree = placeKeyed(state.tree, treeRows(state.workspace, collapsed), layout.treeRows, row.key);
	return {...state, collapsed, tree};
}
