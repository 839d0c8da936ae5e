/**
 * Asks the caller's deployedStatus service what is deployed for the workspace's tenant, stack and
 * environment, and reports the answer as `deployed.loaded`: when the workbench opens (the first
 * workspace), when the stack or environment changes, and whenever the reducer asks again
 * (`deployedRequests`: after every apply).
 *
 * Invariants: one call per (request, stack identity); an answer to a superseded ask is dropped
 * (here, and by the reducer on its request id); a rejection becomes `{error}`, never an exception
 * in React. File saves that leave the stack's identity alone do not ask again.
 */
import {type Dispatch, useEffect, useRef} from 'react';
import type {Workspace} from '../../engine/index.js';
import {type DeployedStatusService, failureOutcome} from '../services.js';
import type {WorkbenchAction} from '../state/actions.js';

export function useDeployedStatus(
	workspace: Workspace | undefined,
	request: number,
	service: DeployedStatusService | undefined,
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
			let outcome: {statuses: Awaited<ReturnType<DeployedStatusService>>} | {error: string};
			try {
				outcome = {statuses: await service(current)};
			} catch (error) {
				outcome = {error: failureOutcome(error).error};
			}
			if (!superseded) dispatch({type: 'deployed.loaded', request, outcome});
		})();
		return () => {
			superseded = true;
		};
	}, [identity, request, service, dispatch]);
}
