/**
 * Security groups and their rules, shared by the tenant default group and the stack groups.
 *
 * A configured rule (`tcp 443 from 0.0.0.0/0, 10.0.0.0/8`) expands into atomic rules, one per
 * source, which is how AWS stores them (one `sgr-` ID each). Reconciliation compares atomic rules by
 * (direction, protocol, ports, source); a rule whose description alone differs is modified in place.
 *
 * Invariants:
 * - Rules are reconciled against what AWS has now (DescribeSecurityGroupRules), never against a
 *   stored copy, so a crash half-way through is finished by the next run.
 * - New rules are authorized before removed ones are revoked: on a live group there is never a
 *   moment with fewer rules than either the old or the new set (revoking the default allow-all
 *   egress first would drop outbound traffic until the new rules land).
 * - Rules are revoked by SecurityGroupRuleIds only (moto matches group-pair rules by description
 *   otherwise; AWS accepts IDs everywhere).
 * - A group is found by its name in its VPC (unique there), so a create whose answer was lost is
 *   adopted, never duplicated; a group found by name or ID is adopted, changed or deleted only when
 *   its panka:* tags are the caller's (the ownership rule, `requireOwned`). Deleting a group first
 *   revokes its rules that reference groups, and a group already gone is success.
 */
import {
	AuthorizeSecurityGroupEgressCommand,
	AuthorizeSecurityGroupIngressCommand,
	CreateSecurityGroupCommand,
	DeleteSecurityGroupCommand,
	DescribeSecurityGroupsCommand,
	type IpPermission,
	ModifySecurityGroupRulesCommand,
	paginateDescribeSecurityGroupRules,
	RevokeSecurityGroupEgressCommand,
	RevokeSecurityGroupIngressCommand,
	type SecurityGroupRule as AwsSecurityGroupRule,
} from '@aws-sdk/client-ec2';
import {awsCall} from '../aws/call.js';
import type {SecurityGroupRule} from '../model/security-group.js';
import {ProviderError} from '../providers/provider.js';
import {requireOwned} from '../providers/resource-tags.js';
import {
	deleteIfPresent,
	errorCode,
	fromTagList,
	isGone,
	type NetworkCall,
	retryWhileDependent,
	send,
	syncTags,
	tagSpecifications,
} from './ec2-calls.js';

export type RuleDirection = 'ingress' | 'egress';

export type RuleSource = {cidrIpv4: string} | {cidrIpv6: string} | {groupId: string} | {prefixListId: string};

/** One rule as AWS stores it: one protocol and port range, one source. */
export interface AtomicRule {
	direction: RuleDirection;
	/** `-1` (all), `tcp`, `udp`, `icmp`, or a protocol number. */
	protocol: string;
	/** -1 when the protocol has no ports (all traffic, all ICMP). */
	fromPort: number;
	toPort: number;
	source: RuleSource;
	description?: string;
}

export interface ExistingRule extends AtomicRule {
	ruleId: string;
}

export type ChangeAction = 'created' | 'adopted' | 'updated' | 'unchanged' | 'deleted';

const protocolNames: Readonly<Record<string, string>> = {'6': 'tcp', '17': 'udp', '1': 'icmp', all: '-1'};

function normalProtocol(protocol: string): string {
	const lower = protocol.toLowerCase();
	return protocolNames[lower] ?? lower;
}

/** The atomic rules of a configured rule; `self: true` becomes a rule from `selfGroupId`. */
export function expandRule(rule: SecurityGroupRule, direction: RuleDirection, selfGroupId: string): AtomicRule[] {
	const protocol = normalProtocol(rule.protocol);
	const [fromPort, toPort] =
		protocol === '-1' ? [-1, -1] : rule.port !== undefined ? [rule.port, rule.port] : [rule.fromPort ?? -1, rule.toPort ?? -1];
	const sources: RuleSource[] = [
		...(rule.cidrBlocks ?? []).map((cidrIpv4) => ({cidrIpv4})),
		...(rule.ipv6CidrBlocks ?? []).map((cidrIpv6) => ({cidrIpv6})),
		...(rule.self ? [{groupId: selfGroupId}] : []),
	];
	return sources.map((source) => ({
		direction,
		protocol,
		fromPort,
		toPort,
		source,
		...(rule.description ? {description: rule.description} : {}),
	}));
}

/**
 * All traffic from another group (or the group itself): how same-tenant and same-stack traffic is
 * allowed. Without a description: the source group says it all, and moto does not return the
 * descriptions of group-referencing rules, which would make every re-run re-describe them.
 */
export function allTrafficFrom(groupId: string): AtomicRule {
	return {direction: 'ingress', protocol: '-1', fromPort: -1, toPort: -1, source: {groupId}};
}

function sourceKey(source: RuleSource): string {
	if ('cidrIpv4' in source) return `cidr:${source.cidrIpv4}`;
	if ('cidrIpv6' in source) return `cidr6:${source.cidrIpv6}`;
	if ('groupId' in source) return `sg:${source.groupId}`;
	return `pl:${source.prefixListId}`;
}

/** What makes two rules the same rule for AWS (the description is not part of it). */
export function ruleKey(rule: AtomicRule): string {
	return `${rule.direction} ${rule.protocol} ${rule.fromPort}..${rule.toPort} ${sourceKey(rule.source)}`;
}

function fromAws(rule: AwsSecurityGroupRule): ExistingRule {
	const protocol = normalProtocol(rule.IpProtocol ?? '-1');
	const source: RuleSource = rule.CidrIpv4
		? {cidrIpv4: rule.CidrIpv4}
		: rule.CidrIpv6
			? {cidrIpv6: rule.CidrIpv6}
			: rule.ReferencedGroupInfo?.GroupId
				? {groupId: rule.ReferencedGroupInfo.GroupId}
				: {prefixListId: rule.PrefixListId ?? ''};
	return {
		ruleId: rule.SecurityGroupRuleId ?? '',
		direction: rule.IsEgress ? 'egress' : 'ingress',
		protocol,
		fromPort: protocol === '-1' ? -1 : (rule.FromPort ?? -1),
		toPort: protocol === '-1' ? -1 : (rule.ToPort ?? -1),
		source,
		...(rule.Description ? {description: rule.Description} : {}),
	};
}

/** The group's rules as AWS has them now. */
export async function describeRules(call: NetworkCall, groupId: string): Promise<ExistingRule[]> {
	try {
		return await awsCall(call, `EC2 DescribeSecurityGroupRules ${groupId}`, async (options) => {
			const rules: ExistingRule[] = [];
			const filter = {Filters: [{Name: 'group-id', Values: [groupId]}]};
			for await (const page of paginateDescribeSecurityGroupRules({client: call.ec2}, filter, options))
				rules.push(...(page.SecurityGroupRules ?? []).filter((rule) => rule.GroupId === groupId).map(fromAws));
			return rules;
		});
	} catch (error) {
		if (isGone(error)) return [];
		throw error;
	}
}

function toPermission(rule: AtomicRule): IpPermission {
	const description = rule.description ? {Description: rule.description} : {};
	const ports = rule.protocol === '-1' ? {} : {FromPort: rule.fromPort, ToPort: rule.toPort};
	const {source} = rule;
	return {
		IpProtocol: rule.protocol,
		...ports,
		...('cidrIpv4' in source ? {IpRanges: [{CidrIp: source.cidrIpv4, ...description}]} : {}),
		...('cidrIpv6' in source ? {Ipv6Ranges: [{CidrIpv6: source.cidrIpv6, ...description}]} : {}),
		...('groupId' in source ? {UserIdGroupPairs: [{GroupId: source.groupId, ...description}]} : {}),
		...('prefixListId' in source ? {PrefixListIds: [{PrefixListId: source.prefixListId, ...description}]} : {}),
	};
}

export interface DesiredRules {
	ingress: readonly AtomicRule[];
	/** Absent: egress is left as it is. */
	egress?: readonly AtomicRule[];
}

/** Make the group's rules exactly `desired`; true when anything changed. */
export async function reconcileRules(call: NetworkCall, groupId: string, desired: DesiredRules): Promise<boolean> {
	const existing = await describeRules(call, groupId);
	const directions: RuleDirection[] = desired.egress ? ['ingress', 'egress'] : ['ingress'];
	let changed = false;
	for (const direction of directions) {
		const want = new Map((direction === 'ingress' ? desired.ingress : desired.egress!).map((rule) => [ruleKey(rule), rule]));
		const have = existing.filter((rule) => rule.direction === direction);
		const haveKeys = new Map(have.map((rule) => [ruleKey(rule), rule]));
		const add = [...want.entries()].filter(([key]) => !haveKeys.has(key)).map(([, rule]) => rule);
		const redescribe = have.filter(
			(rule) => want.has(ruleKey(rule)) && (want.get(ruleKey(rule))!.description ?? '') !== (rule.description ?? ''),
		);
		const remove = have.filter((rule) => !want.has(ruleKey(rule)));
		if (add.length > 0) {
			call.progress(`authorizing ${add.length} ${direction} rule${add.length === 1 ? '' : 's'} on ${groupId}`);
			const input = {GroupId: groupId, IpPermissions: add.map(toPermission)};
			if (direction === 'ingress')
				await send(call, `EC2 AuthorizeSecurityGroupIngress ${groupId}`, new AuthorizeSecurityGroupIngressCommand(input));
			else await send(call, `EC2 AuthorizeSecurityGroupEgress ${groupId}`, new AuthorizeSecurityGroupEgressCommand(input));
		}
		if (redescribe.length > 0)
			await send(
				call,
				`EC2 ModifySecurityGroupRules ${groupId}`,
				new ModifySecurityGroupRulesCommand({
					GroupId: groupId,
					SecurityGroupRules: redescribe.map((rule) => ({
						SecurityGroupRuleId: rule.ruleId,
						SecurityGroupRule: ruleRequest({...rule, description: want.get(ruleKey(rule))!.description ?? ''}),
					})),
				}),
			);
		if (remove.length > 0) {
			call.progress(`revoking ${remove.length} ${direction} rule${remove.length === 1 ? '' : 's'} on ${groupId}`);
			await revokeRules(call, groupId, remove);
		}
		changed ||= add.length + redescribe.length + remove.length > 0;
	}
	return changed;
}

function ruleRequest(rule: AtomicRule) {
	const {source} = rule;
	return {
		IpProtocol: rule.protocol,
		FromPort: rule.fromPort,
		ToPort: rule.toPort,
		Description: rule.description ?? '',
		...('cidrIpv4' in source ? {CidrIpv4: source.cidrIpv4} : {}),
		...('cidrIpv6' in source ? {CidrIpv6: source.cidrIpv6} : {}),
		...('groupId' in source ? {ReferencedGroupId: source.groupId} : {}),
		...('prefixListId' in source ? {PrefixListId: source.prefixListId} : {}),
	};
}

/** Revoke rules by ID, ingress and egress; rules already gone are skipped. */
export async function revokeRules(call: NetworkCall, groupId: string, rules: readonly ExistingRule[]): Promise<void> {
	for (const direction of ['ingress', 'egress'] as const) {
		const ids = rules.filter((rule) => rule.direction === direction).map((rule) => rule.ruleId);
		if (ids.length === 0) continue;
		const revoke = (SecurityGroupRuleIds: string[]) =>
			direction === 'ingress'
				? send(
						call,
						`EC2 RevokeSecurityGroupIngress ${groupId}`,
						new RevokeSecurityGroupIngressCommand({GroupId: groupId, SecurityGroupRuleIds}),
					)
				: send(
						call,
						`EC2 RevokeSecurityGroupEgress ${groupId}`,
						new RevokeSecurityGroupEgressCommand({GroupId: groupId, SecurityGroupRuleIds}),
					);
		try {
			await revoke(ids);
		} catch (error) {
			if (!isGone(error)) throw error;
			// Part of the batch is gone (a crash after a partial revoke): revoke the rest one by one.
			if (ids.length > 1) for (const id of ids) await deleteIfPresent(() => revoke([id]));
		}
	}
}

export interface SecurityGroupSpec {
	name: string;
	description: string;
	vpcId: string;
	tags: Readonly<Record<string, string>>;
}

export interface FoundGroup {
	id: string;
	name: string;
	vpcId: string;
	tags: Record<string, string>;
}

export async function findSecurityGroupByName(call: NetworkCall, vpcId: string, name: string): Promise<FoundGroup | undefined> {
	const {SecurityGroups = []} = await send(
		call,
		`EC2 DescribeSecurityGroups ${name}`,
		new DescribeSecurityGroupsCommand({
			Filters: [
				{Name: 'vpc-id', Values: [vpcId]},
				{Name: 'group-name', Values: [name]},
			],
		}),
	);
	const group = SecurityGroups.find((g) => g.GroupName === name && g.VpcId === vpcId);
	return group?.GroupId ? {id: group.GroupId, name, vpcId, tags: fromTagList(group.Tags)} : undefined;
}

/** The group `spec` names, created when missing (tags synced when found); its ID and what happened. */
export async function ensureSecurityGroup(
	call: NetworkCall,
	spec: SecurityGroupSpec,
	found?: FoundGroup,
): Promise<{id: string; action: 'created' | 'adopted' | 'updated'}> {
	const existing = found ?? (await findSecurityGroupByName(call, spec.vpcId, spec.name));
	if (existing) {
		requireOwned(existing.tags, spec.tags, 'adopt', `security group ${spec.name} (${existing.id})`);
		const retagged = await syncTags(call, existing.id, existing.tags, spec.tags);
		return {id: existing.id, action: retagged ? 'updated' : 'adopted'};
	}
	call.progress(`creating security group ${spec.name}`);
	try {
		const {GroupId} = await send(
			call,
			`EC2 CreateSecurityGroup ${spec.name}`,
			new CreateSecurityGroupCommand({
				GroupName: spec.name,
				Description: spec.description,
				VpcId: spec.vpcId,
				TagSpecifications: tagSpecifications('security-group', spec.tags),
			}),
		);
		if (!GroupId) throw new ProviderError(`EC2 CreateSecurityGroup ${spec.name}: no group ID returned`);
		return {id: GroupId, action: 'created'};
	} catch (error) {
		// Created by a run whose answer was lost, just now: adopt it.
		const raced = errorCode(error) === 'InvalidGroup.Duplicate' ? await findSecurityGroupByName(call, spec.vpcId, spec.name) : undefined;
		if (raced) {
			requireOwned(raced.tags, spec.tags, 'adopt', `security group ${spec.name} (${raced.id})`);
			return {id: raced.id, action: 'adopted'};
		}
		throw error;
	}
}

/** The group's tags by ID, or undefined when it is gone. */
export async function securityGroupTags(call: NetworkCall, groupId: string): Promise<Record<string, string> | undefined> {
	try {
		const {SecurityGroups = []} = await send(
			call,
			`EC2 DescribeSecurityGroups ${groupId}`,
			new DescribeSecurityGroupsCommand({GroupIds: [groupId]}),
		);
		const group = SecurityGroups.find((g) => g.GroupId === groupId);
		return group ? fromTagList(group.Tags) : undefined;
	} catch (error) {
		if (isGone(error)) return undefined;
		throw error;
	}
}

/** Delete the group when its tags are `expected`'s owner's (else refused, untouched); gone is success. */
export async function deleteOwnedSecurityGroup(
	call: NetworkCall,
	groupId: string,
	expected: Readonly<Record<string, string>>,
	what: string,
): Promise<void> {
	const tags = await securityGroupTags(call, groupId);
	if (!tags) return;
	requireOwned(tags, expected, 'delete', `${what} (${groupId})`);
	await deleteSecurityGroup(call, groupId);
}

/** Revoke the group's rules that reference groups (by rule ID), then delete it; gone is success. */
export async function deleteSecurityGroup(call: NetworkCall, groupId: string): Promise<void> {
	const referencing = (await describeRules(call, groupId)).filter((rule) => 'groupId' in rule.source);
	if (referencing.length > 0) await revokeRules(call, groupId, referencing);
	call.progress(`deleting security group ${groupId}`);
	await retryWhileDependent(call, `network interfaces to release ${groupId}`, () =>
		deleteIfPresent(() => send(call, `EC2 DeleteSecurityGroup ${groupId}`, new DeleteSecurityGroupCommand({GroupId: groupId}))),
	);
}
