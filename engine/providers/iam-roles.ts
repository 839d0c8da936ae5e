/**
 * IAM roles that panka creates for compute kinds (Lambda execution roles, ECS task and execution
 * roles, the RDS monitoring role): one module, so every role is made, reconciled and deleted the
 * same way.
 *
 * Invariants:
 * - Least privilege is the caller's to express: a role gets exactly the inline statements and the
 *   AWS-managed policies passed in, and `ensureRole` removes inline policies and attachments that
 *   are no longer wanted (a role never keeps a permission its resource stopped needing).
 * - The trust policy names one service principal; the role is tagged with the resource's panka
 *   tags, and a same-named role whose panka tags name another owner is never taken over, changed
 *   or deleted (`requireOwned`).
 * - Deleting a role first removes its inline policies and detaches its managed policies (IAM
 *   refuses otherwise); a role already gone is success.
 * - moto returns AssumeRolePolicyDocument URL-encoded (as AWS does): decoded before comparing.
 */
import {
	AttachRolePolicyCommand,
	CreateRoleCommand,
	DeleteRoleCommand,
	DeleteRolePolicyCommand,
	DetachRolePolicyCommand,
	GetRoleCommand,
	IAMClient,
	ListAttachedRolePoliciesCommand,
	ListRolePoliciesCommand,
	ListRoleTagsCommand,
	PutRolePolicyCommand,
	TagRoleCommand,
	UntagRoleCommand,
	UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import {awsCall, awsCallUnlessMissing} from '../aws/call.js';
import type {ResourceContext} from './provider.js';
import {fromTagList, requireOwned, tagChanges, toTagList} from './resource-tags.js';

export interface PolicyStatement {
	Sid?: string;
	Effect: 'Allow' | 'Deny';
	Action: string | string[];
	Resource: string | string[];
	Condition?: Record<string, unknown>;
}

export interface RoleSpec {
	name: string;
	/**
	 * Who may assume the role: a service (lambda.amazonaws.com, ecs-tasks.amazonaws.com,
	 * monitoring.rds.amazonaws.com) or, for a tenant's deploy role, `{AWS: principal ARN}`.
	 */
	service: string | {AWS: string};
	description?: string;
	/** Inline policies by name; an empty statement list means no such policy. */
	inline: Readonly<Record<string, readonly PolicyStatement[]>>;
	/** AWS-managed policy ARNs (arn:aws:iam::aws:policy/...). */
	managed: readonly string[];
}

const missingRole = ['NoSuchEntity', 'NoSuchEntityException'];

function iam(context: Pick<ResourceContext, 'clients'>): IAMClient {
	return context.clients.get(IAMClient);
}

export function trustPolicy(trusted: RoleSpec['service']): string {
	const principal = typeof trusted === 'string' ? {Service: trusted} : trusted;
	return JSON.stringify({Version: '2012-10-17', Statement: [{Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole'}]});
}

const trustedName = (trusted: RoleSpec['service']) => (typeof trusted === 'string' ? trusted : trusted.AWS);

export function policyDocument(statements: readonly PolicyStatement[]): string {
	return JSON.stringify({Version: '2012-10-17', Statement: statements});
}

/** Create or reconcile the role; returns its ARN. */
export async function ensureRole(
	context: Pick<ResourceContext, 'clients' | 'signal' | 'tags' | 'progress'>,
	spec: RoleSpec,
): Promise<string> {
	const existing = await awsCallUnlessMissing(context, `IAM GetRole ${spec.name}`, missingRole, (options) =>
		iam(context).send(new GetRoleCommand({RoleName: spec.name}), options),
	);
	let arn = existing?.Role?.Arn;
	if (!existing?.Role) {
		context.progress(`creating IAM role ${spec.name}`);
		const created = await awsCall(context, `IAM CreateRole ${spec.name}`, (options) =>
			iam(context).send(
				new CreateRoleCommand({
					RoleName: spec.name,
					AssumeRolePolicyDocument: trustPolicy(spec.service),
					Description: spec.description ?? `panka: ${trustedName(spec.service)}`,
					Tags: toTagList(context.tags),
				}),
				options,
			),
		);
		arn = created.Role?.Arn;
	} else {
		const tags = await roleTags(context, spec.name);
		requireOwned(tags, context.tags, 'adopt', `IAM role ${spec.name}`);
		const trust = decodeURIComponent(existing.Role.AssumeRolePolicyDocument ?? '');
		if (!trust.includes(trustedName(spec.service)))
			await awsCall(context, `IAM UpdateAssumeRolePolicy ${spec.name}`, (options) =>
				iam(context).send(new UpdateAssumeRolePolicyCommand({RoleName: spec.name, PolicyDocument: trustPolicy(spec.service)}), options),
			);
		const changes = tagChanges(tags, context.tags);
		if (changes.remove.length > 0)
			await awsCall(context, `IAM UntagRole ${spec.name}`, (options) =>
				iam(context).send(new UntagRoleCommand({RoleName: spec.name, TagKeys: changes.remove}), options),
			);
		if (Object.keys(changes.set).length > 0)
			await awsCall(context, `IAM TagRole ${spec.name}`, (options) =>
				iam(context).send(new TagRoleCommand({RoleName: spec.name, Tags: toTagList(changes.set)}), options),
			);
	}
	await reconcilePolicies(context, spec);
	if (!arn) throw new Error(`IAM role ${spec.name} has no ARN`);
	return arn;
}

async function reconcilePolicies(context: Pick<ResourceContext, 'clients' | 'signal'>, spec: RoleSpec): Promise<void> {
	const wantedInline = Object.entries(spec.inline).filter(([, statements]) => statements.length > 0);
	const currentInline =
		(
			await awsCall(context, `IAM ListRolePolicies ${spec.name}`, (options) =>
				iam(context).send(new ListRolePoliciesCommand({RoleName: spec.name}), options),
			)
		).PolicyNames ?? [];
	for (const [name, statements] of wantedInline)
		await awsCall(context, `IAM PutRolePolicy ${spec.name}/${name}`, (options) =>
			iam(context).send(
				new PutRolePolicyCommand({RoleName: spec.name, PolicyName: name, PolicyDocument: policyDocument(statements)}),
				options,
			),
		);
	for (const name of currentInline)
		if (!wantedInline.some(([wanted]) => wanted === name))
			await awsCall(context, `IAM DeleteRolePolicy ${spec.name}`, (options) =>
				iam(context).send(new DeleteRolePolicyCommand({RoleName: spec.name, PolicyName: name}), options),
			);
	const attached = (
		(
			await awsCall(context, `IAM ListAttachedRolePolicies ${spec.name}`, (options) =>
				iam(context).send(new ListAttachedRolePoliciesCommand({RoleName: spec.name}), options),
			)
		).AttachedPolicies ?? []
	).map((p) => p.PolicyArn ?? '');
	for (const arn of spec.managed)
		if (!attached.includes(arn))
			await awsCall(context, `IAM AttachRolePolicy ${spec.name} ${arn}`, (options) =>
				iam(context).send(new AttachRolePolicyCommand({RoleName: spec.name, PolicyArn: arn}), options),
			);
	for (const arn of attached)
		if (!spec.managed.includes(arn))
			await awsCall(context, `IAM DetachRolePolicy ${spec.name}`, (options) =>
				iam(context).send(new DetachRolePolicyCommand({RoleName: spec.name, PolicyArn: arn}), options),
			);
}

async function roleTags(context: Pick<ResourceContext, 'clients' | 'signal'>, name: string): Promise<Record<string, string>> {
	const {Tags} = await awsCall(context, `IAM ListRoleTags ${name}`, (options) =>
		iam(context).send(new ListRoleTagsCommand({RoleName: name}), options),
	);
	return fromTagList(Tags);
}

/** Delete the role (this component's: checked first) with its policies; a role already gone is success. */
export async function deleteRole(context: Pick<ResourceContext, 'clients' | 'signal' | 'progress' | 'tags'>, name: string): Promise<void> {
	const exists = await awsCallUnlessMissing(context, `IAM GetRole ${name}`, missingRole, (options) =>
		iam(context).send(new GetRoleCommand({RoleName: name}), options),
	);
	if (!exists) return;
	requireOwned(await roleTags(context, name), context.tags, 'delete', `IAM role ${name}`);
	context.progress(`deleting IAM role ${name}`);
	for (const policy of (
		await awsCall(context, `IAM ListRolePolicies ${name}`, (options) =>
			iam(context).send(new ListRolePoliciesCommand({RoleName: name}), options),
		)
	).PolicyNames ?? [])
		await awsCall(context, `IAM DeleteRolePolicy ${name}`, (options) =>
			iam(context).send(new DeleteRolePolicyCommand({RoleName: name, PolicyName: policy}), options),
		);
	for (const policy of (
		await awsCall(context, `IAM ListAttachedRolePolicies ${name}`, (options) =>
			iam(context).send(new ListAttachedRolePoliciesCommand({RoleName: name}), options),
		)
	).AttachedPolicies ?? [])
		if (policy.PolicyArn)
			await awsCall(context, `IAM DetachRolePolicy ${name}`, (options) =>
				iam(context).send(new DetachRolePolicyCommand({RoleName: name, PolicyArn: policy.PolicyArn}), options),
			);
	await awsCallUnlessMissing(context, `IAM DeleteRole ${name}`, missingRole, (options) =>
		iam(context).send(new DeleteRoleCommand({RoleName: name}), options),
	);
}

/** The inline policy statements of a role, by policy name (tests and drift read them back; without a signal, not abortable). */
export async function roleInlinePolicies(
	context: Pick<ResourceContext, 'clients'> & {signal?: AbortSignal},
	name: string,
): Promise<Record<string, unknown>> {
	const {GetRolePolicyCommand} = await import('@aws-sdk/client-iam');
	const scope = {signal: context.signal ?? new AbortController().signal};
	const names =
		(
			await awsCall(scope, `IAM ListRolePolicies ${name}`, (options) =>
				iam(context).send(new ListRolePoliciesCommand({RoleName: name}), options),
			)
		).PolicyNames ?? [];
	const policies: Record<string, unknown> = {};
	for (const policy of names) {
		const {PolicyDocument} = await awsCall(scope, `IAM GetRolePolicy ${name}`, (options) =>
			iam(context).send(new GetRolePolicyCommand({RoleName: name, PolicyName: policy}), options),
		);
		policies[policy] = JSON.parse(decodeURIComponent(PolicyDocument ?? '{}'));
	}
	return policies;
}
