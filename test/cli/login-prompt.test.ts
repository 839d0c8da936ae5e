/**
 * `panka login` in a terminal: it asks for what flags and variables did not give, the secret
 * without echo, and writes the session. Run in-process with terminal-like streams (a spawned
 * process has no TTY); keystrokes are sent when the prompt has appeared, never after a sleep.
 */
import {existsSync, mkdirSync} from 'node:fs';
import path from 'node:path';
import {PassThrough, Writable} from 'node:stream';
import {beforeAll, describe, expect, it} from 'vitest';
import {openBackend} from '../../engine/state/backend.js';
import {initBackend} from '../../engine/tenants/bootstrap.js';
import {buildTenantConfig} from '../../engine/tenants/tenant-init.js';
import {createTenant} from '../../engine/tenants/tenants.js';
import type {CommandContext} from '../../source/context.js';
import {main} from '../../source/main.js';
import {tempDir} from '../helpers/stack-fixture.js';

class Capture extends Writable {
	text = '';
	isTTY = true;
	readonly #waiters: Array<{needle: string; resolve: () => void}> = [];
	override _write(chunk: Buffer, _encoding: string, callback: () => void) {
		this.text += chunk.toString();
		for (const waiter of [...this.#waiters]) if (this.text.includes(waiter.needle)) waiter.resolve();
		callback();
	}
	/** Resolves once `needle` has been written (now or later). */
	seen(needle: string): Promise<void> {
		if (this.text.includes(needle)) return Promise.resolve();
		return new Promise((resolve) => this.#waiters.push({needle, resolve}));
	}
}

function terminal(env: Record<string, string>) {
	const stdin = Object.assign(new PassThrough(), {isTTY: true});
	const stdout = new Capture();
	const stderr = new Capture();
	const context: CommandContext = {cwd: env.HOME!, env, stdin, stdout, stderr, color: false, stderrColor: false};
	return {context, stdin, stdout, stderr};
}

describe('panka login in a terminal', () => {
	const root = tempDir('panka-login-');
	const env = {HOME: path.join(root, 'home'), PANKA_CONFIG_DIR: path.join(root, 'config'), PANKA_HOME: path.join(root, 'panka')};
	let secret = '';

	beforeAll(async () => {
		mkdirSync(env.HOME, {recursive: true});
		const backend = openBackend({kind: 'local', home: env.PANKA_HOME});
		await initBackend(backend, {identity: 'admin@test'});
		const built = buildTenantConfig({
			name: 'acme',
			accountId: '111111111111',
			region: 'eu-west-1',
			createdBy: 'admin@test',
			createdAt: '2026-11-26T10:00:00Z',
		});
		if (!built.ok) throw new Error('bad config');
		secret = (await createTenant(backend, built.config, {identity: 'admin@test'})).secret;
	});

	it('asks for the tenant ID and the secret, never echoes the secret, and writes the session', async () => {
		const {context, stdin, stdout, stderr} = terminal(env);
		const done = main(['login'], context);
		await stderr.seen('Enter tenant ID: ');
		stdin.write('acme\r');
		await stderr.seen('Enter secret: ');
		stdin.write(`${secret}\r`);
		expect(await done).toBe(0);
		expect(stderr.text).toContain('acme');
		expect(stderr.text).not.toContain(secret);
		expect(stderr.text).not.toContain(secret.slice(4, 12));
		expect(stdout.text).toMatch(/✓ Logged in as tenant acme on local folder /);
		expect(existsSync(path.join(env.PANKA_CONFIG_DIR, 'session.json'))).toBe(true);
	});

	it('asks only for the secret when --tenant is given, and a wrong one gets the generic message', async () => {
		const {context, stdin, stderr} = terminal(env);
		const done = main(['login', '--tenant', 'acme'], context);
		await stderr.seen('Enter secret: ');
		expect(stderr.text).not.toContain('Enter tenant ID');
		stdin.write('pnk_not-the-secret\r');
		expect(await done).toBe(1);
		expect(stderr.text).toContain('panka: error: tenant ID or secret is wrong');
		expect(stderr.text).not.toContain('pnk_not-the-secret');
	});

	it('end of input at a prompt cancels without doing anything', async () => {
		const {context, stdin, stderr} = terminal({...env, PANKA_CONFIG_DIR: path.join(root, 'other-config')});
		const done = main(['login'], context);
		await stderr.seen('Enter tenant ID: ');
		stdin.end();
		expect(await done).toBe(1);
		expect(stderr.text).toContain('cancelled: nothing was done');
		expect(existsSync(path.join(root, 'other-config', 'session.json'))).toBe(false);
	});
});
