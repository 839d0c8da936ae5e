/**
 * `a` in the workbench: plan through the caller's plan service (the real planner), the review
 * opened to apply, `y` hands the plan and the Selection to the caller's apply service and opens
 * the dashboard over its (scripted) event stream; ctrl+c there stops the apply instead of
 * quitting; at the end a key goes back to the tree, which shows what the state records as
 * deployed. Without services `a` says how to log in, like `p`.
 */
import {cleanup} from 'ink-testing-library';
import {afterEach, describe, expect, test, vi} from 'vitest';
import type {ApplyService, DeployedStatuses, DeployedStatusService, PlanService, WorkbenchServices} from '../../components/services.js';
import {planChanges} from '../../engine/plan/plan.js';
import {applyStart, done, eventChannel, failed, skipped, started, summary} from './engine-events.js';
import {flush, KEYS, press} from './keys.js';
import {demoOptions, footerOf, live, renderWorkbench, selectedTreeRow, treeColumn} from './render-workbench.js';
import {copyDemo, removeTempDirs} from './stack-fixture.js';
import {nothingWidens} from './plan-fixture.js';

afterEach(() => {
	cleanup();
	removeTempDirs();
});

/** The real planner, against no recorded state. */
/** The real planner against no recorded state, as if nothing widened access (the review's section for those has its own specs, plan-review.test.tsx). */
const realPlan: PlanService = async (workspace) => ({plan: nothingWidens(planChanges(workspace, undefined))});

/** Services whose apply is a scripted stream the test drives, and whose state is what the test says. */
function scriptedServices() {
	const events = eventChannel();
	let deployed: DeployedStatuses = {};
	const apply = vi.fn<ApplyService>(() => events);
	const deployedStatus = vi.fn<DeployedStatusService>(async () => deployed);
	const services: WorkbenchServices = {plan: realPlan, apply, deployedStatus};
	return {
		services,
		events,
		apply,
		deployedStatus,
		setDeployed(next: DeployedStatuses) {
			deployed = next;
		},
	};
}

describe('a without services', () => {
	test('is not offered; pressed anyway, it says how to log in, exactly as p does, and stays on the overview', async () => {
		const {stdin, frame} = await renderWorkbench(copyDemo(), demoOptions);
		expect(footerOf(frame())).not.toContain('a apply');
		expect(footerOf(frame())).not.toContain('p plan');
		await press(stdin, 'a');
		expect(footerOf(frame())).toContain('plan needs a tenant: panka login (or PANKA_TENANT + PANKA_TENANT_SECRET)');
		expect(frame()).toContain('╭─ Components');
	});
});

describe('a with services', () => {
	test('plan → review to apply → y → the dashboard over the engine events → back to the tree with deployed markers', async () => {
		const s = scriptedServices();
		const {stdin, frame} = await renderWorkbench(copyDemo(), demoOptions, 'Components', s.services);
		// Asked once on open: nothing deployed yet, every component says so.
		await vi.waitFor(() => expect(frame()).toContain('10 · 0 deployed'), live);
		expect(s.deployedStatus).toHaveBeenCalledTimes(1);
		expect(treeColumn(frame())).toMatch(/api-db +RDS +○/);
		expect(selectedTreeRow(frame())).toMatch(/^api-server/);
		expect(frame()).toContain('○ not deployed');

		await press(stdin, 'a');
		await vi.waitFor(() => expect(frame()).toContain('Plan review · notification-platform · staging'), live);
		expect(frame()).toContain('y applies the 11 approved changes · space skips one · esc applies nothing');
		expect(footerOf(frame())).toContain('y apply approved changes');
		await press(stdin, KEYS.down, KEYS.space); // skip api/api-db (and api/api-server with it)
		expect(frame()).toContain('⚠ partial apply: 2 changes skipped');

		await press(stdin, 'y');
		expect(s.apply).toHaveBeenCalledTimes(1);
		const [plan, selection, signals] = s.apply.mock.calls[0]!;
		expect(plan.summary.create).toBe(11);
		expect([...selection.skipped.keys()]).toEqual(['api/api-db', 'api/api-server']);
		expect(signals.stop.aborted).toBe(false);
		expect(frame()).toContain('Apply · notification-platform · staging');
		expect(frame()).toContain('taking the stack lock and reading the state…');
		expect(frame()).not.toMatch(/create +api\/api-db /); // only the approved changes are steps

		const approved = plan.changes.filter((c) => selection.approved.has(c.address));
		await vi.waitFor(() => expect(s.events.reads).toBeGreaterThan(0), live);
		s.events.push(
			{...applyStart(plan), changes: approved.map((c) => ({address: c.address, action: 'create' as const, kind: c.kind}))},
			started(plan, 'stack#security-group'),
			done(plan, 'stack#security-group'),
			started(plan, 'api/notification-queue'),
		);
		await vi.waitFor(() => expect(frame()).toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] create +api\/notification-queue +SQS +creating…/), live);
		expect(footerOf(frame())).toContain('ctrl+c stop');
		// q does not quit mid-apply, and esc does not leave.
		await press(stdin, 'q', KEYS.escape);
		expect(frame()).toContain('Apply · notification-platform · staging');

		s.events.push(
			done(plan, 'api/notification-queue'),
			started(plan, 'api/uploads-bucket'),
			failed(plan, 'api/uploads-bucket', 'BucketAlreadyExists', 'The requested bucket name is not available'),
		);
		const first = ['stack#security-group', 'api/notification-queue', 'api/uploads-bucket'];
		s.events.push(
			...approved
				.filter((c) => !first.includes(c.address))
				.flatMap((c) =>
					c.address.startsWith('worker/')
						? [started(plan, c.address), done(plan, c.address)]
						: [skipped(plan, c.address, 'api/uploads-bucket')],
				),
		);
		await vi.waitFor(() => expect(frame()).toContain('BucketAlreadyExists: The requested bucket name is not available'), live);
		s.setDeployed({
			'api/notification-queue': {status: 'ready', physicalId: 'https://sqs/notification-queue'},
			'worker/delivery-events': {status: 'ready', physicalId: 'arn:sns:delivery-events'},
			'worker/processor': {status: 'failed', physicalId: 'processor'},
		});
		s.events.push(
			summary({
				done: ['api/notification-queue'],
				failed: ['api/uploads-bucket'],
				skipped: ['scheduler/cron-job'],
				outputs: {'notification-queue.queueUrl': 'http://q'},
			}),
		);
		s.events.end();
		await vi.waitFor(() => expect(frame()).toContain('✗ Applied 1 of 3 changes; 1 failed, 1 skipped because of it'), live);
		expect(frame()).toContain('notification-queue.queueUrl = http://q');
		expect(footerOf(frame())).toContain('enter/esc/q leave');
		// The end of the run asked for the deployed statuses again.
		await vi.waitFor(() => expect(s.deployedStatus).toHaveBeenCalledTimes(2), live);

		await press(stdin, KEYS.enter);
		expect(frame()).toContain('╭─ Components');
		// The footer says the engine's verdict, as the dashboard did.
		expect(footerOf(frame())).toContain('✗ Applied 1 of 3 changes; 1 failed, 1 skipped because of it');
		expect(frame()).toContain('10 · 3 deployed');
		const tree = treeColumn(frame());
		expect(tree).toMatch(/notificatio\S* +SQS +●/);
		expect(tree).toMatch(/delivery-ev\S* +SNS +●/);
		expect(tree).toMatch(/processor +Lambda +✗/);
		expect(tree).toMatch(/api-db +RDS +○/);
		await press(stdin, KEYS.down, KEYS.down);
		expect(selectedTreeRow(frame())).toMatch(/^notificatio/);
		expect(frame()).toContain('● deployed  https://sqs/notification-queue');
	});

	test('ctrl+c on the dashboard stops the apply (then aborts it), also with the help open; the workbench stays', async () => {
		const s = scriptedServices();
		const {stdin, frame, onExit} = await renderWorkbench(copyDemo(), demoOptions, 'Components', s.services);
		await press(stdin, 'a');
		await vi.waitFor(() => expect(frame()).toContain('Plan review'), live);
		await press(stdin, 'y');
		const [plan, , signals] = s.apply.mock.calls[0]!;
		s.events.push(applyStart(plan), started(plan, 'api/api-db'));
		await vi.waitFor(() => expect(frame()).toMatch(/create +api\/api-db +RDS +creating…/), live);

		await press(stdin, '?');
		expect(frame()).toContain('╭─ Keys');
		await press(stdin, KEYS.ctrlC);
		expect(signals.stop.aborted).toBe(true);
		expect(signals.abort.aborted).toBe(false);
		expect(onExit).not.toHaveBeenCalled();
		await press(stdin, KEYS.escape);
		expect(frame()).toContain('⚠ Stop after in-flight operations? (Ctrl-C again aborts them)');
		await press(stdin, KEYS.ctrlC);
		expect(signals.abort.aborted).toBe(true);
		expect(onExit).not.toHaveBeenCalled();

		s.events.push(
			failed(plan, 'api/api-db', 'Aborted', 'aborted; recorded as pending, the next run resolves it'),
			summary({failed: ['api/api-db'], interrupted: true}),
		);
		s.events.end();
		await vi.waitFor(() => expect(frame()).toContain('⚠ Deploy interrupted'), live);
		await press(stdin, 'q');
		expect(frame()).toContain('╭─ Components');
		expect(footerOf(frame())).toContain('⚠ Deploy interrupted: 0 done, 1 failed, 0 not started');
		expect(onExit).not.toHaveBeenCalled();
		// The next apply is a new run: new signals, not yet fired.
		await press(stdin, 'a');
		await vi.waitFor(() => expect(frame()).toContain('Plan review'), live);
		await press(stdin, 'y');
		await flush();
		expect(s.apply).toHaveBeenCalledTimes(2);
		expect(s.apply.mock.calls[1]![2].stop.aborted).toBe(false);
	});

	test('a refusal from the service (a held lock) is shown with its hint, and esc goes back', async () => {
		const s = scriptedServices();
		const {stdin, frame} = await renderWorkbench(copyDemo(), demoOptions, 'Components', s.services);
		await press(stdin, 'a');
		await vi.waitFor(() => expect(frame()).toContain('Plan review'), live);
		await press(stdin, 'y');
		s.events.fail(
			Object.assign(new Error('stack notification-platform (production) is locked: "apply" by ci@runner, pid 77'), {
				hint: 'panka state unlock 9c1d',
			}),
		);
		await vi.waitFor(() => expect(frame()).toContain('✗ Apply did not run to the end'), live);
		expect(frame()).toContain('hint: panka state unlock 9c1d');
		await press(stdin, KEYS.escape);
		expect(footerOf(frame())).toContain('the apply did not run: stack notification-platform (production) is locked');
	});
});
