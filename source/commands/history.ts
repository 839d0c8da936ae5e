/**
 * `panka history [folder] [--env] [--json]`: every deployment the state backend's versions record
 * for the stack and environment (serial, when, who, operation, change counts, completed or not),
 * newest first. `panka history show <serial> [folder]`: what that deployment changed, field by
 * field, between the state before it and the state it left, secrets redacted. Both only read.
 *
 * The list and the diff are the engine's (engine/state/deployments.ts, engine/plan/deployment-diff.ts);
 * this module reads the backend through the logged-in tenant's session and prints.
 */
import type {Deployment, StateKey} from '../../engine/index.js';
import {findDeployment, readDeploymentHistory, readDeploymentStates} from '../../engine/backends.js';
import {
	countsText,
	type DeploymentChanges,
	deploymentChanges,
	deploymentTime as when,
	environmentLabel,
	operationText,
	outcomeText,
	planCounts,
	printable,
	undeclaredEnvironment,
} from '../../engine/index.js';
import {type CommandContext, type Paint, painter, writeLine} from '../context.js';
import {UsageError} from '../errors.js';
import type {Flags} from '../flags.js';
import {jsonDocument} from '../render/json.js';
import {renderChange, renderField} from '../render/plan-text.js';
import {loadTenantWorkspace} from '../stack-operation.js';
import {stackFolderArg} from '../workspace-options.js';
import {writeTable} from '../views/tables.js';
import {Output} from '../views/view.js';

/** A deployment that cannot be shown (exit 1): why, and what to do. */
export class HistoryRefused extends Error {
	constructor(
		message: string,
		readonly hint: string,
	) {
		super(message);
	}
}

export async function historyCommand(args: string[], flags: Flags, context: CommandContext): Promise<number> {
	if (args.length > 1)
		throw new UsageError(`panka history takes one folder, got: ${args.join(' ')}`, 'panka history show <serial> shows one deployment');
	const {key, backend, protectedEnvironment} = await openHistory(context, flags, args[0]);
	const history = await readDeploymentHistory(backend, key);
	if (flags.json) {
		writeLine(context.stdout, jsonDocument('DeploymentHistory', {stack: key, backend: backend.description, ...history}));
		return 0;
	}
	const paint = painter(context.color);
	writeLine(
		context.stdout,
		paint(
			`History of ${key.stack} · tenant ${key.tenant} · environment ${environmentLabel(key.environment, protectedEnvironment)}`,
			'bold',
		),
	);
	if (history.deployments.length === 0 && history.unreadable.length === 0) {
		writeLine(
			context.stdout,
			`No deployments recorded: ${key.stack} (${key.environment}) has never been applied on ${backend.description}.`,
		);
		return 0;
	}
	const rows = history.deployments.map((d) => [
		printable(d.label),
		printable(when(d.at)),
		printable(d.by ?? 'unknown'),
		operationText(d),
		countsText(d),
		outcomeText(d),
	]);
	writeTable(new Output(context), ['SERIAL', 'WHEN', 'WHO', 'OPERATION', 'CHANGES', 'OUTCOME'], rows);
	for (const version of history.unreadable)
		writeLine(
			context.stdout,
			paint(`  unreadable version ${version.versionId} (${when(version.modified)}): ${printable(version.problem)}`, 'yellow'),
		);
	writeLine(
		context.stdout,
		paint(
			`${history.deployments.length} deployment${history.deployments.length === 1 ? '' : 's'} on ${backend.description}${history.exists ? '' : '; no state now (destroyed)'} · panka history show <serial> shows what one changed`,
			'gray',
		),
	);
	return 0;
}

export async function historyShowCommand(args: string[], flags: Flags, context: CommandContext): Promise<number> {
	if (args.length < 1 || args.length > 2)
		throw new UsageError('panka history show takes <serial> [folder]', 'e.g. panka history show 7 (panka history lists the serials)');
	const [label, folder] = args as [string, string | undefined];
	const {key, backend} = await openHistory(context, flags, folder);
	const history = await readDeploymentHistory(backend, key);
	const found = findDeployment(history, label);
	if (!found.ok) throw new HistoryRefused(found.message, found.hint);
	const {deployment} = found;
	const {before, after} = await readDeploymentStates(backend, key, deployment);
	const changes = deploymentChanges(before, after);
	if (flags.json) {
		writeLine(context.stdout, jsonDocument('DeploymentChanges', {stack: key, deployment, ...changes}));
		return 0;
	}
	for (const line of deploymentChangesText(deployment, changes, painter(context.color))) writeLine(context.stdout, line);
	return 0;
}

/** The deployment's header, then each resource's change as a plan shows it, then the counts. */
export function deploymentChangesText(deployment: Deployment, changes: DeploymentChanges, paint: Paint): string[] {
	const lines = [
		paint(
			`Deployment ${deployment.label}: ${operationText(deployment)} by ${printable(deployment.by ?? 'unknown')} at ${when(deployment.at)}, ${outcomeText(deployment)}`,
			'bold',
		),
		paint(
			deployment.beforeVersionId
				? `Compared with the state before it (serial ${deployment.firstSerial - 1}); secrets show as (sensitive).`
				: `The first deployment of this state (lineage ${printable(deployment.lineage)}): everything it recorded is new.`,
			'gray',
		),
	];
	for (const variable of changes.variables) lines.push(`  ${renderField({...variable, path: `variables.${variable.path}`}, paint)}`);
	for (const change of changes.changes) {
		lines.push('');
		// A state may have been edited by hand: what it names is shown printable (values and paths are already).
		const shown = {
			...change,
			address: printable(change.address),
			kind: printable(change.kind),
			physicalName: printable(change.physicalName),
			reasons: change.reasons.map(printable),
		};
		lines.push(...renderChange(shown, paint));
	}
	lines.push('');
	const counts = planCounts(changes.summary);
	lines.push(
		counts
			? `${paint('Changed:', 'bold')} ${counts.replace(/ to /g, ' ')}.`
			: 'It changed no resource (its writes recorded the same resources).',
	);
	return lines;
}

/** The tenant's session, the stack's state key and whether the environment is protected. */
async function openHistory(context: CommandContext, flags: Flags, folder: string | undefined) {
	const {openTenantSession} = await import('../tenant-session.js');
	const session = (await openTenantSession(context, flags, {required: true}))!;
	const workspace = await loadTenantWorkspace(context, flags, session, await stackFolderArg(context, folder));
	// A mistyped --env would read as "never applied": name the declared ones instead.
	const undeclared = undeclaredEnvironment(workspace.stack.document, workspace.environment);
	if (undeclared) throw new UsageError(undeclared.message, undeclared.hint);
	const key: StateKey = {tenant: session.tenant, stack: workspace.stack.name, environment: workspace.environment};
	return {key, backend: session.backend, protectedEnvironment: workspace.environmentSettings?.protected === true};
}
