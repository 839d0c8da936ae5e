/**
 * The ownership rule, run against every kind in the registry (a kind added without a sample in
 * test/helpers/kind-samples.ts fails here), on moto, with two tenants in one AWS account.
 *
 * A victim component (tenant acme, stack shop, env prod2, component orders-q) is created. Then
 * an attacker is handed the victim's physical names, as panka 0.1's colliding names (or a hash
 * collision) would hand them: first all of them, then one role at a time next to its own names.
 * The attackers are another tenant (acme-shop, stack prod2, env orders, component q: the identity
 * whose 0.1 names were the victim's) and another component of the victim's own stack. Whatever the
 * attacker tries — find (adopt a crashed create), create, read, update, delete — is refused with
 * OwnedElsewhere, and after every attempt the victim's resources are checked through AWS describe
 * calls (not through panka): each one still there, with the victim's tags, and the victim's
 * provider still reads the same configuration. Roles whose names are unique only inside another
 * VPC or another stack's cluster or namespace are tried by the attacker that shares that scope;
 * the stack's shared cluster is the same stack's to use. Finally each side deletes its own.
 */
import {mkdtemp, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {DescribeVpcsCommand, EC2Client} from '@aws-sdk/client-ec2';
import {beforeAll, describe, expect, it} from 'vitest';
import type {AwsClients} from '../../../engine/aws/aws-clients.js';
import {discoveryNamespaceName} from '../../../engine/kinds/microservice/discovery.js';
import {kindNames, kindRegistry} from '../../../engine/kinds/registry.js';
import {ensureStackSecurityGroup} from '../../../engine/networking/stack-security-group.js';
import {provisionTenantNetwork} from '../../../engine/networking/tenant-network.js';
import {networkingIds} from '../../../engine/networking/tenant-network-state.js';
import type {AppliedResource, NetworkingIds, Provider} from '../../../engine/providers/provider.js';
import {isOwnedBy, ownedElsewhereCode} from '../../../engine/providers/resource-tags.js';
import type {NameIdentity} from '../../../engine/resolve/physical-names.js';
import type {StateResource} from '../../../engine/state/state-document.js';
import {kindSample, type NameScope, namedResource} from '../../helpers/kind-samples.js';
import {describeAws, useMoto} from '../../helpers/moto.js';
import {parsedSpec, resourceContext} from '../../helpers/resource-context.js';
import {contractTenant, fastWait} from '../networking/network-test-helpers.js';

const account = '123456789012';
const victim: NameIdentity = {tenant: 'acme', stack: 'shop', env: 'prod2', component: 'orders-q', accountId: account};
const attackers = {
	'another tenant': {tenant: 'acme-shop', stack: 'prod2', env: 'orders', component: 'q', accountId: account},
	'another component of the same stack': {...victim, component: 'orders-q-dlq'},
} satisfies Record<string, NameIdentity>;

/** Does the attacker share the scope a name is unique in with the victim (so a collision is possible at all)? */
function sharesScope(attacker: NameIdentity, scope: NameScope): boolean {
	if (scope === 'account') return true;
	if (scope === 'vpc') return attacker.tenant === victim.tenant;
	return attacker.tenant === victim.tenant && attacker.stack === victim.stack && attacker.env === victim.env;
}

describeAws('ownership conformance: no provider adopts, reads, changes or deletes what another tenant or component owns', () => {
	const moto = useMoto({managedPolicies: true, env: {MOTO_ECS_SERVICE_RUNNING: '2'}});
	let clients: AwsClients;
	let codeDir: string;
	const networks = new Map<string, NetworkingIds>();

	beforeAll(async () => {
		clients = moto.clients();
		await clients.get(EC2Client).send(new DescribeVpcsCommand({})); // moto loads EC2 lazily
		for (const tenant of [victim.tenant, attackers['another tenant'].tenant]) {
			const network = await provisionTenantNetwork(contractTenant(tenant, {natGateway: {enabled: false}}), {clients, wait: fastWait});
			const stackGroups = new Map<string, string>();
			for (const identity of [victim, ...Object.values(attackers)].filter((i) => i.tenant === tenant)) {
				const key = `${identity.stack}/${identity.env}`;
				if (stackGroups.has(key)) continue;
				const tags = {
					'panka:tenant': tenant,
					'panka:stack': identity.stack,
					'panka:env': identity.env,
					'panka:component': 'stack-security-group',
				};
				const {groupId} = await ensureStackSecurityGroup(
					{clients, signal: new AbortController().signal, wait: fastWait, tags},
					{
						name: `${tenant}-${identity.stack}-${identity.env}-sg`,
						vpcId: network.vpcId,
						tenantSecurityGroupId: network.defaultSecurityGroupId,
						ingress: [],
					},
				);
				stackGroups.set(key, groupId);
				networks.set(tenant, networkingIds(network, groupId));
			}
		}
		codeDir = await mkdtemp(path.join(tmpdir(), 'panka-conformance-'));
		await writeFile(path.join(codeDir, 'index.js'), 'exports.handler = async () => ({ok: true});\n');
	}, 120_000);

	/** One component of `kind` for `identity`: its spec, a context (optionally with other names), and what the state would record. */
	async function actor(kind: string, identity: NameIdentity) {
		const sample = kindSample(kind);
		const spec = parsedSpec(kind, sample.spec);
		const references: Record<string, Record<string, unknown>> = {};
		for (const need of sample.needs ?? []) {
			const needSpec = parsedSpec(need.kind, need.spec);
			const needIdentity = {...identity, component: need.component};
			const provider = (await kindRegistry.get(need.kind)!.provider!()) as Provider<unknown>;
			references[need.component] = (await provider.create(resourceContext(need.kind, needIdentity, needSpec, clients), needSpec)).outputs;
		}
		const context = (names?: Readonly<Record<string, string>>) =>
			resourceContext(kind, identity, spec, clients, {
				...(names ? {names} : {}),
				...(sample.vpc ? {networking: networks.get(identity.tenant)!} : {}),
				...(sample.codeFolder ? {serviceDir: codeDir} : {}),
				references,
			});
		const record = (applied: AppliedResource, names: Readonly<Record<string, string>>): StateResource => ({
			kind,
			type: kindRegistry.get(kind)!.awsType,
			service: 'svc',
			name: identity.component,
			physicalId: applied.physicalId,
			status: 'ready',
			inputs: {...(spec as Record<string, unknown>), tags: context().tags, physicalNames: names},
			outputs: applied.outputs,
			physicalNames: {...names},
			dependsOn: [],
			createdAt: '',
			updatedAt: '',
		});
		return {spec, context, record, names: context().names};
	}

	for (const kind of kindNames) {
		describe(kind, () => {
			let provider: Provider<unknown>;
			let owner: Awaited<ReturnType<typeof actor>>;
			let owned: StateResource;
			let before: string;

			/** Every part of the victim, as AWS describes it (tags), and as its own provider reads it. */
			async function victimAsAwsHasIt(): Promise<string> {
				const parts: Record<string, unknown> = {};
				const where = {
					names: owner.names,
					vpcId: networks.get(victim.tenant)?.vpcId,
					namespace: discoveryNamespaceName({}, owner.context().tags),
					region: 'us-east-1',
					accountId: account,
				};
				const shared = kindRegistry.get(kind)!.sharedNameRoles ?? [];
				const {'panka:tenant': tenant, 'panka:stack': stack, 'panka:env': env} = owner.context().tags;
				for (const [role, name] of Object.entries(owner.names)) {
					const tags = await namedResource(kind, role).tags(clients, name, where);
					expect(tags, `${kind} ${role} ${name} is gone`).toBeDefined();
					// A part the stack shares carries the stack's identity, not the component's.
					const expected = shared.includes(role)
						? {'panka:tenant': tenant!, 'panka:stack': stack!, 'panka:env': env!}
						: owner.context().tags;
					expect(isOwnedBy(tags!, expected), `${kind} ${role} ${name} was re-tagged: ${JSON.stringify(tags)}`).toBe(true);
					parts[role] = tags;
				}
				const read = await provider.read(owner.context(), owned);
				expect(read.exists).toBe(true);
				return JSON.stringify({parts, observed: read.exists ? read.observed : undefined});
			}

			/** How the attempt ended (`succeeded`, or the error's code), once the victim is found exactly as it was. */
			async function untouched(attempt: Promise<unknown>, what: string): Promise<string | undefined> {
				const code = await attempt.then(
					() => 'succeeded',
					(error: {code?: string}) => error.code,
				);
				expect(await victimAsAwsHasIt(), `${what}: the victim changed`).toBe(before);
				return code;
			}

			/** The attempt is refused with OwnedElsewhere, and the victim is exactly as it was. */
			async function refused(attempt: Promise<unknown>, what: string): Promise<void> {
				expect(await untouched(attempt, what), what).toBe(ownedElsewhereCode);
			}

			beforeAll(async () => {
				provider = (await kindRegistry.get(kind)!.provider!()) as Provider<unknown>;
				owner = await actor(kind, victim);
				owned = owner.record(await provider.create(owner.context(), owner.spec), owner.names);
				before = await victimAsAwsHasIt();
			}, 180_000);

			for (const [relation, identity] of Object.entries(attackers))
				it(`refuses ${relation} every attempt on its resources, all names at once and part by part`, async () => {
					const attacker = await actor(kind, identity);
					const shared = new Set(kindRegistry.get(kind)!.sharedNameRoles ?? []);
					const sameStack = identity.tenant === victim.tenant && identity.stack === victim.stack && identity.env === victim.env;
					const roles = Object.keys(owner.names).filter(
						(role) => sharesScope(identity, namedResource(kind, role).scope) && !(sameStack && shared.has(role)),
					);
					expect(roles.length).toBeGreaterThan(0);

					// Every name the victim's, and its outputs recorded as the attacker's (what a state holds after 0.1
					// adopted the victim's resource): a crashed create is not adopted, nothing is created, read, updated or deleted.
					const stolen = attacker.context(owner.names);
					expect(await provider.find(stolen, attacker.spec)).toBeUndefined();
					const asRecorded = {...owned, inputs: {...owned.inputs, tags: stolen.tags}};
					await refused(provider.create(stolen, attacker.spec), `${relation}: create with all its names`);
					await refused(provider.read(stolen, asRecorded), `${relation}: read with all its names`);
					await refused(provider.update(stolen, attacker.spec, asRecorded), `${relation}: update with all its names`);
					await refused(provider.delete(stolen, asRecorded), `${relation}: delete with all its names`);

					// One name at a time next to the attacker's own: a create goes by names, so every part is checked, not
					// only the primary. Updates and deletes also go by the IDs and ARNs the attacker recorded (its own here):
					// refused where they reach the victim's part, and never touching it either way.
					const mixed = (role: string) => ({...attacker.names, [role]: owner.names[role]!});
					for (const role of roles)
						await refused(provider.create(attacker.context(mixed(role)), attacker.spec), `${relation}: create with its ${role}`);
					const mine = await provider.create(attacker.context(), attacker.spec);
					const outcomes: Record<string, string | undefined> = {};
					for (const role of roles) {
						const context = attacker.context(mixed(role));
						outcomes[`update ${role}`] = await untouched(
							provider.update(context, attacker.spec, attacker.record(mine, mixed(role))),
							`${relation}: update with its ${role}`,
						);
					}
					for (const role of roles) {
						const context = attacker.context(mixed(role));
						outcomes[`delete ${role}`] = await untouched(
							provider.delete(context, attacker.record(mine, mixed(role))),
							`${relation}: delete with its ${role}`,
						);
					}
					for (const [attempt, code] of Object.entries(outcomes))
						expect([ownedElsewhereCode, 'succeeded'], `${relation}: ${attempt}`).toContain(code);
					// Its own resources are the attacker's to delete.
					await provider.delete(attacker.context(), attacker.record(mine, attacker.names));
					expect(await victimAsAwsHasIt()).toBe(before);
				}, 300_000);

			it('lets its owner delete it, every part', async () => {
				await provider.delete(owner.context(), owned);
				const where = {names: owner.names, vpcId: networks.get(victim.tenant)?.vpcId, region: 'us-east-1', accountId: account};
				for (const [role, name] of Object.entries(owner.names)) {
					// The stack's cluster stays while another service of the stack could use it; nothing else does.
					if (kindRegistry.get(kind)!.sharedNameRoles?.includes(role)) continue;
					expect(await namedResource(kind, role).tags(clients, name, where), `${kind} ${role} ${name}`).toBeUndefined();
				}
			}, 180_000);
		});
	}
});
