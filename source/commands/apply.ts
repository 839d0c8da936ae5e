/**
 * `panka apply [folder | plan.json] [--env] [--var] [--yes] [--target addr…] [--parallelism N]
 * [--lock-timeout 30s] [--refresh] [--no-tui] [--json]` and `panka destroy [folder] [--yes]`.
 *
 * This module reads the flags, picks the apply view and calls the engine's runStackCommand
 * (engine/apply/stack-command.ts), which does the rest: take the stack's lock (held to the end) →
 * resolve operations a crashed run left pending → plan (or the plan file, refused when stale) →
 * approval (the review in a terminal, --yes in CI, or the plan file itself) → applyPlan, streamed
 * to the view: the dashboard, lines (--no-tui, with a heartbeat) or NDJSON (--json) → release the
 * lock. What the engine reports, the view prints; how it ended, this maps to the exit code.
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
import {runStackCommand, type StackCommandResult} from '../../engine/backends.js';
import {type Promotion, promotionVars, readPlanFile, type StateDocument} from '../../engine/index.js';
import type {CommandContext} from '../context.js';
import {exitCodes, outcomeExitCode, UsageError} from '../errors.js';
import {listenForInterruptions} from '../interruptions.js';
import type {Flags} from '../flags.js';
import {erroredStateSaver, parseParallelism, parseWaitTimeouts} from '../stack-change.js';
import {lockRequest, openStackOperation, stackCommands, stackLockOptions} from '../stack-operation.js';
import {confirmProtectedEnvironment} from '../protected-environment.js';
import {recheck, type RollbackRequest, rollBackOperation} from '../rollback-source.js';
import {refresh} from './drift.js';
import {makePlan} from './plan.js';
import {costSources, pricePlan} from '../plan-cost.js';
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
	const {op, rolled} = rollbackRequest ? await rollBackOperation(opened, rollbackRequest) : {op: opened, rolled: undefined};
	await confirmProtectedEnvironment(context, flags, {
		environment: op.key.environment,
		protected: op.workspace.environmentSettings?.protected === true,
		action: rolled ? 'roll back' : promoted ? 'promote to' : mode,
	});

	const commands = stackCommands(context, op);
	const stop = new AbortController();
	const abort = new AbortController();
	let interruptions: ReturnType<typeof listenForInterruptions> | undefined;
	const view = chooseView(applyViews, flags, context);
	try {
		const result = await runStackCommand(
			op,
			{
				settings: {
					operation: mode,
					parallelism,
					lock: stackLockOptions(context, op, flags, (broken) => view.brokeLock(broken)),
					holder: lockRequest(op, mode),
					saveErroredState: erroredStateSaver(context.cwd),
					...(flags.skipFinalSnapshot ? {deleteOptions: {skipFinalSnapshot: true}} : {}),
					...(waitTimeouts ? {waitTimeouts} : {}),
					commands,
				},
				...(planFile && planFilePath ? {savedPlan: {file: planFile, path: planFilePath}} : {}),
				yes: flags.yes === true,
				approveBroadening: flags.approveBroadening === true,
				deleteOrphans: flags.deleteOrphans === true,
				// From the lock on, an interruption (Ctrl-C, SIGTERM, SIGHUP, a closed output) stops the
				// change cleanly and the lock is released, never left behind.
				listen: () => {
					interruptions = listenForInterruptions(context, {stop, abort});
					return {stop: stop.signal, abort: abort.signal};
				},
				plan: async (state) => {
					const refreshed = flags.refresh && state ? await refresh(op, state) : undefined;
					if (refreshed && state) view.refreshed(refreshed.drift, Object.keys(state.resources).length);
					const planned = makePlan(op, refreshed?.state ?? state, flags, context, refreshed?.drift, promoted, rolled);
					return {plan: planned, state: refreshed?.state ?? state};
				},
				price: (plan, state) => pricePlan(op, plan, state, costs),
				...(rolled ? {checkState: (state: StateDocument | undefined) => recheck(rolled, state)} : {}),
				abandoned: () => process.exit(interruptions?.first?.exitCode ?? exitCodes.interrupted),
			},
			view.report({
				workspace: op.workspace,
				operation: mode,
				tenantConfig: op.session.config,
				onStop: () => stop.abort(),
				onAbort: () => abort.abort(),
			}),
		);
		return exitCodeOf(mode, result, interruptions?.first);
	} finally {
		interruptions?.dispose();
	}
}

/** The command's exit code for how the change ended (errors.ts outcomeExitCode for a run's outcome). */
function exitCodeOf(mode: Mode, result: StackCommandResult, interruption: {exitCode: number} | undefined): number {
	switch (result.kind) {
		case 'nothing-to-destroy':
			return 0;
		case 'refused':
		case 'review-cancelled':
			return exitCodes.errors;
		case 'no-changes':
			return outcomeExitCode(result.summary.outcome);
		case 'review-interrupted':
			return exitCodes.interrupted;
		case 'stopped':
			return interruption?.exitCode ?? exitCodes.interrupted;
		case 'needs-approval':
			throw new UsageError(
				`panka ${mode} needs approval and there is no terminal to ask in`,
				mode === 'destroy'
					? 'pass --yes to destroy without asking (CI)'
					: 'pass --yes to apply without asking (CI), or save a reviewed plan with panka plan --out and apply that file',
			);
		case 'ran':
			return result.summary ? outcomeExitCode(result.summary.outcome, interruption) : exitCodes.errors;
	}
}

async function isFile(file: string): Promise<boolean> {
	return (await stat(file).catch(() => undefined))?.isFile() ?? false;
}
