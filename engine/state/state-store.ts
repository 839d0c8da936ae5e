/**
 * Reading and writing the state document of one (tenant, stack, environment) through a Backend.
 *
 * Invariants:
 * - A state blob that is not JSON, or not a StateDocument, is corrupt: reading it throws
 *   StateCorruptError (where, what, how to reach the earlier versions), and no write or delete
 *   ever replaces it. Repairing it is a deliberate act by a person (restoring a version).
 * - Every write is a successor: it carries the stored lineage and exactly the stored serial + 1,
 *   and it is based on the etag it read (`basis`). A write from another lineage throws
 *   LineageMismatchError; a write based on anything but the current blob throws StaleStateError
 *   ("someone else wrote state serial N"). Nothing is written in either case.
 * - The document written is validated against the schema and serialised canonically (two-space
 *   JSON, object fields in schema order, map keys sorted), so the same state is the same bytes.
 * - Who and when (`metadata.deployedBy`, `metadata.deployedAt`) are the caller's to supply: this
 *   module reads no clock and no user name, and refuses a document without them.
 * - The previous version always survives: the blob store keeps it on overwrite and on delete
 *   (local numbered backups, S3 bucket versioning); `stateHistory` and `readStateVersion` read it.
 *
 * Concurrency: correctness rests on the blob store's compare-and-swap alone. `writeState` first
 * reads the stored blob to refuse corrupt, foreign or stale states with a precise message, then
 * puts with `ifMatch` on the etag it just checked (`ifNoneMatch` for the first write). If another
 * writer gets in between, the conditional put fails and is reported exactly like a write refused
 * up front. Writers are expected to hold the (tenant, stack, env) lock (lock.ts), so a
 * StaleStateError means the lock was broken or bypassed; a caller that may run unlocked retries
 * by reading again.
 */
import {PreconditionFailedError, BackendError} from './blob-store.js';
import {stateKey, type Backend} from './backend.js';
import {blobLocation, earlierVersionsHint} from './blob-location.js';
import {type StateDocument, stateDocumentSchema, type StateKey} from './state-document.js';
import {plural} from '../presentation.js';

/** A state document as stored, with the etag a successor write must be based on. */
export interface StoredState {
	state: StateDocument;
	etag: string;
}

/** What a write is based on: the stored state it read (no etag: nothing was stored yet). */
export interface StateBasis {
	etag?: string;
	serial: number;
	lineage: string;
}

/** One earlier (or the current) version of a state blob, newest first in `stateHistory`. */
export interface StateVersion {
	/** Opaque version id for readStateVersion: a local backup number (or `current`), an S3 version id. */
	id: string;
	modified: string;
	size: number;
	latest: boolean;
	/** Undefined when the version does not parse (then `problem` says why). */
	serial?: number;
	lineage?: string;
	deployedBy?: string;
	deployedAt?: string;
	problem?: string;
	/** The parsed document, when `stateHistory` was asked for it (`documents: true`) and it parses. */
	document?: StateDocument;
}

/** The state blob is not JSON or not a state document. */
export class StateCorruptError extends BackendError {
	constructor(
		/** Where the blob is (a file path or s3:// URL, with the version id when it is an old one). */
		readonly location: string,
		/** What is wrong: the JSON parse error with its position, or the schema paths that do not match. */
		readonly problem: string,
		hint: string,
	) {
		super(`state at ${location} is corrupt: ${problem}. panka will not read or overwrite it`, `restore an earlier version: ${hint}`);
		this.name = 'StateCorruptError';
	}
}

/** A write or delete was not based on the current state (an older serial, or a moved etag). */
export class StaleStateError extends BackendError {
	constructor(
		readonly location: string,
		message: string,
		/** The serial stored now, when known. */
		readonly currentSerial?: number,
	) {
		super(
			message,
			'read the state again (plan again) and retry; if this happens while holding the lock, someone broke the lock or wrote without it',
		);
		this.name = 'StaleStateError';
	}
}

/** The state stored (or the document written) belongs to a different lineage than the write's basis. */
export class LineageMismatchError extends BackendError {
	constructor(
		readonly location: string,
		readonly storedLineage: string,
		readonly basisLineage: string,
		message: string,
	) {
		super(
			message,
			'a state, plan or document from another lineage (another environment, or a state deleted and created again) cannot be written here: read the state again and plan against it',
		);
		this.name = 'LineageMismatchError';
	}
}

/** The stored state, or undefined when it was never written (or was deleted). */
export async function readState(backend: Backend, key: StateKey): Promise<StoredState | undefined> {
	const blobKey = stateKey(key);
	const blob = await backend.store.get(blobKey);
	if (!blob) return undefined;
	return {state: parseStateDocument(blob.body, blobLocation(backend, blobKey), earlierVersionsHint(backend, blobKey)), etag: blob.etag};
}

/** The basis for writing a successor of `stored`. */
export function basisOf(stored: StoredState): StateBasis {
	return {etag: stored.etag, serial: stored.state.serial, lineage: stored.state.lineage};
}

export interface WriteStateOptions {
	/**
	 * `basis.etag` is the etag this writer's own previous write returned (an apply's checkpoints):
	 * skip reading the stored blob before writing; the conditional put still refuses a blob that
	 * changed. Never set it for a basis that came from a read.
	 */
	basisWrittenBySelf?: boolean;
}

/**
 * Writes `next` as the successor of `basis` (the state read, or `{serial: 0, lineage}` of
 * `emptyState` for the first write). See the module header for what is refused and why.
 */
export async function writeState(
	backend: Backend,
	key: StateKey,
	next: StateDocument,
	basis: StateBasis,
	options: WriteStateOptions = {},
): Promise<{etag: string}> {
	const blobKey = stateKey(key);
	const location = blobLocation(backend, blobKey);
	const document = checkSuccessor(location, key, next, basis);
	// A writer that made the blob it is based on (it holds the etag it wrote) needs no pre-read:
	// the conditional put alone refuses anything else, and that blob is known to be a valid state.
	const trusted = options.basisWrittenBySelf === true && basis.etag !== undefined;
	const current = trusted ? undefined : await readState(backend, key);
	if (!trusted) checkBasisIsCurrent(location, current, basis);
	const condition = trusted ? {ifMatch: basis.etag!} : current ? {ifMatch: current.etag} : {ifNoneMatch: true as const};
	try {
		return await backend.store.put(blobKey, serializeState(document), condition);
	} catch (error) {
		if (error instanceof PreconditionFailedError) throw await raceLost(backend, key, basis);
		throw error;
	}
}

/**
 * Deletes the state once nothing is left in it (after a destroy). The deleted document stays
 * readable as an earlier version. Refuses a state that still records resources or pending
 * operations, a corrupt one, and a stale basis.
 */
export async function deleteState(backend: Backend, key: StateKey, basis: StateBasis): Promise<void> {
	const blobKey = stateKey(key);
	const location = blobLocation(backend, blobKey);
	const current = await readState(backend, key);
	if (!current && basis.etag === undefined) return;
	checkBasisIsCurrent(location, current, basis);
	const {resources, pending} = current!.state;
	const left = [...Object.keys(resources), ...pending.map((p) => `${p.address} (pending ${p.operation})`)];
	if (left.length > 0)
		throw new BackendError(
			`refusing to delete the state at ${location}: it still records ${plural(left.length, 'resource')} (${abbreviate(left)})`,
			'destroy them first, or forget them on purpose with panka state remove <address>',
		);
	try {
		await backend.store.delete(blobKey, {ifMatch: current!.etag});
	} catch (error) {
		if (error instanceof PreconditionFailedError) throw await raceLost(backend, key, basis);
		throw error;
	}
}

/**
 * The versions of a state blob, newest first, each with its serial. The newest `limit` (default
 * 20) versions are listed and every one of them is read (one GET each, four at a time unless
 * `concurrency` says otherwise), because a
 * history without serials cannot be acted on; pass `limit: Infinity` for all, and `documents: true`
 * to keep each parsed document (deployments.ts). A version that does
 * not parse is listed with its `problem` instead of failing the listing: it is what a user looks
 * at when choosing a good version to restore.
 */
export async function stateHistory(
	backend: Backend,
	key: StateKey,
	options: {limit?: number; documents?: boolean; concurrency?: number} = {},
): Promise<StateVersion[]> {
	const blobKey = stateKey(key);
	const versions = (await backend.store.versions(blobKey)).slice(0, options.limit ?? 20);
	return mapConcurrently(versions, options.concurrency ?? 4, async (version): Promise<StateVersion> => {
		const body = await backend.store.getVersion(blobKey, version.id);
		if (body === undefined) return {...version, problem: 'this version can no longer be read'};
		try {
			const document = parseStateDocument(body, '', '');
			const {serial, lineage, metadata} = document;
			return {
				...version,
				serial,
				lineage,
				deployedBy: metadata.deployedBy,
				deployedAt: metadata.deployedAt,
				...(options.documents ? {document} : {}),
			};
		} catch (error) {
			if (error instanceof StateCorruptError) return {...version, problem: error.problem};
			throw error;
		}
	});
}

/** One version listed by `stateHistory`, or undefined when there is no such version. */
export async function readStateVersion(backend: Backend, key: StateKey, versionId: string): Promise<StateDocument | undefined> {
	const blobKey = stateKey(key);
	const body = await backend.store.getVersion(blobKey, versionId);
	if (body === undefined) return undefined;
	return parseStateDocument(body, `${blobLocation(backend, blobKey)} (version ${versionId})`, earlierVersionsHint(backend, blobKey));
}

/** Parses a state blob; anything but a valid StateDocument throws StateCorruptError. */
export function parseStateDocument(body: string, location: string, versionsHint: string): StateDocument {
	let json: unknown;
	try {
		json = JSON.parse(body);
	} catch (error) {
		throw new StateCorruptError(location, jsonProblem(body, error as Error), versionsHint);
	}
	const parsed = stateDocumentSchema.safeParse(json);
	if (!parsed.success) {
		const problems = parsed.error.issues.map((issue) => `${issuePath(issue.path) || '(document)'}: ${issue.message}`);
		throw new StateCorruptError(location, `it is not a panka state document: ${abbreviate(problems, 5, '; ')}`, versionsHint);
	}
	return parsed.data;
}

/**
 * The canonical bytes of a state: two-space JSON, object fields in schema order, the keys of
 * every map (resources, inputs, outputs, …) sorted, a final newline.
 */
export function serializeState(state: StateDocument): string {
	const document = stateDocumentSchema.parse(state);
	const resources = Object.fromEntries(
		Object.entries(document.resources)
			.sort(([a], [b]) => compareKeys(a, b))
			.map(([address, resource]) => [
				address,
				{
					...resource,
					inputs: sortKeysDeep(resource.inputs),
					outputs: sortKeysDeep(resource.outputs),
					physicalNames: sortKeysDeep(resource.physicalNames),
				},
			]),
	);
	return `${JSON.stringify({...document, resources, outputs: sortKeysDeep(document.outputs)}, null, 2)}\n`;
}

function checkSuccessor(location: string, key: StateKey, next: StateDocument, basis: StateBasis): StateDocument {
	if (next.lineage !== basis.lineage)
		throw new LineageMismatchError(
			location,
			basis.lineage,
			next.lineage,
			`refusing to write state lineage ${next.lineage} at ${location}: the write is based on lineage ${basis.lineage}`,
		);
	if (next.serial !== basis.serial + 1)
		throw new StaleStateError(
			location,
			`refusing to write state serial ${next.serial} at ${location}: a write based on serial ${basis.serial} must carry serial ${basis.serial + 1}`,
		);
	const {tenant, stack, environment} = next.metadata;
	if (tenant !== key.tenant || stack !== key.stack || environment !== key.environment)
		throw new Error(
			`refusing to write the state of ${tenant}/${stack}/${environment} at ${location} (the place of ${key.tenant}/${key.stack}/${key.environment})`,
		);
	if (!next.metadata.deployedBy || !next.metadata.deployedAt)
		throw new Error('a state write records who and when: set metadata.deployedBy and metadata.deployedAt before writing');
	const parsed = stateDocumentSchema.safeParse(next);
	if (!parsed.success)
		throw new Error(
			`refusing to write an invalid state document: ${abbreviate(parsed.error.issues.map((i) => `${issuePath(i.path)}: ${i.message}`))}`,
		);
	return parsed.data;
}

/** Throws unless `current` (what is stored now) is exactly what `basis` says was read. */
function checkBasisIsCurrent(location: string, current: StoredState | undefined, basis: StateBasis): void {
	if (!current) {
		if (basis.etag !== undefined)
			throw new StaleStateError(location, `state at ${location} was deleted by someone else after serial ${basis.serial} was read`);
		return;
	}
	const {serial, lineage} = current.state;
	if (lineage !== basis.lineage)
		throw new LineageMismatchError(
			location,
			lineage,
			basis.lineage,
			`state at ${location} has lineage ${lineage}, but this write is based on lineage ${basis.lineage}`,
		);
	if (basis.etag !== current.etag) throw someoneElseWrote(location, serial, basis);
}

/** The conditional write failed: find out what won, for the message. */
async function raceLost(backend: Backend, key: StateKey, basis: StateBasis): Promise<Error> {
	const location = blobLocation(backend, stateKey(key));
	const now = await readState(backend, key);
	if (!now) return new StaleStateError(location, `state at ${location} was deleted by someone else after serial ${basis.serial} was read`);
	if (now.state.lineage !== basis.lineage)
		return new LineageMismatchError(
			location,
			now.state.lineage,
			basis.lineage,
			`state at ${location} was replaced by lineage ${now.state.lineage} while this write (lineage ${basis.lineage}) was in flight`,
		);
	return someoneElseWrote(location, now.state.serial, basis);
}

function someoneElseWrote(location: string, serial: number, basis: StateBasis): StaleStateError {
	const basedOn = basis.etag === undefined ? 'this write expected no state yet' : `this write is based on serial ${basis.serial}`;
	return new StaleStateError(location, `state at ${location} changed: someone else wrote state serial ${serial} (${basedOn})`, serial);
}

function jsonProblem(body: string, error: Error): string {
	if (body.trim() === '') return 'the file is empty';
	const position = /position (\d+)/.exec(error.message)?.[1];
	if (position === undefined) return `it is not JSON: ${error.message}`;
	const before = body.slice(0, Number(position)).split('\n');
	const message = error.message.replace(/,? in JSON at position \d+.*$/s, '').replace(/^JSON\.parse: /, '');
	return `it is not JSON: ${message} at line ${before.length}, column ${before.at(-1)!.length + 1}`;
}

function issuePath(path: readonly PropertyKey[]): string {
	return path
		.map((part, index) =>
			typeof part === 'number'
				? `[${part}]`
				: /^[A-Za-z_$][\w$]*$/.test(String(part))
					? `${index ? '.' : ''}${String(part)}`
					: `[${JSON.stringify(String(part))}]`,
		)
		.join('');
}

function abbreviate(items: string[], max = 5, separator = ', '): string {
	return items.length > max ? `${items.slice(0, max).join(separator)}${separator}and ${items.length - max} more` : items.join(separator);
}

function compareKeys(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}

function sortKeysDeep<T>(value: T): T {
	if (Array.isArray(value)) return value.map(sortKeysDeep) as T;
	if (value === null || typeof value !== 'object') return value;
	return Object.fromEntries(
		Object.entries(value)
			.sort(([a], [b]) => compareKeys(a, b))
			.map(([k, v]) => [k, sortKeysDeep(v)]),
	) as T;
}

async function mapConcurrently<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
	const results: R[] = new Array(items.length);
	let next = 0;
	const worker = async () => {
		while (next < items.length) {
			const index = next++;
			results[index] = await work(items[index]!);
		}
	};
	await Promise.all(Array.from({length: Math.min(limit, items.length)}, worker));
	return results;
}
