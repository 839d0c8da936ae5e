/**
 * The workbench app: state (reducer), the engine's workspace stream, keys, and exit.
 *
 * Invariants:
 * - The only useInput of the workbench forwards raw keys to the reducer (it never reads state,
 *   so it is never stale); it is active only where stdin supports raw mode.
 * - Exiting is a state change (`exit`), then this component calls `onExit(code)` and Ink's exit:
 *   0 for q, 130 for ctrl+c. Components never touch process.exitCode.
 * - The watcher runs for the life of the component and stops on unmount or when `signal` aborts.
 * - Planning, saving a plan, applying and reading what is deployed are the caller's (`services`,
 *   see services.ts); this component only runs them when the state asks (use-plan-service,
 *   use-plan-save, use-apply-service, use-deployed-status, use-log-tail, use-stack-status). `services` must keep its
 *   use-plan-save, use-apply-service, use-deployed-status, use-log-tail, use-history-service). `services` must keep its
 *   identity for the life of the workbench, like `options`.
 */
import {useApp, useInput, useStdin} from 'ink';
import {useCallback, useEffect, useMemo, useReducer} from 'react';
import {FileCache, type Plan, type WorkspaceOptions} from '../engine/index.js';
import {useApplyService} from './hooks/use-apply-service.js';
import {useDeployedStatus} from './hooks/use-deployed-status.js';
import {useHistoryService} from './hooks/use-history-service.js';
import {type LogTailHandlers, useLogTail} from './hooks/use-log-tail.js';
import {usePlanSave} from './hooks/use-plan-save.js';
import {usePlanService} from './hooks/use-plan-service.js';
import {useStackStatus} from './hooks/use-stack-status.js';
import {useTerminalSize} from './hooks/use-terminal-size.js';
import {useWorkspaceWatch} from './hooks/use-workspace-watch.js';
import {keyPressesFromInk} from './keymap.js';
import type {WizardResult} from './state/actions.js';
import type {SaveOutcome, WorkbenchServices} from './services.js';
import {screenOf, workbenchReducer} from './state/reducer.js';
import {initialState} from './state/workbench-state.js';
import {WorkbenchView} from './WorkbenchView.js';

export interface WorkbenchProps {
	/** Absolute path of the stack folder. */
	root: string;
	/** Must keep its identity for the life of the workbench. */
	options: WorkspaceOptions;
	onExit?: (code: number) => void;
	signal?: AbortSignal;
	debounceMs?: number;
	/** What the workbench may ask of its caller: planning, saving plans, applying, what is deployed. */
	services?: WorkbenchServices;
	/** No colour: the graph drawing uses glyphs for what colour would say. */
	noColor?: boolean;
	/** How often the open status pane reads the health again (default every 5 s). */
	statusRefreshMs?: number;
}

const noServices: WorkbenchServices = {};

export function Workbench({
	root,
	options,
	onExit,
	signal,
	debounceMs,
	services = noServices,
	noColor = false,
	statusRefreshMs,
}: WorkbenchProps) {
	const size = useTerminalSize();
	const [state, dispatch] = useReducer(workbenchReducer, {root, size, services, noColor}, initialState);
	useEffect(() => {
		dispatch({type: 'resize', size});
	}, [size]);
	// `e` switches environment: the folder is resolved again for it (a new watch, sharing the parsed
	// files of the last one: only resolution runs again), keeping everything else.
	const environment = state.environment;
	const cache = useMemo(() => options.cache ?? new FileCache(), [options]);
	const watchOptions = useMemo(() => ({...options, cache, ...(environment ? {environment} : {})}), [options, cache, environment]);
	useWorkspaceWatch(root, watchOptions, dispatch, {...(signal ? {signal} : {}), ...(debounceMs !== undefined ? {debounceMs} : {})});
	usePlanService(state.screen, services.plan, dispatch);
	const onSaved = useCallback(
		(plan: Plan, request: number, outcome: SaveOutcome) => dispatch({type: 'plan.saved', plan, request, outcome}),
		[],
	);
	usePlanSave(screenOf(state.screen, 'review')?.review, services.savePlan, onSaved);
	useApplyService(state.screen, services.apply, dispatch);
	useDeployedStatus(state.workspace, state.deployedRequests, services.deployedStatus, services.stackCondition, dispatch);
	useStackStatus(
		state.workspace,
		state.healthRequests,
		screenOf(state.screen, 'status') !== undefined,
		services.status,
		dispatch,
		statusRefreshMs,
	);
	useHistoryService(screenOf(state.screen, 'history'), services.history, services.deploymentChanges, dispatch);
	const logsScreen = screenOf(state.screen, 'logs');
	const logsPane = logsScreen?.pane;
	const logTailHandlers = useMemo((): LogTailHandlers | undefined => {
		if (logsPane === undefined) return undefined;
		return {
			onLines: (lines) => dispatch({type: 'logs.lines', pane: logsPane, lines}),
			onStatus: (notice) => dispatch({type: 'logs.status', pane: logsPane, notice}),
			onEnded: (tailRequest, error) => dispatch({type: 'logs.ended', pane: logsPane, tailRequest, ...(error ? {error} : {})}),
		};
	}, [logsPane]);
	useLogTail(
		services.logs,
		logsScreen && logTailHandlers
			? {
					workspace: logsScreen.workspace,
					target: logsScreen.logs.target,
					following: logsScreen.logs.following,
					tailRequest: logsScreen.logs.tailRequest,
				}
			: undefined,
		logTailHandlers,
	);

	const {isRawModeSupported} = useStdin();
	const onKey = useCallback((input: string, key: Parameters<typeof keyPressesFromInk>[1]) => {
		for (const press of keyPressesFromInk(input, key)) dispatch({type: 'key', press});
	}, []);
	useInput(onKey, {isActive: isRawModeSupported === true});

	const {exit} = useApp();
	useEffect(() => {
		if (!state.exit) return;
		onExit?.(state.exit.code);
		exit();
	}, [state.exit, onExit, exit]);

	const onWizardDone = useCallback((result: WizardResult | undefined) => dispatch({type: 'wizard.finished', result}), []);
	return <WorkbenchView state={state} onWizardDone={onWizardDone} />;
}
