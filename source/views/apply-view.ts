/**
 * The view of a running `panka apply` / `destroy` (and of promote and rollback, which are applies):
 * the engine's event stream on the live dashboard in a terminal, as NDJSON events with --json, or
 * as lines (a header with what will change and what is held back, then one line per event) with
 * --no-tui. It resolves with the run's summary event, or undefined when the stream ended without
 * one.
 *
 * Invariant: a run never ends without saying how it ended: the dashboard clears itself and the
 * scrollback keeps the outcome's lines; when stdout was closed on the way, the outcome's last
 * lines go to stderr.
 */
import type {EngineEvent, Plan, Selection, Workspace} from '../../engine/index.js';
import {isOutputClosed} from '../closed-output.js';
import {ApplyLineRenderer, applyHeader} from '../render/apply-text.js';
import {jsonEvent} from '../render/json.js';
import {loadUi} from '../ui.js';
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

export interface ApplyView {
	run(run: ApplyRun): Promise<RunSummary | undefined>;
}

export const applyViews: Views<ApplyView> = {
	human: (out) => ({
		async run({events, plan, selection, workspace, operation}) {
			const renderer = new ApplyLineRenderer(out.paint);
			out.lines(applyHeader(plan, selection, workspace, operation, out.paint));
			return stream(out, events, (event) => out.lines(renderer.event(event)));
		},
	}),
	json: (out) => ({
		run: ({events}) => stream(out, events, (event) => out.line(jsonEvent(event))),
	}),
	ink: (out) => ({
		async run({events, plan, selection, operation, onStop, onAbort}) {
			const {runApplyDashboard} = await loadUi(out.context, () => import('../../components/dashboard/run-apply-dashboard.js'));
			const summary = await runApplyDashboard({events, plan, selection, operation, onStop, onAbort});
			// The dashboard clears itself: the scrollback keeps the result as --no-tui ends it.
			if (summary) out.lines(new ApplyLineRenderer(out.paint).event(summary));
			return summary;
		},
	}),
};

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
