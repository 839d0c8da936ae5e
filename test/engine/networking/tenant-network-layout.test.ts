/** The desired network derived from a TenantConfig: role names, NAT placement, route tables, refusals. Pure, no AWS. */
import {describe, expect, it} from 'vitest';
import {azLetter, componentTags, layoutComponents, tenantNetworkLayout} from '../../../engine/networking/tenant-network-layout.js';
import {contractTenant} from './network-test-helpers.js';

describe('tenantNetworkLayout', () => {
	it('names every resource of the contract tenant by a stable role, in config order', () => {
		const layout = tenantNetworkLayout(contractTenant('notifications-team'));
		expect(layoutComponents(layout)).toEqual([
			'vpc',
			'subnet-public-a',
			'subnet-public-b',
			'subnet-private-a',
			'subnet-private-b',
			'igw',
			'eip-nat-a',
			'nat-a',
			'rtb-public',
			'rtb-private',
			'sg-default',
		]);
		expect(layout.defaultSecurityGroup).toMatchObject({name: 'notifications-team-default-sg', allowSelf: true});
	});

	it('single: one NAT gateway in the first public subnet; one shared private route table → it', () => {
		const layout = tenantNetworkLayout(contractTenant('acme'));
		expect(layout.natGateways).toEqual([
			{component: 'nat-a', addressComponent: 'eip-nat-a', az: 'us-east-1a', subnetComponent: 'subnet-public-a'},
		]);
		expect(layout.routeTables).toEqual([
			{
				component: 'rtb-public',
				tier: 'public',
				subnetComponents: ['subnet-public-a', 'subnet-public-b'],
				defaultRoute: {target: 'internet-gateway'},
			},
			{
				component: 'rtb-private',
				tier: 'private',
				subnetComponents: ['subnet-private-a', 'subnet-private-b'],
				defaultRoute: {target: 'nat-gateway', natComponent: 'nat-a'},
			},
		]);
	});

	it('per-az: one NAT gateway per AZ in that AZ’s public subnet; one private route table per AZ → its NAT', () => {
		const layout = tenantNetworkLayout(contractTenant('acme', {natGateway: {enabled: true, type: 'per-az'}}));
		expect(layout.natGateways.map((n) => [n.component, n.subnetComponent])).toEqual([
			['nat-a', 'subnet-public-a'],
			['nat-b', 'subnet-public-b'],
		]);
		expect(layout.routeTables.slice(1)).toEqual([
			{
				component: 'rtb-private-a',
				tier: 'private',
				az: 'us-east-1a',
				subnetComponents: ['subnet-private-a'],
				defaultRoute: {target: 'nat-gateway', natComponent: 'nat-a'},
			},
			{
				component: 'rtb-private-b',
				tier: 'private',
				az: 'us-east-1b',
				subnetComponents: ['subnet-private-b'],
				defaultRoute: {target: 'nat-gateway', natComponent: 'nat-b'},
			},
		]);
	});

	it('without NAT: no NAT gateway, no Elastic IP, and the private route table has no default route', () => {
		const layout = tenantNetworkLayout(contractTenant('acme', {natGateway: {enabled: false}}));
		expect(layout.natGateways).toEqual([]);
		expect(layout.routeTables[1]).toEqual({
			component: 'rtb-private',
			tier: 'private',
			subnetComponents: ['subnet-private-a', 'subnet-private-b'],
		});
	});

	it('numbers a second subnet of the same tier in the same AZ, and names local zones after their suffix', () => {
		const layout = tenantNetworkLayout(
			contractTenant('acme', {
				subnets: {
					public: [{cidrBlock: '10.0.1.0/24', availabilityZone: 'us-east-1a'}],
					private: [
						{cidrBlock: '10.0.10.0/24', availabilityZone: 'us-east-1a'},
						{cidrBlock: '10.0.11.0/24', availabilityZone: 'us-east-1a'},
					],
				},
			}),
		);
		expect(layout.subnets.map((s) => s.component)).toEqual(['subnet-public-a', 'subnet-private-a', 'subnet-private-a-2']);
		expect(azLetter('us-west-2', 'us-west-2-lax-1a')).toBe('lax-1a');
	});

	it('refuses what AWS cannot build, before any call: NAT without internet gateway, per-az without a public subnet in a private AZ', () => {
		expect(() => tenantNetworkLayout(contractTenant('acme', {internetGateway: {enabled: false}}))).toThrow(
			/NAT gateway needs the internet gateway/,
		);
		const lopsided = contractTenant('acme', {
			natGateway: {enabled: true, type: 'per-az'},
			subnets: {
				public: [{cidrBlock: '10.0.1.0/24', availabilityZone: 'us-east-1a'}],
				private: [{cidrBlock: '10.0.20.0/24', availabilityZone: 'us-east-1b'}],
			},
		});
		expect(() => tenantNetworkLayout(lopsided)).toThrow(
			expect.objectContaining({code: 'InvalidNetworkConfig', message: expect.stringMatching(/public subnet in us-east-1b/)}),
		);
	});

	it('tags each resource with the tenant’s default tags, panka:tenant, its role and a Name; panka:* defaults cannot override them', () => {
		const config = contractTenant('acme');
		config.spec.defaultTags = {'cost-center': 'platform', 'panka:tenant': 'spoofed'};
		const layout = tenantNetworkLayout(config);
		expect(componentTags(layout, 'nat-a')).toEqual({
			'cost-center': 'platform',
			'panka:tenant': 'acme',
			'panka:component': 'nat-a',
			Name: 'acme-nat-a',
		});
	});
});
