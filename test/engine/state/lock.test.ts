/**
 * The (tenant, stack, environment) lock (engine/state/lock.ts), on both backends: one holder at a
 * time, a held lock names its holder and the command that breaks it, waiting with
 * --lock-timeout, breaking by id, and releasing only one's own lock.
 */
import {describe, expect, it} from 'vitest';
import {lockKey} from '../../../engine/state/backend.js';
import {
	acquireLock,
	breakLock,
	type Clock,
	DurationError,
	LockHeldError,
	LockIdMismatchError,
	type LockRequest,
	lockBackoff,
	parseDuration,
	readLock,
} from '../../../engine/state/lock.js';
import {backendKinds, deadPid, runWorkers, useBackend} from '../../helpers/backend-fixture.js';
import {shopProd} from '../../helpers/state-workload.js';

const lockPath = lockKey(shopProd);

/** A holder on this test's pretend host; its pid is this (live) test process unless given. */
function request(who: string, extra: Partial<LockRequest> = {}): LockRequest {
	return {operation: 'apply', who: `${who}@build-7`, host: 'build-7', pid: process.pid, version: '0.1.0', ...extra};
}

/** A clock whose sleeps pass instantly, recorded, and may do something at a given sleep. */
function fakeClock(
	start = Date.parse('2026-11-26T12:00:00.000Z'),
	onSleep: (count: number) => Promise<void> | void = () => {},
): Clock & {sleeps: number[]} {
	let now = start;
	const sleeps: number[] = [];
	return {
		sleeps,
		now: () => now,
		async sleep(ms) {
			sleeps.push(ms);
			now += ms;
			await onSleep(sleeps.length);
		},
	};
}

async function heldError(promise: Promise<unknown>): Promise<LockHeldError> {
	const error = await promise.then(
		() => undefined,
		(e: unknown) => e,
	);
	expect(error).toBeInstanceOf(LockHeldError);
	return error as LockHeldError;
}

describe.each(backendKinds)('state lock: %s backend', (kind) => {
	const fixture = useBackend(kind);

	describe('taking and releasing', () => {
		it('takes a free lock and records who holds it', async () => {
			const clock = fakeClock();
			const held = await acquireLock(fixture.backend, shopProd, request('alice'), {clock});
			expect(held.info).toEqual({
				id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}$/),
				...request('alice'),
				created: '2026-11-26T12:00:00.000Z',
			});
			expect(JSON.parse((await fixture.backend.store.get(lockPath))!.body)).toEqual(held.info);
			expect((await readLock(fixture.backend, shopProd))?.info).toEqual(held.info);
		});

		it('release removes the lock; releasing again is harmless; the lock can be taken again', async () => {
			const held = await acquireLock(fixture.backend, shopProd, request('alice'));
			expect(await held.release()).toBe('released');
			expect(await held.release()).toBe('released');
			expect(await readLock(fixture.backend, shopProd)).toBeUndefined();
			const again = await acquireLock(fixture.backend, shopProd, request('bob'));
			expect(again.info.id).not.toBe(held.info.id);
		});

		it('locks each (tenant, stack, environment) separately', async () => {
			await acquireLock(fixture.backend, shopProd, request('alice'));
			await expect(acquireLock(fixture.backend, {...shopProd, environment: 'staging'}, request('bob'))).resolves.toBeDefined();
			await expect(acquireLock(fixture.backend, {...shopProd, stack: 'billing'}, request('carol'))).resolves.toBeDefined();
		});

		it('release never removes another holder’s lock', async () => {
			const alice = await acquireLock(fixture.backend, shopProd, request('alice'));
			await breakLock(fixture.backend, shopProd, alice.info.id);
			const bob = await acquireLock(fixture.backend, shopProd, request('bob'));
			expect(await alice.release()).toBe('lost');
			expect((await readLock(fixture.backend, shopProd))?.info).toEqual(bob.info);
		});

		it('release after the lock was broken (and not re-taken) removes nothing and says so', async () => {
			const alice = await acquireLock(fixture.backend, shopProd, request('alice'));
			await breakLock(fixture.backend, shopProd, alice.info.id);
			expect(await alice.release()).toBe('lost');
		});
	});

	describe('a held lock', () => {
		it('held by a live process: names the holder, the operation, since when, and the command that breaks it', async () => {
			const alice = await acquireLock(fixture.backend, shopProd, request('alice', {operation: 'destroy'}), {clock: fakeClock()});
			const error = await heldError(acquireLock(fixture.backend, shopProd, request('bob')));
			expect(error.message).toBe(
				`the state of stack shop, environment prod (tenant acme) is locked: "destroy" by alice@build-7 (pid ${process.pid} on build-7, panka 0.1.0) since 2026-11-26T12:00:00.000Z, lock id ${alice.info.id}`,
			);
			expect(error.mayBeStale).toBe(false);
			expect(error.unlockCommand).toBe(`panka state unlock ${alice.info.id} --stack shop --env prod`);
			expect(error.hint).toBe(
				`wait for it with --lock-timeout 5m, or, if that panka is no longer running, break the lock with: panka state unlock ${alice.info.id} --stack shop --env prod`,
			);
			expect(error.holder.info).toEqual(alice.info);
			expect((await readLock(fixture.backend, shopProd))?.info).toEqual(alice.info);
		});

		it('held by a process of this host that is gone: says the lock may be stale, and still does not break it', async () => {
			const pid = await deadPid();
			const ghost = await acquireLock(fixture.backend, shopProd, request('ghost', {pid}));
			const error = await heldError(acquireLock(fixture.backend, shopProd, request('bob')));
			expect(error.mayBeStale).toBe(true);
			expect(error.message).toMatch(
				new RegExp(`lock id ${ghost.info.id}\\. The lock may be stale: process ${pid} is no longer running on build-7$`),
			);
			expect(error.hint).toBe(
				`if no panka is working on this stack, break the lock with: panka state unlock ${ghost.info.id} --stack shop --env prod`,
			);
			expect((await readLock(fixture.backend, shopProd))?.info).toEqual(ghost.info);
		});

		it('held by a process on another host: never called stale, whatever pid it has', async () => {
			await acquireLock(fixture.backend, shopProd, request('remote', {host: 'build-9', pid: await deadPid()}));
			const error = await heldError(acquireLock(fixture.backend, shopProd, request('bob'), {isProcessAlive: () => false}));
			expect(error.mayBeStale).toBe(false);
			expect(error.message).not.toMatch(/stale/);
		});

		it('a lock blob that does not parse is held by "unknown", shown raw, never replaced, and breakable by the id it is given', async () => {
			await fixture.backend.store.put(lockPath, 'locked by a shell script\n');
			const error = await heldError(acquireLock(fixture.backend, shopProd, request('bob')));
			expect(error.message).toMatch(
				/is locked: held by unknown: the lock at .*state\.lock does not parse, it is not JSON \(.*\); it reads "locked by a shell script\\n"$/,
			);
			expect(error.holder.id).toMatch(/^unreadable-[0-9a-f]{8}$/);
			expect(error.hint).toMatch(
				new RegExp(
					`check the lock at .*state\\.lock; if no panka is working on this stack, break it with: panka state unlock ${error.holder.id} --stack shop --env prod`,
				),
			);
			expect((await fixture.backend.store.get(lockPath))?.body).toBe('locked by a shell script\n');
			await breakLock(fixture.backend, shopProd, error.holder.id);
			await expect(acquireLock(fixture.backend, shopProd, request('bob'))).resolves.toBeDefined();
		});

		it('JSON that is not a lock is held by "unknown" too, naming what is missing', async () => {
			await fixture.backend.store.put(lockPath, '{"id": "x"}');
			const error = await heldError(acquireLock(fixture.backend, shopProd, request('bob')));
			expect(error.message).toMatch(/held by unknown: .* it is not a panka lock \(operation: .*; who: /);
		});

		it('the unlock command can be spelled by the CLI', async () => {
			const alice = await acquireLock(fixture.backend, shopProd, request('alice'));
			const error = await heldError(
				acquireLock(fixture.backend, shopProd, request('bob'), {
					formatUnlockCommand: (id, key) => `panka state unlock ${id} --stack ./${key.stack} --env ${key.environment} --yes`,
				}),
			);
			expect(error.unlockCommand).toBe(`panka state unlock ${alice.info.id} --stack ./shop --env prod --yes`);
			expect(error.hint).toContain(error.unlockCommand);
		});
	});

	describe('racing for the lock', () => {
		it('of 10 concurrent acquires in one process, exactly one wins and the others name it', async () => {
			const outcomes = await Promise.allSettled(
				Array.from({length: 10}, (_, i) => acquireLock(fixture.backend, shopProd, request(`user${i}`))),
			);
			const winners = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
			expect(winners).toHaveLength(1);
			for (const o of outcomes) if (o.status === 'rejected') expect((o.reason as LockHeldError).holder.id).toBe(winners[0]!.info.id);
		});

		it('of 3 processes racing, exactly one wins; the others are told who holds it', async () => {
			const results = await runWorkers(fixture.target, [{command: 'lock'}, {command: 'lock'}, {command: 'lock'}]);
			const winners = results.filter((r) => 'won' in r && r.won);
			expect(winners).toHaveLength(1);
			const winner = winners[0] as {id: string; pid: number};
			for (const r of results)
				if ('won' in r && !r.won) expect(r).toMatchObject({holderId: winner.id, message: expect.stringContaining(`pid ${winner.pid}`)});
			expect((await readLock(fixture.backend, shopProd))?.info).toMatchObject({id: winner.id, pid: winner.pid});
		}, 60_000);
	});

	describe('--lock-timeout', () => {
		it('retries with growing, jittered waits and takes the lock once the holder releases it', async () => {
			const alice = await acquireLock(fixture.backend, shopProd, request('alice'));
			const clock = fakeClock(undefined, async (count) => {
				if (count === 4) await alice.release();
			});
			const bob = await acquireLock(fixture.backend, shopProd, request('bob'), {timeoutMs: 30_000, clock, random: () => 0.5});
			expect(clock.sleeps).toEqual([75, 150, 300, 600]); // 100·2ⁿ ms, each scaled by 0.5 + 0.5·random
			expect((await readLock(fixture.backend, shopProd))?.info).toEqual(bob.info);
		});

		it('keeps every wait between half and all of the doubling backoff, capped', async () => {
			await acquireLock(fixture.backend, shopProd, request('alice'));
			const randoms = [0, 0.999, 0.3, 0.7, 0.1, 0.9, 0.5, 0.2, 0.8, 0.4];
			let next = 0;
			const clock = fakeClock();
			await heldError(
				acquireLock(fixture.backend, shopProd, request('bob'), {timeoutMs: 60_000, clock, random: () => randoms[next++ % randoms.length]!}),
			);
			clock.sleeps.slice(0, -1).forEach((ms, i) => {
				const full = Math.min(lockBackoff.maxMs, lockBackoff.firstMs * 2 ** i);
				expect(ms).toBeGreaterThanOrEqual(full / 2);
				expect(ms).toBeLessThanOrEqual(full);
			});
		});

		it('gives up at the deadline (after a last attempt there) and says how long it waited', async () => {
			const alice = await acquireLock(fixture.backend, shopProd, request('alice'));
			const clock = fakeClock();
			const error = await heldError(acquireLock(fixture.backend, shopProd, request('bob'), {timeoutMs: parseDuration('30s'), clock}));
			expect(clock.sleeps.reduce((a, b) => a + b, 0)).toBe(30_000);
			expect(error.waitedMs).toBe(30_000);
			expect(error.message).toMatch(new RegExp(`is locked \\(waited 30s\\): "apply" by alice@build-7 .* lock id ${alice.info.id}$`));
			expect(error.hint).toMatch(/^if that panka is no longer running, break the lock with: /);
		});

		it('without a timeout fails at once, without sleeping', async () => {
			await acquireLock(fixture.backend, shopProd, request('alice'));
			const clock = fakeClock();
			await heldError(acquireLock(fixture.backend, shopProd, request('bob'), {clock}));
			expect(clock.sleeps).toEqual([]);
		});
	});

	describe('breaking a lock on purpose', () => {
		it('breaks the lock whose id is given, and returns who held it', async () => {
			const alice = await acquireLock(fixture.backend, shopProd, request('alice'));
			const broken = await breakLock(fixture.backend, shopProd, alice.info.id);
			expect(broken.info).toEqual(alice.info);
			expect(await readLock(fixture.backend, shopProd)).toBeUndefined();
		});

		it('refuses an id that is not the current holder’s, and leaves the lock alone', async () => {
			const alice = await acquireLock(fixture.backend, shopProd, request('alice'));
			const error = await breakLock(fixture.backend, shopProd, 'deadbeef-0000').then(
				() => undefined,
				(e: unknown) => e as LockIdMismatchError,
			);
			expect(error).toBeInstanceOf(LockIdMismatchError);
			expect(error?.message).toMatch(
				new RegExp(`lock id deadbeef-0000 does not match the current holder .*: "apply" by alice@build-7 .* lock id ${alice.info.id}`),
			);
			expect(error?.hint).toBe(`to break the current lock, pass its id: ${alice.info.id}`);
			expect((await readLock(fixture.backend, shopProd))?.info).toEqual(alice.info);
		});

		it('says so when no lock is held', async () => {
			await expect(breakLock(fixture.backend, shopProd, 'deadbeef-0000')).rejects.toThrow(
				/no lock is held on the state of stack shop, environment prod \(tenant acme\): nothing to unlock/,
			);
		});
	});
});

describe('parseDuration (--lock-timeout)', () => {
	it.each([
		['500ms', 500],
		['30s', 30_000],
		['1.5s', 1_500],
		['2m', 120_000],
		['1h', 3_600_000],
		['0', 0],
		[' 10s ', 10_000],
	])('%j is %d ms', (text, ms) => {
		expect(parseDuration(text)).toBe(ms);
	});

	it.each(['', '30', '30x', '-5s', 's', '1d', '1e3s', '5 m', '99999999999999999h'])('refuses %j, naming the flag and the value', (text) => {
		expect(() => parseDuration(text)).toThrow(DurationError);
		expect(() => parseDuration(text)).toThrow(
			`--lock-timeout "${text}" is not a duration: use a number and a unit, such as 500ms, 30s, 2m or 1h`,
		);
		expect(() => parseDuration(text, '--wait')).toThrow(/^--wait /);
	});
});
