/**
 * `panka state list | show <address> | remove <address> | unlock <lock-id> | push <file>`, for the
 * stack in the current folder (or `--stack folder`) and environment (`--env`).
 *
 * Invariants: list and show only read (show redacts again with the kinds' sensitive paths);
 * remove forgets a resource without touching AWS, under the lock, after confirmation (a terminal
 * prompt, or --yes in CI); unlock breaks a lock only by its id, with the same confirmation; push
 * writes an errored-state file back, under the lock, only when it is the direct successor of the
 * state stored now (engine/state/state-push.ts), so it can never drop what someone wrote since.
 */
import path from 'node:path';
import {didYouMean, maxDataFileBytes} from '../../engine/essentials.js';
import {readTextFile, redactSensitive, sensitivePatterns, type StateDocument, stateDocumentSchema} from '../../engine/index.js';
import {
	breakLock,
	forgetResource,
	pushStateDocument,
	readLock,
	readState,
	type StateEditTarget,
	type StoredState,
} from '../../engine/backends.js';
import type {CommandContext} from '../context.js';
import {erroredStateFileName} from '../errored-state.js';
import {FailureReport, UsageError} from '../errors.js';
import {confirmUnless} from '../prompt.js';
import type {Flags} from '../flags.js';
import {lockRequest, openStackOperation, type StackOperation, stackLockOptions} from '../stack-operation.js';
import {type StateView, stateViews} from '../views/state-view.js';
import {chooseView} from '../views/view.js';

async function openStack(context: CommandContext, flags: Flags): Promise<StackOperation> {
	return openStackOperation(context, flags.stack, flags, {allowErrors: true});
}

export async function stateListCommand(args: string[], flags: Flags, context: CommandContext): Promise<number> {
	if (args.length > 0) throw new UsageError(`panka state list takes no arguments, got: ${args.join(' ')}`, 'use --stack folder and --env');
	const op = await openStack(context, flags);
	const stored = await readState(op.session.backend, op.key);
	chooseView(stateViews, flags, context).list(op.key, stored?.state, op.session.backend.description);
	return 0;
}

export async function stateShowCommand(args: string[], flags: Flags, context: CommandContext): Promise<number> {
	if (args.length !== 1)
		throw new UsageError('panka state show takes one resource address', 'addresses are service/component, as panka state list shows them');
	const op = await openStack(context, flags);
	const stored = await readState(op.session.backend, op.key);
	const address = args[0]!;
	const resource = stored?.state.resources[address];
	if (!resource)
		throw new UsageError(
			`no resource ${address} in the state${didYouMean(address, Object.keys(stored?.state.resources ?? {}))}`,
			'panka state list shows the addresses',
		);
	const patterns = sensitivePatterns(resource.kind);
	const shown = {...resource, inputs: redactSensitive(resource.inputs, patterns).value};
	chooseView(stateViews, flags, context).show(address, shown, {
		environment: op.key.environment,
		protected: op.workspace.environmentSettings?.protected === true,
		released: stored?.state.metadata.variables ?? {},
	});
	return 0;
}

export async function stateRemoveCommand(args: string[], flags: Flags, context: CommandContext): Promise<number> {
	if (args.length !== 1) throw new UsageError('panka state remove takes one resource address');
	const op = await openStack(context, flags);
	const address = args[0]!;
	const before = await readState(op.session.backend, op.key);
	const recorded = (stored: StoredState | undefined) =>
		stored?.state.resources[address] ?? stored?.state.pending.find((p) => p.address === address);
	const known = [...Object.keys(before?.state.resources ?? {}), ...(before?.state.pending ?? []).map((p) => p.address)];
	if (!recorded(before)) throw new UsageError(`no resource ${address} in the state${didYouMean(address, known)}`);
	const resource = before?.state.resources[address];
	const question = resource
		? `Forget ${address} (${resource.kind} ${resource.physicalId})? panka stops managing it; it stays in AWS.`
		: `Forget the interrupted operation on ${address}? The next apply would have resolved it; whatever it made stays in AWS, unmanaged.`;
	if (!(await confirm(context, flags, question))) cancelled('state remove');
	const view = chooseView(stateViews, flags, context);
	const {serial, physicalId} = await forgetResource(editTarget(context, flags, op, 'state remove', view), address);
	view.removed(op.key, address, serial, physicalId);
	return 0;
}

export async function stateUnlockCommand(args: string[], flags: Flags, context: CommandContext): Promise<number> {
	if (args.length !== 1)
		throw new UsageError('panka state unlock takes the lock id', 'the error that reported the lock names it; panka state unlock <lock-id>');
	const op = await openStack(context, flags);
	const view = chooseView(stateViews, flags, context);
	const current = await readLock(op.session.backend, op.key);
	if (!current) {
		view.noLock(op.key);
		return 0;
	}
	const holder = current.info
		? `"${current.info.operation}" by ${current.info.who} (pid ${current.info.pid} on ${current.info.host}) since ${current.info.created}`
		: 'an unreadable lock';
	if (
		!(await confirm(
			context,
			flags,
			`Break the lock ${args[0]} held by ${holder}? If that panka is still running, its changes may be lost.`,
		))
	)
		cancelled('state unlock');
	await breakLock(op.session.backend, op.key, args[0]!);
	view.unlocked(op.key, args[0]!);
	return 0;
}

export async function statePushCommand(args: string[], flags: Flags, context: CommandContext): Promise<number> {
	if (args.length > 1)
		throw new UsageError('panka state push takes one state file', 'panka state push errored-state.<tenant>.<stack>.<env>.json');
	const op = await openStack(context, flags);
	const shown = args[0] ?? erroredStateFileName(op.key);
	const document = await readStateFile(path.resolve(context.cwd, shown), shown);
	const {metadata} = document;
	if (metadata.stack !== op.key.stack || metadata.tenant !== op.key.tenant || metadata.environment !== op.key.environment)
		throw new UsageError(
			`${shown} is the state of stack ${metadata.stack} (${metadata.environment}) of tenant ${metadata.tenant}, not of ${op.key.stack} (${op.key.environment}) of ${op.key.tenant}`,
		);
	const view = chooseView(stateViews, flags, context);
	const {serial} = await pushStateDocument(editTarget(context, flags, op, 'state push', view), shown, document);
	view.pushed(op.key, shown, serial);
	return 0;
}

/** The state document in `file`; anything else (missing, not a file, empty, not a state) is a usage error saying which. */
async function readStateFile(file: string, shown: string): Promise<StateDocument> {
	const read = await readTextFile(file, shown, {
		maxBytes: maxDataFileBytes,
		tooLargeHint: 'a state file is written by panka; this is not one',
	});
	if (!read.ok)
		throw new UsageError(`${shown}: ${read.diagnostic.message}`, 'pass the errored-state file an apply saved (its message names it)');
	if (read.text.trim() === '') throw new UsageError(`${shown} is empty: it holds no state to push`);
	let json: unknown;
	try {
		json = JSON.parse(read.text);
	} catch (error) {
		throw new UsageError(`${shown} is not a panka state document: ${(error as Error).message}`);
	}
	const checked = stateDocumentSchema.safeParse(json);
	if (!checked.success)
		throw new UsageError(
			`${shown} is not a panka state document: ${checked.error.issues[0]?.path.join('.') || '(document)'}: ${checked.error.issues[0]?.message}`,
		);
	return checked.data;
}

function editTarget(context: CommandContext, flags: Flags, op: StackOperation, operation: string, view: StateView): StateEditTarget {
	const lock = stackLockOptions(context, op, flags, (broken) => view.brokeLock(broken));
	return {backend: op.backend, key: op.key, who: op.who, holder: lockRequest(op, operation), lock};
}

/** y/N, or --yes; without a terminal and without --yes, a usage error naming the flag. */
function confirm(context: CommandContext, flags: Flags, question: string): Promise<boolean> {
	return confirmUnless(context, flags.yes, question, {what: `${question.split('?')[0]}?`, flag: '--yes'});
}

/** A confirmation answered no: exit 1, said on stderr (and as the Error document under --json). */
function cancelled(what: string): never {
	throw new FailureReport([`${what} cancelled: nothing changed`], `${what} cancelled: nothing changed`);
}
