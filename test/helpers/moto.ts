/**
 * A real AWS API emulator for tests: moto_server on 127.0.0.1 and a free port, one per test file
 * (so suites running in parallel never reset each other's state), reset before each suite.
 *
 *   const moto = useMoto();                     // inside describeAws(...)
 *   const clients = moto.clients();             // AwsClients pinned to moto, 127.0.0.1 only
 *   runCli([...], {env: moto.env})              // a spawned panka talks to the same moto
 *
 * Where moto_server is not installed the suite fails with how to install it, unless
 * PANKA_SKIP_AWS_TESTS=1 (CI never sets it), which skips the suites written with describeAws.
 */
import {type ChildProcess, spawn, spawnSync} from 'node:child_process';
import {createServer} from 'node:net';
import {afterAll, beforeAll, describe} from 'vitest';
import {AwsClients, type AwsSettings} from '../../engine/aws/aws-clients.js';

export const awsTestsSkipped = process.env.PANKA_SKIP_AWS_TESTS === '1';

/** `describe` for suites that need moto: skipped only with PANKA_SKIP_AWS_TESTS=1. */
export const describeAws = describe.skipIf(awsTestsSkipped);

export const motoInstallHint = "moto_server is not installed: install it with `pip install 'moto[server]'` (or set PANKA_SKIP_AWS_TESTS=1 to skip the AWS tests locally; CI never does)";

export interface Moto {
	endpoint: string;
	/** Environment for spawned panka processes and SDK clients: moto, fake credentials, 127.0.0.1 only. */
	env: Record<string, string>;
	reset(): Promise<void>;
	clients(settings?: Partial<AwsSettings>): AwsClients;
}

export interface MotoOptions {
	/** Start moto with AWS-managed IAM policies (slower resets; needed to attach them). */
	managedPolicies?: boolean;
}

const testCredentials = {AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'us-east-1'};

export function useMoto(options: MotoOptions = {}): Moto {
	let child: ChildProcess | undefined;
	let endpoint = '';
	const moto: Moto = {
		get endpoint() {
			return endpoint;
		},
		get env() {
			return {...testCredentials, AWS_ENDPOINT_URL: endpoint, PANKA_ALLOWED_AWS_HOSTS: '127.0.0.1', AWS_EC2_METADATA_DISABLED: 'true'};
		},
		async reset() {
			const response = await fetch(`${endpoint}/moto-api/reset`, {method: 'POST'});
			if (!response.ok) throw new Error(`moto reset failed: ${response.status}`);
		},
		clients(settings = {}) {
			return new AwsClients({region: 'us-east-1', endpoint, credentials: {accessKeyId: 'test', secretAccessKey: 'test'}, allowedHosts: ['127.0.0.1'], forcePathStyle: true, maxAttempts: 1, ...settings});
		},
	};

	beforeAll(async () => {
		if (!motoInstalled()) throw new Error(motoInstallHint);
		for (const key of ['AWS_PROFILE', 'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS']) delete process.env[key];
		const port = await freePort();
		endpoint = `http://127.0.0.1:${port}`;
		child = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], {
			stdio: 'ignore',
			env: {...process.env, ...(options.managedPolicies ? {MOTO_IAM_LOAD_MANAGED_POLICIES: 'true'} : {})},
		});
		await waitUntilReady(endpoint, child);
		await moto.reset();
	}, 30_000);

	afterAll(() => {
		child?.kill('SIGTERM');
	});

	return moto;
}

let installed: boolean | undefined;
function motoInstalled(): boolean {
	installed ??= spawnSync('sh', ['-c', 'command -v moto_server'], {encoding: 'utf8'}).status === 0;
	return installed;
}

function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			const port = typeof address === 'object' && address ? address.port : 0;
			server.close(() => resolve(port));
		});
	});
}

async function waitUntilReady(endpoint: string, child: ChildProcess): Promise<void> {
	const deadline = Date.now() + 20_000;
	let exited = false;
	child.once('exit', () => {
		exited = true;
	});
	while (Date.now() < deadline) {
		if (exited) throw new Error('moto_server exited during start-up');
		try {
			const response = await fetch(`${endpoint}/moto-api/`);
			if (response.ok) return;
		} catch {
			// not listening yet
		}
		await new Promise((resolve) => setTimeout(resolve, 25));
	}
	throw new Error(`moto_server did not answer on ${endpoint} within 20 s`);
}
