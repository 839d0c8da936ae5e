/**
 * The apply dashboard's state and its pure transitions, shared by the workbench's dashboard screen
 * and `panka apply` / `panka destroy` in a terminal (run-apply-dashboard.tsx). Each host feeds it
 * the engine's events (docs/ARCHITECTURE.md §3) in batches, resolves keys through the keymap with
 * `dashboardContexts(run)` plus its own contexts, and performs what the state asks for (stop or
 * abort the engine, leave).
 *
 * Invariants:
 * - One row per step the engine runs, keyed `step:<address>:<action>` (a replace is two steps).
 *   Rows are seeded from the plan and the Selection (so the screen is never empty while the lock
 *   is taken; the stack security group's step is foreseen from the changes placed in the tenant
 *   VPC), replaced by the exact list of `apply.start`, and then only change status:
 *   pending → running → done | failed | skipped | not-started. apply.start lists every step
 *   (engine/apply/events.ts), so no row is ever added after it; an event for a step it did not
 *   list is ignored.
 * - Pure: time comes in with the events (`at`) and, for the live clock, from the view's `now`.
 * - The cursor is a line cursor over the model's entries (dashboard-rows.ts) and always inside the
 *   window of `dashboardGeometry(viewport, run)`. While `follow` is set, every batch puts it on the
 *   first running step (else the next pending one); any move clears `follow`, `f` sets it again.
 * - Interrupts are requested, never performed: ctrl+c moves `interrupt` from none to stop to
 *   abort; the host calls the engine's stop / abort when it sees the new value. The engine's own
 *   `apply.interrupted` is recorded separately (`interruptedBy`).
 * - `ended` is set by the summary or by the end of the stream, whichever comes first, and never
 *   cleared; a stream that throws ends it with `failure` (the lock was held, the plan was stale…).
 */
import type {ApplyAction, EngineEvent, Plan} from '../../engine/index.js';
import {factsFromPlan, generateSteps, type Selection} from '../../engine/index.js';
import type {BindingId, KeyContext} from '../keymap.js';
import {type CursorMove, cursorTarget, cursorTo} from '../state/list-cursor.js';
import {type DashboardModel, dashboardModel, stepKey} from './dashboard-rows.js';
import type {DashboardState, DashboardViewport, StepCounts, StepRow} from './dashboard-types.js';

export type {DashboardState, DashboardViewport, Interrupt, StepRow, StepStatus, SummaryEvent} from './dashboard-types.js';

/** Lines of the notice under the list: two while a ctrl+c is being acted on (what happens, and what the next one does). */
export function noticeRows(run: Pick<DashboardState, 'interrupt' | 'ended'>): number {
	return run.interrupt !== 'none' && !run.ended ? 2 : 1;
}

/** The list gets what the progress bar and the counts (above) and the notice (below) leave inside the borders. */
export function dashboardGeometry(
	viewport: DashboardViewport,
	run: Pick<DashboardState, 'interrupt' | 'ended'>,
): {listRows: number; textWidth: number} {
	return {listRows: Math.max(1, viewport.height - 2 - 2 - noticeRows(run)), textWidth: Math.max(10, viewport.width - 3)};
}

export const modelFor = (run: DashboardState, viewport: DashboardViewport): DashboardModel =>
	dashboardModel(run, dashboardGeometry(viewport, run).textWidth);

function row(address: string, action: ApplyAction, kind: string): StepRow {
	return {key: stepKey(address, action), address, action, kind, status: 'pending'};
}

/**
 * The steps applyPlan will run for the approved changes, in its order, from the engine's own step
 * generator with the facts the plan recorded (`apply.start` then confirms them).
 */
export function plannedSteps(plan: Plan, selection?: Selection): StepRow[] {
	return generateSteps(plan, selection, factsFromPlan(plan)).map((step) => row(step.address, step.action, step.kind));
}

export function openDashboard(
	input: {plan: Plan; selection?: Selection; operation: 'apply' | 'destroy'; now?: number},
	viewport: DashboardViewport,
): DashboardState {
	const {plan} = input;
	const run: DashboardState = {
		operation: input.operation,
		stack: plan.stack,
		tenant: plan.tenant,
		environment: plan.environment,
		...(plan.protectedEnvironment ? {protectedEnvironment: true} : {}),
		rows: plannedSteps(plan, input.selection),
		started: false,
		...(input.now !== undefined ? {startedAt: input.now} : {}),
		interrupt: 'none',
		ended: false,
		cursor: {index: 0, offset: 0},
		follow: true,
	};
	return placeFollowed(run, viewport);
}

/** The contexts of the dashboard, most specific first; hosts append theirs. */
export function dashboardContexts(run: Pick<DashboardState, 'ended'>): KeyContext[] {
	return run.ended ? ['dashboard-done', 'dashboard'] : ['dashboard-running', 'dashboard'];
}

export type {StepCounts} from './dashboard-types.js';

const countsMemo = new WeakMap<readonly StepRow[], StepCounts>();

export function stepCounts(rows: readonly StepRow[]): StepCounts {
	const known = countsMemo.get(rows);
	if (known) return known;
	const counts: StepCounts = {total: rows.length, done: 0, failed: 0, skipped: 0, notStarted: 0, running: 0, pending: 0, settled: 0};
	for (const r of rows) {
		if (r.status === 'not-started') counts.notStarted++;
		else counts[r.status]++;
	}
	counts.settled = counts.done + counts.failed + counts.skipped + counts.notStarted;
	countsMemo.set(rows, counts);
	return counts;
}

// ---------------------------------------------------------------------------------------------
// Events

const time = (at: string) => {
	const t = Date.parse(at);
	return Number.isNaN(t) ? undefined : t;
};

/** Applies a batch of engine events (one render's worth) in order. */
export function dashboardEvents(run: DashboardState, events: readonly EngineEvent[], viewport: DashboardViewport): DashboardState {
	if (events.length === 0) return run;
	let next: DashboardState = run;
	let rows: StepRow[] | undefined;
	let index: Map<string, number> | undefined;
	/** Copy-on-write: one new rows array per batch, however many events change it. */
	const editable = () => {
		if (!rows) {
			rows = [...next.rows];
			index = new Map(rows.map((r, i) => [r.key, i]));
		}
		return {rows, index: index!};
	};
	const update = (address: string, action: ApplyAction, change: (r: StepRow) => StepRow) => {
		const target = editable();
		const at = target.index.get(stepKey(address, action));
		if (at !== undefined) target.rows[at] = change(target.rows[at]!);
	};
	for (const event of events) {
		switch (event.type) {
			case 'apply.start':
				rows = event.changes.map((c) => row(c.address, c.action, c.kind));
				index = new Map(rows.map((r, i) => [r.key, i]));
				next = {
					...next,
					started: true,
					startedAt: time(event.at) ?? next.startedAt,
					parallelism: event.parallelism,
					operation: event.operation,
					stack: event.stack,
					tenant: event.tenant,
					environment: event.environment,
				};
				break;
			case 'resource.start':
				update(event.address, event.action, (r) => {
					const {phase: _phase, ...rest} = r;
					return {
						...rest,
						kind: event.kind || r.kind,
						status: 'running',
						...(time(event.at) !== undefined ? {startedAt: time(event.at)} : {}),
					};
				});
				break;
			case 'resource.progress':
				update(event.address, event.action, (r) => ({...r, phase: event.phase}));
				break;
			case 'resource.done':
				update(event.address, event.action, (r) => {
					const {phase: _phase, ...rest} = r;
					return {
						...rest,
						status: 'done',
						elapsedMs: event.elapsedMs,
						...(event.physicalId ? {physicalId: event.physicalId} : {}),
						...(event.unchanged ? {unchanged: true as const} : {}),
					};
				});
				break;
			case 'resource.failed':
				update(event.address, event.action, (r) => {
					const {phase: _phase, ...rest} = r;
					return {...rest, status: 'failed', elapsedMs: event.elapsedMs, error: {code: event.code, message: event.message}};
				});
				break;
			case 'resource.skipped':
				update(event.address, event.action, (r) => ({...r, status: 'skipped', reason: event.reason}));
				break;
			case 'resource.not-started':
				update(event.address, event.action, (r) => ({...r, status: 'not-started'}));
				break;
			case 'state.saved':
				next = {...next, serial: event.serial};
				break;
			case 'state.save-failed':
				next = {
					...next,
					stateProblem: {message: event.message, instructions: event.instructions, ...(event.savedTo ? {savedTo: event.savedTo} : {})},
				};
				break;
			case 'apply.interrupted':
				next = {...next, interruptedBy: event.mode};
				break;
			case 'apply.halted':
				next = {...next, halted: {reason: event.reason, message: event.message}};
				break;
			case 'summary':
				next = {...next, summary: event, serial: event.stateSerial};
				break;
		}
	}
	if (rows) next = {...next, rows};
	if (next.summary && !next.ended) return endRun(next, viewport);
	return next.follow ? placeFollowed(next, viewport) : refitDashboard(next, viewport);
}

/** The stream is over: normally right after its summary; `error` when it threw. */
export function dashboardEnded(
	run: DashboardState,
	error: {message: string; hint?: string} | undefined,
	viewport: DashboardViewport,
): DashboardState {
	if (error) return endRun({...run, failure: error}, viewport);
	if (run.ended) return run;
	return endRun(run.summary ? run : {...run, failure: {message: 'the apply stopped without reporting its outcome'}}, viewport);
}

function endRun(run: DashboardState, viewport: DashboardViewport): DashboardState {
	// Steps still shown as running or pending did not run to the end (a failed stream): say so.
	const rows =
		run.rows.some((r) => r.status === 'running' || r.status === 'pending') && run.failure
			? run.rows.map((r) => (r.status === 'running' || r.status === 'pending' ? {...r, status: 'not-started' as const} : r))
			: run.rows;
	const ended: DashboardState = {...run, rows, ended: true, follow: false};
	// The result (summary, failures, outputs) heads the list: show it from the top.
	return {
		...ended,
		cursor: cursorTo({index: 0, offset: 0}, 0, modelFor(ended, viewport).entries.length, dashboardGeometry(viewport, ended).listRows),
	};
}

// ---------------------------------------------------------------------------------------------
// Keys

/** Applies a dashboard command; commands that are not the dashboard's leave it unchanged. */
export function dashboardCommand(run: DashboardState, command: BindingId, viewport: DashboardViewport): DashboardState {
	switch (command) {
		case 'move-up':
		case 'move-down':
		case 'page-up':
		case 'page-down':
		case 'first':
		case 'last':
			return move(run, command, viewport);
		case 'dashboard-follow':
			return run.ended ? run : placeFollowed({...run, follow: true}, viewport);
		case 'apply-stop':
			if (run.ended || run.interrupt === 'abort') return run;
			// The notice takes a second line: the list gives it up, the cursor stays in view.
			return refitDashboard({...run, interrupt: run.interrupt === 'none' ? 'stop' : 'abort'}, viewport);
		default:
			return run;
	}
}

function move(run: DashboardState, command: CursorMove, viewport: DashboardViewport): DashboardState {
	const {listRows} = dashboardGeometry(viewport, run);
	const count = modelFor(run, viewport).entries.length;
	const target = cursorTarget(command, run.cursor.index, count, listRows);
	return {...run, follow: false, cursor: cursorTo(run.cursor, target, count, listRows)};
}

/** Keeps the cursor inside the window after the viewport or the entries changed. */
export function refitDashboard(run: DashboardState, viewport: DashboardViewport): DashboardState {
	if (run.follow) return placeFollowed(run, viewport);
	const count = modelFor(run, viewport).entries.length;
	const cursor = cursorTo(run.cursor, run.cursor.index, count, dashboardGeometry(viewport, run).listRows);
	return cursor.index === run.cursor.index && cursor.offset === run.cursor.offset ? run : {...run, cursor};
}

/** The step the view follows: the first running one, else the next to run, else the last. */
function followedRow(rows: readonly StepRow[]): StepRow | undefined {
	return rows.find((r) => r.status === 'running') ?? rows.find((r) => r.status === 'pending') ?? rows.at(-1);
}

/** The cursor on the followed step, a third of the way down the window (what ran just before stays in view). */
function placeFollowed(run: DashboardState, viewport: DashboardViewport): DashboardState {
	const {listRows} = dashboardGeometry(viewport, run);
	const model = modelFor(run, viewport);
	const followed = followedRow(run.rows);
	const index = followed ? (model.indexByKey.get(followed.key) ?? 0) : 0;
	const count = model.entries.length;
	const offset = Math.min(Math.max(0, index - Math.floor(listRows / 3)), Math.max(0, count - listRows));
	const cursor = cursorTo({index, offset}, index, count, listRows);
	return cursor.index === run.cursor.index && cursor.offset === run.cursor.offset ? run : {...run, cursor};
}
