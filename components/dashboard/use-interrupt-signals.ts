/**
 * Turns the dashboard's requested interrupt (none → stop → abort, set by ctrl+c in the reducer)
 * into calls of the host's stop and abort, used by the terminal dashboard and the workbench alike.
 *
 * Invariants: per run (`run` identifies it; a new run starts from none), each is called at most
 * once, stop always before abort (when both keys were handled in one render, both are called, in
 * order), right after the render that asked for them.
 */
import {useEffect, useRef} from 'react';
import type {Interrupt} from './dashboard-state.js';

const level: Record<Interrupt, number> = {none: 0, stop: 1, abort: 2};

export function useInterruptSignals(interrupt: Interrupt, onStop: () => void, onAbort: () => void, run: unknown = undefined): void {
	const signalled = useRef<{run: unknown; level: number}>({run, level: 0});
	useEffect(() => {
		if (signalled.current.run !== run) signalled.current = {run, level: 0};
		const wanted = level[interrupt];
		if (wanted >= 1 && signalled.current.level < 1) {
			signalled.current.level = 1;
			onStop();
		}
		if (wanted >= 2 && signalled.current.level < 2) {
			signalled.current.level = 2;
			onAbort();
		}
	}, [interrupt, onStop, onAbort, run]);
}
