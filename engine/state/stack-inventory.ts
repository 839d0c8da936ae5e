/**
 * What a tenant has on the backend: every stack environment with a state or a lock, its resource
 * count, its last apply (when, who, serial) and its lock (`panka stack list`).
 *
 * Invariants: read-only (no lock is taken, nothing is written); a state or lock that does not
 * parse is reported on its environment (`problem`), never thrown, so one corrupt state does not
 * hide the tenant's other stacks. Stacks and environments are sorted by name.
 */
import {tenantPrefix, type Backend} from './backend.js';
import {type LockInfo, readLock} from './lock.js';
import {readState} from './state-store.js';

export interface EnvironmentInventory {
	name: string;
	resources: number;
	/** Operations a run left in flight (the next run resolves them). */
	pending: number;
	/** The state's serial; 0 when there is only a lock. */
	serial: number;
	lastApply?: {at?: string; by?: string; serial: number};
	lock?: {id: string; info?: LockInfo};
	/** Why the state or the lock could not be read. */
	problem?: string;
}

export interface StackInventory {
	name: string;
	environments: EnvironmentInventory[];
}

export async function listTenantStacks(backend: Backend, tenant: string): Promise<StackInventory[]> {
	const prefix = `${tenantPrefix(tenant)}v1/stacks/`;
	const found = new Map<string, Set<string>>();
	for (const key of await backend.store.list(prefix)) {
		const [stack, environment, file, ...deeper] = key.slice(prefix.length).split('/');
		if (!stack || !environment || deeper.length > 0 || (file !== 'state.json' && file !== 'state.lock')) continue;
		found.set(stack, (found.get(stack) ?? new Set()).add(environment));
	}
	const stacks = await Promise.all(
		[...found].map(async ([stack, environments]) => ({
			name: stack,
			environments: await Promise.all(
				[...environments].sort().map((environment) => environmentInventory(backend, {tenant, stack, environment})),
			),
		})),
	);
	return stacks.sort((a, b) => a.name.localeCompare(b.name));
}

/** One environment of a stack on the backend: resources, pending operations, last apply, lock. */
export async function environmentInventory(
	backend: Backend,
	key: {tenant: string; stack: string; environment: string},
): Promise<EnvironmentInventory> {
	const entry: EnvironmentInventory = {name: key.environment, resources: 0, pending: 0, serial: 0};
	const [state, lock] = await Promise.all([
		readState(backend, key).catch((error: Error) => {
			entry.problem = error.message;
			return undefined;
		}),
		readLock(backend, key),
	]);
	if (state) {
		const {serial, resources, pending, metadata} = state.state;
		Object.assign(entry, {resources: Object.keys(resources).length, pending: pending.length, serial});
		entry.lastApply = {
			serial,
			...(metadata.deployedAt ? {at: metadata.deployedAt} : {}),
			...(metadata.deployedBy ? {by: metadata.deployedBy} : {}),
		};
	}
	if (lock) entry.lock = {id: lock.id, ...(lock.info ? {info: lock.info} : {})};
	return entry;
}
