/**
 * The tenant's policies (TenantConfig `spec.policies`) checked at validate time: every finding is
 * an error diagnostic at the line that breaks the rule, with the rule's own code
 * (engine/diagnostics.ts `policy-*`) and a hint naming the policy field. Components are checked by
 * their kind (KindDefinition `policyIssues`, engine/kinds/policies.ts); the stack's own ingress
 * rules here.
 *
 *   code                         rule (spec.policies.…)          where
 *   policy-encryption-at-rest    encryptionAtRest: required      S3, SQS, SNS encryption.enabled
 *   policy-public-bucket         publicBuckets: forbidden        S3 bucket.acl, publicAccessBlock.*
 *   policy-rds-instance-class    rdsInstanceClasses: [...]       RDS instance.class
 *   policy-max-replicas          maxReplicas: N                  MicroService replicas, autoscaling.maxReplicas
 *   policy-internet-ingress      internetIngressPorts: [...]     stack.yaml ingress from 0.0.0.0/0 or ::/0;
 *                                                                a MicroService's internet-facing load balancer
 *   policy-lambda-runtime        lambdaRuntimes: [...]           Lambda runtime
 *
 * Invariants: pure; nothing is checked when the tenant sets no policies; a component whose spec
 * failed its schema is not checked (its own diagnostics come first).
 */
import type {Diagnostic} from '../diagnostics.js';
import {isAnywhere} from '../kinds/broadening.js';
import {type PolicyCode, type PolicyContext, disallowedInternetPorts, policyFields} from '../kinds/policies.js';
import {getKind} from '../kinds/registry.js';
import type {PathSegment, SourceDocument} from '../load/yaml-source.js';
import type {SecurityGroupRule} from '../model/security-group.js';
import type {TenantConfig} from '../model/tenant-config.js';
import {type EnvironmentSpec, sourcePath} from './environments.js';

/** What the check reads of a resolved component. */
export interface PolicyComponent {
	kind: string;
	valid: boolean;
	spec: unknown;
	document: SourceDocument;
	environmentOverride: Pick<EnvironmentSpec, 'environment' | 'overridden'>;
}

export function checkTenantPolicies(
	tenant: TenantConfig,
	stack: {stackIngress: readonly SecurityGroupRule[] | undefined; document: SourceDocument | undefined},
	components: readonly PolicyComponent[],
): Diagnostic[] {
	const policies = tenant.spec.policies;
	if (!policies) return [];
	const context: PolicyContext = {policies, tenant: tenant.metadata.name, stackIngress: stack.stackIngress};
	const diagnostics: Diagnostic[] = [];
	const report = (code: PolicyCode, message: string, position: {file: string; line: number; column: number}) =>
		diagnostics.push({
			severity: 'error',
			code,
			message,
			...position,
			hint: `change it, or ask the platform admin to change spec.policies.${policyFields[code]} of tenant ${context.tenant}`,
		});
	for (const component of components) {
		const rules = getKind(component.kind)?.policyIssues;
		if (!component.valid || !rules) continue;
		for (const issue of rules(component.spec, context)) {
			const {file, line, column} = component.document.positionOf(sourcePath(['spec', ...issue.path], component.environmentOverride));
			report(issue.code, issue.message, {file, line, column});
		}
	}
	if (policies.internetIngressPorts && stack.document)
		for (const [index, rule] of (stack.stackIngress ?? []).entries()) {
			const refused = internetPortsOpened(rule, policies.internetIngressPorts);
			if (!refused) continue;
			const base: PathSegment[] = ['spec', 'networking', 'securityGroup', 'ingress', index];
			const field: PathSegment[] = rule.port !== undefined ? ['port'] : rule.fromPort !== undefined ? ['fromPort'] : ['protocol'];
			const {file, line, column} = stack.document.positionOf([...base, ...field]);
			const allowed = policies.internetIngressPorts.join(', ') || 'no ports';
			report(
				'policy-internet-ingress',
				`ingress ${refused} from the internet is not allowed for tenant ${context.tenant} (allowed from the internet: ${allowed})`,
				{
					file,
					line,
					column,
				},
			);
		}
	return diagnostics;
}

/** What a rule opens to the internet beyond `allowed` ("22/tcp", "all traffic", "8000-8100/tcp"); undefined when nothing. */
function internetPortsOpened(rule: SecurityGroupRule, allowed: readonly number[]): string | undefined {
	const sources = [...(rule.cidrBlocks ?? []), ...(rule.ipv6CidrBlocks ?? [])];
	if (!sources.some(isAnywhere)) return undefined;
	if (rule.protocol === '-1' || rule.protocol === 'all') return 'of all traffic';
	const from = rule.port ?? rule.fromPort ?? 0;
	const to = rule.port ?? rule.toPort ?? from;
	// A range wider than the allowed list cannot be covered by it.
	const ports = to - from + 1 > allowed.length ? [from] : Array.from({length: to - from + 1}, (_, i) => from + i);
	if (to - from + 1 <= allowed.length && disallowedInternetPorts(ports, {internetIngressPorts: [...allowed]}).length === 0)
		return undefined;
	return `${from === to ? from : `${from}-${to}`}/${rule.protocol}`;
}
