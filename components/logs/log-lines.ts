/**
 * The logs pane as text lines: a status line (what is tailed, live or paused, the filter, counts)
 * and one row per log line: time, component (a colour per component, stable for the pane's
 * life), a bar and the message.
 *
 * Invariants: only the rows of the window are formatted (the caller slices first), so the cost of
 * a frame does not grow with the number of lines kept; a component's colour depends only on its
 * position in the target, never on which lines arrived first.
 */
import {type Line, seg} from '../model/line.js';
import {theme} from '../theme.js';
import {type LogLine, type LogsState, logsWindow} from './logs-state.js';

/**
 * What the pane draws, and nothing more: the view gets this (a window of lines), never the kept
 * lines themselves, so rendering, React's development-build prop diffing included, costs one
 * window per frame however many lines are kept.
 */
export interface LogsView {
	title: string;
	/** "1–30 of 12,345" when there is more than a window. */
	position?: string;
	status: Line;
	rows: Line[];
	notice: Line;
}

export function logsView(logs: LogsState, rows: number): LogsView {
	const {components} = logs.target;
	const colours = componentColours(components);
	const nameWidth = Math.max(0, ...components.map((c) => c.length));
	const {start, lines: window} = logsWindow(logs, rows);
	const listsComponents = components.length > 1 || components[0] !== logs.target.label;
	return {
		title: `logs · ${logs.target.label}${listsComponents ? ` (${components.join(', ')})` : ''}`,
		...(logs.shown.length > rows ? {position: `${start + 1}–${start + window.length} of ${count(logs.shown.length)}`} : {}),
		status: logsStatusLine(logs),
		rows: window.length > 0 ? window.map((line) => logRowLine(line, colours, nameWidth)) : [emptyLogsLine(logs)],
		notice: logsNoticeLine(logs),
	};
}

const palette = ['cyan', 'magenta', 'yellow', 'green', 'blue'] as const;

export function componentColours(components: readonly string[]): ReadonlyMap<string, string> {
	return new Map(components.map((name, i) => [name, palette[i % palette.length]!]));
}

const count = (n: number) => n.toLocaleString('en-US');

export function logRowLine(line: LogLine, colours: ReadonlyMap<string, string>, nameWidth: number): Line {
	const time = new Date(line.timestamp).toISOString().slice(11, 23);
	return [
		seg(time, {dim: true}),
		seg(' '),
		seg(line.component.padEnd(nameWidth), {color: colours.get(line.component) ?? theme.accent}),
		seg(' │ ', {dim: true}),
		seg(line.message),
	];
}

/** The line above the rows: mode, filter and counts. */
export function logsStatusLine(logs: LogsState): Line {
	const mode = logs.paused
		? seg(`⏸ paused${logs.unseen > 0 ? ` · ${count(logs.unseen)} new below` : ''}`, {color: theme.warning, bold: true})
		: logs.tail === 'failed'
			? seg('✗ stopped', {color: theme.error, bold: true})
			: logs.tail === 'ended'
				? seg('■ all lines read (not following)', {dim: true})
				: logs.following
					? seg('● live', {color: theme.ok, bold: true})
					: seg('○ reading…', {dim: true});
	const filter =
		logs.typing || logs.filter
			? [
					seg('  filter ', {dim: true}),
					seg(`${logs.filter}${logs.typing ? '▏' : ''}`, {color: theme.accent}),
					seg(` ${count(logs.shown.length)} of ${count(logs.lines.length)}`, {dim: true}),
				]
			: [seg(`  ${count(logs.lines.length)} lines`, {dim: true})];
	const dropped = logs.dropped > 0 ? [seg(`  (${count(logs.dropped)} older dropped)`, {dim: true})] : [];
	return [mode, ...filter, ...dropped];
}

export function logsNoticeLine(logs: LogsState): Line {
	if (!logs.notice) return [];
	const colour = logs.notice.tone === 'error' ? theme.error : logs.notice.tone === 'warning' ? theme.warning : undefined;
	return [seg(logs.notice.text, colour ? {color: colour} : {dim: true})];
}

/** What the empty pane says. */
export function emptyLogsLine(logs: LogsState): Line {
	if (logs.lines.length > 0) return [seg(`no line matches "${logs.filter}"`, {dim: true})];
	if (logs.tail === 'starting') return [seg('reading the log groups…', {dim: true})];
	return [seg(logs.following ? 'no lines yet: waiting for new ones' : 'no lines in this window', {dim: true})];
}
