/**
 * panka admin / login / logout as a user runs them, on the local backend: the whole admin flow of
 * the contract (Workflow 1), tenant login by session and by CI variables (Workflow 2), suspension,
 * rotation and deletion acting on the next command. Bad inputs: tenants-bad-input.test.ts.
 */
import {existsSync, mkdirSync, readdirSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {hasStackTrace} from '../helpers/run-cli.js';
import {demoStack, demoTenant} from '../helpers/stack-fixture.js';
import {everyFile, localAdmin, pankaWorld, readText} from '../helpers/panka-world.js';

const tenantInit = [
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
];
/** The contract's summary; this world passes --no-network, so the networking is recorded, not built (○). */
const contractSummary = [
	'✓ Tenant created: notifications-team',
	'○ VPC configured: 10.0.0.0/16',
	'○ Public subnets: 10.0.1.0/24, 10.0.2.0/24',
	'○ Private subnets: 10.0.10.0/24, 10.0.20.0/24',
	'○ NAT Gateway: enabled',
	'○ Security Group: notifications-team-default-sg',
	'',
	'Credentials saved to: credentials.txt',
];

function deployedState(backendDir: string, tenant: string, stack: string, environment: string): string {
	const dir = path.join(backendDir, 'tenants', tenant, 'v1', 'stacks', stack, environment);
	mkdirSync(dir, {recursive: true});
	const state = {
		version: '1.0.0',
		serial: 3,
		lineage: 'l-1',
		metadata: {stack, tenant, environment},
		networking: {},
		resources: {
			'api/notification-queue': {
				kind: 'SQS',
				type: 'AWS::SQS::Queue',
				service: 'api',
				name: 'notification-queue',
				physicalId: 'q',
				status: 'ready',
				inputs: {},
				outputs: {},
				dependsOn: [],
				createdAt: 'x',
				updatedAt: 'x',
			},
		},
		outputs: {},
		pending: [],
	};
	writeFileSync(path.join(dir, 'state.json'), JSON.stringify(state));
	return dir;
}

describe('the admin and tenant flow on a local backend', () => {
	const world = pankaWorld();
	const backendDir = path.join(world.root, 'backend');
	let secret = '';
	let newSecret = '';

	it('admin init creates the folder (700) and the registry, records the OS user as admin, and remembers the backend', () => {
		const result = world.run(['admin', 'init', '--home', 'backend']);
		expect(result.stderr).toBe('');
		expect(result.code).toBe(0);
		expect(result.stdout).toContain(`✓ Folder ${backendDir} (mode 700)`);
		expect(result.stdout).toContain(`✓ Tenant registry created: tenants.yaml on local folder ${backendDir}`);
		expect(result.stdout).toContain(`✓ Admin: ${localAdmin}`);
		expect(world.modeOf(backendDir)).toBe(0o700);
		expect(JSON.parse(readText(path.join(world.configDir, 'config.json')))).toMatchObject({backend: backendDir});
		expect(readText(path.join(backendDir, 'tenants.yaml'))).toMatch(/kind: TenantRegistry[\s\S]*identity: /);
	});

	it('admin login checks the current identity is a registered admin, without a password prompt', () => {
		const result = world.run(['admin', 'login']);
		expect(result.code).toBe(0);
		expect(result.stdout).toBe(`✓ ${localAdmin} is an admin of local folder ${backendDir} (0 tenants)\n`);
	});

	it('tenant init prints the contract summary, writes the credentials 600, and stores no plaintext secret', () => {
		const result = world.run([...tenantInit, '--output', 'credentials.txt']);
		expect(result.code).toBe(0);
		expect(result.stdout.split('\n').slice(0, contractSummary.length)).toEqual(contractSummary);
		const creds = path.join(world.root, 'credentials.txt');
		expect(world.modeOf(creds)).toBe(0o600);
		expect(readText(creds)).toMatch(/^Tenant ID: notifications-team\nSecret: pnk_[A-Za-z0-9_-]{43}\n$/);
		secret = world.secretIn(readText(creds));
		expect(result.stdout).not.toContain(secret);
		for (const file of everyFile(backendDir)) expect(readText(path.join(backendDir, file))).not.toContain(secret.slice(4));
		const config = readText(path.join(backendDir, 'tenants', 'notifications-team', 'tenant.yaml'));
		expect(config).toMatch(/kind: TenantConfig/);
		// No role that nobody creates: without --create-role (or one named in --config), none is recorded.
		expect(config).not.toContain('assumeRoleArn');
	});

	it('tenant init without --output shows the secret once, on stdout; show and list never do', () => {
		const result = world.run([
			'admin',
			'tenant',
			'init',
			'payments-team',
			'--aws-account',
			'123456789012',
			'--region',
			'us-east-1',
			'--vpc-cidr',
			'10.1.0.0/16',
			'--azs',
			'a,b,c',
			'--nat-type',
			'per-az',
		]);
		expect(result.code).toBe(0);
		expect(result.stdout).toContain('○ Private subnets: 10.1.10.0/24, 10.1.20.0/24, 10.1.30.0/24');
		expect(result.stdout).toContain('○ NAT Gateway: enabled (per-az)');
		const paymentsSecret = world.secretIn(result.stdout);
		expect(result.stderr).toMatch(/shown only this once/);
		const show = world.run(['admin', 'tenant', 'show', 'payments-team', '--json']);
		const list = world.run(['admin', 'tenant', 'list']);
		for (const out of [show.stdout, list.stdout]) {
			expect(out).not.toContain(paymentsSecret);
			expect(out).not.toMatch(/salt|hash/);
		}
		expect(JSON.parse(show.stdout)).toMatchObject({
			kind: 'Tenant',
			tenant: {name: 'payments-team', status: 'active', secretVersion: 1},
			config: {spec: {networking: {natGateway: {enabled: true, type: 'per-az'}}}},
		});
		expect(list.stdout).toMatch(
			/^NAME +STATUS +SECRET +CREATED +CREATED BY\nnotifications-team +active +v1 .*\npayments-team +active +v1 /,
		);
	});

	it('validate without a login works as before: no tenant config, an info diagnostic', () => {
		const result = world.run(['validate', demoStack]);
		expect(result.code).toBe(0);
		expect(result.stdout).toMatch(/info +no tenant config/);
	});

	it('CI login: PANKA_TENANT + PANKA_TENANT_SECRET on every command, and the tenant config comes from the registry', () => {
		const result = world.run(['stack', 'info', demoStack], {PANKA_TENANT: 'notifications-team', PANKA_TENANT_SECRET: secret});
		expect(result.code).toBe(0);
		expect(result.stdout).toContain(
			`Tenant      notifications-team (tenants/notifications-team/tenant.yaml on local folder ${backendDir})`,
		);
		expect(result.stdout).toContain('Networking  VPC 10.0.0.0/16, private 10.0.10.0/24, 10.0.20.0/24');
		expect(existsSync(world.sessionFile)).toBe(false);
	});

	it('panka login writes a 600 session that holds no secret, recorded on the backend by its hash; validate then uses the registry config', () => {
		const login = world.run(['login', '--tenant', 'notifications-team'], {PANKA_TENANT_SECRET: secret});
		expect(login.code).toBe(0);
		expect(login.stdout).toContain(`✓ Logged in as tenant notifications-team on local folder ${backendDir}`);
		expect(world.modeOf(world.sessionFile)).toBe(0o600);
		const session = JSON.parse(readText(world.sessionFile));
		expect(session).toMatchObject({version: 2, tenant: 'notifications-team', backend: backendDir, sessionId: expect.any(String)});
		expect(Date.parse(session.expiresAt) - Date.parse(session.createdAt)).toBe(12 * 3600 * 1000);
		expect(readText(world.sessionFile)).not.toContain(secret.slice(4));
		const recorded = JSON.parse(readText(path.join(backendDir, 'tenants', 'notifications-team', 'sessions.json')));
		expect(recorded.sessions).toEqual([
			expect.objectContaining({id: session.sessionId, secretVersion: 1, expiresAt: session.expiresAt, openedBy: localAdmin}),
		]);
		expect(JSON.stringify(recorded)).not.toContain(session.token);
		const validate = world.run(['validate', demoStack]);
		expect(validate.code).toBe(0);
		expect(validate.stdout).not.toMatch(/no tenant config/);
		expect(validate.stdout).toMatch(/tenant notifications-team\): 3 services, 10 components — no problems/);
		const graph = world.run(['graph', demoStack]);
		expect(graph.code).toBe(0);
	});

	it('--tenant-config still wins over the session', () => {
		const result = world.run(['stack', 'info', demoStack, '--tenant-config', demoTenant]);
		expect(result.code).toBe(0);
		expect(result.stdout).toMatch(/Tenant +notifications-team \(.*demo\/tenant\.yaml\)/);
	});

	it('a stack whose metadata.tenant names another tenant is refused (tenant-mismatch)', () => {
		const result = world.run(['validate', demoStack], {PANKA_TENANT: 'payments-team', PANKA_TENANT_SECRET: undefined});
		// PANKA_TENANT without a secret, while logged in as someone else: refused, naming both.
		expect(result.code).toBe(2);
		expect(result.stderr).toMatch(/PANKA_TENANT is payments-team but you are logged in as notifications-team/);
		const other = pankaWorld({PANKA_CONFIG_DIR: path.join(world.root, 'other-config'), PANKA_HOME: backendDir});
		const rotated = world.run(['admin', 'tenant', 'rotate', 'payments-team', '--output', 'payments.txt']);
		expect(rotated.code).toBe(0);
		const paymentsSecret = world.secretIn(readText(path.join(world.root, 'payments.txt')));
		const mismatch = other.run(['validate', demoStack], {PANKA_TENANT: 'payments-team', PANKA_TENANT_SECRET: paymentsSecret});
		expect(mismatch.code).toBe(1);
		expect(mismatch.stdout).toMatch(
			/error +stack names tenant "notifications-team" but the tenant config is for "payments-team" +\[tenant-mismatch\]/,
		);
	});

	it('suspend: the very next command of the tenant is refused; activate: it works again', () => {
		expect(world.run(['admin', 'tenant', 'suspend', 'notifications-team']).code).toBe(0);
		for (const env of [{}, {PANKA_TENANT: 'notifications-team', PANKA_TENANT_SECRET: secret}]) {
			const refused = world.run(['validate', demoStack], env);
			expect(refused.code).toBe(1);
			expect(refused.stderr).toMatch(/^panka: error: tenant notifications-team is suspended\nhint: /);
			expect(hasStackTrace(refused.stderr)).toBe(false);
		}
		expect(world.run(['admin', 'tenant', 'list', '--json']).stdout).toMatch(/"status": "suspended"/);
		expect(world.run(['admin', 'tenant', 'activate', 'notifications-team']).code).toBe(0);
		expect(world.run(['validate', demoStack]).code).toBe(0);
	});

	it('rotate: the old secret and the old session are refused at once; the new secret logs in', () => {
		const rotated = world.run(['admin', 'tenant', 'rotate', 'notifications-team', '--output', 'credentials.txt']);
		expect(rotated.code).toBe(0);
		expect(rotated.stdout).toMatch(/✓ Secret rotated: notifications-team \(secret version 2\)/);
		newSecret = world.secretIn(readText(path.join(world.root, 'credentials.txt')));
		const oldSession = world.run(['validate', demoStack]);
		expect(oldSession.code).toBe(1);
		expect(oldSession.stderr).toMatch(/credentials were rotated: run panka login again/);
		const oldSecret = world.run(['login', '--tenant', 'notifications-team'], {PANKA_TENANT_SECRET: secret});
		expect(oldSecret.code).toBe(1);
		expect(oldSecret.stderr).toMatch(/^panka: error: tenant ID or secret is wrong\n/);
		expect(world.run(['login', '--tenant', 'notifications-team'], {PANKA_TENANT_SECRET: newSecret}).code).toBe(0);
		expect(world.run(['validate', demoStack]).code).toBe(0);
	});

	it('update --config merges over the tenant config and validates it', () => {
		writeFileSync(path.join(world.root, 'limits.yaml'), 'spec:\n  limits:\n    maxServicesPerStack: 2\n');
		const update = world.run(['admin', 'tenant', 'update', 'notifications-team', '--config', 'limits.yaml']);
		expect(update.code).toBe(0);
		const validate = world.run(['validate', demoStack]);
		expect(validate.code).toBe(1);
		expect(validate.stdout).toMatch(/stack notification-platform has 3 services; tenant notifications-team allows 2 per stack/);
		writeFileSync(path.join(world.root, 'bad.yaml'), 'spec:\n  limits:\n    maxServicesPerStack: many\n');
		const bad = world.run(['admin', 'tenant', 'update', 'notifications-team', '--config', 'bad.yaml']);
		expect(bad.code).toBe(1);
		expect(bad.stderr).toMatch(/^bad\.yaml:3:26 +error +/m);
		writeFileSync(path.join(world.root, 'limits.yaml'), 'spec:\n  limits:\n    maxServicesPerStack: 20\n');
		expect(world.run(['admin', 'tenant', 'update', 'notifications-team', '--config', 'limits.yaml']).code).toBe(0);
	});

	it('delete refuses while a stack has resources, then --force archives the folder and ends the session', () => {
		deployedState(backendDir, 'notifications-team', 'notification-platform', 'production');
		const refused = world.run(['admin', 'tenant', 'delete', 'notifications-team', '--yes']);
		expect(refused.code).toBe(1);
		expect(refused.stderr).toMatch(
			/tenant notifications-team still has deployed stacks: notification-platform\/production \(1 resource\)\nhint: .*--force/,
		);
		expect(existsSync(path.join(backendDir, 'tenants', 'notifications-team', 'tenant.yaml'))).toBe(true);

		const deleted = world.run(['admin', 'tenant', 'delete', 'notifications-team', '--yes', '--force']);
		expect(deleted.code).toBe(0);
		expect(deleted.stdout).toMatch(
			/✓ Tenant deleted: notifications-team \(archived as tenants-archive\/notifications-team-\d{8}T\d{6}Z\/ on local folder .*, 3 objects moved\)/,
		);
		expect(deleted.stderr).toMatch(/warning: archived with deployed stacks/);
		const archives = readdirSync(path.join(backendDir, 'tenants-archive'));
		expect(archives).toHaveLength(1);
		expect(everyFile(path.join(backendDir, 'tenants-archive', archives[0]!)).filter((f) => !f.includes('.backups'))).toEqual([
			'sessions.json',
			'tenant.yaml',
			path.join('v1', 'stacks', 'notification-platform', 'production', 'state.json'),
		]);
		expect(existsSync(path.join(backendDir, 'tenants', 'notifications-team', 'tenant.yaml'))).toBe(false);
		const session = world.run(['validate', demoStack]);
		expect(session.code).toBe(1);
		expect(session.stderr).toMatch(/tenant notifications-team no longer exists/);
		const again = world.run([...tenantInit]);
		expect(again.code).toBe(1);
		expect(again.stderr).toMatch(/belonged to a deleted tenant[\s\S]*--force/);
	});

	it('logout removes the session; commands then run without a tenant again', () => {
		const logout = world.run(['logout']);
		expect(logout.stdout).toBe(`✓ Logged out (removed ${world.sessionFile})\n`);
		expect(existsSync(world.sessionFile)).toBe(false);
		expect(world.run(['logout']).stdout).toMatch(/^Not logged in/);
		expect(world.run(['validate', demoStack]).stdout).toMatch(/no tenant config/);
	});
});
