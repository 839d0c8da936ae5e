/**
 * What the crash and fault suites share: a user's machine on either backend with one tenant, a
 * data stack of known shape, panka runs as background processes (optionally through the fault
 * proxy, optionally SIGKILLed), and an audit of one stack that compares AWS, read through list
 * calls against moto directly, with the state as the backend stores it:
 *
 *   orphans      resources named for the stack that no recorded resource names
 *   duplicates   of those, the ones named for a component the state records (a second copy)
 *   missing      names the state records that AWS does not have
 *   pending      operations the state still lists as in flight
 *   tempFiles    temporary files of atomic writes left in the local backend's folder
 *
 * A run "claims success" when it exits 0 with a ✓ headline (or a destroy's "Nothing to destroy"); `claimHolds` says whether the state and
 * AWS agree with that claim right after it (the suites count the claims that did not hold).
 */
import {readdirSync, readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {DynamoDBClient, ListTablesCommand} from '@aws-sdk/client-dynamodb';
import {ListBucketsCommand} from '@aws-sdk/client-s3';
import {ListTopicsCommand, SNSClient} from '@aws-sdk/client-sns';
import {ListQueuesCommand, SQSClient} from '@aws-sdk/client-sqs';
import type {AwsClients} from '../../engine/aws/aws-clients.js';
import {type Backend, openBackend} from '../../engine/state/backend.js';
import type {StateDocument, StateKey} from '../../engine/state/state-document.js';
import {readState} from '../../engine/state/state-store.js';
import {writeDataStack} from './data-stack.js';
import {type PankaWorld, pankaWorld} from './panka-world.js';
import {spawnCli} from './spawn-cli.js';
import {tempDir} from './stack-fixture.js';

export type BackendKind = 'local' | 's3';

export interface StackShape {
	/** Extra queues (each with a dead-letter queue) besides the data stack's four components. */
	queues: number;
	visibilityTimeout?: number;
	/** The table's hash key name: changing it replaces the table. */
	tableKey?: string;
}

export interface RunResult {
	code: number | null;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
	/** Exit 0 with a ✓ headline: the run said it reached what it was asked. */
	claimedSuccess: boolean;
}

export interface Audit {
	orphans: string[];
	duplicates: string[];
	missing: string[];
	pending: number;
	tempFiles: string[];
	resources: number;
	state: StateDocument | undefined;
}

export interface ConvergenceWorld {
	world: PankaWorld;
	backend: BackendKind;
	dir: string;
	key: StateKey;
	/** The backend the world's panka uses, opened in the test (to read or arrange the state). */
	stateBackend: Backend;
	/** Environment of a run as the tenant (add AWS_ENDPOINT_URL to go through a fault proxy). */
	env: Record<string, string | undefined>;
	writeStack(shape: StackShape): void;
	/** A panka run in the background; `killAfter` events (of --json) SIGKILLs it. */
	run(args: string[], options?: {endpoint?: string; killAfter?: number}): Promise<RunResult>;
	audit(): Promise<Audit>;
}

let worlds = 0;

export function convergenceWorld(moto: {env: Record<string, string>; clients(): AwsClients}, backend: BackendKind): ConvergenceWorld {
	const world = pankaWorld(moto.env);
	const id = `${(worlds++).toString(36)}${Date.now().toString(36)}`;
	const bucket = `panka-faults-${id}`;
	const init = world.run(['admin', 'init', ...(backend === 's3' ? ['--backend', `s3://${bucket}/state`] : [])]);
	if (init.code !== 0) throw new Error(`admin init failed:\n${init.stderr}`);
	const {tenant} = world.initTenant('acme');
	const stack = `cv${id}`;
	const dir = path.join(tempDir('panka-converge-'), 'stack');
	const key = {tenant: 'acme', stack, environment: 'test'};
	const env = {...world.env, ...tenant};
	const clients = moto.clients();
	const stateBackend = openBackend(
		backend === 's3' ? {kind: 's3', bucket, prefix: 'state'} : {kind: 'local', home: world.pankaHome},
		clients,
	);
	const prefix = `acme-${stack}-test-`;
	return {
		world,
		backend,
		dir,
		key,
		stateBackend,
		env,
		writeStack(shape) {
			const extra = Array.from(
				{length: shape.queues},
				(_, i) =>
					`apiVersion: components.panka.io/v1\nkind: SQS\nmetadata:\n  name: work-${i}\nspec:\n  deadLetterQueue:\n    enabled: true\n`,
			).join('---\n');
			writeDataStack(dir, {stack, extra, ...(shape.visibilityTimeout ? {visibilityTimeout: shape.visibilityTimeout} : {})});
			if (shape.tableKey) replaceInFile(path.join(dir, 'services', 'data', 'resources.yaml'), 'name: id\n', `name: ${shape.tableKey}\n`);
		},
		async run(args, options = {}) {
			const child = spawnCli(args, {cwd: world.root, env: {...env, ...(options.endpoint ? {AWS_ENDPOINT_URL: options.endpoint} : {})}});
			if (options.killAfter !== undefined) {
				const killAfter = options.killAfter;
				child.child.stdout!.on('data', () => {
					if (child.lines.length >= killAfter && child.child.exitCode === null) child.child.kill('SIGKILL');
				});
			}
			const {code, signal, stderr} = await child.exit;
			const stdout = child.lines.join('\n');
			const last = child.lines.filter((line) => line.trim() !== '').at(-1) ?? '';
			const headline = last.startsWith('{') ? ((JSON.parse(last) as {outcome?: {headline?: string}}).outcome?.headline ?? '') : last;
			// A destroy with nothing left says so without a ✓: that is its success too.
			const claimedSuccess = code === 0 && (headline.startsWith('✓') || child.lines.some((line) => line.startsWith('Nothing to destroy:')));
			return {code, signal, stdout, stderr, claimedSuccess};
		},
		async audit() {
			const stored = await readState(stateBackend, key);
			const state = stored?.state;
			const recorded = new Set(Object.values(state?.resources ?? {}).flatMap((r) => Object.values(r.physicalNames)));
			const components = Object.values(state?.resources ?? {}).map((r) => r.name);
			const inAws = await stackResourceNames(clients, prefix);
			const unknown = inAws.filter((name) => !recorded.has(name));
			const ofComponent = (name: string) => components.some((c) => name.startsWith(`${prefix}${c}-`) || name === `${prefix}${c}`);
			return {
				orphans: unknown,
				duplicates: unknown.filter(ofComponent),
				missing: [...recorded].filter((name) => name.startsWith(prefix) && !inAws.includes(name)),
				pending: state?.pending.length ?? 0,
				tempFiles: backend === 'local' ? tempFilesIn(world.pankaHome) : [],
				resources: Object.keys(state?.resources ?? {}).length,
				state,
			};
		},
	};
}

/** Every queue, table, topic and bucket whose name starts with `prefix`, as AWS lists them. */
export async function stackResourceNames(clients: AwsClients, prefix: string): Promise<string[]> {
	const queues = (await clients.get(SQSClient).send(new ListQueuesCommand({QueueNamePrefix: prefix}))).QueueUrls ?? [];
	const tables = (await clients.get(DynamoDBClient).send(new ListTablesCommand({}))).TableNames ?? [];
	const topics = ((await clients.get(SNSClient).send(new ListTopicsCommand({}))).Topics ?? []).map((t) => t.TopicArn!.split(':').pop()!);
	const buckets = ((await clients.s3().send(new ListBucketsCommand({}))).Buckets ?? []).map((b) => b.Name!);
	return [...queues.map((url) => url.split('/').pop()!), ...tables, ...topics, ...buckets].filter((name) => name.startsWith(prefix)).sort();
}

/** Temporary files of atomic writes (`*.tmp-<pid>-<hex>`) anywhere below `dir`. */
export function tempFilesIn(dir: string): string[] {
	return readdirSync(dir, {recursive: true, encoding: 'utf8'}).filter((name) => /\.tmp-\d+-[0-9a-f]+$/.test(name));
}

/** Whether what a run claimed holds: an apply's state records everything and AWS matches; a destroy left nothing in AWS or recorded. */
export function claimHolds(audit: Audit, operation: 'apply' | 'destroy', expectedResources: number): boolean {
	const clean = audit.pending === 0 && audit.orphans.length === 0 && audit.missing.length === 0;
	return operation === 'destroy' ? clean && audit.resources === 0 : clean && audit.resources === expectedResources;
}

function replaceInFile(file: string, from: string, to: string): void {
	writeFileSync(file, readFileSync(file, 'utf8').replace(from, to));
}
