/**
 * The lock of one (tenant, stack, environment): a small JSON blob at `lockKey(key)` beside the
 * state, held by at most one panka at a time while it plans, applies or edits state.
 *
 * Invariants:
 * - Taking the lock is one create-only write (`ifNoneMatch`: local, a file created under the
 *   store's exclusive mutex; S3, `If-None-Match: *`), so of any number of processes racing, on
 *   any number of hosts, exactly one wins. Nothing else ever creates the lock blob.
 * - The blob records who holds it: a random id, the operation, user@host, host, pid, when, and
 *   the panka version. A held lock is reported with all of that and the exact command that breaks
 *   it (`panka state unlock <id>`); when the holder is on this host and its pid is gone, the
 *   report says the lock may be stale. panka never breaks a lock by itself, stale or not.
 * - A lock blob that does not parse is held by "unknown": reported with its raw text and a
 *   pseudo-id (`unreadable-<hash of its text>`) that breakLock accepts; never silently replaced.
 * - Removal is compare-and-swap on the etag: `release` deletes only the blob this holder wrote,
 *   `breakLock` only the blob whose id the user named. A holder whose lock was broken (and maybe
 *   taken by someone else) finds out at release ('lost') and deletes nothing.
 * - A holder can also find out while it works: `watchLock` reads the lock blob every few seconds
 *   (and on demand, `verify`) and aborts its signal, with a message naming who holds it now, the
 *   first time the blob is gone or is not the one this holder wrote. A read that fails says
 *   nothing either way (the lock is not declared lost on a backend hiccup).
 *
 * Concurrency: with `timeoutMs` (--lock-timeout), a held lock is retried with exponential backoff
 * and jitter until the deadline, the last attempt at the deadline itself. Time and sleeping come
 * from `clock`, liveness from `isProcessAlive`, jitter and ids from `random`, so tests drive all
 * three.
 */
import {createHash} from 'node:crypto';
import {z} from '../zod.js';
import {backoffDelay} from '../retry.js';
import {BackendError, PreconditionFailedError} from './blob-store.js';
import {lockKey, type Backend} from './backend.js';
import {blobLocation} from './blob-location.js';
import type {StateKey} from './state-document.js';

/** What the caller says about itself when it takes the lock. */
export interface LockRequest {
	/** What the holder is doing: `plan`, `apply`, `destroy`, `state remove`, … */
	operation: string;
	/** user@host */
	who: string;
	host: string;
	pid: number;
	/** The panka version of the holder. */
	version: string;
}

export const lockInfoSchema = z.object({
	id: z.string().min(1),
	operation: z.string(),
	who: z.string(),
	host: z.string(),
	pid: z.int(),
	/** ISO time the lock was taken. */
	created: z.string(),
	version: z.string(),
});
/** The content of a lock blob. */
export type LockInfo = z.output<typeof lockInfoSchema>;

/** The lock blob as it is now. */
export interface CurrentLock {
	/** The holder's lock id, or `unreadable-<hash>` when the blob does not parse. */
	id: string;
	/** The holder; undefined when the blob does not parse (held by "unknown"). */
	info?: LockInfo;
	/** Why the blob does not parse, when it does not. */
	problem?: string;
	raw: string;
	etag: string;
	/** The blob's file path or s3:// URL. */
	location: string;
}

/** `released`: this call removed the holder's lock. `lost`: it was no longer this holder's (broken, perhaps re-taken), so nothing was removed. */
export type LockReleaseOutcome = 'released' | 'lost';

export interface HeldLock {
	readonly info: LockInfo;
	/** Removes this holder's lock and nothing else; later calls return the first outcome. */
	release(): Promise<LockReleaseOutcome>;
	/** The lock as it is now, when it is no longer this holder's (undefined: still held). */
	lost(): Promise<LockLoss | undefined>;
}

/** This holder's lock is gone: broken (`panka state unlock`), and perhaps taken by another panka. */
export interface LockLoss {
	/** Who holds it now, if anyone. */
	holder?: CurrentLock;
	message: string;
}

export interface LockWatch {
	/** Aborts (reason: the LockLoss) the first time the lock is found lost. */
	readonly signal: AbortSignal;
	readonly loss: LockLoss | undefined;
	/** Reads the lock now; resolves with the loss when it is lost (the signal aborts too). */
	verify(): Promise<LockLoss | undefined>;
	/** Stops the periodic reads (the run is over). */
	stop(): void;
}

/** How often a lock holder reads its lock to notice it was broken (watchLock). */
export const lockWatchIntervalMs = 5_000;

export interface Clock {
	now(): number;
	sleep(ms: number): Promise<void>;
}

export interface AcquireLockOptions {
	/** How long to keep retrying a held lock (--lock-timeout); 0 or absent: fail at once. */
	timeoutMs?: number;
	clock?: Clock;
	/** Whether a pid on this host is still running (default: signal 0). */
	isProcessAlive?: (pid: number) => boolean;
	/** [0, 1): backoff jitter and lock ids. */
	random?: () => number;
	/** The command that breaks a lock, as the CLI spells it (default: unlockCommand). */
	formatUnlockCommand?: (lockId: string, key: StateKey) => string;
	/**
	 * Break a lock whose holder provably cannot be running: it was taken on this host (same host
	 * name) by a process that no longer exists (a crashed or killed panka). Never applies to a
	 * holder on another host, whose liveness cannot be known. Called with the broken lock.
	 */
	breakDeadHolder?: (broken: LockInfo) => void;
}

/** The state is locked by someone else (after waiting `waitedMs`, when a timeout was given). */
export class LockHeldError extends BackendError {
	constructor(
		readonly holder: CurrentLock,
		/** The holder is on this host and its process is gone. */
		readonly mayBeStale: boolean,
		readonly unlockCommand: string,
		readonly waitedMs: number,
		message: string,
		hint: string,
	) {
		super(message, hint);
		this.name = 'LockHeldError';
	}
}

/** breakLock was given an id that is not the current holder's (or no lock is held). */
export class LockIdMismatchError extends BackendError {
	constructor(
		readonly requestedId: string,
		readonly current: CurrentLock | undefined,
		message: string,
	) {
		super(message, current ? `to break the current lock, pass its id: ${current.id}` : undefined);
		this.name = 'LockIdMismatchError';
	}
}

/** A --lock-timeout (or other duration flag) value that is not a duration. */
export class DurationError extends Error {
	constructor(
		readonly flag: string,
		readonly value: string,
	) {
		super(`${flag} "${value}" is not a duration: use a number and a unit, such as 500ms, 30s, 2m or 1h`);
		this.name = 'DurationError';
	}
}

export const systemClock: Clock = {
	now: () => Date.now(),
	sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Backoff between attempts on a held lock: doubling from `first` up to `max`, each drawn from [half, full]. */
export const lockBackoff = {firstMs: 100, maxMs: 5_000} as const;

/** A holder that vanishes between our failed create and our read is retried at once, this many times in a row at most. */
const maxVanishedRetries = 10;

/** `panka state unlock <id> --stack <stack> --env <env>` */
export function unlockCommand(lockId: string, key: StateKey): string {
	return `panka state unlock ${lockId} --stack ${key.stack} --env ${key.environment}`;
}

/**
 * Takes the lock of `key` for `request`, waiting up to `options.timeoutMs` for a holder to
 * release it. Throws LockHeldError naming the holder when it cannot.
 */
export async function acquireLock(
	backend: Backend,
	key: StateKey,
	request: LockRequest,
	options: AcquireLockOptions = {},
): Promise<HeldLock> {
	const clock = options.clock ?? systemClock;
	const random = options.random ?? Math.random;
	const blobKey = lockKey(key);
	const started = clock.now();
	const deadline = started + (options.timeoutMs ?? 0);
	const id = newLockId(random);
	let vanished = 0;
	for (let waits = 0; ; ) {
		const info: LockInfo = {id, ...request, created: new Date(clock.now()).toISOString()};
		try {
			const {etag} = await backend.store.put(blobKey, `${JSON.stringify(lockInfoSchema.parse(info), null, 2)}\n`, {ifNoneMatch: true});
			return heldLock(backend, blobKey, info, etag);
		} catch (error) {
			if (!(error instanceof PreconditionFailedError)) throw error;
		}
		const holder = await readLock(backend, key);
		// Released between our create and our read: try again at once (within reason).
		if (!holder && ++vanished <= maxVanishedRetries) continue;
		if (
			holder?.info &&
			options.breakDeadHolder &&
			holder.info.host === request.host &&
			!(options.isProcessAlive ?? processIsAlive)(holder.info.pid)
		) {
			try {
				await breakLock(backend, key, holder.id);
				options.breakDeadHolder(holder.info);
			} catch (error) {
				if (!(error instanceof LockIdMismatchError)) throw error; // someone else broke or took it meanwhile
			}
			continue;
		}
		vanished = 0;
		const now = clock.now();
		if (now >= deadline) throw lockHeldError(key, holder ?? churningHolder(backend, blobKey), request, options, now - started);
		await clock.sleep(Math.min(deadline - now, backoffDelay(lockBackoff, waits++, random)));
	}
}

/** The lock of `key` as it is now, or undefined when nobody holds it. */
export async function readLock(backend: Backend, key: StateKey): Promise<CurrentLock | undefined> {
	const blobKey = lockKey(key);
	const blob = await backend.store.get(blobKey);
	if (!blob) return undefined;
	const location = blobLocation(backend, blobKey);
	const parsed = parseLockBlob(blob.body);
	if ('info' in parsed) return {id: parsed.info.id, info: parsed.info, raw: blob.body, etag: blob.etag, location};
	return {
		id: `unreadable-${createHash('sha256').update(blob.body).digest('hex').slice(0, 8)}`,
		problem: parsed.problem,
		raw: blob.body,
		etag: blob.etag,
		location,
	};
}

/**
 * Breaks the lock of `key` on purpose (`panka state unlock <id>`), only if its current holder has
 * `lockId`. Returns the lock that was broken.
 */
export async function breakLock(backend: Backend, key: StateKey, lockId: string): Promise<CurrentLock> {
	const current = await readLock(backend, key);
	if (!current)
		throw new LockIdMismatchError(
			lockId,
			undefined,
			`no lock is held on the state of ${describeKey(key)}: nothing to unlock (lock id ${lockId})`,
		);
	if (current.id !== lockId)
		throw new LockIdMismatchError(
			lockId,
			current,
			`lock id ${lockId} does not match the current holder of the state of ${describeKey(key)}: ${describeHolder(current)}`,
		);
	try {
		await backend.store.delete(lockKey(key), {ifMatch: current.etag});
	} catch (error) {
		if (!(error instanceof PreconditionFailedError)) throw error;
		throw new LockIdMismatchError(
			lockId,
			await readLock(backend, key),
			`the lock on the state of ${describeKey(key)} changed while it was being broken; nothing was removed`,
		);
	}
	return current;
}

/** Milliseconds in `500ms`, `30s`, `2m`, `1h` (or `0`); anything else throws DurationError naming `flag`. */
export function parseDuration(value: string, flag = '--lock-timeout'): number {
	const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(value.trim());
	if (value.trim() === '0') return 0;
	if (!match) throw new DurationError(flag, value);
	const ms = Number(match[1]) * {ms: 1, s: 1_000, m: 60_000, h: 3_600_000}[match[2] as 'ms' | 's' | 'm' | 'h'];
	if (!Number.isSafeInteger(Math.round(ms))) throw new DurationError(flag, value);
	return Math.round(ms);
}

/** `30s`, `2m`, `1h 5m`: the inverse of parseDuration, for messages. */
export function formatDuration(ms: number): string {
	if (ms < 1_000) return `${ms}ms`;
	if (ms < 60_000) return `${Math.round(ms / 100) / 10}s`;
	if (ms < 3_600_000) return `${Math.floor(ms / 60_000)}m${ms % 60_000 >= 1_000 ? ` ${Math.round((ms % 60_000) / 1_000)}s` : ''}`;
	return `${Math.floor(ms / 3_600_000)}h${ms % 3_600_000 >= 60_000 ? ` ${Math.round((ms % 3_600_000) / 60_000)}m` : ''}`;
}

/**
 * Reads `held`'s lock every `intervalMs` (default lockWatchIntervalMs) until `stop`, and on
 * `verify`; the signal aborts once, at the first read that finds the lock lost.
 */
export function watchLock(held: HeldLock, options: {intervalMs?: number} = {}): LockWatch {
	const controller = new AbortController();
	let loss: LockLoss | undefined;
	let timer: ReturnType<typeof setTimeout> | undefined;
	let stopped = false;
	const verify = async (): Promise<LockLoss | undefined> => {
		if (loss) return loss;
		const found = await held.lost().catch(() => undefined);
		if (found && !loss) {
			loss = found;
			controller.abort(found);
		}
		return loss;
	};
	const schedule = () => {
		if (stopped || loss) return;
		timer = setTimeout(() => void verify().then(schedule), options.intervalMs ?? lockWatchIntervalMs);
		timer.unref?.();
	};
	schedule();
	return {
		signal: controller.signal,
		get loss() {
			return loss;
		},
		verify,
		stop() {
			stopped = true;
			clearTimeout(timer);
		},
	};
}

function heldLock(backend: Backend, blobKey: string, info: LockInfo, etag: string): HeldLock {
	let outcome: Promise<LockReleaseOutcome> | undefined;
	const release = async (): Promise<LockReleaseOutcome> => {
		try {
			await backend.store.delete(blobKey, {ifMatch: etag});
			return 'released';
		} catch (error) {
			if (error instanceof PreconditionFailedError) return 'lost';
			throw error;
		}
	};
	return {
		info,
		async lost() {
			const blob = await backend.store.get(blobKey);
			if (blob?.etag === etag) return undefined;
			const location = blobLocation(backend, blobKey);
			if (!blob)
				return {
					message: `the lock ${info.id} this run held on ${location} was removed (broken with panka state unlock); another panka may be changing the stack`,
				};
			const parsed = parseLockBlob(blob.body);
			const holder: CurrentLock =
				'info' in parsed
					? {id: parsed.info.id, info: parsed.info, raw: blob.body, etag: blob.etag, location}
					: {id: 'unknown', problem: parsed.problem, raw: blob.body, etag: blob.etag, location};
			const now = holder.info ? `held by ${describeHolder(holder)}` : describeHolder(holder);
			return {holder, message: `the lock ${info.id} this run held was broken and is now ${now}`};
		},
		release() {
			// A failed attempt (the backend could not be reached) may be retried; an outcome is final.
			outcome ??= release().catch((error) => {
				outcome = undefined;
				throw error;
			});
			return outcome;
		},
	};
}

function parseLockBlob(body: string): {info: LockInfo} | {problem: string} {
	let json: unknown;
	try {
		json = JSON.parse(body);
	} catch (error) {
		return {problem: `it is not JSON (${(error as Error).message})`};
	}
	const parsed = lockInfoSchema.safeParse(json);
	if (parsed.success) return {info: parsed.data};
	return {
		problem: `it is not a panka lock (${parsed.error.issues.map((i) => `${i.path.join('.') || '(lock)'}: ${i.message}`).join('; ')})`,
	};
}

/** The lock kept vanishing before it could be read (others taking and releasing it): report that. */
function churningHolder(backend: Backend, blobKey: string): CurrentLock {
	return {
		id: 'unknown',
		problem: 'it keeps being taken and released by others',
		raw: '',
		etag: '',
		location: blobLocation(backend, blobKey),
	};
}

function lockHeldError(
	key: StateKey,
	holder: CurrentLock,
	request: LockRequest,
	options: AcquireLockOptions,
	waitedMs: number,
): LockHeldError {
	const isProcessAlive = options.isProcessAlive ?? processIsAlive;
	const command = (options.formatUnlockCommand ?? unlockCommand)(holder.id, key);
	const mayBeStale = holder.info !== undefined && holder.info.host === request.host && !isProcessAlive(holder.info.pid);
	const waited = options.timeoutMs ? ` (waited ${formatDuration(waitedMs)})` : '';
	let message = `the state of ${describeKey(key)} is locked${waited}: ${describeHolder(holder)}`;
	if (mayBeStale) message += `. The lock may be stale: process ${holder.info!.pid} is no longer running on ${holder.info!.host}`;
	const wait = options.timeoutMs ? '' : 'wait for it with --lock-timeout 5m, or, ';
	const hint = mayBeStale
		? `if no panka is working on this stack, break the lock with: ${command}`
		: holder.info
			? `${wait}if that panka is no longer running, break the lock with: ${command}`
			: `check the lock at ${holder.location}; if no panka is working on this stack, break it with: ${command}`;
	return new LockHeldError(holder, mayBeStale, command, waitedMs, message, hint);
}

/**
 * A lock as `panka plan` shows it: who holds it, and whether its holder is gone (its process no
 * longer runs on this host: the next apply breaks it) or may still be running (the next apply
 * waits for it or is refused).
 */
export function describeLockForPlan(holder: CurrentLock, thisHost: string): {dead: boolean; message: string} {
	const dead = holder.info !== undefined && holder.info.host === thisHost && !processIsAlive(holder.info.pid);
	return {
		dead,
		message: dead
			? `The stack is locked by a run that is no longer running: ${describeHolder(holder)}; the next apply breaks the lock and resolves what that run left in flight`
			: `The stack is locked: ${describeHolder(holder)}; an apply now waits for it (--lock-timeout) or is refused`,
	};
}

function describeHolder(holder: CurrentLock): string {
	if (!holder.info)
		return `held by unknown: the lock at ${holder.location} does not parse, ${holder.problem}${holder.raw ? `; it reads ${JSON.stringify(truncate(holder.raw, 200))}` : ''}`;
	const {id, operation, who, host, pid, created, version} = holder.info;
	return `"${operation}" by ${who} (pid ${pid} on ${host}, panka ${version}) since ${created}, lock id ${id}`;
}

function describeKey({tenant, stack, environment}: StateKey): string {
	return `stack ${stack}, environment ${environment} (tenant ${tenant})`;
}

function truncate(text: string, max: number): string {
	return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** 8-4 hex digits, e.g. `1f0c9a2e-7b3d`. */
function newLockId(random: () => number): string {
	const hex = Array.from({length: 12}, () => Math.floor(random() * 16).toString(16)).join('');
	return `${hex.slice(0, 8)}-${hex.slice(8)}`;
}

function processIsAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		// EPERM: the process exists but belongs to someone else.
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}
