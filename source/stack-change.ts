/**
 * One change to a stack's resources (apply or destroy) around the engine's applyPlan: what
 * `panka apply`, `panka destroy` and the workbench's apply service all do, in one place.
 *
 *   lockStack(op, settings)                take the stack's lock (held: LockHeldError, naming its
 *                                          holder and the unlock command), read the state, resolve
 *                                          the operations a crashed run left pending
 *   locked.applicability(plan)             may this plan still run (state lineage and serial,
 *                                          configuration hash, stack identity)?
 *   locked.run(plan, selection, signals)   refuse a stale plan (StackChangeRefused), read the
 *                                          tenant's network, stream applyPlan's events; after a
 *                                          complete destroy, remove the empty state
 *   locked.release()                       give the lock back (once; later calls do nothing)
 *   startStackChange(op, plan, selection, signals, settings)
 *                                          all of it as one stream, for callers that planned
 *                                          earlier (the workbench): the lock is released when the
 *                                          stream ends, however it ends
 *
 * `panka apply` uses the parts (it plans and asks for approval while holding the lock, so its
 * plan is made on the state it runs against); the workbench plans without the lock, so its plan
 * is checked under it and refused when the state or the folder changed meanwhile.
 *
 * Invariants:
 * - The lock is taken before the state is read and held until release; nothing is read, recovered
 *   or applied without it. A failure after taking it releases it before the error propagates.
 * - While it is held the lock is watched (watchLock): a run whose lock is broken or taken starts
 *   nothing new and ends with the `lock-lost` outcome.
 * - Pending operations are resolved before anything runs on top of them; resolving writes a new
 *   state serial, so a plan made before that is refused ("plan again") and the refusal says what
 *   was resolved.
 * - A run never starts on a state or a configuration other than the plan's (checkPlanApplicable on
 *   the plan as a plan file made in memory; for a destroy only the state counts).
 * - `signals.stop` = the first ctrl+c (start nothing new, let the steps in flight finish and be
 *   saved), `signals.abort` = the second (abort them; they stay pending). Who listens for the keys
 *   or SIGINT is the caller's business; this module never touches process signals or output.
 */
import path from 'node:path';
import type {DeleteOptions, EngineEvent, Plan, Selection, StateDocument, WaitTimeouts} from '../engine/index.js';
import type {RecoveryNote} from '../engine/operations.js';
import {checkPlanApplicable, desiredHash, didYouMean, kindNames, makePlanFile, type PlanApplicability, plural} from '../engine/index.js';
import {
	acquireLock,
	type AcquireLockOptions,
	basisOf,
	deleteState,
	parseDuration,
	readState,
	readTenantNetwork,
	type StoredState,
	watchLock,
} from '../engine/backends.js';
import {saveErroredState} from './errored-state.js';
import {UsageError} from './errors.js';
import {lockRequest, type StackOperation} from './stack-operation.js';

export type StackChangeOperation = 'apply' | 'destroy';

export interface StackChangeSettings {
	operation: StackChangeOperation;
	/** How many steps run at once (--parallelism). */
	parallelism: number;
	/** How the lock is taken: --lock-timeout, the unlock command, dead holders (stackLockOptions). */
	lock: AcquireLockOptions;
	/** Keeps the final state when the backend write failed; returns where it went (erroredStateSaver). */
	saveErroredState?: (document: StateDocument) => Promise<string>;
	/** How deletions are done (--skip-final-snapshot); absent: the safe defaults. */
	deleteOptions?: DeleteOptions;
	/** Limits on waits (--wait-timeout). */
	waitTimeouts?: WaitTimeouts;
	/** How the messages spell the commands that reconcile the state (stackCommands). */
	commands?: {statePush(file: string): string; rerun(operation: StackChangeOperation): string};
	/** How often the held lock is read to notice it was lost (default 5 s). */
	lockWatchIntervalMs?: number;
}

/** First ctrl+c: `stop`. Second: `abort`. */
export interface StackChangeSignals {
	stop: AbortSignal;
	abort: AbortSignal;
}

/** The change was refused before anything ran: the message says why, the hint what to do. */
export class StackChangeRefused extends Error {
	constructor(
		message: string,
		readonly hint: string,
	) {
		super(message);
		this.name = 'StackChangeRefused';
	}
}

export interface LockedStack {
	/** The state as read under the lock, after pending operations were resolved. */
	readonly stored: StoredState | undefined;
	/** What resolving the pending operations found (empty when nothing was pending). */
	readonly recovered: readonly RecoveryNote[];
	applicability(plan: Plan): PlanApplicability;
	run(plan: Plan, selection: Selection, signals: StackChangeSignals): AsyncGenerator<EngineEvent>;
	release(): Promise<void>;
}

export async function lockStack(op: StackOperation, settings: StackChangeSettings): Promise<LockedStack> {
	const {backend} = op.session;
	const lock = await acquireLock(backend, op.key, lockRequest(op, settings.operation), settings.lock);
	const watch = watchLock(lock, settings.lockWatchIntervalMs !== undefined ? {intervalMs: settings.lockWatchIntervalMs} : {});
	let released: Promise<void> | undefined;
	const release = () => {
		watch.stop();
		released ??= lock.release().then(() => undefined);
		return released;
	};
	try {
		let stored = await readState(backend, op.key);
		let recovered: RecoveryNote[] = [];
		if (stored && stored.state.pending.length > 0) {
			const {recoverPending} = await import('../engine/operations.js');
			const network = await readTenantNetwork(backend, op.session.tenant);
			const result = await recoverPending({
				stored,
				workspace: op.workspace,
				backend,
				key: op.key,
				clients: op.tenantClients,
				region: op.region,
				accountId: op.accountId,
				...(network ? {network: network.state} : {}),
				deployedBy: op.who,
				...(settings.deleteOptions ? {deleteOptions: settings.deleteOptions} : {}),
			});
			stored = result.stored;
			recovered = result.notes;
		}
		const current = stored;
		const applicability = (plan: Plan): PlanApplicability => {
			const {key} = op;
			if (plan.tenant !== key.tenant || plan.stack !== key.stack || plan.environment !== key.environment)
				return {
					ok: false,
					reason: 'other-lineage',
					message: `the plan is for stack ${plan.stack} (${plan.environment}) of tenant ${plan.tenant}, not for ${key.stack} (${key.environment}) of ${key.tenant}`,
					hint: 'run `panka plan` again and review the new plan',
				};
			const configuration = settings.operation === 'destroy' ? plan.desiredHash : desiredHash(op.workspace);
			return checkPlanApplicable(makePlanFile(plan, {stackFolder: op.workspace.source}), current?.state, configuration);
		};
		return {
			stored: current,
			recovered,
			applicability,
			release,
			async *run(plan, selection, signals) {
				const applicable = applicability(plan);
				if (!applicable.ok) {
					const resolved =
						recovered.length > 0
							? `; first, ${plural(recovered.length, 'operation')} an interrupted run left in flight ${recovered.length === 1 ? 'was' : 'were'} resolved: ${recovered.map((n) => n.message).join('; ')}`
							: '';
					throw new StackChangeRefused(`${applicable.message}${resolved}`, applicable.hint);
				}
				const network = await readTenantNetwork(backend, op.session.tenant);
				const {applyPlan} = await import('../engine/operations.js');
				let summary: Extract<EngineEvent, {type: 'summary'}> | undefined;
				for await (const event of applyPlan({
					plan,
					selection,
					workspace: op.workspace,
					stored: current,
					backend,
					key: op.key,
					clients: op.tenantClients,
					region: op.region,
					accountId: op.accountId,
					...(network ? {network: network.state} : {}),
					parallelism: settings.parallelism,
					stop: signals.stop,
					abort: signals.abort,
					deployedBy: op.who,
					operation: settings.operation,
					...(settings.saveErroredState ? {saveErroredState: settings.saveErroredState} : {}),
					...(settings.deleteOptions ? {deleteOptions: settings.deleteOptions} : {}),
					...(settings.waitTimeouts ? {waitTimeouts: settings.waitTimeouts} : {}),
					...(settings.commands
						? {commands: {statePush: settings.commands.statePush, rerun: settings.commands.rerun(settings.operation)}}
						: {}),
					lock: watch,
				})) {
					if (event.type === 'summary') summary = event;
					yield event;
				}
				if (settings.operation === 'destroy' && summary?.outcome.kind === 'success') {
					// Everything is gone: so is the state (a later apply starts a new lineage).
					const after = await readState(backend, op.key);
					if (after && Object.keys(after.state.resources).length === 0 && after.state.pending.length === 0)
						await deleteState(backend, op.key, basisOf(after));
				}
			},
		};
	} catch (error) {
		await release();
		throw error;
	}
}

/** lockStack, run and release as one stream: the workbench's apply. */
export async function* startStackChange(
	op: StackOperation,
	plan: Plan,
	selection: Selection,
	signals: StackChangeSignals,
	settings: StackChangeSettings,
): AsyncGenerator<EngineEvent> {
	const locked = await lockStack(op, settings);
	try {
		yield* locked.run(plan, selection, signals);
	} finally {
		await locked.release();
	}
}

/** Where a state the backend refused goes: an errored-state file in `cwd` (errored-state.ts); returns the path to show. */
export function erroredStateSaver(cwd: string): (document: StateDocument) => Promise<string> {
	return async (document) => {
		const file = await saveErroredState(cwd, document);
		return path.relative(cwd, file) || file;
	};
}

/**
 * `--wait-timeout 20m` (every kind) and `--wait-timeout MicroService=45m` (one kind; repeatable,
 * or comma-separated): how long a step waits for AWS to converge before it gives up.
 */
export function parseWaitTimeouts(values: readonly string[] | undefined): WaitTimeouts | undefined {
	if (!values?.length) return undefined;
	const timeouts: {all?: number; byKind: Record<string, number>} = {byKind: {}};
	const kinds = [...kindNames, 'SecurityGroup'];
	for (const item of values.flatMap((v) => v.split(',')).map((v) => v.trim())) {
		const eq = item.indexOf('=');
		const kind = eq >= 0 ? item.slice(0, eq).trim() : undefined;
		const value = eq >= 0 ? item.slice(eq + 1).trim() : item;
		if (kind !== undefined && !kinds.includes(kind))
			throw new UsageError(`--wait-timeout ${item}: unknown kind ${kind}${didYouMean(kind, kinds)}`, `kinds: ${kinds.join(', ')}`);
		let ms: number;
		try {
			ms = parseDuration(value, '--wait-timeout');
		} catch (error) {
			throw new UsageError((error as Error).message, 'for example --wait-timeout 20m or --wait-timeout MicroService=45m');
		}
		if (ms < 1_000) throw new UsageError(`--wait-timeout ${item}: a wait limit is at least 1s`);
		if (kind) timeouts.byKind[kind] = Math.ceil(ms / 1_000);
		else timeouts.all = Math.ceil(ms / 1_000);
	}
	return timeouts;
}

/** --parallelism: 1 to 100 steps at once, 10 by default. */
export function parseParallelism(value: string | undefined): number {
	if (value === undefined) return 10;
	const n = Number(value);
	if (!Number.isInteger(n) || n < 1 || n > 100) throw new UsageError(`--parallelism ${value}: expected a whole number from 1 to 100`);
	return n;
}
