/**
 * Errored-state files (source/errored-state.ts): where an apply keeps a state the backend refused.
 * Named per tenant, stack and environment, never overwriting one not pushed yet, and private.
 */
import {readFileSync, statSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {emptyState} from '../../engine/state/state-document.js';
import {erroredStateFileName, saveErroredState} from '../../source/errored-state.js';
import {erroredStateSaver} from '../../source/stack-change.js';
import {tempDir} from '../helpers/stack-fixture.js';

const shopProd = {tenant: 'acme', stack: 'shop', environment: 'production'};

describe('errored-state files', () => {
	it('are named per tenant, stack and environment, so failures of two stacks never collide', async () => {
		const dir = tempDir();
		const shop = await saveErroredState(dir, {...emptyState(shopProd), serial: 3});
		const billing = await saveErroredState(dir, emptyState({...shopProd, stack: 'billing'}));
		const staging = await saveErroredState(dir, emptyState({...shopProd, environment: 'staging'}));
		expect([shop, billing, staging].map((f) => path.basename(f))).toEqual([
			'errored-state.acme.shop.production.json',
			'errored-state.acme.billing.production.json',
			'errored-state.acme.shop.staging.json',
		]);
		expect(JSON.parse(readFileSync(shop, 'utf8')).serial).toBe(3);
	});

	it('never overwrite one that was not pushed yet: the next failure takes the next free name', async () => {
		const dir = tempDir();
		const first = await saveErroredState(dir, {...emptyState(shopProd), serial: 3});
		const second = await saveErroredState(dir, {...emptyState(shopProd), serial: 4});
		expect(path.basename(second)).toBe('errored-state.acme.shop.production.2.json');
		expect(JSON.parse(readFileSync(first, 'utf8')).serial).toBe(3);
		expect(erroredStateFileName(shopProd, 3)).toBe('errored-state.acme.shop.production.3.json');
	});

	it('are written 0600 whatever the umask (a state holds ids, outputs and inputs)', async () => {
		const dir = tempDir();
		const umask = process.umask(0o022);
		try {
			const file = await saveErroredState(dir, emptyState(shopProd));
			expect(statSync(file).mode & 0o777).toBe(0o600);
		} finally {
			process.umask(umask);
		}
	});

	it('the apply saver reports the path relative to where panka runs', async () => {
		const dir = tempDir();
		writeFileSync(path.join(dir, 'errored-state.json'), 'an old file of the previous naming stays untouched');
		expect(await erroredStateSaver(dir)(emptyState(shopProd))).toBe('errored-state.acme.shop.production.json');
		expect(readFileSync(path.join(dir, 'errored-state.json'), 'utf8')).toMatch(/^an old file/);
	});

	it('refuse names that could leave the folder', () => {
		expect(() => erroredStateFileName({...shopProd, stack: '../x'})).toThrow(/path separator/);
	});
});
