/** `panka validate` as a user runs it: exit codes, text and --json output, no stack traces. */
import {describe, expect, it} from 'vitest';
import {acmeTenant, badStack, copyStack, demoStack, demoTenant, generatedStack} from '../helpers/stack-fixture.js';
import {spawnSync} from 'node:child_process';
import {cliPath, hasStackTrace, runCli} from '../helpers/run-cli.js';

describe('panka validate', () => {
	it('passes the demo stack with exit 0', () => {
		const result = runCli(['validate', demoStack, '--tenant-config', demoTenant]);
		expect(result.stderr).toBe('');
		expect(result.stdout).toMatch(
			/✓ notification-platform \(.*, env staging, tenant notifications-team\): 3 services, 10 components — no problems/,
		);
		expect(result.code).toBe(0);
	});

	it('reads the tenant config from PANKA_TENANT_CONFIG too', () => {
		const result = runCli(['validate', demoStack], {env: {PANKA_TENANT_CONFIG: demoTenant}});
		expect(result.stdout).not.toMatch(/no tenant config/);
		expect(result.code).toBe(0);
	});

	it('validates the current folder by default', () => {
		const result = runCli(['validate'], {cwd: demoStack});
		expect(result.stdout).toMatch(/notification-platform \(\., env staging/);
		expect(result.code).toBe(0);
	});

	for (const name of ['tab-indentation', 'unknown-field', 'cycle-three', 'replicas-three', 'missing-stack-file', 'duplicate-component']) {
		it(`reports ${name} at file:line:col with exit 1 and no stack trace`, () => {
			const dir = badStack(name);
			const result = runCli(['validate', dir, '--tenant-config', acmeTenant], {cwd: dir});
			expect(result.code).toBe(1);
			expect(result.stdout).toMatch(/^[\w./-]+\.yaml:\d+:\d+ {2}error {2}/m);
			expect(result.stdout).toMatch(/✗ .* — \d+ errors?/);
			expect(hasStackTrace(result.stdout + result.stderr)).toBe(false);
		});
	}

	for (const name of ['binary-file', 'large-file', 'symlink-loop'] as const) {
		it(`reports ${name} with exit 1 and no stack trace`, () => {
			const dir = generatedStack(name);
			const result = runCli(['validate', dir], {cwd: dir});
			expect(result.code).toBe(1);
			expect(result.stdout).toMatch(/services\/api\/[\w-]+\.yaml:1:1 {2}error/);
			expect(hasStackTrace(result.stdout + result.stderr)).toBe(false);
		});
	}

	it('shows the offending line under each error, with a caret at the column', () => {
		const dir = badStack('unknown-field');
		const result = runCli(['validate', '.'], {cwd: dir});
		expect(result.stdout).toContain(
			'services/api/queue.yaml:9:5  error  unknown field "maxRecieveCount" in spec.deadLetterQueue — did you mean "maxReceiveCount"?  [unknown-field]',
		);
		expect(result.stdout).toMatch(/>\s+9 \| {5}maxRecieveCount: 3\n\s+\| {5}\^/);
		expect(result.stdout).toMatch(/hint: known fields here: enabled, maxReceiveCount, messageRetentionPeriod/);
	});

	it('names each member of a cycle with its file:line', () => {
		const dir = badStack('cycle-three');
		const result = runCli(['validate', '.'], {cwd: dir});
		expect(result.stdout).toMatch(/dependency cycle: worker\/first → worker\/second → worker\/third → worker\/first/);
		for (const line of [7, 14, 21]) expect(result.stdout).toContain(`services/worker/cycle.yaml:${line}:15`);
	});

	it('ends quietly when its output pipe closes early (| head)', () => {
		const result = spawnSync('sh', ['-c', `node ${cliPath} graph ${demoStack} --format dot | head -1`], {encoding: 'utf8'});
		expect(result.stdout).toMatch(/^digraph/);
		expect(result.stderr).toBe('');
	});

	it('prints a versioned JSON document with --json', () => {
		const dir = badStack('valuefrom-unknown-output');
		const result = runCli(['validate', dir, '--json']);
		expect(result.code).toBe(1);
		const doc = JSON.parse(result.stdout);
		expect(doc).toMatchObject({
			apiVersion: 'panka.io/cli/v1',
			kind: 'ValidationResult',
			ok: false,
			stack: {name: 'shop'},
			summary: {services: 2, components: 3, errors: 1},
		});
		expect(doc.diagnostics).toContainEqual(
			expect.objectContaining({severity: 'error', code: 'unknown-output', file: 'services/api/app.yaml', line: 11, column: 20}),
		);
	});

	it('takes --var and --env', () => {
		const dir = copyStack();
		const result = runCli(['validate', dir, '--json', '--var', 'REPLICAS=nope', '--env', 'qa']);
		const doc = JSON.parse(result.stdout);
		expect(doc.stack.environment).toBe('qa');
		expect(doc.diagnostics[0]).toMatchObject({code: 'coercion-failed', message: expect.stringMatching(/"nope".*--var/)});
	});

	it('refuses a malformed --var as a usage error naming the flag (exit 2)', () => {
		const result = runCli(['validate', demoStack, '--var', 'no-equals']);
		expect(result.code).toBe(2);
		expect(result.stderr).toMatch(/--var no-equals: expected NAME=value/);
	});

	it('refuses a missing tenant config file, naming it', () => {
		const result = runCli(['validate', demoStack, '--tenant-config', 'nope/tenant.yaml']);
		expect(result.code).toBe(1);
		expect(result.stdout).toMatch(/tenant config .*nope\/tenant\.yaml does not exist/);
	});
});
