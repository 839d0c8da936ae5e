/**
 * Every bad input of the issue's list gets a diagnostic at file:line:col with a precise message,
 * and loading never throws. Fixtures: test/fixtures/bad/<case> laid over test/fixtures/stacks/base,
 * and generated cases (binary, 10 MB, symlink loops) that cannot live in git.
 */
import {describe, expect, it} from 'vitest';
import type {Diagnostic} from '../../engine/diagnostics.js';
import {loadWorkspace} from '../../engine/workspace.js';
import {acmeTenant, badStack, generatedStack} from '../helpers/stack-fixture.js';

interface Expected {
	code: Diagnostic['code'];
	file: string;
	line: number;
	column: number;
	message: RegExp;
	hint?: RegExp;
}

const cases: Record<string, Expected[]> = {
	'tab-indentation': [
		{
			code: 'yaml-syntax',
			file: 'services/api/queue.yaml',
			line: 4,
			column: 1,
			message: /Tabs are not allowed as indentation/,
			hint: /spaces/,
		},
	],
	'unclosed-quote': [{code: 'yaml-syntax', file: 'services/api/queue.yaml', line: 6, column: 22, message: /Missing closing "quote/}],
	'wrong-kind': [
		{code: 'unknown-kind', file: 'services/api/queue.yaml', line: 2, column: 7, message: /unknown kind "Sqs" — did you mean "SQS"\?/},
	],
	'wrong-api-version': [
		{
			code: 'unknown-api-version',
			file: 'services/api/queue.yaml',
			line: 1,
			column: 13,
			message: /components\.panka\.io\/v2.*expected components\.panka\.io\/v1/,
		},
	],
	'unknown-field': [
		{
			code: 'unknown-field',
			file: 'services/api/queue.yaml',
			line: 9,
			column: 5,
			message: /unknown field "maxRecieveCount" in spec\.deadLetterQueue — did you mean "maxReceiveCount"\?/,
		},
	],
	'wrong-type': [
		{
			code: 'invalid-type',
			file: 'services/api/queue.yaml',
			line: 6,
			column: 22,
			message: /spec\.visibilityTimeout: expected a number, got a list/,
		},
	],
	'bad-names': [
		{
			code: 'invalid-name',
			file: 'services/worker/names.yaml',
			line: 5,
			column: 9,
			message: /"\.\.\/etc" contains a path separator or "\.\."/,
		},
		{code: 'invalid-name', file: 'services/worker/names.yaml', line: 10, column: 9, message: /"queues\/first" contains a path separator/},
		{code: 'invalid-name', file: 'services/worker/names.yaml', line: 15, column: 9, message: /"Orders" contains uppercase letters/},
		{code: 'invalid-name', file: 'services/worker/names.yaml', line: 20, column: 9, message: /65 characters long; the limit is 63/},
	],
	'duplicate-component': [
		{
			code: 'duplicate-component',
			file: 'services/worker/queue.yaml',
			line: 4,
			column: 9,
			message: /"orders-queue" is already used by api\/orders-queue \(services\/api\/queue\.yaml:4\)/,
		},
	],
	'missing-stack-file': [
		{code: 'missing-stack-file', file: 'stack.yaml', line: 1, column: 1, message: /stack\.yaml is missing/, hint: /panka stack init/},
	],
	'missing-services': [
		{
			code: 'missing-services-dir',
			file: 'services',
			line: 1,
			column: 1,
			message: /services\/ folder is missing/,
			hint: /panka service add/,
		},
	],
	'service-names-other-stack': [
		{
			code: 'stack-mismatch',
			file: 'services/worker/service.yaml',
			line: 5,
			column: 10,
			message: /names stack "billing" but it is in stack "shop"/,
		},
	],
	'valuefrom-unknown-component': [
		{
			code: 'unknown-reference',
			file: 'services/api/app.yaml',
			line: 11,
			column: 20,
			message: /"order-queue", which does not exist.*did you mean "orders-queue"\?/,
		},
	],
	'valuefrom-unknown-output': [
		{
			code: 'unknown-output',
			file: 'services/api/app.yaml',
			line: 11,
			column: 20,
			message: /SQS "orders-queue" has no output "queueURL" — did you mean "queueUrl"\?/,
			hint: /queueUrl, arn/,
		},
	],
	'cycle-three': [
		{
			code: 'dependency-cycle',
			file: 'services/worker/cycle.yaml',
			line: 7,
			column: 15,
			message: /dependency cycle: worker\/first → worker\/second → worker\/third → worker\/first/,
		},
	],
	'unresolved-variable': [
		{
			code: 'unresolved-variable',
			file: 'services/api/queue.yaml',
			line: 6,
			column: 22,
			message: /\$\{VISIBILITY_TIMEOUT\} is not defined/,
			hint: /--var VISIBILITY_TIMEOUT=/,
		},
	],
	'replicas-three': [
		{
			code: 'coercion-failed',
			file: 'services/api/app.yaml',
			line: 12,
			column: 13,
			message: /spec\.replicas: expected a number, got "three" \(from \$\{REPLICAS\} = "three", set at services\/api\/service\.yaml:8\)/,
		},
	],
};

const generated: Record<string, Expected[]> = {
	'binary-file': [{code: 'binary-file', file: 'services/api/logo.yaml', line: 1, column: 1, message: /binary/}],
	'large-file': [
		{code: 'file-too-large', file: 'services/api/huge.yaml', line: 1, column: 1, message: /10\.0 MiB, above the 4\.0 MiB limit/},
	],
	'symlink-loop': [
		{code: 'symlink-loop', file: 'services/api/loop-a.yaml', line: 1, column: 1, message: /symbolic link loop/},
		{code: 'symlink-loop', file: 'services/api/loop-b.yaml', line: 1, column: 1, message: /symbolic link loop/},
	],
	'symlink-dir-loop': [{code: 'symlink-loop', file: 'services/self', line: 1, column: 1, message: /link back to an enclosing folder/}],
};

function expectDiagnostics(diagnostics: Diagnostic[], expected: Expected[]) {
	for (const e of expected) {
		const found = diagnostics.find((d) => d.code === e.code && d.file === e.file && d.line === e.line);
		expect(
			found,
			`${e.code} at ${e.file}:${e.line} among:\n${diagnostics.map((d) => `${d.code} ${d.file}:${d.line}:${d.column} ${d.message}`).join('\n')}`,
		).toBeDefined();
		expect(found?.severity).toBe('error');
		expect(found?.column).toBe(e.column);
		expect(found?.message).toMatch(e.message);
		if (e.hint) expect(found?.hint).toMatch(e.hint);
	}
}

describe('bad input: each problem is a diagnostic at file:line:col, never an exception', () => {
	for (const [name, expected] of Object.entries(cases)) {
		it(name, async () => {
			const workspace = await loadWorkspace(badStack(name), {tenantConfigPath: acmeTenant});
			expectDiagnostics(workspace.diagnostics, expected);
		});
	}
	for (const [name, expected] of Object.entries(generated)) {
		it(name, async () => {
			const workspace = await loadWorkspace(generatedStack(name as never), {tenantConfigPath: acmeTenant});
			expectDiagnostics(workspace.diagnostics, expected);
		});
	}
});

describe('one broken file does not hide or multiply the problems of the others', () => {
	it('a file with a syntax error is reported, and the rest of the stack still resolves', async () => {
		const workspace = await loadWorkspace(badStack('tab-indentation'), {tenantConfigPath: acmeTenant});
		expect(workspace.componentsByName.has('web')).toBe(true);
		expect(workspace.componentsByName.has('orders-table')).toBe(true);
		// the reference into the broken file is reported once, with a note naming the broken file
		const reference = workspace.diagnostics.find((d) => d.code === 'unknown-reference');
		expect(reference?.hint).toMatch(/services\/api\/queue\.yaml could not be fully read/);
	});

	it('references to a component whose kind is wrong are not reported again', async () => {
		const workspace = await loadWorkspace(badStack('wrong-kind'), {tenantConfigPath: acmeTenant});
		expect(workspace.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code)).toEqual(['unknown-kind']);
	});

	it('a missing stack.yaml does not turn every service into a stack mismatch', async () => {
		const workspace = await loadWorkspace(badStack('missing-stack-file'));
		expect(workspace.diagnostics.some((d) => d.code === 'stack-mismatch')).toBe(false);
		expect(workspace.diagnostics.find((d) => d.code === 'unresolved-variable')?.message).toMatch(/stack\.yaml could not be read/);
	});

	it('a folder that does not exist is one diagnostic', async () => {
		const workspace = await loadWorkspace('/nonexistent/panka/stack');
		expect(workspace.diagnostics).toHaveLength(1);
		expect(workspace.diagnostics[0]?.message).toMatch(/does not exist/);
	});
});
