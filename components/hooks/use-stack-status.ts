/**
 * Asks the caller's status service for the health of the workspace's deployed components and
 * reports the answer as `status.loaded`: when the workbench opens, when the stack or environment
 * changes, whenever the reducer asks again (`request`: after every apply), and, while `refreshing`
 * (the status pane is open), `refreshMs` after each answer (`status.refresh`).
 *
 * Invariants: reads never block keys (they run outside the reducer; the pane shows the last answer
 * until the next); one read per (request, stack identity), the previous one aborted when a newer
 * is asked; an answer to a superseded ask is dropped (here, and by the reducer on its request id);
 * a rejection becomes `{error}`, never an exception in React; the next refresh is scheduled only
 * after an answer, so a slow endpoint never piles reads up.
 */
import {type Dispatch, useEffect, useRef, useState} from 'react';
import type {Workspace} from '../../engine/index.js';
import {failureOutcome, type StatusService} from '../services.js';
import type {WorkbenchAction} from '../state/actions.js';
import {statusRefreshMs} from '../status/status-lines.js';

export function useStackStatus(
	workspace: Workspace | undefined,
	request: number,
	refreshing: boolean,
	service: StatusService | undefined,
	dispatch: Dispatch<WorkbenchAction>,
	refreshMs = statusRefreshMs,
): void {
	const identity = workspace ? JSON.stringify([workspace.tenantName, workspace.stack.name, workspace.environment]) : undefined;
	const latest = useRef(workspace);
	latest.current = workspace;
	// The request whose answer arrived last: the refresh timer starts from it.
	const [answered, setAnswered] = useState(0);
	useEffect(() => {
		const current = latest.current;
		if (identity === undefined || !service || !current) return;
		const controller = new AbortController();
		void (async () => {
			let outcome: Extract<WorkbenchAction, {type: 'status.loaded'}>['outcome'];
			try {
				outcome = {status: await service(current, {signal: controller.signal})};
			} catch (error) {
				outcome = {error: failureOutcome(error).error};
			}
			if (controller.signal.aborted) return;
			dispatch({type: 'status.loaded', request, outcome});
			setAnswered(request);
		})();
		return () => controller.abort();
	}, [identity, request, service, dispatch]);
	useEffect(() => {
		if (!refreshing || answered !== request) return;
		const timer = setTimeout(() => dispatch({type: 'status.refresh'}), refreshMs);
		return () => clearTimeout(timer);
	}, [refreshing, answered, request, refreshMs, dispatch]);
}
