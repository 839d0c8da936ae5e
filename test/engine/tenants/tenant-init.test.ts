/**
 * `panka admin tenant init`, the pure part: subnets by CIDR arithmetic, the TenantConfig in the
 * contract's shape, --config merged over it, and the contract's summary lines.
 */
import {readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {load} from 'js-yaml';
import {kindNames} from '../../../engine/kinds/registry.js';
import {tenantConfigSchema} from '../../../engine/model/tenant-config.js';
import {
	availabilityZoneNames,
	buildTenantConfig,
	computeSubnets,
	defaultAllowedResources,
	type TenantInitInput,
	updateTenantConfigFromFile,
} from '../../../engine/tenants/tenant-init.js';
import {demoTenant} from '../../helpers/stack-fixture.js';

const base: TenantInitInput = {
	name: 'notifications-team',
	accountId: '123456789012',
	region: 'us-east-1',
	vpcCidr: '10.0.0.0/16',
	natGateway: true,
	createdBy: 'platform-admin@example.com',
	createdAt: '2026-11-26T10:00:00Z',
};

function build(input: Partial<TenantInitInput> = {}) {
	const result = buildTenantConfig({...base, ...input});
	if (!result.ok) throw new Error(result.diagnostics.map((d) => d.message).join('\n'));
	return result;
}

function problems(input: Partial<TenantInitInput>) {
	const result = buildTenantConfig({...base, ...input});
	if (result.ok) throw new Error('expected problems');
	return result.diagnostics;
}

const cidrs = (subnets: readonly {cidrBlock: string}[]) => subnets.map((s) => s.cidrBlock);

describe('computeSubnets', () => {
	it('gives the contract defaults for a /16 in two AZs', () => {
		const layout = computeSubnets('10.0.0.0/16', ['us-east-1a', 'us-east-1b']);
		expect(layout).toEqual({
			ok: true,
			subnetPrefix: 24,
			public: [
				{cidrBlock: '10.0.1.0/24', availabilityZone: 'us-east-1a'},
				{cidrBlock: '10.0.2.0/24', availabilityZone: 'us-east-1b'},
			],
			private: [
				{cidrBlock: '10.0.10.0/24', availabilityZone: 'us-east-1a'},
				{cidrBlock: '10.0.20.0/24', availabilityZone: 'us-east-1b'},
			],
		});
	});

	it('puts AZ N at public x.y.N.0/24 and private x.y.(10·N).0/24 for three AZs', () => {
		const layout = computeSubnets('10.1.0.0/16', ['eu-west-1a', 'eu-west-1b', 'eu-west-1c']);
		if (!layout.ok) throw new Error(layout.problem);
		expect(cidrs(layout.public)).toEqual(['10.1.1.0/24', '10.1.2.0/24', '10.1.3.0/24']);
		expect(cidrs(layout.private)).toEqual(['10.1.10.0/24', '10.1.20.0/24', '10.1.30.0/24']);
	});

	it('uses smaller slots in a /20: still inside the VPC and disjoint', () => {
		const layout = computeSubnets('10.0.16.0/20', ['us-east-1a', 'us-east-1b']);
		if (!layout.ok) throw new Error(layout.problem);
		expect(layout.subnetPrefix).toBe(25);
		expect(cidrs(layout.public)).toEqual(['10.0.16.128/25', '10.0.17.0/25']);
		expect(cidrs(layout.private)).toEqual(['10.0.21.0/25', '10.0.26.0/25']);
	});

	it('uses /27 slots in a /22', () => {
		const small = computeSubnets('192.168.4.0/22', ['us-east-1a', 'us-east-1b']);
		if (!small.ok) throw new Error(small.problem);
		expect(small.subnetPrefix).toBe(27);
		expect(cidrs(small.public)).toEqual(['192.168.4.32/27', '192.168.4.64/27']);
		expect(cidrs(small.private)).toEqual(['192.168.5.64/27', '192.168.6.128/27']);
	});

	it('refuses a VPC too small for the layout, saying what size it needs', () => {
		const layout = computeSubnets('10.0.0.0/24', ['us-east-1a', 'us-east-1b']);
		expect(layout).toEqual({
			ok: false,
			problem: expect.stringMatching(/VPC 10\.0\.0\.0\/24 is too small for 2 availability zones: .* needs a \/23 or larger VPC/),
		});
	});

	it('refuses a malformed CIDR', () => {
		expect(computeSubnets('10.0.0.1/16', ['us-east-1a'])).toEqual({ok: false, problem: expect.stringMatching(/host bits set/)});
	});
});

describe('availabilityZoneNames', () => {
	it('defaults to a and b of the region, and takes letters or full names', () => {
		expect(availabilityZoneNames('eu-west-1', undefined)).toEqual({ok: true, zones: ['eu-west-1a', 'eu-west-1b']});
		expect(availabilityZoneNames('eu-west-1', ['a', 'eu-west-1c'])).toEqual({ok: true, zones: ['eu-west-1a', 'eu-west-1c']});
	});

	it('refuses zones of another region and duplicates', () => {
		expect(availabilityZoneNames('eu-west-1', ['us-east-1a'])).toMatchObject({
			ok: false,
			problem: expect.stringMatching(/not in eu-west-1/),
		});
		expect(availabilityZoneNames('eu-west-1', ['a', 'a'])).toMatchObject({ok: false, problem: expect.stringMatching(/listed twice/)});
	});
});

describe('buildTenantConfig', () => {
	it('writes the contract TenantConfig: the demo tenant, less its extra cost-center tag', () => {
		const {config} = build();
		const demo = tenantConfigSchema.parse(load(readFileSync(demoTenant, 'utf8')));
		delete (demo.spec.defaultTags as Record<string, string>)['cost-center'];
		expect(config).toEqual(demo);
	});

	it('fills the contract defaults: limits 10/20/50, default tags, every kind, and no role nobody created', () => {
		const {config} = build({name: 'acme', accountId: '111111111111'});
		expect(config.spec.limits).toEqual({maxStacks: 10, maxServicesPerStack: 20, maxResourcesPerService: 50});
		expect(config.spec.defaultTags).toEqual({tenant: 'acme', 'managed-by': 'panka'});
		expect(config.spec.aws.assumeRoleArn).toBeUndefined();
		expect([...(config.spec.allowedResources ?? [])].sort()).toEqual([...kindNames]);
		expect(defaultAllowedResources).toHaveLength(8);
	});

	it('prints the contract summary lines', () => {
		expect(build().summary).toEqual([
			'✓ Tenant created: notifications-team',
			'✓ VPC configured: 10.0.0.0/16',
			'✓ Public subnets: 10.0.1.0/24, 10.0.2.0/24',
			'✓ Private subnets: 10.0.10.0/24, 10.0.20.0/24',
			'✓ NAT Gateway: enabled',
			'✓ Security Group: notifications-team-default-sg',
		]);
		expect(build({natGateway: false}).summary[4]).toBe('✓ NAT Gateway: disabled');
		expect(build({natType: 'per-az'}).summary[4]).toBe('✓ NAT Gateway: enabled (per-az)');
	});

	it('records per-az NAT and the AZs asked for', () => {
		const {config} = build({natType: 'per-az', azs: ['a', 'b', 'c']});
		expect(config.spec.networking.natGateway).toEqual({enabled: true, type: 'per-az'});
		expect(config.spec.networking.subnets.private.map((s) => s.availabilityZone)).toEqual(['us-east-1a', 'us-east-1b', 'us-east-1c']);
	});

	it('defaults the VPC to 10.0.0.0/16', () => {
		const {config} = build({vpcCidr: undefined});
		expect(config.spec.networking.vpc.cidrBlock).toBe('10.0.0.0/16');
	});

	it('names the flag for missing or malformed values', () => {
		expect(problems({accountId: undefined, region: undefined}).map((d) => d.flag)).toEqual(['--aws-account', '--region']);
		expect(problems({accountId: '1234'})[0]).toMatchObject({flag: '--aws-account', message: expect.stringMatching(/12-digit/)});
		expect(problems({region: 'Virginia'})[0]).toMatchObject({flag: '--region'});
		expect(problems({vpcCidr: '10.0.0.0/8'})[0]).toMatchObject({
			flag: '--vpc-cidr',
			message: expect.stringMatching(/between \/16 and \/28/),
		});
		expect(problems({vpcCidr: '10.0.0.0/24'})[0]).toMatchObject({flag: '--vpc-cidr', message: expect.stringMatching(/too small/)});
		expect(problems({azs: ['eu-west-1a']})[0]).toMatchObject({flag: '--azs'});
	});

	it('refuses bad tenant names before building anything', () => {
		for (const name of ['../x', 'Acme', 'a', 'x'.repeat(64), 'a/b']) expect(problems({name})[0]).toMatchObject({code: 'invalid-name'});
	});
});

describe('buildTenantConfig with --config', () => {
	const withConfig = (text: string, input: Partial<TenantInitInput> = {}) =>
		buildTenantConfig({...base, ...input, override: {file: 'advanced.yaml', text}});

	it('merges a partial config over the computed one', () => {
		const result = withConfig('spec:\n  limits:\n    maxStacks: 3\n  defaultTags:\n    cost-center: platform\n');
		if (!result.ok) throw new Error(result.diagnostics[0]!.message);
		expect(result.config.spec.limits).toEqual({maxStacks: 3, maxServicesPerStack: 20, maxResourcesPerService: 50});
		expect(result.config.spec.defaultTags).toEqual({tenant: 'notifications-team', 'managed-by': 'panka', 'cost-center': 'platform'});
		expect(cidrs(result.config.spec.networking.subnets.public)).toEqual(['10.0.1.0/24', '10.0.2.0/24']);
	});

	it('takes account, region and VPC from the file when the flags do not give them, and lays subnets in that VPC', () => {
		const result = withConfig(
			'spec:\n  aws:\n    accountId: "222222222222"\n    region: eu-west-1\n  networking:\n    vpc:\n      cidrBlock: 10.5.0.0/16\n',
			{
				accountId: undefined,
				region: undefined,
				vpcCidr: undefined,
			},
		);
		if (!result.ok) throw new Error(result.diagnostics[0]!.message);
		expect(result.config.spec.aws).toEqual({accountId: '222222222222', region: 'eu-west-1'});
		expect(cidrs(result.config.spec.networking.subnets.private)).toEqual(['10.5.10.0/24', '10.5.20.0/24']);
		expect(result.config.spec.networking.subnets.private[0]!.availabilityZone).toBe('eu-west-1a');
	});

	it('reports a subnet outside the VPC at its file:line:col', () => {
		const text = [
			'spec:',
			'  networking:',
			'    subnets:',
			'      public:',
			'        - cidrBlock: 10.0.1.0/24',
			'          availabilityZone: us-east-1a',
			'      private:',
			'        - cidrBlock: 10.9.10.0/24',
			'          availabilityZone: us-east-1a',
			'',
		].join('\n');
		const result = withConfig(text);
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.diagnostics).toContainEqual(
			expect.objectContaining({
				file: 'advanced.yaml',
				line: 8,
				column: 22,
				message: expect.stringMatching(/subnets\.private\[0\]\.cidrBlock: subnet 10\.9\.10\.0\/24 is outside the VPC 10\.0\.0\.0\/16/),
			}),
		);
	});

	it('reports overlapping subnets', () => {
		const text =
			'spec:\n  networking:\n    subnets:\n      public:\n        - {cidrBlock: 10.0.0.0/20, availabilityZone: us-east-1a}\n      private:\n        - {cidrBlock: 10.0.10.0/24, availabilityZone: us-east-1a}\n';
		const result = withConfig(text);
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.diagnostics).toContainEqual(
			expect.objectContaining({
				file: 'advanced.yaml',
				line: 7,
				message: expect.stringMatching(/10\.0\.10\.0\/24 overlaps 10\.0\.0\.0\/20/),
			}),
		);
	});

	it('refuses a config for another tenant, unknown fields, and YAML errors, each at its position', () => {
		const other = withConfig('metadata:\n  name: payments-team\n');
		expect(other.ok ? [] : other.diagnostics).toContainEqual(expect.objectContaining({code: 'tenant-mismatch', line: 2}));
		const unknown = withConfig('spec:\n  limits:\n    maxStack: 3\n');
		expect(unknown.ok ? [] : unknown.diagnostics).toContainEqual(
			expect.objectContaining({code: 'unknown-field', line: 3, message: expect.stringMatching(/maxStack/)}),
		);
		const broken = withConfig('spec:\n  limits: [\n');
		expect(broken.ok ? [] : broken.diagnostics[0]).toMatchObject({code: 'yaml-syntax', file: 'advanced.yaml'});
	});
});

describe('updateTenantConfigFromFile', () => {
	const current = build().config;

	it('merges a partial file and keeps name and creation metadata', () => {
		const result = updateTenantConfigFromFile(current, 'update.yaml', 'spec:\n  limits:\n    maxStacks: 4\n');
		if (!result.ok) throw new Error(result.diagnostics[0]!.message);
		expect(result.config.spec.limits.maxStacks).toBe(4);
		expect(result.config.metadata).toEqual(current.metadata);
	});

	it('refuses a rename and an invalid result', () => {
		const renamed = updateTenantConfigFromFile(
			current,
			'update.yaml',
			'apiVersion: admin.panka.io/v1\nkind: TenantConfig\nmetadata:\n  name: other-team\n',
		);
		expect(renamed.ok ? [] : renamed.diagnostics).toContainEqual(
			expect.objectContaining({
				code: 'tenant-mismatch',
				file: 'update.yaml',
				line: 4,
				message: expect.stringContaining('but the tenant being updated is'),
				hint: expect.stringContaining('a tenant cannot be renamed'),
			}),
		);
		const outside = updateTenantConfigFromFile(current, 'update.yaml', 'spec:\n  networking:\n    vpc:\n      cidrBlock: 10.7.0.0/16\n');
		expect(outside.ok ? [] : outside.diagnostics).toContainEqual(
			expect.objectContaining({
				file: 'update.yaml',
				message: expect.stringMatching(/subnet 10\.0\.1\.0\/24 is outside the VPC 10\.7\.0\.0\/16/),
			}),
		);
	});
});
