/**
 * What provisioning and teardown share: the result every network operation returns, the record
 * book seeded from what tags found, the removal operations (with their ordering), and running a
 * set of operations through the executor.
 *
 * Removal ordering (an edge means "after"), the same whether a reconcile removes a few resources or
 * teardown removes all of them:
 *   route table  → after every kept route table took over its subnets
 *   NAT gateway  → after every route table is reconciled or removed (no route points at it), and
 *                  deleted *and waited* before…
 *   Elastic IP   → …its release, after every NAT gateway removal
 *   IGW          → detached then deleted, after route tables, NAT gateways and Elastic IPs (AWS
 *                  refuses to detach while public addresses are mapped)
 *   subnet       → after route tables (associations) and NAT gateways (their ENIs)
 *   security grp → its group-referencing rules revoked by rule ID, then deleted
 *   VPC          → last, after every other removal
 */
import type {AwsClients} from '../aws/aws-clients.js';
import {type ExecutorEvent, executeOperations, type Operation} from '../apply/executor.js';
import {defaultWait, ProviderError, type WaitSettings} from '../providers/provider.js';
import {ec2Of, errorCode, type NetworkCall} from './ec2-calls.js';
import type {NetworkInventory} from './network-inventory.js';
import {deleteInternetGateway, deleteNatGateway, deleteRouteTable, deleteSubnet, deleteVpc, releaseElasticIp} from './network-resources.js';
import {type ChangeAction, deleteSecurityGroup} from './security-groups.js';
import type {NetworkRecord, NetworkRecordBook, NetworkRecordType, PartialTenantNetworkState} from './tenant-network-state.js';

export interface NetworkOperationResult {
	/** The role (`nat-a`), or `role@id` for a resource no role claims. */
	component: string;
	id: string;
	action: ChangeAction;
}

export type NetworkOperation = Operation<NetworkOperationResult>;

export interface NetworkResourceChange extends NetworkOperationResult {
	/** Everything known to exist after this change: what the caller checkpoints. */
	state: PartialTenantNetworkState;
}

export interface NetworkOperationOptions {
	/** The tenant's clients: `clients.forTenant(assumeRoleArn, …)` when the tenant config has one. */
	clients: AwsClients;
	wait?: WaitSettings;
	/** For the calls made before the operations (finding what exists). */
	signal?: AbortSignal;
	/** After every resource created, adopted, updated or deleted, with the state so far. */
	onResource?(change: NetworkResourceChange): void;
}

export interface NetworkRunOptions {
	parallelism?: number;
	stop?: AbortSignal;
	abort?: AbortSignal;
	onEvent?(event: ExecutorEvent<NetworkOperationResult>): void;
}

/** The shared machinery of one set of network operations. */
export class NetworkOperationScope {
	readonly wait: WaitSettings;
	readonly #clients: AwsClients;
	readonly #onResource: NetworkOperationOptions['onResource'];

	constructor(
		options: NetworkOperationOptions,
		readonly book: NetworkRecordBook,
	) {
		this.#clients = options.clients;
		this.wait = options.wait ?? defaultWait;
		this.#onResource = options.onResource;
	}

	call(context: {signal: AbortSignal; progress(phase: string): void}): NetworkCall {
		return {ec2: ec2Of(this.#clients), signal: context.signal, progress: (phase) => context.progress(phase), wait: this.wait};
	}

	/** Record what an operation did and tell the caller. */
	done(key: string, record: NetworkRecord | undefined, result: NetworkOperationResult): NetworkOperationResult {
		if (record) this.book.set(key, record);
		else this.book.delete(key);
		this.#onResource?.({...result, state: this.book.snapshot()});
		return result;
	}
}

/** A network operation: one AWS resource, run by the executor. */
export function networkOperation(
	id: string,
	dependsOn: readonly string[],
	estimateMs: number,
	run: NetworkOperation['run'],
): NetworkOperation {
	return {id, dependsOn, estimateMs, run};
}

/** A resource found by tags (or named by a stored state), keyed as the record book keys it. */
export interface FoundResource {
	key: string;
	record: NetworkRecord;
}

/** Records for what the inventory found; `key` decides each one's book key (role or `role@id`). */
export function foundResources(
	inventory: NetworkInventory,
	key: (type: NetworkRecordType, component: string, id: string) => string,
): FoundResource[] {
	const azOfSubnet = new Map(inventory.subnets.map((s) => [s.id, s.az]));
	const tierOf = (component: string, publicPrefix: string) =>
		(component.startsWith(publicPrefix) ? 'public' : 'private') as 'public' | 'private';
	const found = (record: NetworkRecord): FoundResource => ({key: key(record.type, record.component, record.id), record});
	return [
		...inventory.vpcs.map((v) => found({type: 'vpc', component: v.component, id: v.id})),
		...inventory.subnets.map((s) =>
			found({type: 'subnet', component: s.component, id: s.id, tier: tierOf(s.component, 'subnet-public'), cidr: s.cidr, az: s.az}),
		),
		...inventory.internetGateways.map((g) => found({type: 'internet-gateway', component: g.component, id: g.id})),
		...inventory.addresses.map((a) => found({type: 'elastic-ip', component: a.component, id: a.id})),
		...inventory.natGateways.map((n) =>
			found({
				type: 'nat-gateway',
				component: n.component,
				id: n.id,
				az: azOfSubnet.get(n.subnetId) ?? '',
				allocationId: n.allocationId ?? '',
			}),
		),
		...inventory.routeTables.map((t) =>
			found({type: 'route-table', component: t.component, id: t.id, tier: tierOf(t.component, 'rtb-public'), associations: t.associations}),
		),
		...inventory.securityGroups.map((g) => found({type: 'security-group', component: g.component, id: g.id})),
	];
}

const removers: Record<NetworkRecordType, (call: NetworkCall, id: string) => Promise<void>> = {
	vpc: deleteVpc,
	subnet: deleteSubnet,
	'internet-gateway': deleteInternetGateway,
	'elastic-ip': releaseElasticIp,
	'nat-gateway': deleteNatGateway,
	'route-table': deleteRouteTable,
	'security-group': deleteSecurityGroup,
};

/** A NAT gateway takes minutes to delete on AWS; everything else seconds. */
const removalEstimateMs: Record<NetworkRecordType, number> = {
	vpc: 1_000,
	subnet: 1_000,
	'internet-gateway': 2_000,
	'elastic-ip': 500,
	'nat-gateway': 60_000,
	'route-table': 1_000,
	'security-group': 1_000,
};

export function removalOperationId(resource: FoundResource): string {
	return `delete:${resource.key}`;
}

/**
 * One delete operation per resource, ordered as the module header says. `keptRouteTables` are the
 * ensure operations of the route tables that stay (they must take over subnets first).
 */
export function removalOperations(
	scope: NetworkOperationScope,
	resources: readonly FoundResource[],
	keptRouteTables: readonly string[],
): NetworkOperation[] {
	const idsOf = (type: NetworkRecordType) => resources.filter((r) => r.record.type === type).map(removalOperationId);
	const routeTables = [...keptRouteTables, ...idsOf('route-table')];
	const natGateways = idsOf('nat-gateway');
	const addresses = idsOf('elastic-ip');
	const nonVpc = resources.filter((r) => r.record.type !== 'vpc').map(removalOperationId);
	const dependsOn: Record<NetworkRecordType, readonly string[]> = {
		'security-group': [],
		'route-table': keptRouteTables,
		'nat-gateway': routeTables,
		'elastic-ip': natGateways,
		'internet-gateway': [...routeTables, ...natGateways, ...addresses],
		subnet: [...routeTables, ...natGateways],
		vpc: nonVpc,
	};
	return resources.map((resource) => {
		const {type, id} = resource.record;
		return networkOperation(removalOperationId(resource), dependsOn[type], removalEstimateMs[type], async (context) => {
			await removers[type](scope.call(context), id);
			return scope.done(resource.key, undefined, {component: resource.key, id, action: 'deleted'});
		});
	});
}

/** Run operations through the executor; throws a ProviderError naming every failure when not all succeeded. */
export async function runNetworkOperations(
	operations: readonly NetworkOperation[],
	options: NetworkRunOptions,
	what: string,
): Promise<void> {
	const failures: Array<{id: string; error: unknown}> = [];
	const notRun: string[] = [];
	for await (const event of executeOperations(operations, {
		...(options.parallelism ? {parallelism: options.parallelism} : {}),
		...(options.stop ? {stop: options.stop} : {}),
		...(options.abort ? {abort: options.abort} : {}),
	})) {
		options.onEvent?.(event);
		if (event.type === 'operation.failed' || event.type === 'operation.aborted') failures.push({id: event.id, error: event.error});
		else if (event.type === 'operation.skipped' || event.type === 'operation.not-started') notRun.push(event.id);
	}
	if (failures.length === 0 && notRun.length === 0) return;
	const first = failures[0]?.error;
	const failed = failures.map(({id, error}) => `${id}: ${error instanceof Error ? error.message : String(error)}`);
	const message = [
		failed.length ? `${failed.length} failed (${failed.join('; ')})` : '',
		notRun.length ? `${notRun.length} not run (${notRun.join(', ')})` : '',
	]
		.filter(Boolean)
		.join(', ');
	throw new ProviderError(`${what}: ${message}`, first === undefined ? 'Incomplete' : errorCode(first) || undefined, {cause: first});
}
