/**
 * The logs pane's state and its pure transitions: what `l` opens on a component or a service.
 * The host (the workbench) resolves keys through the keymap with `logsContexts(logs)` and hands
 * the pane's commands to `logsCommand`; the tail hook (use-log-tail.ts) feeds lines in batches
 * through `logsReceived` and the stream's end or failure through `logsEnded`.
 *
 * Invariants:
 * - Bounded: at most `capacity` lines are kept (the oldest go first, and the header says how many
 *   went); `shown` is exactly the kept lines that match the filter, in arrival order.
 * - Cost per batch is O(batch + capacity) array work at most, never per-line React work: the pane
 *   draws only the rows of its window, so 10,000 lines/s arrive as ~30 batches/s of cheap
 *   appends (issue 5 §5; Ink's `<Static>` tops out near 3,000 lines/s).
 * - Live (not paused), the window sits on the newest lines. Paused, the window stays on the
 *   lines the user is reading: lines that arrive meanwhile are kept and counted (`unseen`) but not
 *   shown, even where the window has room, and the window only moves when lines it shows are
 *   dropped by the capacity. Scrolling up pauses; scrolling down past the last line read, space,
 *   `G` or end go back to live.
 * - `following` is the tail's mode (keep polling for new lines, or read what is there and stop);
 *   toggling it asks the host to restart the tail (`tailRequest` changes), it never drops lines.
 * - Effects are requested, never performed.
 */
import type {BindingId, KeyContext, KeyPress} from '../keymap.js';
import {scrollBy} from '../state/list-cursor.js';

/** One line of a component's log, as the pane keeps it. */
export interface LogLine {
	timestamp: number;
	component: string;
	message: string;
}

/** What the pane tails: the components' names and, for the header, what was asked for. */
export interface LogsTarget {
	/** What `l` was pressed on: a component or a service name. */
	label: string;
	components: readonly string[];
}

export interface LogsNotice {
	tone: 'info' | 'warning' | 'error';
	text: string;
}

export interface LogsState {
	target: LogsTarget;
	capacity: number;
	lines: readonly LogLine[];
	shown: readonly LogLine[];
	/** Lines dropped from the front by the capacity since the pane opened. */
	dropped: number;
	received: number;
	filter: string;
	/** Typing a filter (`/`): keys go to the filter until enter or esc. */
	typing: boolean;
	following: boolean;
	paused: boolean;
	/** Index in `shown` of the top row while paused (live: the window is the last rows). */
	offset: number;
	/** Lines that arrived (and match) since the pane was paused. */
	unseen: number;
	/** Bumped whenever the tail must be (re)started with the current `following`. */
	tailRequest: number;
	tail: 'starting' | 'tailing' | 'ended' | 'failed';
	notice?: LogsNotice;
}

export const defaultLogCapacity = 50_000;

export function openLogs(target: LogsTarget, options: {following?: boolean; capacity?: number} = {}): LogsState {
	return {
		target,
		capacity: options.capacity ?? defaultLogCapacity,
		lines: [],
		shown: [],
		dropped: 0,
		received: 0,
		filter: '',
		typing: false,
		following: options.following ?? true,
		paused: false,
		offset: 0,
		unseen: 0,
		tailRequest: 1,
		tail: 'starting',
	};
}

/** Rows of the logs pane (of outer height `height`) that are not log rows: borders, status, notice. */
const chromeRows = 4;

/** Log rows a pane of outer height `height` shows. */
export function logRows(height: number): number {
	return Math.max(1, height - chromeRows);
}

/** The pane's own key contexts, most specific first (the host adds its own after them). */
export function logsContexts(logs: Pick<LogsState, 'typing' | 'filter'>): KeyContext[] {
	if (logs.typing) return ['logs-filter'];
	return logs.filter ? ['logs-filtered', 'logs'] : ['logs'];
}

const matches = (filter: string) => {
	if (!filter) return () => true;
	const needle = filter.toLowerCase();
	return (line: LogLine) => line.message.toLowerCase().includes(needle) || line.component.toLowerCase().includes(needle);
};

/** Keeps the last `capacity` items of `kept` followed by `added`. */
function appendBounded<T>(kept: readonly T[], added: readonly T[], capacity: number): {items: readonly T[]; removed: number} {
	const total = kept.length + added.length;
	if (total <= capacity) return {items: kept.concat(added), removed: 0};
	const removed = total - capacity;
	if (removed >= kept.length) return {items: added.slice(added.length - capacity), removed};
	return {items: kept.slice(removed).concat(added), removed};
}

/** A batch of lines from the tail. */
export function logsReceived(logs: LogsState, batch: readonly LogLine[]): LogsState {
	if (batch.length === 0) return logs;
	const all = appendBounded(logs.lines, batch, logs.capacity);
	const matching = logs.filter ? batch.filter(matches(logs.filter)) : batch;
	const shown = appendBounded(logs.shown, matching, logs.capacity);
	return {
		...logs,
		lines: all.items,
		shown: shown.items,
		dropped: logs.dropped + all.removed,
		received: logs.received + batch.length,
		tail: logs.tail === 'starting' ? 'tailing' : logs.tail,
		...(logs.paused ? {offset: Math.max(0, logs.offset - shown.removed), unseen: logs.unseen + matching.length} : {}),
	};
}

/** A status from the tail (fallback to polling, a retried failure) or the start of the tail. */
export function logsStatus(logs: LogsState, notice: LogsNotice): LogsState {
	return {...logs, notice, tail: logs.tail === 'starting' ? 'tailing' : logs.tail};
}

/** The tail of request `request` ended (read everything, not following) or failed. */
export function logsEnded(logs: LogsState, request: number, error?: {message: string; hint?: string}): LogsState {
	if (request !== logs.tailRequest) return logs;
	if (error)
		return {...logs, tail: 'failed', notice: {tone: 'error', text: error.hint ? `${error.message} (${error.hint})` : error.message}};
	return {...logs, tail: 'ended'};
}

/** First row of the window of `rows` rows. */
/** How many of `shown` the pane may show: live, all; paused, those that had arrived by then. */
function viewLength(logs: Pick<LogsState, 'shown' | 'paused' | 'unseen'>): number {
	return logs.paused ? Math.max(0, logs.shown.length - logs.unseen) : logs.shown.length;
}

export function logsWindowStart(logs: Pick<LogsState, 'shown' | 'paused' | 'offset' | 'unseen'>, rows: number): number {
	const last = Math.max(0, viewLength(logs) - rows);
	return logs.paused ? Math.min(logs.offset, last) : last;
}

/** The lines on screen: at most `rows`, never one that arrived while paused. */
export function logsWindow(
	logs: Pick<LogsState, 'shown' | 'paused' | 'offset' | 'unseen'>,
	rows: number,
): {start: number; lines: readonly LogLine[]} {
	const start = logsWindowStart(logs, rows);
	return {start, lines: logs.shown.slice(start, Math.min(start + rows, viewLength(logs)))};
}

const pauseAt = (logs: LogsState, offset: number): LogsState => ({...logs, paused: true, offset, unseen: logs.paused ? logs.unseen : 0});
const live = (logs: LogsState): LogsState => ({...logs, paused: false, unseen: 0});

function scroll(logs: LogsState, delta: number, rows: number): LogsState {
	const start = logsWindowStart(logs, rows);
	const length = viewLength(logs);
	const offset = scrollBy(start, delta, length, rows);
	// Scrolling down past the last line read goes live: the new lines follow.
	if (delta > 0 && offset >= Math.max(0, length - rows)) return logs.paused ? live(logs) : logs;
	return offset === start && logs.paused ? logs : pauseAt(logs, offset);
}

function refilter(logs: LogsState, filter: string): LogsState {
	const shown = filter ? logs.lines.filter(matches(filter)) : logs.lines;
	return {...logs, filter, shown, paused: false, offset: 0, unseen: 0};
}

/** The pane's commands (keymap binding ids); `rows` is the number of log rows on screen. */
export function logsCommand(logs: LogsState, id: BindingId, rows: number): LogsState {
	switch (id) {
		case 'logs-pause':
			return logs.paused ? live(logs) : pauseAt(logs, logsWindowStart(logs, rows));
		case 'logs-follow': {
			const following = !logs.following;
			return {
				...logs,
				following,
				tailRequest: logs.tailRequest + 1,
				tail: 'starting',
				notice: {
					tone: 'info',
					text: following ? 'following: new lines appear as they are written' : 'not following: showing what is there, no new lines',
				},
			};
		}
		case 'move-up':
			return scroll(logs, -1, rows);
		case 'move-down':
			return scroll(logs, 1, rows);
		case 'page-up':
			return scroll(logs, -Math.max(1, rows - 1), rows);
		case 'page-down':
			return scroll(logs, Math.max(1, rows - 1), rows);
		case 'first':
			return pauseAt(logs, 0);
		case 'last':
		case 'logs-live':
			return live(logs);
		case 'logs-filter':
			return {...logs, typing: true};
		case 'logs-filter-done':
			return {...logs, typing: false};
		case 'logs-filter-clear':
			return {...refilter(logs, ''), typing: false};
		case 'wizard-erase':
			return logs.typing ? refilter(logs, logs.filter.slice(0, -1)) : logs;
		case 'wizard-clear':
			return logs.typing ? refilter(logs, '') : logs;
		default:
			return logs;
	}
}

const control = /[\u0000-\u001f\u007f]/g;

/** A key typed into the filter (when no binding took it). */
export function logsTyped(logs: LogsState, press: KeyPress): LogsState {
	if (!logs.typing || press.ctrl || press.meta || press.escape) return logs;
	const typed = press.input.replace(control, '');
	return typed ? refilter(logs, logs.filter + typed) : logs;
}
