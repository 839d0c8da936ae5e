/**
 * The plan review as an app of its own (`panka plan` in a terminal): the review pane and a footer
 * of key hints, nothing else. Reports how it ended once, through `onDone`, and then draws nothing,
 * so the caller's own output follows a clean terminal.
 *
 * Invariants: keys are read only where stdin supports raw mode; saving goes through the caller's
 * `savePlan` (use-plan-save), never through a file of its own; `savePlan` must keep its identity.
 */
import {Box, useInput, useStdin} from 'ink';
import {useCallback, useEffect, useReducer} from 'react';
import type {Plan} from '../../engine/index.js';
import {Footer} from '../Footer.js';
import {usePlanSave} from '../hooks/use-plan-save.js';
import {useTerminalSize} from '../hooks/use-terminal-size.js';
import {keyPressesFromInk} from '../keymap.js';
import type {SaveOutcome, SavePlanService} from '../services.js';
import {layoutFor} from '../state/layout.js';
import {TooSmall} from '../TooSmall.js';
import {ReviewScreen} from './ReviewScreen.js';
import {
	initialTerminalReview,
	type PlanReviewResult,
	type ReviewIntent,
	terminalContexts,
	terminalReviewReducer,
	terminalViewport,
} from './terminal-review.js';

export interface PlanReviewProps {
	plan: Plan;
	savePlan?: SavePlanService;
	/** `apply`: y confirms (panka apply); `plan` (default): s confirms. */
	intent?: ReviewIntent;
	onDone: (result: PlanReviewResult) => void;
}

export function PlanReview({plan, savePlan, intent = 'plan', onDone}: PlanReviewProps) {
	const size = useTerminalSize();
	const [state, dispatch] = useReducer(terminalReviewReducer, {plan, size, canSave: savePlan !== undefined, intent}, initialTerminalReview);
	useEffect(() => {
		dispatch({type: 'resize', size});
	}, [size]);

	const {isRawModeSupported} = useStdin();
	const onKey = useCallback((input: string, key: Parameters<typeof keyPressesFromInk>[1]) => {
		for (const press of keyPressesFromInk(input, key)) dispatch({type: 'key', press});
	}, []);
	useInput(onKey, {isActive: isRawModeSupported === true});

	const onSaved = useCallback(
		(saved: Plan, request: number, outcome: SaveOutcome) => dispatch({type: 'saved', plan: saved, request, outcome}),
		[],
	);
	usePlanSave(state.review, savePlan, onSaved);

	const {ended} = state;
	useEffect(() => {
		if (ended) onDone(ended.result);
	}, [ended, onDone]);

	if (ended) return null;
	const layout = layoutFor(state.size);
	if (layout.tooSmall) return <TooSmall size={state.size} />;
	const viewport = terminalViewport(state.size);
	return (
		<Box flexDirection="column" width={layout.width} height={viewport.height + 1}>
			<ReviewScreen review={state.review} width={viewport.width} height={viewport.height} />
			<Footer contexts={terminalContexts(state.review, state.intent)} width={layout.width} />
		</Box>
	);
}
