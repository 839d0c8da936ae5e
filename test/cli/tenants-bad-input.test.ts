/**
 * Bad input to panka admin / login, as a user meets it: bad tenant names (refused before any path
 * exists), wrong credentials (one generic message), no terminal (fail fast naming the flag), a
 * session file readable by others, an expired or forged session, a non-admin, and a registry that
 * is unparsable or missing (an error, never replaced).
 */
import {chmodSync, cpSync, existsSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {beforeAll, describe, expect, it} from 'vitest';
import {hasStackTrace} from '../helpers/run-cli.js';
import {demoStack} from '../helpers/stack-fixture.js';
import {everyFile, localAdmin, pankaWorld, readText} from '../helpers/panka-world.js';

describe('bad input to admin, tenant and login commands', () => {
	const world = pankaWorld();
	let secret = '';

	beforeAll(() => {
		expect(world.run(['admin', 'init']).code).toBe(0);
		const created = world.run(['admin', 'tenant', 'init', 'acme', '--aws-account', '111111111111', '--region', 'eu-west-1']);
		expect(created.code).toBe(0);
		secret = world.secretIn(created.stdout);
	});

	it('refuses bad tenant names before any path is built (exit 2)', () => {
		const before = everyFile(world.pankaHome);
		for (const name of ['../x', 'Acme', 'a', 'x'.repeat(64), 'a/b', '..']) {
			for (const args of [
				['admin', 'tenant', 'init', name, '--aws-account', '111111111111', '--region', 'eu-west-1'],
				['admin', 'tenant', 'show', name],
				['admin', 'tenant', 'delete', name, '--yes'],
				['login', '--tenant', name],
			]) {
				const result = world.run(args, {PANKA_TENANT_SECRET: secret});
				expect(result.code, `${args.join(' ')}`).toBe(2);
				expect(result.stderr).toMatch(
					/^panka: tenant name ".*" (is shorter than 3 characters|is 64 characters long; the limit is 63|contains a path separator or "\.\."|contains uppercase letters)/,
				);
			}
		}
		expect(everyFile(world.pankaHome)).toEqual(before);
	});

	it('wrong secret and unknown tenant get the same one-line message', () => {
		const wrong = world.run(['login', '--tenant', 'acme'], {PANKA_TENANT_SECRET: `${secret.slice(0, -2)}xx`});
		const unknown = world.run(['login', '--tenant', 'nobody-here'], {PANKA_TENANT_SECRET: secret});
		for (const result of [wrong, unknown]) {
			expect(result.code).toBe(1);
			expect(result.stderr.split('\n')[0]).toBe('panka: error: tenant ID or secret is wrong');
			expect(hasStackTrace(result.stderr)).toBe(false);
		}
		expect(wrong.stderr).toBe(unknown.stderr);
		expect(existsSync(world.sessionFile)).toBe(false);
	});

	it('login without a terminal fails fast naming what to pass', () => {
		const noTenant = world.run(['login']);
		expect(noTenant.code).toBe(2);
		expect(noTenant.stderr).toMatch(
			/no tenant to log in as, and no terminal to ask in\nhint: pass --tenant T \(or set PANKA_TENANT\), with the secret in PANKA_TENANT_SECRET/,
		);
		const noSecret = world.run(['login', '--tenant', 'acme']);
		expect(noSecret.code).toBe(2);
		expect(noSecret.stderr).toMatch(/hint: set PANKA_TENANT_SECRET/);
	});

	it('a session file readable by others is refused, not used', () => {
		expect(world.run(['login', '--tenant', 'acme'], {PANKA_TENANT_SECRET: secret}).code).toBe(0);
		chmodSync(world.sessionFile, 0o644);
		const result = world.run(['validate', demoStack]);
		expect(result.code).toBe(1);
		expect(result.stderr).toMatch(
			/the session file .*session\.json is readable by other users \(mode 644\): refusing to use it\nhint: .*panka logout/,
		);
		expect(world.modeOf(world.sessionFile)).toBe(0o644);
		expect(world.run(['logout']).code).toBe(0);
	});

	it('an expired session is refused with "session expired"; a forged one with the generic message', () => {
		expect(world.run(['login', '--tenant', 'acme'], {PANKA_TENANT_SECRET: secret}).code).toBe(0);
		const session = JSON.parse(readText(world.sessionFile));
		writeFileSync(world.sessionFile, JSON.stringify({...session, expiresAt: '2020-01-01T00:00:00.000Z'}), {mode: 0o600});
		const expired = world.run(['validate', demoStack]);
		expect(expired.code).toBe(1);
		expect(expired.stderr).toMatch(/session expired at 2020-01-01T00:00:00.000Z: run panka login again/);
		writeFileSync(world.sessionFile, JSON.stringify({...session, token: Buffer.alloc(32, 1).toString('base64url')}), {mode: 0o600});
		const forged = world.run(['validate', demoStack]);
		expect(forged.code).toBe(1);
		expect(forged.stderr.split('\n')[0]).toBe('panka: error: tenant ID or secret is wrong');
		expect(world.run(['logout']).code).toBe(0);
	});

	it('the backend decides when a session ends: editing expiresAt in session.json does not extend it', () => {
		expect(world.run(['login', '--tenant', 'acme'], {PANKA_TENANT_SECRET: secret}).code).toBe(0);
		const session = JSON.parse(readText(world.sessionFile));
		// Twelve hours pass: the backend's record of the session is past its expiry…
		const recordFile = path.join(world.pankaHome, 'tenants', 'acme', 'sessions.json');
		const records = JSON.parse(readText(recordFile));
		const pastExpiry = '2021-06-01T12:00:00.000Z';
		records.sessions = records.sessions.map((r: {id: string}) => (r.id === session.sessionId ? {...r, expiresAt: pastExpiry} : r));
		writeFileSync(recordFile, JSON.stringify(records));
		// …and the user moves the expiry in their session file a century ahead.
		writeFileSync(world.sessionFile, JSON.stringify({...session, expiresAt: '2121-01-01T00:00:00.000Z'}), {mode: 0o600});
		const extended = world.run(['validate', demoStack]);
		expect(extended.code).toBe(1);
		expect(extended.stderr).toMatch(
			new RegExp(`^panka: error: session expired at ${pastExpiry.replaceAll('.', '\\.')}: run panka login again`),
		);
		expect(hasStackTrace(extended.stderr)).toBe(false);
		expect(world.run(['logout']).code).toBe(0);
	});

	it('logout ends the session on the backend: a copy of session.json kept from before is refused', () => {
		expect(world.run(['login', '--tenant', 'acme'], {PANKA_TENANT_SECRET: secret}).code).toBe(0);
		const copy = readText(world.sessionFile);
		expect(world.run(['validate', demoStack]).stderr).not.toMatch(/panka: error/); // the session works
		const logout = world.run(['logout']);
		expect(logout.stdout).toMatch(/✓ Logged out \(removed .*session\.json; ended the session on local folder /);
		writeFileSync(world.sessionFile, copy, {mode: 0o600});
		const replayed = world.run(['validate', demoStack]);
		expect(replayed.code).toBe(1);
		expect(replayed.stderr).toMatch(/^panka: error: session ended \(logged out, or expired\): run panka login again/);
		expect(world.run(['logout']).code).toBe(0);
	});

	it('flag problems of tenant init are usage errors; --config problems point at file:line:col', () => {
		const small = world.run([
			'admin',
			'tenant',
			'init',
			'tiny-team',
			'--aws-account',
			'111111111111',
			'--region',
			'eu-west-1',
			'--vpc-cidr',
			'10.0.0.0/24',
		]);
		expect(small.code).toBe(2);
		expect(small.stderr).toMatch(/VPC 10\.0\.0\.0\/24 is too small for 2 availability zones/);
		const account = world.run(['admin', 'tenant', 'init', 'tiny-team', '--aws-account', '42', '--region', 'eu-west-1']);
		expect(account.code).toBe(2);
		expect(account.stderr).toMatch(/--aws-account 42: expected the 12-digit AWS account number/);
		const natType = world.run([
			'admin',
			'tenant',
			'init',
			'tiny-team',
			'--aws-account',
			'111111111111',
			'--region',
			'eu-west-1',
			'--nat-type',
			'double',
		]);
		expect(natType.code).toBe(2);
		writeFileSync(
			path.join(world.root, 'net.yaml'),
			'spec:\n  networking:\n    subnets:\n      public:\n        - cidrBlock: 10.0.1.0/24\n          availabilityZone: eu-west-1a\n      private:\n        - cidrBlock: 10.0.0.0/16\n          availabilityZone: eu-west-1a\n',
		);
		const overlap = world.run([
			'admin',
			'tenant',
			'init',
			'tiny-team',
			'--aws-account',
			'111111111111',
			'--region',
			'eu-west-1',
			'--config',
			'net.yaml',
		]);
		expect(overlap.code).toBe(1);
		expect(overlap.stderr).toMatch(
			/^net\.yaml:8:22 +error +spec\.networking\.subnets\.private\[0\]\.cidrBlock: subnet 10\.0\.0\.0\/16 overlaps 10\.0\.1\.0\/24/m,
		);
		expect(world.run(['admin', 'tenant', 'show', 'tiny-team']).code).toBe(1);
	});

	it('delete without a terminal and without --yes fails fast; an unknown subcommand lists the real ones', () => {
		const noYes = world.run(['admin', 'tenant', 'delete', 'acme']);
		expect(noYes.code).toBe(2);
		expect(noYes.stderr).toMatch(/hint: pass --yes/);
		const unknown = world.run(['admin', 'tenant', 'remove', 'acme']);
		expect(unknown.code).toBe(2);
		expect(unknown.stderr).toMatch(/hint: panka admin tenant init\|list\|show\|update\|delete\|rotate\|suspend\|activate/);
		const flag = world.run(['admin', 'tenant', 'list', '--vpc-cidr', '10.0.0.0/16']);
		expect(flag.code).toBe(2);
		expect(flag.stderr).toMatch(/panka admin tenant list does not take --vpc-cidr/);
	});

	it('someone who is not a registered admin is refused by every admin command', () => {
		const registry = path.join(world.pankaHome, 'tenants.yaml');
		const original = readText(registry);
		writeFileSync(registry, original.replaceAll(`identity: ${localAdmin}`, 'identity: someone-else@elsewhere'));
		for (const args of [
			['admin', 'login'],
			['admin', 'tenant', 'list'],
			['admin', 'tenant', 'suspend', 'acme'],
			['admin', 'init'],
		]) {
			const result = world.run(args);
			expect(result.code, args.join(' ')).toBe(1);
			expect(result.stderr).toMatch(
				new RegExp(
					`^panka: error: ${localAdmin.replace(/[.]/g, '\\.')} is not an admin of local folder .*\\nhint: admins: someone-else@elsewhere`,
				),
			);
		}
		writeFileSync(registry, original);
	});

	it('an unparsable registry is an error and is left exactly as it was', () => {
		const registry = path.join(world.pankaHome, 'tenants.yaml');
		const original = readText(registry);
		writeFileSync(registry, `${original}\n  broken: [\n`);
		const broken = readText(registry);
		for (const args of [
			['admin', 'tenant', 'list'],
			['admin', 'init'],
			['login', '--tenant', 'acme'],
		]) {
			const result = world.run(args, {PANKA_TENANT_SECRET: secret});
			expect(result.code, args.join(' ')).toBe(1);
			expect(result.stderr).toMatch(/tenants\.yaml on local folder .* is not a valid tenant registry: YAML error at line \d+, column \d+/);
			expect(result.stderr).toMatch(/hint: nothing was changed; earlier versions are kept in/);
		}
		expect(readText(registry)).toBe(broken);
		writeFileSync(registry, original);
	});

	it('a missing registry on an initialised backend is an error; admin init will not replace it', () => {
		const registry = path.join(world.pankaHome, 'tenants.yaml');
		const saved = path.join(world.root, 'tenants.yaml.saved');
		cpSync(registry, saved);
		rmSync(registry);
		for (const args of [
			['admin', 'tenant', 'list'],
			['admin', 'init'],
			['login', '--tenant', 'acme'],
			['validate', demoStack],
		]) {
			const result = world.run(args, {PANKA_TENANT: 'acme', PANKA_TENANT_SECRET: secret});
			expect(result.code, args.join(' ')).toBe(1);
			expect(result.stderr).toMatch(
				/(is missing, but the backend holds tenant data|holds tenant data \(\d+ objects under tenants\/\) but no tenants\.yaml)/,
			);
		}
		expect(existsSync(registry)).toBe(false);
		cpSync(saved, registry);
		expect(readFileSync(registry, 'utf8')).toMatch(/name: acme/);
	});
});
