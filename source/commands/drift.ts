/**
 * `panka drift [folder] [--json]`: read every recorded resource from AWS and report field-level
 * drift and resources deleted outside panka. Writes nothing. Exit 0 no drift, 3 drift found, 1 an
 * error (a resource that could not be read included), 2 a usage error (exitCodes).
 * `panka plan --refresh` runs the same reads first and plans against what AWS has.
 */
import type {DriftEntry} from '../../engine/operations.js';
import type {StateDocument} from '../../engine/index.js';
import {readState, readTenantNetwork} from '../../engine/backends.js';
import {type CommandContext, type Paint, painter, writeLine} from '../context.js';
import {exitCodes, UsageError} from '../errors.js';
import type {Flags} from '../flags.js';
import {jsonDocument} from '../render/json.js';
import {openStackOperation, type StackOperation} from '../stack-operation.js';

export async function driftCommand(args: string[], flags: Flags, context: CommandContext): Promise<number> {
	if (args.length > 1) throw new UsageError(`panka drift takes one folder, got: ${args.join(' ')}`);
	const op = await openStackOperation(context, args[0], flags, {allowErrors: true});
	if ('exitCode' in op) return op.exitCode;
	const stored = await readState(op.session.backend, op.key);
	if (!stored) {
		if (flags.json) writeLine(context.stdout, jsonDocument('Drift', {stack: op.key, drift: [], resources: 0}));
		else writeLine(context.stdout, `No state for ${op.key.stack} (${op.key.environment}): nothing deployed, nothing to drift.`);
		return 0;
	}
	const {drift} = await refresh(op, stored.state);
	if (flags.json)
		writeLine(context.stdout, jsonDocument('Drift', {stack: op.key, resources: Object.keys(stored.state.resources).length, drift}));
	else
		for (const line of renderDrift(drift, Object.keys(stored.state.resources).length, painter(context.color)))
			writeLine(context.stdout, line);
	return drift.some((d) => d.status === 'unreadable') ? exitCodes.errors : drift.length > 0 ? exitCodes.drift : exitCodes.ok;
}

async function refresh(op: StackOperation, state: StateDocument) {
	const {refreshState} = await import('../../engine/operations.js');
	const network = await readTenantNetwork(op.session.backend, op.session.tenant);
	return refreshState({
		state,
		clients: op.tenantClients,
		region: op.region,
		accountId: op.accountId,
		stackRoot: op.workspace.root,
		...(network ? {network: network.state} : {}),
	});
}

/**
 * For `plan --refresh` / `apply --refresh`: print the drift, then let the plan run on the
 * refreshed state with the drift (makePlan's `drift`), so it shows what changed outside panka.
 */
export async function refreshForPlan(
	op: StackOperation,
	state: StateDocument,
	context: CommandContext,
): Promise<{state: StateDocument; drift: DriftEntry[]}> {
	const refreshed = await refresh(op, state);
	for (const line of renderDrift(refreshed.drift, Object.keys(state.resources).length, painter(context.color)))
		writeLine(context.stderr, line);
	return refreshed;
}

export function renderDrift(drift: readonly DriftEntry[], resources: number, paint: Paint): string[] {
	if (drift.length === 0) return [`${paint('✓', 'green')} no drift: all ${resources} resources match the state`];
	const lines: string[] = [];
	for (const entry of drift) {
		const mark = entry.status === 'deleted' ? paint('-', 'red') : entry.status === 'changed' ? paint('~', 'yellow') : paint('?', 'red');
		lines.push(`${mark} ${paint(entry.address, 'bold')}  ${paint(entry.kind, 'cyan')}  ${entry.message}`);
		for (const field of entry.fields)
			lines.push(`    ~ ${field.path}: ${JSON.stringify(field.recorded)} (state) → ${JSON.stringify(field.actual)} (AWS)`);
	}
	lines.push(
		`Drift: ${drift.filter((d) => d.status === 'changed').length} changed, ${drift.filter((d) => d.status === 'deleted').length} deleted outside panka, ${drift.filter((d) => d.status === 'unreadable').length} unreadable (of ${resources} resources). Nothing was written; panka apply --refresh restores the configuration.`,
	);
	return lines;
}
