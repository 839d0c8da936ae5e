/**
 * The views of `panka admin tenant list` (every tenant on the backend with its status and secret
 * version) and `admin tenant show` (one tenant: its account, networking, limits, cost, approval
 * rule and policies); or the TenantList and Tenant documents. A tenant's secret is never shown.
 */
import {publicEntry, type TenantDetails, type TenantEntry, type TenantSpend} from '../../engine/backends.js';
import {approvalRuleOf, type PriceTable, policyLines} from '../../engine/index.js';
import {spendJson, spendText, tenantCostTexts} from '../plan-cost.js';
import {jsonDocument} from '../render/json.js';
import type {Views} from './view.js';

export interface TenantListView {
	tenants(backend: string, tenants: readonly TenantEntry[]): void;
}

export const tenantListViews: Views<TenantListView> = {
	human: (out) => ({
		tenants(backend, tenants) {
			const {paint} = out;
			if (tenants.length === 0) {
				out.line(`No tenants on ${backend}. Create one: panka admin tenant init <name> --aws-account … --region …`);
				return;
			}
			const width = Math.max(4, ...tenants.map((t) => t.name.length));
			out.line(paint(`${'NAME'.padEnd(width)}  STATUS     SECRET  CREATED                   CREATED BY`, 'bold'));
			const tone = {active: 'green', suspended: 'yellow'} as const;
			for (const t of tenants)
				out.line(
					`${t.name.padEnd(width)}  ${paint(t.status.padEnd(9), tone[t.status as keyof typeof tone] ?? 'gray')}  ${`v${t.secretVersion}`.padEnd(6)}  ${t.createdAt.padEnd(24)}  ${t.createdBy}`,
				);
		},
	}),
	json: (out) => ({
		tenants: (backend, tenants) => out.line(jsonDocument('TenantList', {backend, tenants: tenants.map(publicEntry)})),
	}),
};

export interface TenantShowView {
	tenant(backend: string, details: TenantDetails, cost: {table: PriceTable; spend: TenantSpend | undefined}): void;
}

/** What `spec.requireApproval` means, as `tenant show` says it. */
const approvalWords = {
	broadening: 'changes that widen access need their own approval (requireApproval broadening)',
	'any-change': 'every change is approved in a review; --yes is refused (requireApproval any-change)',
	never: 'no change needs its own approval (requireApproval never)',
} as const;

export const tenantShowViews: Views<TenantShowView> = {
	human: (out) => ({
		tenant(_backend, details, {table, spend}) {
			const field = (label: string, value: string) => out.line(`${out.paint(label.padEnd(12), 'bold')}${value}`);
			const e = details.entry;
			field('Tenant', e.name);
			field('Status', `${e.status}${e.suspendedAt ? ` since ${e.suspendedAt}` : ''}${e.deletedAt ? ` on ${e.deletedAt}` : ''}`);
			field('Created', `${e.createdAt} by ${e.createdBy}`);
			field('Secret', `version ${e.secretVersion}${e.rotatedAt ? `, set ${e.rotatedAt}` : ''}`);
			if (e.archivedAs) field('Archived as', e.archivedAs);
			field('Config', details.configFile);
			const config = details.config;
			if (!config) return;
			const {aws, networking: net, limits, allowedResources} = config.spec;
			field(
				'AWS',
				`account ${aws.accountId}, region ${aws.region}${aws.assumeRoleArn ? `, role ${aws.assumeRoleArn}` : ", no role (the caller's own credentials)"}`,
			);
			field('VPC', net.vpc.cidrBlock);
			field('Public', net.subnets.public.map((s) => `${s.cidrBlock} (${s.availabilityZone})`).join(', ') || 'none');
			field('Private', net.subnets.private.map((s) => `${s.cidrBlock} (${s.availabilityZone})`).join(', ') || 'none');
			field('NAT', net.natGateway.enabled ? `enabled (${net.natGateway.type})` : 'disabled');
			field(
				'Limits',
				`${limits.maxStacks ?? '∞'} stacks, ${limits.maxServicesPerStack ?? '∞'} services per stack, ${limits.maxResourcesPerService ?? '∞'} resources per service`,
			);
			field('Allowed', allowedResources?.join(', ') ?? 'every kind');
			const cost = tenantCostTexts(config, table);
			field('Networking', cost.networking);
			if (cost.limit) field('Cost limit', cost.limit);
			if (spend) field('Spend', spendText(spend, config, table));
			field('Approval', approvalWords[approvalRuleOf(config)]);
			const policies = policyLines(config.spec.policies);
			field('Policies', policies.length > 0 ? policies.join('; ') : 'none');
		},
	}),
	json: (out) => ({
		tenant(backend, details, {table, spend}) {
			out.line(
				jsonDocument('Tenant', {
					backend,
					tenant: publicEntry(details.entry),
					configFile: details.configFile,
					config: details.config ?? null,
					...(spend && details.config ? {cost: spendJson(spend, details.config, table)} : {}),
				}),
			);
		},
	}),
};
