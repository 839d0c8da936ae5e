/**
 * Asks the caller's deployedStatus service what is deployed for the workspace's tenant, stack and
 * environment, and reports the answer as `deployed.loaded`: when the workbench opens (the first
 * workspace), when the stack or environment changes, and whenever the reducer asks again
 * (`deployedRequests`: after every apply). The stack's condition (`stackCondition`: a held lock,
 * operations in flight) is asked at the same moments and comes with the same action.
 *
 * Invariants: one call per (request, stack identity); an answer to a superseded ask is dropped
 * (here, and by the reducer on its request id); a rejection becomes `{error}`, never an exception
 * in React. File saves that leave the stack's identity alone do not ask again.
 */
import {type Dispatch, useEffect, useRef} from 'react';
import type {Workspace} from '../../engine/index.js';
import {type DeployedStatusService, failureOutcome, type StackCondition, type StackConditionService} from '../services.js';
import type {WorkbenchAction} from '../state/actions.js';

export function useDeployedStatus(
	workspace: Workspace | undefined,
	request: number,
	service: DeployedStatusService | undefined,
	conditionService: StackConditionService | undefined,
	dispatch: Dispatch<WorkbenchAction>,
): void {
	const identity = workspace ? JSON.stringify([workspace.tenantName, workspace.stack.name, workspace.environment]) : undefined;
	const latest = useRef(workspace);
	latest.current = workspace;
	useEffect(() => {
		const current = latest.current;
		if (identity === undefined || !service || !current) return;
		let superseded = false;
		void (async () => {
			// The condition is a mark in the header: when it cannot be read, there is none to show.
			const asked = conditionService?.(current).catch(() => undefined);
			let outcome: {statuses: Awaited<ReturnType<DeployedStatusService>>} | {error: string};
			try {
				outcome = {statuses: await service(current)};
			} catch (error) {
				outcome = {error: failureOutcome(error).error};
			}
			const condition: StackCondition | undefined = await asked;
			if (!superseded) dispatch({type: 'deployed.loaded', request, outcome, ...(condition ? {condition} : {})});
		})();
		return () => {
			superseded = true;
		};
	}, [identity, request, service, conditionService, dispatch]);
}
