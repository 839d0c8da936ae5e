/**
 * The DB instance: created with the master password (which never reaches outputs, progress or
 * errors: withPassword), converged with one ModifyDBInstance of the fields that differ, refused
 * before anything changes when AWS cannot do it (storage decrease, downgrade, family change), and
 * waited for until it is available with nothing pending.
 */
import {
	CreateDBInstanceCommand,
	type CreateDBInstanceCommandInput,
	type DBInstance,
	DescribeDBInstancesCommand,
	ModifyDBInstanceCommand,
	type ModifyDBInstanceCommandInput,
} from '@aws-sdk/client-rds';
import {awsCall, awsCallUnlessMissing, type AwsRequest, hasAwsErrorCode, type TransientRefusal} from '../../aws/call.js';
import {type AppliedResource, awsError, ProviderError, type ResourceContext} from '../../providers/provider.js';
import {toTagList} from '../../providers/resource-tags.js';
import {pollUntil} from '../../providers/wait.js';
import {redactedValue, type StateResource} from '../../state/state-document.js';
import type {RdsSpec} from '../rds.js';
import type {InstanceParts} from './parts.js';
import {instanceId, instanceMissing, rds, recordedNumber} from './shared.js';
import {versionChange} from './versions.js';

/** Statuses in which the instance serves and takes further modifications. */
const settledStatuses = new Set(['available', 'storage-optimization']);
/** Statuses that will not become available by waiting. */
export const failedStatuses = new Set([
	'failed',
	'incompatible-network',
	'incompatible-option-group',
	'incompatible-parameters',
	'incompatible-restore',
	'inaccessible-encryption-credentials',
	'restore-error',
	'storage-full',
	'insufficient-capacity',
]);
/** A new IAM role can take a few seconds to be usable by RDS: how long create retries for it. */
const rolePropagationSeconds = 120;

/**
 * Run a call whose input holds the master password. A failure is reported as a ProviderError with
 * the password replaced by `(sensitive)` wherever the message repeats it, and without the SDK error
 * as `cause` (nothing downstream can serialise what it carried).
 */
async function withPassword<T>(
	context: ResourceContext,
	action: string,
	password: string | undefined,
	request: AwsRequest<T>,
	transient?: TransientRefusal,
): Promise<T> {
	try {
		return await awsCall(context, action, request, transient);
	} catch (error) {
		if (password === undefined) throw error;
		const reduced = error instanceof ProviderError ? error : awsError(action, error);
		throw new ProviderError(reduced.message.split(password).join(redactedValue), reduced.code);
	}
}

export async function describeInstance(context: ResourceContext): Promise<DBInstance | undefined> {
	const id = instanceId(context);
	const found = await awsCallUnlessMissing(context, `RDS DescribeDBInstances ${id}`, instanceMissing, (options) =>
		rds(context).send(new DescribeDBInstancesCommand({DBInstanceIdentifier: id}), options),
	);
	return found?.DBInstances?.find((instance) => instance.DBInstanceIdentifier === id);
}

export async function describeExistingInstance(context: ResourceContext): Promise<DBInstance> {
	const instance = await describeInstance(context);
	if (!instance)
		throw new ProviderError(
			`DB instance ${instanceId(context)} does not exist (deleted outside panka?); run panka plan --refresh to create it again`,
			'DBInstanceNotFound',
		);
	return instance;
}

function hasPendingModifications(instance: DBInstance): boolean {
	return Object.values(instance.PendingModifiedValues ?? {}).some(
		(value) => value !== undefined && !(Array.isArray(value) && value.length === 0),
	);
}

/** Serving, taking further modifications, nothing pending. */
export function isSettled(instance: DBInstance): boolean {
	return settledStatuses.has(instance.DBInstanceStatus ?? '') && !hasPendingModifications(instance);
}

/** Reports `waiting for DB instance <id>: <status>` whenever the status changes. */
function statusReporter(context: ResourceContext): (status: string) => void {
	let last: string | undefined;
	return (status) => {
		if (status !== last) context.progress(`waiting for DB instance ${instanceId(context)}: ${status}`);
		last = status;
	};
}

/** Wait until the instance is available (or optimising storage) with no modification pending. */
export async function waitUntilSettled(context: ResourceContext): Promise<DBInstance> {
	const id = instanceId(context);
	const report = statusReporter(context);
	return pollUntil(context, `DB instance ${id} to become available`, async () => {
		const instance = await describeInstance(context);
		const status = instance?.DBInstanceStatus ?? 'not visible yet';
		report(status);
		if (failedStatuses.has(status))
			throw new ProviderError(`DB instance ${id} is ${status}; see its events in the RDS console`, 'DBInstanceFailed');
		return instance && isSettled(instance) ? instance : undefined;
	});
}

export async function waitUntilDeleted(context: ResourceContext): Promise<void> {
	const report = statusReporter(context);
	report('deleting');
	await pollUntil(context, `DB instance ${instanceId(context)} to be deleted`, async () => {
		const instance = await describeInstance(context);
		if (!instance) return true;
		report(instance.DBInstanceStatus ?? 'deleting');
		return undefined;
	});
}

function isRolePropagationError(error: unknown): boolean {
	const message = (error as {message?: string}).message ?? '';
	return hasAwsErrorCode(error, 'InvalidParameterValue') && /ENHANCED_MONITORING|MonitoringRoleArn|IAM role/i.test(message);
}

export async function createInstance(context: ResourceContext, spec: RdsSpec, parts: InstanceParts, password: string): Promise<void> {
	const id = instanceId(context);
	const {storage} = spec.instance;
	const input: CreateDBInstanceCommandInput = {
		DBInstanceIdentifier: id,
		Engine: spec.engine.type,
		EngineVersion: spec.engine.version,
		DBInstanceClass: spec.instance.class,
		StorageType: storage.type,
		AllocatedStorage: storage.allocatedGB,
		...(storage.maxAllocatedGB !== undefined ? {MaxAllocatedStorage: storage.maxAllocatedGB} : {}),
		...(storage.iops !== undefined ? {Iops: storage.iops} : {}),
		StorageEncrypted: true,
		MultiAZ: spec.instance.multiAZ,
		DBName: spec.database.name,
		MasterUsername: spec.database.username,
		MasterUserPassword: password,
		Port: spec.database.port,
		DBSubnetGroupName: parts.subnetGroupName,
		VpcSecurityGroupIds: [parts.securityGroupId],
		PubliclyAccessible: false,
		...(parts.parameterGroupName ? {DBParameterGroupName: parts.parameterGroupName} : {}),
		BackupRetentionPeriod: spec.backup.retentionDays,
		...(spec.backup.preferredWindow ? {PreferredBackupWindow: spec.backup.preferredWindow} : {}),
		...(spec.maintenance?.preferredWindow ? {PreferredMaintenanceWindow: spec.maintenance.preferredWindow} : {}),
		AutoMinorVersionUpgrade: spec.maintenance?.autoMinorVersionUpgrade ?? true,
		MonitoringInterval: spec.monitoring?.monitoringInterval ?? 0,
		...(parts.monitoringRoleArn ? {MonitoringRoleArn: parts.monitoringRoleArn} : {}),
		DeletionProtection: spec.deletionProtection ?? false,
		CopyTagsToSnapshot: true,
		Tags: toTagList(context.tags),
	};
	context.progress(`creating DB instance ${id} (${spec.engine.type} ${spec.engine.version}, ${spec.instance.class})`);
	// A monitoring role created moments ago may not be usable by RDS yet: that refusal only is retried, briefly.
	const roleNotYetUsable = parts.monitoringRoleArn
		? {
				matches: isRolePropagationError,
				phase: `waiting for IAM role ${parts.monitoringRoleArn} to be usable by RDS`,
				maxSeconds: rolePropagationSeconds,
			}
		: undefined;
	await withPassword(
		context,
		`RDS CreateDBInstance ${id}`,
		password,
		(options) => rds(context).send(new CreateDBInstanceCommand(input), options),
		roleNotYetUsable,
	);
}

/** The ModifyDBInstance fields where the instance differs from the spec (empty: nothing to do). */
function instanceModifications(
	context: ResourceContext,
	spec: RdsSpec,
	instance: DBInstance,
	parts: InstanceParts,
): Partial<ModifyDBInstanceCommandInput> {
	const {storage} = spec.instance;
	const changes: Partial<ModifyDBInstanceCommandInput> = {...versionChange(context, spec, instance.EngineVersion)};
	const allocated = instance.AllocatedStorage ?? 0;
	if (spec.instance.class !== instance.DBInstanceClass) changes.DBInstanceClass = spec.instance.class;
	if (storage.type !== instance.StorageType) changes.StorageType = storage.type;
	if (storage.allocatedGB > allocated) changes.AllocatedStorage = storage.allocatedGB;
	if (storage.maxAllocatedGB !== undefined && storage.maxAllocatedGB !== instance.MaxAllocatedStorage)
		changes.MaxAllocatedStorage = storage.maxAllocatedGB;
	if (
		storage.maxAllocatedGB === undefined &&
		instance.MaxAllocatedStorage !== undefined &&
		instance.MaxAllocatedStorage > Math.max(allocated, storage.allocatedGB)
	)
		changes.MaxAllocatedStorage = Math.max(allocated, storage.allocatedGB);
	if (storage.iops !== undefined && storage.iops !== instance.Iops) changes.Iops = storage.iops;
	if (spec.instance.multiAZ !== (instance.MultiAZ ?? false)) changes.MultiAZ = spec.instance.multiAZ;
	if (spec.backup.retentionDays !== instance.BackupRetentionPeriod) changes.BackupRetentionPeriod = spec.backup.retentionDays;
	if (spec.backup.preferredWindow && spec.backup.preferredWindow !== instance.PreferredBackupWindow)
		changes.PreferredBackupWindow = spec.backup.preferredWindow;
	const maintenance = spec.maintenance;
	if (maintenance?.preferredWindow && maintenance.preferredWindow !== instance.PreferredMaintenanceWindow?.toLowerCase())
		changes.PreferredMaintenanceWindow = maintenance.preferredWindow;
	const autoMinor = maintenance?.autoMinorVersionUpgrade ?? true;
	if (autoMinor !== instance.AutoMinorVersionUpgrade) changes.AutoMinorVersionUpgrade = autoMinor;
	const interval = spec.monitoring?.monitoringInterval ?? 0;
	if (
		interval !== (instance.MonitoringInterval ?? 0) ||
		(parts.monitoringRoleArn !== undefined && parts.monitoringRoleArn !== instance.MonitoringRoleArn)
	)
		Object.assign(changes, {
			MonitoringInterval: interval,
			...(parts.monitoringRoleArn ? {MonitoringRoleArn: parts.monitoringRoleArn} : {}),
		});
	if ((spec.deletionProtection ?? false) !== (instance.DeletionProtection ?? false))
		changes.DeletionProtection = spec.deletionProtection ?? false;
	if (instance.Endpoint?.Port !== undefined && spec.database.port !== instance.Endpoint.Port) changes.DBPortNumber = spec.database.port;
	const groups = (instance.VpcSecurityGroups ?? []).map((group) => group.VpcSecurityGroupId);
	if (groups.length !== 1 || groups[0] !== parts.securityGroupId) changes.VpcSecurityGroupIds = [parts.securityGroupId];
	if (
		parts.parameterGroupName &&
		!(instance.DBParameterGroups ?? []).some((group) => group.DBParameterGroupName === parts.parameterGroupName)
	)
		changes.DBParameterGroupName = parts.parameterGroupName;
	if (instance.CopyTagsToSnapshot !== true) changes.CopyTagsToSnapshot = true;
	return changes;
}

/** Apply the differences (and a new password, when given) at once, then wait for the instance. */
export async function converge(
	context: ResourceContext,
	spec: RdsSpec,
	instance: DBInstance,
	parts: InstanceParts,
	password?: string,
): Promise<DBInstance> {
	const changes: Partial<ModifyDBInstanceCommandInput> = {
		...instanceModifications(context, spec, instance, parts),
		...(password !== undefined ? {MasterUserPassword: password} : {}),
	};
	const fields = Object.keys(changes).filter((field) => field !== 'AllowMajorVersionUpgrade');
	if (fields.length === 0) return instance;
	const id = instanceId(context);
	// Field names only: values could include the password.
	context.progress(`modifying DB instance ${id}: ${fields.join(', ')}`);
	await withPassword(context, `RDS ModifyDBInstance ${id}`, password, (options) =>
		rds(context).send(new ModifyDBInstanceCommand({DBInstanceIdentifier: id, ApplyImmediately: true, ...changes}), options),
	);
	return waitUntilSettled(context);
}

/** Refuse what AWS cannot do, before anything changes. */
export function refuseImpossibleChanges(context: ResourceContext, spec: RdsSpec, instance: DBInstance, previous?: StateResource): void {
	const wanted = spec.instance.storage.allocatedGB;
	// Autoscaling may have grown the storage past the last applied allocatedGB: that is no decrease.
	const floor = recordedNumber(previous, 'instance.storage.allocatedGB') ?? instance.AllocatedStorage;
	if (floor !== undefined && wanted < floor)
		throw new ProviderError(
			`DB instance ${instanceId(context)}: instance.storage.allocatedGB ${wanted} is less than its ${floor} GB, and AWS cannot shrink RDS storage; keep allocatedGB at ${floor} or more (a smaller database means a new instance and a dump and restore)`,
			'StorageCannotShrink',
		);
	versionChange(context, spec, instance.EngineVersion);
}

export function outputs(
	instance: DBInstance,
	spec: Pick<RdsSpec, 'database'> | undefined,
	securityGroupId: string | undefined,
	passwordSecretArn: string | undefined,
): AppliedResource {
	const arn = instance.DBInstanceArn ?? '';
	return {
		physicalId: arn,
		outputs: {
			endpoint: instance.Endpoint?.Address ?? '',
			port: instance.Endpoint?.Port ?? spec?.database.port,
			arn,
			databaseName: instance.DBName ?? spec?.database.name,
			...(passwordSecretArn ? {secretArn: passwordSecretArn} : {}),
			...(securityGroupId ? {_securityGroupId: securityGroupId} : {}),
		},
	};
}
