/**
 * Names in use: a stack deployed by panka 0.1, whose names lack the identity hash, plans no changes
 * after the upgrade, and its resources keep their names; names change only where something else
 * changed them, and parts that did not exist yet get the new rule's names.
 */
import {appendFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {legacyNames, pendingCreateNames, withNamesInUse} from '../../../engine/plan/names-in-use.js';
import {planChanges} from '../../../engine/plan/plan.js';
import type {ResolvedComponent} from '../../../engine/resolve/resolve-stack.js';
import type {StateDocument} from '../../../engine/state/state-document.js';
import type {Workspace} from '../../../engine/workspace.js';
import {byAddress, demoCopy, deployed, edit, loadDemo} from './plan-fixture.js';

const legacyStackGroup = 'notifications-team-notification-platform-production-stack-sg';

/** The workspace as panka 0.1 resolved it: 0.1's names, and its stack security group name in the networking. */
function asResolvedByLegacy(workspace: Workspace): Workspace {
	const components = workspace.components.map(
		(component): ResolvedComponent => ({
			...component,
			physicalNames: legacyNames(workspace, component),
			...(component.networking
				? {
						networking: {
							...component.networking,
							securityGroups: component.networking.securityGroups.map((group) =>
								group.origin === 'stack' ? {...group, name: legacyStackGroup} : group,
							),
						},
					}
				: {}),
		}),
	);
	return {...workspace, components, componentsByName: new Map(components.map((c) => [c.name, c]))};
}

/** The state a complete apply by panka 0.1 recorded: its names, and a stack security group by ID only. */
function deployedBy01(workspace: Workspace): StateDocument {
	const state = deployed(asResolvedByLegacy(workspace));
	state.networking = {vpcId: 'vpc-0a', stackSecurityGroupId: 'sg-0stack'};
	return state;
}

describe('names in use', () => {
	it('plans no change to any resource of a stack panka 0.1 deployed, and keeps every name it recorded', async () => {
		const workspace = await loadDemo();
		const state = deployedBy01(workspace);
		const queue = workspace.componentsByName.get('notification-queue')!;
		expect(state.resources['api/notification-queue']!.physicalNames).toEqual({
			primary: 'notifications-team-notification-platform-production-notification-queue',
			deadLetterQueue: 'notifications-team-notification-platform-production-notification-queue-dlq',
		});
		expect(queue.physicalNames.primary).toMatch(/-[0-9a-f]{8}$/);

		const plan = planChanges(workspace, state);
		// Every resource as it is; only the stack security group, whose rules 0.1 did not record, is reconciled once.
		expect(plan.summary).toEqual({create: 0, update: 1, replace: 0, delete: 0, noop: 10});
		const changed = plan.changes.filter((change) => change.action !== 'no-op');
		expect(changed.map((change) => [change.address, change.physicalName, change.reasons])).toEqual([
			[
				'stack#security-group',
				legacyStackGroup,
				['the rules it was last applied with are not recorded (a state from an earlier panka): they are reconciled'],
			],
		]);
		const named = withNamesInUse(workspace, state);
		for (const component of named.components) expect(component.physicalNames).toEqual(state.resources[component.address]!.physicalNames);
		expect(named.stack.networking?.stackGroup.name).toBe(legacyStackGroup);
		expect(named.componentsByName.get('api-server')!.networking?.securityGroups.map((group) => group.name)).toEqual([
			'notifications-team-default-sg',
			legacyStackGroup,
		]);
		// The plan file's hash is the folder's: the same whatever the state.
		expect(plan.desiredHash).toBe(planChanges(workspace, undefined).desiredHash);
	});

	it('keeps a stack recorded by this panka as it is', async () => {
		const workspace = await loadDemo();
		const state = deployed(workspace);
		state.networking = {stackSecurityGroupId: 'sg-0stack', stackSecurityGroupName: workspace.stack.networking!.stackGroup.name};
		expect(withNamesInUse(workspace, state)).toBe(workspace);
		expect(planChanges(workspace, state).summary.noop).toBe(10);
	});

	it('still renames what changed for another reason: a queue turned FIFO gets the new rule’s name, created before the old one goes', async () => {
		const dir = demoCopy();
		const state = deployedBy01(await loadDemo(dir));
		edit(dir, 'services/api/resources.yaml', 'type: standard', 'type: fifo');
		const queue = byAddress(planChanges(await loadDemo(dir), state), 'api/notification-queue');
		expect(queue).toMatchObject({
			action: 'replace',
			replaceStrategy: 'create-before-delete',
			previousPhysicalName: 'notifications-team-notification-platform-production-notification-queue',
			physicalName: expect.stringMatching(/^notifications-team-notification-platform-production-notification-q-[0-9a-f]{8}\.fifo$/),
		});
	});

	it('gives a part the old resource did not have the new rule’s name (a dead-letter queue turned on)', async () => {
		const dir = demoCopy();
		edit(dir, 'services/api/resources.yaml', 'deadLetterQueue:\n    enabled: true', 'deadLetterQueue:\n    enabled: false');
		const state = deployedBy01(await loadDemo(dir));
		edit(dir, 'services/api/resources.yaml', 'deadLetterQueue:\n    enabled: false', 'deadLetterQueue:\n    enabled: true');
		const queue = byAddress(planChanges(await loadDemo(dir), state), 'api/notification-queue');
		expect(queue.action).toBe('update');
		expect(queue.diff.find((entry) => entry.path === 'physicalNames.primary')).toBeUndefined();
		expect(queue.diff.find((entry) => entry.path === 'physicalNames.deadLetterQueue')).toMatchObject({
			action: 'add',
			after: expect.stringMatching(/^notifications-team-notification-platform-production-notification-queue-[0-9a-f]{8}$/),
		});
	});

	it('puts a service added to an old stack in the stack’s cluster, not in a second one', async () => {
		const dir = demoCopy();
		const state = deployedBy01(await loadDemo(dir));
		const api = path.join(dir, 'services/api/ecs.yaml');
		appendFileSync(
			api,
			'\n---\napiVersion: components.panka.io/v1\nkind: MicroService\nmetadata:\n  name: admin-ui\nspec:\n  image:\n    repository: nginx\n',
		);
		const workspace = await loadDemo(dir);
		const named = withNamesInUse(workspace, state);
		const cluster = state.resources['api/api-server']!.physicalNames.cluster;
		expect(cluster).toBe('notifications-team-notification-platform-production-cluster');
		expect(named.componentsByName.get('admin-ui')!.physicalNames.cluster).toBe(cluster);
		// Its own parts get the new rule's names.
		expect(named.componentsByName.get('admin-ui')!.physicalNames.primary).toMatch(/-admin-ui-[0-9a-f]{8}$/);
		expect(byAddress(planChanges(workspace, state), 'api/admin-ui').action).toBe('create');
	});

	it('names the stack security group by what the state recorded, else (a state of 0.1) by the old rule, else by the new rule', async () => {
		const workspace = await loadDemo();
		const current = workspace.stack.networking!.stackGroup.name;
		const groupOf = (networking: StateDocument['networking']) =>
			withNamesInUse(workspace, {...deployed(workspace), networking}).stack.networking!.stackGroup.name;
		expect(current).toMatch(/^notifications-team-notification-platform-production-stack-sg-[0-9a-f]{8}$/);
		expect(groupOf({stackSecurityGroupId: 'sg-1', stackSecurityGroupName: 'what-it-is-called'})).toBe('what-it-is-called');
		expect(groupOf({stackSecurityGroupId: 'sg-1'})).toBe(legacyStackGroup);
		expect(groupOf({})).toBe(current);
	});

	it('adopts a crashed create by the names it recorded, by 0.1’s names for an operation 0.1 recorded, else by the current ones', async () => {
		const workspace = await loadDemo();
		const queue = workspace.componentsByName.get('notification-queue')!;
		const legacy = legacyNames(workspace, queue);
		const operation = {id: 'op', address: queue.address, operation: 'create' as const, startedAt: ''};
		expect(pendingCreateNames(workspace, queue, {...operation, physicalNames: {primary: 'as-recorded'}})).toEqual({primary: 'as-recorded'});
		expect(pendingCreateNames(workspace, queue, {...operation, physicalName: legacy.primary})).toEqual(legacy);
		expect(pendingCreateNames(workspace, queue, {...operation, physicalName: queue.physicalNames.primary})).toBe(queue.physicalNames);
		expect(pendingCreateNames(workspace, queue, operation)).toBe(queue.physicalNames);
	});
});
