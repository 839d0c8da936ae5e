/**
 * Deleting a database: refused while deletion protection is on; a final snapshot unless backups
 * were off or the run skips it; then the parameter group, subnet group, security group and
 * monitoring role. The password secret is kept. Deleting what is gone succeeds.
 */
import {type DBInstance, DeleteDBInstanceCommand, DeleteDBParameterGroupCommand, DeleteDBSubnetGroupCommand} from '@aws-sdk/client-rds';
import {awsCallUnlessMissing} from '../../aws/call.js';
import {networkCallOf} from '../../networking/ec2-calls.js';
import {deleteOwnedSecurityGroup, findSecurityGroupByName} from '../../networking/security-groups.js';
import {deleteRole} from '../../providers/iam-roles.js';
import {ProviderError, type ResourceContext} from '../../providers/provider.js';
import type {StateResource} from '../../state/state-document.js';
import {waitUntilDeleted, waitUntilSettled} from './instance.js';
import {describeParameterGroup, describeSubnetGroup} from './parts.js';
import {instanceId, instanceMissing, parameterGroupMissing, rds, recorded, subnetGroupMissing} from './shared.js';
import {requireOwnedPart} from './tags.js';

/** `<instance>-final-<yyyymmddhhmmss>`: letters, digits and single hyphens, at most 255 characters. */
export function finalSnapshotIdentifier(instance: string, at: Date): string {
	const stamp = at.toISOString().replace(/\D/g, '').slice(0, 14);
	return `${instance}-final-${stamp}`.replace(/-{2,}/g, '-').slice(0, 255);
}

/** Why no final snapshot is taken, or undefined when one is. */
function noFinalSnapshotReason(context: ResourceContext, previous: StateResource): string | undefined {
	if (context.deleteOptions?.skipFinalSnapshot) return '--skip-final-snapshot';
	if (recorded(previous, 'backup.enabled') === false) return 'backups are disabled';
	return undefined;
}

const transitionalStatuses = new Set([
	'creating',
	'modifying',
	'backing-up',
	'rebooting',
	'upgrading',
	'configuring-enhanced-monitoring',
	'resetting-master-credentials',
	'maintenance',
	'starting',
	'renaming',
]);

export async function deleteInstance(context: ResourceContext, instance: DBInstance, previous: StateResource): Promise<void> {
	const id = instanceId(context);
	if (instance.DeletionProtection)
		throw new ProviderError(
			`DB instance ${id} has deletion protection on: set deletionProtection: false in the spec of ${context.address} and apply first, then delete it`,
			'DeletionProtectionEnabled',
		);
	if (instance.DBInstanceStatus !== 'deleting') {
		// AWS refuses to delete an instance in the middle of a change: let the change finish first.
		if (transitionalStatuses.has(instance.DBInstanceStatus ?? '')) await waitUntilSettled(context);
		const skipReason = noFinalSnapshotReason(context, previous);
		const snapshot = skipReason ? undefined : finalSnapshotIdentifier(id, new Date());
		context.progress(
			snapshot
				? `deleting DB instance ${id} with final snapshot ${snapshot}`
				: `deleting DB instance ${id} without a final snapshot (${skipReason})`,
		);
		await awsCallUnlessMissing(context, `RDS DeleteDBInstance ${id}`, instanceMissing, (options) =>
			rds(context).send(
				new DeleteDBInstanceCommand({
					DBInstanceIdentifier: id,
					...(snapshot ? {FinalDBSnapshotIdentifier: snapshot} : {SkipFinalSnapshot: true}),
				}),
				options,
			),
		);
	}
	await waitUntilDeleted(context);
}

export async function deleteParts(context: ResourceContext, previous: StateResource, vpcId: string | undefined): Promise<void> {
	const parameterGroup = context.names.parameterGroup;
	const parameterGroupFound = parameterGroup ? await describeParameterGroup(context, parameterGroup) : undefined;
	if (parameterGroup && parameterGroupFound) {
		await requireOwnedPart(context, parameterGroupFound.DBParameterGroupArn ?? '', `DB parameter group ${parameterGroup}`, 'delete');
		context.progress(`deleting DB parameter group ${parameterGroup}`);
		await awsCallUnlessMissing(context, `RDS DeleteDBParameterGroup ${parameterGroup}`, parameterGroupMissing, (options) =>
			rds(context).send(new DeleteDBParameterGroupCommand({DBParameterGroupName: parameterGroup}), options),
		);
	}
	const subnetGroup = context.names.subnetGroup;
	const subnetGroupFound = subnetGroup ? await describeSubnetGroup(context, subnetGroup) : undefined;
	if (subnetGroup && subnetGroupFound) {
		await requireOwnedPart(context, subnetGroupFound.DBSubnetGroupArn ?? '', `DB subnet group ${subnetGroup}`, 'delete');
		context.progress(`deleting DB subnet group ${subnetGroup}`);
		await awsCallUnlessMissing(context, `RDS DeleteDBSubnetGroup ${subnetGroup}`, subnetGroupMissing, (options) =>
			rds(context).send(new DeleteDBSubnetGroupCommand({DBSubnetGroupName: subnetGroup}), options),
		);
	}
	const call = networkCallOf(context);
	const recordedGroup = previous.outputs._securityGroupId;
	const groupVpc = vpcId ?? subnetGroupFound?.VpcId;
	const groupName = context.names.securityGroup;
	const groupId =
		typeof recordedGroup === 'string'
			? recordedGroup
			: groupName && groupVpc
				? (await findSecurityGroupByName(call, groupVpc, groupName))?.id
				: undefined;
	if (groupId) await deleteOwnedSecurityGroup(call, groupId, context.tags, `DB security group ${groupName ?? ''}`.trim());
	if (context.names.monitoringRole) await deleteRole(context, context.names.monitoringRole);
}
