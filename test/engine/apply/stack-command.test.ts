/**
 * runStackCommand, the whole apply or destroy of a stack as the command line runs it: what it
 * reports, in order, how it ends, and that the lock is given back however it ends. A report that
 * records every call stands in for the view; a local backend holds the state and the lock.
 */
import {CreateQueueCommand, SQSClient} from '@aws-sdk/client-sqs';
import {describe, expect, it} from 'vitest';
import {runStackCommand, type StackCommandReport, type StackCommandRequest, type SweepReport} from '../../../engine/apply/stack-command.js';
import type {StackTarget} from '../../../engine/apply/stack-change.js';
import {stackIdentityTags} from '../../../engine/apply/stack-sweep.js';
import type {AwsClients} from '../../../engine/aws/aws-clients.js';
import {type Plan, planChanges} from '../../../engine/plan/plan.js';
import {openBackend} from '../../../engine/state/backend.js';
import {readLock} from '../../../engine/state/lock.js';
import {emptyState, type StateKey} from '../../../engine/state/state-document.js';
import {readState, writeState} from '../../../engine/state/state-store.js';
import {loadWorkspace} from '../../../engine/workspace.js';
import {dataStack} from '../../helpers/data-stack.js';
import {describeAws, useMoto} from '../../helpers/moto.js';
import {tempDir} from '../../helpers/stack-fixture.js';

let stacks = 0;

async function target(clients: AwsClients): Promise<StackTarget> {
	const stack = `cmd${stacks++}${Date.now().toString(36)}`;
	const key: StateKey = {tenant: 'acme', stack, environment: 'test'};
	return {
		backend: openBackend({kind: 'local', home: tempDir()}),
		key,
		workspace: await loadWorkspace(dataStack({stack})),
		tenantClients: clients,
		region: 'us-east-1',
		accountId: '123456789012',
		who: 'tester@host',
	};
}

function request(operation: 'apply' | 'destroy', overrides: Partial<StackCommandRequest> = {}): StackCommandRequest {
	return {
		settings: {
			operation,
			parallelism: 4,
			lock: {},
			holder: {operation, who: 'tester@host', host: 'host', pid: process.pid, version: 'test'},
			commands: {statePush: (file) => `panka state push ${file}`, rerun: (op) => `panka ${op} stack`},
		},
		yes: true,
		approveBroadening: false,
		deleteOrphans: false,
		listen: () => ({stop: new AbortController().signal, abort: new AbortController().signal}),
		plan: async () => {
			throw new Error('this spec makes no apply plan');
		},
		price: async (plan) => plan,
		abandoned: () => {
			throw new Error('not interrupted');
		},
		...overrides,
	};
}

/** A report that records what it is told (method name and arguments), for a view. */
function recordingReport(): {report: StackCommandReport; told: Array<{what: string; args: unknown[]}>} {
	const told: Array<{what: string; args: unknown[]}> = [];
	const report = new Proxy({} as StackCommandReport, {
		get:
			(_, what: string) =>
			async (...args: unknown[]) => {
				told.push({what, args});
				return what === 'review' ? 'unavailable' : undefined;
			},
	});
	return {report, told};
}

describe('runStackCommand', () => {
	it('refuses an apply over the tenant budget: the plan is shown with the refusal, nothing runs, no state is written, the lock is given back', async () => {
		const stack = await target({} as AwsClients);
		const overBudget = (plan: Plan): Plan =>
			({...plan, cost: {...(plan as {cost?: object}).cost, budget: {refused: true}}}) as unknown as Plan;
		const {report, told} = recordingReport();
		const result = await runStackCommand(
			stack,
			request('apply', {
				plan: async (state) => ({plan: planChanges(stack.workspace, state), state}),
				price: async (plan) => overBudget(plan),
			}),
			report,
		);
		expect(result).toEqual({kind: 'refused'});
		expect(told.map((t) => t.what)).toEqual(['overBudget']);
		expect(told[0]!.args[1]).toBe(true);
		expect(await readState(stack.backend, stack.key)).toBeUndefined();
		expect(await readLock(stack.backend, stack.key)).toBeUndefined();
	});

	it('gives the lock back when planning throws', async () => {
		const stack = await target({} as AwsClients);
		const {report} = recordingReport();
		const run = runStackCommand(
			stack,
			request('apply', {
				plan: async () => {
					throw new Error('the folder broke');
				},
			}),
			report,
		);
		await expect(run).rejects.toThrow('the folder broke');
		expect(await readLock(stack.backend, stack.key)).toBeUndefined();
	});

	it('asks the review when not approved ahead, and ends needing approval when the view has no terminal to ask in', async () => {
		const stack = await target({} as AwsClients);
		const {report, told} = recordingReport();
		const result = await runStackCommand(
			stack,
			request('apply', {yes: false, plan: async (state) => ({plan: planChanges(stack.workspace, state), state})}),
			report,
		);
		expect(result).toEqual({kind: 'needs-approval'});
		expect(told.map((t) => t.what)).toEqual(['review']);
		expect(await readState(stack.backend, stack.key)).toBeUndefined();
		expect(await readLock(stack.backend, stack.key)).toBeUndefined();
	});
});

describeAws('runStackCommand on AWS', () => {
	const moto = useMoto();

	it('destroys a stack that has nothing left by deleting its empty state, then sweeps AWS for what carries its tags', async () => {
		const stack = await target(moto.clients());
		const empty = emptyState(stack.key);
		const recorded = {...empty.metadata, deployedBy: 'tester@host', deployedAt: new Date().toISOString()};
		await writeState(stack.backend, stack.key, {...empty, serial: 1, metadata: recorded}, {serial: 0, lineage: empty.lineage});
		const queue = `${stack.key.tenant}-${stack.key.stack}-${stack.key.environment}-forgotten`;
		const tags = {...stackIdentityTags(stack.key), 'panka:service': 'data', 'panka:component': 'forgotten'};
		await moto
			.clients()
			.get(SQSClient)
			.send(new CreateQueueCommand({QueueName: queue, tags}));

		const {report, told} = recordingReport();
		const result = await runStackCommand(stack, request('destroy'), report);

		expect(result).toEqual({kind: 'nothing-to-destroy'});
		expect(told.map((t) => t.what)).toEqual(['nothingToDestroy', 'swept']);
		expect(told[0]!.args).toEqual([stack.key]);
		const swept = told[1]!.args[0] as SweepReport;
		expect(swept).toEqual({
			leftovers: [{what: `SQS queue ${queue}`, component: 'data/forgotten', deleted: false}],
			deleteOrphans: false,
			rerun: 'panka destroy stack',
		});
		expect(await readState(stack.backend, stack.key)).toBeUndefined();
		expect(await readLock(stack.backend, stack.key)).toBeUndefined();
	}, 60_000);
});
