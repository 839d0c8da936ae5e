/**
 * Files panka writes that hold a stack's values are private to the user, through the real binary:
 * a saved plan shows the configuration after interpolation (`--var` values included), so
 * `panka plan --out` writes it 0600 even where the umask would make it world-readable, and even
 * over an existing readable file.
 */
import {statSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {beforeAll, describe, expect, it} from 'vitest';
import {pankaWorld} from '../helpers/panka-world.js';
import {copyStack} from '../helpers/stack-fixture.js';

describe('files that hold stack values are written 0600', () => {
	const world = pankaWorld();
	let env: Record<string, string>;

	beforeAll(() => {
		expect(world.run(['admin', 'init']).code).toBe(0);
		const created = world.run(['admin', 'tenant', 'init', 'acme', '--aws-account', '111111111111', '--region', 'eu-west-1']);
		env = {PANKA_TENANT: 'acme', PANKA_TENANT_SECRET: world.secretIn(created.stdout)};
	});

	it('panka plan --out, with --var values in it', () => {
		const stack = copyStack();
		const out = path.join(world.root, 'plan.json');
		writeFileSync(out, 'an older plan, readable by all', {mode: 0o644});
		const umask = process.umask(0o022); // the child inherits it
		try {
			const result = world.run(['plan', stack, '--out', out, '--no-tui', '--var', 'LOG_LEVEL=secret-ish-value'], env);
			expect(result.stderr).toBe('');
			expect(result.code).toBe(0);
		} finally {
			process.umask(umask);
		}
		expect(world.modeOf(out)).toBe(0o600);
		expect(statSync(out).size).toBeGreaterThan(100);
	});
});
