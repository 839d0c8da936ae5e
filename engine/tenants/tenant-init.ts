/**
 * `panka admin tenant init`, the pure part: from the flags (and an optional `--config` file) to the
 * TenantConfig in the contract's shape, plus the contract's summary lines. No I/O: the caller reads
 * the config file and writes the result.
 *
 * Subnet layout (real CIDR arithmetic, see model/cidr.ts): the VPC is cut into equal slots and
 * AZ number N (1-based) gets public slot N and private slot 10·N. Slots are /24 when that fits,
 * which reproduces the contract exactly for a /16 (public x.y.1.0/24, x.y.2.0/24, private
 * x.y.10.0/24, x.y.20.0/24, and x.y.3.0/24 + x.y.30.0/24 for a third AZ). A smaller VPC gets the
 * smallest slots that still hold slot 10·N (a /20 with 2 AZs: /25 slots); a VPC too small for a
 * /28 slot (AWS's smallest subnet) is refused with the size it would need.
 *
 * Invariants: every subnet lies inside the VPC and no two overlap (checked here for the computed
 * layout, and again by tenantConfigSchema for whatever `--config` supplies); the result always
 * passes tenantConfigSchema; a `--config` problem is reported at its file:line:col.
 */
import type {Diagnostic} from '../diagnostics.js';
import {defaultAllowedKinds} from '../kinds/registry.js';
import {parseYamlFile} from '../load/yaml-source.js';
import {type Cidr, cidrContains, cidrOverlaps, parseCidr, subnetAt} from '../model/cidr.js';
import {nameProblem} from '../model/names.js';
import {
	type ApprovalRule,
	type TenantConfig,
	tenantApiVersion,
	tenantConfigSchema,
	tenantSecurityGroupName,
} from '../model/tenant-config.js';
import {checkAgainstSchema} from '../resolve/schema-diagnostics.js';

export const defaultVpcCidr = '10.0.0.0/16';
export const defaultLimits = {maxStacks: 10, maxServicesPerStack: 20, maxResourcesPerService: 50} as const;
/** The kinds a new tenant allows: each kind says so itself (`allowedByDefault`), in the contract's order. */
export const defaultAllowedResources: readonly string[] = defaultAllowedKinds;

import type {NatType} from './nat-types.js';

export {type NatType, natTypes} from './nat-types.js';

/** The smallest subnet AWS allows. */
const smallestSubnetPrefix = 28;
/** Subnet size when it fits: the contract's /24s. */
const preferredSubnetPrefix = 24;

export interface TenantInitInput {
	name: string;
	accountId?: string;
	region?: string;
	/** Default 10.0.0.0/16. */
	vpcCidr?: string;
	natGateway?: boolean;
	natType?: NatType;
	/** AZ letters (`a`) or full names (`us-east-1a`); default a, b. */
	azs?: readonly string[];
	assumeRoleArn?: string;
	/** `--require-approval`: TenantConfig.spec.requireApproval (absent: the default, broadening). */
	requireApproval?: ApprovalRule;
	createdBy: string;
	/** ISO time. */
	createdAt: string;
	/** `--config FILE`: its display name and text, merged over the computed config. */
	override?: {file: string; text: string};
}

export type TenantInitResult = {ok: true; config: TenantConfig; summary: string[]} | {ok: false; diagnostics: Diagnostic[]};

export interface SubnetPlan {
	cidrBlock: string;
	availabilityZone: string;
}

export type SubnetLayout = {ok: true; public: SubnetPlan[]; private: SubnetPlan[]; subnetPrefix: number} | {ok: false; problem: string};

/** Public slot N and private slot 10·N per AZ (N from 1), slots /24 when they fit. */
export function computeSubnets(vpcCidr: string, availabilityZones: readonly string[]): SubnetLayout {
	const vpc = parseCidr(vpcCidr);
	if (typeof vpc === 'string') return {ok: false, problem: vpc};
	const count = availabilityZones.length;
	if (count === 0) return {ok: false, problem: 'at least one availability zone is needed'};
	const highestSlot = 10 * count;
	const bits = Math.ceil(Math.log2(highestSlot + 1));
	const subnetPrefix = Math.max(preferredSubnetPrefix, vpc.prefix + bits);
	if (subnetPrefix > smallestSubnetPrefix) {
		const needed = smallestSubnetPrefix - bits;
		return {
			ok: false,
			problem: `VPC ${vpc.text} is too small for ${count} availability zone${count === 1 ? '' : 's'}: panka's layout (public subnet N, private subnet 10·N) needs a /${needed} or larger VPC`,
		};
	}
	const publicSubnets: SubnetPlan[] = [];
	const privateSubnets: SubnetPlan[] = [];
	const all: Cidr[] = [];
	for (const [i, zone] of availabilityZones.entries()) {
		const n = i + 1;
		const pub = subnetAt(vpc, subnetPrefix, n);
		const priv = subnetAt(vpc, subnetPrefix, 10 * n);
		if (!pub || !priv) return {ok: false, problem: `VPC ${vpc.text} has no room for the subnets of availability zone ${zone}`};
		publicSubnets.push({cidrBlock: pub.text, availabilityZone: zone});
		privateSubnets.push({cidrBlock: priv.text, availabilityZone: zone});
		all.push(pub, priv);
	}
	for (const [i, subnet] of all.entries()) {
		if (!cidrContains(vpc, subnet)) return {ok: false, problem: `subnet ${subnet.text} is outside the VPC ${vpc.text}`};
		const clash = all.slice(0, i).find((other) => cidrOverlaps(other, subnet));
		if (clash) return {ok: false, problem: `subnet ${subnet.text} overlaps ${clash.text}`};
	}
	return {ok: true, public: publicSubnets, private: privateSubnets, subnetPrefix};
}

/** `a` → `us-east-1a`; a full name must belong to the region. */
export function availabilityZoneNames(
	region: string,
	azs: readonly string[] | undefined,
): {ok: true; zones: string[]} | {ok: false; problem: string} {
	const given = azs && azs.length > 0 ? azs : ['a', 'b'];
	const zones: string[] = [];
	for (const item of given) {
		const zone = /^[a-z]$/.test(item) ? `${region}${item}` : item;
		if (!zone.startsWith(region) || !/^[a-z]$/.test(zone.slice(region.length)))
			return {ok: false, problem: `availability zone "${item}" is not in ${region}: give letters (a,b) or names like ${region}a`};
		if (zones.includes(zone)) return {ok: false, problem: `availability zone ${zone} is listed twice`};
		zones.push(zone);
	}
	return {ok: true, zones};
}

const accountPattern = /^\d{12}$/;
const regionPattern = /^[a-z]{2}(-[a-z]+)+-\d$/;

/** The TenantConfig for `tenant init`, or every problem found (flags and --config file). */
export function buildTenantConfig(input: TenantInitInput): TenantInitResult {
	const nameIssue = nameProblem(input.name, 'tenant');
	if (nameIssue) return {ok: false, diagnostics: [{severity: 'error', code: 'invalid-name', message: nameIssue}]};
	const diagnostics: Diagnostic[] = [];

	// ---- the --config file, parsed first: it may supply what the flags did not ----
	let override: ConfigOverride | undefined;
	if (input.override) {
		const parsed = parseConfigOverride(input.override.file, input.override.text);
		if (!parsed.ok) return parsed;
		override = parsed.override;
		diagnostics.push(...overrideIdentityProblems(override, input.name));
	}
	const settings = accountRegionAndVpc(input, override?.value, diagnostics);

	// ---- subnets: computed unless --config gives both tiers ----
	const subnets = subnetsFor(input, override?.value, settings, diagnostics);
	if (diagnostics.length > 0) return {ok: false, diagnostics};

	const computed = computedTenantConfig(input, settings, subnets);
	const merged = override ? (mergeOver(computed, override.value) as typeof computed) : computed;
	merged.metadata = {...merged.metadata, name: input.name, createdBy: input.createdBy, createdAt: input.createdAt};
	return validatedTenantConfig(merged, override?.document);
}

type YamlDocument = ReturnType<typeof parseYamlFile>['documents'][number];

/** The --config file: its one document, a mapping. */
interface ConfigOverride {
	document: YamlDocument;
	value: Record<string, unknown>;
}

/** The --config file's one document, or why it is not one mapping (at its file:line:col). */
function parseConfigOverride(file: string, text: string): {ok: true; override: ConfigOverride} | {ok: false; diagnostics: Diagnostic[]} {
	const parsed = parseYamlFile(file, text);
	if (parsed.diagnostics.length > 0) return {ok: false, diagnostics: parsed.diagnostics};
	if (parsed.documents.length !== 1)
		return {
			ok: false,
			diagnostics: [
				{
					severity: 'error',
					code: 'tenant-config',
					message: `${file} must hold exactly one TenantConfig document, found ${parsed.documents.length}`,
					file,
					line: 1,
					column: 1,
				},
			],
		};
	const document = parsed.documents[0]!;
	const value = document.value;
	if (value === null || typeof value !== 'object' || Array.isArray(value))
		return {
			ok: false,
			diagnostics: [
				{
					severity: 'error',
					code: 'not-a-mapping',
					message: 'a tenant config is a mapping (apiVersion, kind, metadata, spec)',
					...document.positionOf([]),
				},
			],
		};
	return {ok: true, override: {document, value: value as Record<string, unknown>}};
}

/** What a --config file says that it must not: another apiVersion, kind or tenant name (of the tenant being created or updated). */
function overrideIdentityProblems(
	{document, value}: ConfigOverride,
	tenant: string,
	purpose: 'created' | 'updated' = 'created',
): Diagnostic[] {
	const problems: Diagnostic[] = [];
	const here = (path: string[]) => document.positionOf(path);
	if (value.apiVersion !== undefined && value.apiVersion !== tenantApiVersion)
		problems.push({
			severity: 'error',
			code: 'unknown-api-version',
			message: `apiVersion must be ${tenantApiVersion}`,
			...here(['apiVersion']),
		});
	if (value.kind !== undefined && value.kind !== 'TenantConfig')
		problems.push({
			severity: 'error',
			code: 'wrong-document-kind',
			message: `expected a TenantConfig document, found ${String(value.kind)}`,
			...here(['kind']),
		});
	const overrideName = (value.metadata as {name?: unknown} | undefined)?.name;
	if (overrideName !== undefined && overrideName !== tenant)
		problems.push({
			severity: 'error',
			code: 'tenant-mismatch',
			message: `metadata.name is "${String(overrideName)}" but the tenant ${purpose === 'updated' ? 'being updated ' : ''}is "${tenant}"`,
			...here(['metadata', 'name']),
			...(purpose === 'updated' ? {hint: 'a tenant cannot be renamed; create a new one with panka admin tenant init'} : {}),
		});
	return problems;
}

/** The value at `path` in the --config file's mapping (undefined without the file or the path). */
function overrideAt(override: Record<string, unknown> | undefined, path: string[]): unknown {
	return path.reduce<unknown>(
		(node, key) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined),
		override,
	);
}

function overrideStringAt(override: Record<string, unknown> | undefined, path: string[]): string | undefined {
	const value = overrideAt(override, path);
	return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

function flagProblem(flag: string, message: string, code: Diagnostic['code'] = 'invalid-value'): Diagnostic {
	return {severity: 'error', code, message, flag};
}

interface AccountRegionAndVpc {
	accountId: string | undefined;
	region: string | undefined;
	vpcCidr: string;
}

/** The account, region and VPC block from the flags or the --config file; the flags' problems go to `diagnostics`. */
function accountRegionAndVpc(
	input: TenantInitInput,
	override: Record<string, unknown> | undefined,
	diagnostics: Diagnostic[],
): AccountRegionAndVpc {
	const accountId = input.accountId ?? overrideStringAt(override, ['spec', 'aws', 'accountId']);
	const region = input.region ?? overrideStringAt(override, ['spec', 'aws', 'region']);
	const vpcCidr = overrideStringAt(override, ['spec', 'networking', 'vpc', 'cidrBlock']) ?? input.vpcCidr ?? defaultVpcCidr;
	if (accountId === undefined)
		diagnostics.push(
			flagProblem('--aws-account', 'missing --aws-account: the 12-digit AWS account the tenant deploys into', 'missing-field'),
		);
	else if (input.accountId !== undefined && !accountPattern.test(accountId))
		diagnostics.push(flagProblem('--aws-account', `--aws-account ${accountId}: expected the 12-digit AWS account number`));
	if (region === undefined)
		diagnostics.push(flagProblem('--region', 'missing --region: the AWS region of the tenant (like us-east-1)', 'missing-field'));
	else if (input.region !== undefined && !regionPattern.test(region))
		diagnostics.push(flagProblem('--region', `--region ${region}: expected a region like us-east-1`));
	if (input.vpcCidr !== undefined) {
		const vpc = parseCidr(input.vpcCidr);
		if (typeof vpc === 'string') diagnostics.push(flagProblem('--vpc-cidr', `--vpc-cidr: ${vpc}`));
		else if (vpc.prefix < 16 || vpc.prefix > 28)
			diagnostics.push(flagProblem('--vpc-cidr', `--vpc-cidr ${vpc.text}: a VPC CIDR block must be between /16 and /28`));
	}
	return {accountId, region, vpcCidr};
}

/** The computed subnet layout (none when --config gives both tiers, or the region or VPC block is unusable); its problems go to `diagnostics`. */
function subnetsFor(
	input: TenantInitInput,
	override: Record<string, unknown> | undefined,
	{region, vpcCidr}: AccountRegionAndVpc,
	diagnostics: Diagnostic[],
): {public: SubnetPlan[]; private: SubnetPlan[]} {
	const overrideSubnets = overrideAt(override, ['spec', 'networking', 'subnets']) as {public?: unknown; private?: unknown} | undefined;
	const subnetsGiven = overrideSubnets?.public !== undefined && overrideSubnets?.private !== undefined;
	if (subnetsGiven || region === undefined || !regionPattern.test(region)) return {public: [], private: []};
	const zones = availabilityZoneNames(region, input.azs);
	if (!zones.ok) diagnostics.push(flagProblem('--azs', `--azs: ${zones.problem}`));
	else if (typeof parseCidr(vpcCidr) !== 'string') {
		const layout = computeSubnets(vpcCidr, zones.zones);
		if (!layout.ok) diagnostics.push(flagProblem('--vpc-cidr', layout.problem));
		else return {public: layout.public, private: layout.private};
	}
	return {public: [], private: []};
}

/** The config the flags describe, with the contract's defaults for everything else. */
function computedTenantConfig(
	input: TenantInitInput,
	{accountId, region, vpcCidr}: AccountRegionAndVpc,
	subnets: {public: SubnetPlan[]; private: SubnetPlan[]},
) {
	return {
		apiVersion: tenantApiVersion,
		kind: 'TenantConfig',
		metadata: {name: input.name, createdBy: input.createdBy, createdAt: input.createdAt},
		spec: {
			// No role unless one exists: `--create-role` makes one, or --config names one (tenant-access.ts).
			aws: {accountId, region, ...(input.assumeRoleArn ? {assumeRoleArn: input.assumeRoleArn} : {})},
			networking: {
				vpc: {cidrBlock: vpcCidr, enableDNSHostnames: true, enableDNSSupport: true},
				subnets,
				natGateway: {enabled: input.natGateway ?? false, type: input.natType ?? 'single'},
				internetGateway: {enabled: true},
				defaultSecurityGroup: {
					name: '{tenant}-default-sg',
					allowInternalTraffic: true,
					egress: [{protocol: '-1', cidrBlocks: ['0.0.0.0/0'], description: 'Allow all outbound'}],
				},
			},
			limits: {...defaultLimits},
			defaultTags: {tenant: input.name, 'managed-by': 'panka'},
			allowedResources: [...defaultAllowedResources],
			...(input.requireApproval ? {requireApproval: input.requireApproval} : {}),
		},
	};
}

/** The merged config checked against the contract's schema: at the --config file's positions when there is one. */
function validatedTenantConfig(merged: unknown, overrideDocument: YamlDocument | undefined): TenantInitResult {
	if (overrideDocument) {
		const checked = checkAgainstSchema(tenantConfigSchema, {document: overrideDocument, base: [], value: merged});
		if (!checked.ok) return {ok: false, diagnostics: checked.diagnostics};
		return {ok: true, config: checked.data, summary: tenantSummaryLines(checked.data)};
	}
	const parsed = tenantConfigSchema.safeParse(merged);
	if (!parsed.success)
		return {
			ok: false,
			diagnostics: parsed.error.issues.map((issue) => ({
				severity: 'error' as const,
				code: 'invalid-value' as const,
				message: `${issue.path.join('.')}: ${issue.message}`,
			})),
		};
	return {ok: true, config: parsed.data, summary: tenantSummaryLines(parsed.data)};
}

/**
 * `admin tenant update <name> --config FILE`: the file (partial or complete) merged over the
 * current config and validated; metadata.name must be the tenant's, and createdAt/createdBy stay.
 */
export function updateTenantConfigFromFile(
	current: TenantConfig,
	file: string,
	text: string,
): {ok: true; config: TenantConfig} | {ok: false; diagnostics: Diagnostic[]} {
	const parsed = parseConfigOverride(file, text);
	if (!parsed.ok) return parsed;
	const {document, value} = parsed.override;
	const diagnostics = overrideIdentityProblems(parsed.override, current.metadata.name, 'updated');
	if (diagnostics.length > 0) return {ok: false, diagnostics};
	const merged = mergeOver(structuredClone(current), value) as TenantConfig;
	merged.metadata = {
		...merged.metadata,
		name: current.metadata.name,
		...(current.metadata.createdBy ? {createdBy: current.metadata.createdBy} : {}),
		...(current.metadata.createdAt ? {createdAt: current.metadata.createdAt} : {}),
	};
	const checked = checkAgainstSchema(tenantConfigSchema, {document, base: [], value: merged});
	return checked.ok ? {ok: true, config: checked.data} : {ok: false, diagnostics: checked.diagnostics};
}

/** `over` laid over `base`: mappings merge key by key, anything else (lists too) replaces. */
export function mergeOver(base: unknown, over: unknown): unknown {
	if (!isMapping(base) || !isMapping(over)) return over === undefined ? base : over;
	const out: Record<string, unknown> = {...base};
	for (const [key, value] of Object.entries(over)) out[key] = key in base ? mergeOver(base[key], value) : value;
	return out;
}

function isMapping(value: unknown): value is Record<string, unknown> {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The contract's `✓ …` lines for a tenant config. */
export function tenantSummaryLines(config: TenantConfig): string[] {
	const net = config.spec.networking;
	const list = (subnets: readonly {cidrBlock: string}[]) => (subnets.length ? subnets.map((s) => s.cidrBlock).join(', ') : 'none');
	const nat = net.natGateway.enabled ? (net.natGateway.type === 'single' ? 'enabled' : `enabled (${net.natGateway.type})`) : 'disabled';
	return [
		`✓ Tenant created: ${config.metadata.name}`,
		`✓ VPC configured: ${net.vpc.cidrBlock}`,
		`✓ Public subnets: ${list(net.subnets.public)}`,
		`✓ Private subnets: ${list(net.subnets.private)}`,
		`✓ NAT Gateway: ${nat}`,
		`✓ Security Group: ${tenantSecurityGroupName(config)}`,
	];
}
