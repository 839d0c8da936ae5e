/**
 * A stack's security group, made on apply inside the tenant VPC: it inherits the tenant default
 * (all traffic from the tenant default group, i.e. same-tenant traffic), allows all traffic from
 * itself (same-stack traffic), and adds the stack's `networking.securityGroup.ingress` rules.
 *
 * Invariants:
 * - Found by its deterministic name in the VPC, so a create whose answer was lost is adopted.
 * - On update, rules are reconciled against AWS: new ones authorized, removed ones revoked by rule
 *   ID; egress is only managed when the caller passes it (else AWS's default allow-all stays).
 * - Deleting revokes the group's rules that reference groups (by rule ID) before the group goes;
 *   a group already gone is success. A group found by name or ID whose panka tags are another
 *   stack's is never adopted or deleted (the ownership rule).
 * `context` can be a ResourceContext: only clients, signal, progress, tags and wait are used.
 */
import type {AwsClients} from '../aws/aws-clients.js';
import type {SecurityGroupRule} from '../model/security-group.js';
import type {WaitSettings} from '../providers/provider.js';
import {networkCallOf} from './ec2-calls.js';
import {
	allTrafficFrom,
	type ChangeAction,
	deleteOwnedSecurityGroup,
	ensureSecurityGroup,
	expandRule,
	findSecurityGroupByName,
	reconcileRules,
} from './security-groups.js';

export interface StackSecurityGroupContext {
	clients: AwsClients;
	signal: AbortSignal;
	progress?(phase: string): void;
	/** The stack's panka tags (panka:tenant, panka:stack, panka:env, panka:component, …). */
	tags: Readonly<Record<string, string>>;
	wait?: WaitSettings;
}

export interface StackSecurityGroupSpec {
	name: string;
	vpcId: string;
	tenantSecurityGroupId: string;
	/** The stack's `networking.securityGroup.ingress`; `self: true` means from this group. */
	ingress: readonly SecurityGroupRule[];
	/** Managed only when given (tenant egress + the stack's own). */
	egress?: readonly SecurityGroupRule[];
	description?: string;
}

/** Create or adopt the stack's group and make its rules match; its ID and what happened. */
export async function ensureStackSecurityGroup(
	context: StackSecurityGroupContext,
	spec: StackSecurityGroupSpec,
): Promise<{groupId: string; action: ChangeAction}> {
	const call = networkCallOf(context);
	const ensured = await ensureSecurityGroup(call, {
		name: spec.name,
		description: spec.description ?? `Stack security group ${spec.name} (panka)`,
		vpcId: spec.vpcId,
		tags: {...context.tags, Name: spec.name},
	});
	const groupId = ensured.id;
	const rulesChanged = await reconcileRules(call, groupId, {
		ingress: [
			allTrafficFrom(groupId),
			allTrafficFrom(spec.tenantSecurityGroupId),
			...spec.ingress.flatMap((rule) => expandRule(rule, 'ingress', groupId)),
		],
		...(spec.egress ? {egress: spec.egress.flatMap((rule) => expandRule(rule, 'egress', groupId))} : {}),
	});
	return {groupId, action: ensured.action === 'adopted' && rulesChanged ? 'updated' : ensured.action};
}

/** Delete the stack's group (by ID, or by name in the VPC when the ID was never recorded). */
export async function deleteStackSecurityGroup(
	context: StackSecurityGroupContext,
	target: {groupId?: string; name: string; vpcId: string},
): Promise<void> {
	const call = networkCallOf(context);
	const groupId = target.groupId ?? (await findSecurityGroupByName(call, target.vpcId, target.name))?.id;
	if (groupId) await deleteOwnedSecurityGroup(call, groupId, context.tags, `stack security group ${target.name}`);
}
