/**
 * The logs pane's state: bounded, filtered, live or paused. Pure transitions, so every rule is
 * checked without a terminal.
 */
import {describe, expect, test} from 'vitest';
import {resolveBinding} from '../../components/keymap.js';
import {
	type LogLine,
	type LogsState,
	logsCommand,
	logsContexts,
	logsEnded,
	logsReceived,
	logsTyped,
	logsWindow,
	openLogs,
} from '../../components/logs/logs-state.js';

const target = {label: 'worker', components: ['processor', 'cron-job']};
const rows = 5;

let clock = 1_700_000_000_000;
function lines(n: number, message = (i: number) => `line ${i}`): LogLine[] {
	return Array.from({length: n}, (_, i) => ({timestamp: clock++, component: i % 2 === 0 ? 'processor' : 'cron-job', message: message(i)}));
}
const window = (logs: LogsState) => logsWindow(logs, rows).lines.map((l) => l.message);
const key = (logs: LogsState, input: string, extra: Record<string, boolean> = {}) => {
	const press = {input, ...extra};
	const binding = resolveBinding(press, [...logsContexts(logs), 'main', 'global']);
	return binding ? logsCommand(logs, binding.id, rows) : logsTyped(logs, press);
};
const typeText = (logs: LogsState, text: string) => [...text].reduce((l, ch) => key(l, ch), logs);

describe('receiving lines', () => {
	test('live, the window shows the newest lines, in arrival order', () => {
		let logs = openLogs(target);
		expect(logs.tail).toBe('starting');
		logs = logsReceived(logs, lines(3));
		logs = logsReceived(
			logs,
			lines(4, (i) => `more ${i}`),
		);
		expect(logs.tail).toBe('tailing');
		expect(logs.received).toBe(7);
		expect(window(logs)).toEqual(['line 2', 'more 0', 'more 1', 'more 2', 'more 3']);
	});

	test('keeps at most `capacity` lines, dropping the oldest and counting them', () => {
		let logs = openLogs(target, {capacity: 10});
		logs = logsReceived(logs, lines(8));
		logs = logsReceived(
			logs,
			lines(5, (i) => `b${i}`),
		);
		expect(logs.lines).toHaveLength(10);
		expect(logs.lines[0]?.message).toBe('line 3');
		expect(logs.dropped).toBe(3);
		// A batch larger than the capacity keeps its own newest lines.
		logs = logsReceived(
			logs,
			lines(25, (i) => `c${i}`),
		);
		expect(logs.lines.map((l) => l.message)).toEqual(Array.from({length: 10}, (_, i) => `c${i + 15}`));
		expect(logs.dropped).toBe(28);
		expect(logs.received).toBe(38);
	});
});

describe('pause and scroll back', () => {
	test('space pauses: the window stays on what was read while new lines are counted; space again goes live', () => {
		let logs = logsReceived(openLogs(target), lines(10));
		const before = window(logs);
		logs = key(logs, ' ');
		expect(logs.paused).toBe(true);
		logs = logsReceived(
			logs,
			lines(4, (i) => `new ${i}`),
		);
		expect(window(logs)).toEqual(before);
		expect(logs.unseen).toBe(4);
		logs = key(logs, ' ');
		expect(logs.paused).toBe(false);
		expect(window(logs).at(-1)).toBe('new 3');
		expect(logs.unseen).toBe(0);
	});

	test('scrolling up pauses; scrolling back down to the end goes live again; G and end jump to live', () => {
		let logs = logsReceived(openLogs(target), lines(20));
		logs = key(logs, '', {up: true});
		expect(logs.paused).toBe(true);
		expect(window(logs)).toEqual(['line 14', 'line 15', 'line 16', 'line 17', 'line 18']);
		logs = key(logs, '', {pageUp: true});
		expect(window(logs)[0]).toBe('line 10');
		logs = key(logs, '', {home: true});
		expect(window(logs)[0]).toBe('line 0');
		logs = logsReceived(
			logs,
			lines(3, (i) => `late ${i}`),
		);
		expect(window(logs)[0]).toBe('line 0');
		logs = key(logs, 'G');
		expect(logs.paused).toBe(false);
		expect(window(logs).at(-1)).toBe('late 2');
		logs = key(logs, 'k');
		logs = key(logs, 'j');
		expect(logs.paused).toBe(false);
		logs = key(logs, '', {home: true});
		logs = key(logs, '', {end: true});
		expect(logs.paused).toBe(false);
	});

	test('paused with room on screen, lines that arrive are counted, not shown; scrolling down past them goes live', () => {
		let logs = logsReceived(openLogs(target), lines(2));
		logs = key(logs, ' ');
		logs = logsReceived(
			logs,
			lines(2, (i) => `later ${i}`),
		);
		expect(window(logs)).toEqual(['line 0', 'line 1']);
		expect(logs.unseen).toBe(2);
		logs = key(logs, 'j');
		expect(logs.paused).toBe(false);
		expect(window(logs)).toEqual(['line 0', 'line 1', 'later 0', 'later 1']);
	});

	test('while paused, lines dropped by the capacity move the window with the lines it shows', () => {
		let logs = logsReceived(openLogs(target, {capacity: 12}), lines(12));
		logs = key(logs, '', {up: true});
		const before = window(logs);
		logs = logsReceived(
			logs,
			lines(3, (i) => `x${i}`),
		);
		expect(logs.dropped).toBe(3);
		expect(window(logs)).toEqual(before);
	});
});

describe('filter', () => {
	test('/ types a filter (any case, message or component); only matching lines are shown, new ones too', () => {
		let logs = logsReceived(
			openLogs(target),
			lines(6, (i) => (i % 3 === 0 ? `ERROR ${i}` : `ok ${i}`)),
		);
		logs = key(logs, '/');
		expect(logsContexts(logs)).toEqual(['logs-filter']);
		logs = typeText(logs, 'error');
		expect(logs.shown.map((l) => l.message)).toEqual(['ERROR 0', 'ERROR 3']);
		logs = key(logs, '', {backspace: true});
		expect(logs.filter).toBe('erro');
		logs = key(logs, '\r', {enter: true});
		expect(logs.typing).toBe(false);
		// q is a key again, not text; esc now clears the filter before it would close the pane.
		expect(resolveBinding({input: '', escape: true}, [...logsContexts(logs), 'main', 'global'])?.id).toBe('logs-filter-clear');
		logs = logsReceived(
			logs,
			lines(2, (i) => (i === 0 ? 'an error' : 'fine')),
		);
		expect(logs.shown.map((l) => l.message)).toEqual(['ERROR 0', 'ERROR 3', 'an error']);
		logs = typeText(key(logs, '/'), ' cron');
		expect(logs.shown).toEqual([]);
		logs = key(logs, '', {escape: true});
		expect(logs.filter).toBe('');
		expect(logs.shown).toHaveLength(8);
		// The component's name matches too.
		logs = typeText(key(logs, '/'), 'CRON');
		expect(logs.shown.every((l) => l.component === 'cron-job')).toBe(true);
	});
});

describe('follow and the tail', () => {
	test('f toggles following and asks for a new tail; an answer for an older tail is ignored', () => {
		let logs = openLogs(target);
		expect(logs.following).toBe(true);
		logs = key(logs, 'f');
		expect(logs).toMatchObject({following: false, tailRequest: 2, tail: 'starting'});
		expect(logsEnded(logs, 1)).toBe(logs);
		logs = logsEnded(logs, 2);
		expect(logs.tail).toBe('ended');
		logs = logsEnded(key(logs, 'f'), 3, {message: 'AccessDenied', hint: 'check the role'});
		expect(logs.tail).toBe('failed');
		expect(logs.notice).toEqual({tone: 'error', text: 'AccessDenied (check the role)'});
	});
});
