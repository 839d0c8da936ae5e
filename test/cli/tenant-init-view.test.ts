/**
 * admin tenant init's view when something fails after the tenant was created: the secret was made
 * and is shown only once, so under --json the TenantCreated document (secret included) is still
 * printed, its networking failed with the reason; the lines have shown the secret already and
 * leave the error to the command's report.
 */
import {PassThrough} from 'node:stream';
import {describe, expect, it} from 'vitest';
import type {CommandContext} from '../../source/context.js';
import {tenantInitViews} from '../../source/views/admin-view.js';
import {Output} from '../../source/views/view.js';

function capturedContext(): {context: CommandContext; stdout: () => string} {
	const stdout = new PassThrough();
	const chunks: string[] = [];
	stdout.on('data', (chunk: Buffer) => chunks.push(chunk.toString('utf8')));
	const context: CommandContext = {
		cwd: '/',
		env: {},
		stdout,
		stderr: new PassThrough(),
		stdin: new PassThrough(),
		color: false,
		stderrColor: false,
	};
	return {context, stdout: () => chunks.join('')};
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('admin tenant init: a failure after the tenant was created', () => {
	it('--json still prints the TenantCreated document with the secret, its networking failed with the reason', async () => {
		const {context, stdout} = capturedContext();
		const view = tenantInitViews.json(new Output(context));
		view.created('local folder /tmp/x', 'payments', ['✓ Tenant created: payments'], false);
		view.secret('payments', {secret: 'pnk_only_once'});
		view.cost({networking: '$0.00 a month'});
		expect(view.failedAfterCreation('payments', new Error('STS is unreachable'))).toBe(true);
		await flush();
		const document = JSON.parse(stdout()) as Record<string, unknown>;
		expect(document).toMatchObject({kind: 'TenantCreated', tenant: 'payments', secret: 'pnk_only_once'});
		expect(document.networking).toMatchObject({provisioned: false});
		expect(JSON.stringify(document.networking)).toContain('STS is unreachable');
	});

	it('the lines leave the error to the command (they printed the secret when it was made)', () => {
		const {context} = capturedContext();
		const view = tenantInitViews.human(new Output(context));
		expect(view.failedAfterCreation('payments', new Error('STS is unreachable'))).toBe(false);
	});
});
