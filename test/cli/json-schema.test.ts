/**
 * --json output against the schemas shipped in docs/json/: real documents of the commands that need
 * no AWS, and errors (usage errors and failures) as one JSON object with a code, the exit code
 * unchanged. The NDJSON events of apply and logs are checked the same way in the e2e tests.
 */
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {expectDocument, expectEvents} from '../helpers/json-schemas.js';
import {runCli} from '../helpers/run-cli.js';
import {badStack, demoStack, tempDir} from '../helpers/stack-fixture.js';

describe('--json documents match docs/json/document.schema.json', () => {
	it.each([
		['validate', ['validate', demoStack, '--json'], 0],
		['validate with errors', ['validate', badStack('cycle-three'), '--json'], 1],
		['graph', ['graph', demoStack, '--json'], 0],
		['stack info', ['stack', 'info', demoStack, '--json'], 0],
		['service list', ['service', 'list', '--stack', demoStack, '--json'], 0],
		['version', ['version', '--json'], 0],
	])('%s', (_, args, code) => {
		const result = runCli(args);
		expect(result.code, result.stderr).toBe(code);
		expect(expectDocument(result.stdout)).toMatchObject({apiVersion: 'panka.io/cli/v1'});
	});

	it('admin tenant list and show, on a local backend', () => {
		const root = tempDir();
		const env = {HOME: root, PANKA_HOME: path.join(root, 'backend'), PANKA_CONFIG_DIR: path.join(root, 'config')};
		expect(runCli(['admin', 'init'], {env}).code).toBe(0);
		const init = runCli(['admin', 'tenant', 'init', 'acme', '--aws-account', '123456789012', '--region', 'us-east-1', '--no-network'], {
			env,
		});
		expect(init.code, init.stderr).toBe(0);
		expect(expectDocument(runCli(['admin', 'tenant', 'list', '--json'], {env}).stdout)).toMatchObject({kind: 'TenantList'});
		expect(expectDocument(runCli(['admin', 'tenant', 'show', 'acme', '--json'], {env}).stdout)).toMatchObject({kind: 'Tenant'});
		const missing = runCli(['admin', 'tenant', 'show', 'nobody', '--json'], {env});
		expect(missing.code).toBe(1);
		expect(expectDocument(missing.stdout)).toMatchObject({kind: 'Error', code: 'failed', exitCode: 1});
	});
});

describe('errors under --json', () => {
	it('a usage error is one Error document on stdout with code usage, exit 2', () => {
		for (const args of [
			['graph', demoStack, '--format', 'png', '--json'],
			['validate', demoStack, '--frobnicate', '--json'],
			['validate', demoStack, '--json', '--var', 'no-equals-sign'],
		]) {
			const result = runCli(args);
			expect(result.code).toBe(2);
			expect(result.stdout.trim().split('\n')).toHaveLength(1);
			expect(expectDocument(result.stdout)).toMatchObject({kind: 'Error', type: 'error', code: 'usage', exitCode: 2, ok: false});
		}
	});

	it('a stack that does not validate, planned or applied, is one Error document with its diagnostics at file:line:col', () => {
		const root = tempDir();
		const env = {HOME: root, PANKA_HOME: path.join(root, 'backend'), PANKA_CONFIG_DIR: path.join(root, 'config')};
		expect(runCli(['admin', 'init'], {env}).code).toBe(0);
		const init = runCli(['admin', 'tenant', 'init', 'acme', '--aws-account', '123456789012', '--region', 'us-east-1', '--no-network'], {
			env,
		});
		const secret = /^Secret: (\S+)$/m.exec(init.stdout)?.[1];
		const tenant = {...env, PANKA_TENANT: 'acme', PANKA_TENANT_SECRET: secret};
		const stack = badStack('unknown-field');
		for (const args of [
			['plan', stack, '--json'],
			['apply', stack, '--json', '--yes'],
		]) {
			const result = runCli(args, {env: tenant});
			expect(result.code, result.stderr).toBe(1);
			expect(result.stdout.trim().split('\n')).toHaveLength(1);
			const error = expectDocument(result.stdout) as {kind: string; diagnostics?: {file?: string; line?: number}[]};
			expect(error).toMatchObject({kind: 'Error', code: 'failed', message: expect.stringMatching(/fix the stack folder first/)});
			expect(error.diagnostics?.length).toBeGreaterThan(0);
			expect(error.diagnostics).toContainEqual(
				expect.objectContaining({code: 'unknown-field', file: expect.stringMatching(/\.yaml$/), line: expect.any(Number)}),
			);
		}
	});

	it('an NDJSON command that fails ends its stream with an error event', () => {
		const result = runCli(['apply', demoStack, '--yes', '--json']);
		expect(result.code).toBe(2);
		expect(expectEvents(result.stdout)).toEqual([expect.objectContaining({type: 'error', message: 'not logged in as a tenant'})]);
	});
});
