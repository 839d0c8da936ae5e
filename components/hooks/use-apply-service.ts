/**
 * Performs the apply the workbench's dashboard asks for (a `dashboard` screen with a new
 * `request`): calls the caller's apply service with the reviewed plan, its Selection and two
 * signals, reads the event stream in render-sized batches (`apply.events`) to its end
 * (`apply.ended`), and turns the dashboard's ctrl+c requests into the signals: the first aborts
 * `stop` (start nothing new), the second `abort` (abort the steps in flight).
 *
 * Invariants:
 * - One service call per apply request; the stream is always read to its end (the service
 *   releases the stack's lock when it ends), also when the screen goes away or the workbench
 *   unmounts mid-run: then both signals fire and nothing more is dispatched.
 * - The help overlay over the dashboard changes nothing here (the run is found under it).
 * - A service that throws instead of returning a stream is reported like a stream that throws.
 */
import {type Dispatch, useCallback, useEffect, useRef} from 'react';
import type {EngineEvent} from '../../engine/index.js';
import {readEventBatches, streamFailure} from '../dashboard/event-batches.js';
import {useInterruptSignals} from '../dashboard/use-interrupt-signals.js';
import type {ApplyService} from '../services.js';
import type {WorkbenchAction} from '../state/actions.js';
import {screenOf} from '../state/reducer.js';
import type {Screen} from '../state/screens.js';

export function useApplyService(screen: Screen, apply: ApplyService | undefined, dispatch: Dispatch<WorkbenchAction>): void {
	const dashboard = screenOf(screen, 'dashboard');
	const request = dashboard?.request;
	const plan = dashboard?.plan;
	const selection = dashboard?.selection;
	const confirmedEnvironment = dashboard?.confirmedEnvironment;
	const signals = useRef<{request: number; stop: AbortController; abort: AbortController} | undefined>(undefined);

	useEffect(() => {
		if (request === undefined || plan === undefined || selection === undefined) return;
		const stop = new AbortController();
		const abort = new AbortController();
		signals.current = {request, stop, abort};
		let events: AsyncIterable<EngineEvent>;
		try {
			if (!apply) throw new Error('applying is not available here');
			events = apply(
				plan,
				selection,
				{stop: stop.signal, abort: abort.signal},
				confirmedEnvironment ? {environment: confirmedEnvironment} : undefined,
			);
		} catch (error) {
			events = failed(error);
		}
		const reader = readEventBatches(events, {
			onBatch: (batch) => dispatch({type: 'apply.events', request, events: batch}),
			onEnd: (error) => dispatch({type: 'apply.ended', request, ...(error ? {error: streamFailure(error)} : {})}),
		});
		return () => {
			reader.detach();
			stop.abort();
			abort.abort();
		};
	}, [request, plan, selection, confirmedEnvironment, apply, dispatch]);

	const onStop = useCallback(() => {
		const current = signals.current;
		if (current && current.request === request) current.stop.abort();
	}, [request]);
	const onAbort = useCallback(() => {
		const current = signals.current;
		if (current && current.request === request) current.abort.abort();
	}, [request]);
	useInterruptSignals(dashboard?.run.interrupt ?? 'none', onStop, onAbort, request);
}

// biome-ignore lint/correctness/useYield: a stream that fails on its first read
async function* failed(error: unknown): AsyncGenerator<EngineEvent> {
	throw error;
}
