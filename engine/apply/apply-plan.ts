/**
 * applyPlan: Plan + Selection → AWS changes, streamed as EngineEvents (docs/ARCHITECTURE.md §2–§3), in the
 * spirit of Pulumi's step executor: the plan decides, this runs it, the executor schedules it.
 *
 * The steps and their order come from the step generator (steps.ts); this module binds each to
 * the operation that runs it (resource-runner.ts for a component, the stack security group's own
 * steps) and runs the event loop over the executor. A replace keeps the old resource in state as
 * `X#deposed` until its X#delete, so a crash never loses it. The stack security group's update
 * says `unchanged` in its done event when none of its rules differed.
 *
 * `apply.start` lists every step, the stack SG's included, so counts are right from the start; the
 * summary's lists name steps the same way (the stack SG's as `stack#security-group`).
 *
 * Invariants:
 * - The caller holds the stack's lock for the whole run and passes the state it read under it.
 * - Checkpoints: before an operation touches AWS its intent is recorded in `state.pending` and
 *   saved; after, its result (resource, outputs) replaces the intent and is saved. A crash at any
 *   point leaves a state that names everything that may exist (recoverPending resolves it).
 * - A first stop signal starts nothing new and lets running operations finish and be saved; an
 *   abort signals them, and what was in flight stays pending. A signal already given when the run
 *   starts counts too: every step ends not-started and the summary says `interrupted`.
 * - valueFrom is resolved from the outputs recorded so far, just before each provider runs.
 * - Names: a deployed resource is updated and deleted under the names its state records, as the
 *   plan was made (plan/names-in-use.ts); a create uses the current rule's names, and its pending
 *   operation records every name, so recovery adopts by them.
 * - If a state write fails, no further write is attempted over the unknown blob; the final document
 *   is handed to `saveErroredState` and the user is told how to push it (`panka state push`).
 * - Secrets: events and state carry redacted inputs and outputs only; provider errors are reduced
 *   to the AWS code and message.
 */
import {generateSteps, type PlannedStep} from './steps.js';
import {randomUUID} from 'node:crypto';
import type {AwsClients} from '../aws/aws-clients.js';
import {getKind} from '../kinds/registry.js';
import {deleteStackSecurityGroup, ensureStackSecurityGroup} from '../networking/stack-security-group.js';
import type {TenantNetworkState} from '../networking/tenant-network-state.js';
import {withNamesInUse} from '../plan/names-in-use.js';
import {desiredStackSecurityGroup, stackSecurityGroupAddress} from '../plan/inputs.js';
import type {Change, Plan} from '../plan/plan.js';
import {approveAll, approvedChanges, type Selection} from '../plan/selection.js';
import {type AppliedResource, type DeleteOptions, ProviderError, type WaitSettings} from '../providers/provider.js';
import {type WaitTimeouts, waitSettingsFor} from '../providers/wait.js';
import type {Backend} from '../state/backend.js';
import {entriesADestroyKeeps} from '../state/damaged-entries.js';
import type {LockWatch} from '../state/lock.js';
import {emptyState, type RunRecord, type StateDocument, type StateKey} from '../state/state-document.js';
import {basisOf, type StoredState} from '../state/state-store.js';
import type {Workspace} from '../workspace.js';
import type {EngineEvent} from './events.js';
import {type ExecutorEvent, executeOperations, type Operation, type OperationContext} from './executor.js';
import {ResourceRunner, StateNotSavedError} from './resource-runner.js';
import {type ReconcileCommands, runOutcome, type StepResult} from './outcome.js';
import {StateWriter} from './state-writer.js';
import {promotableValues, promotedNames} from '../plan/promotion.js';

export interface ApplyInput {
	plan: Plan;
	/** Default: everything in the plan. */
	selection?: Selection;
	workspace: Workspace;
	/** The state as read under the caller's lock (undefined: none yet). */
	stored: StoredState | undefined;
	backend: Backend;
	key: StateKey;
	/** AWS clients acting in the tenant's account. */
	clients: AwsClients;
	region: string;
	accountId: string;
	/** The tenant's provisioned networking; required when VPC components are applied. */
	network?: TenantNetworkState;
	parallelism?: number;
	stop?: AbortSignal;
	abort?: AbortSignal;
	now?: () => Date;
	deployedBy: string;
	wait?: WaitSettings;
	/** How deletes behave (--skip-final-snapshot). */
	deleteOptions?: DeleteOptions;
	/** Per-kind limits on waits (--wait-timeout), in seconds, over `wait`'s. */
	waitTimeouts?: WaitTimeouts;
	/** Persist the final state document when the backend write failed; returns where it went. */
	saveErroredState?: (document: StateDocument) => Promise<string>;
	operation?: 'apply' | 'destroy';
	/** The caller's watch on the stack's lock: when it is lost the run starts nothing new and says so. */
	lock?: LockWatch;
	/** How often a quiet running step is reported (default heartbeatMs, 10 s). */
	heartbeatMs?: number;
	/** The commands the outcome names to reconcile the state, as the caller spells them (folder, --env). */
	commands?: Partial<ReconcileCommands>;
}

/** A generated step (steps.ts), bound to what runs it. */
interface Step extends PlannedStep {
	run(context: OperationContext): Promise<AppliedResource | undefined>;
	/** Set by `run` when it found AWS as desired and changed nothing. */
	unchanged?: boolean;
	/** The runner of a component's change (absent for the stack security group's steps). */
	runner?: ResourceRunner;
}

export async function* applyPlan(given: ApplyInput): AsyncGenerator<EngineEvent> {
	const run = prepareRun(given);
	const stopWatchingLock = watchLock(run);
	const steps = buildSteps(run.input, run.selection, run.writer);
	yield startEvent(run, steps);
	const ledger = new StepLedger(steps);
	try {
		yield* runSteps(run, steps, ledger);
		yield* finishState(run, ledger);
	} finally {
		stopWatchingLock();
	}
	const savedTo = yield* saveFailedEvents(run);
	yield summaryEvent(run, ledger, savedTo);
}

type HaltReason = 'lock-lost' | 'state-not-saved';

/**
 * The run's own stop: it starts no new step once its lock is lost or a state write fails, since
 * nothing it did after that could be recorded safely. Each reason counts, and is reported, once.
 */
class RunHalts {
	readonly reasons: Array<{reason: HaltReason; message: string}> = [];
	readonly #controller = new AbortController();
	readonly #reported = new Set<HaltReason>();

	get signal(): AbortSignal {
		return this.#controller.signal;
	}

	haltFor(reason: HaltReason, message: string): void {
		if (this.has(reason)) return;
		this.reasons.push({reason, message});
		this.#controller.abort();
	}

	has(reason: HaltReason): boolean {
		return this.reasons.some((h) => h.reason === reason);
	}

	/** The first halt not reported yet, now counted as reported. */
	nextUnreported(): {reason: HaltReason; message: string} | undefined {
		const next = this.reasons.find((h) => !this.#reported.has(h.reason));
		if (next) this.#reported.add(next.reason);
		return next;
	}
}

/** One run's bookkeeping, shared by its phases. */
interface ApplyRun {
	/** The input, its workspace naming deployed resources as the state records (plan/names-in-use.ts). */
	input: ApplyInput;
	now: () => Date;
	at: () => string;
	/** When the run started, in epoch ms. */
	started: number;
	operation: 'apply' | 'destroy';
	selection: Selection;
	/** The plan's changes left unselected (skipped in the review, held back for approval), by address. */
	unselected: string[];
	writer: StateWriter;
	/** Serials of the state writes not reported yet (`state.saved`). */
	saved: number[];
	halts: RunHalts;
	/** The user's stop and abort, once reported. */
	reportedInterrupts: Set<'stop' | 'abort'>;
	parallelism: number;
}

/** The run's input, selection and state writer, before anything runs. */
function prepareRun(given: ApplyInput): ApplyRun {
	// Deployed resources keep the names the state records (plan/names-in-use.ts), as the plan did.
	const input = {...given, workspace: withNamesInUse(given.workspace, given.stored?.state)};
	const now = input.now ?? (() => new Date());
	const started = now().getTime();
	const operation = input.operation ?? 'apply';
	const initial = input.stored?.state ?? {...emptyState(input.key), lineage: input.plan.stateLineage ?? emptyState(input.key).lineage};
	const basis = input.stored ? basisOf(input.stored) : {serial: 0, lineage: initial.lineage};
	const saved: number[] = [];
	const halts = new RunHalts();
	const selection = input.selection ?? approveAll(input.plan);
	const changes = approvedChanges(input.plan, selection).filter((c) => c.action !== 'no-op');
	const writer = new StateWriter(initial, basis, {
		run: runRecord(input.plan, operation, changes, now),
		backend: input.backend,
		key: input.key,
		deployedBy: input.deployedBy,
		// A stack that promotes nothing records nothing; one that does records even an empty set (no stale release).
		...(promotedNames(input.workspace).length > 0 ? {variables: promotableValues(input.workspace)} : {}),
		now,
		onSaved: (serial) => saved.push(serial),
		onBroken: (error) => halts.haltFor('state-not-saved', stateWriteProblem(input, error)),
	});
	const approved = new Set(changes.map((c) => c.address));
	const unselected = input.plan.changes.filter((c) => c.action !== 'no-op' && !approved.has(c.address)).map((c) => c.address);
	return {
		input,
		now,
		at: () => now().toISOString(),
		started,
		operation,
		selection,
		unselected,
		writer,
		saved,
		halts,
		reportedInterrupts: new Set(),
		parallelism: input.parallelism ?? 10,
	};
}

/** Halts the run when its lock is lost (already, or later); returns the removal of the listener. */
function watchLock(run: ApplyRun): () => void {
	const lock = run.input.lock;
	const onLockLost = () => run.halts.haltFor('lock-lost', lock?.loss?.message ?? "the stack's lock was lost");
	if (lock?.signal.aborted) onLockLost();
	lock?.signal.addEventListener('abort', onLockLost, {once: true});
	return () => lock?.signal.removeEventListener('abort', onLockLost);
}

/** `apply.start`: every step, so counts are right from the start. */
function startEvent(run: ApplyRun, steps: readonly Step[]): EngineEvent {
	const {plan} = run.input;
	return {
		type: 'apply.start',
		at: run.at(),
		stack: plan.stack,
		tenant: plan.tenant,
		environment: plan.environment,
		operation: run.operation,
		changes: steps.map((s) => ({address: s.address, action: s.action, kind: s.kind})),
		parallelism: run.parallelism,
	};
}

/** Runs the steps over the executor, saying what each does, with the state writes, halts and interruptions as they come. */
async function* runSteps(run: ApplyRun, steps: readonly Step[], ledger: StepLedger): AsyncGenerator<EngineEvent> {
	const {input} = run;
	const operations: Operation<AppliedResource | undefined>[] = steps.map((step) => ({
		id: step.id,
		dependsOn: step.dependsOn,
		estimateMs: (getKind(step.kind)?.typicalCreateSeconds ?? 5) * 1000,
		run: step.run,
	}));
	const stop = AbortSignal.any([run.halts.signal, ...(input.stop ? [input.stop] : [])]);
	for await (const event of executeOperations(operations, {
		parallelism: run.parallelism,
		stop,
		...(input.abort ? {abort: input.abort} : {}),
		heartbeatMs: input.heartbeatMs ?? heartbeatMs,
	})) {
		yield* savedEvents(run);
		yield* haltedEvents(run);
		if (event.type === 'summary') break;
		yield* interruptedEvents(run);
		if (event.type === 'interrupt') continue;
		yield ledger.eventFor(event, run.at(), input);
	}
}

function* savedEvents(run: ApplyRun): Generator<EngineEvent> {
	while (run.saved.length > 0) yield {type: 'state.saved', at: run.at(), serial: run.saved.shift()!};
}

function* haltedEvents(run: ApplyRun): Generator<EngineEvent> {
	for (let h = run.halts.nextUnreported(); h; h = run.halts.nextUnreported())
		yield {type: 'apply.halted', at: run.at(), reason: h.reason, message: h.message};
}

/**
 * A halt is reported as such (haltedEvents); only the user's own stop or abort is an interruption,
 * said once each, as soon as the executor wakes up for it (or for anything after it).
 */
function* interruptedEvents(run: ApplyRun): Generator<EngineEvent> {
	for (const [mode, signal] of [
		['stop', run.input.stop],
		['abort', run.input.abort],
	] as const)
		if (signal?.aborted && !run.reportedInterrupts.has(mode)) {
			run.reportedInterrupts.add(mode);
			yield {type: 'apply.interrupted', at: run.at(), mode, ...signalCause(signal)};
		}
}

/**
 * Once every step has ended: the last writes and the run's record in the state. Halts are said while
 * steps can still be held back (runSteps); what the last writes or the last look at the lock find
 * is the summary's to say.
 */
async function* finishState(run: ApplyRun, ledger: StepLedger): AsyncGenerator<EngineEvent> {
	const {input, writer} = run;
	await writer.flush();
	// The run's last write says whether it made every change of the plan (history.ts): a change
	// left unselected (skipped in the review, held back for approval) makes it partial. A run that
	// lost its lock writes nothing more, and its versions end as `running` (cut short).
	if (!run.halts.has('lock-lost')) {
		const complete =
			run.unselected.length === 0 &&
			ledger.outcome.failed.length + ledger.outcome.skipped.length + ledger.outcome.notStarted.length === 0 &&
			run.halts.reasons.length === 0 &&
			!interruptedByUser(input);
		await writer.finish(complete ? 'completed' : 'partial');
	}
	yield* savedEvents(run);
	// A lock broken in the last seconds, between two reads of the watch, still counts.
	if (input.lock && !input.lock.loss) await input.lock.verify();
}

/** When a state write failed: the document saved elsewhere (`saveErroredState`) and how to push it; returns where it went. */
async function* saveFailedEvents(run: ApplyRun): AsyncGenerator<EngineEvent, string | undefined> {
	const {input, writer} = run;
	if (!writer.broken) return undefined;
	const savedTo = await input.saveErroredState?.(writer.document).catch(() => undefined);
	yield {
		type: 'state.save-failed',
		at: run.at(),
		message: stateWriteProblem(input, writer.error),
		...(savedTo ? {savedTo} : {}),
		instructions: savedTo
			? `the state of this run is in ${savedTo}; once the backend is reachable, run: ${reconcileCommands(input).statePush(savedTo)}`
			: `the state of this run could not be saved anywhere; run ${reconcileCommands(input).rerun} once the backend takes writes again`,
	};
	return savedTo;
}

/** The run's `summary`: what each step came to, the outputs, and the verdict (outcome.ts). */
function summaryEvent(run: ApplyRun, ledger: StepLedger, savedTo: string | undefined): EngineEvent {
	const {input, writer, operation} = run;
	const results = ledger.results();
	const lockLoss = input.lock?.loss;
	const interrupted = interruptedByUser(input);
	// A destroy plans nothing for a damaged entry: the state keeps it, and the stack is not gone.
	const heldBack = operation === 'destroy' ? entriesADestroyKeeps(writer.document, new Set(results.map((result) => result.address))) : [];
	const verdict = runOutcome({
		operation,
		steps: results,
		unselected: run.unselected,
		...(run.selection.withheld?.size ? {awaitingApproval: run.selection.withheld} : {}),
		...(heldBack.length > 0 ? {heldBack} : {}),
		...(interrupted ? {interrupted: signalCause(input.abort?.aborted ? input.abort : input.stop)} : {}),
		...(writer.broken ? {stateNotSaved: {message: stateWriteProblem(input, writer.error), ...(savedTo ? {savedTo} : {})}} : {}),
		...(lockLoss ? {lockLost: {message: lockLoss.message}} : {}),
		recorded: writer.saved ?? input.stored?.state ?? emptyState(input.key),
		actual: writer.document,
		commands: reconcileCommands(input),
	});
	return {
		type: 'summary',
		at: run.at(),
		operation,
		...ledger.labels(),
		outputs: {...writer.document.outputs},
		durationMs: run.now().getTime() - run.started,
		interrupted,
		stateSerial: writer.saved?.serial ?? input.stored?.state.serial ?? 0,
		outcome: verdict,
	};
}

/** The user stopped or aborted the run (a halt is not an interruption). */
function interruptedByUser(input: ApplyInput): boolean {
	return input.stop?.aborted === true || input.abort?.aborted === true;
}

/** A signal's reason, when it is a string, as the cause of an interruption. */
function signalCause(signal: AbortSignal | undefined): {cause?: string} {
	return typeof signal?.reason === 'string' ? {cause: signal.reason} : {};
}

/** What the state records about this run with every write: its operation and the changes it was asked to make. */
function runRecord(plan: Plan, operation: 'apply' | 'destroy', changes: readonly Change[], now: () => Date): RunRecord {
	const counts = {create: 0, update: 0, replace: 0, delete: 0};
	for (const change of changes) if (change.action !== 'no-op') counts[change.action]++;
	return {
		id: randomUUID(),
		operation: plan.rollback ? 'rollback' : plan.promotion ? 'promote' : operation,
		startedAt: now().toISOString(),
		changes: counts,
		outcome: 'running',
		...(plan.rollback ? {rolledBackTo: plan.rollback.serial} : {}),
		...(plan.promotion ? {promotedFrom: plan.promotion.from} : {}),
	};
}

/**
 * What each step came to, from the executor's events: the engine event each one is said as, and
 * the summary's lists (a replace's two steps named apart).
 */
class StepLedger {
	readonly byId: ReadonlyMap<string, Step>;
	readonly outcome = {done: [] as string[], failed: [] as string[], skipped: [] as string[], notStarted: [] as string[]};
	/** Steps that never touched AWS because their intent could not be saved: reported as not started. */
	readonly #unsaved = new Set<string>();

	constructor(steps: readonly Step[]) {
		this.byId = new Map(steps.map((s) => [s.id, s]));
	}

	eventFor(
		event: Exclude<ExecutorEvent<AppliedResource | undefined>, {type: 'summary' | 'interrupt'}>,
		at: string,
		input: ApplyInput,
	): EngineEvent {
		const {outcome, byId} = this;
		const step = byId.get(event.id)!;
		const base = {address: step.address, action: step.action};
		const notStarted = (): EngineEvent => {
			outcome.notStarted.push(step.id);
			return {type: 'resource.not-started', at, ...base, kind: step.kind};
		};
		switch (event.type) {
			case 'operation.start':
				return {type: 'resource.start', at, ...base, kind: step.kind};
			case 'operation.progress':
				return {type: 'resource.progress', at, ...base, phase: event.phase};
			case 'operation.heartbeat':
				return {
					type: 'resource.heartbeat',
					at,
					...base,
					kind: step.kind,
					elapsedMs: event.elapsedMs,
					...(event.phase !== undefined ? {phase: event.phase} : {}),
				};
			case 'operation.done':
				outcome.done.push(step.id);
				return {
					type: 'resource.done',
					at,
					...base,
					kind: step.kind,
					...(event.result?.physicalId ? {physicalId: event.result.physicalId} : {}),
					outputs: event.result?.outputs ?? {},
					elapsedMs: event.elapsedMs,
					...(step.unchanged ? {unchanged: true} : {}),
				};
			case 'operation.failed':
			case 'operation.aborted': {
				if (event.error instanceof StateNotSavedError) {
					this.#unsaved.add(step.id);
					return notStarted();
				}
				outcome.failed.push(step.id);
				const failure = failureOf(step, event, input);
				return {type: 'resource.failed', at, ...base, kind: step.kind, ...failure, elapsedMs: event.elapsedMs};
			}
			case 'operation.skipped': {
				if (this.#unsaved.has(event.cause)) return notStarted();
				const cause = byId.get(event.cause);
				outcome.skipped.push(step.id);
				return {
					type: 'resource.skipped',
					at,
					...base,
					kind: step.kind,
					reason: `skipped because ${cause?.address ?? event.cause} ${cause && outcome.failed.includes(cause.id) ? 'failed' : 'did not run'}`,
				};
			}
			case 'operation.not-started':
				return notStarted();
		}
	}

	results(): StepResult[] {
		return (['done', 'failed', 'skipped', 'notStarted'] as const).flatMap((kind) =>
			this.outcome[kind].map((id) => ({
				address: this.byId.get(id)!.address,
				outcome: kind === 'notStarted' ? ('not-started' as const) : kind,
			})),
		);
	}

	labels(): {done: string[]; failed: string[]; skipped: string[]; notStarted: string[]} {
		const label = (id: string) => {
			const step = this.byId.get(id)!;
			return step.action === 'replace-create' || step.action === 'replace-delete' ? `${step.address} (${step.action})` : step.address;
		};
		const {done, failed, skipped, notStarted} = this.outcome;
		return {done: done.map(label), failed: failed.map(label), skipped: skipped.map(label), notStarted: notStarted.map(label)};
	}
}

/** How often a running step is reported when it is otherwise quiet (`resource.heartbeat`). */
export const heartbeatMs = 10_000;

function stateWriteProblem(input: ApplyInput, error: unknown): string {
	return `could not save the state to ${input.backend.description}: ${(error as Error)?.message ?? String(error)}`;
}

function reconcileCommands(input: ApplyInput): ReconcileCommands {
	return {
		statePush: input.commands?.statePush ?? ((file) => `panka state push ${file}`),
		rerun: input.commands?.rerun ?? `panka ${input.operation ?? 'apply'}`,
	};
}

/** A failed step's code and message; a wait that gave up says which limit it hit and how to raise it. */
function failureOf(
	step: Step,
	event: {type: 'operation.failed' | 'operation.aborted'; error?: unknown},
	input: ApplyInput,
): {code: string; message: string} {
	if (event.type === 'operation.aborted') return {code: 'Aborted', message: 'aborted; recorded as pending, the next run resolves it'};
	const error = event.error as {code?: string; name?: string; message?: string} | undefined;
	const code = error?.code ?? error?.name ?? 'Error';
	const message = error?.message ?? String(event.error);
	if (code !== 'WaitTimeout') return {code, message};
	const limit = waitSettingsFor(input.wait, input.waitTimeouts, step.kind).maxWaitTime;
	const recorded = step.runner?.recordedAfterTimeout
		? `; it exists in AWS and is recorded as failed: the next apply checks it and waits again`
		: '';
	return {
		code,
		message: `${message} (the ${step.kind} wait limit is ${formatSeconds(limit)}; --wait-timeout ${step.kind}=${formatSeconds(limit * 2)} waits longer)${recorded}`,
	};
}

function formatSeconds(seconds: number): string {
	if (seconds % 3600 === 0) return `${seconds / 3600}h`;
	if (seconds % 60 === 0) return `${seconds / 60}m`;
	return `${seconds}s`;
}

/** The generator's steps (steps.ts), each bound to the operation that runs it. */
function buildSteps(input: ApplyInput, selection: Selection, writer: StateWriter): Step[] {
	const recordedGroup = writer.document.networking.stackSecurityGroupId;
	const planned = generateSteps(input.plan, selection, {
		stackSecurityGroupRecorded: recordedGroup !== undefined,
		tenantNetworkKnown: input.network !== undefined,
	});
	return planned.map((planned): Step => {
		if (planned.address === stackSecurityGroupAddress) {
			if (planned.action === 'delete') return deleteStackSecurityGroupStep(input, writer, recordedGroup!, planned.dependsOn);
			const reconcile = stackSecurityGroupStep(input, writer, planned.action === 'create' ? 'create' : 'update');
			reconcile.dependsOn = planned.dependsOn; // its run marks the step object itself `unchanged`
			return reconcile;
		}
		const change = planned.change!;
		const runner = new ResourceRunner(change, input, writer);
		const base = {
			id: planned.id,
			address: planned.address,
			action: planned.action,
			kind: planned.kind,
			change,
			dependsOn: planned.dependsOn,
		};
		switch (planned.action) {
			case 'create':
			case 'update':
				return {...base, runner, run: (ctx) => runner.createOrUpdate(ctx, planned.action as 'create' | 'update')};
			case 'replace-create':
				return {
					...base,
					runner,
					run: (ctx) =>
						change.replaceStrategy === 'create-before-delete' ? runner.createReplacement(ctx) : runner.createOrUpdate(ctx, 'create'),
				};
			case 'replace-delete':
				return {...base, run: (ctx) => runner.delete(ctx, 'replace-delete')};
			default:
				return {...base, run: (ctx) => runner.delete(ctx, 'delete')};
		}
	});
}

/** Create the stack SG (`create`: the state records none) or reconcile its rules (`update`). */
function stackSecurityGroupStep(input: ApplyInput, writer: StateWriter, action: 'create' | 'update'): Step {
	const step: Step = {
		id: stackSecurityGroupAddress,
		address: stackSecurityGroupAddress,
		action,
		kind: 'SecurityGroup',
		dependsOn: [],
		async run(ctx) {
			const network = input.network;
			const group = input.workspace.stack.networking;
			if (!network || !group)
				throw new ProviderError(
					`tenant ${input.key.tenant} has no provisioned networking: run panka admin tenant update ${input.key.tenant} (or ask the platform admin)`,
					'NoTenantNetwork',
				);
			const ensured = await ensureStackSecurityGroup(
				{
					clients: input.clients,
					signal: ctx.signal,
					progress: ctx.progress,
					tags: {...stackGroupTags(input.key), Name: group.stackGroup.name},
					wait: waitSettingsFor(input.wait, input.waitTimeouts, 'SecurityGroup'),
				},
				{
					name: group.stackGroup.name,
					vpcId: network.vpcId,
					tenantSecurityGroupId: network.defaultSecurityGroupId,
					ingress: group.stackIngress,
					egress: group.stackEgress,
				},
			);
			const applied = desiredStackSecurityGroup(input.workspace)?.inputs;
			await writer.commit((draft) => {
				draft.networking = {
					...draft.networking,
					vpcId: network.vpcId,
					subnetIds: {public: network.subnets.public.map((s) => s.id), private: network.subnets.private.map((s) => s.id)},
					securityGroupId: network.defaultSecurityGroupId,
					stackSecurityGroupId: ensured.groupId,
					stackSecurityGroupName: group.stackGroup.name,
					...(applied ? {stackSecurityGroupInputs: applied} : {}),
				};
			});
			step.unchanged = action === 'update' && ensured.action === 'adopted';
			return {physicalId: ensured.groupId, outputs: {securityGroupId: ensured.groupId}};
		},
	};
	return step;
}

/** The stack SG's identity tags: the stack's, and the shared role (what its ownership is checked against). */
function stackGroupTags(key: StateKey): Record<string, string> {
	return {'panka:tenant': key.tenant, 'panka:stack': key.stack, 'panka:env': key.environment, 'panka:component': 'stack-security-group'};
}

/** Delete the stack SG once nothing recorded runs in the VPC any more (`after`: every other step of the run). */
function deleteStackSecurityGroupStep(input: ApplyInput, writer: StateWriter, groupId: string, after: string[]): Step {
	return {
		id: stackSecurityGroupAddress,
		address: stackSecurityGroupAddress,
		action: 'delete',
		kind: 'SecurityGroup',
		dependsOn: after,
		async run(ctx) {
			const left = Object.entries(writer.document.resources)
				.filter(([, resource]) => resource.inputs.networking !== undefined)
				.map(([address]) => address);
			if (left.length > 0)
				throw new ProviderError(
					`${left.length} resource${left.length === 1 ? ' in the tenant VPC is' : 's in the tenant VPC are'} still recorded (${left.join(', ')}): the stack security group is kept until they are deleted`,
					'ResourcesRemain',
				);
			await deleteStackSecurityGroup(
				{
					clients: input.clients,
					signal: ctx.signal,
					progress: ctx.progress,
					tags: stackGroupTags(input.key),
					wait: waitSettingsFor(input.wait, input.waitTimeouts, 'SecurityGroup'),
				},
				{groupId, name: input.workspace.stack.networking?.stackGroup.name ?? '', vpcId: input.network!.vpcId},
			);
			await writer.commit((draft) => {
				delete draft.networking.stackSecurityGroupId;
				delete draft.networking.stackSecurityGroupName;
				delete draft.networking.stackSecurityGroupInputs;
			});
			return {physicalId: groupId, outputs: {}};
		},
	};
}
