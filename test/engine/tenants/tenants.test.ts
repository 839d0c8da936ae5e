/**
 * Tenant operations on both backends, as specifications: create shows the secret once and stores
 * only its hash; authentication fails one generic way; suspension, rotation and deletion act on
 * the next check; delete refuses deployed stacks unless forced and archives instead of destroying;
 * a tenant session can only address its own prefix.
 */
import {describe, expect, it} from 'vitest';
import {type Backend, registryKey, stateKey, tenantConfigKey} from '../../../engine/state/backend.js';
import type {S3BlobStore} from '../../../engine/state/s3-blob-store.js';
import {emptyState} from '../../../engine/state/state-document.js';
import {initBackend} from '../../../engine/tenants/bootstrap.js';
import {AuthenticationError, authenticationFailedMessage, NotAdminError, TenantError} from '../../../engine/tenants/errors.js';
import {readRegistry, updateRegistry} from '../../../engine/tenants/registry.js';
import {buildTenantConfig} from '../../../engine/tenants/tenant-init.js';
import {openSession, type SessionClaim} from '../../../engine/tenants/sessions.js';
import {TenantIsolationError, tenantScopedBackend} from '../../../engine/tenants/tenant-scope.js';
import {
	authenticateTenant,
	checkTenantSession,
	createTenant,
	deleteTenant,
	readTenantConfig,
	rotateTenantSecret,
	setTenantStatus,
	showTenant,
	stacksInUse,
	updateTenantConfig,
} from '../../../engine/tenants/tenants.js';
import {backendKinds, useBackend} from '../../helpers/backend-fixture.js';

const admin = 'root@build-host';
const actor = {identity: admin, now: () => new Date('2026-11-26T10:00:00.000Z')};

function tenantConfig(name: string) {
	const built = buildTenantConfig({
		name,
		accountId: '123456789012',
		region: 'us-east-1',
		natGateway: true,
		createdBy: admin,
		createdAt: '2026-11-26T10:00:00Z',
	});
	if (!built.ok) throw new Error('bad test config');
	return built.config;
}

async function setUp(backend: Backend) {
	await initBackend(backend, {identity: admin, ...(backend.spec.kind === 's3' ? {s3: (backend.store as S3BlobStore).s3} : {})});
}

async function deployedState(backend: Backend, tenant: string, stack: string, environment: string, resources: number) {
	const state = emptyState({tenant, stack, environment});
	for (let i = 0; i < resources; i++)
		state.resources[`api/queue-${i}`] = {
			kind: 'SQS',
			type: 'AWS::SQS::Queue',
			service: 'api',
			name: `queue-${i}`,
			physicalId: `https://sqs/queue-${i}`,
			status: 'ready',
			inputs: {},
			outputs: {},
			physicalNames: {},
			dependsOn: [],
			createdAt: 'now',
			updatedAt: 'now',
		};
	await backend.store.put(stateKey({tenant, stack, environment}), JSON.stringify({...state, serial: 1}));
}

const now = actor.now();

/** `panka login`: authenticate, then open a session on the backend; the claim a session file holds. */
async function login(backend: Backend, tenant: string, secret: string): Promise<SessionClaim> {
	const {entry} = await authenticateTenant(backend, tenant, secret);
	const session = await openSession(backend, tenant, {secretVersion: entry.secretVersion, now, ttlMs: 12 * 3_600_000});
	return {tenant, id: session.id, token: session.token};
}

describe.each(backendKinds)('%s backend: tenants', (kind) => {
	const fixture = useBackend(kind);

	it('create returns the secret once; the registry holds only its hash; tenant.yaml holds the config', async () => {
		const {backend} = fixture;
		await setUp(backend);
		const created = await createTenant(backend, tenantConfig('acme'), actor);
		expect(created.secret).toMatch(/^pnk_/);
		expect(created.entry).toMatchObject({name: 'acme', status: 'active', secretVersion: 1, createdBy: admin});
		const registryText = (await backend.store.get(registryKey))!.body;
		expect(registryText).not.toContain(created.secret);
		expect(registryText).not.toContain(created.secret.slice(4));
		expect((await readTenantConfig(backend, 'acme')).config).toEqual(tenantConfig('acme'));
		expect(created.configFile).toBe(`tenants/acme/tenant.yaml on ${backend.description}`);
	});

	it('create refuses an existing name, a bad name and a caller who is not an admin', async () => {
		const {backend} = fixture;
		await setUp(backend);
		await createTenant(backend, tenantConfig('acme'), actor);
		await expect(createTenant(backend, tenantConfig('acme'), actor)).rejects.toThrow(/tenant acme already exists/);
		await expect(createTenant(backend, {...tenantConfig('acme'), metadata: {name: '../x'}}, actor)).rejects.toThrow(/path separator/);
		await expect(createTenant(backend, tenantConfig('globex'), {identity: 'mallory@laptop'})).rejects.toBeInstanceOf(NotAdminError);
		expect(await backend.store.get(tenantConfigKey('globex'))).toBeUndefined();
	});

	it('authenticates the right secret; a wrong secret, an unknown and a deleted tenant get the same generic error', async () => {
		const {backend} = fixture;
		await setUp(backend);
		const {secret} = await createTenant(backend, tenantConfig('acme'), actor);
		const {secret: gone} = await createTenant(backend, tenantConfig('gone-team'), actor);
		await deleteTenant(backend, 'gone-team', actor);
		const ok = await authenticateTenant(backend, 'acme', secret);
		expect(ok.entry.name).toBe('acme');
		const failures = await Promise.all([
			authenticateTenant(backend, 'acme', `${secret}x`).catch((e: unknown) => e),
			authenticateTenant(backend, 'nobody-here', secret).catch((e: unknown) => e),
			authenticateTenant(backend, 'gone-team', gone).catch((e: unknown) => e),
		]);
		for (const failure of failures) {
			expect(failure).toBeInstanceOf(AuthenticationError);
			expect((failure as Error).message).toBe(authenticationFailedMessage);
		}
	});

	it('suspension acts on the next check, and says so only to the holder of the right secret', async () => {
		const {backend} = fixture;
		await setUp(backend);
		const {secret} = await createTenant(backend, tenantConfig('acme'), actor);
		const claim = await login(backend, 'acme', secret);
		await setTenantStatus(backend, 'acme', 'suspended', actor);
		await expect(checkTenantSession(backend, claim, now)).rejects.toThrow('tenant acme is suspended');
		await expect(authenticateTenant(backend, 'acme', secret)).rejects.toThrow('tenant acme is suspended');
		await expect(authenticateTenant(backend, 'acme', 'pnk_wrong')).rejects.toThrow(authenticationFailedMessage);
		expect(await setTenantStatus(backend, 'acme', 'suspended', actor)).toMatchObject({changed: false});
		await setTenantStatus(backend, 'acme', 'active', actor);
		expect((await checkTenantSession(backend, claim, now)).status).toBe('active');
	});

	it('rotation invalidates the old secret and every session at once', async () => {
		const {backend} = fixture;
		await setUp(backend);
		const {secret} = await createTenant(backend, tenantConfig('acme'), actor);
		const session = await login(backend, 'acme', secret);
		const rotated = await rotateTenantSecret(backend, 'acme', actor);
		expect(rotated.secretVersion).toBe(2);
		expect(rotated.secret).not.toBe(secret);
		await expect(authenticateTenant(backend, 'acme', secret)).rejects.toBeInstanceOf(AuthenticationError);
		await expect(checkTenantSession(backend, session, now)).rejects.toThrow('credentials were rotated: run panka login again');
		const fresh = await login(backend, 'acme', rotated.secret);
		// A forged session needs the token of a session the backend recorded.
		await expect(checkTenantSession(backend, {...fresh, token: session.token}, now)).rejects.toBeInstanceOf(AuthenticationError);
		expect((await checkTenantSession(backend, fresh, now)).secretVersion).toBe(2);
	});

	it('update rewrites tenant.yaml (name must match) and records who did it', async () => {
		const {backend} = fixture;
		await setUp(backend);
		await createTenant(backend, tenantConfig('acme'), actor);
		const changed = tenantConfig('acme');
		changed.spec.limits.maxStacks = 2;
		await updateTenantConfig(backend, 'acme', changed, actor);
		expect((await readTenantConfig(backend, 'acme')).config.spec.limits.maxStacks).toBe(2);
		expect((await showTenant(backend, 'acme')).entry).toMatchObject({updatedBy: admin, updatedAt: '2026-11-26T10:00:00.000Z'});
		await expect(updateTenantConfig(backend, 'acme', tenantConfig('globex'), actor)).rejects.toThrow(/names tenant "globex"/);
	});

	it('delete refuses while a stack has resources, operations in flight or a lock; --force archives it all', async () => {
		const {backend} = fixture;
		await setUp(backend);
		const {secret} = await createTenant(backend, tenantConfig('acme'), actor);
		const session = await login(backend, 'acme', secret);
		await deployedState(backend, 'acme', 'shop', 'production', 2);
		await deployedState(backend, 'acme', 'shop', 'staging', 0);
		await backend.store.put('tenants/acme/v1/stacks/billing/default/state.lock', '{"id":"l1"}');
		expect((await stacksInUse(backend, 'acme')).map((s) => `${s.stack}/${s.environment}`)).toEqual(['billing/default', 'shop/production']);
		const refused = await deleteTenant(backend, 'acme', actor).catch((e: unknown) => e);
		expect(refused).toBeInstanceOf(TenantError);
		expect((refused as Error).message).toBe(
			'tenant acme still has deployed stacks: billing/default (locked); shop/production (2 resources)',
		);
		expect((refused as TenantError).hint).toMatch(/--force/);
		expect((await readRegistry(backend)).registry.tenants[0]!.status).toBe('active');

		const deleted = await deleteTenant(backend, 'acme', {...actor, force: true});
		expect(deleted.archivedAs).toBe('tenants-archive/acme-20261126T100000Z/');
		expect(deleted.moved).toBe(5);
		expect(await backend.store.list('tenants/acme/')).toEqual([]);
		expect((await backend.store.list('tenants-archive/')).sort()).toEqual(
			[
				'tenants-archive/acme-20261126T100000Z/sessions.json',
				'tenants-archive/acme-20261126T100000Z/tenant.yaml',
				'tenants-archive/acme-20261126T100000Z/v1/stacks/billing/default/state.lock',
				'tenants-archive/acme-20261126T100000Z/v1/stacks/shop/production/state.json',
				'tenants-archive/acme-20261126T100000Z/v1/stacks/shop/staging/state.json',
			].sort(),
		);
		// The originals are kept as earlier versions too.
		expect((await backend.store.versions(tenantConfigKey('acme'))).length).toBeGreaterThan(0);
		const entry = (await readRegistry(backend)).registry.tenants[0]!;
		expect(entry).toMatchObject({status: 'deleted', archivedAs: deleted.archivedAs, deletedBy: admin});
		expect(entry.secret).toBeUndefined();
		await expect(checkTenantSession(backend, session, now)).rejects.toThrow(/tenant acme no longer exists/);
		await expect(deleteTenant(backend, 'acme', actor)).rejects.toThrow(/already deleted/);
	});

	it('a deleted name is reused only explicitly, continuing the secret version so old sessions stay dead', async () => {
		const {backend} = fixture;
		await setUp(backend);
		const {secret} = await createTenant(backend, tenantConfig('acme'), actor);
		const old = await login(backend, 'acme', secret);
		await deleteTenant(backend, 'acme', actor);
		await expect(createTenant(backend, tenantConfig('acme'), actor)).rejects.toThrow(/belonged to a deleted tenant/);
		const reborn = await createTenant(backend, tenantConfig('acme'), {...actor, reuseDeleted: true});
		expect(reborn.entry.secretVersion).toBe(2);
		expect(reborn.entry.previous).toEqual([expect.objectContaining({archivedAs: 'tenants-archive/acme-20261126T100000Z/'})]);
		// Its sessions were archived with it: the new tenant knows none of them.
		await expect(checkTenantSession(backend, old, now)).rejects.toThrow(/session ended/);
		await expect(authenticateTenant(backend, 'acme', secret)).rejects.toBeInstanceOf(AuthenticationError);
	});

	it('delete finishes a move that was interrupted after the registry was marked', async () => {
		const {backend} = fixture;
		await setUp(backend);
		await createTenant(backend, tenantConfig('acme'), actor);
		await deployedState(backend, 'acme', 'shop', 'staging', 0);
		await updateRegistry(backend, (r) => {
			const entry = r.tenants[0]!;
			entry.status = 'deleted';
			entry.archivedAs = 'tenants-archive/acme-20261126T090000Z/';
			delete entry.secret;
		});
		await backend.store.put('tenants-archive/acme-20261126T090000Z/tenant.yaml', (await backend.store.get(tenantConfigKey('acme')))!.body);
		const resumed = await deleteTenant(backend, 'acme', actor);
		expect(resumed).toMatchObject({resumed: true, archivedAs: 'tenants-archive/acme-20261126T090000Z/', moved: 2});
		expect(await backend.store.list('tenants/acme/')).toEqual([]);
	});

	it('a tenant-scoped backend addresses only tenants/{tenant}/', async () => {
		const {backend} = fixture;
		await setUp(backend);
		await createTenant(backend, tenantConfig('acme'), actor);
		await createTenant(backend, tenantConfig('globex'), actor);
		const scoped = tenantScopedBackend(backend, 'acme');
		expect((await readTenantConfig(scoped, 'acme')).config.metadata.name).toBe('acme');
		await scoped.store.put(stateKey({tenant: 'acme', stack: 'shop', environment: 'default'}), '{}');
		expect(await scoped.store.list('tenants/acme/')).toContain('tenants/acme/v1/stacks/shop/default/state.json');
		for (const key of [
			registryKey,
			tenantConfigKey('globex'),
			'tenants/acme/../globex/tenant.yaml',
			'tenants/acme',
			'tenants/acmex/tenant.yaml',
			'tenants-archive/x',
		])
			await expect(scoped.store.get(key)).rejects.toThrow(key.includes('..') ? /unsafe storage key/ : TenantIsolationError);
		await expect(scoped.store.put(tenantConfigKey('globex'), 'x')).rejects.toBeInstanceOf(TenantIsolationError);
		await expect(scoped.store.list('tenants/')).rejects.toBeInstanceOf(TenantIsolationError);
		await expect(scoped.store.delete(registryKey)).rejects.toBeInstanceOf(TenantIsolationError);
		await expect(readTenantConfig(scoped, 'globex')).rejects.toBeInstanceOf(TenantIsolationError);
		expect((await backend.store.get(tenantConfigKey('globex')))?.body).toMatch(/name: globex/);
	});
});
