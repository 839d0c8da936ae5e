/**
 * `npm run demo`: panka end to end on a fresh machine, against moto_server (a local AWS API
 * emulator), with nothing left behind:
 *
 *   1. start moto_server on 127.0.0.1 and a free port, with a throwaway PANKA_HOME and config dir;
 *   2. bootstrap the backend on S3 (in moto): `panka admin init --backend s3://panka-demo-state`;
 *   3. create the demo tenant with its networking (VPC, subnets, NAT, security group) from
 *      demo/tenant.yaml: `panka admin tenant init notifications-team …`;
 *   4. log in as that tenant (PANKA_TENANT + PANKA_TENANT_SECRET, as CI would);
 *   5. put the database password of each environment in Secrets Manager (the stack references
 *      `${ENVIRONMENT}/api/db-password`), and deploy staging with release 1.4.2:
 *      `panka apply --env staging --var VERSION=1.4.2 --yes --approve-broadening`;
 *   6. open the workbench on demo/notification-platform (staging), where `e` switches to production,
 *      `p` plans and `a` applies for real (moto runs no code, so sample lines are written to the
 *      stack's log groups for `l`); `panka promote staging production` carries 1.4.2 over.
 * When the workbench exits, moto is stopped (by its PID) and the throwaway folders are removed.
 *
 * Without moto_server it says how to install it and opens the workbench read-only (validate,
 * graph, details; no plan or apply). Without a terminal (CI) it plans the promotion to production
 * instead of opening the workbench, so `npm run demo` is meaningful in a log too.
 * Every AWS call is pinned to 127.0.0.1 (PANKA_ALLOWED_AWS_HOSTS): the demo never reaches AWS.
 */
import {randomBytes} from 'node:crypto';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {CreateSecretCommand, SecretsManagerClient} from '@aws-sdk/client-secrets-manager';
import os from 'node:os';
import path from 'node:path';
import {Writable} from 'node:stream';
import {fileURLToPath} from 'node:url';
import {type CommandContext, canUseTui, painter, processContext, writeLine} from '../source/context.js';
import {main} from '../source/main.js';
import {type MotoServer, motoInstallHint, motoInstalled, startMotoServer} from './moto-server.js';
import {writeSampleLogs} from './sample-logs.js';

// As in source/cli.ts: the SDK's notice that its 2027 releases need Node 22 (README covers Node support).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const stack = path.join('demo', 'notification-platform');
const tenantFile = path.join('demo', 'tenant.yaml');

/** A panka command in this process; `quiet` drops its standard output (errors still show). */
async function run(context: CommandContext, args: string[], quiet = false): Promise<number> {
	const discard = new Writable({write: (_chunk, _encoding, done) => done()});
	return main(args, quiet ? {...context, stdout: discard} : context);
}

async function launch(): Promise<number> {
	const base = {...processContext(), cwd: repo};
	const paint = painter(base.color);
	const extra = process.argv.slice(2);
	if (!motoInstalled()) {
		writeLine(base.stderr, `${paint('note:', 'yellow', 'bold')} ${motoInstallHint}; opening the workbench read-only (no plan or apply).`);
		return main([stack, '--tenant-config', tenantFile, '--read-only', ...extra], base);
	}

	const scratch = mkdtempSync(path.join(os.tmpdir(), 'panka-demo-'));
	let moto: MotoServer | undefined;
	let stopSampleLogs: (() => void) | undefined;
	try {
		writeLine(base.stdout, paint('Starting moto_server (local AWS emulator)…', 'gray'));
		// api-server runs 3 tasks; moto reports this many running for every new ECS service.
		moto = await startMotoServer({MOTO_IAM_LOAD_MANAGED_POLICIES: 'true', MOTO_ECS_SERVICE_RUNNING: '3'});
		stopSampleLogs = writeSampleLogs(moto.endpoint, '/panka/notifications-team/notification-platform/');
		Object.assign(process.env, {
			AWS_ENDPOINT_URL: moto.endpoint,
			AWS_ACCESS_KEY_ID: 'demo',
			AWS_SECRET_ACCESS_KEY: 'demo',
			AWS_REGION: 'us-east-1',
			PANKA_ALLOWED_AWS_HOSTS: '127.0.0.1',
			AWS_EC2_METADATA_DISABLED: 'true',
			PANKA_HOME: path.join(scratch, 'home'),
			PANKA_CONFIG_DIR: path.join(scratch, 'config'),
		});
		delete process.env.AWS_PROFILE;
		const context: CommandContext = {...base, env: process.env};
		writeLine(context.stdout, paint(`moto_server on ${moto.endpoint}; throwaway panka home in ${scratch}`, 'gray'));

		if ((await run(context, ['admin', 'init', '--backend', 's3://panka-demo-state'], true)) !== 0) return 1;
		const credentials = path.join(scratch, 'credentials.txt');
		const init = await run(context, [
			'admin',
			'tenant',
			'init',
			'notifications-team',
			'--aws-account',
			'123456789012',
			'--region',
			'us-east-1',
			'--vpc-cidr',
			'10.0.0.0/16',
			'--nat-gateway',
			'--config',
			tenantFile,
			'--output',
			credentials,
		]);
		if (init !== 0) return init;
		const secret = /^Secret: (\S+)$/m.exec(readFileSync(credentials, 'utf8'))?.[1];
		if (!secret) throw new Error('the demo tenant was created without a secret');
		Object.assign(process.env, {PANKA_TENANT: 'notifications-team', PANKA_TENANT_SECRET: secret});
		writeLine(context.stdout, `${paint('✓', 'green', 'bold')} Logged in as tenant notifications-team (PANKA_TENANT + PANKA_TENANT_SECRET)`);

		await storeDatabasePasswords(moto.endpoint);
		writeLine(
			context.stdout,
			paint('\nDeploying staging with release 1.4.2: panka apply --env staging --var VERSION=1.4.2 --yes --approve-broadening', 'bold'),
		);
		const staging = await run(
			context,
			['apply', stack, '--env', 'staging', '--var', `VERSION=${demoRelease}`, '--yes', '--approve-broadening', '--no-tui'],
			true,
		);
		if (staging !== 0) return staging;
		writeLine(context.stdout, `${paint('✓', 'green', 'bold')} staging deployed (panka env list shows it)`);

		if (!canUseTui(context, !extra.includes('--no-tui'))) {
			writeLine(
				context.stdout,
				'\nNo interactive terminal: here is what promoting the release to production would change (open the demo in a terminal to apply it):\n',
			);
			await run(context, ['promote', 'staging', 'production', stack, '--out', path.join(scratch, 'promote.plan.json')]);
			return 0;
		}
		writeLine(
			context.stdout,
			paint('\nOpening the workbench on staging: e switches environment, p plans, a applies, ? lists every key, q quits.', 'bold'),
		);
		return await main([stack, ...extra], context);
	} finally {
		stopSampleLogs?.();
		moto?.stop();
		rmSync(scratch, {recursive: true, force: true});
	}
}

/** The release staging runs when the demo opens. */
const demoRelease = '1.4.2';

/** The database password of each environment, where the stack's `${ENVIRONMENT}/api/db-password` finds it. */
async function storeDatabasePasswords(endpoint: string): Promise<void> {
	const secrets = new SecretsManagerClient({endpoint, region: 'us-east-1', credentials: {accessKeyId: 'demo', secretAccessKey: 'demo'}});
	for (const environment of ['staging', 'production'])
		await secrets.send(
			new CreateSecretCommand({
				Name: `panka/notifications-team/${environment}/api/db-password`,
				SecretString: randomBytes(18).toString('base64url'),
			}),
		);
	secrets.destroy();
}

process.exitCode = await launch();
