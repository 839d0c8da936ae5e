/**
 * What the workbench may do beyond reading the folder, provided by the CLI because only it holds
 * the tenant session and the state backend (components/ never touches AWS or files):
 *   plan(workspace)                  the plan against the recorded state of the logged-in tenant
 *                                    (as the apply's recovery will leave it, when a cut-off run
 *                                    left operations in flight: previewStackRecovery)
 *   savePlan(plan, sel)              a plan file in the current folder, to apply with `panka apply <file>`
 *   apply(plan, sel, signals)        the reviewed plan applied exactly as `panka apply` applies it
 *                                    (engine/apply/stack-change.ts: lock, recovery, staleness, applyPlan)
 *   deployedStatus(workspace)        each recorded resource's status and physical id
 *   stackCondition(workspace)        the stack lock (held, or dead: its holder is gone) and the
 *                                    operations the recorded state has in flight, for the header
 *   logs(workspace, request)         the components' CloudWatch lines, as `panka logs` reads them
 *   status(workspace, request)       each deployed component's health from AWS, as `panka status` reads it
 *   history(workspace)               every recorded deployment, as `panka history` lists them
 *   deploymentChanges(ws, d)         what one of them changed, as `panka history show` gives it
 * Without a tenant session the workbench gets no services and says how to log in.
 *
 * Invariants: nothing here writes to the terminal (Ink owns it while the workbench runs): every
 * problem is a returned error or a rejection / a throwing stream the workbench shows. The apply
 * reloads the stack folder when it starts, so what runs is what is on disk, and a folder changed
 * since the plan is refused ("plan again") rather than applied unreviewed.
 */
import os from 'node:os';
import path from 'node:path';
import type {
	ApplyService,
	DeployedStatuses,
	DeployedStatusService,
	DeploymentChangesService,
	HistoryService,
	LogsService,
	PlanService,
	SavePlanService,
	StackConditionService,
	StatusService,
	WorkbenchServices,
} from '../components/services.js';
import {
	deploymentChanges,
	describeBudget,
	estimateRecordedResources,
	hasErrors,
	makePlanFile,
	planChanges,
	PlanError,
	plural,
	regionPrices,
	type StateKey,
	tenantBudget,
	type Workspace,
	writePlanFile,
} from '../engine/index.js';
import {costSources, pricePlan, tenantSpend} from './plan-cost.js';
import {
	describeLockForPlan,
	previewStackRecovery,
	readDeploymentHistory,
	readDeploymentStates,
	readLock,
	readState,
	recoverySentences,
	type StackChangeSettings,
	StackChangeRefused,
	startStackChange,
	withForeseenRecovery,
} from '../engine/backends.js';
import {logSources} from './commands/logs.js';
import type {CommandContext} from './context.js';
import {UsageError} from './errors.js';
import type {Flags} from './flags.js';
import {erroredStateSaver, parseParallelism} from './stack-change.js';
import {
	loadTenantWorkspace,
	lockRequest,
	type StackOperation,
	stackCommands,
	stackLockOptions,
	stackOperationFor,
} from './stack-operation.js';
import {openTenantSession, type TenantSession} from './tenant-session.js';

export async function workbenchServices(context: CommandContext, flags: Flags, root: string): Promise<WorkbenchServices> {
	const session = await openTenantSession(context, flags, {required: false});
	if (!session) return {};
	const parallelism = parseParallelism(flags.parallelism);
	const scope: ServiceScope = {context, flags, root, session, parallelism, costs: await costSources(context, flags)};
	return {
		plan: planService(scope),
		savePlan: savePlanService(scope),
		apply: applyService(scope),
		logs: logsService(scope),
		status: statusService(scope),
		history: historyService(scope),
		deploymentChanges: deploymentChangesService(scope),
		stackCondition: stackConditionService(scope),
		deployedStatus: deployedStatusService(scope),
	};
}

/** What every service works with: the command's context and flags, the stack folder, the tenant session, the cost sources. */
interface ServiceScope {
	context: CommandContext;
	flags: Flags;
	root: string;
	session: TenantSession;
	parallelism: number;
	costs: Awaited<ReturnType<typeof costSources>>;
}

/** Why the session cannot act on the workspace's stack (another tenant's); undefined when it can. */
function tenantMismatch(session: TenantSession, workspace: Workspace): string | undefined {
	if (workspace.tenantName === session.tenant) return undefined;
	return `the stack belongs to tenant ${workspace.tenantName}, you are logged in as ${session.tenant}`;
}

function requireSessionTenant(session: TenantSession, workspace: Workspace): void {
	const mismatch = tenantMismatch(session, workspace);
	if (mismatch) throw new UsageError(mismatch, 'panka login as that tenant');
}

function stackKeyOf(session: TenantSession, workspace: Workspace): StateKey {
	return {tenant: session.tenant, stack: workspace.stack.name, environment: workspace.environment};
}

function planService({context, session, costs}: ServiceScope): PlanService {
	return async (workspace) => {
		const mismatch = tenantMismatch(session, workspace);
		if (mismatch) return {error: mismatch, code: 'tenant-mismatch'};
		try {
			const stored = await readState(session.backend, stackKeyOf(session, workspace));
			// What a cut-off run left is planned as the apply will resolve it (and the plan says so).
			const recovery = await previewStackRecovery(stackOperationFor(context, session, workspace), stored);
			const op = stackOperationFor(context, session, workspace);
			const plan = await pricePlan(
				op,
				withForeseenRecovery(planChanges(workspace, recovery.state, {createdAt: new Date().toISOString()}), recovery),
				recovery.state,
				costs,
			);
			// The review shows the warnings first: the lock and what the apply resolves lead them.
			const {headlines, notes} = recoverySentences(recovery);
			return {plan: {...plan, warnings: [...headlines, ...notes, ...plan.warnings]}};
		} catch (error) {
			if (error instanceof PlanError) return {error: error.message, ...(error.hint ? {hint: error.hint} : {}), code: error.code};
			return {error: (error as Error).message, ...((error as {hint?: string}).hint ? {hint: (error as {hint: string}).hint} : {})};
		}
	};
}

function savePlanService({context, root}: ServiceScope): SavePlanService {
	return async (plan, selection) => {
		const file = path.join(context.cwd, `${plan.stack}-${plan.environment}.plan.json`);
		try {
			await writePlanFile(file, makePlanFile(plan, {stackFolder: root, selection}));
			return {path: path.relative(context.cwd, file) || file};
		} catch (error) {
			return {error: `cannot write ${file}: ${(error as Error).message}`};
		}
	};
}

/** Applies as `panka apply` does, on the folder as it is on disk, after the protected-environment and budget checks. */
function applyService({context, flags, root, session, parallelism, costs}: ServiceScope): ApplyService {
	const settings = (op: StackOperation): StackChangeSettings => ({
		operation: 'apply',
		parallelism,
		// A dead holder's lock is still broken, but silently: the terminal is the workbench's.
		lock: stackLockOptions(context, op, flags, () => {}),
		holder: lockRequest(op, 'apply'),
		saveErroredState: erroredStateSaver(context.cwd),
		commands: stackCommands(context, op),
	});
	return async function* (plan, selection, signals, confirmation) {
		// The plan's environment (the workbench may have switched since it opened).
		const op = await operationOnDisk(context, {...flags, env: plan.environment}, session, root);
		if (op.workspace.environmentSettings?.protected && confirmation?.environment !== plan.environment)
			throw new StackChangeRefused(
				`${plan.environment} is a protected environment: it is applied only once its name is typed`,
				`press y in the review and type ${plan.environment}`,
			);
		// The budget is checked again on what the states hold now: the review may have been open a while.
		const budget = (await pricePlan(op, plan, (await readState(session.backend, op.key))?.state, costs)).cost?.budget;
		if (budget?.refused)
			throw new StackChangeRefused(
				`over budget: with this plan tenant ${session.tenant} is estimated at ${describeBudget(budget)}; nothing was applied`,
				`make the stack smaller, or ask a platform admin to raise spec.limits.monthlyCost of tenant ${session.tenant}`,
			);
		yield* startStackChange(op, plan, selection, signals, settings(op));
	};
}

function logsService({context, session}: ServiceScope): LogsService {
	return async function* (workspace, request) {
		requireSessionTenant(session, workspace);
		const op = stackOperationFor(context, session, workspace);
		const {tailLogs} = await import('../engine/observe.js');
		yield* tailLogs(logSources(op, request.components), {
			clients: op.tenantClients,
			since: request.since,
			follow: request.follow,
			signal: request.signal,
		});
	};
}

function statusService({context, session}: ServiceScope): StatusService {
	return async (workspace, request) => {
		requireSessionTenant(session, workspace);
		const op = stackOperationFor(context, session, workspace);
		const stored = await readState(session.backend, op.key);
		const {readStackStatus} = await import('../engine/observe.js');
		if (!stored) return {verdict: 'unknown', components: [], readAt: new Date().toISOString()};
		return readStackStatus({state: stored.state, clients: op.tenantClients, signal: request.signal});
	};
}

function historyService({session}: ServiceScope): HistoryService {
	return async (workspace) => {
		requireSessionTenant(session, workspace);
		return readDeploymentHistory(session.backend, stackKeyOf(session, workspace));
	};
}

function deploymentChangesService({session}: ServiceScope): DeploymentChangesService {
	return async (workspace, deployment) => {
		const {before, after} = await readDeploymentStates(session.backend, stackKeyOf(session, workspace), deployment);
		return deploymentChanges(before, after);
	};
}

/** The lock (held, or dead), the operations in flight and the tenant's budget, for the header. */
function stackConditionService({session, costs}: ServiceScope): StackConditionService {
	return async (workspace) => {
		if (workspace.tenantName !== session.tenant) return {inFlight: 0};
		const key = stackKeyOf(session, workspace);
		const [holder, stored] = await Promise.all([readLock(session.backend, key), readState(session.backend, key)]);
		const lock = holder ? describeLockForPlan(holder, os.hostname()) : undefined;
		const limit = tenantBudget(session.config);
		const spend = limit ? await tenantSpend({session}, costs) : undefined;
		return {
			...(lock ? {lock: {dead: lock.dead, ...(holder?.info ? {holder: holder.info.who} : {})}} : {}),
			inFlight: stored?.state.pending.length ?? 0,
			...(limit && spend && !spend.unavailable ? {budget: {spend: spend.total, ...limit}} : {}),
		};
	};
}

/** Each recorded resource's status, physical id and monthly estimate. */
function deployedStatusService({session, costs}: ServiceScope): DeployedStatusService {
	return async (workspace) => {
		if (workspace.tenantName !== session.tenant) return {};
		const stored = await readState(session.backend, stackKeyOf(session, workspace));
		const statuses: DeployedStatuses = {};
		const prices = regionPrices({table: costs.table, region: session.config.spec.aws.region});
		const estimates = 'unavailable' in prices ? undefined : estimateRecordedResources(stored?.state, prices, costs.usage);
		// `x#deposed` is the old half of a replace in progress, not a component of the folder.
		for (const [address, resource] of Object.entries(stored?.state.resources ?? {})) {
			if (address.includes('#')) continue;
			const estimate = estimates?.get(address)?.estimate;
			statuses[address] = {
				status: resource.status,
				physicalId: resource.physicalId,
				...(estimate
					? {cost: {monthly: estimate.monthly, ...(estimate.usageBased ? {usageBased: true} : {}), prices: `${costs.table.name}`}}
					: {}),
			};
		}
		return statuses;
	};
}

/** The stack operation on the folder as it is on disk now; a folder with errors is refused. */
async function operationOnDisk(context: CommandContext, flags: Flags, session: TenantSession, root: string): Promise<StackOperation> {
	const workspace = await loadTenantWorkspace(context, flags, session, root);
	if (hasErrors(workspace.diagnostics)) {
		const errors = workspace.diagnostics.filter((d) => d.severity === 'error').length;
		throw new StackChangeRefused(
			`the stack folder has ${plural(errors, 'error')}: nothing was applied`,
			'fix them (see the Diagnostics pane), then plan again',
		);
	}
	return stackOperationFor(context, session, workspace);
}
