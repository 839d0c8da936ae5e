/**
 * Physical names are injective: different (tenant, stack, env, component, role) never share an
 * AWS name, whoever chooses the names, for every kind in the registry and every role it names.
 */
import {describe, expect, it} from 'vitest';
import {kindNames, kindRegistry} from '../../../engine/kinds/registry.js';
import {sqsKind} from '../../../engine/kinds/sqs.js';
import {type NameIdentity, nameRules, physicalName} from '../../../engine/resolve/physical-names.js';
import {kindSample, namedResource} from '../../helpers/kind-samples.js';
import {parsedSpec} from '../../helpers/resource-context.js';

/** The two identities of the issue: one readable name under panka 0.1's rule. */
const acme: NameIdentity = {tenant: 'acme', stack: 'shop', env: 'prod2', component: 'orders-q'};
const acmeShop: NameIdentity = {tenant: 'acme-shop', stack: 'prod2', env: 'orders', component: 'q'};

const queueNames = (identity: NameIdentity, deadLetterQueue = false) =>
	sqsKind.physicalNames(identity, parsedSpec('SQS', deadLetterQueue ? {deadLetterQueue: {enabled: true}} : {}));

/** Every way to cut `words` into tenant, stack, env and component (joined by hyphens inside a part). */
function cuts(words: readonly string[]): NameIdentity[] {
	const identities: NameIdentity[] = [];
	const n = words.length;
	for (let a = 1; a < n; a++)
		for (let b = a + 1; b < n; b++)
			for (let c = b + 1; c < n; c++) {
				const part = (from: number, to: number) => words.slice(from, to).join('-');
				identities.push({tenant: part(0, a), stack: part(a, b), env: part(b, c), component: part(c, n)});
			}
	return identities;
}

describe('physical names', () => {
	it("give tenant acme's queue and tenant acme-shop's queue different names (0.1 gave both acme-shop-prod2-orders-q)", () => {
		expect(queueNames({...acme, naming: 'legacy'}).primary).toBe('acme-shop-prod2-orders-q');
		expect(queueNames({...acmeShop, naming: 'legacy'}).primary).toBe('acme-shop-prod2-orders-q');
		const first = queueNames(acme).primary;
		const second = queueNames(acmeShop).primary;
		expect(first).not.toBe(second);
		// Still readable: the identity, then a short hash of it.
		expect(first).toMatch(/^acme-shop-prod2-orders-q-[0-9a-f]{8}$/);
		expect(second).toMatch(/^acme-shop-prod2-orders-q-[0-9a-f]{8}$/);
	});

	it('never give component x-dlq the dead-letter queue of x (0.1 did: removing x deleted it)', () => {
		const x = {tenant: 'acme', stack: 'shop', env: 'prod', component: 'orders'};
		const xDlq = {...x, component: 'orders-dlq'};
		expect(queueNames({...x, naming: 'legacy'}, true).deadLetterQueue).toBe(queueNames({...xDlq, naming: 'legacy'}).primary);
		expect(queueNames(x, true).deadLetterQueue).toBe('acme-shop-prod-orders-dlq');
		expect(queueNames(xDlq).primary).toMatch(/^acme-shop-prod-orders-dlq-[0-9a-f]{8}$/);
	});

	it('stay exactly as they were when every part is plain letters and digits', () => {
		const plain = {tenant: 'acme', stack: 'shop', env: 'prod', component: 'orders'};
		for (const rule of Object.values(nameRules)) {
			if ('alwaysHash' in rule) continue;
			expect(physicalName(plain, rule, 'dlq')).toBe(physicalName({...plain, naming: 'legacy'}, rule, 'dlq'));
		}
		expect(physicalName(plain, nameRules.sqsQueue)).toBe('acme-shop-prod-orders');
	});

	it('salt the hash with the account only where the namespace is global (S3)', () => {
		const account = (accountId: string) => ({...acme, accountId});
		expect(physicalName(account('111111111111'), nameRules.sqsQueue)).toBe(physicalName(account('222222222222'), nameRules.sqsQueue));
		expect(physicalName(account('111111111111'), nameRules.s3Bucket)).not.toBe(physicalName(account('222222222222'), nameRules.s3Bucket));
	});

	it('are injective for every kind and role: every cut of the same words names different resources in every AWS namespace', () => {
		const identities = [
			...cuts(['acme', 'shop', 'prod2', 'orders', 'q', 'dlq']),
			...cuts(['acme', 'shop', 'prod', 'stack', 'sg']),
			...cuts(['abc', 'alb', 'tg', 'task', 'role']),
			{tenant: 'acme', stack: 'shop', env: 'prod', component: 'cluster'},
			{tenant: 'acme', stack: 'shop', env: 'prod', component: 'stack'},
		];
		expect(identities).toHaveLength(20);
		expect(collisions(identities)).toEqual([]);
		// The same check finds the clashes of panka 0.1's rule, so it can fail.
		expect(collisions(identities.map((identity) => ({...identity, naming: 'legacy' as const}))).length).toBeGreaterThan(10);
	});
});

/** Names that two different owners get in one AWS namespace, over every kind and role of the registry. */
function collisions(identities: readonly NameIdentity[]): string[] {
	const owners = new Map<string, string>();
	const found: string[] = [];
	for (const kind of kindNames) {
		const definition = kindRegistry.get(kind)!;
		const spec = parsedSpec(kind, kindSample(kind).spec);
		const shared = new Set(definition.sharedNameRoles ?? []);
		for (const identity of identities) {
			const stack = `${identity.tenant}|${identity.stack}|${identity.env}`;
			for (const [role, name] of Object.entries(definition.physicalNames(identity, spec))) {
				const resource = namedResource(kind, role);
				// A shared role names the stack's resource: its owner is the stack, not the component.
				const owner = shared.has(role) ? `${stack}|(stack)` : `${stack}|${identity.component}`;
				const scope = resource.scope === 'account' ? '' : resource.scope === 'vpc' ? identity.tenant : stack;
				const key = `${resource.type}|${scope}|${name}`;
				const previous = owners.get(key);
				if (previous === undefined) owners.set(key, owner);
				// One component has one kind, so the same owner under two kinds is not a clash.
				else if (previous !== owner) found.push(`${resource.type} ${name}: ${previous} and ${owner} (${kind}.${role})`);
			}
		}
	}
	return found;
}
