/**
 * panka's own overhead during an apply against moto. moto handles one request at a time, so
 * parallelism cannot show; what can is how much of moto's rate panka uses. One run:
 *
 *   1. apply 200 generated resources (100 SQS queues, 100 DynamoDB tables) with the real engine
 *      (plan, executor, checkpointed state on a local backend), recording every AWS command sent;
 *   2. reset moto and send exactly those commands again from a bare SDK loop, with the same
 *      concurrency;
 *   3. compare calls per second. Target: panka ≥ 0.8 of the bare rate.
 *
 * Both sides start warm: the providers and SDK clients are loaded and have made one call before
 * anything is timed, so the figure is panka's steady-state overhead (plan bookkeeping, events,
 * checkpointed state), not module loading.
 */
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {applyPlan} from '../engine/apply/apply-plan.js';
import {DynamoDBClient, ListTablesCommand} from '@aws-sdk/client-dynamodb';
import {ListQueuesCommand, SQSClient} from '@aws-sdk/client-sqs';
import {AwsClients} from '../engine/aws/aws-clients.js';
import {planChanges} from '../engine/plan/plan.js';
import {openBackend} from '../engine/state/backend.js';
import {loadWorkspace} from '../engine/workspace.js';
import {startMotoServer} from '../demo/moto-server.js';
import {benchWait, CallRecorder, motoSettings, replayCalls, warmUp} from './moto-apply.js';

export interface ApplyBenchResult {
	resources: number;
	calls: number;
	applyMs: number;
	pankaCallsPerSecond: number;
	bareMs: number;
	bareCallsPerSecond: number;
	ratio: number;
	stateWrites: number;
	/** Replayed calls moto refused (should be none: the same calls on a fresh moto). */
	bareFailures: number;
}

function writeDataStack(root: string, queues: number, tables: number): string {
	mkdirSync(path.join(root, 'services', 'data'), {recursive: true});
	writeFileSync(
		path.join(root, 'stack.yaml'),
		'apiVersion: core.panka.io/v1\nkind: Stack\nmetadata:\n  name: bench\n  tenant: acme\n  labels:\n    environment: bench\n',
	);
	writeFileSync(
		path.join(root, 'services', 'data', 'service.yaml'),
		'apiVersion: core.panka.io/v1\nkind: Service\nmetadata:\n  name: data\n',
	);
	const docs = [
		...Array.from(
			{length: queues},
			(_, i) => `apiVersion: components.panka.io/v1\nkind: SQS\nmetadata:\n  name: queue-${i}\nspec:\n  visibilityTimeout: 60\n`,
		),
		...Array.from(
			{length: tables},
			(_, i) =>
				`apiVersion: components.panka.io/v1\nkind: DynamoDB\nmetadata:\n  name: table-${i}\nspec:\n  hashKey:\n    name: id\n    type: S\n`,
		),
	];
	writeFileSync(path.join(root, 'services', 'data', 'resources.yaml'), docs.map((d) => `---\n${d}`).join(''));
	return root;
}

export async function benchApplyAgainstMoto(queues = 100, tables = 100, parallelism = 10): Promise<ApplyBenchResult> {
	const moto = await startMotoServer();
	const scratch = mkdtempSync(path.join(os.tmpdir(), 'panka-apply-bench-'));
	try {
		const settings = motoSettings(moto.endpoint);
		const recorder = new CallRecorder();
		const clients = new AwsClients({...settings, onSend: recorder.onSend});
		const workspace = await loadWorkspace(writeDataStack(path.join(scratch, 'stack'), queues, tables));
		const backend = openBackend({kind: 'local', home: path.join(scratch, 'home')});
		const key = {tenant: 'acme', stack: 'bench', environment: 'bench'};
		const plan = planChanges(workspace, undefined);
		await warmUp(
			settings,
			['SQS', 'DynamoDB'],
			[
				{Client: SQSClient, command: new ListQueuesCommand({})},
				{Client: DynamoDBClient, command: new ListTablesCommand({})},
			],
		);
		let saved = 0;
		const started = performance.now();
		for await (const event of applyPlan({
			plan,
			workspace,
			stored: undefined,
			backend,
			key,
			clients,
			region: 'us-east-1',
			accountId: '123456789012',
			deployedBy: 'bench@host',
			parallelism,
			wait: benchWait,
		})) {
			if (event.type === 'state.saved') saved++;
			if (event.type === 'summary' && event.failed.length > 0) throw new Error(`bench apply failed: ${event.failed.join(', ')}`);
		}
		const applyMs = performance.now() - started;
		clients.destroy();

		// The same commands, from a bare loop with the same concurrency, against a fresh moto.
		await moto.reset();
		const bare = await replayCalls(recorder, settings, parallelism);
		const pankaRate = recorder.calls.length / (applyMs / 1000);
		return {
			resources: queues + tables,
			calls: recorder.calls.length,
			bareFailures: bare.failed,
			applyMs,
			pankaCallsPerSecond: pankaRate,
			bareMs: bare.ms,
			bareCallsPerSecond: bare.callsPerSecond,
			ratio: pankaRate / bare.callsPerSecond,
			stateWrites: saved,
		};
	} finally {
		moto.stop();
		rmSync(scratch, {recursive: true, force: true});
	}
}
