/**
 * RDS on moto, checked through the AWS API: the instance in the tenant's private subnets (DB subnet
 * group) behind its own security group (engine port from the stack security group only), with its
 * parameter group, enhanced-monitoring role and master password secret; updates in place (storage
 * up, retention, parameters, monitoring off); a storage decrease refused; deletes with a final
 * snapshot, without one (--skip-final-snapshot, backups disabled), refused under deletion
 * protection; everything but the secret gone afterwards. The password is searched for in every
 * value the provider returns, every error and every progress phase, and is never found.
 *
 * moto gaps met here: CreateDBInstance ignores MonitoringInterval/MonitoringRoleArn (the provider's
 * converge step sets them with ModifyDBInstance, which moto stores), and ResetDBParameterGroup is not
 * implemented (the test that removes a parameter answers that one call with a stub and checks what
 * was sent).
 */
import {randomUUID} from 'node:crypto';
import {DescribeSecurityGroupRulesCommand, DescribeSecurityGroupsCommand, DescribeVpcsCommand, EC2Client} from '@aws-sdk/client-ec2';
import {GetRoleCommand, IAMClient, ListAttachedRolePoliciesCommand} from '@aws-sdk/client-iam';
import {
	CreateDBInstanceCommand,
	type DBInstance,
	DescribeDBInstancesCommand,
	DescribeDBParameterGroupsCommand,
	DescribeDBParametersCommand,
	DescribeDBSnapshotsCommand,
	DescribeDBSubnetGroupsCommand,
	RDSClient,
} from '@aws-sdk/client-rds';
import {CreateSecretCommand, DescribeSecretCommand, GetSecretValueCommand, SecretsManagerClient} from '@aws-sdk/client-secrets-manager';
import {beforeAll, expect, it} from 'vitest';
import type {AwsClients} from '../../../engine/aws/aws-clients.js';
import type {RdsSpec} from '../../../engine/kinds/rds.js';
import {finalSnapshotIdentifier} from '../../../engine/kinds/rds/delete.js';
import {parameterGroupFamily} from '../../../engine/kinds/rds/versions.js';
import {rdsProvider} from '../../../engine/kinds/rds-provider.js';
import {ensureStackSecurityGroup} from '../../../engine/networking/stack-security-group.js';
import {provisionTenantNetwork} from '../../../engine/networking/tenant-network.js';
import {networkingIds} from '../../../engine/networking/tenant-network-state.js';
import {type AppliedResource, type NetworkingIds, ProviderError, type ResourceContext} from '../../../engine/providers/provider.js';
import type {StateResource} from '../../../engine/state/state-document.js';
import {describeAws, useMoto} from '../../helpers/moto.js';
import {providerFixture} from '../../helpers/resource-context.js';
import {contractTenant, fastWait} from '../networking/network-test-helpers.js';
import {appliedState} from './applied-state.js';

const monitoringPolicy = 'arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole';

/** The state applyPlan would record: outputs, the spec as inputs, the physical names. */
function stateOf(applied: AppliedResource, spec: RdsSpec, context: ResourceContext): StateResource {
	return {...appliedState('RDS', applied, {...spec, tags: context.tags}), physicalNames: {...context.names}};
}

/** Everything a run could show or store must be free of the password. */
function expectNoPassword(password: string, ...seen: unknown[]): void {
	expect(password.length).toBeGreaterThanOrEqual(16);
	for (const value of seen) expect(typeof value === 'string' ? value : JSON.stringify(value)).not.toContain(password);
}

async function failureOf(promise: Promise<unknown>): Promise<ProviderError> {
	const error = await promise.then(
		() => undefined,
		(caught: unknown) => caught,
	);
	expect(error).toBeInstanceOf(ProviderError);
	return error as ProviderError;
}

/** Answer one RDS command with `respond` instead of sending it (moto lacks it, or a failure is simulated); returns its inputs. */
function stubRdsCommand(
	clients: AwsClients,
	command: string,
	respond: (input: Record<string, unknown>) => Record<string, unknown>,
): Record<string, unknown>[] {
	const inputs: Record<string, unknown>[] = [];
	clients.get(RDSClient).middlewareStack.add(
		(next, context) => async (args) => {
			if ((context as {commandName?: string}).commandName !== `${command}Command`) return next(args);
			const input = args.input as Record<string, unknown>;
			inputs.push(input);
			return {output: {$metadata: {}, ...respond(input)}, response: {}} as Awaited<ReturnType<typeof next>>;
		},
		{step: 'initialize', name: `stub-${command}-${randomUUID()}`},
	);
	return inputs;
}

describeAws('RDS provider', () => {
	const moto = useMoto({managedPolicies: true});
	let clients: AwsClients;
	let networking: NetworkingIds;

	const rds = () => clients.get(RDSClient);
	const instanceNamed = async (id: string): Promise<DBInstance | undefined> =>
		(
			await rds()
				.send(new DescribeDBInstancesCommand({}))
				.then((r) => r.DBInstances ?? [])
		).find((i) => i.DBInstanceIdentifier === id);
	const snapshotsOf = async (id: string) =>
		(await rds().send(new DescribeDBSnapshotsCommand({DBInstanceIdentifier: id}))).DBSnapshots ?? [];
	const ingressOf = async (groupId: string) =>
		(
			(await clients.get(EC2Client).send(new DescribeSecurityGroupRulesCommand({Filters: [{Name: 'group-id', Values: [groupId]}]})))
				.SecurityGroupRules ?? []
		)
			.filter((rule) => !rule.IsEgress)
			.map((rule) => `${rule.IpProtocol} ${rule.FromPort}..${rule.ToPort} ${rule.CidrIpv4 ?? rule.ReferencedGroupInfo?.GroupId}`);
	const groupsNamed = async (name: string) =>
		(
			await clients.get(EC2Client).send(
				new DescribeSecurityGroupsCommand({
					Filters: [
						{Name: 'vpc-id', Values: [networking.vpcId]},
						{Name: 'group-name', Values: [name]},
					],
				}),
			)
		).SecurityGroups ?? [];
	const parametersOf = async (group: string) =>
		Object.fromEntries(
			((await rds().send(new DescribeDBParametersCommand({DBParameterGroupName: group}))).Parameters ?? []).map((p) => [
				p.ParameterName,
				{value: p.ParameterValue, applyMethod: p.ApplyMethod},
			]),
		);
	const roleExists = (name: string) =>
		clients
			.get(IAMClient)
			.send(new GetRoleCommand({RoleName: name}))
			.then(
				() => true,
				(error: {name?: string}) => (error.name === 'NoSuchEntityException' ? false : Promise.reject(error)),
			);
	/** A password reference's secret: in tenant acme's namespace (the fixtures' tenant). */
	const inNamespace = (ref: string) => `panka/acme/${ref}`;
	const secretValue = async (ref: string) =>
		(await clients.get(SecretsManagerClient).send(new GetSecretValueCommand({SecretId: inNamespace(ref)}))).SecretString ?? '';

	/** Nothing of the component is left but its password secret. */
	async function expectAllGone(context: ResourceContext, ref: string) {
		const {names} = context;
		expect(await instanceNamed(names.primary!)).toBeUndefined();
		await expect(rds().send(new DescribeDBSubnetGroupsCommand({DBSubnetGroupName: names.subnetGroup}))).rejects.toMatchObject({
			name: 'DBSubnetGroupNotFoundFault',
		});
		expect(
			(await rds().send(new DescribeDBParameterGroupsCommand({}))).DBParameterGroups?.map((g) => g.DBParameterGroupName),
		).not.toContain(names.parameterGroup);
		expect(await groupsNamed(names.securityGroup!)).toEqual([]);
		if (names.monitoringRole) expect(await roleExists(names.monitoringRole)).toBe(false);
		// Kept on purpose: other readers may use it, and it is the final snapshot's password.
		expect((await clients.get(SecretsManagerClient).send(new DescribeSecretCommand({SecretId: inNamespace(ref)}))).Name).toBe(
			inNamespace(ref),
		);
	}

	beforeAll(async () => {
		clients = moto.clients();
		await clients.get(EC2Client).send(new DescribeVpcsCommand({})); // moto loads EC2 lazily: the first call takes ~1.5 s
		const tenant = await provisionTenantNetwork(contractTenant('dbs', {natGateway: {enabled: false}}), {clients, wait: fastWait});
		const stackTags = {'panka:tenant': 'dbs', 'panka:stack': 'shop', 'panka:env': 'test', 'panka:component': 'stack-security-group'};
		const {groupId} = await ensureStackSecurityGroup(
			{clients, signal: new AbortController().signal, wait: fastWait, tags: stackTags},
			{name: 'dbs-shop-test-stack-sg', vpcId: tenant.vpcId, tenantSecurityGroupId: tenant.defaultSecurityGroupId, ingress: []},
		);
		networking = networkingIds(tenant, groupId);
	}, 60_000);

	it('creates the instance behind its own SG in the private subnets, updates it in place, refuses to shrink it, deletes it with a final snapshot, and never shows the password', async () => {
		const ref = `tests/${randomUUID()}/orders-db-password`;
		const raw = {
			engine: {type: 'postgres', version: '15', parameters: {max_connections: '200'}},
			instance: {class: 'db.t3.micro', storage: {type: 'gp3', allocatedGB: 20, maxAllocatedGB: 100}, multiAZ: true},
			database: {name: 'orders', username: 'app', passwordSecret: {ref}},
			backup: {retentionDays: 7, preferredWindow: '03:00-04:00'},
			maintenance: {preferredWindow: 'sun:05:00-sun:06:00', autoMinorVersionUpgrade: false},
			monitoring: {enhancedMonitoring: true, monitoringInterval: 30},
		};
		const fixture = providerFixture<RdsSpec>('RDS', 'orders-db', raw, clients, {networking});
		const {context, spec, phases} = fixture;
		const {names} = context;
		const id = names.primary!;

		const created = await rdsProvider.create(context, spec);

		// The password: generated into the secret, 32 characters, never returned.
		const password = await secretValue(ref);
		expect(password).toHaveLength(32);
		const secret = await clients.get(SecretsManagerClient).send(new DescribeSecretCommand({SecretId: inNamespace(ref)}));

		const subnetGroup = (await rds().send(new DescribeDBSubnetGroupsCommand({DBSubnetGroupName: names.subnetGroup}))).DBSubnetGroups?.[0];
		expect(subnetGroup?.VpcId).toBe(networking.vpcId);
		expect(subnetGroup?.Subnets?.map((s) => s.SubnetIdentifier).sort()).toEqual([...networking.privateSubnetIds].sort());

		const [dbGroup] = await groupsNamed(names.securityGroup!);
		expect(await ingressOf(dbGroup!.GroupId!)).toEqual([`tcp 5432..5432 ${networking.stackSecurityGroupId}`]);

		const {Role} = await clients.get(IAMClient).send(new GetRoleCommand({RoleName: names.monitoringRole}));
		expect(decodeURIComponent(Role?.AssumeRolePolicyDocument ?? '')).toContain('monitoring.rds.amazonaws.com');
		const attached = await clients.get(IAMClient).send(new ListAttachedRolePoliciesCommand({RoleName: names.monitoringRole}));
		expect(attached.AttachedPolicies?.map((p) => p.PolicyArn)).toEqual([monitoringPolicy]);

		const {DBParameterGroups = []} = await rds().send(new DescribeDBParameterGroupsCommand({DBParameterGroupName: names.parameterGroup}));
		expect(DBParameterGroups.map((g) => g.DBParameterGroupFamily)).toEqual(['postgres15']);
		// moto describes no apply types, so every parameter is pending-reboot (max_connections is static on AWS too).
		expect(await parametersOf(names.parameterGroup!)).toEqual({max_connections: {value: '200', applyMethod: 'pending-reboot'}});

		const instance = (await instanceNamed(id))!;
		expect(instance).toMatchObject({
			DBInstanceStatus: 'available',
			Engine: 'postgres',
			EngineVersion: '15',
			DBInstanceClass: 'db.t3.micro',
			StorageType: 'gp3',
			AllocatedStorage: 20,
			MaxAllocatedStorage: 100,
			StorageEncrypted: true,
			MultiAZ: true,
			DBName: 'orders',
			MasterUsername: 'app',
			PubliclyAccessible: false,
			DBSubnetGroup: {DBSubnetGroupName: names.subnetGroup},
			VpcSecurityGroups: [{VpcSecurityGroupId: dbGroup!.GroupId}],
			DBParameterGroups: [expect.objectContaining({DBParameterGroupName: names.parameterGroup})],
			BackupRetentionPeriod: 7,
			PreferredBackupWindow: '03:00-04:00',
			PreferredMaintenanceWindow: 'sun:05:00-sun:06:00',
			AutoMinorVersionUpgrade: false,
			MonitoringInterval: 30,
			MonitoringRoleArn: Role?.Arn,
			DeletionProtection: false,
			CopyTagsToSnapshot: true,
		});
		expect(instance.TagList).toEqual(expect.arrayContaining(Object.entries(context.tags).map(([Key, Value]) => ({Key, Value}))));

		expect(created).toEqual({
			physicalId: instance.DBInstanceArn,
			outputs: {
				endpoint: instance.Endpoint?.Address,
				port: 5432,
				arn: instance.DBInstanceArn,
				databaseName: 'orders',
				secretArn: secret.ARN,
				_securityGroupId: dbGroup!.GroupId,
			},
		});
		expect(created.outputs.endpoint).toMatch(/\.rds\.amazonaws\.com$/);
		expect(phases).toEqual(
			expect.arrayContaining([
				`generating secret ${inNamespace(ref)}`,
				`creating DB instance ${id} (postgres 15, db.t3.micro)`,
				`waiting for DB instance ${id}: available`,
			]),
		);

		// Update in place: storage up (and its autoscaling ceiling), retention, a changed and an added parameter.
		const grown = fixture.withSpec({
			...raw,
			engine: {...raw.engine, parameters: {max_connections: '300', log_min_duration_statement: '500'}},
			instance: {...raw.instance, storage: {type: 'gp3', allocatedGB: 50, maxAllocatedGB: 200}},
			backup: {...raw.backup, retentionDays: 14},
		});
		const updated = await rdsProvider.update(grown.context, grown.spec, stateOf(created, spec, context));
		expect(updated).toEqual(created);
		expect(await instanceNamed(id)).toMatchObject({
			Endpoint: instance.Endpoint,
			AllocatedStorage: 50,
			MaxAllocatedStorage: 200,
			BackupRetentionPeriod: 14,
			MultiAZ: true,
			MonitoringInterval: 30,
		});
		expect(await parametersOf(names.parameterGroup!)).toEqual({
			max_connections: {value: '300', applyMethod: 'pending-reboot'},
			log_min_duration_statement: {value: '500', applyMethod: 'pending-reboot'},
		});
		expect(phases).toContain(`modifying DB instance ${id}: AllocatedStorage, MaxAllocatedStorage, BackupRetentionPeriod`);

		// Storage cannot shrink: refused before anything changes.
		const shrunk = fixture.withSpec({...raw, instance: {...raw.instance, storage: {type: 'gp3', allocatedGB: 30, maxAllocatedGB: 200}}});
		const refusal = await failureOf(rdsProvider.update(shrunk.context, shrunk.spec, stateOf(updated, grown.spec, context)));
		expect(refusal).toMatchObject({code: 'StorageCannotShrink', message: expect.stringContaining('AWS cannot shrink RDS storage')});
		expect((await instanceNamed(id))?.AllocatedStorage).toBe(50);

		const read = await rdsProvider.read(grown.context, stateOf(updated, grown.spec, context));
		expect(read).toEqual({
			exists: true,
			physicalId: instance.DBInstanceArn,
			outputs: updated.outputs,
			observed: {
				'engine.type': 'postgres',
				'engine.version': '15',
				'instance.class': 'db.t3.micro',
				'instance.storage.type': 'gp3',
				'instance.storage.allocatedGB': 50,
				'instance.multiAZ': true,
				'backup.retentionDays': 14,
				deletionProtection: false,
			},
		});
		const found = await rdsProvider.find(grown.context, grown.spec);
		expect(found).toEqual(updated);

		// Delete: a final snapshot first, then every part but the secret.
		const before = Date.now();
		await rdsProvider.delete(grown.context, stateOf(updated, grown.spec, context));
		const snapshots = await snapshotsOf(id);
		expect(snapshots).toEqual([
			expect.objectContaining({
				DBInstanceIdentifier: id,
				SnapshotType: 'manual',
				DBSnapshotIdentifier: expect.stringMatching(new RegExp(`^${id}-final-\\d{14}$`)),
			}),
		]);
		const snapshotId = snapshots[0]?.DBSnapshotIdentifier ?? '';
		expect(snapshotId >= finalSnapshotIdentifier(id, new Date(before - 1_000))).toBe(true);
		expect(phases).toContain(`deleting DB instance ${id} with final snapshot ${snapshotId}`);
		await expectAllGone(context, ref);
		expect(await rdsProvider.read(grown.context, stateOf(updated, grown.spec, context))).toEqual({exists: false});
		expect(await rdsProvider.find(grown.context, grown.spec)).toBeUndefined();
		await rdsProvider.delete(grown.context, stateOf(updated, grown.spec, context)); // deleting what is gone succeeds

		expectNoPassword(password, created, updated, read, found, refusal.message, stateOf(updated, grown.spec, context), phases);
	});

	it('uses an existing password secret as it is, refuses to delete under deletion protection, and deletes without a snapshot with --skip-final-snapshot', async () => {
		const ref = `tests/${randomUUID()}/audit-db-password`;
		const password = `Known-${randomUUID()}`;
		await clients.get(SecretsManagerClient).send(new CreateSecretCommand({Name: inNamespace(ref), SecretString: password}));
		const raw = {
			engine: {type: 'mysql', version: '8.0'},
			instance: {class: 'db.t3.small'},
			database: {name: 'audit', username: 'auditor', passwordSecret: {ref}},
			deletionProtection: true,
		};
		const fixture = providerFixture<RdsSpec>('RDS', 'audit-db', raw, clients, {networking});
		const {context, spec, phases} = fixture;
		const id = context.names.primary!;

		const created = await rdsProvider.create(context, spec);
		expect(await secretValue(ref)).toBe(password);
		expect(phases.some((phase) => phase.startsWith('generating secret'))).toBe(false);
		expect(await instanceNamed(id)).toMatchObject({
			Engine: 'mysql',
			EngineVersion: '8.0',
			AllocatedStorage: 20,
			StorageType: 'gp3',
			MultiAZ: false,
			BackupRetentionPeriod: 7,
			DeletionProtection: true,
		});
		// No parameters: no parameter group of panka's.
		expect(
			(await rds().send(new DescribeDBParameterGroupsCommand({}))).DBParameterGroups?.map((g) => g.DBParameterGroupName),
		).not.toContain(context.names.parameterGroup);
		const [dbGroup] = await groupsNamed(context.names.securityGroup!);
		expect(await ingressOf(dbGroup!.GroupId!)).toEqual([`tcp 3306..3306 ${networking.stackSecurityGroupId}`]);

		const protectedDelete = await failureOf(rdsProvider.delete(context, stateOf(created, spec, context)));
		expect(protectedDelete).toMatchObject({
			code: 'DeletionProtectionEnabled',
			message: expect.stringContaining('set deletionProtection: false in the spec of svc/audit-db and apply first'),
		});
		expect((await instanceNamed(id))?.DBInstanceStatus).toBe('available');

		// Protection off, and a new secret reference: a new (generated) master password, set in place.
		const rotatedRef = `${ref}-2`;
		const unprotected = fixture.withSpec({
			...raw,
			database: {...raw.database, passwordSecret: {ref: rotatedRef}},
			deletionProtection: false,
		});
		const updated = await rdsProvider.update(unprotected.context, unprotected.spec, stateOf(created, spec, context));
		expect((await instanceNamed(id))?.DeletionProtection).toBe(false);
		const rotated = await secretValue(rotatedRef);
		expect(phases).toContain(`modifying DB instance ${id}: DeletionProtection, MasterUserPassword`);
		expect(updated.outputs.secretArn).toBe(
			(await clients.get(SecretsManagerClient).send(new DescribeSecretCommand({SecretId: inNamespace(rotatedRef)}))).ARN,
		);

		const skipping = {...unprotected.context, deleteOptions: {skipFinalSnapshot: true}};
		await rdsProvider.delete(skipping, stateOf(updated, unprotected.spec, context));
		expect(await snapshotsOf(id)).toEqual([]);
		expect(phases).toContain(`deleting DB instance ${id} without a final snapshot (--skip-final-snapshot)`);
		await expectAllGone(context, ref);
		expect(await secretValue(ref)).toBe(password);

		expect(await secretValue(rotatedRef)).toBe(rotated);
		for (const secret of [password, rotated])
			expectNoPassword(secret, created, updated, protectedDelete.message, stateOf(updated, unprotected.spec, context), phases);
	});

	it('takes no final snapshot when backups are disabled', async () => {
		const ref = `tests/${randomUUID()}/cache-db-password`;
		const fixture = providerFixture<RdsSpec>(
			'RDS',
			'cache-db',
			{
				engine: {type: 'mariadb', version: '10.11'},
				instance: {class: 'db.t3.micro', storage: {type: 'gp2'}},
				database: {name: 'cache', username: 'cache', passwordSecret: {ref}},
				backup: {enabled: false},
			},
			clients,
			{networking},
		);
		const {context, spec, phases} = fixture;
		const id = context.names.primary!;
		const created = await rdsProvider.create(context, spec);
		expect(await instanceNamed(id)).toMatchObject({Engine: 'mariadb', BackupRetentionPeriod: 0, StorageType: 'gp2'});
		await rdsProvider.delete(context, stateOf(created, spec, context));
		expect(await snapshotsOf(id)).toEqual([]);
		expect(phases).toContain(`deleting DB instance ${id} without a final snapshot (backups are disabled)`);
		await expectAllGone(context, ref);
	});

	it('resets removed parameters to the engine default and removes the monitoring role when monitoring is turned off', async () => {
		const stubbed = moto.clients();
		// moto has no ResetDBParameterGroup: answer it here and check what panka asked for.
		const resets = stubRdsCommand(stubbed, 'ResetDBParameterGroup', (input) => ({DBParameterGroupName: input.DBParameterGroupName}));
		const ref = `tests/${randomUUID()}/jobs-db-password`;
		const raw = {
			engine: {type: 'postgres', version: '16.3', parameters: {max_connections: '200', work_mem: '4096'}},
			instance: {class: 'db.t3.micro'},
			database: {name: 'jobs', username: 'jobs', passwordSecret: {ref}},
			monitoring: {enhancedMonitoring: true},
		};
		const fixture = providerFixture<RdsSpec>('RDS', 'jobs-db', raw, stubbed, {networking});
		const {context, spec, phases} = fixture;
		const {names} = context;
		const created = await rdsProvider.create(context, spec);
		expect(await instanceNamed(names.primary!)).toMatchObject({MonitoringInterval: 60});
		expect(
			(await rds().send(new DescribeDBParameterGroupsCommand({DBParameterGroupName: names.parameterGroup}))).DBParameterGroups?.[0]
				?.DBParameterGroupFamily,
		).toBe('postgres16');

		const trimmed = fixture.withSpec({
			...raw,
			engine: {...raw.engine, parameters: {max_connections: '250'}},
			monitoring: {enhancedMonitoring: false},
		});
		expect(trimmed.context.names.monitoringRole).toBeUndefined();
		await rdsProvider.update(trimmed.context, trimmed.spec, stateOf(created, spec, context));
		expect(resets).toEqual([
			{DBParameterGroupName: names.parameterGroup, Parameters: [{ParameterName: 'work_mem', ApplyMethod: 'pending-reboot'}]},
		]);
		expect((await parametersOf(names.parameterGroup!)).max_connections).toEqual({value: '250', applyMethod: 'pending-reboot'});
		expect(phases).toEqual(
			expect.arrayContaining([
				`resetting work_mem in DB parameter group ${names.parameterGroup} to the engine default`,
				'max_connections, work_mem take effect at the next reboot of the DB instance (panka does not reboot it)',
			]),
		);
		expect(await instanceNamed(names.primary!)).toMatchObject({
			MonitoringInterval: 0,
			DBParameterGroups: [expect.objectContaining({DBParameterGroupName: names.parameterGroup})],
		});
		expect(await roleExists(names.monitoringRole!)).toBe(false);

		await rdsProvider.delete({...context, deleteOptions: {skipFinalSnapshot: true}}, stateOf(created, spec, context));
		await expectAllGone(context, ref);
	});

	it('keeps the password out of a failing call’s error, and never adopts or touches an instance that is not its own', async () => {
		const failing = moto.clients();
		// An AWS error that repeats the request's password (the worst case): the message must not.
		stubRdsCommand(failing, 'CreateDBInstance', (input) => {
			throw Object.assign(new Error(`MasterUserPassword ${String(input.MasterUserPassword)} is not valid here`), {
				name: 'InvalidParameterValue',
			});
		});
		const ref = `tests/${randomUUID()}/billing-db-password`;
		const fixture = providerFixture<RdsSpec>(
			'RDS',
			'billing-db',
			{
				engine: {type: 'postgres', version: '15'},
				instance: {class: 'db.t3.micro'},
				database: {name: 'billing', username: 'billing', passwordSecret: {ref}},
			},
			failing,
			{networking},
		);
		const {context, spec, phases} = fixture;
		const failure = await failureOf(rdsProvider.create(context, spec));
		const password = await secretValue(ref);
		expect(failure).toMatchObject({
			code: 'InvalidParameterValue',
			message: `RDS CreateDBInstance ${context.names.primary}: InvalidParameterValue: MasterUserPassword (sensitive) is not valid here`,
		});
		expect(failure.cause).toBeUndefined();
		expectNoPassword(password, failure.message, String(failure.stack), phases);
		// The parts made before the failure go with a delete of the (never created) instance.
		await rdsProvider.delete(context, appliedState('RDS', {physicalId: '', outputs: {}}, spec));
		expect(await groupsNamed(context.names.securityGroup!)).toEqual([]);

		// Same name, someone else's instance: not adopted, not modified.
		const other = providerFixture<RdsSpec>(
			'RDS',
			'ledger-db',
			{
				engine: {type: 'postgres', version: '15'},
				instance: {class: 'db.t3.micro'},
				database: {name: 'ledger', username: 'ledger', passwordSecret: {ref}},
			},
			clients,
			{networking},
		);
		const id = other.context.names.primary!;
		await rds().send(
			new CreateDBInstanceCommand({
				DBInstanceIdentifier: id,
				Engine: 'postgres',
				DBInstanceClass: 'db.t3.large',
				AllocatedStorage: 20,
				MasterUsername: 'someone',
				MasterUserPassword: 'not-panka-1234',
				Tags: [{Key: 'owner', Value: 'elsewhere'}],
			}),
		);
		expect(await rdsProvider.find(other.context, other.spec)).toBeUndefined();
		await expect(rdsProvider.create(other.context, other.spec)).rejects.toMatchObject({code: 'OwnedElsewhere'});
		expect((await instanceNamed(id))?.DBInstanceClass).toBe('db.t3.large');
	});

	it('derives the parameter group family from the engine and its major version', () => {
		expect(parameterGroupFamily('postgres', '15')).toBe('postgres15');
		expect(parameterGroupFamily('postgres', '16.3')).toBe('postgres16');
		expect(parameterGroupFamily('postgres', '9.6.24')).toBe('postgres9.6');
		expect(parameterGroupFamily('mysql', '8.0.35')).toBe('mysql8.0');
		expect(parameterGroupFamily('mariadb', '10.11')).toBe('mariadb10.11');
		expect(() => parameterGroupFamily('mysql', '8')).toThrow(/need major.minor/);
		expect(finalSnapshotIdentifier('acme-shop-prod-orders-db', new Date('2027-01-02T03:04:05.678Z'))).toBe(
			'acme-shop-prod-orders-db-final-20270102030405',
		);
	});
});
