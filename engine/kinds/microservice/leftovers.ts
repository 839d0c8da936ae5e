/**
 * What a MicroService leaves that the sweep after a destroy may find (engine/kinds/leftovers.ts):
 * ECS services and the clusters they run in, load balancers and target groups, Cloud Map services
 * and the namespaces they are registered in. ECS, ELBv2 and Cloud Map list no name prefix: all
 * are listed whole. Deleting uses the kind's not-found codes.
 *
 * Order (stages): an ECS service (scaled to zero, deleted, waited for until inactive) before
 * load balancers, before its cluster and target groups, before Cloud Map services, before their namespace.
 */
import {
	DeleteClusterCommand,
	DeleteServiceCommand,
	DescribeClustersCommand,
	DescribeServicesCommand,
	ECSClient,
	ListClustersCommand,
	ListServicesCommand,
	UpdateServiceCommand,
	waitUntilServicesInactive,
} from '@aws-sdk/client-ecs';
import {
	DeleteLoadBalancerCommand,
	DeleteTargetGroupCommand,
	DescribeLoadBalancersCommand,
	DescribeTargetGroupsCommand,
	ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import {
	DeleteNamespaceCommand,
	DeleteServiceCommand as DeleteDiscoveryServiceCommand,
	ListNamespacesCommand,
	ListServicesCommand as ListDiscoveryServicesCommand,
	ServiceDiscoveryClient,
} from '@aws-sdk/client-servicediscovery';
import {awsCall, awsCallUnlessMissing} from '../../aws/call.js';
import {allPages, candidates, continuing, type LeftoverCandidate, type LeftoverScope, type LeftoverSweep, lastPart} from '../leftovers.js';
import {cloudMapTagsOf, discoveryServiceMissing, namespaceMissing} from './discovery.js';
import {fromEcsTags} from './ecs-calls.js';
import {elbTagsOf, loadBalancerMissing, targetGroupMissing} from './load-balancer.js';
import {missingService} from './service.js';

export const microServiceLeftovers: LeftoverSweep = async (scope) =>
	(await Promise.all([ecsLeftovers(scope), loadBalancerLeftovers(scope), discoveryLeftovers(scope)])).flat();

async function ecsLeftovers(scope: LeftoverScope): Promise<LeftoverCandidate[]> {
	const ecs = scope.clients.get(ECSClient);
	const clusterArns = await allPages(async (token) => {
		const page = await awsCall(scope, 'ECS ListClusters', (o) => ecs.send(new ListClustersCommand(continuing(token, 'nextToken')), o));
		return {items: page.clusterArns ?? [], next: page.nextToken};
	});
	const describe = async (arn: string) =>
		(
			await awsCall(scope, `ECS DescribeClusters ${lastPart(arn, '/')}`, (o) =>
				ecs.send(new DescribeClustersCommand({clusters: [arn], include: ['TAGS']}), o),
			)
		).clusters?.[0];
	const clusters = (await Promise.all(clusterArns.map(describe))).flatMap((c) =>
		c?.clusterArn && c.status === 'ACTIVE' ? [{arn: c.clusterArn, name: c.clusterName ?? lastPart(c.clusterArn, '/')}] : [],
	);
	const services = (
		await Promise.all(
			clusters.map(async (cluster) =>
				(
					await allPages(async (token) => {
						const page = await awsCall(scope, `ECS ListServices ${cluster.name}`, (o) =>
							ecs.send(new ListServicesCommand({cluster: cluster.arn, ...continuing(token, 'nextToken')}), o),
						);
						return {items: page.serviceArns ?? [], next: page.nextToken};
					})
				).map((arn) => ({cluster: cluster.arn, arn, name: lastPart(arn, '/')})),
			),
		)
	).flat();
	return [
		...candidates(
			'users',
			services,
			({name}) => `ECS service ${name}`,
			async ({cluster, arn, name}) => {
				const answer = await awsCall(scope, `ECS DescribeServices ${name}`, (o) =>
					ecs.send(new DescribeServicesCommand({cluster, services: [arn], include: ['TAGS']}), o),
				);
				const found = answer.services?.[0];
				return found && found.status !== 'INACTIVE' ? fromEcsTags(found.tags) : {};
			},
			async ({cluster, arn, name}) => {
				await awsCallUnlessMissing(scope, `ECS UpdateService ${name}`, missingService, (o) =>
					ecs.send(new UpdateServiceCommand({cluster, service: arn, desiredCount: 0}), o),
				);
				await awsCallUnlessMissing(scope, `ECS DeleteService ${name}`, missingService, (o) =>
					ecs.send(new DeleteServiceCommand({cluster, service: arn, force: true}), o),
				);
				await awsCall(scope, `ECS wait for ${name} inactive`, (o) =>
					waitUntilServicesInactive(
						{client: ecs, maxWaitTime: scope.deleteWaitSeconds, abortSignal: o.abortSignal},
						{cluster, services: [arn]},
					),
				);
			},
		),
		...candidates(
			'holders',
			clusters,
			({name}) => `ECS cluster ${name}`,
			async ({arn}) => fromEcsTags((await describe(arn))?.tags),
			({arn, name}) =>
				awsCallUnlessMissing(scope, `ECS DeleteCluster ${name}`, missingService, (o) =>
					ecs.send(new DeleteClusterCommand({cluster: arn}), o),
				),
		),
	];
}

async function loadBalancerLeftovers(scope: LeftoverScope): Promise<LeftoverCandidate[]> {
	const elb = scope.clients.get(ElasticLoadBalancingV2Client);
	const balancers = await allPages(async (marker) => {
		const page = await awsCall(scope, 'ELBv2 DescribeLoadBalancers', (o) =>
			elb.send(new DescribeLoadBalancersCommand(continuing(marker, 'Marker')), o),
		);
		const items = (page.LoadBalancers ?? []).flatMap((b) =>
			b.LoadBalancerArn ? [{arn: b.LoadBalancerArn, name: b.LoadBalancerName ?? ''}] : [],
		);
		return {items, next: page.NextMarker};
	});
	const targetGroups = await allPages(async (marker) => {
		const page = await awsCall(scope, 'ELBv2 DescribeTargetGroups', (o) =>
			elb.send(new DescribeTargetGroupsCommand(continuing(marker, 'Marker')), o),
		);
		const items = (page.TargetGroups ?? []).flatMap((g) =>
			g.TargetGroupArn ? [{arn: g.TargetGroupArn, name: g.TargetGroupName ?? ''}] : [],
		);
		return {items, next: page.NextMarker};
	});
	return [
		...candidates(
			'balancers',
			balancers,
			({name}) => `load balancer ${name}`,
			({arn}) => elbTagsOf(scope, arn),
			({arn, name}) =>
				awsCallUnlessMissing(scope, `ELBv2 DeleteLoadBalancer ${name}`, loadBalancerMissing, (o) =>
					elb.send(new DeleteLoadBalancerCommand({LoadBalancerArn: arn}), o),
				),
		),
		...candidates(
			'holders',
			targetGroups,
			({name}) => `target group ${name}`,
			({arn}) => elbTagsOf(scope, arn),
			({arn, name}) =>
				awsCallUnlessMissing(scope, `ELBv2 DeleteTargetGroup ${name}`, targetGroupMissing, (o) =>
					elb.send(new DeleteTargetGroupCommand({TargetGroupArn: arn}), o),
				),
		),
	];
}

async function discoveryLeftovers(scope: LeftoverScope): Promise<LeftoverCandidate[]> {
	const cloudMap = scope.clients.get(ServiceDiscoveryClient);
	const listed = (summary: {Id?: string; Arn?: string; Name?: string}) =>
		summary.Id && summary.Arn ? [{id: summary.Id, arn: summary.Arn, name: summary.Name ?? summary.Id}] : [];
	const services = await allPages(async (token) => {
		const page = await awsCall(scope, 'Cloud Map ListServices', (o) =>
			cloudMap.send(new ListDiscoveryServicesCommand(continuing(token, 'NextToken')), o),
		);
		return {items: (page.Services ?? []).flatMap(listed), next: page.NextToken};
	});
	const namespaces = await allPages(async (token) => {
		const page = await awsCall(scope, 'Cloud Map ListNamespaces', (o) =>
			cloudMap.send(new ListNamespacesCommand(continuing(token, 'NextToken')), o),
		);
		return {items: (page.Namespaces ?? []).flatMap(listed), next: page.NextToken};
	});
	return [
		...candidates(
			'groups',
			services,
			({name, id}) => `Cloud Map service ${name} (${id})`,
			({arn}) => cloudMapTagsOf(scope, arn),
			({id, name}) =>
				awsCallUnlessMissing(scope, `Cloud Map DeleteService ${name}`, discoveryServiceMissing, (o) =>
					cloudMap.send(new DeleteDiscoveryServiceCommand({Id: id}), o),
				),
		),
		...candidates(
			'namespaces',
			namespaces,
			({name, id}) => `Cloud Map namespace ${name} (${id})`,
			({arn}) => cloudMapTagsOf(scope, arn),
			({id, name}) =>
				awsCallUnlessMissing(scope, `Cloud Map DeleteNamespace ${name}`, namespaceMissing, (o) =>
					cloudMap.send(new DeleteNamespaceCommand({Id: id}), o),
				),
		),
	];
}
