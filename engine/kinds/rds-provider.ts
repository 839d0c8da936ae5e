/**
 * RDS provider: one DB instance and the parts panka makes for it, all named by the kind's
 * physicalNames: a DB subnet group in the tenant's private subnets (`subnetGroup`), a DB security
 * group (`securityGroup`), a DB parameter group (`parameterGroup`, once `engine.parameters` is
 * set), the enhanced-monitoring IAM role (`monitoringRole`, while enabled), and the master
 * password in Secrets Manager (`database.passwordSecret.ref`). Loaded lazily from rds.ts.
 *
 * Network: the instance carries exactly one security group, its own, whose only ingress rule is
 * the engine port from the stack security group. Only the stack's own compute (which carries the
 * stack SG) can reach the database; the tenant default SG is deliberately not attached, since it
 * would let every other stack of the tenant in. Egress is left as AWS makes it. The instance is
 * never publicly accessible; storage is always encrypted; snapshots get the instance's tags.
 *
 * Invariants:
 * - Secrets: the master password is read from the secret (or generated into it when it does not
 *   exist, by readOrCreatePasswordSecret) and goes to AWS only as MasterUserPassword. It is never
 *   in outputs (`secretArn` is the secret's ARN, not its value), never in progress text, and never
 *   in errors: a failing call that carried it is reported with the password replaced by
 *   `(sensitive)` and without the SDK error attached as `cause`.
 * - Every part is found by its deterministic name before it is created, so a create whose answer
 *   was lost is adopted, never duplicated. `find` adopts an instance only when its panka:* tags are
 *   this component's; a same-named instance, subnet group, parameter group, security group or
 *   monitoring role with other tags is never adopted, read, modified or deleted (the ownership
 *   rule, `requireOwned`; the error names its owner).
 * - Create, then converge: after CreateDBInstance and the wait for `available`, the instance is
 *   compared with the spec exactly as an update compares it, and one ModifyDBInstance sets what the
 *   create did not apply (nothing on AWS; fields an emulator ignores on create, e.g. monitoring).
 * - Updates are ModifyDBInstance with ApplyImmediately, sending only the fields that differ from
 *   what AWS reports, then a wait until the instance is available with nothing pending. Refused
 *   before anything changes: a storage decrease (AWS cannot shrink storage), an engine version
 *   downgrade, and a major upgrade that changes the family of panka's parameter group.
 * - Storage autoscaling: an allocatedGB below what AWS reports because autoscaling grew the
 *   storage is not a decrease (the floor is the last applied allocatedGB); AllocatedStorage is
 *   only ever sent to grow. Without maxAllocatedGB autoscaling is off (MaxAllocatedStorage equal
 *   to the allocated storage, which is how AWS turns it off).
 * - Parameters: the group's user-set parameters are made to match `engine.parameters` — added and
 *   changed with ModifyDBParameterGroup, removed ones reset to the engine default with
 *   ResetDBParameterGroup. ApplyMethod is `immediate` for parameters AWS describes as dynamic and
 *   `pending-reboot` for static ones and any AWS does not describe (AWS accepts pending-reboot for
 *   both). panka never reboots a database: a pending-reboot value takes effect at the next reboot,
 *   and a progress line says so. Once created, the group stays attached until the instance is
 *   deleted; removing `parameters` resets it to the engine defaults.
 * - Waits (available, deleted, a new monitoring role becoming usable) poll with `context.wait`,
 *   end on `context.signal`, and report `waiting for DB instance <id>: <status>` on every status
 *   change.
 * - Delete: refused while deletion protection is on, saying how to turn it off. Otherwise a final
 *   snapshot `<primary>-final-<yyyymmddhhmmss>` is taken, unless the last applied spec disabled
 *   backups or the run set `deleteOptions.skipFinalSnapshot` (--skip-final-snapshot). Once the
 *   instance is gone: the parameter group, the subnet group, the DB security group, the monitoring
 *   role. The password secret is kept: other components or people may read it, and it holds the
 *   password of the final snapshot (restoring it without the secret means resetting the password).
 *   Deleting what is already gone succeeds.
 *
 * Layout: this module is the provider's five operations; rds/ holds the rest, one module per
 * concern: shared.ts (client, names, recorded inputs), tags.ts (ownership and tag sync),
 * versions.ts (families), parts.ts (security group, subnet group, parameter group, monitoring
 * role), instance.ts (create, converge, waits, the password) and delete.ts.
 */
import {deleteRole} from '../providers/iam-roles.js';
import type {Provider} from '../providers/provider.js';
import {fromTagList, isOwnedBy, requireOwned} from '../providers/resource-tags.js';
import {readOrCreatePasswordSecret, secretArn} from '../providers/secrets.js';
import type {RdsSpec} from './rds.js';
import {deleteInstance, deleteParts} from './rds/delete.js';
import {
	converge,
	createInstance,
	describeExistingInstance,
	describeInstance,
	isSettled,
	outputs,
	refuseImpossibleChanges,
	waitUntilSettled,
} from './rds/instance.js';
import {ensureParts} from './rds/parts.js';
import {instanceId, recordedNumber, recordedString, requireNetworking} from './rds/shared.js';
import {reconcileTags} from './rds/tags.js';
import {compareVersions} from './rds/versions.js';

export const rdsProvider: Provider<RdsSpec> = {
	async create(context, spec) {
		const networking = requireNetworking(context);
		const what = `DB instance ${instanceId(context)}`;
		const existing = await describeInstance(context);
		const existingTags = fromTagList(existing?.TagList);
		if (existing) {
			// A create whose answer was lost: finish it, unless the instance is someone else's.
			requireOwned(existingTags, context.tags, 'adopt', what);
			refuseImpossibleChanges(context, spec, existing);
		}
		const parts = await ensureParts(context, spec, networking);
		if (existing) await reconcileTags(context, existing.DBInstanceArn ?? '', what, existingTags);
		const secret = await readOrCreatePasswordSecret(context, spec.database.passwordSecret.ref);
		if (!existing) await createInstance(context, spec, parts, secret.password);
		const instance = await converge(context, spec, await waitUntilSettled(context), parts);
		return outputs(instance, spec, parts.securityGroupId, secret.arn);
	},

	async update(context, spec, previous) {
		const networking = requireNetworking(context);
		const before = await describeExistingInstance(context);
		requireOwned(fromTagList(before.TagList), context.tags, 'change', `DB instance ${instanceId(context)}`);
		refuseImpossibleChanges(context, spec, before, previous);
		const parts = await ensureParts(context, spec, networking);
		await reconcileTags(context, before.DBInstanceArn ?? '', `DB instance ${instanceId(context)}`, fromTagList(before.TagList));
		const ref = spec.database.passwordSecret.ref;
		// A new secret reference is a new master password (generated when the secret is new).
		const newSecret =
			recordedString(previous, 'database.passwordSecret.ref') !== ref ? await readOrCreatePasswordSecret(context, ref) : undefined;
		const instance = await converge(
			context,
			spec,
			isSettled(before) ? before : await waitUntilSettled(context),
			parts,
			newSecret?.password,
		);
		const oldRole = previous.physicalNames.monitoringRole;
		if (!spec.monitoring?.enhancedMonitoring && oldRole) await deleteRole(context, oldRole);
		return outputs(instance, spec, parts.securityGroupId, newSecret?.arn ?? (await secretArn(context, ref)));
	},

	async delete(context, previous) {
		const instance = await describeInstance(context);
		if (instance) requireOwned(fromTagList(instance.TagList), context.tags, 'delete', `DB instance ${instanceId(context)}`);
		const vpcId = context.networking?.vpcId ?? instance?.DBSubnetGroup?.VpcId;
		if (instance) await deleteInstance(context, instance, previous);
		await deleteParts(context, previous, vpcId);
	},

	async read(context, previous) {
		const instance = await describeInstance(context);
		if (!instance) return {exists: false};
		requireOwned(fromTagList(instance.TagList), context.tags, 'read', `DB instance ${instanceId(context)}`);
		const applied = outputs(instance, undefined, instance.VpcSecurityGroups?.[0]?.VpcSecurityGroupId, undefined);
		const recordedVersion = recordedString(previous, 'engine.version');
		const actualVersion = instance.EngineVersion ?? '';
		const recordedGB = recordedNumber(previous, 'instance.storage.allocatedGB');
		const ceiling = recordedNumber(previous, 'instance.storage.maxAllocatedGB');
		const actualGB = instance.AllocatedStorage;
		// Growth by storage autoscaling (up to the recorded ceiling) is not drift.
		const grownByAutoscaling =
			recordedGB !== undefined && ceiling !== undefined && actualGB !== undefined && actualGB >= recordedGB && actualGB <= ceiling;
		return {
			exists: true,
			physicalId: applied.physicalId,
			outputs: {...previous.outputs, ...applied.outputs},
			// Keys are spec paths. A version that the recorded one names (15 → 15.4) is no drift.
			observed: {
				'engine.type': instance.Engine,
				'engine.version':
					recordedVersion !== undefined && compareVersions(recordedVersion, actualVersion) === 0 ? recordedVersion : actualVersion,
				'instance.class': instance.DBInstanceClass,
				'instance.storage.type': instance.StorageType,
				'instance.storage.allocatedGB': grownByAutoscaling ? recordedGB : actualGB,
				'instance.multiAZ': instance.MultiAZ ?? false,
				'backup.retentionDays': instance.BackupRetentionPeriod,
				deletionProtection: instance.DeletionProtection ?? false,
			},
		};
	},

	async find(context, spec) {
		const instance = await describeInstance(context);
		if (!instance || !isOwnedBy(fromTagList(instance.TagList), context.tags)) return undefined;
		return outputs(
			instance,
			spec,
			instance.VpcSecurityGroups?.[0]?.VpcSecurityGroupId,
			await secretArn(context, spec.database.passwordSecret.ref),
		);
	},
};
