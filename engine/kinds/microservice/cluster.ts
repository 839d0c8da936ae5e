/**
 * The ECS cluster of a stack and environment (`physicalNames.cluster`): created by the first
 * MicroService applied, reused by the others, deleted with the last one.
 *
 * Invariants:
 * - Ensure is idempotent: an ACTIVE cluster of that name is reused when its tags say it is this
 *   stack's (tenant, stack, env and the shared role; not which service made it) and refused
 *   otherwise (`requireOwned`); an INACTIVE or missing one is created, which ECS allows under the
 *   same name.
 * - Delete happens only when no ACTIVE or DRAINING service is left in the cluster, checked
 *   against ECS (moto lets DeleteCluster remove a cluster that still holds services, AWS refuses
 *   with ClusterContainsServicesException, which is tolerated: another service still uses it).
 *   ClusterContainsTasksException (tasks of the service just deleted still stopping) is retried
 *   within `context.wait`. A cluster that is gone, or that belongs to another stack, is left alone.
 */
import {
	CreateClusterCommand,
	DeleteClusterCommand,
	DescribeClustersCommand,
	DescribeServicesCommand,
	paginateListServices,
} from '@aws-sdk/client-ecs';
import {awsCall, awsCallUnlessMissing, hasAwsErrorCode} from '../../aws/call.js';
import {liveEcsServices} from '../../aws/emulator-workarounds.js';
import type {ResourceContext} from '../../providers/provider.js';
import {pollUntil} from '../../providers/wait.js';
import {isOwnedBy, requireOwned} from '../../providers/resource-tags.js';
import {ecsOf, fromEcsTags, sharedStackTags, toEcsTags} from './ecs-calls.js';

const clusterRole = 'ecs-cluster';

interface FoundCluster {
	arn: string;
	status: string;
	tags: Record<string, string>;
}

async function describeCluster(context: ResourceContext, name: string): Promise<FoundCluster | undefined> {
	const {clusters = []} = await awsCall(context, `ECS DescribeClusters ${name}`, (options) =>
		ecsOf(context).send(new DescribeClustersCommand({clusters: [name], include: ['TAGS']}), options),
	);
	const cluster = clusters.find((c) => c.clusterName === name);
	return cluster?.clusterArn ? {arn: cluster.clusterArn, status: cluster.status ?? '', tags: fromEcsTags(cluster.tags)} : undefined;
}

/** The cluster's name, after making sure it exists and is ACTIVE. */
export async function ensureCluster(context: ResourceContext): Promise<string> {
	const name = context.names.cluster!;
	const found = await describeCluster(context, name);
	if (found?.status === 'ACTIVE') {
		requireOwned(found.tags, sharedStackTags(context.tags, clusterRole), 'adopt', `ECS cluster ${name}`);
		return name;
	}
	context.progress(`creating ECS cluster ${name}`);
	await awsCall(context, `ECS CreateCluster ${name}`, (options) =>
		ecsOf(context).send(
			new CreateClusterCommand({clusterName: name, tags: toEcsTags(sharedStackTags(context.tags, clusterRole))}),
			options,
		),
	);
	return name;
}

/** Names of the services in the cluster that ECS still runs (ACTIVE or DRAINING). */
export async function servicesInCluster(context: ResourceContext, cluster: string): Promise<string[]> {
	const arns: string[] = [];
	const listed = await awsCallUnlessMissing(context, `ECS ListServices ${cluster}`, ['ClusterNotFoundException'], async (options) => {
		for await (const page of paginateListServices({client: ecsOf(context)}, {cluster}, options)) arns.push(...(page.serviceArns ?? []));
		return true;
	});
	if (!listed) return [];
	const live: string[] = [];
	for (let i = 0; i < arns.length; i += 10) {
		const {services = []} = await awsCall(context, `ECS DescribeServices ${cluster}`, (options) =>
			ecsOf(context).send(new DescribeServicesCommand({cluster, services: arns.slice(i, i + 10)}), options),
		);
		live.push(...liveEcsServices(services).map((s) => s.serviceName ?? ''));
	}
	return live;
}

/** Delete the stack's cluster when no service is left in it; anything else leaves it alone. */
export async function deleteClusterWhenEmpty(context: ResourceContext): Promise<void> {
	const name = context.names.cluster;
	if (!name) return;
	const found = await describeCluster(context, name);
	// Another stack's cluster at this name (under panka 0.1's names) is not this stack's to delete.
	if (found?.status !== 'ACTIVE' || !isOwnedBy(found.tags, sharedStackTags(context.tags, clusterRole))) return;
	if ((await servicesInCluster(context, name)).length > 0) return;
	context.progress(`deleting ECS cluster ${name} (no services left)`);
	// Tasks of a service deleted just now may still be stopping: retried until they are gone.
	await pollUntil(context, `the tasks in ECS cluster ${name} to stop`, async () => {
		try {
			await awsCall(context, `ECS DeleteCluster ${name}`, (options) =>
				ecsOf(context).send(new DeleteClusterCommand({cluster: name}), options),
			);
		} catch (error) {
			if (hasAwsErrorCode(error, 'ClusterContainsTasksException')) return undefined;
			// Another service was created in it meanwhile, or it is gone already: nothing to do.
			if (!hasAwsErrorCode(error, 'ClusterNotFoundException', 'ClusterContainsServicesException')) throw error;
		}
		return true;
	});
}
