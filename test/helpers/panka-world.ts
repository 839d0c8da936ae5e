/**
 * A user's machine for CLI black-box tests of admin, tenants and login: its own HOME, config
 * folder (session.json, config.json) and PANKA_HOME, all in a fresh temp folder, so runs never
 * see the real ~/.config/panka or ~/.panka, nor each other.
 *
 *   const world = pankaWorld();                 // local backend in world.pankaHome
 *   world.run(['admin', 'init'])                // runCli with the world's environment
 *   world.run(['validate', demoStack], {PANKA_TENANT: 'acme', PANKA_TENANT_SECRET: secret})
 *
 * Tenant networking is provisioned in AWS by `admin tenant init/update/delete`; these worlds have
 * no AWS, so those commands get `--no-network` unless the world is made with {network: true}
 * (and an AWS environment such as moto.env).
 */
import {existsSync, mkdirSync, readdirSync, readFileSync, statSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {type CliResult, runCli} from './run-cli.js';
import {tempDir} from './stack-fixture.js';

export interface PankaWorld {
	root: string;
	home: string;
	configDir: string;
	pankaHome: string;
	env: Record<string, string | undefined>;
	run(args: string[], env?: Record<string, string | undefined>): CliResult;
	sessionFile: string;
	/** `Secret: …` from a credentials file or command output. */
	secretIn(text: string): string;
	modeOf(file: string): number;
	/**
	 * `admin tenant init <name> --aws-account 123456789012 --region us-east-1 [--vpc-cidr C] …more`
	 * (or `--config FILE …more` when `config` is given), checked to succeed; returns its result and
	 * the CI variables that act as the tenant.
	 */
	initTenant(
		name: string,
		options?: {vpcCidr?: string; config?: string; more?: string[]},
	): {result: CliResult; tenant: Record<string, string>};
}

/** The local admin identity panka records: user@host of whoever runs the tests. */
export const localAdmin = `${os.userInfo().username}@${os.hostname()}`;

const networkCommands = new Set(['init', 'update', 'delete']);

function withoutNetwork(args: string[]): string[] {
	const isTenantChange = args[0] === 'admin' && args[1] === 'tenant' && networkCommands.has(args[2] ?? '');
	return isTenantChange && !args.includes('--no-network') && !args.includes('--network') ? [...args, '--no-network'] : args;
}

export function pankaWorld(extraEnv: Record<string, string | undefined> = {}, options: {network?: boolean} = {}): PankaWorld {
	const root = tempDir('panka-world-');
	const home = path.join(root, 'home');
	const configDir = path.join(root, 'config');
	const pankaHome = path.join(root, 'panka');
	mkdirSync(home, {recursive: true});
	const env: Record<string, string | undefined> = {
		HOME: home,
		PANKA_CONFIG_DIR: configDir,
		PANKA_HOME: pankaHome,
		PANKA_BACKEND: undefined,
		PANKA_TENANT: undefined,
		PANKA_TENANT_SECRET: undefined,
		CI: undefined,
		AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
		AWS_EC2_METADATA_DISABLED: 'true',
		...extraEnv,
	};
	return {
		root,
		home,
		configDir,
		pankaHome,
		env,
		sessionFile: path.join(configDir, 'session.json'),
		run: (args, more = {}) => runCli(options.network ? args : withoutNetwork(args), {cwd: root, env: {...env, ...more}}),
		secretIn(text) {
			const match = /^Secret: (pnk_\S+)$/m.exec(text);
			if (!match) throw new Error(`no secret in:\n${text}`);
			return match[1]!;
		},
		modeOf: (file) => statSync(file).mode & 0o777,
		initTenant(name, {vpcCidr, config, more = []} = {}) {
			const binding = config ? ['--config', config] : ['--aws-account', '123456789012', '--region', 'us-east-1'];
			const args = ['admin', 'tenant', 'init', name, ...binding];
			const result = this.run([...args, ...(vpcCidr ? ['--vpc-cidr', vpcCidr] : []), ...more]);
			if (result.code !== 0) throw new Error(`tenant init ${name} failed (${result.code}):\n${result.stderr}`);
			return {result, tenant: {PANKA_TENANT: name, PANKA_TENANT_SECRET: this.secretIn(result.stdout)}};
		},
	};
}

export function readText(file: string): string {
	return readFileSync(file, 'utf8');
}

/** Every file below `dir` (relative paths, sorted); none when it does not exist. */
export function everyFile(dir: string): string[] {
	if (!existsSync(dir)) return [];
	return readdirSync(dir, {recursive: true, withFileTypes: true})
		.filter((e) => e.isFile())
		.map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
		.sort();
}
