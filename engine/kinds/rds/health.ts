/**
 * RDS health: the instance's status (available is healthy; a status waiting cannot fix, such as
 * storage-full or incompatible-parameters, is failing; any other, such as modifying or
 * backing-up, degraded), its allocated storage, and the maintenance AWS has pending for it
 * (pending maintenance is information: it is scheduled, not a fault). Storage used is a
 * CloudWatch metric (FreeStorageSpace), not read here: see docs/status.md. Maintenance that
 * cannot be read (moto does not implement DescribePendingMaintenanceActions) is said as a fact
 * without a verdict: the instance's own status decides.
 */
import {DescribeDBInstancesCommand, DescribePendingMaintenanceActionsCommand, RDSClient} from '@aws-sdk/client-rds';
import {awsCall, awsCallUnlessMissing} from '../../aws/call.js';
import type {HealthFact, HealthReader} from '../../status/health.js';
import {failedStatuses} from './instance.js';
import {instanceMissing} from './shared.js';

export const rdsHealth: HealthReader = async (context, resource) => {
	const id = resource.physicalNames.primary ?? resource.physicalId;
	const rds = context.clients.get(RDSClient);
	const [described, maintenance] = await Promise.all([
		awsCallUnlessMissing(context, `RDS DescribeDBInstances ${id}`, instanceMissing, (options) =>
			rds.send(new DescribeDBInstancesCommand({DBInstanceIdentifier: id}), options),
		),
		typeof resource.outputs.arn === 'string'
			? awsCall(context, `RDS DescribePendingMaintenanceActions ${id}`, (options) =>
					rds.send(new DescribePendingMaintenanceActionsCommand({ResourceIdentifier: resource.outputs.arn as string}), options),
				).catch((error: Error) => error)
			: undefined,
	]);
	const instance = described?.DBInstances?.[0];
	if (!instance) return {exists: false};
	const status = instance.DBInstanceStatus ?? 'unknown';
	const facts: HealthFact[] = [
		{
			name: 'instance',
			value: status,
			...(status === 'available' ? {} : {verdict: failedStatuses.has(status) ? ('failing' as const) : ('degraded' as const)}),
		},
	];
	if (instance.AllocatedStorage !== undefined)
		facts.push({
			name: 'storage allocated',
			value: `${instance.AllocatedStorage} GB${instance.MaxAllocatedStorage ? ` (autoscaling to ${instance.MaxAllocatedStorage} GB)` : ''}`,
		});
	if (maintenance instanceof Error) {
		facts.push({name: 'pending maintenance', value: `not read: ${maintenance.message}`});
		return {exists: true, facts};
	}
	const actions = (maintenance?.PendingMaintenanceActions ?? []).flatMap((pending) => pending.PendingMaintenanceActionDetails ?? []);
	facts.push({
		name: 'pending maintenance',
		value:
			actions.length === 0
				? 'none'
				: actions
						.map(
							(a) =>
								`${a.Action}${a.Description ? ` (${a.Description})` : ''}${a.CurrentApplyDate ? ` on ${a.CurrentApplyDate.toISOString().slice(0, 10)}` : ''}`,
						)
						.join('; '),
	});
	return {exists: true, facts};
};
