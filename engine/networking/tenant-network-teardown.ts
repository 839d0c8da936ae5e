/**
 * Tearing down a tenant's network, as executor operations: one removal per resource, in the order
 * network-operations.ts defines (NAT gateways deleted and waited before their Elastic IPs are
 * released; associations removed before route tables are deleted; the IGW detached before it is
 * deleted; group-referencing rules revoked by rule ID before groups are deleted; subnets before
 * the VPC).
 *
 * Invariants:
 * - What is removed is the union of what tags find (`panka:tenant`, no `panka:stack`) and what the
 *   stored state names, so a resource created just before a crash and one whose tags were lost are
 *   both removed. Anything already gone counts as removed: teardown can be re-run after a crash.
 * - A VPC that still holds security groups panka did not create for the tenant network (stack
 *   groups, hand-made ones) is refused before anything is deleted: AWS would refuse to delete the
 *   VPC at the very end (moto would not), leaving the tenant half torn down.
 */
import {defaultWait, ProviderError} from '../providers/provider.js';
import {ec2Of} from './ec2-calls.js';
import {discoverTenantNetwork} from './network-inventory.js';
import {
	type FoundResource,
	foundResources,
	type NetworkOperation,
	type NetworkOperationOptions,
	NetworkOperationScope,
	type NetworkRunOptions,
	removalOperations,
	runNetworkOperations,
} from './network-operations.js';
import {NetworkRecordBook, type NetworkRecord, stateIds, type TenantNetworkState} from './tenant-network-state.js';

export interface TenantNetworkTeardownOptions extends NetworkOperationOptions {
	tenant: string;
}

export async function tenantNetworkTeardownOperations(
	state: TenantNetworkState | undefined,
	options: TenantNetworkTeardownOptions,
): Promise<NetworkOperation[]> {
	const known = state ? stateIds(state) : undefined;
	const inventory = await discoverTenantNetwork(
		{
			ec2: ec2Of(options.clients),
			signal: options.signal ?? new AbortController().signal,
			progress: () => {},
			wait: options.wait ?? defaultWait,
		},
		options.tenant,
		known ?? {},
	);
	if (inventory.otherSecurityGroups.length > 0)
		throw new ProviderError(
			`tenant ${options.tenant} networking: the VPC still holds security groups that are not the tenant's: ${inventory.otherSecurityGroups.map((g) => `${g.name} (${g.id})`).join(', ')}; destroy the stacks that use them first`,
			'DependencyViolation',
		);

	const roleCounts = new Map<string, number>();
	for (const {record} of foundResources(inventory, () => '')) roleCounts.set(record.component, (roleCounts.get(record.component) ?? 0) + 1);
	const resources = foundResources(inventory, (type, component, id) =>
		component && roleCounts.get(component) === 1 ? component : `${component || type}@${id}`,
	);
	const seen = new Set(resources.map((r) => r.record.id));
	// IDs the state names that tags did not find (gone already, or their tags were removed).
	const unfound = (type: NetworkRecord['type'], ids: readonly string[] = []): FoundResource[] =>
		ids.filter((id) => id && !seen.has(id)).map((id) => ({key: `${type}@${id}`, record: stateOnlyRecord(type, id)}));
	const all = [
		...resources,
		...unfound('vpc', known?.vpcIds),
		...unfound('subnet', known?.subnetIds),
		...unfound('internet-gateway', known?.internetGatewayIds),
		...unfound('nat-gateway', known?.natGatewayIds),
		...unfound('elastic-ip', known?.allocationIds),
		...unfound('route-table', known?.routeTableIds),
		...unfound('security-group', known?.securityGroupIds),
	];
	const book = new NetworkRecordBook(options.tenant);
	for (const resource of all) book.set(resource.key, resource.record);
	return removalOperations(new NetworkOperationScope(options, book), all, []);
}

/** Remove the tenant's whole network; throws when any removal failed (re-running finishes it). */
export async function teardownTenantNetwork(
	state: TenantNetworkState | undefined,
	options: TenantNetworkTeardownOptions & NetworkRunOptions,
): Promise<void> {
	await runNetworkOperations(
		await tenantNetworkTeardownOperations(state, options),
		options,
		`tenant ${options.tenant} networking teardown`,
	);
}

function stateOnlyRecord(type: NetworkRecord['type'], id: string): NetworkRecord {
	switch (type) {
		case 'subnet':
			return {type, component: '', id, tier: 'private', cidr: '', az: ''};
		case 'nat-gateway':
			return {type, component: '', id, az: '', allocationId: ''};
		case 'route-table':
			return {type, component: '', id, tier: 'private', associations: []};
		default:
			return {type, component: '', id};
	}
}
