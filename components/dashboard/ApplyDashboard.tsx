/**
 * The apply dashboard as an app of its own (`panka apply` / `panka destroy` in a terminal): the
 * dashboard pane and a footer of key hints. It reads the engine's event stream itself (in
 * render-sized batches), asks the caller to stop or abort the engine on ctrl+c, and reports once,
 * through `onDone`, when the user leaves the finished run; then it draws nothing, so the caller's
 * own report follows on a clean terminal.
 *
 * Invariants:
 * - The stream is read from mount to its end, once (`events` must keep its identity).
 * - `onStop` is called on the first ctrl+c and `onAbort` on the second, each at most once, in that
 *   order (two ctrl+c in one chunk call both). The dashboard never touches process signals or
 *   process.exitCode: the caller maps the summary to an exit code.
 * - Keys are read only where stdin supports raw mode; the clock ticks only while the apply runs.
 */
import {Box, useInput, useStdin} from 'ink';
import {useCallback, useEffect, useReducer, useRef} from 'react';
import type {EngineEvent, Plan, Selection} from '../../engine/index.js';
import {Footer} from '../Footer.js';
import {useTerminalSize} from '../hooks/use-terminal-size.js';
import {keyPressesFromInk} from '../keymap.js';
import {terminalViewport} from '../review/terminal-review.js';
import {layoutFor} from '../state/layout.js';
import {TooSmall} from '../TooSmall.js';
import {LiveDashboardScreen} from './DashboardScreen.js';
import type {SummaryEvent} from './dashboard-state.js';
import {defaultFrameMs, readEventBatches, streamFailure} from './event-batches.js';
import {initialTerminalDashboard, terminalDashboardContexts, terminalDashboardReducer} from './terminal-dashboard.js';
import {useInterruptSignals} from './use-interrupt-signals.js';

export interface ApplyDashboardResult {
	summary?: SummaryEvent;
	/** What the stream threw, if it did. */
	error?: unknown;
}

export interface ApplyDashboardProps {
	events: AsyncIterable<EngineEvent>;
	plan: Plan;
	/** The approved changes (default: the whole plan); only seeds the rows until the engine lists its steps. */
	selection?: Selection;
	operation: 'apply' | 'destroy';
	onStop: () => void;
	onAbort: () => void;
	onDone: (result: ApplyDashboardResult) => void;
	/** Render budget: at most one batch of events per this many ms (default ~30 frames/s). */
	frameMs?: number;
}

export function ApplyDashboard({
	events,
	plan,
	selection,
	operation,
	onStop,
	onAbort,
	onDone,
	frameMs = defaultFrameMs,
}: ApplyDashboardProps) {
	const size = useTerminalSize();
	const [state, dispatch] = useReducer(
		terminalDashboardReducer,
		{plan, ...(selection ? {selection} : {}), operation, size, now: Date.now()},
		initialTerminalDashboard,
	);
	useEffect(() => {
		dispatch({type: 'resize', size});
	}, [size]);

	const failure = useRef<unknown>(undefined);
	useEffect(() => {
		const reader = readEventBatches(
			events,
			{
				onBatch: (batch) => dispatch({type: 'events', events: batch}),
				onEnd: (error) => {
					failure.current = error;
					dispatch({type: 'ended', ...(error ? {error: streamFailure(error)} : {})});
				},
			},
			frameMs,
		);
		return () => reader.detach();
	}, [events, frameMs]);

	useInterruptSignals(state.run.interrupt, onStop, onAbort);

	const {isRawModeSupported} = useStdin();
	const onKey = useCallback((input: string, key: Parameters<typeof keyPressesFromInk>[1]) => {
		for (const press of keyPressesFromInk(input, key)) dispatch({type: 'key', press});
	}, []);
	useInput(onKey, {isActive: isRawModeSupported === true});

	const {left, run} = state;
	useEffect(() => {
		if (left) onDone({...(run.summary ? {summary: run.summary} : {}), ...(failure.current ? {error: failure.current} : {})});
	}, [left, run.summary, onDone]);

	if (left) return null;
	const layout = layoutFor(state.size);
	if (layout.tooSmall) return <TooSmall size={state.size} />;
	const viewport = terminalViewport(state.size);
	return (
		<Box flexDirection="column" width={layout.width} height={viewport.height + 1}>
			<LiveDashboardScreen run={run} width={viewport.width} height={viewport.height} />
			<Footer contexts={terminalDashboardContexts(run)} width={layout.width} />
		</Box>
	);
}
