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
import {environmentLabel, printable, rolledBackValues} from '../../engine/index.js';
import {type CommandContext, painter, writeLine} from '../context.js';
import {UsageError} from '../errors.js';
import type {Flags} from '../flags.js';
import {jsonDocument} from '../render/json.js';
import {renderField} from '../render/plan-text.js';
import {rollBackOperation, variablesRecordedAt} from '../rollback-source.js';
import {openStackOperation} from '../stack-operation.js';
import {rollbackApply} from './apply.js';
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
	if ('exitCode' in opened) return opened.exitCode;
	const {op, rolled} = await rollBackOperation(opened, request);
	const values = rolledBackValues(rolled.folder, op.workspace);
	const removed = rolled.folder.components.filter((c) => !op.workspace.componentsByName.has(c.name)).map((c) => c.address);
	if (flags.json) {
		writeLine(
			context.stdout,
			jsonDocument('RollbackPatch', {
				stack: op.key,
				serial: rolled.rollback.serial,
				variables: rolled.target.metadata.variables ?? {},
				values,
				addedSince: removed,
			}),
		);
		return 0;
	}
	const paint = painter(context.color);
	writeLine(
		context.stdout,
		paint(
			`Rolled-back values of ${op.key.stack} (${environmentLabel(op.key.environment, op.workspace.environmentSettings?.protected)}) at serial ${rolled.rollback.serial}, where the folder differs:`,
			'bold',
		),
	);
	if (recorded.length > 0)
		writeLine(
			context.stdout,
			`release variables (spec.promote) as deployed then: ${recorded.map((v) => `--var ${printable(v)}`).join(' ')}`,
		);
	for (const {address, changes} of values) {
		writeLine(context.stdout, paint(printable(address), 'bold'));
		for (const change of changes) writeLine(context.stdout, `  ${renderField(change, paint)}`);
	}
	for (const address of removed)
		writeLine(context.stdout, `${paint(printable(address), 'bold')}  ${paint('added since: remove it from the folder', 'yellow')}`);
	if (values.length === 0 && removed.length === 0 && recorded.length === 0)
		writeLine(context.stdout, 'None: the folder resolves to that configuration already.');
	else
		writeLine(
			context.stdout,
			paint(
				'Each line reads folder value → rolled-back value, at the path of the resolved spec; set them in the YAML (or its variables) to keep the rollback.',
				'gray',
			),
		);
	return 0;
}
