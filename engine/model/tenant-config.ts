/**
 * TenantConfig (`admin.panka.io/v1`): the tenant's AWS binding, its networking (shared by all its
 * stacks), limits, default tags and allowed kinds. Shape exactly as in the contract.
 *
 * Invariants checked here, not later: every subnet lies inside the VPC, no two subnets overlap,
 * and the account and role look like AWS's.
 */
import {z} from '../zod.js';
import {cidrContains, cidrOverlaps, parseCidr} from './cidr.js';
import {boolean, integer, labelsSchema, name, tagsSchema, text} from './fields.js';
import {securityGroupRuleSchema} from './security-group.js';
import {type ApprovalRule, approvalRules} from '../tenants/approval-rules.js';

export type {ApprovalRule} from '../tenants/approval-rules.js';

export const tenantApiVersion = 'admin.panka.io/v1';

/** The tenant's approval rule; `broadening` when the config sets none (or there is no tenant config). */
export function approvalRuleOf(config: {spec: {requireApproval?: ApprovalRule}} | undefined): ApprovalRule {
	return config?.spec.requireApproval ?? 'broadening';
}

/**
 * `spec.policies`: built-in rules, each off unless set. Checked at validate time, each finding a
 * diagnostic at the offending line with the rule's own code (engine/resolve/tenant-policies.ts).
 */
export const tenantPoliciesSchema = z.strictObject({
	/** required: every bucket, queue and topic keeps encryption at rest (`encryption.enabled: false` is refused). */
	encryptionAtRest: z.enum(['required', 'optional']).optional(),
	/** forbidden: no bucket with a public ACL or a relaxed public access block. */
	publicBuckets: z.enum(['forbidden', 'allowed']).optional(),
	/** The RDS instance classes stacks may use, e.g. [db.t3.micro, db.t3.medium]. */
	rdsInstanceClasses: z.array(z.string().min(1)).min(1).optional(),
	/** The most tasks a MicroService may run (replicas, and autoscaling maxReplicas). */
	maxReplicas: integer({min: 0}).optional(),
	/** The ports stacks may open to the internet (0.0.0.0/0 or ::/0); a load balancer opens 80 and 443. */
	internetIngressPorts: z.array(integer({min: 0, max: 65_535})).optional(),
	/** The Lambda runtimes functions may use, e.g. [nodejs20.x, python3.12]. */
	lambdaRuntimes: z.array(z.string().min(1)).min(1).optional(),
});
export type TenantPolicies = z.output<typeof tenantPoliciesSchema>;

/** The policies a tenant sets, one short phrase each (`admin tenant show`); none set: empty. */
export function policyLines(policies: TenantPolicies | undefined): string[] {
	if (!policies) return [];
	const lines: string[] = [];
	if (policies.encryptionAtRest === 'required') lines.push('encryption at rest required');
	if (policies.publicBuckets === 'forbidden') lines.push('no public buckets');
	if (policies.rdsInstanceClasses) lines.push(`RDS classes ${policies.rdsInstanceClasses.join(', ')}`);
	if (policies.maxReplicas !== undefined) lines.push(`at most ${policies.maxReplicas} replicas`);
	if (policies.internetIngressPorts) lines.push(`from the internet only ports ${policies.internetIngressPorts.join(', ') || 'none'}`);
	if (policies.lambdaRuntimes) lines.push(`Lambda runtimes ${policies.lambdaRuntimes.join(', ')}`);
	return lines;
}

const subnetSchema = z.strictObject({
	cidrBlock: text(),
	availabilityZone: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d[a-z]$/, {
		error: 'availabilityZone looks like us-east-1a',
	}),
});

export const tenantSpecSchema = z
	.strictObject({
		aws: z.strictObject({
			accountId: text().pipe(z.string().regex(/^\d{12}$/, {error: 'accountId is the 12-digit AWS account number'})),
			region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, {error: 'region looks like us-east-1'}),
			assumeRoleArn: z
				.string()
				.regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/, {
					error: 'assumeRoleArn looks like arn:aws:iam::123456789012:role/name',
				})
				.optional(),
		}),
		networking: z.strictObject({
			vpc: z.strictObject({
				cidrBlock: text(),
				enableDNSHostnames: boolean().default(true),
				enableDNSSupport: boolean().default(true),
			}),
			subnets: z.strictObject({
				public: z.array(subnetSchema).default([]),
				private: z.array(subnetSchema).default([]),
			}),
			natGateway: z
				.strictObject({
					enabled: boolean().default(false),
					type: z.enum(['single', 'per-az']).default('single'),
				})
				.default({enabled: false, type: 'single'}),
			internetGateway: z.strictObject({enabled: boolean().default(true)}).default({enabled: true}),
			defaultSecurityGroup: z
				.strictObject({
					name: z.string().default('{tenant}-default-sg'),
					allowInternalTraffic: boolean().default(true),
					egress: z
						.array(securityGroupRuleSchema)
						.default([{protocol: '-1', cidrBlocks: ['0.0.0.0/0'], description: 'Allow all outbound'}]),
				})
				.prefault({}),
		}),
		limits: z
			.strictObject({
				maxStacks: integer({min: 0}).optional(),
				maxServicesPerStack: integer({min: 0}).optional(),
				maxResourcesPerService: integer({min: 0}).optional(),
				/** USD a month the tenant's estimated total may reach (engine/cost/tenant-cost.ts); a plan over it is refused. */
				monthlyCost: z.number().nonnegative().optional(),
				/** The fraction of monthlyCost from which plans warn (default 0.8). */
				monthlyCostWarnAt: z.number().gt(0).max(1).optional(),
			})
			.default({}),
		defaultTags: tagsSchema.default({}),
		allowedResources: z.array(z.string()).optional(),
		/** Which changes an unattended apply (--yes) may not run on its own say (engine/plan/approval.ts); absent: broadening. */
		requireApproval: z.enum(approvalRules).optional(),
		/** Built-in rules every stack of the tenant is validated against (engine/resolve/tenant-policies.ts). */
		policies: tenantPoliciesSchema.optional(),
	})
	.superRefine((spec, ctx) => {
		const vpc = parseCidr(spec.networking.vpc.cidrBlock);
		if (typeof vpc === 'string') {
			ctx.addIssue({code: 'custom', path: ['networking', 'vpc', 'cidrBlock'], message: vpc});
			return;
		}
		if (vpc.prefix < 16 || vpc.prefix > 28)
			ctx.addIssue({
				code: 'custom',
				path: ['networking', 'vpc', 'cidrBlock'],
				message: `a VPC CIDR block must be between /16 and /28, got /${vpc.prefix}`,
			});
		const seen: Array<{cidr: ReturnType<typeof parseCidr>; path: (string | number)[]}> = [];
		for (const tier of ['public', 'private'] as const) {
			for (const [index, subnet] of spec.networking.subnets[tier].entries()) {
				const path = ['networking', 'subnets', tier, index, 'cidrBlock'];
				const cidr = parseCidr(subnet.cidrBlock);
				if (typeof cidr === 'string') {
					ctx.addIssue({code: 'custom', path, message: cidr});
					continue;
				}
				if (!cidrContains(vpc, cidr)) ctx.addIssue({code: 'custom', path, message: `subnet ${cidr.text} is outside the VPC ${vpc.text}`});
				for (const other of seen) {
					if (typeof other.cidr !== 'string' && cidrOverlaps(cidr, other.cidr))
						ctx.addIssue({
							code: 'custom',
							path,
							message: `subnet ${cidr.text} overlaps ${other.cidr.text} (${other.path.slice(2, 4).join('[')}])`,
						});
				}
				seen.push({cidr, path});
			}
		}
	});

export const tenantMetadataSchema = z.strictObject({
	name: name('tenant'),
	createdBy: z.string().optional(),
	createdAt: z.string().optional(),
	labels: labelsSchema.optional(),
});

export const tenantConfigSchema = z.strictObject({
	apiVersion: z.literal(tenantApiVersion),
	kind: z.literal('TenantConfig'),
	metadata: tenantMetadataSchema,
	spec: tenantSpecSchema,
});

export type TenantConfig = z.output<typeof tenantConfigSchema>;
export type TenantNetworking = TenantConfig['spec']['networking'];

/** The tenant default security group's name with `{tenant}` filled in. */
export function tenantSecurityGroupName(config: TenantConfig): string {
	return config.spec.networking.defaultSecurityGroup.name.replaceAll('{tenant}', config.metadata.name);
}
