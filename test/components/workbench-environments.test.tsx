/**
 * Switching environment in the workbench: the header names the environment (a protected one
 * marked), `e` resolves the folder for the next declared one, the details follow (values and their
 * origins), what is deployed is asked for again for that environment, and the selection is kept.
 */
import {cleanup} from 'ink-testing-library';
import {afterEach, describe, expect, test, vi} from 'vitest';
import type {DeployedStatuses, DeployedStatusService} from '../../components/services.js';
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
