/**
 * `panka drift [folder] [--json]`: read every recorded resource from AWS and report field-level
 * drift and resources deleted outside panka. Writes nothing. Exit 0 no drift, 3 drift found, 1 an
 * error (a resource that could not be read included), 2 a usage error (exitCodes).
 * `panka plan --refresh` runs the same reads first and plans against what AWS has.
 */
import type {DriftEntry} from '../../engine/operations.js';
import type {StateDocument} from '../../engine/index.js';
import {readState, readTenantNetwork} from '../../engine/backends.js';
import type {CommandContext} from '../context.js';
import {exitCodes, UsageError} from '../errors.js';
import type {Flags} from '../flags.js';
import {openStackOperation, type StackOperation} from '../stack-operation.js';
import {driftViews} from '../views/drift-view.js';
import {chooseView} from '../views/view.js';

export async function driftCommand(args: string[], flags: Flags, context: CommandContext): Promise<number> {
	if (args.length > 1) throw new UsageError(`panka drift takes one folder, got: ${args.join(' ')}`);
	const op = await openStackOperation(context, args[0], flags, {allowErrors: true});
	const view = chooseView(driftViews, flags, context);
	const stored = await readState(op.session.backend, op.key);
	if (!stored) {
		view.noState(op.key);
		return 0;
	}
	const {drift} = await refresh(op, stored.state);
	view.drift(op.key, Object.keys(stored.state.resources).length, drift);
	return drift.some((d) => d.status === 'unreadable') ? exitCodes.errors : drift.length > 0 ? exitCodes.drift : exitCodes.ok;
}

/**
 * Every recorded resource read back from AWS: the state as AWS has it and the drift. `plan --refresh`
 * and `apply --refresh` plan on that state with that drift (makePlan's `drift`), so the plan shows
 * what changed outside panka; their views tell the drift first.
 */
export async function refresh(op: StackOperation, state: StateDocument): Promise<{state: StateDocument; drift: DriftEntry[]}> {
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
