/**
 * `panka apply [folder | plan.json] [--env] [--var] [--yes] [--target addr…] [--parallelism N]
 * [--lock-timeout 30s] [--refresh] [--no-tui] [--json]` and `panka destroy [folder] [--yes]`.
 *
 * Flow: take the stack's lock (held to the end) → read the state → resolve operations a crashed
 * run left pending → plan (or load the plan file, refused when stale) → approval (the review in a
 * terminal, --yes in CI, or the plan file itself) → applyPlan, streamed to the dashboard, to lines
 * (--no-tui, with a heartbeat) or to NDJSON (--json) → release the lock. The lock, the recovery,
 * the staleness check and applyPlan are source/stack-change.ts, shared with the workbench.
 *
 * Ctrl-C once: start nothing new, let the steps in flight finish and be saved, exit 130. Twice:
 * abort the steps in flight (they stay pending in the state) and exit 130. On the dashboard Ink
 * reads the terminal in raw mode, so ^C arrives as a key (the dashboard calls stop / abort) and
 * never as SIGINT; the SIGINT handler serves every other run (--no-tui, --json, `kill -INT`).
 * Exit codes: 0 done, 1 a step failed or the run was refused, 2 usage, 130 interrupted.
 */
import {stat} from 'node:fs/promises';
import path from 'node:path';
import type {EngineEvent} from '../../engine/apply/events.js';
import type {RecoveryNote} from '../../engine/apply/recover.js';
import {planHasChanges, type Plan} from '../../engine/plan/plan.js';
import {readPlanFile, savedSelection} from '../../engine/plan/plan-file.js';
import {approveAll, type Selection} from '../../engine/plan/selection.js';
import {basisOf, deleteState} from '../../engine/state/state-store.js';
import {type CommandContext, canUseTui, painter, writeLine} from '../context.js';
import {UsageError} from '../errors.js';
import type {Flags} from '../flags.js';
import {ApplyLineRenderer, applyHeader} from '../render/apply-text.js';
import {renderPlanText} from '../render/plan-text.js';
import {erroredStateSaver, type LockedStack, lockStack, parseParallelism} from '../stack-change.js';
import {openStackOperation, type StackOperation, stackLockOptions} from '../stack-operation.js';
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
	if (args.length > 1)
		throw new UsageError(`panka ${mode} takes one ${mode === 'apply' ? 'folder or plan file' : 'folder'}, got: ${args.join(' ')}`);
	// A file argument is a saved plan, unless it is YAML: a stack file (the whole stack in one file).
	const planFilePath =
		mode === 'apply' && args[0] && !/\.ya?ml$/i.test(args[0]) && (await isFile(path.resolve(context.cwd, args[0])))
			? path.resolve(context.cwd, args[0])
			: undefined;
	const planFile = planFilePath ? await readPlanFile(planFilePath) : undefined;
	if (planFile && flags.target?.length)
		throw new UsageError('--target cannot change a saved plan', 'plan again with --target, then apply that plan file');
	const parallelism = parseParallelism(flags.parallelism);
	const folder = planFile ? planFile.stackFolder : args[0];
	const op = await openStackOperation(
		context,
		folder,
		{...flags, ...(planFile ? {env: planFile.plan.environment} : {})},
		{allowErrors: mode === 'destroy'},
	);
	if ('exitCode' in op) return op.exitCode;

	const locked = await lockStack(op, {
		operation: mode,
		parallelism,
		lock: stackLockOptions(context, op, flags),
		saveErroredState: erroredStateSaver(context.cwd),
		...(flags.skipFinalSnapshot ? {deleteOptions: {skipFinalSnapshot: true}} : {}),
	});
	try {
		if (locked.recovered.length > 0) reportRecovery(locked.recovered, context);
		const {stored} = locked;
		// A stack security group can outlive the resources (its delete failed, e.g. on Lambda ENIs AWS was still releasing): the destroy deletes it then.
		if (
			mode === 'destroy' &&
			(!stored || (Object.keys(stored.state.resources).length === 0 && !stored.state.networking.stackSecurityGroupId))
		) {
			writeLine(context.stdout, `Nothing to destroy: stack ${op.key.stack} (${op.key.environment}) has no resources.`);
			if (stored) await deleteState(op.session.backend, op.key, basisOf(stored));
			return 0;
		}

		const planned = await decide(mode, op, locked, planFile, planFilePath, flags, context);
		if (typeof planned === 'number') return planned;
		const {plan, selection} = planned;
		const stop = new AbortController();
		const abort = new AbortController();
		const onSigint = () => (stop.signal.aborted ? abort.abort() : stop.abort());
		process.on('SIGINT', onSigint);
		try {
			const events = locked.run(plan, selection, {stop: stop.signal, abort: abort.signal});
			const summary = await render(events, plan, selection, op, mode, flags, context, {stop, abort});
			// Interrupted is interrupted, whatever the stream reported: a ctrl+c (key or SIGINT)
			// that came before the first step started still ends the run with 130.
			if (summary?.interrupted || stop.signal.aborted || abort.signal.aborted) return 130;
			if (!summary) return 1;
			return summary.failed.length > 0 || summary.skipped.length > 0 || summary.notStarted.length > 0 ? 1 : 0;
		} finally {
			process.off('SIGINT', onSigint);
		}
	} finally {
		await locked.release();
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
		return {plan: planFile.plan, selection: savedSelection(planFile, planFilePath) ?? approveAll(planFile.plan)};
	}
	let plan: Plan | number;
	if (mode === 'destroy') {
		const {planDestroy} = await import('../../engine/plan/destroy-plan.js');
		plan = planDestroy(op.workspace, stored!.state, {createdAt: new Date().toISOString()});
	} else {
		const refreshed = flags.refresh && stored ? await refreshForPlan(op, stored.state, context) : undefined;
		plan = makePlan(op, refreshed?.state ?? stored?.state, flags, context, refreshed?.drift);
	}
	if (typeof plan === 'number') return plan;
	const leftoverGroup = mode === 'destroy' && !planHasChanges(plan) ? stored?.state.networking.stackSecurityGroupId : undefined;
	if (leftoverGroup) {
		writeLine(
			context.stdout,
			`Only the stack's security group ${leftoverGroup} is left (an earlier destroy could not delete it): deleting it.`,
		);
		return {plan, selection: approveAll(plan)};
	}
	if (!planHasChanges(plan)) {
		if (flags.json)
			writeLine(
				context.stdout,
				JSON.stringify({
					v: 1,
					type: 'summary',
					operation: mode,
					done: [],
					failed: [],
					skipped: [],
					notStarted: [],
					outputs: stored?.state.outputs ?? {},
					durationMs: 0,
					interrupted: false,
					stateSerial: stored?.state.serial ?? 0,
				}),
			);
		else
			writeLine(context.stdout, `${paint('✓', 'green')} No changes: stack ${plan.stack} (${plan.environment}) matches the configuration.`);
		return 0;
	}
	if (flags.yes) return {plan, selection: approveAll(plan)};
	if (canUseTui(context, flags.tui) && !flags.json) {
		if (mode === 'destroy') return confirmDestroy(plan, context);
		const {runPlanReview} = await loadUi(() => import('../../components/review/run-plan-review.js'));
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

/** Destroy in a terminal: the user types the stack name. */
async function confirmDestroy(plan: Plan, context: CommandContext): Promise<{plan: Plan; selection: Selection} | number> {
	const paint = painter(context.color);
	writeLine(context.stdout, renderPlanText(plan, paint));
	const {createInterface} = await import('node:readline/promises');
	const rl = createInterface({input: context.stdin, output: context.stdout});
	const answer = (
		await rl.question(
			`${paint(`This deletes ${plan.summary.delete} resources of ${plan.stack} (${plan.environment}) for good.`, 'red', 'bold')} Type the stack name to confirm: `,
		)
	).trim();
	rl.close();
	if (answer !== plan.stack) {
		writeLine(context.stderr, 'destroy cancelled: the name did not match; nothing was deleted');
		return 1;
	}
	return {plan, selection: approveAll(plan)};
}

function reportRecovery(notes: readonly RecoveryNote[], context: CommandContext): void {
	const paint = painter(context.color && !!context.stderr.isTTY);
	writeLine(
		context.stderr,
		paint(`Resolved ${notes.length} operation${notes.length === 1 ? '' : 's'} an interrupted run left in flight:`, 'yellow'),
	);
	for (const note of notes) writeLine(context.stderr, `  ${note.message}`);
}

/**
 * Streams the events to the chosen view: the dashboard in a terminal, NDJSON with --json, lines
 * otherwise. Resolves with the summary event, or undefined if the stream ended without one.
 */
async function render(
	events: AsyncIterable<EngineEvent>,
	plan: Plan,
	selection: Selection,
	op: StackOperation,
	mode: Mode,
	flags: Flags,
	context: CommandContext,
	signals: {stop: AbortController; abort: AbortController},
): Promise<Extract<EngineEvent, {type: 'summary'}> | undefined> {
	let summary: Extract<EngineEvent, {type: 'summary'}> | undefined;
	if (canUseTui(context, flags.tui) && !flags.json) {
		const {runApplyDashboard} = await loadUi(() => import('../../components/dashboard/run-apply-dashboard.js'));
		summary = await runApplyDashboard({
			events,
			plan,
			selection,
			operation: mode,
			onStop: () => signals.stop.abort(),
			onAbort: () => signals.abort.abort(),
		});
		// The dashboard clears itself: the scrollback keeps the result as --no-tui ends it.
		if (summary) for (const line of new ApplyLineRenderer(painter(context.color)).event(summary)) writeLine(context.stdout, line);
		return summary;
	}
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

async function isFile(file: string): Promise<boolean> {
	return (await stat(file).catch(() => undefined))?.isFile() ?? false;
}
