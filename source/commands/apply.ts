/**
 * `panka apply [folder | plan.json] [--env] [--var] [--yes] [--target addr…] [--parallelism N]
 * [--lock-timeout 30s] [--refresh] [--no-tui] [--json]` and `panka destroy [folder] [--yes]`.
 *
 * Flow: take the stack's lock (held to the end) → read the state → resolve operations a crashed
 * run left pending → plan (or load the plan file, refused when stale) → approval (the review in a
 * terminal, --yes in CI, or the plan file itself) → applyPlan, streamed to the dashboard, to lines
 * (--no-tui, with a heartbeat) or to NDJSON (--json) → release the lock. The lock, the recovery,
 * the staleness check and applyPlan are engine/apply/stack-change.ts, shared with the workbench.
 *
 * Ctrl-C once: start nothing new, let the steps in flight finish and be saved, exit 130. Twice:
 * abort the steps in flight (they stay pending in the state) and exit 130. On the dashboard Ink
 * reads the terminal in raw mode, so ^C arrives as a key (the dashboard calls stop / abort) and
 * never as SIGINT; interruptions.ts serves every other run (--no-tui, --json, `kill -INT`) and
 * treats SIGTERM, SIGHUP and a closed stdout or stderr the same way, with their own exit codes.
 * Exit codes come from the engine's outcome (errors.ts outcomeExitCode): 0 done (also when the
 * user chose to skip changes), 1 a step failed, the state could not be saved, the lock was lost
 * or the run was refused, 2 usage, 130/143/129/141 interrupted.
 */
import {stat} from 'node:fs/promises';
import path from 'node:path';
import type {RecoveryNote} from '../../engine/operations.js';
import {
	approvalRuleOf,
	approveAll,
	noChangesSummary,
	type Plan,
	type Promotion,
	planHasChanges,
	plural,
	promotionVars,
	readPlanFile,
	savedSelection,
	type Selection,
	stackSecurityGroupAddress,
	unattendedSelection,
} from '../../engine/index.js';
import {basisOf, deleteState, type LockedStack, lockStack, readState} from '../../engine/backends.js';
import {type CommandContext, canUseTui, painter, writeLine} from '../context.js';
import {exitCodes, outcomeExitCode, UsageError} from '../errors.js';
import {typedConfirmation} from '../prompt.js';
import {listenForInterruptions} from '../interruptions.js';
import type {Flags} from '../flags.js';
import {toneStyle} from '../render/apply-text.js';
import {renderPlanText} from '../render/plan-text.js';
import {jsonEvent} from '../render/json.js';
import {erroredStateSaver, parseParallelism, parseWaitTimeouts} from '../stack-change.js';
import {lockRequest, openStackOperation, type StackOperation, stackCommands, stackLockOptions} from '../stack-operation.js';
import {confirmProtectedEnvironment} from '../protected-environment.js';
import {recheck, type RollbackRequest, type RolledBack, rollBackOperation} from '../rollback-source.js';
import {refreshForPlan} from './drift.js';
import {makePlan} from './plan.js';
import {type CostSources, costSources, pricePlan, refuseOverBudget} from '../plan-cost.js';
import {loadUi} from '../ui.js';
import {applyViews} from '../views/apply-view.js';
import {chooseView} from '../views/view.js';

type Mode = 'apply' | 'destroy';

export async function applyCommand(args: string[], flags: Flags, context: CommandContext): Promise<number> {
	return runStackChange('apply', args, flags, context);
}

/** An apply that promotes another environment's values (`panka promote`): the flags already carry them as --var. */
export async function promoteApply(args: string[], flags: Flags, context: CommandContext, promotion: Promotion): Promise<number> {
	return runStackChange('apply', args, flags, context, promotion);
}

/** An apply of an earlier deployment's configuration (`panka rollback --to`). */
export async function rollbackApply(args: string[], flags: Flags, context: CommandContext, request: RollbackRequest): Promise<number> {
	return runStackChange('apply', args, flags, context, undefined, request);
}

export async function destroyCommand(args: string[], flags: Flags, context: CommandContext): Promise<number> {
	return runStackChange('destroy', args, flags, context);
}

async function runStackChange(
	mode: Mode,
	args: string[],
	flags: Flags,
	context: CommandContext,
	promotion?: Promotion,
	rollback?: RollbackRequest,
): Promise<number> {
	if (args.length > 1)
		throw new UsageError(`panka ${mode} takes one ${mode === 'apply' ? 'folder or plan file' : 'folder'}, got: ${args.join(' ')}`);
	// A file argument is a saved plan, unless it is YAML: a stack file (the whole stack in one file).
	const planFilePath =
		mode === 'apply' && args[0] && !/\.ya?ml$/i.test(args[0]) && (await isFile(path.resolve(context.cwd, args[0])))
			? path.resolve(context.cwd, args[0])
			: undefined;
	const planFile = planFilePath ? await readPlanFile(planFilePath) : undefined;
	// Read before anything is locked: a bad --prices or --usage file is a usage error.
	const costs = await costSources(context, flags);
	if (planFile && flags.target?.length)
		throw new UsageError('--target cannot change a saved plan', 'plan again with --target, then apply that plan file');
	// A saved plan carries the variables it was planned with: the folder is loaded with exactly those.
	if (planFile && flags.var?.length)
		throw new UsageError(
			'--var cannot change a saved plan: it carries the variables it was planned with',
			'plan again with the new --var values, then apply that plan file',
		);
	const planVars = planFile?.vars ? Object.entries(planFile.vars).map(([name, value]) => `${name}=${value}`) : undefined;
	const parallelism = parseParallelism(flags.parallelism);
	const waitTimeouts = parseWaitTimeouts(flags.waitTimeout);
	const folder = planFile ? planFile.stackFolder : args[0];
	// A saved promotion plan is checked against the folder resolved with the values it promotes.
	const promoted = planFile?.plan.promotion ?? promotion;
	// A saved rollback plan is checked against the configuration of the deployment it restores.
	const rollbackRequest = planFile?.plan.rollback
		? {serial: planFile.plan.rollback.serial, lineage: planFile.plan.rollback.lineage}
		: rollback;
	const opened = await openStackOperation(
		context,
		folder,
		{
			...flags,
			...(planFile ? {env: planFile.plan.environment} : {}),
			...(planVars || planFile?.plan.promotion
				? {var: [...(planVars ?? flags.var ?? []), ...(planFile?.plan.promotion ? promotionVars(planFile.plan.promotion) : [])]}
				: {}),
		},
		{allowErrors: mode === 'destroy'},
	);
	if ('exitCode' in opened) return opened.exitCode;
	const {op, rolled} = rollbackRequest ? await rollBackOperation(opened, rollbackRequest) : {op: opened, rolled: undefined};
	await confirmProtectedEnvironment(context, flags, {
		environment: op.key.environment,
		protected: op.workspace.environmentSettings?.protected === true,
		action: rolled ? 'roll back' : promoted ? 'promote to' : mode,
	});

	const commands = stackCommands(context, op);
	const locked = await lockStack(op, {
		operation: mode,
		parallelism,
		lock: stackLockOptions(context, op, flags),
		holder: lockRequest(op, mode),
		saveErroredState: erroredStateSaver(context.cwd),
		...(flags.skipFinalSnapshot ? {deleteOptions: {skipFinalSnapshot: true}} : {}),
		...(waitTimeouts ? {waitTimeouts} : {}),
		commands,
	});
	// From here the lock is held: an interruption (Ctrl-C, SIGTERM, SIGHUP, a closed output) stops
	// the change cleanly and the lock is released, never left behind.
	const stop = new AbortController();
	const abort = new AbortController();
	const interruptions = listenForInterruptions(context, {stop, abort});
	// A second interruption before anything runs (planning, the review) does not wait for the plan.
	const abandon = () => void locked.release().finally(() => process.exit(interruptions.first?.exitCode ?? exitCodes.interrupted));
	abort.signal.addEventListener('abort', abandon, {once: true});
	try {
		if (locked.recovered.length > 0) reportRecovery(locked.recovered, context);
		const {stored} = locked;
		if (rolled) recheck(rolled, stored?.state);
		// A stack security group can outlive the resources (its delete failed, e.g. on Lambda ENIs AWS was still releasing): the destroy deletes it then.
		if (
			mode === 'destroy' &&
			(!stored || (Object.keys(stored.state.resources).length === 0 && !stored.state.networking.stackSecurityGroupId))
		) {
			writeLine(context.stdout, `Nothing to destroy: stack ${op.key.stack} (${op.key.environment}) has no resources.`);
			if (stored) await deleteState(op.session.backend, op.key, basisOf(stored));
			await sweepAfterDestroy(op, flags, context);
			return 0;
		}

		const planned = await decide(mode, op, locked, planFile, planFilePath, flags, context, promoted, costs, rolled);
		if (typeof planned === 'number') return planned;
		if (stop.signal.aborted) {
			writeLine(context.stderr, `${mode} stopped before it started: nothing was changed`);
			return interruptions.first?.exitCode ?? exitCodes.interrupted;
		}
		abort.signal.removeEventListener('abort', abandon);
		const {plan, selection} = planned;
		const events = locked.run(plan, selection, {stop: stop.signal, abort: abort.signal});
		const summary = await chooseView(applyViews, flags, context).run({
			events,
			plan,
			selection,
			workspace: op.workspace,
			operation: mode,
			onStop: () => stop.abort(),
			onAbort: () => abort.abort(),
		});
		if (!summary) return exitCodes.errors;
		if (mode === 'destroy' && summary.outcome.kind === 'success') await sweepAfterDestroy(op, flags, context);
		return outcomeExitCode(summary.outcome, interruptions.first);
	} finally {
		abort.signal.removeEventListener('abort', abandon);
		interruptions.dispose();
		// The outcome is decided already: a lock that could not be removed is said, never a failure of the run.
		const left = await locked.release();
		if (left) writeLine(context.stderr, `${painter(context.color && !!context.stderr.isTTY)('warning:', 'yellow', 'bold')} ${left}`);
	}
}

/** The plan to run and what is approved in it, or an exit code when there is nothing to do or no approval. */
async function decide(
	mode: Mode,
	op: StackOperation,
	locked: LockedStack,
	planFile: Awaited<ReturnType<typeof readPlanFile>> | undefined,
	planFilePath: string | undefined,
	flags: Flags,
	context: CommandContext,
	promotion: Promotion | undefined,
	costs: CostSources,
	rolled?: RolledBack,
): Promise<{plan: Plan; selection: Selection} | number> {
	const paint = painter(context.color);
	const {stored} = locked;
	if (planFile && planFilePath) {
		const applicable = locked.applicability(planFile.plan);
		if (!applicable.ok) {
			writeLine(context.stderr, `${paint('panka: refusing the saved plan:', 'red', 'bold')} ${applicable.message}`);
			writeLine(context.stderr, `${paint('hint:', 'cyan')} ${applicable.hint}`);
			return 1;
		}
		// The budget is checked again now: other stacks of the tenant may have grown since the plan was saved.
		const saved = await pricePlan(op, planFile.plan, stored?.state, costs);
		const refused = refuseOverBudget(saved, op.session.config, context);
		if (refused !== undefined) return refused;
		// A reviewed selection was approved change by change; a plan saved without one is applied as --yes would.
		const reviewed = savedSelection(planFile, planFilePath);
		return reviewed ? {plan: saved, selection: reviewed} : unattended(saved, op, flags, context);
	}
	let plan: Plan | number;
	if (mode === 'destroy') {
		const {planDestroy} = await import('../../engine/index.js');
		// Priced too, to say what it saves; a destroy only lowers the tenant's total, so the budget never refuses it.
		plan = await pricePlan(op, planDestroy(op.workspace, stored!.state, {createdAt: new Date().toISOString()}), stored!.state, costs);
	} else {
		const refreshed = flags.refresh && stored ? await refreshForPlan(op, stored.state, context) : undefined;
		plan = makePlan(op, refreshed?.state ?? stored?.state, flags, context, refreshed?.drift, promotion, rolled);
		if (typeof plan !== 'number') {
			plan = await pricePlan(op, plan, refreshed?.state ?? stored?.state, costs);
			if (!flags.json && plan.cost?.budget?.refused) writeLine(context.stdout, renderPlanText(plan, paint));
			const refused = refuseOverBudget(plan, op.session.config, context);
			if (refused !== undefined) return refused;
		}
	}
	if (typeof plan === 'number') return plan;
	const onlyTheGroup = mode === 'destroy' && plan.changes.every((c) => c.address === stackSecurityGroupAddress);
	const leftoverGroup = onlyTheGroup ? stored?.state.networking.stackSecurityGroupId : undefined;
	if (leftoverGroup)
		writeLine(
			context.stdout,
			`Only the stack's security group ${leftoverGroup} is left (an earlier destroy could not delete it): deleting it.`,
		);
	if (!planHasChanges(plan)) {
		// Nothing runs, so the engine's verdict is made here: the summary and line a run with nothing to do ends with.
		const summary = noChangesSummary(mode, stored?.state, new Date().toISOString());
		if (flags.json) writeLine(context.stdout, jsonEvent(summary));
		else {
			for (const detail of summary.outcome.details) writeLine(context.stdout, `  ${detail}`);
			writeLine(context.stdout, paint(summary.outcome.headline, toneStyle[summary.outcome.tone], 'bold'));
		}
		return outcomeExitCode(summary.outcome);
	}
	if (flags.yes) return mode === 'destroy' ? {plan, selection: approveAll(plan)} : unattended(plan, op, flags, context);
	if (canUseTui(context, flags.tui) && !flags.json) {
		if (mode === 'destroy') return confirmDestroy(plan, context);
		const {runPlanReview} = await loadUi(context, () => import('../../components/review/run-plan-review.js'));
		const reviewed = await runPlanReview({plan, intent: 'apply'});
		if (!reviewed) {
			writeLine(context.stderr, 'apply cancelled: nothing was changed');
			return 1;
		}
		if ('interrupted' in reviewed) return 130;
		return {plan, selection: reviewed.selection};
	}
	if (!flags.json) writeLine(context.stdout, renderPlanText(plan, paint));
	throw new UsageError(
		`panka ${mode} needs approval and there is no terminal to ask in`,
		mode === 'destroy'
			? 'pass --yes to destroy without asking (CI)'
			: 'pass --yes to apply without asking (CI), or save a reviewed plan with panka plan --out and apply that file',
	);
}

/**
 * What an apply without a review runs, under the tenant's requireApproval (engine/plan/approval.ts):
 * the changes that widen access only with --approve-broadening (the others run, and the outcome
 * names what waits); under any-change nothing, refused here.
 */
function unattended(plan: Plan, op: StackOperation, flags: Flags, context: CommandContext): {plan: Plan; selection: Selection} | number {
	const rule = approvalRuleOf(op.workspace.tenant?.config);
	if (rule === 'any-change' && planHasChanges(plan)) {
		const paint = painter(context.stderrColor);
		writeLine(
			context.stderr,
			`${paint('panka: apply refused:', 'red', 'bold')} tenant ${plan.tenant} requires every change to be approved in a review (requireApproval: any-change); --yes is not enough`,
		);
		writeLine(
			context.stderr,
			`${paint('hint:', 'cyan')} run panka apply in a terminal, or review with panka plan --out FILE in a terminal and apply that file`,
		);
		return exitCodes.errors;
	}
	const selection = unattendedSelection(plan, {
		approveBroadening: flags.approveBroadening === true,
		rule,
		how: 'pass --approve-broadening to apply it',
	});
	if (selection.withheld && !flags.json)
		writeLine(
			context.stderr,
			`${painter(context.stderrColor)('⚠', 'yellow')} ${plural(selection.withheld.size, 'change')} that ${selection.withheld.size === 1 ? 'widens' : 'widen'} access ${selection.withheld.size === 1 ? 'is' : 'are'} held back (tenant ${plan.tenant}: requireApproval ${rule}); --approve-broadening applies ${selection.withheld.size === 1 ? 'it' : 'them'} too`,
		);
	return {plan, selection};
}

/** Destroy in a terminal: the user types the stack name. */
async function confirmDestroy(plan: Plan, context: CommandContext): Promise<{plan: Plan; selection: Selection} | number> {
	const paint = painter(context.color);
	writeLine(context.stdout, renderPlanText(plan, paint));
	const question = `${paint(`This deletes ${plural(plan.summary.delete, 'resource')} of ${plan.stack} (${plan.environment}) for good.`, 'red', 'bold')} Type the stack name to confirm: `;
	if (!(await typedConfirmation(context, question, plan.stack))) {
		writeLine(context.stderr, 'destroy cancelled: the name did not match; nothing was deleted');
		return 1;
	}
	return {plan, selection: approveAll(plan)};
}

function reportRecovery(notes: readonly RecoveryNote[], context: CommandContext): void {
	const paint = painter(context.stderrColor);
	writeLine(context.stderr, paint(`Resolved ${plural(notes.length, 'operation')} an interrupted run left in flight:`, 'yellow'));
	for (const note of notes) writeLine(context.stderr, `  ${note.message}`);
}

/**
 * After a complete destroy: what AWS still holds tagged for this stack and environment, that no
 * state records (engine/apply/stack-sweep.ts), named on stderr (with --json, one `destroy.sweep`
 * line after the summary); deleted with --delete-orphans. Nothing is added when nothing is left. The run's
 * outcome and exit code are the destroy's (the engine's): this only adds what it found, and a
 * sweep that cannot read AWS says so without failing the destroy it follows.
 */
async function sweepAfterDestroy(op: StackOperation, flags: Flags, context: CommandContext): Promise<void> {
	const paint = painter(context.color && !!context.stderr.isTTY);
	// A state that still records something is not gone, and what it records is never a leftover
	// (a destroy that keeps damaged entries ends held-back, and is not swept: the outcome names them).
	const kept = await readState(op.session.backend, op.key).catch(() => undefined);
	if (Object.keys(kept?.state.resources ?? {}).length > 0) return;
	const {findLeftovers} = await import('../../engine/operations.js');
	let leftovers: Awaited<ReturnType<typeof findLeftovers>>;
	try {
		leftovers = await findLeftovers(op.tenantClients, op.key);
	} catch (error) {
		writeLine(
			context.stderr,
			`${paint('warning:', 'yellow', 'bold')} could not look in AWS for leftovers of the stack: ${(error as Error).message}`,
		);
		return;
	}
	const results = [] as Array<{what: string; component?: string; deleted: boolean; problem?: string}>;
	for (const leftover of leftovers) {
		const base = {what: leftover.what, ...(leftover.component ? {component: leftover.component} : {})};
		if (!flags.deleteOrphans) results.push({...base, deleted: false});
		else
			try {
				await leftover.remove();
				results.push({...base, deleted: true});
			} catch (error) {
				results.push({...base, deleted: false, problem: (error as Error).message});
			}
	}
	// Nothing left: nothing to add (the destroy's own last line stays the last line).
	if (results.length === 0) return;
	if (flags.json) {
		writeLine(context.stdout, JSON.stringify({v: 1, type: 'destroy.sweep', at: new Date().toISOString(), leftovers: results}));
		return;
	}
	const left = results.filter((r) => !r.deleted);
	for (const r of results)
		writeLine(
			context.stderr,
			`  ${r.deleted ? 'deleted ' : ''}${r.what}${r.component ? ` (component ${r.component})` : ''}${r.problem ? `: not deleted: ${r.problem}` : ''}`,
		);
	if (left.length === 0)
		writeLine(context.stderr, paint(`Deleted ${results.length} leftover${results.length === 1 ? '' : 's'} no state recorded.`, 'green'));
	else
		writeLine(
			context.stderr,
			paint(
				`⚠ ${left.length} resource${left.length === 1 ? ' tagged for this stack is' : 's tagged for this stack are'} still in AWS and no state records ${left.length === 1 ? 'it' : 'them'}${flags.deleteOrphans ? '' : `; delete ${left.length === 1 ? 'it' : 'them'} with: ${stackCommands(context, op).rerun('destroy')} --delete-orphans`}`,
				'yellow',
			),
		);
}

async function isFile(file: string): Promise<boolean> {
	return (await stat(file).catch(() => undefined))?.isFile() ?? false;
}
