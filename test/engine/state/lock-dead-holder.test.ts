/** A lock left by a panka that died on this host is broken when the caller allows it; others never are. */
import os from 'node:os';
import {describe, expect, it} from 'vitest';
import {openBackend} from '../../../engine/state/backend.js';
import {acquireLock, LockHeldError, type LockInfo} from '../../../engine/state/lock.js';
import {tempDir} from '../../helpers/stack-fixture.js';

const key = {tenant: 'acme', stack: 'shop', environment: 'prod'};
const request = (pid: number, host = os.hostname()) => ({operation: 'apply', who: 'alice@box', host, pid, version: '0.1.0'});

describe('breakDeadHolder', () => {
	it('breaks the lock of a process that no longer runs on this host, and reports it', async () => {
		const backend = openBackend({kind: 'local', home: tempDir()});
		await acquireLock(backend, key, request(999_999));
		const broken: LockInfo[] = [];
		const held = await acquireLock(backend, key, request(process.pid), {
			isProcessAlive: (pid) => pid === process.pid,
			breakDeadHolder: (info) => broken.push(info),
		});
		expect(broken.map((b) => b.pid)).toEqual([999_999]);
		expect(held.info.pid).toBe(process.pid);
		expect(await held.release()).toBe('released');
	});

	it('never breaks a live holder, nor one on another host', async () => {
		const backend = openBackend({kind: 'local', home: tempDir()});
		await acquireLock(backend, key, request(4242, 'other-host'));
		await expect(
			acquireLock(backend, key, request(process.pid), {isProcessAlive: () => false, breakDeadHolder: () => {}}),
		).rejects.toBeInstanceOf(LockHeldError);
		const second = openBackend({kind: 'local', home: tempDir()});
		await acquireLock(second, key, request(4343));
		await expect(
			acquireLock(second, key, request(process.pid), {isProcessAlive: () => true, breakDeadHolder: () => {}}),
		).rejects.toBeInstanceOf(LockHeldError);
	});
});
