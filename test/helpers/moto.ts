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
import {afterAll, beforeAll, describe} from 'vitest';
import {type MotoServer, motoInstalled, startMotoServer} from '../../demo/moto-server.js';
import {AwsClients, type AwsSettings} from '../../engine/aws/aws-clients.js';

export const awsTestsSkipped = process.env.PANKA_SKIP_AWS_TESTS === '1';

/** `describe` for suites that need moto: skipped only with PANKA_SKIP_AWS_TESTS=1. */
export const describeAws = describe.skipIf(awsTestsSkipped);

export const motoInstallHint =
	"moto_server is not installed: install it with `pip install 'moto[server]'` (or set PANKA_SKIP_AWS_TESTS=1 to skip the AWS tests locally; CI never does)";

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
	/** More moto_server settings, e.g. MOTO_ECS_SERVICE_RUNNING (tasks ECS reports running). */
	env?: Record<string, string>;
}

const testCredentials = {AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'us-east-1'};

export function useMoto(options: MotoOptions = {}): Moto {
	let server: MotoServer | undefined;
	const moto: Moto = {
		get endpoint() {
			return server?.endpoint ?? '';
		},
		get env() {
			return {...testCredentials, AWS_ENDPOINT_URL: moto.endpoint, PANKA_ALLOWED_AWS_HOSTS: '127.0.0.1', AWS_EC2_METADATA_DISABLED: 'true'};
		},
		async reset() {
			await server?.reset();
		},
		clients(settings = {}) {
			return new AwsClients({
				region: 'us-east-1',
				endpoint: moto.endpoint,
				credentials: {accessKeyId: 'test', secretAccessKey: 'test'},
				allowedHosts: ['127.0.0.1'],
				forcePathStyle: true,
				maxAttempts: 1,
				...settings,
			});
		},
	};

	beforeAll(async () => {
		if (!motoInstalled()) throw new Error(motoInstallHint);
		for (const key of ['AWS_PROFILE', 'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS']) delete process.env[key];
		server = await startMotoServer({...(options.managedPolicies ? {MOTO_IAM_LOAD_MANAGED_POLICIES: 'true'} : {}), ...options.env});
		await server.reset();
	}, 30_000);

	afterAll(() => {
		server?.stop();
	});

	return moto;
}
