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
import {
	environmentLabel,
	pushRefusal,
	readTextFile,
	redactSensitive,
	sensitivePatterns,
	type StateDocument,
	stateDocumentSchema,
	stateEditRun,
} from '../../engine/index.js';
import {acquireLock, basisOf, breakLock, readLock, readState, type StoredState, writeState} from '../../engine/backends.js';
import {type CommandContext, painter, writeLine} from '../context.js';
import {erroredStateFileName} from '../errored-state.js';
import {UsageError} from '../errors.js';
import {confirmUnless} from '../prompt.js';
import type {Flags} from '../flags.js';
import {jsonDocument} from '../render/json.js';
import {lockRequest, openStackOperation, type StackOperation, stackLockOptions} from '../stack-operation.js';

async function openStack(context: CommandContext, flags: Flags): Promise<StackOperation | {exitCode: number}> {
	return openStackOperation(context, flags.stack, flags, {allowErrors: true});
}

export async function stateListCommand(args: string[], flags: Flags, context: CommandContext): Promise<number> {
	if (args.length > 0) throw new UsageError(`panka state list takes no arguments, got: ${args.join(' ')}`, 'use --stack folder and --env');
	const op = await openStack(context, flags);
	if ('exitCode' in op) return op.exitCode;
	const stored = await readState(op.session.backend, op.key);
	const resources = Object.entries(stored?.state.resources ?? {}).sort(([a], [b]) => a.localeCompare(b));
	if (flags.json) {
		writeLine(
			context.stdout,
			jsonDocument('StateList', {
				stack: op.key,
				serial: stored?.state.serial ?? 0,
				lineage: stored?.state.lineage ?? null,
				resources: resources.map(([address, r]) => ({
					address,
					kind: r.kind,
					type: r.type,
					status: r.status,
					physicalId: r.physicalId,
					updatedAt: r.updatedAt,
				})),
				pending: stored?.state.pending ?? [],
			}),
		);
		return 0;
	}
	const paint = painter(context.color);
	if (!stored) {
		writeLine(context.stdout, `No state for stack ${op.key.stack} (${op.key.environment}) of tenant ${op.key.tenant}: nothing deployed.`);
		return 0;
	}
	const width = Math.max(8, ...resources.map(([a]) => a.length));
	for (const [address, r] of resources)
		writeLine(
			context.stdout,
			`${address.padEnd(width)}  ${paint(r.kind.padEnd(12), 'cyan')} ${(r.status === 'ready' ? paint : (t: string) => paint(t, 'yellow'))(r.status.padEnd(7))} ${paint(r.physicalId, 'gray')}`,
		);
	for (const pending of stored.state.pending)
		writeLine(
			context.stdout,
			paint(`${pending.address}  pending ${pending.operation} since ${pending.startedAt} (the next apply resolves it)`, 'yellow'),
		);
	writeLine(
		context.stdout,
		paint(
			`${resources.length} resources · state serial ${stored.state.serial} · lineage ${stored.state.lineage} · ${op.session.backend.description}`,
			'gray',
		),
	);
	return 0;
}

export async function stateShowCommand(args: string[], flags: Flags, context: CommandContext): Promise<number> {
	if (args.length !== 1)
		throw new UsageError('panka state show takes one resource address', 'addresses are service/component, as panka state list shows them');
	const op = await openStack(context, flags);
	if ('exitCode' in op) return op.exitCode;
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
	if (flags.json) {
		writeLine(context.stdout, jsonDocument('StateResource', {address, resource: shown}));
		return 0;
	}
	const paint = painter(context.color);
	writeLine(context.stdout, `${paint(address, 'bold')}  ${paint(resource.kind, 'cyan')} (${resource.type})`);
	const released = Object.entries(stored?.state.metadata.variables ?? {}).map(([name, value]) => `${name} ${value}`);
	for (const [label, value] of [
		['environment', environmentLabel(op.key.environment, op.workspace.environmentSettings?.protected)],
		...(released.length > 0
			? [['released', `${released.join(', ')} (spec.promote, as the last apply of ${op.key.environment} recorded)`] as const]
			: []),
		['status', resource.status],
		['physical id', resource.physicalId],
		['created', resource.createdAt],
		['updated', resource.updatedAt],
		['depends on', resource.dependsOn.join(', ') || '—'],
	] as const)
		writeLine(context.stdout, `  ${label.padEnd(12)} ${value}`);
	writeLine(context.stdout, '  physical names');
	for (const [role, name] of Object.entries(resource.physicalNames)) writeLine(context.stdout, `    ${role.padEnd(22)} ${name}`);
	writeLine(context.stdout, '  outputs');
	for (const [name, value] of Object.entries(resource.outputs))
		writeLine(context.stdout, `    ${name.padEnd(22)} ${typeof value === 'string' ? value : JSON.stringify(value)}`);
	writeLine(context.stdout, '  inputs (as last applied; secrets shown as (sensitive))');
	for (const line of JSON.stringify(shown.inputs, null, 2).split('\n')) writeLine(context.stdout, `    ${line}`);
	return 0;
}

export async function stateRemoveCommand(args: string[], flags: Flags, context: CommandContext): Promise<number> {
	if (args.length !== 1) throw new UsageError('panka state remove takes one resource address');
	const op = await openStack(context, flags);
	if ('exitCode' in op) return op.exitCode;
	const address = args[0]!;
	const before = await readState(op.session.backend, op.key);
	const recorded = (stored: StoredState | undefined) =>
		stored?.state.resources[address] ?? stored?.state.pending.find((p) => p.address === address);
	const known = [...Object.keys(before?.state.resources ?? {}), ...(before?.state.pending ?? []).map((p) => p.address)];
	if (!recorded(before)) throw new UsageError(`no resource ${address} in the state${didYouMean(address, known)}`);
	const resource = before!.state.resources[address];
	const question = resource
		? `Forget ${address} (${resource.kind} ${resource.physicalId})? panka stops managing it; it stays in AWS.`
		: `Forget the interrupted operation on ${address}? The next apply would have resolved it; whatever it made stays in AWS, unmanaged.`;
	if (!(await confirm(context, flags, question))) return cancelled(context, 'state remove');
	const lock = await acquireLock(op.session.backend, op.key, lockRequest(op, 'state remove'), stackLockOptions(context, op, flags));
	try {
		const stored = await readState(op.session.backend, op.key);
		if (!stored || !recorded(stored)) throw new UsageError(`${address} was removed from the state meanwhile`);
		const next: StateDocument = structuredClone(stored.state);
		const gone = next.resources[address];
		delete next.resources[address];
		next.pending = next.pending.filter((p) => p.address !== address);
		if (gone) for (const key of Object.keys(next.outputs)) if (key.startsWith(`${gone.name}.`)) delete next.outputs[key];
		next.serial = stored.state.serial + 1;
		const at = new Date().toISOString();
		next.metadata = {...next.metadata, deployedBy: op.who, deployedAt: at, run: stateEditRun(at, gone ? 1 : 0)};
		await writeState(op.session.backend, op.key, next, basisOf(stored));
		writeLine(
			context.stdout,
			`${painter(context.color)('✓', 'green')} removed ${address} from the state (serial ${next.serial}); ${gone ? `${gone.physicalId} still exists in AWS` : 'AWS was not touched'}`,
		);
		return 0;
	} finally {
		await lock.release();
	}
}

export async function stateUnlockCommand(args: string[], flags: Flags, context: CommandContext): Promise<number> {
	if (args.length !== 1)
		throw new UsageError('panka state unlock takes the lock id', 'the error that reported the lock names it; panka state unlock <lock-id>');
	const op = await openStack(context, flags);
	if ('exitCode' in op) return op.exitCode;
	const current = await readLock(op.session.backend, op.key);
	if (!current) {
		writeLine(context.stdout, `No lock is held on ${op.key.stack} (${op.key.environment}); nothing to unlock.`);
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
		return cancelled(context, 'state unlock');
	await breakLock(op.session.backend, op.key, args[0]!);
	writeLine(context.stdout, `${painter(context.color)('✓', 'green')} lock ${args[0]} broken`);
	return 0;
}

/** A push refused because the file does not descend from the stored state: exit 1, with the reason. */
class StatePushRefused extends Error {
	constructor(
		message: string,
		readonly hint: string,
	) {
		super(message);
		this.name = 'StatePushRefused';
	}
}

export async function statePushCommand(args: string[], flags: Flags, context: CommandContext): Promise<number> {
	if (args.length > 1)
		throw new UsageError('panka state push takes one state file', 'panka state push errored-state.<tenant>.<stack>.<env>.json');
	const op = await openStack(context, flags);
	if ('exitCode' in op) return op.exitCode;
	const shown = args[0] ?? erroredStateFileName(op.key);
	const document = await readStateFile(path.resolve(context.cwd, shown), shown);
	const {metadata} = document;
	if (metadata.stack !== op.key.stack || metadata.tenant !== op.key.tenant || metadata.environment !== op.key.environment)
		throw new UsageError(
			`${shown} is the state of stack ${metadata.stack} (${metadata.environment}) of tenant ${metadata.tenant}, not of ${op.key.stack} (${op.key.environment}) of ${op.key.tenant}`,
		);
	const lock = await acquireLock(op.session.backend, op.key, lockRequest(op, 'state push'), stackLockOptions(context, op, flags));
	try {
		const stored = await readState(op.session.backend, op.key);
		const refusal = pushRefusal(shown, document, stored?.state);
		if (refusal) throw new StatePushRefused(refusal.message, refusal.hint);
		const next: StateDocument = {
			...document,
			serial: (stored?.state.serial ?? 0) + 1,
			metadata: {...document.metadata, deployedBy: op.who, deployedAt: new Date().toISOString()},
		};
		await writeState(op.session.backend, op.key, next, stored ? basisOf(stored) : {serial: 0, lineage: document.lineage});
		writeLine(context.stdout, `${painter(context.color)('✓', 'green')} pushed ${shown} as state serial ${next.serial}`);
		return 0;
	} finally {
		await lock.release();
	}
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

/** y/N, or --yes; without a terminal and without --yes, a usage error naming the flag. */
function confirm(context: CommandContext, flags: Flags, question: string): Promise<boolean> {
	return confirmUnless(context, flags.yes, question, {what: `${question.split('?')[0]}?`, flag: '--yes'});
}

function cancelled(context: CommandContext, what: string): number {
	writeLine(context.stderr, `${what} cancelled: nothing changed`);
	return 1;
}
