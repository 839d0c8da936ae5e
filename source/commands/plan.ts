/**
 * `panka plan [folder] [--env E] [--var K=V] [--target addr…] [--out plan.json] [--json]
 * [--detailed-exitcode] [--refresh]`: what an apply would change, against the recorded state.
 *
 * In a terminal the plan opens in the review (approve or skip each change); confirming saves it,
 * with the selection, as a plan file. Otherwise it prints Terraform-like text or, with --json, a
 * versioned document. --detailed-exitcode: 0 no changes, 1 error, 2 changes.
 *
 * After a run was cut short, the plan says so first: a held lock (and whether its holder is gone)
 * and how the next apply resolves each operation left in flight ("~ adopt" what a crashed create
 * made, rather than "+ create"); the plan is made on the state as that resolution leaves it.
 * Plan itself changes nothing (previewStackRecovery only reads).
 */
import path from 'node:path';
import {
	makePlanFile,
	type Plan,
	planChanges,
	PlanError,
	planHasChanges,
	type PlanOptions,
	withRollbackWarnings,
	writePlanFile,
} from '../../engine/index.js';
import type {Promotion, Selection} from '../../engine/index.js';
import {previewStackRecovery, readState, withForeseenRecovery} from '../../engine/backends.js';
import {type CommandContext, painter} from '../context.js';
import {FailureReport, UsageError} from '../errors.js';
import {type Flags, parseVarFlags} from '../flags.js';
import {renderDiagnostics} from '../render/diagnostics-text.js';
import {type RollbackRequest, type RolledBack, rollBackOperation} from '../rollback-source.js';
import {openStackOperation, type StackOperation} from '../stack-operation.js';
import {planViews} from '../views/plan-view.js';
import {chooseView} from '../views/view.js';
import {costSources, pricePlan} from '../plan-cost.js';
import {refresh} from './drift.js';

/** `promotion`: the plan promotes another environment's values (`panka promote --out`); the flags carry them as --var. */
export async function planCommand(
	args: string[],
	flags: Flags,
	context: CommandContext,
	promotion?: Promotion,
	rollback?: RollbackRequest,
): Promise<number> {
	if (args.length > 1) throw new UsageError(`panka plan takes one folder, got: ${args.join(' ')}`);
	const sources = await costSources(context, flags);
	const opened = await openStackOperation(context, args[0], flags);
	const {op, rolled} = rollback ? await rollBackOperation(opened, rollback) : {op: opened, rolled: undefined};
	const view = chooseView(planViews, flags, context);
	const stored = await readState(op.session.backend, op.key);
	const recovery = await previewStackRecovery(op, stored);
	const refreshed = flags.refresh && recovery.state ? await refresh(op, recovery.state) : undefined;
	if (refreshed && recovery.state) view.refreshed(refreshed.drift, Object.keys(recovery.state.resources).length);
	const made = makePlan(op, refreshed?.state ?? recovery.state, flags, context, refreshed?.drift, promotion, rolled);
	const plan = await pricePlan(op, withForeseenRecovery(made, recovery), refreshed?.state ?? recovery.state, sources);
	const vars = parseVarFlags(flags.var);
	const shown = await view.show(
		plan,
		recovery,
		flags.out ? (p: Plan, s: Selection) => savePlanFile(context, op, flags.out!, p, s, vars) : undefined,
	);
	// Over the tenant's budget: shown, refused, and never saved to apply later.
	if (plan.cost?.budget?.refused) {
		view.overBudget(plan, op.session.config);
		return 1;
	}
	if (shown === 'closed') return 1;
	if (shown === 'interrupted') return 130;
	if (flags.out && !shown.selection) {
		const saved = await savePlanFile(context, op, flags.out, plan, undefined, vars);
		if ('error' in saved) throw new UsageError(saved.error);
		view.saved(plan, saved.path);
	}
	return flags.detailedExitcode && planHasChanges(plan) ? 2 : 0;
}

/** planChanges with a refusal thrown as a FailureReport (its diagnostics at file:line:col, exit 1); `drift` from a refresh (--refresh). */
export function makePlan(
	op: StackOperation,
	state: Parameters<typeof planChanges>[1],
	flags: Pick<Flags, 'target'>,
	context: CommandContext,
	drift?: PlanOptions['drift'],
	promotion?: PlanOptions['promotion'],
	rolled?: RolledBack,
): Plan {
	try {
		const plan = planChanges(op.workspace, state, {
			...(flags.target?.length ? {target: flags.target} : {}),
			...(drift ? {drift} : {}),
			...(promotion ? {promotion} : {}),
			...(rolled ? {rollback: rolled.rollback} : {}),
			createdAt: new Date().toISOString(),
		});
		return rolled ? withRollbackWarnings(plan, rolled.notes, rolled.target) : plan;
	} catch (error) {
		if (!(error instanceof PlanError)) throw error;
		const paint = painter(context.stderrColor);
		throw new FailureReport(
			[
				...renderDiagnostics(error.diagnostics, op.workspace, context, paint),
				`${paint('panka: plan refused:', 'red', 'bold')} ${error.message}`,
				...(error.hint ? [`${paint('hint:', 'cyan')} ${error.hint}`] : []),
			],
			`plan refused: ${error.message}`,
			{hint: error.hint, diagnostics: error.diagnostics},
		);
	}
}

async function savePlanFile(
	context: CommandContext,
	op: StackOperation,
	out: string,
	plan: Plan,
	selection: Selection | undefined,
	vars: Record<string, string>,
): Promise<{path: string} | {error: string}> {
	const target = path.resolve(context.cwd, out);
	try {
		await writePlanFile(target, makePlanFile(plan, {stackFolder: op.workspace.source, vars, ...(selection ? {selection} : {})}));
		return {path: path.relative(context.cwd, target) || target};
	} catch (error) {
		return {error: `cannot write ${out}: ${(error as Error).message}`};
	}
}
