/**
 * What the MicroService modules share: the ECS client of a ResourceContext (calls go through
 * engine/aws/call.ts, the NetworkCall comes from networking/ec2-calls.ts), the networking a
 * service needs, ECS's lowercase tag shape, and the tags of resources that several services of
 * one stack share (the ECS cluster, the Cloud Map namespace).
 *
 * Invariants:
 * - Shared resources carry the stack's identity (`panka:tenant`, `panka:stack`, `panka:env`) and
 *   a `panka:component` naming the shared role, never one service's identity: the service that
 *   happened to create them first does not own them.
 * - The container of a task definition is named after the component (`panka:component`), so log
 *   streams and load balancer registrations say which component they belong to.
 */
import {ECSClient, type Tag as EcsTag} from '@aws-sdk/client-ecs';
import {type NetworkingIds, ProviderError, type ResourceContext} from '../../providers/provider.js';

export function ecsOf(context: Pick<ResourceContext, 'clients'>): ECSClient {
	return context.clients.get(ECSClient);
}

/** The tenant networking a MicroService runs in; applyPlan passes it for 'private-subnets' kinds. */
export function requireNetworking(context: ResourceContext): NetworkingIds {
	if (!context.networking)
		throw new ProviderError(
			`${context.address}: a MicroService runs in the tenant's VPC, but no tenant networking was passed (provision the tenant network first)`,
			'NoTenantNetwork',
		);
	return context.networking;
}

export function toEcsTags(tags: Readonly<Record<string, string>>): EcsTag[] {
	return Object.entries(tags).map(([key, value]) => ({key, value}));
}

export function fromEcsTags(tags: readonly EcsTag[] | undefined): Record<string, string> {
	return Object.fromEntries((tags ?? []).filter((tag) => tag.key !== undefined).map((tag) => [tag.key!, tag.value ?? '']));
}

const stackIdentityKeys = ['panka:tenant', 'panka:stack', 'panka:env'] as const;

/** Tags of a resource shared by the stack's services: the stack identity and the shared role. */
export function sharedStackTags(tags: Readonly<Record<string, string>>, role: string): Record<string, string> {
	const shared: Record<string, string> = {};
	for (const key of stackIdentityKeys) if (tags[key] !== undefined) shared[key] = tags[key];
	shared['panka:component'] = role;
	return shared;
}

/** The container's name in the task definition: the component's name. */
export function containerNameOf(context: Pick<ResourceContext, 'tags' | 'address'>): string {
	return context.tags['panka:component'] ?? context.address.split('/').at(-1) ?? 'app';
}
