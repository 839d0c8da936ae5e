/**
 * Runs the caller's plan service for the workbench's `planning` screen and reports its answer as
 * `plan.finished`. The workbench itself never plans against a backend (docs/ARCHITECTURE.md §1): the service
 * comes from the CLI, which holds the tenant session and the state backend.
 *
 * Invariants:
 * - One call per planning request; leaving the planning screen (esc) or unmounting aborts the
 *   service's signal and drops its answer, so a late plan never replaces what the user went to.
 * - A rejection (a thrown PlanError included) becomes an outcome with its message and hint; the
 *   hook never throws into React.
 */
import {type Dispatch, useEffect} from 'react';
import {failureOutcome, type PlanOutcome, type PlanService} from '../services.js';
import type {WorkbenchAction} from '../state/actions.js';
import type {Screen} from '../state/screens.js';

export function usePlanService(screen: Screen, plan: PlanService | undefined, dispatch: Dispatch<WorkbenchAction>): void {
	const request = screen.type === 'planning' ? screen.request : undefined;
	const workspace = screen.type === 'planning' ? screen.workspace : undefined;
	useEffect(() => {
		if (request === undefined || workspace === undefined) return;
		const controller = new AbortController();
		void (async () => {
			let outcome: PlanOutcome;
			try {
				outcome = plan ? await plan(workspace, {signal: controller.signal}) : {error: 'no plan service'};
			} catch (error) {
				outcome = failureOutcome(error);
			}
			if (!controller.signal.aborted) dispatch({type: 'plan.finished', request, outcome});
		})();
		return () => controller.abort();
	}, [request, workspace, plan, dispatch]);
}
