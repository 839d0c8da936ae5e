/**
 * The tenant registry on both backends: created only by admin init, changed only by
 * compare-and-swap, and never replaced when it is missing, unparsable or unreadable (the old tool
 * wrote a fresh empty registry over it on any read error and lost every tenant).
 */
import {HeadBucketCommand} from '@aws-sdk/client-s3';
import {describe, expect, it} from 'vitest';
import {type Backend, registryKey} from '../../../engine/state/backend.js';
import type {S3BlobStore} from '../../../engine/state/s3-blob-store.js';
import {initBackend} from '../../../engine/tenants/bootstrap.js';
import {NotAdminError, RegistryError, TenantError} from '../../../engine/tenants/errors.js';
import {readRegistry, updateRegistry} from '../../../engine/tenants/registry.js';
import {buildTenantConfig} from '../../../engine/tenants/tenant-init.js';
import {createTenant, listTenants} from '../../../engine/tenants/tenants.js';
import {backendKinds, useBackend} from '../../helpers/backend-fixture.js';

const admin = 'arn:aws:sts::123456789012:user/admin';

function s3Of(backend: Backend) {
	return backend.spec.kind === 's3' ? {s3: (backend.store as S3BlobStore).s3} : {};
}

function tenantConfig(name: string) {
	const built = buildTenantConfig({
		name,
		accountId: '123456789012',
		region: 'us-east-1',
		createdBy: admin,
		createdAt: '2026-11-26T10:00:00Z',
	});
	if (!built.ok) throw new Error('bad test config');
	return built.config;
}

async function everyKey(backend: Backend): Promise<string[]> {
	return backend.store.list('');
}

describe.each(backendKinds)('%s backend: the tenant registry', (kind) => {
	const fixture = useBackend(kind);

	it('is created by admin init with the admin recorded; init again by the admin changes nothing; anyone else is refused', async () => {
		const {backend} = fixture;
		const first = await initBackend(backend, {identity: admin, ...s3Of(backend)});
		expect(first).toMatchObject({alreadyInitialised: false, admins: [admin]});
		const {registry, etag} = await readRegistry(backend);
		expect(registry).toMatchObject({apiVersion: 'admin.panka.io/v1', kind: 'TenantRegistry', admins: [{identity: admin}], tenants: []});
		expect(await initBackend(backend, {identity: admin, ...s3Of(backend)})).toMatchObject({alreadyInitialised: true});
		await expect(initBackend(backend, {identity: 'mallory@laptop', ...s3Of(backend)})).rejects.toBeInstanceOf(NotAdminError);
		expect((await readRegistry(backend)).etag).toBe(etag);
	});

	it('missing on an empty backend is an error that says to run admin init, and nothing is written', async () => {
		const {backend} = fixture;
		await expect(readRegistry(backend)).rejects.toThrow(/no tenant registry on .*tenants\.yaml does not exist/);
		await expect(createTenant(backend, tenantConfig('acme'), {identity: admin})).rejects.toBeInstanceOf(RegistryError);
		expect(await everyKey(backend)).toEqual([]);
	});

	it('missing on a backend with tenant data is an error, and neither a command nor admin init writes a fresh one', async () => {
		const {backend} = fixture;
		await initBackend(backend, {identity: admin, ...s3Of(backend)});
		await createTenant(backend, tenantConfig('acme'), {identity: admin});
		await backend.store.delete(registryKey);
		const error = await readRegistry(backend).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(RegistryError);
		expect((error as RegistryError).message).toMatch(/tenants\.yaml on .* is missing, but the backend holds tenant data/);
		expect((error as RegistryError).hint).toMatch(/earlier versions are kept/);
		await expect(createTenant(backend, tenantConfig('globex'), {identity: admin})).rejects.toBeInstanceOf(RegistryError);
		await expect(updateRegistry(backend, (r) => r)).rejects.toBeInstanceOf(RegistryError);
		await expect(initBackend(backend, {identity: admin, ...s3Of(backend)})).rejects.toThrow(
			/refusing to create an empty registry|no tenants\.yaml/,
		);
		expect(await backend.store.get(registryKey)).toBeUndefined();
		expect(await everyKey(backend)).toEqual(['tenants/acme/tenant.yaml']);
	});

	it('unparsable is an error with its position, and is never overwritten', async () => {
		const {backend} = fixture;
		const broken = 'apiVersion: admin.panka.io/v1\nkind: TenantRegistry\nadmins: [\n';
		await backend.store.put(registryKey, broken);
		await expect(readRegistry(backend)).rejects.toThrow(/tenants\.yaml on .* is not a valid tenant registry: YAML error at line \d+/);
		await expect(createTenant(backend, tenantConfig('acme'), {identity: admin})).rejects.toBeInstanceOf(RegistryError);
		await expect(initBackend(backend, {identity: admin, ...s3Of(backend)})).rejects.toBeInstanceOf(RegistryError);
		expect((await backend.store.get(registryKey))?.body).toBe(broken);
		expect(await everyKey(backend)).toEqual([registryKey]);
	});

	it('of the wrong shape is an error naming the field', async () => {
		const {backend} = fixture;
		await backend.store.put(
			registryKey,
			'apiVersion: admin.panka.io/v1\nkind: TenantRegistry\nadmins: []\ntenants:\n  - name: acme\n    status: paused\n',
		);
		await expect(readRegistry(backend)).rejects.toThrow(/not a valid tenant registry: tenants\.0\.status/);
	});

	for (const unreadable of fixture.unreadableCases) {
		it.skipIf(unreadable.skip !== undefined)(`unreadable (${unreadable.what}) is an error, and nothing is written`, async () => {
			const {store} = await unreadable.arrange();
			const backend: Backend = {...fixture.backend, store, description: store.description};
			const error = await readRegistry(backend).catch((e: unknown) => e);
			expect(error).toBeInstanceOf(RegistryError);
			expect((error as Error).message).toMatch(/cannot read the tenant registry/);
			await expect(createTenant(backend, tenantConfig('acme'), {identity: admin})).rejects.toBeInstanceOf(RegistryError);
			await expect(updateRegistry(backend, (r) => r)).rejects.toBeInstanceOf(RegistryError);
			if (kind === 's3') {
				// Still no such bucket: nothing created it to write a registry into.
				await expect((store as S3BlobStore).s3.send(new HeadBucketCommand({Bucket: (store as S3BlobStore).bucket}))).rejects.toMatchObject({
					$metadata: {httpStatusCode: 404},
				});
			} else {
				await expect(store.get(registryKey)).rejects.toThrow();
			}
		});
	}

	it('compare-and-swap: concurrent changes all land, none is lost', async () => {
		const {backend} = fixture;
		await initBackend(backend, {identity: admin, ...s3Of(backend)});
		const names = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot'];
		await Promise.all(
			names.map((name) =>
				updateRegistry(
					backend,
					(registry) => {
						registry.tenants.push({name, status: 'active', createdAt: 'now', createdBy: admin, secretVersion: 1});
					},
					{attempts: 20},
				),
			),
		);
		expect((await listTenants(backend)).map((t) => t.name).sort()).toEqual(names);
	});

	it('a change that keeps losing the race gives up after a few attempts and writes nothing of its own', async () => {
		const {backend} = fixture;
		await initBackend(backend, {identity: admin, ...s3Of(backend)});
		let attempts = 0;
		const error = await updateRegistry(backend, async (registry) => {
			attempts++;
			// Someone else writes between our read and our write, every time.
			const current = await backend.store.get(registryKey);
			await backend.store.put(registryKey, `${current!.body}# touched ${attempts}\n`);
			registry.tenants.push({name: 'loser', status: 'active', createdAt: 'now', createdBy: admin, secretVersion: 1});
		}).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(TenantError);
		expect((error as Error).message).toMatch(/kept changing under this update \(5 attempts\)/);
		expect(attempts).toBe(5);
		expect(await listTenants(backend)).toEqual([]);
	});
});
