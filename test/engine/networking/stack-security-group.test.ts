/**
 * A stack's security group on moto: inherits the tenant default (all traffic from it), allows all
 * traffic from itself, adds the stack's ingress rules; reconciled on update (new rules added,
 * removed ones revoked by rule ID) and deleted — rules read back with DescribeSecurityGroupRules.
 */
import {
	CreateSecurityGroupCommand,
	DeleteSecurityGroupCommand,
	DescribeSecurityGroupRulesCommand,
	DescribeSecurityGroupsCommand,
	DescribeVpcsCommand,
	EC2Client,
} from '@aws-sdk/client-ec2';
import {beforeAll, expect, it} from 'vitest';
import type {AwsClients} from '../../../engine/aws/aws-clients.js';
import type {SecurityGroupRule} from '../../../engine/model/security-group.js';
import {toTagList} from '../../../engine/networking/ec2-calls.js';
import {deleteStackSecurityGroup, ensureStackSecurityGroup} from '../../../engine/networking/stack-security-group.js';
import {provisionTenantNetwork} from '../../../engine/networking/tenant-network.js';
import {teardownTenantNetwork} from '../../../engine/networking/tenant-network-teardown.js';
import type {TenantNetworkState} from '../../../engine/networking/tenant-network-state.js';
import {describeAws, useMoto} from '../../helpers/moto.js';
import {contractTenant, countTenantResources, fastWait, nothing, recordEc2Calls} from './network-test-helpers.js';

describeAws('stack security group', () => {
	const moto = useMoto();
	let clients: AwsClients;
	let ec2: EC2Client;
	let tenant: TenantNetworkState;

	beforeAll(async () => {
		clients = moto.clients();
		ec2 = clients.get(EC2Client);
		await ec2.send(new DescribeVpcsCommand({})); // moto loads EC2 lazily: the first call takes ~1.5 s
		tenant = await provisionTenantNetwork(contractTenant('shop', {natGateway: {enabled: false}}), {clients, wait: fastWait});
	}, 30_000);

	const context = () => ({
		clients,
		signal: new AbortController().signal,
		wait: fastWait,
		tags: {'panka:tenant': 'shop', 'panka:stack': 'storefront', 'panka:env': 'prod', 'panka:component': 'stack'},
	});
	const name = 'shop-storefront-prod-stack-sg';
	const https: SecurityGroupRule = {protocol: 'tcp', port: 443, cidrBlocks: ['0.0.0.0/0'], description: 'HTTPS from internet'};
	const http: SecurityGroupRule = {
		protocol: 'tcp',
		port: 80,
		cidrBlocks: ['0.0.0.0/0'],
		description: 'HTTP from internet (redirect to HTTPS)',
	};
	const admin: SecurityGroupRule = {protocol: 'tcp', fromPort: 8080, toPort: 8090, cidrBlocks: ['10.0.0.0/8', '192.168.0.0/16']};

	async function ingressOf(groupId: string) {
		const {SecurityGroupRules = []} = await ec2.send(
			new DescribeSecurityGroupRulesCommand({Filters: [{Name: 'group-id', Values: [groupId]}]}),
		);
		return SecurityGroupRules.filter((r) => !r.IsEgress)
			.map((r) => `${r.IpProtocol} ${r.FromPort}..${r.ToPort} ${r.CidrIpv4 ?? r.ReferencedGroupInfo?.GroupId}`)
			.sort();
	}

	it('is created, updated in place (added rules authorized, removed ones revoked by rule ID) and deleted', async () => {
		const spec = {name, vpcId: tenant.vpcId, tenantSecurityGroupId: tenant.defaultSecurityGroupId};
		const created = await ensureStackSecurityGroup(context(), {...spec, ingress: [https, http]});
		expect(created.action).toBe('created');
		const groupId = created.groupId;
		expect(await ingressOf(groupId)).toEqual(
			[`-1 -1..-1 ${groupId}`, `-1 -1..-1 ${tenant.defaultSecurityGroupId}`, 'tcp 443..443 0.0.0.0/0', 'tcp 80..80 0.0.0.0/0'].sort(),
		);
		const {SecurityGroups = []} = await ec2.send(new DescribeSecurityGroupsCommand({GroupIds: [groupId]}));
		expect(SecurityGroups[0]).toMatchObject({GroupName: name, VpcId: tenant.vpcId});
		expect(SecurityGroups[0]?.Tags).toEqual(
			expect.arrayContaining([
				{Key: 'panka:stack', Value: 'storefront'},
				{Key: 'Name', Value: name},
			]),
		);

		const recorder = recordEc2Calls(clients);
		const httpRuleId = (
			await ec2.send(new DescribeSecurityGroupRulesCommand({Filters: [{Name: 'group-id', Values: [groupId]}]}))
		).SecurityGroupRules?.find((r) => r.FromPort === 80)?.SecurityGroupRuleId;
		const updated = await ensureStackSecurityGroup(context(), {...spec, ingress: [https, admin]});
		expect(updated).toEqual({groupId, action: 'updated'});
		expect(await ingressOf(groupId)).toEqual(
			[
				`-1 -1..-1 ${groupId}`,
				`-1 -1..-1 ${tenant.defaultSecurityGroupId}`,
				'tcp 443..443 0.0.0.0/0',
				'tcp 8080..8090 10.0.0.0/8',
				'tcp 8080..8090 192.168.0.0/16',
			].sort(),
		);
		expect(recorder.calls.filter((c) => c.command === 'RevokeSecurityGroupIngress').map((c) => c.input.SecurityGroupRuleIds)).toEqual([
			[httpRuleId],
		]);

		recorder.clear();
		expect(await ensureStackSecurityGroup(context(), {...spec, ingress: [https, admin]})).toEqual({groupId, action: 'adopted'});
		expect(recorder.mutations()).toEqual([]);

		// The tenant network cannot be torn down while a stack group still lives in its VPC.
		await expect(teardownTenantNetwork(tenant, {clients, tenant: 'shop', wait: fastWait})).rejects.toMatchObject({
			code: 'DependencyViolation',
			message: expect.stringContaining(name),
		});
		expect(await countTenantResources(clients, 'shop')).toMatchObject({vpcs: 1, subnets: 4});

		recorder.clear();
		await deleteStackSecurityGroup(context(), {groupId, name, vpcId: tenant.vpcId});
		const revokeReferences = recorder.indexOf('RevokeSecurityGroupIngress', {GroupId: groupId});
		expect(revokeReferences).toBeGreaterThan(-1);
		expect(recorder.calls[revokeReferences]!.input.SecurityGroupRuleIds).toHaveLength(2); // from itself, from the tenant group
		expect(revokeReferences).toBeLessThan(recorder.indexOf('DeleteSecurityGroup', {GroupId: groupId}));
		await expect(ec2.send(new DescribeSecurityGroupsCommand({GroupIds: [groupId]}))).rejects.toMatchObject({name: 'InvalidGroup.NotFound'});
		await deleteStackSecurityGroup(context(), {groupId, name, vpcId: tenant.vpcId}); // already gone: success
		await deleteStackSecurityGroup(context(), {name, vpcId: tenant.vpcId}); // by name, nothing there: success

		await teardownTenantNetwork(tenant, {clients, tenant: 'shop', wait: fastWait});
		expect(await countTenantResources(clients, 'shop')).toEqual(nothing);
	});

	it('adopts a group whose create answer was lost (found by name in the VPC), and manages egress when given', async () => {
		const network = await provisionTenantNetwork(contractTenant('shop', {natGateway: {enabled: false}}), {clients, wait: fastWait});
		const lostName = 'shop-crashy-prod-stack-sg';
		// The create reached AWS (tags and all: CreateSecurityGroup takes them), but its answer never came back.
		const {GroupId} = await ec2.send(
			new CreateSecurityGroupCommand({
				GroupName: lostName,
				Description: 'made before a crash',
				VpcId: network.vpcId,
				TagSpecifications: [{ResourceType: 'security-group', Tags: toTagList(context().tags)}],
			}),
		);
		// A same-named group without this stack's tags is never taken over, nor deleted.
		const strangerName = 'shop-stranger-prod-stack-sg';
		const stranger = await ec2.send(
			new CreateSecurityGroupCommand({GroupName: strangerName, Description: 'not panka', VpcId: network.vpcId}),
		);
		const strangerSpec = {name: strangerName, vpcId: network.vpcId, tenantSecurityGroupId: network.defaultSecurityGroupId, ingress: []};
		await expect(ensureStackSecurityGroup(context(), strangerSpec)).rejects.toMatchObject({
			code: 'OwnedElsewhere',
			message: expect.stringMatching(/^security group shop-stranger-prod-stack-sg \(sg-\w+\) already exists and was not created by panka/),
		});
		await expect(deleteStackSecurityGroup(context(), {name: strangerName, vpcId: network.vpcId})).rejects.toMatchObject({
			code: 'OwnedElsewhere',
		});
		await ec2.send(new DeleteSecurityGroupCommand({GroupId: stranger.GroupId}));
		const adopted = await ensureStackSecurityGroup(context(), {
			name: lostName,
			vpcId: network.vpcId,
			tenantSecurityGroupId: network.defaultSecurityGroupId,
			ingress: [],
			egress: [{protocol: 'tcp', port: 443, cidrBlocks: ['0.0.0.0/0']}],
		});
		expect(adopted).toEqual({groupId: GroupId, action: 'updated'});
		const {SecurityGroups = []} = await ec2.send(
			new DescribeSecurityGroupsCommand({
				Filters: [
					{Name: 'vpc-id', Values: [network.vpcId]},
					{Name: 'group-name', Values: [lostName]},
				],
			}),
		);
		expect(SecurityGroups).toHaveLength(1);
		expect(SecurityGroups[0]?.Tags).toEqual(expect.arrayContaining([{Key: 'panka:stack', Value: 'storefront'}]));
		const {SecurityGroupRules = []} = await ec2.send(
			new DescribeSecurityGroupRulesCommand({Filters: [{Name: 'group-id', Values: [GroupId!]}]}),
		);
		expect(SecurityGroupRules.filter((r) => r.IsEgress).map((r) => `${r.IpProtocol} ${r.FromPort} ${r.CidrIpv4}`)).toEqual([
			'tcp 443 0.0.0.0/0',
		]);
		await deleteStackSecurityGroup(context(), {name: lostName, vpcId: network.vpcId});
		await teardownTenantNetwork(network, {clients, tenant: 'shop', wait: fastWait});
		expect(await countTenantResources(clients, 'shop')).toEqual(nothing);
	});
});
