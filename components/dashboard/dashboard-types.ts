/**
 * The apply dashboard's state and model: the types dashboard-state.ts keeps, dashboard-rows.ts
 * builds and dashboard-lines.ts draws, apart so those modules never import each other in a circle.
 */
import type {ApplyAction, EngineEvent} from '../../engine/index.js';
import type {Line} from '../model/line.js';
import type {ListCursor} from '../state/list-cursor.js';

export type SummaryEvent = Extract<EngineEvent, {type: 'summary'}>;

export type StepStatus = 'pending' | 'running' | 'done' | 'failed' | 'skipped' | 'not-started';

export interface StepRow {
	key: string;
	address: string;
	action: ApplyAction;
	kind: string;
	status: StepStatus;
	/** Epoch ms of its resource.start. */
	startedAt?: number;
	elapsedMs?: number;
	/** The latest resource.progress while it runs. */
	phase?: string;
	error?: {code: string; message: string};
	/** Why it was skipped. */
	reason?: string;
	physicalId?: string;
	/** Done, and nothing needed changing (the stack security group's rules already matched). */
	unchanged?: true;
}

export type Interrupt = 'none' | 'stop' | 'abort';

export interface DashboardState {
	operation: 'apply' | 'destroy';
	stack: string;
	tenant: string;
	environment: string;
	/** The environment is protected in stack.yaml: the title says so. */
	protectedEnvironment?: boolean;
	rows: readonly StepRow[];
	/** `apply.start` arrived: the lock is held and the engine runs. */
	started: boolean;
	/** Epoch ms: when the dashboard opened (when the host knows), then the engine's start. */
	startedAt?: number;
	parallelism?: number;
	/** What the user asked for with ctrl+c. */
	interrupt: Interrupt;
	/** What the engine reported doing about it. */
	interruptedBy?: 'stop' | 'abort';
	/** The engine stopped starting steps by itself: its lock was lost, or the state could not be saved. */
	halted?: {reason: 'lock-lost' | 'state-not-saved'; message: string};
	summary?: SummaryEvent;
	/** The stream failed before or instead of its summary. */
	failure?: {message: string; hint?: string};
	stateProblem?: {message: string; instructions: string; savedTo?: string};
	serial?: number;
	ended: boolean;
	cursor: ListCursor;
	follow: boolean;
}

/** Outer size of the dashboard pane (borders included). */
export interface DashboardViewport {
	width: number;
	height: number;
}

export interface StepCounts {
	total: number;
	done: number;
	failed: number;
	skipped: number;
	notStarted: number;
	running: number;
	pending: number;
	/** Steps that will not change any more. */
	settled: number;
}

export type DashboardEntry =
	| {type: 'step'; key: string; row: StepRow}
	| {type: 'error'; key: string; row: StepRow; text: string; first: boolean}
	| {type: 'line'; key: string; line: Line};

export interface DashboardModel {
	entries: DashboardEntry[];
	indexByKey: ReadonlyMap<string, number>;
	/** Column widths over every step, so a step starting or ending never shifts the columns. */
	addressWidth: number;
	actionWidth: number;
	kindWidth: number;
}
