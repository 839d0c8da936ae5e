/**
 * Reads what the history screen shows from the caller's services: the list of deployments once
 * per history screen (`history.loaded`), then what the selected deployment changed, once per
 * deployment (`history.changes`).
 *
 * Invariants: one call per (request) for the list and per (request, deployment) for the changes;
 * answers carry the request id, so the reducer drops those for a screen no longer shown; a
 * rejection becomes an error to show, never an exception in React.
 */
import {type Dispatch, useEffect} from 'react';
import {selectedDeployment} from '../history/history-state.js';
import {type DeploymentChangesService, failureOutcome, type HistoryService} from '../services.js';
import type {WorkbenchAction} from '../state/actions.js';
import type {Screen} from '../state/screens.js';

export function useHistoryService(
	screen: Extract<Screen, {type: 'history'}> | undefined,
	history: HistoryService | undefined,
	changes: DeploymentChangesService | undefined,
	dispatch: Dispatch<WorkbenchAction>,
): void {
	const request = screen?.request;
	const workspace = screen?.workspace;
	const listed = screen?.history.list !== undefined;
	useEffect(() => {
		if (request === undefined || !workspace || !history || listed) return;
		void history(workspace).then(
			(found) => dispatch({type: 'history.loaded', request, list: {history: found}}),
			(error: unknown) => {
				const {error: message, hint} = failureOutcome(error);
				dispatch({type: 'history.loaded', request, list: {error: message, ...(hint ? {hint} : {})}});
			},
		);
	}, [request, workspace, history, listed, dispatch]);

	const selected = screen ? selectedDeployment(screen.history) : undefined;
	const known = selected ? screen?.history.changes.has(selected.label) : true;
	useEffect(() => {
		if (request === undefined || !workspace || !changes || !selected || known) return;
		const label = selected.label;
		void changes(workspace, selected).then(
			(found) => dispatch({type: 'history.changes', request, label, changes: {changes: found}}),
			(error: unknown) => dispatch({type: 'history.changes', request, label, changes: {error: failureOutcome(error).error}}),
		);
	}, [request, workspace, changes, selected, known, dispatch]);
}
