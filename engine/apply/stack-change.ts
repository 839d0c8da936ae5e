/**
 * One change to a stack's resources (apply or destroy) around applyPlan: lock → recover → staleness
 * check → apply → release, what `panka apply`, `panka destroy` and the workbench's apply service all
 * do, in one place. The providers load (by import()) only when something is recovered or applied.
 *
 *   lockStack(target, settings)                take the stack's lock (held: LockHeldError, naming its
 *                                          holder and the unlock command), read the state, resolve
 *                                          the operations a crashed run left pending
 *   locked.applicability(plan)             may this plan still run (state lineage and serial,
 *                                          configuration hash, stack identity)?
 *   locked.run(plan, selection, signals)   refuse a stale plan (StackChangeRefused), read the
 *                                          tenant's network, stream applyPlan's events; after a
 *                                          complete destroy, remove the empty state
 *   locked.release()                       give the lock back (once; later calls do nothing);
 *                                          resolves with what to tell the user when the backend
 *                                          could not be reached to remove it (never throws: the
 *                                          run's outcome is already decided and stays true)
 *   previewStackRecovery(target, stored)     read-only, for `panka plan` and the workbench: the lock if
 *                                          one is held (dead or alive) and how the next apply will
 *                                          resolve what a cut-off run left in flight, with the state
 *                                          the next plan will be made on
 *   startStackChange(target, plan, selection, signals, settings)
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
 *   was resolved, unless the plan was made on the foreseen recovery (previewStackRecovery,
 *   `plan.recovery`) and the recovery resolved exactly those operations the same way.
 * - A run never starts on a state or a configuration other than the plan's (checkPlanApplicable on
 *   the plan as a plan file made in memory; for a destroy only the state counts).
 * - `signals.stop` = the first ctrl+c (start nothing new, let the steps in flight finish and be
 *   saved), `signals.abort` = the second (abort them; they stay pending). Who listens for the keys
 *   or SIGINT is the caller's business; this module never touches process signals or output.
 */
import os from 'node:os';
import {desiredHash} from '../plan/inputs.js';
import {checkPlanApplicable, makePlanFile, type PlanApplicability} from '../plan/plan-file.js';
import type {Plan, PlannedRecovery} from '../plan/plan.js';
import type {Selection} from '../plan/selection.js';
import {plural} from '../presentation.js';
import {
	acquireLock,
	type AcquireLockOptions,
	describeLockForPlan,
	type LockRequest,
	readLock,
	unlockCommand,
	watchLock,
} from '../state/lock.js';
import type {Backend} from '../state/backend.js';
import type {StateDocument, StateKey} from '../state/state-document.js';
import {basisOf, deleteState, readState, type StoredState} from '../state/state-store.js';
import type {TenantNetworkState} from '../networking/tenant-network-state.js';
import {readTenantNetwork} from '../tenants/tenant-network-store.js';
import type {Workspace} from '../workspace.js';
import type {AwsClients} from '../aws/aws-clients.js';
import type {DeleteOptions} from '../providers/provider.js';
import type {WaitTimeouts} from '../providers/wait.js';
import type {EngineEvent} from './events.js';
import type {RecoveryNote} from './recover.js';

/** The stack and environment a change acts on, with what it needs to reach them. */
export interface StackTarget {
	backend: Backend;
	key: StateKey;
	workspace: Workspace;
	/** Clients acting in the tenant's AWS account. */
	tenantClients: AwsClients;
	region: string;
	accountId: string;
	/** user@host, recorded as deployedBy and in locks. */
	who: string;
}

export type StackChangeOperation = 'apply' | 'destroy';

export interface StackChangeSettings {
	operation: StackChangeOperation;
	/** How many steps run at once (--parallelism). */
	parallelism: number;
	/** How the lock is taken: --lock-timeout, the unlock command, dead holders. */
	lock: AcquireLockOptions;
	/** What the lock records about this process (operation, who, host, pid, version). */
	holder: LockRequest;
	/** Keeps the final state when the backend write failed; returns where it went. */
	saveErroredState?: (document: StateDocument) => Promise<string>;
	/** How deletions are done (--skip-final-snapshot); absent: the safe defaults. */
	deleteOptions?: DeleteOptions;
	/** Limits on waits (--wait-timeout). */
	waitTimeouts?: WaitTimeouts;
	/** How the messages spell the commands that reconcile the state. */
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
	/** Undefined when the lock was given back; otherwise why it could not be, and what to run. */
	release(): Promise<string | undefined>;
}

export async function lockStack(op: StackTarget, settings: StackChangeSettings): Promise<LockedStack> {
	const {backend} = op;
	const lock = await acquireLock(backend, op.key, settings.holder, settings.lock);
	const watch = watchLock(lock, settings.lockWatchIntervalMs !== undefined ? {intervalMs: settings.lockWatchIntervalMs} : {});
	let released: Promise<string | undefined> | undefined;
	const release = () => {
		watch.stop();
		released ??= lock.release().then(
			() => undefined,
			(error: unknown) =>
				`the stack's lock ${lock.info.id} could not be removed (${(error as Error).message ?? String(error)}); a later run on this host takes it over as this process has ended; elsewhere, run: ${(settings.lock.formatUnlockCommand ?? unlockCommand)(lock.info.id, op.key)}`,
		);
		return released;
	};
	try {
		let stored = await readState(backend, op.key);
		const beforeRecovery = stored;
		let recovered: RecoveryNote[] = [];
		if (stored && stored.state.pending.length > 0) {
			const {recoverPending} = await import('../operations.js');
			const network = await readTenantNetwork(backend, op.key.tenant);
			const inFlight = stored.state.pending.length;
			const result = await recoverPending({
				stored,
				...inAws(op, network?.state),
				...(settings.deleteOptions ? {deleteOptions: settings.deleteOptions} : {}),
			}).catch((error: unknown) => {
				// AWS or the backend could not be read to resolve them (throttled, unreachable): an expected failure.
				throw new StackChangeRefused(
					`the ${inFlight} operation${inFlight === 1 ? '' : 's'} a cut-off run left in flight could not be resolved: ${(error as Error).message ?? String(error)}; nothing was planned or applied on top of ${inFlight === 1 ? 'it' : 'them'}`,
					`${inFlight === 1 ? 'it stays' : 'they stay'} recorded in the state: run the same command again once AWS answers`,
				);
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
			// A plan made on the foreseen recovery stands on the state before it, once the recovery did just that.
			const basis = plan.recovery?.length && resolvedAsForeseen(plan.recovery, recovered) ? beforeRecovery : current;
			return checkPlanApplicable(makePlanFile(plan, {stackFolder: op.workspace.source}), basis?.state, configuration);
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
				const network = await readTenantNetwork(backend, op.key.tenant);
				const {applyPlan} = await import('../operations.js');
				let summary: Extract<EngineEvent, {type: 'summary'}> | undefined;
				for await (const event of applyPlan({
					plan,
					selection,
					stored: current,
					...inAws(op, network?.state),
					parallelism: settings.parallelism,
					stop: signals.stop,
					abort: signals.abort,
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
					// Everything is gone: so is the state (a later apply starts a new lineage). The outcome is
					// said already and stays true if this fails: an empty state left behind is removed by the
					// next destroy ("Nothing to destroy") and an apply builds on it as on none.
					const after = await readState(backend, op.key).catch(() => undefined);
					if (after && Object.keys(after.state.resources).length === 0 && after.state.pending.length === 0)
						await deleteState(backend, op.key, basisOf(after)).catch(() => undefined);
				}
			},
		};
	} catch (error) {
		await release();
		throw error;
	}
}

/** Where a recovery or an apply acts: the target's state, its clients and account, the tenant's network, who acts. */
function inAws(op: StackTarget, network: TenantNetworkState | undefined) {
	return {
		workspace: op.workspace,
		backend: op.backend,
		key: op.key,
		clients: op.tenantClients,
		region: op.region,
		accountId: op.accountId,
		...(network ? {network} : {}),
		deployedBy: op.who,
	};
}

/** Whether the recovery resolved exactly the operations the plan foresaw, each the same way. */
function resolvedAsForeseen(foreseen: readonly PlannedRecovery[], recovered: readonly RecoveryNote[]): boolean {
	const key = (n: {address: string; outcome: string}) => `${n.address} ${n.outcome}`;
	const done = recovered.map(key).sort();
	const planned = foreseen.map(key).sort();
	return done.length === planned.length && done.every((entry, i) => entry === planned[i]);
}

export interface RecoveryPreview {
	/** The stack's lock, when one is held: whose, and whether its holder is gone. */
	lock?: {dead: boolean; message: string};
	/** How the next apply resolves each operation left in flight (empty: none). */
	notes: RecoveryNote[];
	/** The state the next apply plans on, once it has resolved them (as stored when nothing is pending). */
	state: StateDocument | undefined;
	/** AWS could not be read to foresee the resolution: the plan is then made on the recorded state. */
	problem?: string;
}

export async function previewStackRecovery(op: StackTarget, stored: StoredState | undefined): Promise<RecoveryPreview> {
	const {backend} = op;
	const holder = await readLock(backend, op.key);
	const lock = holder ? describeLockForPlan(holder, os.hostname()) : undefined;
	const base = {...(lock ? {lock} : {}), notes: [], state: stored?.state};
	if (!stored || stored.state.pending.length === 0) return base;
	try {
		const {previewRecovery} = await import('../operations.js');
		const network = await readTenantNetwork(backend, op.key.tenant);
		const {state, notes} = await previewRecovery({
			stored,
			workspace: op.workspace,
			key: op.key,
			clients: op.tenantClients,
			region: op.region,
			accountId: op.accountId,
			...(network ? {network: network.state} : {}),
		});
		return {...base, notes, state};
	} catch (error) {
		return {
			...base,
			problem: `AWS could not be read to foresee how the next apply resolves ${stored.state.pending.length} operation${stored.state.pending.length === 1 ? '' : 's'} left in flight (${(error as Error).message ?? String(error)}): this plan is made on the recorded state`,
		};
	}
}

/** A recovery preview in words: the lock and the summary (headlines), then one line per operation left in flight. */
export function recoverySentences(preview: RecoveryPreview): {headlines: string[]; notes: string[]} {
	const headlines: string[] = [];
	if (preview.lock) headlines.push(preview.lock.message);
	if (preview.problem) headlines.push(preview.problem);
	const count = preview.notes.length;
	if (count > 0)
		headlines.push(
			`A run was cut short: ${count} operation${count === 1 ? '' : 's'} left in flight; the next apply resolves ${count === 1 ? 'it' : 'them'} first, and the plan below is made on the result:`,
		);
	return {headlines, notes: preview.notes.map((note) => note.message)};
}

/** The plan as made on a recovery preview: it carries what it foresaw (nothing when nothing was pending). */
export function withForeseenRecovery(plan: Plan, preview: RecoveryPreview): Plan {
	if (preview.notes.length === 0 || preview.problem) return plan;
	return {...plan, recovery: preview.notes.map(({address, outcome, message}) => ({address, outcome, message}))};
}

/** lockStack, run and release as one stream: the workbench's apply. */
export async function* startStackChange(
	op: StackTarget,
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
