/**
 * planDestroy: the plan that deletes everything a state records, in reverse dependency order —
 * the planner run against an empty folder of the same stack, so the ordering, `requires` and
 * Selection rules are exactly the ones a normal plan uses for deletes.
 *
 * Works on a broken folder too: a destroy needs only the stack's identity and its state.
 * Every change's reason is `destroyDeleteReason`: the resources go because the stack does, not
 * because they left the folder (which is what a normal plan's delete says).
 */
import {buildDag} from '../graph/dag.js';
import type {StateDocument} from '../state/state-document.js';
import type {Workspace} from '../workspace.js';
import {type Plan, planChanges} from './plan.js';

/** Why each resource of a destroy plan is deleted. */
export const destroyDeleteReason = 'destroying the stack';

export function planDestroy(workspace: Workspace, state: StateDocument, options: {createdAt?: string} = {}): Plan {
	const empty: Workspace = {
		...workspace,
		services: [],
		components: [],
		componentsByName: new Map(),
		graph: buildDag([], []),
		diagnostics: [],
	};
	const plan = planChanges(empty, state, options);
	return {...plan, changes: plan.changes.map((change) => ({...change, reasons: [destroyDeleteReason]}))};
}
