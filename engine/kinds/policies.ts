/**
 * The tenant's built-in policies (TenantConfig `spec.policies`), as kinds check them
 * (KindDefinition `policyIssues`): each finding names the spec path that breaks a rule and the
 * rule's stable diagnostic code. engine/resolve/tenant-policies.ts turns them into diagnostics at
 * file:line:col and checks the stack's own rules (its security group's ingress).
 *
 * Invariants: pure; a rule the tenant did not set is never checked; the same spec gives the same
 * findings, in spec order.
 */
import type {DiagnosticCode} from '../diagnostics.js';
import type {PathSegment} from '../load/yaml-source.js';
import type {SecurityGroupRule} from '../model/security-group.js';
import type {TenantPolicies} from '../model/tenant-config.js';

/** The policies' diagnostic codes (declared with every other code in diagnostics.ts). */
export type PolicyCode = Extract<DiagnosticCode, `policy-${string}`>;

/** Which TenantConfig field sets each rule: named in every finding's hint. */
export const policyFields: Record<PolicyCode, string> = {
	'policy-encryption-at-rest': 'encryptionAtRest',
	'policy-public-bucket': 'publicBuckets',
	'policy-rds-instance-class': 'rdsInstanceClasses',
	'policy-max-replicas': 'maxReplicas',
	'policy-internet-ingress': 'internetIngressPorts',
	'policy-lambda-runtime': 'lambdaRuntimes',
};

export interface PolicyIssue {
	/** The spec path that breaks the rule (below `spec`). */
	path: PathSegment[];
	code: PolicyCode;
	message: string;
}

export interface PolicyContext {
	policies: TenantPolicies;
	tenant: string;
	/** The stack's ingress rules (a load balancer opens 80/443 to their web sources, else to the internet). */
	stackIngress: readonly SecurityGroupRule[] | undefined;
}

/** `encryption.enabled: false` where the tenant requires encryption at rest; `what`: "a queue". */
export function encryptionRequired(encryption: {enabled?: boolean} | undefined, context: PolicyContext, what: string): PolicyIssue[] {
	if (context.policies.encryptionAtRest !== 'required' || encryption?.enabled !== false) return [];
	return [
		{
			path: ['encryption', 'enabled'],
			code: 'policy-encryption-at-rest',
			message: `tenant ${context.tenant} requires encryption at rest: ${what} cannot turn it off`,
		},
	];
}

/** A value outside the tenant's allowed list; none when the rule is not set. */
export function outsideAllowed(
	value: string,
	allowed: readonly string[] | undefined,
	issue: Omit<PolicyIssue, 'message'> & {what: string; tenant: string},
): PolicyIssue[] {
	if (!allowed || allowed.includes(value)) return [];
	return [
		{
			path: issue.path,
			code: issue.code,
			message: `${issue.what} ${value} is not allowed for tenant ${issue.tenant} (allowed: ${allowed.join(', ')})`,
		},
	];
}

/** The ports of `ports` the tenant does not allow from the internet (all of them when the rule is unset: none). */
export function disallowedInternetPorts(ports: readonly number[], policies: TenantPolicies): number[] {
	const allowed = policies.internetIngressPorts;
	return allowed ? ports.filter((port) => !allowed.includes(port)) : [];
}
