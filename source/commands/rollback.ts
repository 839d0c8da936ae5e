/**
 * `panka rollback --to <serial> [folder] [--yes] [--confirm-env <env>] [--out plan.json]
 * [--write-patch]`: plan the stack back to the configuration an earlier deployment recorded (the
 * resolved inputs of each resource, engine/plan/rollback.ts), then the same review and run as
 * `panka apply` (or, with --out, the same saved plan as `panka plan --out`; `panka apply` of that
 * file restores the same deployment). The run is recorded as operation `rollback`.
 *
 * Refused, naming why, when the version cannot be rolled back to (source/rollback-source.ts). The
 * folder is never changed: the plan says it still holds the newer configuration; --write-patch
 * prints the rolled-back values that differ from the folder's instead of planning, to copy back.
 */
import {rolledBackValues} from '../../engine/index.js';
import type {CommandContext} from '../context.js';
import {UsageError} from '../errors.js';
import type {Flags} from '../flags.js';
import {rollBackOperation, variablesRecordedAt} from '../rollback-source.js';
import {openStackOperation} from '../stack-operation.js';
import {rollbackApply} from './apply.js';
import {rollbackViews} from '../views/rollback-view.js';
import {chooseView} from '../views/view.js';
import {planCommand} from './plan.js';

export async function rollbackCommand(args: string[], flags: Flags, context: CommandContext): Promise<number> {
	if (args.length > 1) throw new UsageError(`panka rollback takes one folder, got: ${args.join(' ')}`);
	if (!flags.to) throw new UsageError('panka rollback needs --to <serial>', 'panka history lists the deployments and their serials');
	const request = {label: flags.to};
	// The folder resolves with the release values the deployment recorded (a VERSION without a default needs them).
	const recorded = await variablesRecordedAt(context, flags, args[0], request.label);
	const withRecorded = recorded.length > 0 ? {...flags, var: recorded} : flags;
	if (flags.writePatch) return writePatch(args, withRecorded, context, request, recorded);
	return flags.out ? planCommand(args, withRecorded, context, undefined, request) : rollbackApply(args, withRecorded, context, request);
}

/** The values the rollback restores that differ from the folder's, per component: what to write back to stay rolled back. */
async function writePatch(
	args: string[],
	flags: Flags,
	context: CommandContext,
	request: {label: string},
	recorded: readonly string[],
): Promise<number> {
	const opened = await openStackOperation(context, args[0], flags);
	const {op, rolled} = await rollBackOperation(opened, request);
	chooseView(rollbackViews, flags, context).patch({
		stack: op.key,
		protectedEnvironment: op.workspace.environmentSettings?.protected === true,
		serial: rolled.rollback.serial,
		variables: rolled.target.metadata.variables ?? {},
		recorded,
		values: rolledBackValues(rolled.folder, op.workspace),
		addedSince: rolled.folder.components.filter((c) => !op.workspace.componentsByName.has(c.name)).map((c) => c.address),
	});
	return 0;
}
