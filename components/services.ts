/**
 * What the workbench asks of its caller: the effects it must not perform itself.
 *
 * The workbench never talks to AWS, a state backend or the file system (docs/ARCHITECTURE.md §1): planning
 * needs the tenant session and the recorded state, saving a plan writes a file, applying takes the
 * stack's lock and changes AWS, and all of it belongs to the CLI (source/), which passes them in
 * here. Every member is optional; a missing one turns the key that needs it into a notice saying
 * what is missing.
 *
 * Contract for implementers:
 * - `plan` resolves with the plan, or with an error to show (`code` 'workspace-has-errors' sends
 *   the user to the diagnostics pane; other codes are shown as they are). A rejection, a thrown
 *   PlanError included, is shown like a returned error, with its `hint` when it has one. It is
 *   called with the workspace the user is looking at; `signal` aborts when the user leaves the
 *   planning screen (esc) or the workbench ends, and the result is then ignored anyway.
 * - `savePlan` resolves with the path it wrote (shown to the user), or an error to show. It is
 *   given the plan exactly as reviewed and the Selection made in the review
 *   (engine/plan/selection.ts); the CLI writes them with makePlanFile + writePlanFile.
 * - `apply` runs the reviewed plan with the Selection made in the review, exactly as `panka apply`
 *   does around the engine's applyPlan (source/stack-change.ts): it takes the stack's lock (a held
 *   lock is an error naming its holder), reads the state, resolves operations a crashed run left
 *   pending, refuses a plan whose state or configuration changed since it was made, runs applyPlan
 *   and releases the lock at the end, also when aborted. It returns at once; everything, refusals
 *   included, arrives through the stream: the engine's events, ending with `summary`, or an error
 *   thrown by the iterator (its message, and `hint` when it has one, are shown). `stop` aborting
 *   means the first ctrl+c (start nothing new, let the steps in flight finish), `abort` the second
 *   (abort them; they stay pending). The workbench reads the stream to its end, always.
 * - `deployedStatus` reads the recorded state of the workspace's tenant, stack and environment:
 *   each resource's status and physical id by address (none recorded: an empty record). Called
 *   when the workbench opens and after every apply; a rejection is shown as "status unknown".
 * - `stackCondition` says what a cut-off run left on the stack: the lock, when one is held (its
 *   holder, and `dead` when that holder is known to be gone), and how many operations the recorded
 *   state has in flight. Asked at the same moments as `deployedStatus`; the header shows it when
 *   there is something to show. A rejection shows nothing (the plan says it in full).
 * - `history` reads every recorded deployment from the state backend's versions, as `panka history`
 *   does; `deploymentChanges` what one of them changed, as `panka history show` does (secrets
 *   redacted by the engine). Asked when the history screen opens (`H`) and once per deployment
 *   selected there; a rejection is shown in the screen with its message.
 * - `logs` streams the CloudWatch lines of the named components of the workspace (MicroService and
 *   Lambda), from `since`, interleaved by timestamp, exactly as `panka logs` reads them
 *   (engine/logs/tail-logs.ts): with `follow` it keeps reading until `signal` aborts, without it
 *   it ends after what is there. Statuses (a fallback to polling, a retried failure) come as
 *   `log.status` events; a failure to start (no session, unknown component) is thrown.
 * - `status` reads the health of every deployed component of the workspace's tenant, stack and
 *   environment from AWS, exactly as `panka status` does (engine/status/): the recorded state's
 *   components, each with its verdict and facts. Called when the workbench opens, after every
 *   apply, and every few seconds while the status pane is open; `signal` aborts a read the
 *   workbench no longer wants. A rejection is shown as "status unknown".
 */
import type {Deployment, DeploymentChanges, DeploymentHistory, EngineEvent, Plan, Selection, Workspace} from '../engine/index.js';
import type {LogEvent, StackStatus} from '../engine/observe.js';

export type PlanOutcome = {plan: Plan} | {error: string; hint?: string; code?: string};

export type SaveOutcome = {path: string} | {error: string};

export type PlanService = (workspace: Workspace, options: {signal: AbortSignal}) => Promise<PlanOutcome>;

export type SavePlanService = (plan: Plan, selection: Selection) => Promise<SaveOutcome>;

/** First ctrl+c: `stop` aborts (start nothing new). Second: `abort` aborts (abort the steps in flight). */
export interface ApplySignals {
	stop: AbortSignal;
	abort: AbortSignal;
}

/** What the user confirmed before the apply: the protected environment's name, as typed in the review. */
export interface ApplyConfirmation {
	environment?: string;
}

export type ApplyService = (
	plan: Plan,
	selection: Selection,
	signals: ApplySignals,
	confirmation?: ApplyConfirmation,
) => AsyncIterable<EngineEvent>;

/** What the state records about one deployed resource. */
export interface DeployedResource {
	status: 'ready' | 'failed' | 'tainted';
	physicalId: string;
	/** Its estimated monthly cost from its recorded inputs, and the price table (name and date) used. */
	cost?: {monthly: number; usageBased?: boolean; prices: string};
}

/** Recorded resources by address (`service/component`). */
export type DeployedStatuses = Record<string, DeployedResource>;

export type DeployedStatusService = (workspace: Workspace) => Promise<DeployedStatuses>;

/** What a cut-off run left on the stack: a held lock, operations recorded in flight. */
export interface StackCondition {
	/** The stack's lock, when one is held: `dead` when its holder is known to be gone; `holder` who took it, when the lock says. */
	lock?: {dead: boolean; holder?: string};
	/** Operations the recorded state has in flight (a run was cut short: the next apply resolves them first). */
	inFlight: number;
	/** The tenant's estimated monthly spend (every recorded stack environment and its networking) against its limit, when it sets one. */
	budget?: {spend: number; limit: number; warnAt: number};
}

export type StackConditionService = (workspace: Workspace) => Promise<StackCondition>;

export interface LogsRequest {
	/** Names of the workspace's components whose kind has logs (`hasLogs` in the kind registry). */
	components: readonly string[];
	follow: boolean;
	/** Epoch ms of the oldest line wanted. */
	since: number;
	signal: AbortSignal;
}

export type LogsService = (workspace: Workspace, request: LogsRequest) => AsyncIterable<LogEvent>;

export type StatusService = (workspace: Workspace, request: {signal: AbortSignal}) => Promise<StackStatus>;
/** Every recorded deployment of the workspace's tenant, stack and environment, newest first (engine/state/deployments.ts). */
export type HistoryService = (workspace: Workspace) => Promise<DeploymentHistory>;

/** What one deployment of that history changed: the state before it against the state it left (engine/plan/deployment-diff.ts). */
export type DeploymentChangesService = (workspace: Workspace, deployment: Deployment) => Promise<DeploymentChanges>;

export interface WorkbenchServices {
	/** Why the workbench plans, applies and tails nothing (read-only): shown when those keys are pressed. */
	readOnly?: string;
	/** Plans the workspace against the recorded state of its tenant, stack and environment. */
	plan?: PlanService;
	/** Saves the plan with the review's selection as a plan file. */
	savePlan?: SavePlanService;
	/** Applies the reviewed plan with its selection, as `panka apply` does. */
	apply?: ApplyService;
	/** What is deployed: the recorded state's resources. */
	deployedStatus?: DeployedStatusService;
	/** A held or dead lock and the operations a crashed run left in flight. */
	stackCondition?: StackConditionService;
	/** Tails the CloudWatch logs of components, as `panka logs` does. */
	logs?: LogsService;
	/** Reads each deployed component's health from AWS, as `panka status` does. */
	status?: StatusService;
	/** The deployment history, as `panka history` lists it. */
	history?: HistoryService;
	/** What one deployment changed, as `panka history show` gives it. */
	deploymentChanges?: DeploymentChangesService;
}

/** A rejection from a service as an outcome: its message, and its `hint`/`code` when it has them (PlanError does). */
export function failureOutcome(error: unknown): {error: string; hint?: string; code?: string} {
	if (!(error instanceof Error)) return {error: String(error)};
	const {hint, code} = error as {hint?: unknown; code?: unknown};
	return {error: error.message, ...(typeof hint === 'string' ? {hint} : {}), ...(typeof code === 'string' ? {code} : {})};
}
