/**
 * Emulator workarounds: everything panka does only because an AWS emulator (moto 5.2.1, which the
 * tests and the demo run against) answers differently from AWS.
 *
 * Invariants:
 * - Every workaround is correct on AWS too: it re-establishes what AWS already guarantees (a
 *   filter applied, a status excluded, a cascade done explicitly), so nothing here or in a
 *   provider asks which endpoint it talks to. There is no "if emulator" branch anywhere.
 * - A provider never repeats a workaround inline: it calls the function here, whose name says
 *   what it re-establishes.
 *
 * Functions (the answer is narrowed on the client):
 * - `servicesInNamespace`, `privateNamespacesNamed`: Cloud Map ListServices and ListNamespaces
 *   ignore their filters on moto, so services of other namespaces and namespaces of other names
 *   or types come back (MicroService discovery).
 * - `liveEcsServices`: ECS ListServices lists INACTIVE (deleted) services on moto, AWS does not;
 *   their status decides whether a cluster is still in use (MicroService cluster).
 * - `exactScalingMatch`: Application Auto Scaling matches DescribeScalingPolicies' ResourceId as a
 *   substring on moto, so the policy of service `api` also matches `api-2` (MicroService scaling).
 *
 * Workarounds that are the way panka calls AWS, with nothing to narrow (kept where they are, said
 * in that module's header):
 * - S3 CreateBucket: moto ignores the Tags in CreateBucketConfiguration, so PutBucketTagging always
 *   follows (kinds/s3-provider.ts).
 * - Application Auto Scaling: moto keeps a target's policies after DeregisterScalableTarget, so the
 *   policy is deleted first (kinds/microservice/scaling.ts).
 * - EC2 security group rules: moto matches group-pair rules by description, so rules are revoked by
 *   SecurityGroupRuleIds only; it returns no description for group-referencing rules, so panka
 *   writes none there (networking/security-groups.ts, the RDS allTrafficFrom rule).
 * - EC2 DescribeNatGateways ignores tag filters on moto: the inventory checks tags again, as it
 *   must anyway to keep other tenants' resources out (networking/network-inventory.ts).
 * - RDS DescribeDBParameterGroups answers an empty list, not DBParameterGroupNotFound, for a
 *   missing group on some emulators: the group is looked up by name in the answer.
 * - ECS never changes runningCount on moto (MOTO_ECS_SERVICE_RUNNING sets it at create) and does
 *   not roll deployments: rollouts converge there only as the tests configure it
 *   (kinds/microservice/service.ts).
 * - CloudWatch Logs StartLiveTail is not implemented by moto: tailing falls back to polling, as it
 *   does for any endpoint that refuses it (logs/tail-logs.ts).
 */

/** Cloud Map service summaries of `namespaceId` only (AWS's summaries carry no NamespaceId: its filter did the work). */
export function servicesInNamespace<Service extends object>(services: readonly Service[], namespaceId: string): Service[] {
	return services.filter((service) => {
		const of = (service as {NamespaceId?: string}).NamespaceId;
		return of === undefined || of === namespaceId;
	});
}

/** Cloud Map namespaces that are private DNS namespaces named `name`. */
export function privateNamespacesNamed<Namespace extends {Name?: string; Type?: string}>(
	namespaces: readonly Namespace[],
	name: string,
): Namespace[] {
	return namespaces.filter((namespace) => namespace.Name === name && namespace.Type === 'DNS_PRIVATE');
}

/** ECS services that still run in their cluster: ACTIVE or DRAINING, never INACTIVE. */
export function liveEcsServices<Service extends {status?: string}>(services: readonly Service[]): Service[] {
	return services.filter((service) => service.status === 'ACTIVE' || service.status === 'DRAINING');
}

/** The scaling policy of exactly `resourceId` and `policyName` among those described. */
export function exactScalingMatch<Policy extends {ResourceId?: string; PolicyName?: string}>(
	policies: readonly Policy[],
	resourceId: string,
	policyName: string,
): Policy | undefined {
	return policies.find((policy) => policy.ResourceId === resourceId && policy.PolicyName === policyName);
}
