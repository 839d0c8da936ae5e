/**
 * refreshState: read every recorded resource from AWS and say how it differs from the state
 * (`panka drift`, `panka plan --refresh`).
 *
 * Invariants:
 * - Read-only: nothing is written to AWS or to the state; the refreshed document is returned for
 *   planning only (an apply is what records anything).
 * - A resource AWS no longer has is reported `deleted` and left out of the refreshed state, so a
 *   plan on it creates it again. A resource whose observed fields differ from its recorded inputs
 *   is reported `changed`, field by field, and left as recorded in the refreshed state: the plan
 *   is given the drift (PlanOptions.drift), so it shows each field going from the AWS value back
 *   to the configuration, as changed outside panka (not as an apply that failed).
 * - Providers report observed values keyed by spec paths (`visibilityTimeout`,
 *   `deadLetterQueue.maxReceiveCount`, `lifecycle[].id` for a list of ids); only those are compared.
 * - Reads run in parallel (bounded); one failing read is reported `unreadable` and does not stop
 *   the others.
 */
import path from 'node:path';
import type {AwsClients} from '../aws/aws-clients.js';
import type {KindDefinition} from '../kinds/kind.js';
import {getKind} from '../kinds/registry.js';
import {networkingIds, type TenantNetworkState} from '../networking/tenant-network-state.js';
import {sameObservedValue, valueAtSpecPath} from '../plan/drift.js';
import {recordedNames} from '../plan/names-in-use.js';
import {defaultWait, type ResourceContext, type WaitSettings} from '../providers/provider.js';
import type {StateDocument, StateResource} from '../state/state-document.js';
import {executeOperations} from './executor.js';
import {recordedTags} from './recorded-resource.js';

export interface DriftField {
	path: string;
	recorded: unknown;
	actual: unknown;
}

export interface DriftEntry {
	address: string;
	kind: string;
	status: 'deleted' | 'changed' | 'unreadable';
	fields: DriftField[];
	message: string;
}

export interface RefreshInput {
	state: StateDocument;
	clients: AwsClients;
	region: string;
	accountId: string;
	stackRoot: string;
	network?: TenantNetworkState;
	signal?: AbortSignal;
	wait?: WaitSettings;
	parallelism?: number;
}

export async function refreshState(input: RefreshInput): Promise<{state: StateDocument; drift: DriftEntry[]}> {
	const refreshed: StateDocument = structuredClone(input.state);
	const drift: DriftEntry[] = [];
	const entries = Object.entries(input.state.resources);
	const operations = entries.map(([address, resource]) => ({
		id: address,
		dependsOn: [],
		run: async () => readOne(address, resource, input),
	}));
	for await (const event of executeOperations(operations, {parallelism: input.parallelism ?? 8})) {
		if (event.type === 'operation.done' && event.result) {
			const entry = event.result;
			drift.push(entry);
			const recorded = refreshed.resources[entry.address];
			if (entry.status === 'deleted') {
				delete refreshed.resources[entry.address];
				if (recorded)
					for (const key of Object.keys(refreshed.outputs)) if (key.startsWith(`${recorded.name}.`)) delete refreshed.outputs[key];
			}
		} else if (event.type === 'operation.failed') {
			const resource = input.state.resources[event.id]!;
			drift.push({
				address: event.id,
				kind: resource.kind,
				status: 'unreadable',
				fields: [],
				message: `${event.id}: cannot read it from AWS: ${(event.error as Error)?.message ?? String(event.error)}`,
			});
		}
	}
	drift.sort((a, b) => (a.address < b.address ? -1 : 1));
	return {state: refreshed, drift};
}

async function readOne(address: string, resource: StateResource, input: RefreshInput): Promise<DriftEntry | undefined> {
	const kind = getKind(resource.kind) as KindDefinition<unknown> | undefined;
	const provider = await kind?.provider?.();
	if (!provider) return undefined;
	const stackSg = input.state.networking.stackSecurityGroupId;
	const context: ResourceContext = {
		references: referencesOf(kind!, resource, input.state),
		clients: input.clients,
		names: recordedNames(resource),
		tags: recordedTags(
			{tenant: input.state.metadata.tenant, stack: input.state.metadata.stack, environment: input.state.metadata.environment},
			resource,
		),
		address,
		region: input.region,
		accountId: input.accountId,
		...(input.network && stackSg ? {networking: networkingIds(input.network, stackSg)} : {}),
		stackRoot: input.stackRoot,
		serviceDir: path.join(input.stackRoot, 'services', resource.service),
		signal: input.signal ?? new AbortController().signal,
		progress: () => {},
		token: 'refresh',
		wait: input.wait ?? defaultWait,
	};
	const read = await provider.read(context, resource);
	if (!read.exists) return {address, kind: resource.kind, status: 'deleted', fields: [], message: `${address} was deleted outside panka`};
	const fields: DriftField[] = [];
	for (const [key, actual] of Object.entries(read.observed)) {
		const recorded = valueAtSpecPath(resource.inputs, key);
		if (recorded === undefined) continue;
		if (!sameObservedValue(recorded, actual)) fields.push({path: key, recorded, actual});
	}
	if (fields.length === 0) return undefined;
	return {
		address,
		kind: resource.kind,
		status: 'changed',
		fields,
		message: `${address} was changed outside panka: ${fields.map((f) => f.path).join(', ')}`,
	};
}

/** Outputs of the components a resource names in its spec (SNS subscriptions, triggers), from the state. */
function referencesOf(
	kind: KindDefinition<unknown>,
	resource: StateResource,
	state: StateDocument,
): Record<string, Record<string, unknown>> {
	let names: string[];
	try {
		names = kind.references(resource.inputs).map((r) => r.component);
	} catch {
		return {};
	}
	const byName = new Map(Object.values(state.resources).map((r) => [r.name, r.outputs]));
	return Object.fromEntries(names.flatMap((name) => (byName.has(name) ? [[name, byName.get(name)!]] : [])));
}
