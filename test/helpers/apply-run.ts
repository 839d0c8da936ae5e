/**
 * applyPlan in a test: the account every test uses, and the events collected as they come. The run
 * goes on in the background, so a test can steer it meanwhile (release a gated create, break the
 * lock, send a stop) and then wait for it.
 *
 *   const run = startApply({plan, workspace, stored, backend, key, clients});
 *   await until(() => run.events.some((e) => e.type === 'resource.start'));
 *   await run.done;
 *   run.summary().outcome …
 */
import {type ApplyInput, applyPlan} from '../../engine/apply/apply-plan.js';
import type {EngineEvent} from '../../engine/apply/events.js';

export const testAccount = {region: 'us-east-1', accountId: '123456789012', deployedBy: 'tester@host'} as const;

export type ApplyTestInput = Omit<ApplyInput, keyof typeof testAccount> & Partial<Pick<ApplyInput, keyof typeof testAccount>>;

export interface ApplyRun {
	readonly events: EngineEvent[];
	readonly done: Promise<void>;
	/** The summary event, once the run is done. */
	summary(): Extract<EngineEvent, {type: 'summary'}>;
}

export function startApply(input: ApplyTestInput): ApplyRun {
	const events: EngineEvent[] = [];
	const done = (async () => {
		for await (const event of applyPlan({...testAccount, ...input})) events.push(event);
	})();
	return {
		events,
		done,
		summary() {
			const last = events.at(-1);
			if (last?.type !== 'summary') throw new Error(`the run has not ended with a summary: ${JSON.stringify(events.map((e) => e.type))}`);
			return last;
		},
	};
}
