/**
 * Performs a wizard's only effect: writing the confirmed plan with the engine's writeScaffold
 * (the same call the flag path makes), once, when `active` turns true. Reports back through
 * `written` / `write-failed` actions; a result arriving after unmount is dropped.
 */
import {type Dispatch, useEffect} from 'react';
import {type ScaffoldPlan, writeScaffold} from '../../engine/scaffold/scaffold.js';

export type WriteAction = {type: 'written'; written: string[]} | {type: 'write-failed'; message: string};

export function useScaffoldWrite(plan: Extract<ScaffoldPlan, {ok: true}> | undefined, active: boolean, dispatch: Dispatch<WriteAction>): void {
	useEffect(() => {
		if (!active || !plan) return;
		let live = true;
		writeScaffold(plan).then(
			(written) => {
				if (live) dispatch({type: 'written', written});
			},
			(error: unknown) => {
				if (live) dispatch({type: 'write-failed', message: error instanceof Error ? error.message : String(error)});
			},
		);
		return () => {
			live = false;
		};
	}, [plan, active, dispatch]);
}
