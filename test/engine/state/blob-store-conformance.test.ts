/**
 * The BlobStore contract (engine/state/blob-store.ts), one specification run against both
 * implementations: LocalBlobStore in a temp folder and S3BlobStore on moto with a versioned bucket.
 */
import {describe, expect, it} from 'vitest';
import {BackendError, type BlobStore, PreconditionFailedError} from '../../../engine/state/blob-store.js';
import {backendKinds, useBackend} from '../../helpers/backend-fixture.js';

const key = 'tenants/acme/tenant.yaml';

describe.each(backendKinds)('BlobStore contract: %s backend', (kind) => {
	const fixture = useBackend(kind);
	const store = (): BlobStore => fixture.backend.store;

	describe('get and put', () => {
		it('reads a key that was never written as undefined', async () => {
			expect(await store().get(key)).toBeUndefined();
		});

		it('reads back the body it wrote, with the etag the write returned', async () => {
			const {etag} = await store().put(key, 'name: acme\n');
			expect(await store().get(key)).toEqual({body: 'name: acme\n', etag});
			expect(etag).not.toBe('');
		});

		it('keeps text exactly, including non-ASCII and an empty body', async () => {
			await store().put(key, 'owner: "Zoë ✓"\n');
			expect((await store().get(key))?.body).toBe('owner: "Zoë ✓"\n');
			await store().put('tenants/acme/empty.yaml', '');
			expect(await store().get('tenants/acme/empty.yaml')).toMatchObject({body: ''});
		});

		it('gives a different etag whenever the body changes', async () => {
			const first = await store().put(key, 'version: 1\n');
			const second = await store().put(key, 'version: 2\n');
			expect(second.etag).not.toBe(first.etag);
			expect((await store().get(key))?.etag).toBe(second.etag);
		});
	});

	describe('conditional writes', () => {
		it('creates with ifNoneMatch only when the key does not exist, and then changes nothing', async () => {
			const {etag} = await store().put(key, 'first\n', {ifNoneMatch: true});
			await expect(store().put(key, 'second\n', {ifNoneMatch: true})).rejects.toBeInstanceOf(PreconditionFailedError);
			expect(await store().get(key)).toEqual({body: 'first\n', etag});
		});

		it('writes with ifMatch only on the current etag', async () => {
			const first = await store().put(key, 'v1\n');
			const second = await store().put(key, 'v2\n', {ifMatch: first.etag});
			await expect(store().put(key, 'v3 from a stale reader\n', {ifMatch: first.etag})).rejects.toBeInstanceOf(PreconditionFailedError);
			expect(await store().get(key)).toEqual({body: 'v2\n', etag: second.etag});
		});

		it('refuses ifMatch on a key that does not exist', async () => {
			await expect(store().put(key, 'v1\n', {ifMatch: '"0123456789abcdef"'})).rejects.toBeInstanceOf(PreconditionFailedError);
			expect(await store().get(key)).toBeUndefined();
		});

		it('lets exactly one of 8 concurrent creates win', async () => {
			const outcomes = await Promise.allSettled(Array.from({length: 8}, (_, i) => store().put(key, `writer ${i}\n`, {ifNoneMatch: true})));
			const winners = outcomes.flatMap((o, i) => (o.status === 'fulfilled' ? [i] : []));
			expect(winners).toHaveLength(1);
			for (const o of outcomes) if (o.status === 'rejected') expect(o.reason).toBeInstanceOf(PreconditionFailedError);
			expect((await store().get(key))?.body).toBe(`writer ${winners[0]}\n`);
		});

		it('lets exactly one of 8 concurrent writers on the same etag win', async () => {
			const {etag} = await store().put(key, 'base\n');
			const outcomes = await Promise.allSettled(Array.from({length: 8}, (_, i) => store().put(key, `writer ${i}\n`, {ifMatch: etag})));
			const winners = outcomes.flatMap((o, i) => (o.status === 'fulfilled' ? [i] : []));
			expect(winners).toHaveLength(1);
			for (const o of outcomes) if (o.status === 'rejected') expect(o.reason).toBeInstanceOf(PreconditionFailedError);
			expect((await store().get(key))?.body).toBe(`writer ${winners[0]}\n`);
		});
	});

	describe('delete', () => {
		it('removes a key, and deleting a missing key is not an error', async () => {
			await store().put(key, 'bye\n');
			await store().delete(key);
			expect(await store().get(key)).toBeUndefined();
			await expect(store().delete(key)).resolves.toBeUndefined();
		});

		it('deletes with ifMatch only on the current etag', async () => {
			const first = await store().put(key, 'v1\n');
			const second = await store().put(key, 'v2\n');
			await expect(store().delete(key, {ifMatch: first.etag})).rejects.toBeInstanceOf(PreconditionFailedError);
			expect(await store().get(key)).toEqual({body: 'v2\n', etag: second.etag});
			await store().delete(key, {ifMatch: second.etag});
			expect(await store().get(key)).toBeUndefined();
		});

		it('refuses ifMatch on a key that no longer exists', async () => {
			const {etag} = await store().put(key, 'v1\n');
			await store().delete(key);
			await expect(store().delete(key, {ifMatch: etag})).rejects.toBeInstanceOf(PreconditionFailedError);
		});
	});

	describe('list', () => {
		it('lists the keys under a prefix, recursively and sorted, and nothing else', async () => {
			for (const k of [
				'tenants/beta/tenant.yaml',
				'tenants/acme/v1/stacks/shop/prod/state.json',
				'tenants/acme/tenant.yaml',
				'tenants.yaml',
				'tenants-archive/acme/tenant.yaml',
			])
				await store().put(k, 'x\n');
			await store().put('tenants/acme/tenant.yaml', 'overwritten: keeps a previous version, which is not listed\n');
			expect(await store().list('tenants/acme/')).toEqual(['tenants/acme/tenant.yaml', 'tenants/acme/v1/stacks/shop/prod/state.json']);
			expect(await store().list('tenants/')).toEqual([
				'tenants/acme/tenant.yaml',
				'tenants/acme/v1/stacks/shop/prod/state.json',
				'tenants/beta/tenant.yaml',
			]);
		});

		it('lists nothing under a prefix that holds nothing, and drops deleted keys', async () => {
			expect(await store().list('tenants/nobody/')).toEqual([]);
			await store().put(key, 'x\n');
			await store().delete(key);
			expect(await store().list('tenants/')).toEqual([]);
		});
	});

	describe('versions', () => {
		it('keeps every earlier body on overwrite, newest first, each readable', async () => {
			for (const body of ['v1\n', 'v2\n', 'v3\n']) await store().put(key, body);
			const versions = await store().versions(key);
			expect(versions).toHaveLength(3);
			expect(versions.map((v) => v.latest)).toEqual([true, false, false]);
			expect(await Promise.all(versions.map((v) => store().getVersion(key, v.id)))).toEqual(['v3\n', 'v2\n', 'v1\n']);
			expect(versions[0]?.size).toBe(3);
			expect(Number.isNaN(Date.parse(versions[0]!.modified))).toBe(false);
		});

		it('keeps the deleted body after a delete', async () => {
			await store().put(key, 'v1\n');
			await store().put(key, 'v2\n');
			await store().delete(key);
			const versions = await store().versions(key);
			expect(versions.some((v) => v.latest)).toBe(false);
			expect(await Promise.all(versions.map((v) => store().getVersion(key, v.id)))).toEqual(['v2\n', 'v1\n']);
		});

		it('keeps the previous body when a conditional write wins', async () => {
			const {etag} = await store().put(key, 'before\n');
			await store().put(key, 'after\n', {ifMatch: etag});
			const versions = await store().versions(key);
			expect(await store().getVersion(key, versions[1]!.id)).toBe('before\n');
		});

		it('has no versions for a key never written, and no body for an unknown version', async () => {
			expect(await store().versions(key)).toEqual([]);
			await store().put(key, 'v1\n');
			expect(await store().getVersion(key, '999999')).toBeUndefined();
		});
	});

	describe('keys', () => {
		const unsafe = [
			'../outside.yaml',
			'tenants/../../outside.yaml',
			'/etc/passwd',
			'tenants//acme.yaml',
			'tenants/./acme.yaml',
			'tenants\\acme.yaml',
			'tenants/acme\0.yaml',
			'',
		];

		it.each(unsafe)('refuses the unsafe key %j for every operation, before touching storage', async (bad) => {
			await expect(store().get(bad)).rejects.toThrow(BackendError);
			await expect(store().put(bad, 'x\n')).rejects.toThrow(/refusing unsafe storage key/);
			await expect(store().delete(bad)).rejects.toThrow(/refusing unsafe storage key/);
			await expect(store().versions(bad)).rejects.toThrow(/refusing unsafe storage key/);
			await expect(store().getVersion(bad, '1')).rejects.toThrow(/refusing unsafe storage key/);
		});

		it('refuses an unsafe list prefix', async () => {
			await expect(store().list('../')).rejects.toThrow(/refusing unsafe storage key/);
			await expect(store().list('tenants/../../')).rejects.toThrow(/refusing unsafe storage key/);
		});
	});

	describe('missing is not unreadable', () => {
		for (const unreadable of fixture.unreadableCases)
			it.skipIf(unreadable.skip !== undefined)(`${unreadable.what}: reading throws BackendError, never reads as missing`, async () => {
				const {store: broken, key: brokenKey} = await unreadable.arrange();
				const error = await broken.get(brokenKey).then(
					(value) => value,
					(e: unknown) => e,
				);
				expect(error).toBeInstanceOf(BackendError);
				expect((error as Error).message).toContain(brokenKey);
			});

		if (kind === 's3')
			it('a missing bucket fails every operation with a hint to bootstrap it', async () => {
				const {store: broken} = await fixture.unreadableCases[0]!.arrange();
				for (const attempt of [
					() => broken.get(key),
					() => broken.put(key, 'x\n'),
					() => broken.list('tenants/'),
					() => broken.versions(key),
				]) {
					const error = await attempt().then(
						() => undefined,
						(e: unknown) => e,
					);
					expect(error).toBeInstanceOf(BackendError);
					expect((error as BackendError).hint).toMatch(/panka admin init/);
				}
			});
	});
});
