/**
 * The emulator workarounds narrow an emulator's looser answer to what AWS itself answers, and
 * leave AWS's answer as it is.
 */
import {describe, expect, it} from 'vitest';
import {exactScalingMatch, liveEcsServices, privateNamespacesNamed, servicesInNamespace} from '../../../engine/aws/emulator-workarounds.js';

describe('emulator workarounds', () => {
	it('keeps the Cloud Map services of the namespace asked for (AWS summaries name none: all kept)', () => {
		const moto = [
			{Name: 'a', NamespaceId: 'ns-1'},
			{Name: 'b', NamespaceId: 'ns-2'},
		];
		expect(servicesInNamespace(moto, 'ns-1').map((s) => s.Name)).toEqual(['a']);
		expect(servicesInNamespace([{Name: 'a'}, {Name: 'b'}], 'ns-1')).toHaveLength(2);
	});

	it('keeps private DNS namespaces of the name asked for', () => {
		const listed = [
			{Name: 'acme.local', Type: 'DNS_PRIVATE'},
			{Name: 'acme.local', Type: 'HTTP'},
			{Name: 'other.local', Type: 'DNS_PRIVATE'},
		];
		expect(privateNamespacesNamed(listed, 'acme.local')).toEqual([{Name: 'acme.local', Type: 'DNS_PRIVATE'}]);
	});

	it('counts ACTIVE and DRAINING ECS services as live, never INACTIVE ones', () => {
		const services = [{status: 'ACTIVE'}, {status: 'DRAINING'}, {status: 'INACTIVE'}];
		expect(liveEcsServices(services).map((s) => s.status)).toEqual(['ACTIVE', 'DRAINING']);
	});

	it('finds the scaling policy of exactly that resource, not of one whose id contains it', () => {
		const policies = [
			{ResourceId: 'service/c/api-2', PolicyName: 'cpu'},
			{ResourceId: 'service/c/api', PolicyName: 'cpu'},
		];
		expect(exactScalingMatch(policies, 'service/c/api', 'cpu')).toBe(policies[1]);
		expect(exactScalingMatch(policies, 'service/c/api', 'memory')).toBeUndefined();
	});
});
