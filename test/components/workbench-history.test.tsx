/**
 * `H` in the workbench: the deployment history from the caller's services (the list, then what the
 * selected deployment changed, asked once per deployment), ↑↓ to select, esc back to the
 * overview. Without the service, `H` says how to log in; a service that fails says why.
 */
import {cleanup} from 'ink-testing-library';
import {afterEach, describe, expect, test, vi} from 'vitest';
import type {DeploymentChangesService, HistoryService, WorkbenchServices} from '../../components/services.js';
import type {Deployment, DeploymentChanges} from '../../engine/index.js';
import {KEYS, press} from './keys.js';
import {demoOptions, footerOf, live, renderWorkbench} from './render-workbench.js';
import {copyDemo, removeTempDirs} from './stack-fixture.js';

afterEach(() => {
	cleanup();
	removeTempDirs();
});

const deployment = (serial: number, fields: Partial<Deployment>): Deployment => ({
	label: String(serial),
	serial,
	firstSerial: serial - 2,
	lineage: '0d5d2b1e-6a3f-4c1e-9b8e-2f4a1c3d5e7f',
	at: `2026-12-0${serial}T10:00:00.000Z`,
	by: 'ana@laptop',
	operation: 'apply',
	changes: {create: 0, update: 1, replace: 0, delete: 0},
	outcome: 'completed',
	resources: 10,
	versionId: `v${serial}`,
	current: true,
	...fields,
});

const deployments = [
	deployment(9, {operation: 'rollback', rolledBackTo: 4, changes: {create: 0, update: 1, replace: 0, delete: 1}}),
	deployment(6, {outcome: 'partial'}),
	deployment(4, {changes: {create: 10, update: 0, replace: 0, delete: 0}, firstSerial: 1}),
];

const changesOf: Record<string, DeploymentChanges> = {
	'9': {
		changes: [
			{
				address: 'api/api-server',
				service: 'api',
				name: 'api-server',
				action: 'update',
				kind: 'MicroService',
				type: 'AWS::ECS::Service',
				physicalName: 'api',
				reasons: [],
				diff: [{path: 'image.tag', action: 'change', before: '1.4.3', after: '1.4.2'}],
				dependsOn: [],
				requires: [],
			},
		],
		variables: [{path: 'VERSION', action: 'change', before: '1.4.3', after: '1.4.2'}],
		summary: {create: 0, update: 1, replace: 0, delete: 0},
	},
	'6': {
		changes: [
			{
				address: 'api/notification-queue',
				service: 'api',
				name: 'notification-queue',
				action: 'update',
				kind: 'SQS',
				type: 'AWS::SQS::Queue',
				physicalName: 'queue',
				reasons: [],
				diff: [{path: 'visibilityTimeout', action: 'change', before: 30, after: 120}],
				dependsOn: [],
				requires: [],
			},
		],
		variables: [],
		summary: {create: 0, update: 1, replace: 0, delete: 0},
	},
};

function services(history: HistoryService = async () => ({deployments, unreadable: [], exists: true})) {
	const deploymentChanges = vi.fn<DeploymentChangesService>(async (_workspace, d) => changesOf[d.label]!);
	const list = vi.fn(history);
	const all: WorkbenchServices = {history: list, deploymentChanges};
	return {all, list, deploymentChanges};
}

describe('H in the workbench', () => {
	test('lists the deployments and shows what the selected one changed; ↓ selects the next; esc goes back', async () => {
		const s = services();
		const {stdin, frame} = await renderWorkbench(copyDemo(), demoOptions, 'Components', s.all);
		await press(stdin, 'H');
		await vi.waitFor(() => expect(frame()).toContain('image.tag: "1.4.3" → "1.4.2"'), live);
		expect(frame()).toContain('History · notification-platform · staging');
		expect(frame()).toContain('1 of 3 deployments');
		expect(frame()).toMatch(/9 +2026-12-09 10:00 +rollback to 4 +~1 -1 +completed/);
		expect(frame()).toMatch(/6 +2026-12-06 10:00 +apply +~1 +partial/);
		expect(frame()).toMatch(/4 +2026-12-04 10:00 +apply +\+10 +completed/);
		expect(frame()).toContain('Deployment 9');
		expect(frame()).toContain('variables.VERSION: "1.4.3" → "1.4.2"');
		expect(frame()).toContain('~ api/api-server  MicroService');
		expect(s.list).toHaveBeenCalledTimes(1);
		expect(s.deploymentChanges).toHaveBeenCalledTimes(1);

		await press(stdin, KEYS.down);
		await vi.waitFor(() => expect(frame()).toContain('visibilityTimeout: 30 → 120'), live);
		expect(frame()).toContain('Deployment 6');
		expect(frame()).not.toContain('image.tag');
		await press(stdin, KEYS.up);
		expect(frame()).toContain('image.tag: "1.4.3" → "1.4.2"');
		// Each deployment's changes were asked for once.
		expect(s.deploymentChanges.mock.calls.map(([, d]) => d.label)).toEqual(['9', '6']);

		await press(stdin, KEYS.escape);
		expect(frame()).toContain('Components');
		expect(frame()).not.toContain('History ·');
	});

	test('says why when there is no history service, and when the history cannot be read', async () => {
		const bare = await renderWorkbench(copyDemo(), demoOptions);
		await press(bare.stdin, 'H');
		expect(footerOf(bare.frame())).toContain('the history needs a tenant: panka login');
		cleanup();

		const failing = services(async () => {
			throw Object.assign(new Error('cannot list versions of s3://bucket/state.json: AccessDenied'), {hint: 'check the bucket policy'});
		});
		const {stdin, frame} = await renderWorkbench(copyDemo(), demoOptions, 'Components', failing.all);
		await press(stdin, 'H');
		await vi.waitFor(() => expect(frame()).toContain('cannot read the history: cannot list versions'), live);
		expect(frame()).toContain('hint: check the bucket policy');
		expect(failing.deploymentChanges).not.toHaveBeenCalled();
	});
});
