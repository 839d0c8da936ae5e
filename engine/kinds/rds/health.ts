/**
 * RDS health: the instance's status (available is healthy; a status waiting cannot fix, such as
 * storage-full or incompatible-parameters, is failing; any other, such as modifying or
 * backing-up, degraded), its allocated storage, and the maintenance AWS has pending for it
 * (pending maintenance is information: it is scheduled, not a fault), and the storage used
 * against allocated (CloudWatch FreeStorageSpace, its latest datapoint, one GetMetricData call in
 * parallel): more than 90% used is degraded. Maintenance that
 * cannot be read (moto does not implement DescribePendingMaintenanceActions) is said as a fact
 * without a verdict: the instance's own status decides.
 */
import {DescribeDBInstancesCommand, DescribePendingMaintenanceActionsCommand, RDSClient} from '@aws-sdk/client-rds';
import {awsCall, awsCallUnlessMissing} from '../../aws/call.js';
import type {HealthFact, HealthReader} from '../../status/health.js';
import {inWindow, latestOf, type MetricValues, metricsNotRead, percent, readMetrics} from '../../status/metrics.js';
import {failedStatuses} from './instance.js';
import {instanceMissing} from './shared.js';

/** More of the allocated storage in use than this is degraded (storage-full stops the instance). */
const storageUsedLimit = 0.9;
const bytesPerGiB = 1024 ** 3;

/** Storage used against allocated (GiB, as RDS allocates it), from the latest FreeStorageSpace datapoint (bytes). */
export function storageUsedFact(metrics: MetricValues | Error, allocatedGiB: number): HealthFact {
	if (metrics instanceof Error) return metricsNotRead(metrics);
	const free = latestOf(metrics.freeStorage);
	if (free === undefined) return {name: 'storage used', value: `no FreeStorageSpace datapoints ${inWindow}`};
	const allocated = allocatedGiB * bytesPerGiB;
	const used = Math.max(0, allocated - free);
	const share = allocated > 0 ? used / allocated : 0;
	const gib = (bytes: number) => String(Math.round((bytes / bytesPerGiB) * 10) / 10);
	return {
		name: 'storage used',
		value: `${gib(used)} of ${allocatedGiB} GB (${percent(share)})`,
		...(share > storageUsedLimit ? {verdict: 'degraded' as const} : {}),
	};
}

export const rdsHealth: HealthReader = async (context, resource) => {
	const id = resource.physicalNames.primary ?? resource.physicalId;
	const rds = context.clients.get(RDSClient);
	const [described, maintenance, metrics] = await Promise.all([
		awsCallUnlessMissing(context, `RDS DescribeDBInstances ${id}`, instanceMissing, (options) =>
			rds.send(new DescribeDBInstancesCommand({DBInstanceIdentifier: id}), options),
		),
		typeof resource.outputs.arn === 'string'
			? awsCall(context, `RDS DescribePendingMaintenanceActions ${id}`, (options) =>
					rds.send(new DescribePendingMaintenanceActionsCommand({ResourceIdentifier: resource.outputs.arn as string}), options),
				).catch((error: Error) => error)
			: undefined,
		readMetrics(context, [
			{id: 'freeStorage', namespace: 'AWS/RDS', metric: 'FreeStorageSpace', dimensions: {DBInstanceIdentifier: id}, stat: 'Minimum'},
		]),
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
	if (instance.AllocatedStorage !== undefined) facts.push(storageUsedFact(metrics, instance.AllocatedStorage));
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
