/**
 * `p` in the workbench: the plan comes from the caller's plan service (here: the real planner
 * against no state), the review opens in place of the overview, and saving goes through the
 * caller's savePlan. Without a plan service `p` says how to log in; a folder with errors is never
 * planned; a failed plan shows its message and hint.
 */
import {cleanup} from 'ink-testing-library';
import {afterEach, describe, expect, test, vi} from 'vitest';
import type {PlanService, SavePlanService, WorkbenchServices} from '../../components/services.js';
import {type Plan, PlanError, planChanges} from '../../engine/plan/plan.js';
import {KEYS, press} from './keys.js';
import {demoOptions, footerOf, live, renderWorkbench} from './render-workbench.js';
import {copyDemo, readFile, removeTempDirs, writeFile} from './stack-fixture.js';
import {nothingWidens} from './plan-fixture.js';

afterEach(() => {
	cleanup();
	removeTempDirs();
});

/** The real planner against no recorded state, as if nothing widened access (the review's section for those has its own specs, plan-review.test.tsx). */
const realPlan: PlanService = async (workspace) => ({plan: nothingWidens(planChanges(workspace, undefined))});

function open(services?: WorkbenchServices, root = copyDemo()) {
	return renderWorkbench(root, demoOptions, 'Components', services);
}

describe('p without a plan service', () => {
	test('says how to log in, and stays on the overview', async () => {
		const {stdin, frame} = await open();
		await press(stdin, 'p');
		expect(footerOf(frame())).toContain('plan needs a tenant: panka login (or PANKA_TENANT + PANKA_TENANT_SECRET)');
		expect(frame()).toContain('╭─ Components');
	});

	test('read-only (the demo without moto): p, a and l are not offered, and pressed anyway they say why', async () => {
		const {stdin, frame} = await open({readOnly: 'read-only (--read-only): this workbench plans, applies and tails nothing'});
		const footer = footerOf(frame());
		for (const hint of ['p plan', 'a apply']) expect(footer).not.toContain(hint);
		for (const key of ['p', 'a', 'l']) {
			await press(stdin, key);
			expect(footerOf(frame())).toContain('read-only (--read-only): this workbench plans, applies and tails nothing');
			expect(frame()).toContain('╭─ Components');
			expect(frame()).not.toContain('Plan review');
		}
		// y (apply) means nothing on the overview.
		await press(stdin, 'y');
		expect(frame()).not.toContain('Apply ·');
	});
});

describe('p with a plan service', () => {
	test('offers p and a in the footer', async () => {
		const {frame} = await open({plan: realPlan, apply: async function* () {}});
		expect(footerOf(frame())).toContain('p plan');
		expect(footerOf(frame())).toContain('a apply');
	});

	test('shows planning… while the service runs, then the review; esc goes back to the overview', async () => {
		let release: () => void = () => {};
		const gate = new Promise<void>((resolve) => {
			release = resolve;
		});
		const plan = vi.fn<PlanService>(async (workspace, {signal}) => {
			expect(signal.aborted).toBe(false);
			await gate;
			return realPlan(workspace, {signal});
		});
		const {stdin, frame} = await open({plan});
		await press(stdin, 'p');
		expect(frame()).toContain('planning notification-platform (staging) against its recorded state…');
		expect(plan).toHaveBeenCalledTimes(1);
		expect(plan.mock.calls[0]![0].stack.name).toBe('notification-platform');

		release();
		await vi.waitFor(() => expect(frame()).toContain('Plan review · notification-platform · staging'), live);
		expect(frame()).toContain('Plan: 11 to add, 0 to change, 0 to replace, 0 to destroy');
		expect(frame()).toContain('Create (11)');
		// The stack security group comes first: the components in the tenant VPC need it.
		expect(frame()).toMatch(/│▌✓ +\+ stack#security-group +SecurityGroup/);
		expect(footerOf(frame())).toContain('space approve/skip');
		expect(footerOf(frame())).toContain('s save plan');
		expect(footerOf(frame())).toContain('esc back');
		expect(frame().split('\n')).toHaveLength(39);

		await press(stdin, KEYS.escape);
		expect(frame()).toContain('╭─ Components');
		expect(frame()).not.toContain('Plan review');
	});

	test('skip, filter and expand in place; s saves the plan with the Selection through savePlan', async () => {
		const savePlan = vi.fn<SavePlanService>(async () => ({path: '/tmp/panka-demo.plan.json'}));
		const {stdin, frame} = await open({plan: realPlan, savePlan});
		await press(stdin, 'p');
		await vi.waitFor(() => expect(frame()).toContain('Plan review'), live);

		await press(stdin, KEYS.down, KEYS.space); // the second change: api/api-db
		expect(frame()).toContain('also skipped: api/api-server (depends on api/api-db)');
		expect(frame()).toContain('⚠ partial apply: 2 changes skipped');
		await press(stdin, '/', 'q', 'u', 'e', 'u', 'e', KEYS.enter);
		expect(frame()).toContain('filter “queue” · 1 of 11');
		expect(frame()).not.toContain('api/api-db ');
		await press(stdin, KEYS.enter);
		expect(frame()).toContain('+ type: "standard"');
		await press(stdin, KEYS.escape); // clears the filter, stays in the review
		expect(frame()).toContain('Plan review');
		expect(frame()).toMatch(/│ ○ +\+ api\/api-db/);

		await press(stdin, 's');
		await vi.waitFor(() => expect(frame()).toContain('✓ saved the plan to /tmp/panka-demo.plan.json (9 approved, 2 skipped)'), live);
		expect(savePlan).toHaveBeenCalledTimes(1);
		const [plan, selection] = savePlan.mock.calls[0]!;
		expect((plan as Plan).summary.create).toBe(11);
		expect([...selection.skipped.keys()]).toEqual(['api/api-db', 'api/api-server']);
		expect(selection.partial).toBe(true);
		expect(frame()).toContain('saved to /tmp/panka-demo.plan.json');
	});

	test('without savePlan, s says saving is not available here', async () => {
		const {stdin, frame} = await open({plan: realPlan});
		await press(stdin, 'p');
		await vi.waitFor(() => expect(frame()).toContain('Plan review'), live);
		await press(stdin, 's');
		expect(frame()).toContain('this workbench cannot save plans: use panka plan --out FILE');
	});

	test('? shows the review keys over the review; esc brings the review back as it was', async () => {
		const {stdin, frame} = await open({plan: realPlan});
		await press(stdin, 'p');
		await vi.waitFor(() => expect(frame()).toContain('Plan review'), live);
		await press(stdin, KEYS.down, KEYS.down, KEYS.space, '?');
		expect(frame()).toContain('╭─ Keys');
		await press(stdin, KEYS.escape);
		expect(frame()).toMatch(/│▌○ +\+ api\/notification-queue/);
	});

	test('a failed plan shows the message and its hint; p tries again', async () => {
		let calls = 0;
		const plan: PlanService = async (workspace, context) => {
			calls++;
			if (calls === 1)
				throw new PlanError(
					'state-mismatch',
					'the state belongs to stack other, not to stack notification-platform',
					'check --env and the tenant you are logged in as',
				);
			return realPlan(workspace, context);
		};
		const {stdin, frame} = await open({plan});
		await press(stdin, 'p');
		await vi.waitFor(() => expect(frame()).toContain('╭─ Plan failed'), live);
		expect(frame()).toContain('✗ the state belongs to stack other, not to stack notification-platform');
		expect(frame()).toContain('hint: check --env and the tenant you are logged in as');
		await press(stdin, 'p');
		await vi.waitFor(() => expect(frame()).toContain('Plan review'), live);
	});

	test('a folder with errors is not planned: the diagnostics pane gets the focus', async () => {
		const root = copyDemo();
		const plan = vi.fn(realPlan);
		const {stdin, frame} = await open({plan}, root);
		writeFile(
			root,
			'services/api/ecs.yaml',
			readFile(root, 'services/api/ecs.yaml').replace('  replicas: "${REPLICAS}"', '  replicas: "${REPLICAS}"\n  replicaz: 4'),
		);
		await vi.waitFor(() => expect(frame()).toContain('unknown field "replicaz"'), live);
		await press(stdin, 'p');
		expect(footerOf(frame())).toContain('cannot plan: the stack folder has 1 error (see Diagnostics)');
		expect(plan).not.toHaveBeenCalled();

		// The footer follows the diagnostics as the folder changes: a second error, then none.
		const ecs = readFile(root, 'services/api/ecs.yaml');
		writeFile(root, 'services/api/ecs.yaml', ecs.replace('  replicaz: 4', '  replicaz: 4\n  portz: 1'));
		await vi.waitFor(() => expect(footerOf(frame())).toContain('cannot plan: the stack folder has 2 errors (see Diagnostics)'), live);
		await press(stdin, KEYS.enter); // the diagnostics pane has the focus: enter shows the offending lines
		expect(frame()).toContain('╭─ Diagnostic');
		await press(stdin, KEYS.escape, 'p');
		writeFile(root, 'services/api/ecs.yaml', ecs.replace('  replicaz: 4\n', ''));
		await vi.waitFor(() => expect(footerOf(frame())).toContain('✓ the stack folder has no errors now: p plans'), live);
		await press(stdin, 'p');
		expect(plan).toHaveBeenCalledTimes(1);

		// The same when the service finds them (it may load the folder itself).
		const refusing = vi.fn<PlanService>(async () => {
			throw new PlanError('workspace-has-errors', 'the stack folder has 1 error; nothing was planned', 'run `panka validate`');
		});
		cleanup();
		const again = await open({plan: refusing});
		await press(again.stdin, 'p');
		await vi.waitFor(() => expect(footerOf(again.frame())).toContain('cannot plan'), live);
		expect(again.frame()).toContain('╭─ Components');
	});

	test('a change to the folder during the review is pointed out, and the plan is kept', async () => {
		const root = copyDemo();
		const {stdin, frame} = await open({plan: realPlan}, root);
		await press(stdin, 'p');
		await vi.waitFor(() => expect(frame()).toContain('Plan review'), live);
		await press(stdin, KEYS.down, KEYS.space);
		writeFile(root, 'services/api/service.yaml', readFile(root, 'services/api/service.yaml').replace('REPLICAS: "3"', 'REPLICAS: "5"'));
		await vi.waitFor(() => expect(frame()).toContain('the folder changed since this plan (esc, p: plan again)'), live);
		expect(frame()).toContain('⚠ partial apply: 2 changes skipped');
	});
});
