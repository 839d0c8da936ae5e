/**
 * The two backends under one test interface, so every state suite runs the same specification
 * against both:
 *
 *   describe.each(backendKinds)('%s backend', (kind) => {
 *     const fixture = useBackend(kind);              // a fresh, empty backend before each test
 *     it('…', async () => { fixture.backend … });
 *   });
 *
 * local: a new temp folder per test. s3: one moto_server per test file (useMoto) and a new
 * versioned bucket per test, under the prefix `panka` so that key prefixing is exercised too.
 * With PANKA_SKIP_AWS_TESTS=1 only the local side runs.
 */
import {type ChildProcess, spawn} from 'node:child_process';
import {chmod, mkdir, rm} from 'node:fs/promises';
import path from 'node:path';
import {CreateBucketCommand, PutBucketVersioningCommand} from '@aws-sdk/client-s3';
import {afterAll, afterEach, beforeAll, beforeEach} from 'vitest';
import type {AwsClients} from '../../engine/aws/aws-clients.js';
import {type Backend, openBackend} from '../../engine/state/backend.js';
import type {BlobStore} from '../../engine/state/blob-store.js';
import {S3BlobStore} from '../../engine/state/s3-blob-store.js';
import {awsTestsSkipped, useMoto} from './moto.js';
import {repoRoot, tempDir} from './stack-fixture.js';
import type {BackendTarget} from './state-workload.js';
import type {WorkerJob, WorkerResult} from './state-worker.js';

export type BackendKind = 'local' | 's3';

export const backendKinds: readonly BackendKind[] = awsTestsSkipped ? ['local'] : ['local', 's3'];

/** root reads files whatever their mode, so permission faults cannot be simulated as root. */
export const runningAsRoot = process.getuid?.() === 0;

/** A way to make `key` exist but be unreadable, other than by being missing. */
export interface UnreadableCase {
	what: string;
	/** Why this case cannot run here, if it cannot. */
	skip?: string;
	arrange(): Promise<{store: BlobStore; key: string}>;
}

export interface BackendFixture {
	readonly kind: BackendKind;
	/** A fresh, empty backend for the current test. */
	readonly backend: Backend;
	/** What a child process needs to open the same backend (see state-worker.ts). */
	readonly target: BackendTarget;
	readonly unreadableCases: UnreadableCase[];
}

export function useBackend(kind: BackendKind): BackendFixture {
	return kind === 'local' ? localBackendFixture() : s3BackendFixture();
}

function localBackendFixture(): BackendFixture {
	let home = '';
	let backend: Backend | undefined;
	beforeEach(() => {
		home = tempDir('panka-backend-');
		backend = openBackend({kind: 'local', home});
	});
	afterEach(async () => {
		await rm(home, {recursive: true, force: true});
	});
	const file = (key: string) => path.join(home, ...key.split('/'));
	return {
		kind: 'local',
		get backend() {
			return backend!;
		},
		get target() {
			return {spec: backend!.spec};
		},
		unreadableCases: [
			{
				what: 'a file without read permission (chmod 000)',
				...(runningAsRoot ? {skip: 'running as root, which reads any file whatever its mode'} : {}),
				async arrange() {
					await backend!.store.put('tenants.yaml', 'tenants: []\n');
					await chmod(file('tenants.yaml'), 0o000);
					return {store: backend!.store, key: 'tenants.yaml'};
				},
			},
			{
				what: 'a folder where the file should be',
				async arrange() {
					await mkdir(file('tenants.yaml'), {recursive: true});
					return {store: backend!.store, key: 'tenants.yaml'};
				},
			},
		],
	};
}

function s3BackendFixture(): BackendFixture {
	// biome-ignore lint/correctness/useHookAtTopLevel: vitest fixtures, not React hooks: the describe block calls useBackend once, registering its own beforeEach/afterEach.
	const moto = useMoto();
	let clients: AwsClients | undefined;
	let backend: Backend | undefined;
	let buckets = 0;
	beforeAll(() => {
		clients = moto.clients();
	});
	afterAll(() => clients?.destroy());
	beforeEach(async () => {
		const bucket = `panka-state-${process.pid}-${++buckets}`;
		await clients!.s3().send(new CreateBucketCommand({Bucket: bucket}));
		await clients!.s3().send(new PutBucketVersioningCommand({Bucket: bucket, VersioningConfiguration: {Status: 'Enabled'}}));
		backend = openBackend({kind: 's3', bucket, prefix: 'panka'}, clients);
	});
	return {
		kind: 's3',
		get backend() {
			return backend!;
		},
		get target() {
			return {spec: backend!.spec, endpoint: moto.endpoint};
		},
		unreadableCases: [
			{
				what: 'a bucket that does not exist',
				async arrange() {
					return {store: new S3BlobStore(clients!.s3(), 'panka-no-such-bucket', 'panka'), key: 'tenants.yaml'};
				},
			},
		],
	};
}

/**
 * Runs one state-worker.ts process per job against `target`, starts them all at the same moment
 * (each reports `ready`, then all get `go`), and returns their results in job order.
 */
export async function runWorkers(target: BackendTarget, jobs: WorkerJob[]): Promise<WorkerResult[]> {
	const script = path.join(repoRoot, 'test', 'helpers', 'state-worker.ts');
	const workers = jobs.map((job) =>
		startWorker(
			spawn(process.execPath, ['--import', 'tsx', script, JSON.stringify([target, job])], {cwd: repoRoot, stdio: ['pipe', 'pipe', 'pipe']}),
		),
	);
	await Promise.all(workers.map((w) => w.ready));
	for (const w of workers) w.child.stdin!.write('go\n');
	return Promise.all(workers.map((w) => w.result));
}

/** A dead pid: a process that ran on this host and has exited (and been reaped). */
export async function deadPid(): Promise<number> {
	const child = spawn(process.execPath, ['-e', '']);
	await new Promise((resolve) => child.once('exit', resolve));
	return child.pid!;
}

function startWorker(child: ChildProcess) {
	let stdout = '';
	let stderr = '';
	let markReady: () => void = () => {};
	const ready = new Promise<void>((resolve) => {
		markReady = resolve;
	});
	child.stdout!.on('data', (chunk) => {
		stdout += chunk;
		if (stdout.startsWith('ready\n')) markReady();
	});
	child.stderr!.on('data', (chunk) => {
		stderr += chunk;
	});
	const result = new Promise<WorkerResult>((resolve, reject) => {
		child.once('exit', (code) => {
			markReady();
			const last = stdout.trim().split('\n').at(-1) ?? '';
			if (code === 0 && last.startsWith('{')) resolve(JSON.parse(last) as WorkerResult);
			else reject(new Error(`state worker ${child.pid} exited with ${code}:\n${stdout}\n${stderr}`));
		});
	});
	return {child, ready, result};
}
