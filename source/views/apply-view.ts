/**
 * The view of `panka apply` / `destroy` (and of promote and rollback, which are applies): what
 * the engine's runStackCommand reports (engine/apply/stack-command.ts) as it happens — what was
 * resolved of a cut-off run, refusals, the review (the Ink one in a terminal: the plan review for
 * an apply, the typed stack name for a destroy; none elsewhere), then the run: the engine's event
 * stream on the live dashboard in a terminal, as NDJSON events with --json, or as lines (a header
 * with what will change and what is held back, then one line per event) with --no-tui; then what
 * the sweep after a destroy found. `run` resolves with the run's summary event, or undefined when
 * the stream ended without one.
 *
 * Invariant: a run never ends without saying how it ended: the dashboard clears itself and the
 * scrollback keeps the outcome's lines; when stdout was closed on the way, the outcome's last
 * lines go to stderr.
 */
import type {ReviewAnswer, StackCommandReport, SweepReport} from '../../engine/backends.js';
import {approveAll, type EngineEvent, type Plan, plural, type Selection, type TenantConfig, type Workspace} from '../../engine/index.js';
import {isOutputClosed} from '../closed-output.js';
import {painter} from '../context.js';
import {noteBudgetRefusal} from '../plan-cost.js';
import {typedConfirmation} from '../prompt.js';
import {ApplyLineRenderer, applyHeader, toneStyle} from '../render/apply-text.js';
import {jsonEvent} from '../render/json.js';
import {renderPlanText} from '../render/plan-text.js';
import {loadUi} from '../ui.js';
import {type StackNotes, stackNotes} from './stack-notes.js';
import type {Output, Views} from './view.js';

export type RunSummary = Extract<EngineEvent, {type: 'summary'}>;

export interface ApplyRun {
	events: AsyncIterable<EngineEvent>;
	plan: Plan;
	selection: Selection;
	workspace: Workspace;
	operation: 'apply' | 'destroy';
	/** First ctrl+c on the dashboard (start nothing new), second (abort what runs). */
	onStop(): void;
	onAbort(): void;
}

export interface ApplyView extends Pick<StackNotes, 'refreshed' | 'brokeLock'> {
	run(run: ApplyRun): Promise<RunSummary | undefined>;
	/** What runStackCommand tells as it happens, for this stack change. */
	report(change: StackChange): StackCommandReport;
}

/** The change the report is about: what the run needs besides its events, and the tenant's budget. */
export type StackChange = Pick<ApplyRun, 'workspace' | 'operation' | 'onStop' | 'onAbort'> & {tenantConfig: TenantConfig};

/** The parts of a report that differ by kind; `report` adds those every kind says the same way. */
type KindReport = Pick<
	StackCommandReport,
	'noChanges' | 'withheld' | 'review' | 'overBudget' | 'swept' | 'nothingToDestroy' | 'leftoverGroup'
>;

function report(out: Output, view: Pick<ApplyView, 'run'>, change: StackChange, kind: KindReport): StackCommandReport {
	const {operation, workspace, onStop, onAbort} = change;
	return {
		...kind,
		recovered(notes) {
			out.note(out.errPaint(`Resolved ${plural(notes.length, 'operation')} an interrupted run left in flight:`, 'yellow'));
			for (const note of notes) out.note(`  ${note.message}`);
		},
		savedPlanRefused({message, hint}) {
			out.note(`${out.paint('panka: refusing the saved plan:', 'red', 'bold')} ${message}`);
			out.note(`${out.paint('hint:', 'cyan')} ${hint}`);
		},
		reviewRequired(plan) {
			const paint = out.errPaint;
			out.note(
				`${paint('panka: apply refused:', 'red', 'bold')} tenant ${plan.tenant} requires every change to be approved in a review (requireApproval: any-change); --yes is not enough`,
			);
			out.note(
				`${paint('hint:', 'cyan')} run panka apply in a terminal, or review with panka plan --out FILE in a terminal and apply that file`,
			);
		},
		stoppedBeforeStart: (operation) => out.note(`${operation} stopped before it started: nothing was changed`),
		run: (events, plan, selection) => view.run({events, plan, selection, workspace, operation, onStop, onAbort}),
		lockLeft: (message) => out.note(`${warningPaint(out)('warning:', 'yellow', 'bold')} ${message}`),
	};
}

/** Warnings after the run (the lock left, the sweep): painted only when stderr is a terminal. */
const warningPaint = (out: Output) => painter(out.context.color && !!out.context.stderr.isTTY);

/** The human kinds (lines, and the dashboard's scrollback) say these the same way. */
function humanParts(out: Output, change: StackChange): Omit<KindReport, 'review'> {
	return {
		noChanges(summary) {
			for (const detail of summary.outcome.details) out.line(`  ${detail}`);
			out.line(out.paint(summary.outcome.headline, toneStyle[summary.outcome.tone], 'bold'));
		},
		withheld: (plan, count, rule) =>
			out.note(
				`${out.errPaint('⚠', 'yellow')} ${plural(count, 'change')} that ${count === 1 ? 'widens' : 'widen'} access ${count === 1 ? 'is' : 'are'} held back (tenant ${plan.tenant}: requireApproval ${rule}); --approve-broadening applies ${count === 1 ? 'it' : 'them'} too`,
			),
		overBudget(plan, fresh) {
			if (fresh) out.line(renderPlanText(plan, out.paint));
			noteBudgetRefusal(out, plan, change.tenantConfig);
		},
		swept: (sweep) => sweptLines(out, sweep),
		nothingToDestroy: (key) => out.line(nothingToDestroyText(key)),
		leftoverGroup: (groupId) => out.line(leftoverGroupText(groupId)),
	};
}

const nothingToDestroyText = (key: {stack: string; environment: string}) =>
	`Nothing to destroy: stack ${key.stack} (${key.environment}) has no resources.`;
const leftoverGroupText = (groupId: string) =>
	`Only the stack's security group ${groupId} is left (an earlier destroy could not delete it): deleting it.`;

export const applyViews: Views<ApplyView> = {
	human: (out) => {
		const view: ApplyView = {
			...stackNotes(out),
			async run({events, plan, selection, workspace, operation}) {
				const renderer = new ApplyLineRenderer(out.paint);
				out.lines(applyHeader(plan, selection, workspace, operation, out.paint));
				return stream(out, events, (event) => out.lines(renderer.event(event)));
			},
			report: (change) =>
				report(out, view, change, {
					...humanParts(out, change),
					// No terminal to ask in: the plan is shown, and approval must come another way.
					async review(plan) {
						out.line(renderPlanText(plan, out.paint));
						return 'unavailable';
					},
				}),
		};
		return view;
	},
	json: (out) => {
		const view: ApplyView = {
			...stackNotes(out),
			run: ({events}) => stream(out, events, (event) => out.line(jsonEvent(event))),
			report: (change) =>
				report(out, view, change, {
					noChanges: (summary) => out.line(jsonEvent(summary)),
					// The run's events name what is held back.
					withheld() {},
					review: async () => 'unavailable',
					overBudget: (plan) => noteBudgetRefusal(out, plan, change.tenantConfig),
					// stdout holds only events: the one that says there was nothing, and the run's own after the note.
					nothingToDestroy(key) {
						const event = {type: 'destroy.nothing', at: new Date().toISOString(), ...key, message: nothingToDestroyText(key)};
						out.line(jsonEvent(event));
					},
					leftoverGroup: (groupId) => out.note(leftoverGroupText(groupId)),
					swept(sweep) {
						if ('problem' in sweep) sweptLines(out, sweep);
						else {
							const event = {type: 'destroy.sweep', at: new Date().toISOString(), leftovers: sweep.leftovers};
							out.line(jsonEvent(event));
						}
					},
				}),
		};
		return view;
	},
	ink: (out) => {
		const view: ApplyView = {
			...stackNotes(out),
			async run({events, plan, selection, operation, onStop, onAbort}) {
				const {runApplyDashboard} = await loadUi(out.context, () => import('../../components/dashboard/run-apply-dashboard.js'));
				const summary = await runApplyDashboard({events, plan, selection, operation, onStop, onAbort});
				// The dashboard clears itself: the scrollback keeps the result as --no-tui ends it.
				if (summary) out.lines(new ApplyLineRenderer(out.paint).event(summary));
				return summary;
			},
			report: (change) =>
				report(out, view, change, {
					...humanParts(out, change),
					review: (plan, operation) => (operation === 'destroy' ? confirmDestroy(out, plan) : reviewApply(out, plan)),
				}),
		};
		return view;
	},
};

/** An apply in a terminal: the plan review, change by change. */
async function reviewApply(out: Output, plan: Plan): Promise<ReviewAnswer> {
	const {runPlanReview} = await loadUi(out.context, () => import('../../components/review/run-plan-review.js'));
	const reviewed = await runPlanReview({plan, intent: 'apply'});
	if (!reviewed) {
		out.note('apply cancelled: nothing was changed');
		return 'cancelled';
	}
	if ('interrupted' in reviewed) return 'interrupted';
	return {selection: reviewed.selection};
}

/** A destroy in a terminal: the user types the stack name. */
async function confirmDestroy(out: Output, plan: Plan): Promise<ReviewAnswer> {
	const {paint} = out;
	out.line(renderPlanText(plan, paint));
	const question = `${paint(`This deletes ${plural(plan.summary.delete, 'resource')} of ${plan.stack} (${plan.environment}) for good.`, 'red', 'bold')} Type the stack name to confirm: `;
	if (!(await typedConfirmation(out.context, question, plan.stack))) {
		out.note('destroy cancelled: the name did not match; nothing was deleted');
		return 'cancelled';
	}
	return {selection: approveAll(plan)};
}

/**
 * What the sweep after a complete destroy found, on stderr: each leftover (deleted or not), then
 * what is left and the command that deletes it; or that AWS could not be read to look.
 */
function sweptLines(out: Output, sweep: SweepReport): void {
	const paint = warningPaint(out);
	if ('problem' in sweep) {
		out.note(`${paint('warning:', 'yellow', 'bold')} could not look in AWS for leftovers of the stack: ${sweep.problem}`);
		return;
	}
	const {leftovers, deleteOrphans, rerun} = sweep;
	const left = leftovers.filter((r) => !r.deleted);
	for (const r of leftovers)
		out.note(
			`  ${r.deleted ? 'deleted ' : ''}${r.what}${r.component ? ` (component ${r.component})` : ''}${r.problem ? `: not deleted: ${r.problem}` : ''}`,
		);
	if (left.length === 0)
		out.note(paint(`Deleted ${leftovers.length} leftover${leftovers.length === 1 ? '' : 's'} no state recorded.`, 'green'));
	else
		out.note(
			paint(
				`⚠ ${left.length} resource${left.length === 1 ? ' tagged for this stack is' : 's tagged for this stack are'} still in AWS and no state records ${left.length === 1 ? 'it' : 'them'}${deleteOrphans ? '' : `; delete ${left.length === 1 ? 'it' : 'them'} with: ${rerun} --delete-orphans`}`,
				'yellow',
			),
		);
}

async function stream(
	out: Output,
	events: AsyncIterable<EngineEvent>,
	show: (event: EngineEvent) => void,
): Promise<RunSummary | undefined> {
	let summary: RunSummary | undefined;
	for await (const event of events) {
		show(event);
		if (event.type === 'summary') summary = event;
	}
	if (summary && isOutputClosed('stdout') && !isOutputClosed('stderr')) {
		for (const detail of summary.outcome.details) out.note(`  ${detail}`);
		out.note(summary.outcome.headline);
	}
	return summary;
}
