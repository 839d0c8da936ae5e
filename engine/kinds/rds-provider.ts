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
 */
import {
	AddTagsToResourceCommand,
	type ApplyMethod,
	CreateDBInstanceCommand,
	type CreateDBInstanceCommandInput,
	CreateDBParameterGroupCommand,
	CreateDBSubnetGroupCommand,
	type DBInstance,
	type DBParameterGroup,
	DeleteDBInstanceCommand,
	DeleteDBParameterGroupCommand,
	DeleteDBSubnetGroupCommand,
	DescribeDBInstancesCommand,
	DescribeDBParameterGroupsCommand,
	DescribeDBSubnetGroupsCommand,
	ListTagsForResourceCommand,
	ModifyDBInstanceCommand,
	type ModifyDBInstanceCommandInput,
	ModifyDBParameterGroupCommand,
	ModifyDBSubnetGroupCommand,
	type Parameter,
	paginateDescribeDBParameters,
	RDSClient,
	RemoveTagsFromResourceCommand,
	ResetDBParameterGroupCommand,
} from '@aws-sdk/client-rds';
import {type AwsRequest, awsCall, awsCallUnlessMissing, hasAwsErrorCode, type TransientRefusal} from '../aws/call.js';
import {networkCallOf} from '../networking/ec2-calls.js';
import {deleteOwnedSecurityGroup, ensureSecurityGroup, findSecurityGroupByName, reconcileRules} from '../networking/security-groups.js';
import {partitionOf} from '../providers/arn.js';
import {deleteRole, ensureRole} from '../providers/iam-roles.js';
import {
	type AppliedResource,
	awsError,
	type NetworkingIds,
	type Provider,
	ProviderError,
	type ResourceContext,
} from '../providers/provider.js';
import {fromTagList, isOwnedBy, type OwnershipAction, requireOwned, tagChanges, toTagList} from '../providers/resource-tags.js';
import {readOrCreatePasswordSecret, secretArn} from '../providers/secrets.js';
import {pollUntil} from '../providers/wait.js';
import {redactedValue, type StateResource} from '../state/state-document.js';
import type {RdsEngine, RdsSpec} from './rds.js';

const instanceMissing = ['DBInstanceNotFound', 'DBInstanceNotFoundFault'];
const subnetGroupMissing = ['DBSubnetGroupNotFound', 'DBSubnetGroupNotFoundFault'];
const parameterGroupMissing = ['DBParameterGroupNotFound', 'DBParameterGroupNotFoundFault'];

/** Statuses in which the instance serves and takes further modifications. */
const settledStatuses = new Set(['available', 'storage-optimization']);
/** Statuses that will not become available by waiting. */
const failedStatuses = new Set([
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
/** AWS takes at most 20 parameters per Modify/ResetDBParameterGroup call. */
const parametersPerCall = 20;
/** A new IAM role can take a few seconds to be usable by RDS: how long create retries for it. */
const rolePropagationSeconds = 120;

function rds(context: ResourceContext): RDSClient {
	return context.clients.get(RDSClient);
}

function instanceId(context: ResourceContext): string {
	return context.names.primary!;
}

function partName(context: ResourceContext, role: 'subnetGroup' | 'parameterGroup' | 'securityGroup'): string {
	const name = context.names[role];
	if (!name) throw new ProviderError(`${context.address}: no physical name for the DB ${role}`, 'MissingPhysicalName');
	return name;
}

function requireNetworking(context: ResourceContext): NetworkingIds {
	if (!context.networking)
		throw new ProviderError(
			`${context.address}: an RDS instance runs in the tenant's private subnets, but this apply has no tenant networking; provision the tenant network first (panka admin tenant update <tenant>)`,
			'NoTenantNetwork',
		);
	return context.networking;
}

/** A field of the spec the resource was last applied with (state inputs), by dotted path. */
function recorded(previous: StateResource | undefined, dotted: string): unknown {
	let node: unknown = previous?.inputs;
	for (const part of dotted.split('.'))
		node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined;
	return node;
}

function recordedNumber(previous: StateResource | undefined, dotted: string): number | undefined {
	const value = recorded(previous, dotted);
	return typeof value === 'number' ? value : undefined;
}

function recordedString(previous: StateResource | undefined, dotted: string): string | undefined {
	const value = recorded(previous, dotted);
	return typeof value === 'string' ? value : undefined;
}

// ---- the password: calls that carry it ----

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

// ---- versions and parameter group families ----

function versionParts(version: string): string[] {
	return version.split('.');
}

/** The version that selects the parameter group family: `15` (postgres 10+), `9.6`, `8.0` (mysql, mariadb). */
export function majorVersion(engine: RdsEngine, version: string): string {
	const [first = '', second] = versionParts(version);
	if (engine === 'postgres' && Number(first) >= 10) return first;
	if (second === undefined)
		throw new ProviderError(
			`engine.version "${version}": ${engine} versions need major.minor (e.g. ${engine === 'postgres' ? '9.6' : '8.0'}) to choose the parameter group family`,
			'InvalidEngineVersion',
		);
	return `${first}.${second}`;
}

/** `postgres15`, `postgres9.6`, `mysql8.0`, `mariadb10.11`. */
export function parameterGroupFamily(engine: RdsEngine, version: string): string {
	return `${engine}${majorVersion(engine, version)}`;
}

/** Compare `wanted` with `actual` over the parts `wanted` names: `15` matches `15.4`. */
function compareVersions(wanted: string, actual: string): number {
	const want = versionParts(wanted);
	const have = versionParts(actual);
	for (let i = 0; i < want.length; i++) {
		const [a, b] = [want[i] ?? '', have[i] ?? ''];
		const difference = /^\d+$/.test(a) && /^\d+$/.test(b) ? Number(a) - Number(b) : a.localeCompare(b);
		if (difference !== 0) return Math.sign(difference);
	}
	return 0;
}

/** ModifyDBInstance fields for the engine version, or none when `actual` already is `wanted`. */
function versionChange(context: ResourceContext, spec: RdsSpec, actual: string | undefined): Partial<ModifyDBInstanceCommandInput> {
	const wanted = spec.engine.version;
	if (!actual) return {};
	const order = compareVersions(wanted, actual);
	if (order === 0) return {};
	if (order < 0)
		throw new ProviderError(
			`DB instance ${instanceId(context)} runs ${spec.engine.type} ${actual}; engine.version ${wanted} would be a downgrade, which RDS cannot do. Set engine.version to ${actual} or later`,
			'VersionDowngrade',
		);
	const major = majorVersion(spec.engine.type, wanted) !== majorVersion(spec.engine.type, actual);
	return {EngineVersion: wanted, ...(major ? {AllowMajorVersionUpgrade: true} : {})};
}

// ---- tags ----

async function tagsOf(context: ResourceContext, arn: string, what: string): Promise<Record<string, string>> {
	const {TagList} = await awsCall(context, `RDS ListTagsForResource ${what}`, (options) =>
		rds(context).send(new ListTagsForResourceCommand({ResourceName: arn}), options),
	);
	return fromTagList(TagList);
}

/** Refuse a part owned by someone else (the ownership rule) before `action`; its tags. */
async function requireOwnedPart(
	context: ResourceContext,
	arn: string,
	what: string,
	action: OwnershipAction,
	current?: Record<string, string>,
): Promise<Record<string, string>> {
	const tags = current ?? (await tagsOf(context, arn, what));
	requireOwned(tags, context.tags, action, what);
	return tags;
}

/** Refuse a part owned by someone else; make its tags exactly the context's. */
async function reconcileTags(context: ResourceContext, arn: string, what: string, current?: Record<string, string>): Promise<void> {
	const tags = await requireOwnedPart(context, arn, what, 'adopt', current);
	const changes = tagChanges(tags, context.tags);
	if (changes.remove.length > 0)
		await awsCall(context, `RDS RemoveTagsFromResource ${what}`, (options) =>
			rds(context).send(new RemoveTagsFromResourceCommand({ResourceName: arn, TagKeys: changes.remove}), options),
		);
	if (Object.keys(changes.set).length > 0)
		await awsCall(context, `RDS AddTagsToResource ${what}`, (options) =>
			rds(context).send(new AddTagsToResourceCommand({ResourceName: arn, Tags: toTagList(changes.set)}), options),
		);
}

// ---- the parts ----

/** The DB security group: engine port from the stack security group, nothing else. */
async function ensureDatabaseSecurityGroup(context: ResourceContext, spec: RdsSpec, networking: NetworkingIds): Promise<string> {
	const call = networkCallOf(context);
	const name = partName(context, 'securityGroup');
	const {id} = await ensureSecurityGroup(call, {
		name,
		description: `Database ${instanceId(context)}: ${spec.engine.type} port from the stack security group only (panka)`,
		vpcId: networking.vpcId,
		tags: {...context.tags, Name: name},
	});
	// No description: moto does not return descriptions of group-referencing rules (see allTrafficFrom).
	const port = spec.database.port;
	await reconcileRules(call, id, {
		ingress: [{direction: 'ingress', protocol: 'tcp', fromPort: port, toPort: port, source: {groupId: networking.stackSecurityGroupId}}],
	});
	return id;
}

async function describeSubnetGroup(context: ResourceContext, name: string) {
	const found = await awsCallUnlessMissing(context, `RDS DescribeDBSubnetGroups ${name}`, subnetGroupMissing, (options) =>
		rds(context).send(new DescribeDBSubnetGroupsCommand({DBSubnetGroupName: name}), options),
	);
	return found?.DBSubnetGroups?.find((group) => group.DBSubnetGroupName === name);
}

async function ensureSubnetGroup(context: ResourceContext, networking: NetworkingIds): Promise<string> {
	const name = partName(context, 'subnetGroup');
	const wanted = [...networking.privateSubnetIds].sort();
	const existing = await describeSubnetGroup(context, name);
	if (!existing) {
		context.progress(`creating DB subnet group ${name}`);
		await awsCall(context, `RDS CreateDBSubnetGroup ${name}`, (options) =>
			rds(context).send(
				new CreateDBSubnetGroupCommand({
					DBSubnetGroupName: name,
					DBSubnetGroupDescription: `Private subnets of ${instanceId(context)} (panka)`,
					SubnetIds: wanted,
					Tags: toTagList(context.tags),
				}),
				options,
			),
		);
		return name;
	}
	await reconcileTags(context, existing.DBSubnetGroupArn ?? '', `DB subnet group ${name}`);
	const current = (existing.Subnets ?? []).flatMap((subnet) => subnet.SubnetIdentifier ?? []).sort();
	if (current.join(',') !== wanted.join(',')) {
		context.progress(`updating the subnets of DB subnet group ${name}`);
		await awsCall(context, `RDS ModifyDBSubnetGroup ${name}`, (options) =>
			rds(context).send(new ModifyDBSubnetGroupCommand({DBSubnetGroupName: name, SubnetIds: wanted}), options),
		);
	}
	return name;
}

async function describeParameterGroup(context: ResourceContext, name: string): Promise<DBParameterGroup | undefined> {
	// AWS answers DBParameterGroupNotFound; some emulators an empty list (aws/emulator-workarounds.ts).
	const found = await awsCallUnlessMissing(context, `RDS DescribeDBParameterGroups ${name}`, parameterGroupMissing, (options) =>
		rds(context).send(new DescribeDBParameterGroupsCommand({DBParameterGroupName: name}), options),
	);
	return found?.DBParameterGroups?.find((group) => group.DBParameterGroupName === name);
}

/** The parameter group with exactly `engine.parameters` set; undefined when there never were any. */
async function ensureParameterGroup(context: ResourceContext, spec: RdsSpec): Promise<string | undefined> {
	const name = partName(context, 'parameterGroup');
	const family = parameterGroupFamily(spec.engine.type, spec.engine.version);
	const existing = await describeParameterGroup(context, name);
	if (!existing && !spec.engine.parameters) return undefined;
	if (existing) await reconcileTags(context, existing.DBParameterGroupArn ?? '', `DB parameter group ${name}`);
	if (existing && existing.DBParameterGroupFamily !== family)
		throw new ProviderError(
			`DB parameter group ${name} is for ${existing.DBParameterGroupFamily}, but engine ${spec.engine.type} ${spec.engine.version} needs ${family}: panka cannot move an instance with its own parameter group to another major version in place; snapshot the database and replace it`,
			'ParameterGroupFamilyChange',
		);
	if (!existing) {
		context.progress(`creating DB parameter group ${name} (${family})`);
		await awsCall(context, `RDS CreateDBParameterGroup ${name}`, (options) =>
			rds(context).send(
				new CreateDBParameterGroupCommand({
					DBParameterGroupName: name,
					DBParameterGroupFamily: family,
					Description: `Parameters of ${instanceId(context)} (panka)`,
					Tags: toTagList(context.tags),
				}),
				options,
			),
		);
	}
	await reconcileParameters(context, name, spec.engine.parameters ?? {});
	return name;
}

async function describeParameters(context: ResourceContext, groupName: string): Promise<Parameter[]> {
	const parameters: Parameter[] = [];
	await awsCall(context, `RDS DescribeDBParameters ${groupName}`, async (options) => {
		for await (const page of paginateDescribeDBParameters({client: rds(context)}, {DBParameterGroupName: groupName}, options))
			parameters.push(...(page.Parameters ?? []));
	});
	return parameters;
}

function applyMethodFor(parameter: Parameter | undefined): ApplyMethod {
	return parameter?.ApplyType === 'dynamic' ? 'immediate' : 'pending-reboot';
}

function chunks<T>(items: readonly T[], size: number): T[][] {
	const result: T[][] = [];
	for (let i = 0; i < items.length; i += size) result.push(items.slice(i, i + size));
	return result;
}

/** Make the group's user-set parameters exactly `wanted` (see the module header for ApplyMethod). */
async function reconcileParameters(context: ResourceContext, groupName: string, wanted: Readonly<Record<string, string>>): Promise<void> {
	const described = new Map((await describeParameters(context, groupName)).map((parameter) => [parameter.ParameterName ?? '', parameter]));
	// AWS lists every parameter with its Source; a group's own values are Source `user`.
	const userSet = [...described.values()].filter((parameter) => parameter.Source === undefined || parameter.Source === 'user');
	const set = Object.entries(wanted)
		.filter(([name, value]) => !userSet.some((parameter) => parameter.ParameterName === name && parameter.ParameterValue === value))
		.map(([name, value]) => ({ParameterName: name, ParameterValue: value, ApplyMethod: applyMethodFor(described.get(name))}));
	const reset = userSet
		.filter((parameter) => parameter.ParameterName && !(parameter.ParameterName in wanted))
		.map((parameter) => ({ParameterName: parameter.ParameterName!, ApplyMethod: applyMethodFor(parameter)}));
	for (const batch of chunks(set, parametersPerCall)) {
		context.progress(`setting ${batch.map((p) => p.ParameterName).join(', ')} in DB parameter group ${groupName}`);
		await awsCall(context, `RDS ModifyDBParameterGroup ${groupName}`, (options) =>
			rds(context).send(new ModifyDBParameterGroupCommand({DBParameterGroupName: groupName, Parameters: batch}), options),
		);
	}
	for (const batch of chunks(reset, parametersPerCall)) {
		context.progress(`resetting ${batch.map((p) => p.ParameterName).join(', ')} in DB parameter group ${groupName} to the engine default`);
		await awsCall(context, `RDS ResetDBParameterGroup ${groupName}`, (options) =>
			rds(context).send(new ResetDBParameterGroupCommand({DBParameterGroupName: groupName, Parameters: batch}), options),
		);
	}
	const atReboot = [...set, ...reset].filter((p) => p.ApplyMethod === 'pending-reboot').map((p) => p.ParameterName);
	if (atReboot.length > 0)
		context.progress(
			`${atReboot.join(', ')} take${atReboot.length === 1 ? 's' : ''} effect at the next reboot of the DB instance (panka does not reboot it)`,
		);
}

const monitoringPolicyPath = 'policy/service-role/AmazonRDSEnhancedMonitoringRole';

async function ensureMonitoringRole(context: ResourceContext, spec: RdsSpec): Promise<string | undefined> {
	if (!spec.monitoring?.enhancedMonitoring) return undefined;
	const name = context.names.monitoringRole;
	if (!name) throw new ProviderError(`${context.address}: no physical name for the monitoring role`, 'MissingPhysicalName');
	return ensureRole(context, {
		name,
		service: 'monitoring.rds.amazonaws.com',
		description: `panka: enhanced monitoring of ${instanceId(context)}`,
		inline: {},
		managed: [`arn:${partitionOf(context.region)}:iam::aws:${monitoringPolicyPath}`],
	});
}

interface InstanceParts {
	securityGroupId: string;
	subnetGroupName: string;
	parameterGroupName?: string;
	monitoringRoleArn?: string;
}

/** Everything the instance needs before it can be created or modified. The parameter group goes first: its family check refuses before anything changes. */
async function ensureParts(context: ResourceContext, spec: RdsSpec, networking: NetworkingIds): Promise<InstanceParts> {
	const parameterGroupName = await ensureParameterGroup(context, spec);
	const securityGroupId = await ensureDatabaseSecurityGroup(context, spec, networking);
	const subnetGroupName = await ensureSubnetGroup(context, networking);
	const monitoringRoleArn = await ensureMonitoringRole(context, spec);
	return {
		securityGroupId,
		subnetGroupName,
		...(parameterGroupName ? {parameterGroupName} : {}),
		...(monitoringRoleArn ? {monitoringRoleArn} : {}),
	};
}

// ---- the instance ----

async function describeInstance(context: ResourceContext): Promise<DBInstance | undefined> {
	const id = instanceId(context);
	const found = await awsCallUnlessMissing(context, `RDS DescribeDBInstances ${id}`, instanceMissing, (options) =>
		rds(context).send(new DescribeDBInstancesCommand({DBInstanceIdentifier: id}), options),
	);
	return found?.DBInstances?.find((instance) => instance.DBInstanceIdentifier === id);
}

async function describeExistingInstance(context: ResourceContext): Promise<DBInstance> {
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
function isSettled(instance: DBInstance): boolean {
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
async function waitUntilSettled(context: ResourceContext): Promise<DBInstance> {
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

async function waitUntilDeleted(context: ResourceContext): Promise<void> {
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

async function createInstance(context: ResourceContext, spec: RdsSpec, parts: InstanceParts, password: string): Promise<void> {
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
async function converge(
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
function refuseImpossibleChanges(context: ResourceContext, spec: RdsSpec, instance: DBInstance, previous?: StateResource): void {
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

function outputs(
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

// ---- delete ----

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

async function deleteInstance(context: ResourceContext, instance: DBInstance, previous: StateResource): Promise<void> {
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

async function deleteParts(context: ResourceContext, previous: StateResource, vpcId: string | undefined): Promise<void> {
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

// ---- the provider ----

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
