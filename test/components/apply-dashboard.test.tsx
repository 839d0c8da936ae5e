/**
 * The apply dashboard on its own (`panka apply` in a terminal), fed a scripted engine event stream
 * over real plans: rows with their spinner, ✓, ✗ with the AWS error inline and ⊘ with the reason;
 * progress and counts; 300 steps drawn a window at a time, following the running ones until the
 * user scrolls; ctrl+c once stops, twice aborts; the summary and the outputs at the end, and the
 * key that leaves. Batching to the render budget is checked on the real timer.
 */
import {cleanup, render} from 'ink-testing-library';
import {afterEach, describe, expect, test, vi} from 'vitest';
import {ApplyDashboard, type ApplyDashboardResult} from '../../components/dashboard/ApplyDashboard.js';
import {plannedSteps} from '../../components/dashboard/dashboard-state.js';
import type {ApplyAction, EngineEvent} from '../../engine/apply/events.js';
import {stateAsIfApplied} from '../../engine/plan/applied-state.js';
import {planDestroy} from '../../engine/plan/destroy-plan.js';
import type {Plan} from '../../engine/plan/plan.js';
import {
	applyStart,
	done,
	type EventChannel,
	eventChannel,
	failed,
	notStarted,
	progressed,
	skipped,
	started,
	summary,
} from './engine-events.js';
import {flush, KEYS, press} from './keys.js';
import {freshDemoPlan, generatedPlan, loadDemo} from './plan-fixture.js';
import {copyDemo, removeTempDirs} from './stack-fixture.js';

afterEach(() => {
	cleanup();
	removeTempDirs();
});

const KEY_HOME = '\u001B[H';
const KEY_END = '\u001B[F';

function renderDashboard(plan: Plan, options: {frameMs?: number} = {}) {
	const events = eventChannel();
	const onStop = vi.fn();
	const onAbort = vi.fn();
	const onDone = vi.fn<(result: ApplyDashboardResult) => void>();
	const rendered = render(
		<ApplyDashboard
			events={events}
			plan={plan}
			operation="apply"
			onStop={onStop}
			onAbort={onAbort}
			onDone={onDone}
			frameMs={options.frameMs ?? 0}
		/>,
	);
	const frame = () => rendered.lastFrame() ?? '';
	const lines = () => frame().split('\n');
	/** The step row of `address` (its icon, action, address, kind, status, elapsed). */
	const row = (address: string) => lines().find((line) => new RegExp(`^│[▌ ]. create +${address.replace('/', '\\/')} `).test(line)) ?? '';
	const listed = () => lines().flatMap((line) => /^│[▌ ]. create +(\S+)/.exec(line)?.[1] ?? []);
	const send = async (channel: EventChannel, ...batch: Parameters<EventChannel['push']>) => {
		channel.push(...batch);
		await flush();
	};
	return {
		...rendered,
		events,
		onStop,
		onAbort,
		onDone,
		frame,
		lines,
		row,
		listed,
		push: (...batch: Parameters<EventChannel['push']>) => send(events, ...batch),
	};
}

describe('the steps as they run', () => {
	test('rows appear, a spinner while a step runs, then ✓ with its time; the phase shows; progress and counts follow', async () => {
		const plan = await freshDemoPlan();
		const d = renderDashboard(plan);
		// Before the engine lists its steps (the lock is being taken) the plan's approved changes show,
		// the stack security group's first (the demo places resources in the tenant VPC).
		expect(d.frame()).toContain('Apply · notification-platform · production');
		expect(d.frame()).toContain('taking the stack lock and reading the state…');
		expect(d.listed()).toEqual(plan.changes.map((c) => c.address));
		expect(d.listed()[0]).toBe('stack#security-group');

		await d.push(applyStart(plan, 4));
		expect(d.listed()).toEqual(plan.changes.map((c) => c.address));
		expect(d.row('api/api-db')).toMatch(/· create +api\/api-db +RDS +waiting/);
		expect(d.frame()).toContain('0 of 11 steps · 0%');
		expect(d.frame()).toMatch(/✓ 0 done {2}✗ 0 failed {2}⊘ 0 skipped {2}. 0 running {2}· 11 pending/);
		expect(d.frame()).toContain('up to 4 at once');

		await d.push(started(plan, 'api/notification-queue'));
		expect(d.row('api/notification-queue')).toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] create +api\/notification-queue +SQS +creating… +\d+\.\ds/);
		expect(d.frame()).toMatch(/1 running/);
		await d.push(progressed('api/notification-queue', 'creating the dead-letter queue'));
		expect(d.row('api/notification-queue')).toContain('creating the dead-letter queue');
		// The spinner turns with the clock while the step runs.
		const before = d.row('api/notification-queue').slice(0, 3);
		await vi.waitFor(() => expect(d.row('api/notification-queue').slice(0, 3)).not.toBe(before), {timeout: 2000, interval: 5});

		await d.push(done(plan, 'api/notification-queue'));
		expect(d.row('api/notification-queue')).toMatch(/✓ create +api\/notification-queue +SQS +created {2}id-of-notification-queue +1\.2s/);
		expect(d.frame()).toContain('1 of 11 steps · 9%');
		expect(d.frame()).toMatch(/✓ 1 done .* 0 running {2}· 10 pending/);
		// The frame is the terminal's height less one row, whatever happens.
		expect(d.lines()).toHaveLength(39);
	});

	test('a failure shows the AWS code and message under its row; its dependents are ⊘ skipped with the reason', async () => {
		const plan = await freshDemoPlan();
		const d = renderDashboard(plan);
		await d.push(applyStart(plan), started(plan, 'api/api-db'));
		await d.push(
			failed(
				plan,
				'api/api-db',
				'DBInstanceAlreadyExists',
				'DB instance already exists: a panka-owned instance with this identifier is in another stack',
			),
		);
		await d.push(skipped(plan, 'api/api-server', 'api/api-db'));
		expect(d.row('api/api-db')).toMatch(/✗ create +api\/api-db +RDS +failed +0\.4s/);
		const under = d.lines()[d.lines().indexOf(d.row('api/api-db')) + 1];
		expect(under).toMatch(/^│ +DBInstanceAlreadyExists: DB instance already exists: a panka-owned instance with this/);
		expect(d.row('api/api-server')).toMatch(/⊘ create +api\/api-server +MicroService +skipped: skipped because api\/api-db failed/);
		expect(d.frame()).toContain('2 of 11 steps · 18%');
		expect(d.frame()).toMatch(/✓ 0 done {2}✗ 1 failed {2}⊘ 1 skipped/);

		await d.push(summary({failed: ['api/api-db'], skipped: ['api/api-server'], done: []}));
		// The engine's verdict, wrapped to the pane.
		expect(d.frame()).toMatch(/✗ Applied 0 of 2 changes; 1 failed, 1 skipped because of it: the stack is not fully deployed;/);
		expect(d.frame()).toMatch(/│ +panka plan shows what is left/);
		expect(d.frame()).toMatch(/Failed \(1\)\s*│\n│ +✗ api\/api-db {2}DBInstanceAlreadyExists: DB instance already exists/);
		expect(d.frame()).toMatch(/Skipped \(1\)\s*│\n│ +⊘ api\/api-server {2}skipped because api\/api-db failed/);
	});
});

describe('the stack security group', () => {
	const groupStep = (action: ApplyAction) => ({address: 'stack#security-group', action, kind: 'SecurityGroup'});
	const groupEvent = (type: 'resource.start' | 'resource.done', action: ApplyAction, extra: Partial<EngineEvent> = {}) =>
		({
			type,
			at: new Date().toISOString(),
			...groupStep(action),
			...(type === 'resource.done' ? {physicalId: 'sg-0abc', outputs: {}, elapsedMs: 800} : {}),
			...extra,
		}) as EngineEvent;

	test('its step is counted from the start: planned, listed by apply.start, created the first time', async () => {
		const plan = await freshDemoPlan();
		const d = renderDashboard(plan);
		const groupRow = () => d.lines().find((line) => line.includes('stack#security-group')) ?? '';
		expect(d.frame()).toContain('0 of 11 steps · 0%');
		await d.push(applyStart(plan));
		expect(d.frame()).toContain('0 of 11 steps · 0%');
		await d.push(groupEvent('resource.start', 'create'));
		expect(groupRow()).toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] create +stack#security-group +SecurityGroup +creating…/);
		expect(d.frame()).toContain('0 of 11 steps · 0%');
		await d.push(groupEvent('resource.done', 'create'));
		expect(groupRow()).toMatch(/✓ create +stack#security-group +SecurityGroup +created {2}sg-0abc +0\.8s/);
		expect(d.frame()).toContain('1 of 11 steps · 9%');
		// A step apply.start did not list adds no row.
		await d.push(groupEvent('resource.start', 'delete'));
		expect(d.frame()).toContain('1 of 11 steps · 9%');
		expect(d.frame()).toMatch(/· 10 pending/);
	});

	test('an update that found its rules as they should be says unchanged', async () => {
		const plan = await freshDemoPlan();
		const d = renderDashboard(plan);
		const start = applyStart(plan);
		await d.push(
			{...start, changes: [groupStep('update'), ...start.changes.filter((c) => c.address !== 'stack#security-group')]},
			groupEvent('resource.start', 'update'),
			groupEvent('resource.done', 'update', {unchanged: true}),
		);
		expect(d.lines().find((line) => line.includes('stack#security-group'))).toMatch(
			/✓ update +stack#security-group +SecurityGroup +unchanged {2}sg-0abc/,
		);
	});

	test("a destroy plans the group's delete last", async () => {
		const ws = await loadDemo(copyDemo());
		const plan = planDestroy(ws, stateAsIfApplied(ws, {lineage: 'l-1', at: '2026-11-26T00:00:00Z'}));
		const rows = plannedSteps(plan);
		expect(rows).toHaveLength(11);
		expect(rows.at(-1)).toMatchObject({address: 'stack#security-group', action: 'delete', kind: 'SecurityGroup', status: 'pending'});
	});
});

describe('300 steps', () => {
	test('only a window is drawn, it follows the running steps, and the cursor reaches the end and back', async () => {
		const plan = await generatedPlan(300);
		const addresses = plan.changes.map((c) => c.address);
		expect(addresses).toHaveLength(300);
		const d = renderDashboard(plan);
		await d.push(applyStart(plan));
		expect(d.lines()).toHaveLength(39);
		const window = d.listed().length;
		expect(window).toBe(39 - 1 - 2 - 3); // the footer, the borders, progress + counts + notice
		expect(d.listed()[0]).toBe(addresses[0]);

		// Following: the view moves to the step that runs, a third of the way down.
		const far = addresses[250]!;
		await d.push(...addresses.slice(0, 250).flatMap((a) => [started(plan, a), done(plan, a)]), started(plan, far));
		expect(d.frame()).toContain('250 of 300 steps · 83%');
		expect(d.listed()).toContain(far);
		expect(d.listed()).not.toContain(addresses[0]);
		expect(d.lines().find((l) => l.startsWith('│▌'))).toContain(far);
		expect(d.frame()).toContain('following the running steps');

		// The user scrolls: the view stays where they put it while steps start elsewhere.
		await press(d.stdin, KEY_HOME);
		expect(d.listed()[0]).toBe(addresses[0]);
		expect(d.frame()).toContain('scrolled: f follows the running steps again');
		await d.push(done(plan, far), started(plan, addresses[260]!));
		expect(d.listed()[0]).toBe(addresses[0]);
		await press(d.stdin, KEYS.pageDown, KEYS.pageDown);
		expect(d.listed()[0]).toBe(addresses[window * 2 - 2 - (window - 1)]);
		await press(d.stdin, KEY_END);
		expect(d.listed().at(-1)).toBe(addresses[299]);
		expect(d.lines().find((l) => l.startsWith('│▌'))).toContain(addresses[299]);
		expect(d.frame()).toMatch(/\d+–300 of 300/);
		await press(d.stdin, 'f');
		expect(d.listed()).toContain(addresses[260]);
		expect(d.lines()).toHaveLength(39);
	});
});

describe('ctrl+c', () => {
	test('once: stop is called at once and the notice says the steps in flight finish; twice: abort', async () => {
		const plan = await freshDemoPlan();
		const d = renderDashboard(plan);
		await d.push(applyStart(plan), started(plan, 'api/api-db'), started(plan, 'api/notification-queue'));
		await press(d.stdin, KEYS.ctrlC);
		expect(d.onStop).toHaveBeenCalledTimes(1);
		expect(d.onAbort).not.toHaveBeenCalled();
		expect(d.frame()).toContain('⚠ Stop after in-flight operations? (Ctrl-C again aborts them)');
		expect(d.frame()).toContain('Stopping: nothing new starts; the 2 steps in flight finish and are saved, then the run ends.');
		expect(d.lines()).toHaveLength(39); // the second notice line came out of the list
		expect(d.frame()).toContain('ctrl+c stop'); // still offered: the second one aborts

		await d.push({type: 'apply.interrupted', at: new Date().toISOString(), mode: 'stop'}, done(plan, 'api/notification-queue'));
		await press(d.stdin, KEYS.ctrlC);
		expect(d.onAbort).toHaveBeenCalledTimes(1);
		expect(d.onStop).toHaveBeenCalledTimes(1);
		expect(d.frame()).toContain('✗ Aborting the 1 step in flight.');
		expect(d.frame()).toContain('What was aborted stays recorded as pending in the state; the next apply resolves it first.');
		await press(d.stdin, KEYS.ctrlC);
		expect(d.onAbort).toHaveBeenCalledTimes(1);
		expect(d.onDone).not.toHaveBeenCalled(); // no way out while the engine still runs

		await d.push(
			failed(plan, 'api/api-db', 'Aborted', 'aborted; recorded as pending, the next run resolves it'),
			...plan.changes.slice(2).map((c) => notStarted(plan, c.address)),
		);
		await d.push(
			summary({
				done: ['api/notification-queue'],
				failed: ['api/api-db'],
				notStarted: plan.changes.slice(2).map((c) => c.address),
				interrupted: true,
			}),
		);
		expect(d.frame()).toContain('⚠ Deploy interrupted: 1 done, 1 failed, 9 not started. Run it again to finish.');
		expect(d.frame()).toContain('Not started (9): the next apply runs them');
		expect(d.frame()).toContain('✗ Aborted the in-flight operations (pending: the next apply resolves them) · finished in 3.2s');
		expect(d.row('worker/sessions')).toContain('not started (stopped before it began)');
		await press(d.stdin, KEYS.ctrlC); // once it has ended, ctrl+c leaves
		expect(d.onDone).toHaveBeenCalledWith({summary: expect.objectContaining({interrupted: true})});
	});

	test('two ctrl+c in one chunk call stop, then abort', async () => {
		const plan = await freshDemoPlan();
		const d = renderDashboard(plan);
		await d.push(applyStart(plan), started(plan, 'api/api-db'));
		await press(d.stdin, `${KEYS.ctrlC}${KEYS.ctrlC}`);
		expect(d.onStop).toHaveBeenCalledTimes(1);
		expect(d.onAbort).toHaveBeenCalledTimes(1);
		expect(d.onStop.mock.invocationCallOrder[0]).toBeLessThan(d.onAbort.mock.invocationCallOrder[0]!);
	});
});

describe('the end', () => {
	test('the summary and the outputs (providers’ own hidden), then enter leaves with the summary', async () => {
		const plan = await freshDemoPlan();
		const d = renderDashboard(plan);
		await d.push(applyStart(plan), ...plan.changes.flatMap((c) => [started(plan, c.address), done(plan, c.address)]));
		const outputs = {
			'notification-queue.queueUrl': 'http://127.0.0.1:5000/123456789012/acme-np-production-notification-queue',
			'notification-queue._dlqArn': 'arn:aws:sqs:hidden',
			'api-db.port': 5432,
		};
		await d.push(summary({done: plan.changes.map((c) => c.address), outputs}));
		d.events.end();
		await flush();
		expect(d.frame()).toContain('✓ Stack deployed successfully!');
		expect(d.frame()).toContain('Outputs (2)');
		expect(d.frame()).toContain('api-db.port = 5432');
		// A long value is continued on the next line, never cut.
		const url = d.lines().findIndex((l) => l.includes('notification-queue.queueUrl = '));
		const shown = d.lines()[url]!.split(' = ')[1]!.replace(/\s*│$/, '') + d.lines()[url + 1]!.replace(/^│\s+/, '').replace(/\s*│$/, '');
		expect(shown).toBe(outputs['notification-queue.queueUrl']);
		expect(d.frame()).not.toContain('_dlqArn');
		expect(d.frame()).toContain('Steps (11)');
		expect(d.frame()).toContain('finished in 3.2s · state serial 7');
		expect(d.lines().at(-1)).toMatch(/enter\/esc\/q leave/);
		expect(d.frame()).toContain('11 of 11 steps · 100%');

		await press(d.stdin, KEYS.enter);
		expect(d.onDone).toHaveBeenCalledTimes(1);
		expect(d.onDone.mock.calls[0]![0].summary?.outputs).toEqual(outputs);
		expect(d.frame()).toBe('');
	});

	test('a stream that throws (a held lock) shows its message and hint; leaving reports the error', async () => {
		const plan = await freshDemoPlan();
		const d = renderDashboard(plan);
		const held = Object.assign(
			new Error('stack notification-platform (production) is locked: "apply" by ci@runner-7, pid 4242, since 12:00:01'),
			{hint: 'wait for it to finish, or break it: panka state unlock 1f2e'},
		);
		d.events.fail(held);
		await flush();
		expect(d.frame()).toContain('✗ Apply did not run to the end');
		expect(d.frame()).toContain('is locked: "apply" by ci@runner-7, pid 4242');
		expect(d.frame()).toContain('hint: wait for it to finish, or break it: panka state unlock 1f2e');
		expect(d.row('api/api-db')).toContain('not started');
		await press(d.stdin, 'q');
		expect(d.onDone).toHaveBeenCalledWith({error: held});
	});
});

describe('the render budget', () => {
	test('events arriving faster than a frame are drawn in batches, none lost, the last one at once', async () => {
		const plan = await generatedPlan(120);
		const d = renderDashboard(plan, {frameMs: 33});
		const framesBefore = d.frames.length;
		d.events.push(applyStart(plan), ...plan.changes.flatMap((c) => [started(plan, c.address), done(plan, c.address)]));
		d.events.push(summary({done: plan.changes.map((c) => c.address)}));
		d.events.end();
		await vi.waitFor(() => expect(d.frame()).toContain('✓ Stack deployed successfully!'), {timeout: 2000, interval: 5});
		// 242 events, a handful of frames: one for the first event, then one per 33 ms window at most.
		expect(d.frames.length - framesBefore).toBeLessThan(20);
		expect(d.frame()).toContain('120 of 120 steps · 100%');
	});
});
