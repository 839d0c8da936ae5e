/**
 * Switching environment in the workbench: the header names the environment (a protected one
 * marked), `e` resolves the folder for the next declared one, the details follow (values and their
 * origins), what is deployed is asked for again for that environment, and the selection is kept.
 * A protected environment applies from the workbench only once its name is typed in the review.
 */
import {cleanup} from 'ink-testing-library';
import {afterEach, describe, expect, test, vi} from 'vitest';
import type {ApplyService, DeployedStatuses, DeployedStatusService, PlanService} from '../../components/services.js';
import {planChanges} from '../../engine/plan/plan.js';
import {eventChannel} from './engine-events.js';
import {KEYS, press} from './keys.js';
import {demoOptions, detailTitle, footerOf, live, renderWorkbench} from './render-workbench.js';
import {copyStack} from '../helpers/stack-fixture.js';
import {copyDemo, removeTempDirs} from './stack-fixture.js';

afterEach(() => {
	cleanup();
	removeTempDirs();
});

const headerOf = (frame: string) => frame.split('\n')[0] ?? '';

describe('e switches environment', () => {
	test('the header, the details and what is deployed follow; the selection stays', async () => {
		const deployedStatus = vi.fn<DeployedStatusService>(
			async (workspace): Promise<DeployedStatuses> =>
				workspace.environment === 'staging' ? {'api/api-db': {status: 'ready', physicalId: 'db-staging'}} : {},
		);
		const {stdin, frame} = await renderWorkbench(copyDemo(), demoOptions, 'Components', {deployedStatus});
		expect(headerOf(frame())).toContain('notifications-team/staging');
		expect(footerOf(frame())).toContain('e env');
		await press(stdin, KEYS.down);
		expect(detailTitle(frame())).toBe('api/api-db');
		await press(stdin, KEYS.tab, KEYS.pageDown);
		expect(frame()).toMatch(/instance\.class\s+db\.t3\.micro\s+env staging/);

		await press(stdin, 'e');
		await vi.waitFor(() => expect(headerOf(frame())).toContain('production [protected]'), live);
		expect(detailTitle(frame())).toBe('api/api-db');
		await vi.waitFor(() => expect(frame()).toMatch(/instance\.class\s+db\.t3\.medium\s+resources\.yaml/), live);
		await vi.waitFor(
			() => expect(deployedStatus.mock.calls.map(([workspace]) => workspace.environment)).toEqual(['staging', 'production']),
			live,
		);

		await press(stdin, 'e');
		await vi.waitFor(() => expect(headerOf(frame())).toContain('notifications-team/staging'), live);
		expect(detailTitle(frame())).toBe('api/api-db');
	});

	test('a stack that declares no environments says so and stays where it is', async () => {
		const {stdin, frame} = await renderWorkbench(copyStack(), {env: {}, environment: 'qa'});
		expect(headerOf(frame())).toContain('env qa');
		await press(stdin, 'e');
		expect(frame()).toContain('stack.yaml declares no environments: this is qa (add spec.environments to switch)');
		expect(headerOf(frame())).toContain('env qa');
	});
});

describe('y on a protected environment', () => {
	const realPlan: PlanService = async (workspace) => ({plan: planChanges(workspace, undefined)});

	test('asks for its name: a wrong name or esc applies nothing, the exact name applies with the confirmation', async () => {
		const apply = vi.fn<ApplyService>(() => eventChannel());
		const {stdin, frame} = await renderWorkbench(copyDemo(), demoOptions, 'Components', {plan: realPlan, apply});
		await press(stdin, 'e');
		await vi.waitFor(() => expect(headerOf(frame())).toContain('production [protected]'), live);
		await press(stdin, 'a');
		await vi.waitFor(() => expect(frame()).toContain('Plan review · notification-platform · production [protected]'), live);

		await press(stdin, 'y');
		expect(frame()).toContain('Type production to apply it: █');
		expect(footerOf(frame())).toContain('enter apply');
		await press(stdin, ...'prod q'.split(''));
		expect(frame()).toContain('Type production to apply it: prod q█'); // q is text here, not quit
		await press(stdin, KEYS.enter);
		expect(frame()).toContain('apply cancelled: "prod q" is not production; nothing was changed');
		expect(apply).not.toHaveBeenCalled();

		await press(stdin, 'y', 'x', KEYS.escape);
		expect(frame()).toContain('apply cancelled: nothing was changed');
		expect(apply).not.toHaveBeenCalled();

		await press(stdin, 'y', ...'production'.split(''), KEYS.enter);
		expect(apply).toHaveBeenCalledTimes(1);
		const [plan, , , confirmation] = apply.mock.calls[0]!;
		expect(plan.environment).toBe('production');
		expect(confirmation).toEqual({environment: 'production'});
		expect(frame()).toContain('Apply · notification-platform · production [protected]');
	});

	test('an unprotected environment applies on y alone, with no confirmation', async () => {
		const apply = vi.fn<ApplyService>(() => eventChannel());
		const {stdin, frame} = await renderWorkbench(copyDemo(), demoOptions, 'Components', {plan: realPlan, apply});
		await press(stdin, 'a');
		await vi.waitFor(() => expect(frame()).toContain('Plan review · notification-platform · staging'), live);
		await press(stdin, 'y');
		expect(apply).toHaveBeenCalledTimes(1);
		expect(apply.mock.calls[0]![3]).toBeUndefined();
	});
});
