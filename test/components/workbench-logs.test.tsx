/**
 * `l` in the workbench: the logs pane over the caller's logs service (a stream the test pushes),
 * opened on a component or a whole service, live, paused, filtered, follow toggled (a new tail
 * that repeats nothing), and back with esc. Components without logs, and a workbench without
 * services, say why instead.
 */
import {cleanup} from 'ink-testing-library';
import {afterEach, describe, expect, test, vi} from 'vitest';
import type {LogsRequest, LogsService, WorkbenchServices} from '../../components/services.js';
import type {LogEvent} from '../../engine/logs/tail-logs.js';
import type {Workspace} from '../../engine/workspace.js';
import {type EventChannel, pushChannel} from './engine-events.js';
import {flush, KEYS, press} from './keys.js';
import {demoOptions, footerOf, live, renderWorkbench, selectedTreeRow} from './render-workbench.js';
import {copyDemo, removeTempDirs} from './stack-fixture.js';

afterEach(() => {
	cleanup();
	removeTempDirs();
});

let ids = 0;
const line = (
	component: string,
	message: string,
	timestamp = Date.UTC(2026, 10, 26, 12, 0, 0) + ids,
): Extract<LogEvent, {type: 'log.line'}> => ({
	type: 'log.line',
	component,
	address: `worker/${component}`,
	timestamp,
	message,
	eventId: `e${ids++}`,
});

/** A logs service whose every call is a stream the test pushes into. */
function scriptedLogs() {
	const calls: Array<{request: LogsRequest; stream: EventChannel<LogEvent>}> = [];
	const logs = vi.fn<LogsService>((_workspace: Workspace, request: LogsRequest) => {
		const stream = pushChannel<LogEvent>();
		calls.push({request, stream});
		return stream;
	});
	const services: WorkbenchServices = {logs};
	return {services, calls, logs, last: () => calls.at(-1)!};
}

/** Move the tree cursor down until `row` is selected. */
async function select(stdin: {write(s: string): void}, frame: () => string, row: string) {
	for (let i = 0; i < 30 && selectedTreeRow(frame())?.includes(row) !== true; i++) await press(stdin, KEYS.down);
	expect(selectedTreeRow(frame())).toContain(row);
}

describe('l on a component', () => {
	test('opens the live logs pane: lines in order, coloured by component; space pauses and counts new lines; esc goes back', async () => {
		const s = scriptedLogs();
		const {stdin, frame} = await renderWorkbench(copyDemo(), demoOptions, 'Components', s.services);
		expect(footerOf(frame())).toContain('l logs');
		await select(stdin, frame, 'processor');
		await press(stdin, 'l');
		expect(frame()).toContain('logs · processor');
		expect(s.logs).toHaveBeenCalledTimes(1);
		expect(s.last().request).toMatchObject({components: ['processor'], follow: true});
		expect(s.last().request.since).toBeLessThanOrEqual(Date.now() - 9 * 60_000);

		s.last().stream.push(line('processor', 'first'), line('processor', 'second'), line('processor', 'third'));
		await vi.waitFor(() => expect(frame()).toContain('third'), live);
		const shown = frame()
			.split('\n')
			.filter((l) => /first|second|third/.test(l));
		expect(shown.map((l) => /(first|second|third)/.exec(l)?.[1])).toEqual(['first', 'second', 'third']);
		expect(frame()).toMatch(/12:00:00\.\d{3} processor │ first/);
		expect(frame()).toContain('● live');

		await press(stdin, KEYS.space);
		expect(frame()).toContain('⏸ paused');
		s.last().stream.push(line('processor', 'while paused'));
		await vi.waitFor(() => expect(frame()).toContain('1 new below'), live);
		expect(frame()).not.toContain('while paused');
		await press(stdin, KEYS.space);
		await vi.waitFor(() => expect(frame()).toContain('while paused'), live);

		await press(stdin, KEYS.escape);
		expect(frame()).toContain('╭─ Components');
		expect(s.last().request.signal.aborted).toBe(true);
	});

	test('/ filters the lines; f stops following and restarts the tail where it was, repeating nothing', async () => {
		const s = scriptedLogs();
		const {stdin, frame} = await renderWorkbench(copyDemo(), demoOptions, 'Components', s.services);
		await select(stdin, frame, 'processor');
		await press(stdin, 'l');
		const first = s.last();
		const a = line('processor', 'sent email 1');
		const b = line('processor', 'ERROR bounce');
		first.stream.push(a, b);
		await vi.waitFor(() => expect(frame()).toContain('ERROR bounce'), live);

		await press(stdin, '/');
		for (const ch of 'error') await press(stdin, ch);
		expect(frame()).toContain('1 of 2');
		expect(frame()).not.toContain('sent email 1');
		await press(stdin, KEYS.enter);
		await press(stdin, KEYS.escape); // clears the filter, stays on the logs
		expect(frame()).toContain('sent email 1');
		expect(frame()).toContain('logs · processor');

		await press(stdin, 'f');
		expect(first.request.signal.aborted).toBe(true);
		expect(s.logs).toHaveBeenCalledTimes(2);
		const second = s.last();
		expect(second.request).toMatchObject({follow: false, since: b.timestamp});
		// The new tail re-reads from the newest timestamp: the line already shown is skipped.
		second.stream.push(b, line('processor', 'after the restart'));
		second.stream.end();
		await vi.waitFor(() => expect(frame()).toContain('all lines read'), live);
		expect(frame().split('ERROR bounce')).toHaveLength(2);
		expect(frame()).toContain('after the restart');
	});

	test('a failing tail says why in the pane', async () => {
		const s = scriptedLogs();
		const {stdin, frame} = await renderWorkbench(copyDemo(), demoOptions, 'Components', s.services);
		await select(stdin, frame, 'processor');
		await press(stdin, 'l');
		s.last().stream.fail(Object.assign(new Error('no log group /panka/x'), {hint: 'apply the stack first'}));
		await vi.waitFor(() => expect(frame()).toContain('✗ stopped'), live);
		expect(frame()).toContain('no log group /panka/x (apply the stack first)');
	});
});

describe('l on a service, and where there is nothing to tail', () => {
	test('on a service: all its MicroService and Lambda components in one pane', async () => {
		const s = scriptedLogs();
		const {stdin, frame} = await renderWorkbench(copyDemo(), demoOptions, 'Components', s.services);
		await select(stdin, frame, 'api');
		await press(stdin, 'l');
		expect(s.last().request.components).toEqual(['api-server']);
		await press(stdin, KEYS.escape);
		await select(stdin, frame, 'scheduler');
		await press(stdin, 'l');
		expect(s.last().request.components).toEqual(['cron-job']);
		expect(frame()).toContain('logs · scheduler (cron-job)');
	});

	test('on a DynamoDB table: a notice, no pane; without services: how to log in', async () => {
		const s = scriptedLogs();
		const {stdin, frame} = await renderWorkbench(copyDemo(), demoOptions, 'Components', s.services);
		await select(stdin, frame, 'sessions');
		await press(stdin, 'l');
		expect(footerOf(frame())).toContain('no logs to tail: sessions is a DynamoDB');
		expect(s.logs).not.toHaveBeenCalled();
		cleanup();

		const bare = await renderWorkbench(copyDemo(), demoOptions);
		await select(bare.stdin, bare.frame, 'processor');
		await press(bare.stdin, 'l');
		await flush();
		expect(footerOf(bare.frame())).toContain('logs need a tenant: panka login');
	});
});
