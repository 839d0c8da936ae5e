/**
 * The parts panka makes for a DB instance, each found by its deterministic name before it is
 * created: the DB security group (engine port from the stack security group only), the DB subnet
 * group in the tenant's private subnets, the parameter group with exactly `engine.parameters`
 * (changed with ModifyDBParameterGroup, removed ones reset), and the monitoring role.
 */
import {
	type ApplyMethod,
	CreateDBParameterGroupCommand,
	CreateDBSubnetGroupCommand,
	type DBParameterGroup,
	DescribeDBParameterGroupsCommand,
	DescribeDBSubnetGroupsCommand,
	ModifyDBParameterGroupCommand,
	ModifyDBSubnetGroupCommand,
	paginateDescribeDBParameters,
	type Parameter,
	ResetDBParameterGroupCommand,
} from '@aws-sdk/client-rds';
import {awsCall, awsCallUnlessMissing} from '../../aws/call.js';
import {networkCallOf} from '../../networking/ec2-calls.js';
import {ensureSecurityGroup, reconcileRules} from '../../networking/security-groups.js';
import {partitionOf} from '../../providers/arn.js';
import {ensureRole} from '../../providers/iam-roles.js';
import {type NetworkingIds, ProviderError, type ResourceContext} from '../../providers/provider.js';
import {toTagList} from '../../providers/resource-tags.js';
import type {RdsSpec} from '../rds.js';
import {instanceId, parameterGroupMissing, partName, rds, subnetGroupMissing} from './shared.js';
import {reconcileTags} from './tags.js';
import {parameterGroupFamily} from './versions.js';

/** AWS takes at most 20 parameters per Modify/ResetDBParameterGroup call. */
const parametersPerCall = 20;
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

export async function describeSubnetGroup(context: ResourceContext, name: string) {
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

export async function describeParameterGroup(context: ResourceContext, name: string): Promise<DBParameterGroup | undefined> {
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

export interface InstanceParts {
	securityGroupId: string;
	subnetGroupName: string;
	parameterGroupName?: string;
	monitoringRoleArn?: string;
}

/** Everything the instance needs before it can be created or modified. The parameter group goes first: its family check refuses before anything changes. */
export async function ensureParts(context: ResourceContext, spec: RdsSpec, networking: NetworkingIds): Promise<InstanceParts> {
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
