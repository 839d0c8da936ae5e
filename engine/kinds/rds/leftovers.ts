/**
 * What an RDS component leaves that the sweep after a destroy may find (engine/kinds/leftovers.ts):
 * DB instances, then their subnet and parameter groups (listed whole; AWS's `default.*` parameter
 * groups are never candidates). Deleting uses the kind's not-found codes.
 *
 * A leftover instance is deleted with a final snapshot (`{id}-sweep-{yyyymmddhhmmss}`), and waited
 * for until gone so its groups can go: a leftover database is never lost without one.
 */
import {
	DeleteDBInstanceCommand,
	DeleteDBParameterGroupCommand,
	DeleteDBSubnetGroupCommand,
	DescribeDBInstancesCommand,
	DescribeDBParameterGroupsCommand,
	DescribeDBSubnetGroupsCommand,
	waitUntilDBInstanceDeleted,
} from '@aws-sdk/client-rds';
import {awsCall, awsCallUnlessMissing} from '../../aws/call.js';
import {allPages, candidates, continuing, type LeftoverSweep} from '../leftovers.js';
import {instanceMissing, parameterGroupMissing, rds as rdsOf, subnetGroupMissing} from './shared.js';
import {rdsTagsOf} from './tags.js';

interface Named {
	arn: string;
	name: string;
}

/** The snapshot a leftover instance is deleted with. */
function sweepSnapshotIdentifier(instance: string, at: Date): string {
	return `${instance}-sweep-${at
		.toISOString()
		.replace(/[^0-9]/g, '')
		.slice(0, 14)}`;
}

export const rdsLeftovers: LeftoverSweep = async (scope) => {
	const rds = rdsOf(scope);
	const tagsOf = ({arn, name}: Named) => rdsTagsOf(scope, arn, name);
	const instances = await allPages(async (marker) => {
		const page = await awsCall(scope, 'RDS DescribeDBInstances', (o) =>
			rds.send(new DescribeDBInstancesCommand(continuing(marker, 'Marker')), o),
		);
		const items = (page.DBInstances ?? []).flatMap((i) =>
			i.DBInstanceArn && i.DBInstanceIdentifier && i.DBInstanceStatus !== 'deleting'
				? [{arn: i.DBInstanceArn, name: i.DBInstanceIdentifier}]
				: [],
		);
		return {items, next: page.Marker};
	});
	const subnetGroups = await allPages(async (marker) => {
		const page = await awsCall(scope, 'RDS DescribeDBSubnetGroups', (o) =>
			rds.send(new DescribeDBSubnetGroupsCommand(continuing(marker, 'Marker')), o),
		);
		const items = (page.DBSubnetGroups ?? []).flatMap((g) =>
			g.DBSubnetGroupArn && g.DBSubnetGroupName ? [{arn: g.DBSubnetGroupArn, name: g.DBSubnetGroupName}] : [],
		);
		return {items, next: page.Marker};
	});
	const parameterGroups = await allPages(async (marker) => {
		const page = await awsCall(scope, 'RDS DescribeDBParameterGroups', (o) =>
			rds.send(new DescribeDBParameterGroupsCommand(continuing(marker, 'Marker')), o),
		);
		const items = (page.DBParameterGroups ?? []).flatMap((g) =>
			g.DBParameterGroupArn && g.DBParameterGroupName && !g.DBParameterGroupName.startsWith('default.')
				? [{arn: g.DBParameterGroupArn, name: g.DBParameterGroupName}]
				: [],
		);
		return {items, next: page.Marker};
	});
	return [
		...candidates(
			'holders',
			instances,
			({name}) => `RDS DB instance ${name}`,
			tagsOf,
			async ({name}) => {
				const snapshot = sweepSnapshotIdentifier(name, new Date());
				await awsCallUnlessMissing(scope, `RDS DeleteDBInstance ${name}`, instanceMissing, (o) =>
					rds.send(new DeleteDBInstanceCommand({DBInstanceIdentifier: name, FinalDBSnapshotIdentifier: snapshot}), o),
				);
				await awsCall(scope, `RDS wait for ${name} deleted`, (o) =>
					waitUntilDBInstanceDeleted(
						{client: rds, maxWaitTime: scope.deleteWaitSeconds, abortSignal: o.abortSignal},
						{DBInstanceIdentifier: name},
					),
				);
			},
		),
		...candidates(
			'groups',
			subnetGroups,
			({name}) => `RDS DB subnet group ${name}`,
			tagsOf,
			({name}) =>
				awsCallUnlessMissing(scope, `RDS DeleteDBSubnetGroup ${name}`, subnetGroupMissing, (o) =>
					rds.send(new DeleteDBSubnetGroupCommand({DBSubnetGroupName: name}), o),
				),
		),
		...candidates(
			'groups',
			parameterGroups,
			({name}) => `RDS DB parameter group ${name}`,
			tagsOf,
			({name}) =>
				awsCallUnlessMissing(scope, `RDS DeleteDBParameterGroup ${name}`, parameterGroupMissing, (o) =>
					rds.send(new DeleteDBParameterGroupCommand({DBParameterGroupName: name}), o),
				),
		),
	];
};
