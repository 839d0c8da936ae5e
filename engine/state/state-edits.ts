/**
 * Edits of a stack's state that change nothing in AWS: forget a resource (`panka state remove`)
 * and write back a state an apply could not save (`panka state push`).
 *
 * Invariants: each runs under the stack's lock and reads the state again under it; each writes
 * exactly one new serial, as a direct successor of what it read, recording who made it; a refusal
 * (StateEditRefused) writes nothing. The lock is released however the edit ends.
 */
import {acquireLock, type AcquireLockOptions, type LockRequest} from './lock.js';
import type {Backend} from './backend.js';
import {type StateDocument, type StateKey, stateEditRun} from './state-document.js';
import {pushRefusal} from './state-push.js';
import {basisOf, readState, writeState} from './state-store.js';

/** The stack an edit is for, who makes it, and how the lock is taken. */
export interface StateEditTarget {
	backend: Backend;
	key: StateKey;
	/** user@host, recorded as deployedBy. */
	who: string;
	holder: LockRequest;
	lock: AcquireLockOptions;
}

/** The edit was refused before anything was written: the message says why, the hint what to do. */
export class StateEditRefused extends Error {
	constructor(
		message: string,
		readonly hint?: string,
	) {
		super(message);
		this.name = 'StateEditRefused';
	}
}

/** Forgets `address` (a resource, or an interrupted operation on it); returns the new serial and what stays in AWS. */
export async function forgetResource(target: StateEditTarget, address: string): Promise<{serial: number; physicalId?: string}> {
	return underLock(target, async (stored, at) => {
		if (!stored || !(stored.resources[address] ?? stored.pending.some((p) => p.address === address)))
			throw new StateEditRefused(`${address} was removed from the state meanwhile`);
		const next: StateDocument = structuredClone(stored);
		const gone = next.resources[address];
		delete next.resources[address];
		next.pending = next.pending.filter((p) => p.address !== address);
		if (gone) for (const key of Object.keys(next.outputs)) if (key.startsWith(`${gone.name}.`)) delete next.outputs[key];
		// The history lists it as a state edit that removed one resource (none for an interrupted operation).
		next.metadata = {...next.metadata, run: stateEditRun(at, gone ? 1 : 0)};
		return {next: {...next, serial: stored.serial + 1}, result: gone ? {physicalId: gone.physicalId} : {}};
	});
}

/** Writes `document` (read from `file`) as the next serial, when it is the direct successor of the state stored now (state-push.ts). */
export async function pushStateDocument(target: StateEditTarget, file: string, document: StateDocument): Promise<{serial: number}> {
	return underLock(target, async (stored) => {
		const refusal = pushRefusal(file, document, stored);
		if (refusal) throw new StateEditRefused(refusal.message, refusal.hint);
		return {next: {...document, serial: (stored?.serial ?? 0) + 1}, result: {}, lineage: document.lineage};
	});
}

async function underLock<R extends object>(
	target: StateEditTarget,
	edit: (stored: StateDocument | undefined, at: string) => Promise<{next: StateDocument; result: R; lineage?: string}>,
): Promise<R & {serial: number}> {
	const lock = await acquireLock(target.backend, target.key, target.holder, target.lock);
	try {
		const stored = await readState(target.backend, target.key);
		const at = new Date().toISOString();
		const {next, result, lineage} = await edit(stored?.state, at);
		const written: StateDocument = {...next, metadata: {...next.metadata, deployedBy: target.who, deployedAt: at}};
		await writeState(target.backend, target.key, written, stored ? basisOf(stored) : {serial: 0, lineage: lineage ?? next.lineage});
		return {...result, serial: written.serial};
	} finally {
		await lock.release();
	}
}
