/**
 * State workloads shared by the in-process tests and the child processes of state-worker.ts, so
 * both exercise exactly the same read-modify-write and lock calls.
 */
import {AwsClients} from '../../engine/aws/aws-clients.js';
import {type Backend, type BackendSpec, openBackend} from '../../engine/state/backend.js';
import {emptyState, type StateDocument, type StateKey} from '../../engine/state/state-document.js';
import {basisOf, readState, StaleStateError, writeState} from '../../engine/state/state-store.js';

export const shopProd: StateKey = {tenant: 'acme', stack: 'shop', environment: 'prod'};

/** Where a child process finds the backend under test. */
export interface BackendTarget {
	spec: BackendSpec;
	/** moto's endpoint, for an S3 spec. */
	endpoint?: string;
}

export function openTarget(target: BackendTarget): {backend: Backend; close(): void} {
	if (target.spec.kind === 'local') return {backend: openBackend(target.spec), close() {}};
	const clients = new AwsClients({
		region: 'us-east-1',
		...(target.endpoint ? {endpoint: target.endpoint} : {}),
		credentials: {accessKeyId: 'test', secretAccessKey: 'test'},
		allowedHosts: ['127.0.0.1'],
		forcePathStyle: true,
		maxAttempts: 1,
	});
	return {backend: openBackend(target.spec, clients), close: () => clients.destroy()};
}

/** A document with who/when filled in, as every write needs. */
export function stamped(state: StateDocument, deployedBy = 'tester@test-host', deployedAt = '2026-11-26T12:00:00.000Z'): StateDocument {
	return {...state, metadata: {...state.metadata, deployedBy, deployedAt}};
}

/** Writes serial 1 of a fresh lineage and returns it as stored. */
export async function seedState(backend: Backend, key: StateKey = shopProd): Promise<{state: StateDocument; etag: string}> {
	const empty = emptyState(key);
	const first = stamped({...empty, serial: 1});
	const {etag} = await writeState(backend, key, first, {serial: 0, lineage: empty.lineage});
	return {state: first, etag};
}

/**
 * One read-modify-write that records `label` in the state's outputs (with the serial it wrote),
 * retried on StaleStateError with a little random backoff, like a lock-less writer would.
 * Returns how many attempts it took.
 */
export async function recordWrite(backend: Backend, key: StateKey, label: string, maxAttempts = 500): Promise<number> {
	for (let attempt = 1; attempt <= maxAttempts; attempt++) {
		const current = await readState(backend, key);
		if (!current) throw new Error('recordWrite needs a seeded state');
		const serial = current.state.serial + 1;
		const next = stamped({...current.state, serial, outputs: {...current.state.outputs, [label]: serial}}, label);
		try {
			await writeState(backend, key, next, basisOf(current));
			return attempt;
		} catch (error) {
			if (!(error instanceof StaleStateError)) throw error;
			await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(50, 5 * attempt)));
		}
	}
	throw new Error(`${label}: no write succeeded in ${maxAttempts} attempts`);
}
