/**
 * `panka apply [folder | plan.json] [--env] [--var] [--yes] [--target addr…] [--parallelism N]
 * [--lock-timeout 30s] [--refresh] [--no-tui] [--json]` and `panka destroy [folder] [--yes]`.
 *
 * Flow: take the stack's lock (held to the end) → read the state → resolve operations a crashed
 * run left pending → plan (or load the plan file, refused when stale) → approval (the review in a
 * terminal, --yes in CI, or the plan file itself) → applyPlan, streamed to the dashboard, to lines
 * (--no-tui, with a heartbeat) or to NDJSON (--json) → release the lock.
 *
 * Ctrl-C once: start nothing new, let the steps in flight finish and be saved, exit 130. Twice:
 * abort the steps in flight (they stay pending in the state) and exit 130.
 * Exit codes: 0 done, 1 a step failed or the run was refused, 2 usage, 130 interrupted.
 */
import {stat, writeFile} from 'node:fs/promises';
import path from 'node:path';
import type {EngineEvent} from '../../engine/apply/events.js';
import {planHasChanges, type Plan} from '../../engine/plan/plan.js';
import {checkPlanApplicable, readPlanFile, savedSelection} from '../../engine/plan/plan-file.js';
import {desiredHash} from '../../engine/plan/inputs.js';
import {approveAll, type Selection} from '../../engine/plan/selection.js';
import {acquireLock} from '../../engine/state/lock.js';
import type {StateDocument} from '../../engine/state/state-document.js';
import {deleteState, readState, basisOf, type StoredState} from '../../engine/state/state-store.js';
import {readTenantNetwork} from '../../engine/tenants/tenant-network-store.js';
import {type CommandContext, canUseTui, painter, writeLine} from '../context.js';
import {UsageError} from '../errors.js';
import type {Flags} from '../flags.js';
import {ApplyLineRenderer, applyHeader} from '../render/apply-text.js';
import {renderPlanText} from '../render/plan-text.js';
import {lockRequest, openStackOperation, type StackOperation, stackLockOptions} from '../stack-operation.js';
import {refreshForPlan} from './drift.js';
import {makePlan} from './plan.js';
import {loadUi} from '../ui.js';

type Mode = 'apply' | 'destroy';

export async function applyCommand(args: string[], flags: Flags, context: CommandContext): Promise<number> {
	return runStackChange('apply', args, flags, context);
}

export async function destroyCommand(args: string[], flags: Flags, context: CommandContext): Promise<number> {
	return runStackChange('destroy', args, flags, context);
}

async function runStackChange(mode: Mode, args: string[], flags: Flags, context: CommandContext): Promise<number> {
	if (args.length > 1) throw new UsageError(`panka ${mode} takes one ${mode === 'apply' ? 'folder or plan file' : 'folder'}, got: ${args.join(' ')}`);
	const planFilePath = mode === 'apply' && args[0] && (await isFile(path.resolve(context.cwd, args[0]))) ? path.resolve(context.cwd, args[0]) : undefined;
	const planFile = planFilePath ? await readPlanFile(planFilePath) : undefined;
	if (planFile && flags.target?.length) throw new UsageError('--target cannot change a saved plan', 'plan again with --target, then apply that plan file');
	const parallelism = parseParallelism(flags.parallelism);
	const folder = planFile ? planFile.stackFolder : args[0];
	const op = await openStackOperation(context, folder, {...flags, ...(planFile ? {env: planFile.plan.environment} : {})}, {allowErrors: mode === 'destroy'});
	if ('exitCode' in op) return op.exitCode;
	const {backend} = op.session;

	const lock = await acquireLock(backend, op.key, lockRequest(op, mode), stackLockOptions(context, op, flags));
	try {
		let stored = await readState(backend, op.key);
		if (stored && stored.state.pending.length > 0) stored = await recover(op, stored, context);
		if (mode === 'destroy' && (!stored || Object.keys(stored.state.resources).length === 0)) {
			writeLine(context.stdout, `Nothing to destroy: stack ${op.key.stack} (${op.key.environment}) has no resources.`);
			if (stored) await deleteState(backend, op.key, basisOf(stored));
			return 0;
		}

		const planned = await decide(mode, op, stored, planFile, planFilePath, flags, context);
		if (typeof planned === 'number') return planned;
		const {plan, selection} = planned;
		const network = await readTenantNetwork(backend, op.session.tenant);
		const stop = new AbortController();
		const abort = new AbortController();
		const onSigint = () => (stop.signal.aborted ? abort.abort() : stop.abort());
		process.on('SIGINT', onSigint);
		try {
			const {applyPlan} = await import('../../engine/apply/apply-plan.js');
			const events = applyPlan({
				plan,
				selection,
				workspace: op.workspace,
				stored,
				backend,
				key: op.key,
				clients: op.tenantClients,
				region: op.region,
				accountId: op.accountId,
				...(network ? {network: network.state} : {}),
				parallelism,
				stop: stop.signal,
				abort: abort.signal,
				deployedBy: op.who,
				operation: mode,
				saveErroredState: (document) => saveErroredState(context, document),
			});
			const summary = await render(events, plan, op, mode, flags, context, {stop, abort});
			if (mode === 'destroy' && summary && !summary.interrupted && summary.failed.length === 0) await removeEmptyState(op);
			if (!summary) return 1;
			if (summary.interrupted) return 130;
			return summary.failed.length > 0 || summary.skipped.length > 0 ? 1 : 0;
		} finally {
			process.off('SIGINT', onSigint);
		}
	} finally {
		await lock.release();
	}

	async function removeEmptyState(operation: StackOperation) {
		const after = await readState(backend, operation.key);
		if (after && Object.keys(after.state.resources).length === 0 && after.state.pending.length === 0) await deleteState(backend, operation.key, basisOf(after));
	}
}

/** The plan to run and what is approved in it, or an exit code when there is nothing to do or no approval. */
async function decide(mode: Mode, op: StackOperation, stored: StoredState | undefined, planFile: Awaited<ReturnType<typeof readPlanFile>> | undefined, planFilePath: string | undefined, flags: Flags, context: CommandContext): Promise<{plan: Plan; selection: Selection} | number> {
	const paint = painter(context.color);
	if (planFile && planFilePath) {
		const applicable = checkPlanApplicable(planFile, stored?.state, desiredHash(op.workspace));
		if (!applicable.ok) {
			writeLine(context.stderr, `${paint('panka: refusing the saved plan:', 'red', 'bold')} ${applicable.message}`);
			writeLine(context.stderr, `${paint('hint:', 'cyan')} ${applicable.hint}`);
			return 1;
		}
		return {plan: planFile.plan, selection: savedSelection(planFile, planFilePath) ?? approveAll(planFile.plan)};
	}
	let plan: Plan | number;
	if (mode === 'destroy') {
		const {planDestroy} = await import('../../engine/plan/destroy-plan.js');
		plan = planDestroy(op.workspace, stored!.state, {createdAt: new Date().toISOString()});
	} else {
		const state = flags.refresh && stored ? (await refreshForPlan(op, stored.state, context)).state : stored?.state;
		plan = makePlan(op, state, flags, context);
	}
	if (typeof plan === 'number') return plan;
	if (!planHasChanges(plan)) {
		if (flags.json) writeLine(context.stdout, JSON.stringify({v: 1, type: 'summary', operation: mode, done: [], failed: [], skipped: [], notStarted: [], outputs: stored?.state.outputs ?? {}, durationMs: 0, interrupted: false, stateSerial: stored?.state.serial ?? 0}));
		else writeLine(context.stdout, `${paint('✓', 'green')} No changes: stack ${plan.stack} (${plan.environment}) matches the configuration.`);
		return 0;
	}
	if (flags.yes) return {plan, selection: approveAll(plan)};
	if (canUseTui(context, flags.tui) && !flags.json) {
		if (mode === 'destroy') return confirmDestroy(plan, context);
		const {runPlanReview} = await loadUi(() => import('../../components/review/run-plan-review.js'));
		const reviewed = await runPlanReview({plan});
		if (!reviewed) {
			writeLine(context.stderr, 'apply cancelled: nothing was changed');
			return 1;
		}
		if ('interrupted' in reviewed) return 130;
		return {plan, selection: reviewed.selection};
	}
	if (!flags.json) writeLine(context.stdout, renderPlanText(plan, paint));
	throw new UsageError(`panka ${mode} needs approval and there is no terminal to ask in`, `pass --yes to ${mode === 'destroy' ? 'destroy' : 'apply'} without asking (CI), or save a reviewed plan with panka plan --out and apply that file`);
}

/** Destroy in a terminal: the user types the stack name. */
async function confirmDestroy(plan: Plan, context: CommandContext): Promise<{plan: Plan; selection: Selection} | number> {
	const paint = painter(context.color);
	writeLine(context.stdout, renderPlanText(plan, paint));
	const {createInterface} = await import('node:readline/promises');
	const rl = createInterface({input: context.stdin, output: context.stdout});
	const answer = (await rl.question(`${paint(`This deletes ${plan.summary.delete} resources of ${plan.stack} (${plan.environment}) for good.`, 'red', 'bold')} Type the stack name to confirm: `)).trim();
	rl.close();
	if (answer !== plan.stack) {
		writeLine(context.stderr, 'destroy cancelled: the name did not match; nothing was deleted');
		return 1;
	}
	return {plan, selection: approveAll(plan)};
}

async function recover(op: StackOperation, stored: StoredState, context: CommandContext): Promise<StoredState> {
	const {recoverPending} = await import('../../engine/apply/recover.js');
	const network = await readTenantNetwork(op.session.backend, op.session.tenant);
	const result = await recoverPending({stored, workspace: op.workspace, backend: op.session.backend, key: op.key, clients: op.tenantClients, region: op.region, accountId: op.accountId, ...(network ? {network: network.state} : {}), deployedBy: op.who});
	const paint = painter(context.color && !!context.stderr.isTTY);
	writeLine(context.stderr, paint(`Resolving ${result.notes.length} operation${result.notes.length === 1 ? '' : 's'} an interrupted run left in flight:`, 'yellow'));
	for (const note of result.notes) writeLine(context.stderr, `  ${note.message}`);
	return result.stored;
}

/** Streams the events to the chosen view; the summary event, or undefined if the stream broke. */
async function render(events: AsyncIterable<EngineEvent>, plan: Plan, op: StackOperation, mode: Mode, flags: Flags, context: CommandContext, signals: {stop: AbortController; abort: AbortController}): Promise<Extract<EngineEvent, {type: 'summary'}> | undefined> {
	void signals;
	let summary: Extract<EngineEvent, {type: 'summary'}> | undefined;
	if (flags.json) {
		for await (const event of events) {
			writeLine(context.stdout, JSON.stringify({v: 1, ...event}));
			if (event.type === 'summary') summary = event;
		}
		return summary;
	}
	const paint = painter(context.color);
	for (const line of applyHeader(plan, op.workspace, mode, paint)) writeLine(context.stdout, line);
	const renderer = new ApplyLineRenderer(paint);
	const heartbeat = setInterval(() => {
		for (const line of renderer.heartbeat()) writeLine(context.stdout, line);
	}, 10_000);
	try {
		for await (const event of events) {
			for (const line of renderer.event(event)) writeLine(context.stdout, line);
			if (event.type === 'summary') summary = event;
		}
	} finally {
		clearInterval(heartbeat);
	}
	return summary;
}

async function saveErroredState(context: CommandContext, document: StateDocument): Promise<string> {
	const file = path.join(context.cwd, 'errored-state.json');
	await writeFile(file, `${JSON.stringify(document, null, 2)}\n`, {mode: 0o600});
	return path.relative(context.cwd, file) || file;
}

function parseParallelism(value: string | undefined): number {
	if (value === undefined) return 10;
	const n = Number(value);
	if (!Number.isInteger(n) || n < 1 || n > 100) throw new UsageError(`--parallelism ${value}: expected a whole number from 1 to 100`);
	return n;
}

async function isFile(file: string): Promise<boolean> {
	return (await stat(file).catch(() => undefined))?.isFile() ?? false;
}
