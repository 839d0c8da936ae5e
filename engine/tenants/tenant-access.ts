/**
 * How panka reaches a tenant's AWS account, and checking that it can.
 *
 * A tenant either records no role (panka then acts with the caller's own credentials, which must
 * be for the tenant's account), or records `spec.aws.assumeRoleArn`, a role that exists: the one
 * `admin tenant init --create-role` makes (`tenantRolePlan` says what it will be before it is
 * made), or one the admin names in the config. `checkTenantAccess` asks STS whether the caller
 * can do what panka will do, so a missing role or a wrong trust policy is said at init and login,
 * not discovered in the middle of an apply.
 *
 * Invariants: nothing here creates anything except `createTenantRole`, which creates or
 * reconciles only a role tagged as this tenant's (a same-named role of another owner is never
 * taken over); the checks only read (GetCallerIdentity, AssumeRole), through engine/aws/call.ts.
 */
import {createHash} from 'node:crypto';
import {AssumeRoleCommand} from '@aws-sdk/client-sts';
import type {AwsClients} from '../aws/aws-clients.js';
import {type CallerIdentity, callerIdentityOf} from '../aws/caller-identity.js';
import {awsCall, keepSdkError} from '../aws/call.js';
import type {TenantConfig} from '../model/tenant-config.js';
import {ensureRole, type PolicyStatement} from '../providers/iam-roles.js';
import {retryWhile} from '../retry.js';

/** Everything panka does in a tenant's account, by service: the deploy role's permissions. */
export const tenantRoleActions: readonly string[] = [
	'ec2:*',
	'ecs:*',
	'elasticloadbalancing:*',
	'application-autoscaling:*',
	'servicediscovery:*',
	'route53:CreateHostedZone',
	'route53:DeleteHostedZone',
	'route53:GetHostedZone',
	'route53:ChangeResourceRecordSets',
	'route53:ListResourceRecordSets',
	'lambda:*',
	'rds:*',
	'dynamodb:*',
	's3:*',
	'sqs:*',
	'sns:*',
	'events:*',
	'logs:*',
	// panka status reads the health metrics of Lambda, SQS, SNS and RDS (engine/status/metrics.ts).
	'cloudwatch:GetMetricData',
	'secretsmanager:*',
	'kms:DescribeKey',
	'iam:GetRole',
	'iam:CreateRole',
	'iam:DeleteRole',
	'iam:UpdateAssumeRolePolicy',
	'iam:TagRole',
	'iam:UntagRole',
	'iam:ListRoleTags',
	'iam:PutRolePolicy',
	'iam:DeleteRolePolicy',
	'iam:ListRolePolicies',
	'iam:AttachRolePolicy',
	'iam:DetachRolePolicy',
	'iam:ListAttachedRolePolicies',
	'iam:PassRole',
	'iam:CreateServiceLinkedRole',
	'sts:GetCallerIdentity',
];

export interface TenantRolePlan {
	roleName: string;
	roleArn: string;
	/** The principal the trust policy names. */
	trusted: string;
	trustPolicy: Record<string, unknown>;
	permissions: PolicyStatement[];
}

/** The role `--create-role` makes for `tenant`, trusting `principal` (an IAM or STS ARN). */
export function tenantRolePlan(config: TenantConfig, principal: string): TenantRolePlan {
	const tenant = config.metadata.name;
	const wanted = `panka-${tenant}`;
	const roleName = wanted.length <= 64 ? wanted : `${wanted.slice(0, 55)}-${createHash('sha256').update(tenant).digest('hex').slice(0, 8)}`;
	const trusted = trustablePrincipal(principal);
	return {
		roleName,
		roleArn: `arn:aws:iam::${config.spec.aws.accountId}:role/${roleName}`,
		trusted,
		trustPolicy: {Version: '2012-10-17', Statement: [{Effect: 'Allow', Principal: {AWS: trusted}, Action: 'sts:AssumeRole'}]},
		permissions: [{Sid: 'PankaDeploysTenantStacks', Effect: 'Allow', Action: [...tenantRoleActions], Resource: '*'}],
	};
}

/**
 * An ARN a trust policy can name: an STS session of a role (`assumed-role/Role/session`) becomes
 * the role, an STS user ARN the IAM user; IAM ARNs and account roots are kept.
 */
export function trustablePrincipal(arn: string): string {
	const session = /^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(arn);
	if (session) return `arn:${session[1]}:iam::${session[2]}:role/${session[3]}`;
	const stsUser = /^arn:(aws[a-z-]*):sts::(\d{12}):(user\/.+)$/.exec(arn);
	if (stsUser) return `arn:${stsUser[1]}:iam::${stsUser[2]}:${stsUser[3]}`;
	return arn;
}

/** Creates (or reconciles) the tenant's deploy role with the caller's credentials; returns its ARN. */
export async function createTenantRole(clients: AwsClients, config: TenantConfig, plan: TenantRolePlan): Promise<string> {
	return ensureRole(
		{
			clients,
			signal: new AbortController().signal,
			tags: {'panka:tenant': config.metadata.name, 'managed-by': 'panka'},
			progress: () => {},
		},
		{
			name: plan.roleName,
			service: {AWS: plan.trusted},
			description: `panka deploys the stacks of tenant ${config.metadata.name} with this role`,
			inline: {'panka-deploy': plan.permissions},
			managed: [],
		},
	);
}

export type AccessCheck = {ok: true; message: string} | {ok: false; message: string; hint: string};

export interface AccessCheckOptions {
	sessionName: string;
	/** Keep trying an AssumeRole refused for this long: a role just created takes IAM a few seconds to trust. */
	retryForMs?: number;
	sleep?: (ms: number) => Promise<void>;
	/** Aborts the STS requests (default: never). */
	signal?: AbortSignal;
}

/**
 * Can the caller act in the tenant's account the way panka will? With a role: AssumeRole it and
 * see that it lands in the tenant's account. Without one: the caller's own account must be it.
 */
export async function checkTenantAccess(clients: AwsClients, config: TenantConfig, options: AccessCheckOptions): Promise<AccessCheck> {
	const {accountId, assumeRoleArn} = config.spec.aws;
	const tenant = config.metadata.name;
	const signal = options.signal ?? new AbortController().signal;
	let caller: CallerIdentity;
	try {
		caller = await callerIdentityOf(clients, signal);
	} catch (error) {
		return {
			ok: false,
			message: `could not tell which AWS identity you are (sts:GetCallerIdentity): ${(error as Error).message}`,
			hint: 'check your AWS credentials (AWS_PROFILE, AWS_ACCESS_KEY_ID, SSO login)',
		};
	}
	if (!assumeRoleArn) {
		if (caller.account === accountId)
			return {ok: true, message: `no role recorded: panka acts as ${caller.arn}, in tenant ${tenant}'s account ${accountId}`};
		return {
			ok: false,
			message: `your AWS identity ${caller.arn} is in account ${caller.account}, but tenant ${tenant} is account ${accountId} and records no role to reach it`,
			hint: `use credentials for account ${accountId}, or record a role that trusts you (spec.aws.assumeRoleArn, with panka admin tenant update ${tenant} --config FILE)`,
		};
	}
	const assumeRole = () =>
		awsCall(
			{signal},
			`STS AssumeRole ${assumeRoleArn}`,
			(sendOptions) =>
				clients
					.sts()
					.send(
						new AssumeRoleCommand({RoleArn: assumeRoleArn, RoleSessionName: options.sessionName.slice(0, 64), DurationSeconds: 900}),
						sendOptions,
					),
			{failure: keepSdkError},
		);
	const trustNotYetPropagated = (error: unknown) => (error as {name?: string}).name === 'AccessDenied';
	// Retried here rather than as awsCall's TransientRefusal: the wait is the caller's (retryForMs, an injected sleep).
	const policy = {
		firstMs: 1_000,
		maxMs: 5_000,
		deadline: Date.now() + (options.retryForMs ?? 0),
		signal,
		...(options.sleep ? {sleep: options.sleep} : {}),
	};
	try {
		const {AssumedRoleUser} = await retryWhile(policy, trustNotYetPropagated, assumeRole);
		const landed = AssumedRoleUser?.Arn ? /^arn:aws[a-z-]*:sts::(\d{12}):/.exec(AssumedRoleUser.Arn)?.[1] : undefined;
		if (landed && landed !== accountId)
			return {
				ok: false,
				message: `role ${assumeRoleArn} is in account ${landed}, not tenant ${tenant}'s account ${accountId}`,
				hint: `record a role of account ${accountId} in spec.aws.assumeRoleArn`,
			};
		return {ok: true, message: `${caller.arn} can assume ${assumeRoleArn} (account ${accountId})`};
	} catch (error) {
		return {
			ok: false,
			message: `${caller.arn} cannot assume ${assumeRoleArn}: ${(error as Error).message}`,
			hint: `the role must exist and its trust policy must name ${trustablePrincipal(caller.arn)}; panka admin tenant init --create-role makes such a role`,
		};
	}
}
