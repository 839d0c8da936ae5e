/**
 * --json of the commands that change things (stack init, service add and remove, migrate, login
 * and logout, the admin commands) and of completion: one document each, accepted by
 * docs/json/document.schema.json, saying what the human lines say (a new secret included, since
 * the human output shows it); a failure is one Error document, with the exit code unchanged.
 */
import {cpSync, existsSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {beforeAll, describe, expect, it} from 'vitest';
import {expectDocument} from '../helpers/json-schemas.js';
import {localAdmin, pankaWorld} from '../helpers/panka-world.js';
import {runCli} from '../helpers/run-cli.js';
import {copyStack, demoStack, demoTenant, fixturesDir, tempDir} from '../helpers/stack-fixture.js';

/** The one document on stdout (JSON.parse takes nothing else), checked against the schema, with the exit code. */
function documentOf(result: {code: number | null; stdout: string; stderr: string}, code: number): Record<string, unknown> {
	expect(result.code, result.stderr).toBe(code);
	return expectDocument(result.stdout);
}

describe('completion --json', () => {
	it('is a Completion document holding the script the human output prints', () => {
		const script = runCli(['completion', 'zsh']).stdout;
		expect(documentOf(runCli(['completion', 'zsh', '--json']), 0)).toEqual({
			apiVersion: 'panka.io/cli/v1',
			kind: 'Completion',
			shell: 'zsh',
			script: script.replace(/\n$/, ''),
		});
	});

	it('a shell it has no script for is an Error document (usage, exit 2)', () => {
		expect(documentOf(runCli(['completion', 'tcsh', '--json']), 2)).toMatchObject({kind: 'Error', code: 'usage'});
	});
});

describe('stack init, service add and remove --json', () => {
	it('stack init is a StackInit document naming the files written; a second one is an Error document', () => {
		const cwd = tempDir();
		const init = documentOf(runCli(['stack', 'init', 'shop', '--services', 'orders', '--json'], {cwd}), 0);
		expect(init).toMatchObject({kind: 'StackInit', root: 'shop', next: 'panka validate shop'});
		expect(init.files).toContain(path.join('shop', 'stack.yaml'));
		for (const file of init.files as string[]) expect(existsSync(path.join(cwd, file)), file).toBe(true);
		const again = documentOf(runCli(['stack', 'init', 'shop', '--json'], {cwd}), 2);
		expect(again).toMatchObject({kind: 'Error', code: 'usage', message: expect.stringMatching(/already exists/)});
	});

	it('service add is a ServiceAdd document; service remove a ServiceRemove one', () => {
		const dir = copyStack();
		const added = documentOf(runCli(['service', 'add', 'reports', '--template', 'worker', '--stack', dir, '--json']), 0);
		expect(added).toMatchObject({kind: 'ServiceAdd'});
		expect((added.files as string[]).some((file) => file.endsWith(path.join('services', 'reports', 'lambda.yaml')))).toBe(true);
		const removed = documentOf(runCli(['service', 'remove', 'reports', '--stack', dir, '--yes', '--json']), 0);
		expect(removed).toMatchObject({kind: 'ServiceRemove', service: 'reports'});
		expect(existsSync(path.join(dir, 'services/reports'))).toBe(false);
	});

	it('removing a service others use is an Error document (failed, exit 1) naming the uses, and deletes nothing', () => {
		const dir = copyStack(demoStack);
		const refused = documentOf(runCli(['service', 'remove', 'worker', '--stack', dir, '--yes', '--json']), 1);
		expect(refused).toMatchObject({
			kind: 'Error',
			code: 'failed',
			exitCode: 1,
			message: expect.stringMatching(/^service worker is still used: .*scheduler\/cron-job uses worker\/delivery-status/),
			hint: 'remove those uses first, or pass --force to remove it anyway',
		});
		expect(existsSync(path.join(dir, 'services/worker'))).toBe(true);
	});
});

describe('migrate --json', () => {
	it('without --write: a Migration document with each file’s diff, nothing written; with --write: what validate finds after', () => {
		const dir = tempDir();
		cpSync(path.join(fixturesDir, 'legacy', 'original'), dir, {recursive: true});
		const before = readFileSync(path.join(dir, 'services/api/app.yaml'), 'utf8');
		const shown = documentOf(runCli(['migrate', '--json'], {cwd: dir}), 0);
		expect(shown).toMatchObject({kind: 'Migration', stack: 'orders', written: false, problems: []});
		const files = shown.files as Array<{file: string; created: boolean; changes: unknown[]; diff: string[]}>;
		expect(files).toHaveLength(5);
		expect(files.reduce((n, f) => n + f.changes.length, 0)).toBe(25);
		expect(files.find((f) => f.file === 'services/api/app.yaml')?.diff).toContain('+apiVersion: components.panka.io/v1');
		expect(readFileSync(path.join(dir, 'services/api/app.yaml'), 'utf8')).toBe(before);

		const written = documentOf(runCli(['migrate', '--write', '--json'], {cwd: dir}), 0);
		expect(written).toMatchObject({kind: 'Migration', written: true, after: {deprecated: 0, errors: 0}});
		expect((written.files as Array<Record<string, unknown>>).every((f) => !('diff' in f))).toBe(true);
		expect(documentOf(runCli(['migrate', '--json'], {cwd: dir}), 0)).toMatchObject({files: [], problems: []});
	});

	it('a usage error is an Error document (usage, exit 2)', () => {
		expect(documentOf(runCli(['migrate', 'one', 'two', '--json']), 2)).toMatchObject({kind: 'Error', code: 'usage'});
	});
});

// Each admin command takes a second or more (a fresh process reading the registry): the tests run several.
describe('admin, login and logout --json, on a local backend', {timeout: 90_000}, () => {
	const world = pankaWorld();
	let secret = '';

	beforeAll(() => {
		const init = documentOf(world.run(['admin', 'init', '--json']), 0);
		expect(init).toMatchObject({
			kind: 'BackendInit',
			backend: `local folder ${world.pankaHome}`,
			alreadyInitialised: false,
			admins: [localAdmin],
		});
	});

	it('admin login is an AdminLogin document', () => {
		expect(documentOf(world.run(['admin', 'login', '--json']), 0)).toMatchObject({kind: 'AdminLogin', identity: localAdmin, tenants: 0});
	});

	it('tenant init is a TenantCreated document holding the secret the human output shows once; with --output, the file instead', () => {
		const created = documentOf(world.run(['admin', 'tenant', 'init', 'notifications-team', '--config', demoTenant, '--json']), 0);
		expect(created).toMatchObject({
			kind: 'TenantCreated',
			tenant: 'notifications-team',
			secret: expect.stringMatching(/^pnk_/),
			networking: {provisioned: false},
			cost: {networking: expect.any(String)},
		});
		expect(created.summary).toEqual(expect.arrayContaining([expect.stringMatching(/^✓ /)]));
		secret = created.secret as string;
		// The human output of the same command shows the secret on stdout, which TenantCreated carries.
		const human = world.run(['admin', 'tenant', 'init', 'billing-team', '--aws-account', '123456789012', '--region', 'us-east-1']);
		expect(human.stdout).toMatch(/^Tenant ID: billing-team\nSecret: pnk_\S+$/m);
		expect(human.stdout).toContain('○ AWS access not checked (--no-network)');
		expect(created).not.toHaveProperty('awsAccess');

		const file = path.join(world.root, 'credentials.txt');
		const toFile = documentOf(
			world.run([
				'admin',
				'tenant',
				'init',
				'orders-team',
				'--aws-account',
				'123456789012',
				'--region',
				'us-east-1',
				'--output',
				file,
				'--json',
			]),
			0,
		);
		expect(toFile).toMatchObject({kind: 'TenantCreated', credentialsFile: file});
		expect(toFile).not.toHaveProperty('secret');
		expect(readFileSync(file, 'utf8')).toMatch(/^Tenant ID: orders-team\nSecret: pnk_/);
	});

	it('tenant init of a name taken is an Error document (failed, exit 1)', () => {
		const taken = documentOf(world.run(['admin', 'tenant', 'init', 'notifications-team', '--config', demoTenant, '--json']), 1);
		expect(taken).toMatchObject({kind: 'Error', code: 'failed', exitCode: 1});
	});

	it('login is a Login document with the AWS access check; logout a Logout one; a wrong secret an Error document', () => {
		const login = documentOf(world.run(['login', '--tenant', 'notifications-team', '--json'], {PANKA_TENANT_SECRET: secret}), 0);
		expect(login).toMatchObject({
			kind: 'Login',
			tenant: 'notifications-team',
			sessionFile: world.sessionFile,
			awsAccess: {ok: expect.any(Boolean), message: expect.any(String)},
		});
		expect(JSON.stringify(login)).not.toContain(secret);
		expect(documentOf(world.run(['logout', '--json']), 0)).toMatchObject({
			kind: 'Logout',
			loggedIn: true,
			backendSession: expect.stringMatching(/^ended the session on /),
		});
		expect(documentOf(world.run(['logout', '--json']), 0)).toMatchObject({kind: 'Logout', loggedIn: false});
		const wrong = documentOf(world.run(['login', '--tenant', 'notifications-team', '--json'], {PANKA_TENANT_SECRET: 'pnk_wrong'}), 1);
		expect(wrong).toMatchObject({kind: 'Error', code: 'failed'});
	});

	it('update, rotate, suspend, activate and delete are one document each', () => {
		expect(documentOf(world.run(['admin', 'tenant', 'update', 'billing-team', '--cost-limit', '500', '--json']), 0)).toMatchObject({
			kind: 'TenantUpdated',
			tenant: 'billing-team',
			changed: true,
			networking: {provisioned: false},
		});
		const rotated = documentOf(world.run(['admin', 'tenant', 'rotate', 'billing-team', '--json']), 0);
		expect(rotated).toMatchObject({
			kind: 'TenantSecretRotated',
			tenant: 'billing-team',
			secretVersion: 2,
			secret: expect.stringMatching(/^pnk_/),
		});
		expect(documentOf(world.run(['admin', 'tenant', 'suspend', 'billing-team', '--json']), 0)).toMatchObject({
			kind: 'TenantStatusChanged',
			status: 'suspended',
			changed: true,
		});
		expect(documentOf(world.run(['admin', 'tenant', 'activate', 'billing-team', '--json']), 0)).toMatchObject({
			kind: 'TenantStatusChanged',
			status: 'active',
			changed: true,
		});
		const deleted = documentOf(world.run(['admin', 'tenant', 'delete', 'billing-team', '--yes', '--json']), 0);
		expect(deleted).toMatchObject({kind: 'TenantDeleted', tenant: 'billing-team', resumed: false, inUse: []});
		const again = documentOf(world.run(['admin', 'tenant', 'rotate', 'nobody-here', '--json']), 1);
		expect(again).toMatchObject({kind: 'Error', code: 'failed'});
	});
});
