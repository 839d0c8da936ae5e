/**
 * What the workbench may do beyond reading the folder, provided by the CLI because only it holds
 * the tenant session and the state backend (components/ never touches AWS or files):
 *   plan(workspace)       the plan against the recorded state of the logged-in tenant
 *   savePlan(plan, sel)   a plan file in the current folder, to apply with `panka apply <file>`
 * Without a tenant session the workbench gets no services and says how to log in.
 */
import path from 'node:path';
import type {WorkbenchServices} from '../components/services.js';
import {PlanError, planChanges} from '../engine/plan/plan.js';
import {makePlanFile, writePlanFile} from '../engine/plan/plan-file.js';
import {readState} from '../engine/state/state-store.js';
import type {CommandContext} from './context.js';
import type {Flags} from './flags.js';
import {openTenantSession} from './tenant-session.js';

export async function workbenchServices(context: CommandContext, flags: Flags, root: string): Promise<WorkbenchServices> {
	const session = await openTenantSession(context, flags, {required: false});
	if (!session) return {};
	return {
		async plan(workspace) {
			if (workspace.tenantName !== session.tenant) return {error: `the stack belongs to tenant ${workspace.tenantName}, you are logged in as ${session.tenant}`, code: 'tenant-mismatch'};
			try {
				const stored = await readState(session.backend, {tenant: session.tenant, stack: workspace.stack.name, environment: workspace.environment});
				return {plan: planChanges(workspace, stored?.state, {createdAt: new Date().toISOString()})};
			} catch (error) {
				if (error instanceof PlanError) return {error: error.message, ...(error.hint ? {hint: error.hint} : {}), code: error.code};
				return {error: (error as Error).message, ...((error as {hint?: string}).hint ? {hint: (error as {hint: string}).hint} : {})};
			}
		},
		async savePlan(plan, selection) {
			const file = path.join(context.cwd, `${plan.stack}-${plan.environment}.plan.json`);
			try {
				await writePlanFile(file, makePlanFile(plan, {stackFolder: root, selection}));
				return {path: path.relative(context.cwd, file) || file};
			} catch (error) {
				return {error: `cannot write ${file}: ${(error as Error).message}`};
			}
		},
	};
}
