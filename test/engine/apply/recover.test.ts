/**
 * recoverPending on moto with the local backend, for a delete that a crash (kill -9) interrupted:
 * the kind's delete runs again on the recorded resource, so what the crashed delete had not
 * reached yet (a Lambda's role and log group, after its function) is deleted too, checked through
 * AWS describe calls; a delete that cannot be finished keeps the resource, marked failed, and
 * says why.
 */
import {mkdirSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {GetRoleCommand, IAMClient} from '@aws-sdk/client-iam';
import {DeleteFunctionCommand, GetFunctionCommand, LambdaClient} from '@aws-sdk/client-lambda';
import {HeadBucketCommand, PutObjectCommand} from '@aws-sdk/client-s3';
import {expect, it} from 'vitest';
import {applyPlan} from '../../../engine/apply/apply-plan.js';
import {recoverPending} from '../../../engine/apply/recover.js';
import {planChanges} from '../../../engine/plan/plan.js';
import {describeLogGroup} from '../../../engine/providers/log-groups.js';
import {openBackend} from '../../../engine/state/backend.js';
import {basisOf, readState, writeState} from '../../../engine/state/state-store.js';
import {loadWorkspace} from '../../../engine/workspace.js';
import {dataStack} from '../../helpers/data-stack.js';
import {describeAws, useMoto} from '../../helpers/moto.js';
import {tempDir} from '../../helpers/stack-fixture.js';

const worker =
	'apiVersion: components.panka.io/v1\nkind: Lambda\nmetadata:\n  name: worker\nspec:\n  runtime: nodejs24.x\n  handler: index.handler\n  code:\n    path: ./src\n';
const archive = 'apiVersion: components.panka.io/v1\nkind: S3\nmetadata:\n  name: archive\n';

let runs = 0;

describeAws('recoverPending: an interrupted delete', () => {
	const moto = useMoto();
	const wait = {minDelay: 1, maxDelay: 1, maxWaitTime: 20};

	/** The data stack plus `extra`, applied; then the state as a crash during the delete of `address` leaves it. */
	async function appliedThenCrashedDelete(extra: string, address: string) {
		const stack = `rec${runs++}${Date.now().toString(36)}`;
		const dir = dataStack({stack, extra});
		mkdirSync(path.join(dir, 'services', 'data', 'src'), {recursive: true});
		writeFileSync(path.join(dir, 'services', 'data', 'src', 'index.js'), 'exports.handler = async () => ({ok: true});\n');
		const backend = openBackend({kind: 'local', home: tempDir()});
		const key = {tenant: 'acme', stack, environment: 'test'};
		const workspace = await loadWorkspace(dir);
		const plan = planChanges(workspace, undefined);
		const base = {
			workspace,
			backend,
			key,
			clients: moto.clients(),
			region: 'us-east-1',
			accountId: '123456789012',
			deployedBy: 'tester@host',
			wait,
		};
		for await (const event of applyPlan({...base, plan, stored: undefined})) if (event.type === 'summary') expect(event.failed).toEqual([]);
		const applied = (await readState(backend, key))!;
		const resource = applied.state.resources[address]!;

		// What applyPlan records before it calls the provider's delete; the process dies after that.
		const crashed = structuredClone(applied.state);
		crashed.serial += 1;
		crashed.pending.push({
			id: 'op-1',
			address,
			operation: 'delete',
			kind: resource.kind,
			startedAt: new Date().toISOString(),
			physicalName: resource.physicalNames.primary,
			token: 'op-1',
		});
		await writeState(backend, key, crashed, basisOf(applied));
		const recover = async () => recoverPending({...base, stored: (await readState(backend, key))!});
		return {resource, recover};
	}

	it('finishes the delete: with the function gone already, its role and log group are deleted too, then it leaves the state', async () => {
		const {resource, recover} = await appliedThenCrashedDelete(worker, 'data/worker');
		const clients = moto.clients();
		const {role, logGroup, primary} = resource.physicalNames;
		expect(role && logGroup && primary).toBeTruthy();
		await clients.get(IAMClient).send(new GetRoleCommand({RoleName: role}));
		expect(await describeLogGroup({clients, signal: new AbortController().signal}, logGroup!)).toBeDefined();
		// The crashed delete got as far as the function.
		await clients.get(LambdaClient).send(new DeleteFunctionCommand({FunctionName: primary}));

		const {stored, notes} = await recover();
		expect(notes).toEqual([expect.objectContaining({address: 'data/worker', operation: 'delete', outcome: 'deleted'})]);
		expect(notes[0]!.message).not.toMatch(/had finished/);
		expect(stored.state.resources['data/worker']).toBeUndefined();
		expect(Object.keys(stored.state.outputs).filter((output) => output.startsWith('worker.'))).toEqual([]);
		expect(stored.state.pending).toEqual([]);
		expect(Object.keys(stored.state.resources).sort()).toEqual([
			'data/order-events',
			'data/orders-queue',
			'data/orders-table',
			'data/uploads',
		]);

		// Through AWS: nothing of the function is left.
		await expect(clients.get(LambdaClient).send(new GetFunctionCommand({FunctionName: primary}))).rejects.toMatchObject({
			name: 'ResourceNotFoundException',
		});
		await expect(clients.get(IAMClient).send(new GetRoleCommand({RoleName: role}))).rejects.toMatchObject({name: 'NoSuchEntityException'});
		expect(await describeLogGroup({clients, signal: new AbortController().signal}, logGroup!)).toBeUndefined();
	});

	it('keeps a resource whose delete cannot be finished, marked failed, and says why', async () => {
		const {resource, recover} = await appliedThenCrashedDelete(archive, 'data/archive');
		const clients = moto.clients();
		const bucket = resource.physicalNames.primary!;
		// Written after the delete was approved: a bucket without forceDestroy is not emptied.
		await clients.s3().send(new PutObjectCommand({Bucket: bucket, Key: 'late.txt', Body: 'late'}));

		const {stored, notes} = await recover();
		expect(notes).toEqual([expect.objectContaining({address: 'data/archive', operation: 'delete', outcome: 'marked-failed'})]);
		expect(notes[0]!.message).toMatch(/could not be finished.*not empty/i);
		expect(stored.state.resources['data/archive']).toMatchObject({status: 'failed', physicalId: resource.physicalId});
		expect(stored.state.pending).toEqual([]);
		await clients.s3().send(new HeadBucketCommand({Bucket: bucket}));
	});
});
