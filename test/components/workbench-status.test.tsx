/**
 * Health in the workbench over the caller's status service (answers the test controls): the
 * tree's verdict markers once the first answer arrives, `s` opening the status pane on the
 * selection with the facts behind each verdict, reads that never block keys, the pane read again
 * every few seconds, `s` in the pane switching to the whole stack, `l` opening the logs of the
 * failing components, and a workbench without the service saying why.
 */
import {cleanup} from 'ink-testing-library';
import {afterEach, describe, expect, test, vi} from 'vitest';
import type {LogsService, StatusService, WorkbenchServices} from '../../components/services.js';
import type {ComponentHealth} from '../../engine/index.js';
import type {LogEvent} from '../../engine/logs/tail-logs.js';
import type {StackStatus} from '../../engine/status/stack-status.js';
import {pushChannel} from './engine-events.js';
import {KEYS, press} from './keys.js';
import {demoOptions, footerOf, live, renderWorkbench, selectedTreeRow, treeColumn} from './render-workbench.js';
import {copyDemo, removeTempDirs} from './stack-fixture.js';

afterEach(() => {
	cleanup();
	removeTempDirs();
});

function health(address: string, kind: string, verdict: ComponentHealth['verdict'], facts: ComponentHealth['facts']): ComponentHealth {
	const [service, component] = address.split('/') as [string, string];
	return {address, service, component, kind, verdict, facts, events: [], hasLogs: kind === 'Lambda' || kind === 'MicroService'};
}

const readAt = '2026-12-06T12:00:00.000Z';
const degradedStack: StackStatus = {
	verdict: 'failing',
	readAt,
	components: [
		health('api/api-server', 'MicroService', 'failing', [
			{name: 'tasks running', value: '0 of 3', verdict: 'failing'},
			{name: 'rollout', value: 'failed: tasks failed to start', verdict: 'failing'},
		]),
		health('api/notification-queue', 'SQS', 'degraded', [
			{name: 'messages visible', value: '4'},
			{name: 'dead-letter queue', value: '2 messages (failed processing)', verdict: 'degraded'},
		]),
		health('worker/processor', 'Lambda', 'healthy', [{name: 'function', value: 'active'}]),
	],
};

/** A status service whose every call waits for the test to answer it. */
function scriptedStatus() {
	const calls: Array<{signal: AbortSignal; answer(status: StackStatus): void; fail(error: Error): void}> = [];
	const status = vi.fn<StatusService>(
		(_workspace, request) => new Promise((resolve, reject) => calls.push({signal: request.signal, answer: resolve, fail: reject})),
	);
	return {status, calls, last: () => calls.at(-1)!};
}

async function select(stdin: {write(s: string): void}, frame: () => string, row: string) {
	for (let i = 0; i < 30 && selectedTreeRow(frame())?.includes(row) !== true; i++) await press(stdin, KEYS.down);
	expect(selectedTreeRow(frame())).toContain(row);
}

describe('the tree', () => {
	test('shows each deployed component’s verdict once the health is read, and nothing before', async () => {
		const s = scriptedStatus();
		const {frame} = await renderWorkbench(copyDemo(), demoOptions, 'Components', {status: s.status});
		await vi.waitFor(() => expect(s.status).toHaveBeenCalledTimes(1), live);
		expect(treeColumn(frame())).not.toMatch(/[✓⚠✗?]\s*│/);
		s.last().answer(degradedStack);
		await vi.waitFor(() => expect(treeColumn(frame())).toMatch(/api-server\s+MicroService ✗/), live);
		expect(treeColumn(frame())).toMatch(/notificatio\S*\s+SQS\s+⚠/);
		expect(treeColumn(frame())).toMatch(/processor\s+Lambda\s+✓/);
		// Not read (not deployed): no verdict.
		expect(treeColumn(frame())).toMatch(/sessions\s+DynamoDB\s+│/);
	});

	test('s is in the help (a minor footer hint: the first to go when the footer is short)', async () => {
		const {stdin, frame} = await renderWorkbench(copyDemo(), demoOptions, 'Components', {status: scriptedStatus().status});
		await press(stdin, '?');
		expect(frame()).toMatch(/s +status pane: the health of the selected component/);
	});
});

describe('s: the status pane', () => {
	test('shows the selection’s facts, reads again without blocking keys, and switches to the whole stack', async () => {
		const s = scriptedStatus();
		const {stdin, frame} = await renderWorkbench(copyDemo(), demoOptions, 'Components', {status: s.status}, {statusRefreshMs: 20});
		await vi.waitFor(() => expect(s.status).toHaveBeenCalledTimes(1), live);
		s.last().answer(degradedStack);
		await vi.waitFor(() => expect(treeColumn(frame())).toContain('✗'), live);

		await select(stdin, frame, 'api-server');
		// The details say the verdict and why.
		expect(frame()).toContain('✗ failing: tasks running 0 of 3; rollout failed');
		await press(stdin, 's');
		expect(frame()).toContain('status · api-server');
		// Opening the pane reads again; until it answers, the last answer is shown.
		expect(s.status).toHaveBeenCalledTimes(2);
		expect(frame()).toMatch(/✗ failing\s+1 read · 12:00:00 UTC/);
		expect(frame()).toContain('✗ api/api-server  MicroService  failing');
		expect(frame()).toContain('tasks running: 0 of 3');
		expect(frame()).toContain('rollout: failed: tasks failed to start');
		expect(frame()).toContain('l shows its logs');
		expect(frame()).not.toContain('notification-queue');
		expect(footerOf(frame())).toMatch(/s selection\/stack.*l logs/);

		// Keys work while the read is in flight.
		await press(stdin, 's');
		expect(frame()).toContain('status · whole stack');
		expect(frame()).toContain('⚠ api/notification-queue  SQS  degraded');
		expect(frame()).toContain('dead-letter queue: 2 messages (failed processing)');
		expect(frame()).toContain('✓ worker/processor  Lambda  healthy');

		// The answer arrives: shown, and the next read follows a few moments later.
		s.last().answer({
			verdict: 'healthy',
			readAt: '2026-12-06T12:00:05.000Z',
			components: degradedStack.components.map((c) => ({...c, verdict: 'healthy' as const, facts: [{name: 'checked', value: 'again'}]})),
		});
		await vi.waitFor(() => expect(frame()).toMatch(/✓ healthy\s+3 read · 12:00:05 UTC/), live);
		await vi.waitFor(() => expect(s.status).toHaveBeenCalledTimes(3), live);

		// Leaving the pane stops the refreshing: the read in flight is answered, none follows.
		await press(stdin, KEYS.escape);
		expect(frame()).toContain('╭─ Components');
		s.last().answer(degradedStack);
		await vi.waitFor(() => expect(treeColumn(frame())).toContain('✗'), live);
		await new Promise((resolve) => setTimeout(resolve, 100));
		expect(s.status).toHaveBeenCalledTimes(3);
	});

	test('l opens the logs of the failing components shown', async () => {
		const s = scriptedStatus();
		const logs = vi.fn<LogsService>(() => pushChannel<LogEvent>());
		const services: WorkbenchServices = {status: s.status, logs};
		const {stdin, frame} = await renderWorkbench(copyDemo(), demoOptions, 'Components', services);
		await vi.waitFor(() => expect(s.status).toHaveBeenCalledTimes(1), live);
		s.last().answer(degradedStack);
		await vi.waitFor(() => expect(treeColumn(frame())).toContain('✗'), live);
		await press(stdin, 's', 's');
		expect(frame()).toContain('status · whole stack');
		await press(stdin, 'l');
		expect(frame()).toContain('logs · failing in the stack (api-server)');
		expect(logs.mock.calls[0]![1]).toMatchObject({components: ['api-server']});
	});

	test('a failed read says so; without the service the pane says what is missing', async () => {
		const s = scriptedStatus();
		const first = await renderWorkbench(copyDemo(), demoOptions, 'Components', {status: s.status});
		await vi.waitFor(() => expect(s.status).toHaveBeenCalledTimes(1), live);
		s.last().fail(new Error('ECS DescribeServices: AccessDenied'));
		await press(first.stdin, 's');
		await vi.waitFor(() => expect(s.status).toHaveBeenCalledTimes(2), live);
		s.last().fail(new Error('ECS DescribeServices: AccessDenied'));
		await vi.waitFor(() => expect(first.frame()).toContain('status unknown: ECS DescribeServices: AccessDenied'), live);
		cleanup();

		const {stdin, frame} = await renderWorkbench(copyDemo(), demoOptions, 'Components');
		await press(stdin, 's');
		expect(frame()).toContain('status needs a tenant: panka login');
	});
});
