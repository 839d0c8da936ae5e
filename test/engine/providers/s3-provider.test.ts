/**
 * S3 on moto: create → read back through the AWS API → update in place → delete → gone, plus
 * emptying with forceDestroy, refusing a non-empty delete, ACLs with ownership controls, and never
 * adopting another stack's bucket.
 */
import {
	CreateBucketCommand,
	DeleteObjectCommand,
	GetBucketAclCommand,
	GetBucketCorsCommand,
	GetBucketEncryptionCommand,
	GetBucketLifecycleConfigurationCommand,
	GetBucketLocationCommand,
	GetBucketOwnershipControlsCommand,
	GetBucketTaggingCommand,
	GetBucketVersioningCommand,
	GetPublicAccessBlockCommand,
	HeadBucketCommand,
	ListObjectVersionsCommand,
	PutBucketTaggingCommand,
	PutBucketVersioningCommand,
	PutObjectCommand,
} from '@aws-sdk/client-s3';
import {expect, it} from 'vitest';
import type {S3Spec} from '../../../engine/kinds/s3.js';
import {s3Provider} from '../../../engine/kinds/s3-provider.js';
import {ProviderError} from '../../../engine/providers/provider.js';
import {describeAws, useMoto} from '../../helpers/moto.js';
import {providerFixture} from '../../helpers/resource-context.js';
import {appliedState} from './applied-state.js';

const tagRecord = (tags: {Key?: string; Value?: string}[] | undefined) =>
	Object.fromEntries((tags ?? []).map((tag) => [tag.Key, tag.Value]));

describeAws('S3 provider', () => {
	const moto = useMoto();

	it('creates a bucket with versioning, KMS encryption, lifecycle, CORS, public access block and tags; updates each in place; deletes it', async () => {
		const clients = moto.clients();
		const s3 = clients.s3();
		const fixture = providerFixture<S3Spec>(
			'S3',
			'assets',
			{
				versioning: {enabled: true},
				encryption: {algorithm: 'kms', kmsKeyId: 'alias/assets'},
				lifecycle: [
					{
						id: 'archive-logs',
						prefix: 'logs/',
						transitions: [
							{days: 30, storageClass: 'standard_ia'},
							{days: 90, storageClass: 'GLACIER'},
						],
						expiration: {days: 365},
					},
					{id: 'old-versions', enabled: false, noncurrentVersionExpiration: {days: 7}},
				],
				cors: [{allowedOrigins: ['https://app.example.com'], allowedMethods: ['get', 'PUT'], maxAgeSeconds: 600}],
				publicAccessBlock: {blockPublicPolicy: false},
			},
			clients,
		);
		const Bucket = fixture.context.names.primary!;
		const created = await s3Provider.create(fixture.context, fixture.spec);

		expect(created).toEqual({
			physicalId: Bucket,
			outputs: {
				bucketName: Bucket,
				arn: `arn:aws:s3:::${Bucket}`,
				domainName: `${Bucket}.s3.amazonaws.com`,
				regionalDomainName: `${Bucket}.s3.us-east-1.amazonaws.com`,
			},
		});
		expect((await s3.send(new GetBucketVersioningCommand({Bucket}))).Status).toBe('Enabled');
		const encryption = await s3.send(new GetBucketEncryptionCommand({Bucket}));
		expect(encryption.ServerSideEncryptionConfiguration?.Rules?.[0]).toMatchObject({
			ApplyServerSideEncryptionByDefault: {SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'alias/assets'},
			BucketKeyEnabled: true,
		});
		const lifecycle = await s3.send(new GetBucketLifecycleConfigurationCommand({Bucket}));
		expect(lifecycle.Rules).toEqual([
			expect.objectContaining({
				ID: 'archive-logs',
				Status: 'Enabled',
				Filter: {Prefix: 'logs/'},
				Transitions: [
					{Days: 30, StorageClass: 'STANDARD_IA'},
					{Days: 90, StorageClass: 'GLACIER'},
				],
				Expiration: {Days: 365},
			}),
			expect.objectContaining({ID: 'old-versions', Status: 'Disabled', NoncurrentVersionExpiration: {NoncurrentDays: 7}}),
		]);
		expect((await s3.send(new GetBucketCorsCommand({Bucket}))).CORSRules).toEqual([
			{AllowedOrigins: ['https://app.example.com'], AllowedMethods: ['GET', 'PUT'], MaxAgeSeconds: 600},
		]);
		expect((await s3.send(new GetPublicAccessBlockCommand({Bucket}))).PublicAccessBlockConfiguration).toEqual({
			BlockPublicAcls: true,
			IgnorePublicAcls: true,
			BlockPublicPolicy: false,
			RestrictPublicBuckets: true,
		});
		expect((await s3.send(new GetBucketOwnershipControlsCommand({Bucket}))).OwnershipControls?.Rules).toEqual([
			{ObjectOwnership: 'BucketOwnerEnforced'},
		]);
		expect(tagRecord((await s3.send(new GetBucketTaggingCommand({Bucket}))).TagSet)).toEqual(fixture.context.tags);

		// Update: suspend versioning, AES256, one lifecycle rule left, no CORS, every public access flag on, other tags.
		const next = fixture.withSpec({
			versioning: {enabled: false},
			encryption: {algorithm: 'AES256'},
			lifecycle: [{id: 'archive-logs', prefix: 'archive/', expiration: {days: 30}}],
		});
		const nextContext = {...next.context, tags: {...fixture.context.tags, team: 'storage', costCenter: 'cc-7'}};
		const updated = await s3Provider.update(nextContext, next.spec, appliedState('S3', created, fixture.spec));
		expect(updated).toEqual(created);
		expect((await s3.send(new GetBucketVersioningCommand({Bucket}))).Status).toBe('Suspended');
		expect(
			(await s3.send(new GetBucketEncryptionCommand({Bucket}))).ServerSideEncryptionConfiguration?.Rules?.[0]
				?.ApplyServerSideEncryptionByDefault,
		).toEqual({
			SSEAlgorithm: 'AES256',
		});
		expect((await s3.send(new GetBucketLifecycleConfigurationCommand({Bucket}))).Rules).toEqual([
			expect.objectContaining({ID: 'archive-logs', Filter: {Prefix: 'archive/'}, Expiration: {Days: 30}}),
		]);
		await expect(s3.send(new GetBucketCorsCommand({Bucket}))).rejects.toMatchObject({name: 'NoSuchCORSConfiguration'});
		expect((await s3.send(new GetPublicAccessBlockCommand({Bucket}))).PublicAccessBlockConfiguration?.BlockPublicPolicy).toBe(true);
		expect(tagRecord((await s3.send(new GetBucketTaggingCommand({Bucket}))).TagSet)).toEqual(nextContext.tags);

		const read = await s3Provider.read(nextContext, appliedState('S3', updated, next.spec));
		expect(read).toMatchObject({
			exists: true,
			physicalId: Bucket,
			observed: {
				'versioning.enabled': false,
				'encryption.enabled': true,
				'encryption.algorithm': 'AES256',
				'lifecycle[].id': ['archive-logs'],
				'publicAccessBlock.blockPublicPolicy': true,
			},
		});

		// Lifecycle and encryption removed from the spec are removed from the bucket.
		const bare = fixture.withSpec({});
		await s3Provider.update(bare.context, bare.spec, appliedState('S3', updated, next.spec));
		await expect(s3.send(new GetBucketLifecycleConfigurationCommand({Bucket}))).rejects.toMatchObject({
			name: 'NoSuchLifecycleConfiguration',
		});
		await expect(s3.send(new GetBucketEncryptionCommand({Bucket}))).rejects.toMatchObject({
			name: 'ServerSideEncryptionConfigurationNotFoundError',
		});

		await s3Provider.delete(bare.context, appliedState('S3', updated, bare.spec));
		await expect(s3.send(new HeadBucketCommand({Bucket}))).rejects.toMatchObject({$metadata: {httpStatusCode: 404}});
		expect(await s3Provider.read(bare.context, appliedState('S3', updated, bare.spec))).toEqual({exists: false});
		expect(await s3Provider.find(bare.context, bare.spec)).toBeUndefined();
		await s3Provider.delete(bare.context, appliedState('S3', updated, bare.spec)); // deleting what is gone succeeds
	});

	it('creates the bucket in the context region with a LocationConstraint', async () => {
		const clients = moto.clients();
		const fixture = providerFixture<S3Spec>('S3', 'eu-data', {}, clients);
		const context = {...fixture.context, region: 'eu-west-1'};
		const created = await s3Provider.create(context, fixture.spec);
		const Bucket = context.names.primary!;
		expect((await clients.s3().send(new GetBucketLocationCommand({Bucket}))).LocationConstraint).toBe('eu-west-1');
		expect(created.outputs.regionalDomainName).toBe(`${Bucket}.s3.eu-west-1.amazonaws.com`);
		await s3Provider.delete(context, appliedState('S3', created, fixture.spec));
	});

	it('sets ObjectOwnership BucketOwnerPreferred for a public ACL, and disables ACLs again when it goes back to private', async () => {
		const clients = moto.clients();
		const s3 = clients.s3();
		const fixture = providerFixture<S3Spec>(
			'S3',
			'site',
			{bucket: {acl: 'public-read'}, publicAccessBlock: {blockPublicAcls: false, ignorePublicAcls: false}},
			clients,
		);
		const Bucket = fixture.context.names.primary!;
		const created = await s3Provider.create(fixture.context, fixture.spec);
		expect((await s3.send(new GetBucketOwnershipControlsCommand({Bucket}))).OwnershipControls?.Rules).toEqual([
			{ObjectOwnership: 'BucketOwnerPreferred'},
		]);
		const publicGrants = async () =>
			((await s3.send(new GetBucketAclCommand({Bucket}))).Grants ?? []).filter((grant) => grant.Grantee?.URI?.endsWith('/global/AllUsers'));
		expect(await publicGrants()).toEqual([expect.objectContaining({Permission: 'READ'})]);

		const next = fixture.withSpec({});
		await s3Provider.update(next.context, next.spec, appliedState('S3', created, fixture.spec));
		expect(await publicGrants()).toEqual([]);
		expect((await s3.send(new GetBucketOwnershipControlsCommand({Bucket}))).OwnershipControls?.Rules).toEqual([
			{ObjectOwnership: 'BucketOwnerEnforced'},
		]);
		expect((await s3.send(new GetPublicAccessBlockCommand({Bucket}))).PublicAccessBlockConfiguration?.BlockPublicAcls).toBe(true);
		await s3Provider.delete(next.context, appliedState('S3', created, next.spec));
	});

	it('with forceDestroy, deletes every object version and delete marker, then the bucket', async () => {
		const clients = moto.clients();
		const s3 = clients.s3();
		const fixture = providerFixture<S3Spec>('S3', 'uploads', {bucket: {forceDestroy: true}, versioning: {enabled: true}}, clients);
		const Bucket = fixture.context.names.primary!;
		const created = await s3Provider.create(fixture.context, fixture.spec);
		for (const Key of ['a.txt', 'b.txt', 'dir/c.txt'])
			for (const body of ['v1', 'v2', 'v3']) await s3.send(new PutObjectCommand({Bucket, Key, Body: body}));
		await s3.send(new DeleteObjectCommand({Bucket, Key: 'a.txt'}));
		await s3.send(new DeleteObjectCommand({Bucket, Key: 'b.txt'}));
		const listed = await s3.send(new ListObjectVersionsCommand({Bucket}));
		expect([listed.Versions?.length, listed.DeleteMarkers?.length]).toEqual([9, 2]);

		await s3Provider.delete(fixture.context, appliedState('S3', created, fixture.spec));
		await expect(s3.send(new HeadBucketCommand({Bucket}))).rejects.toMatchObject({$metadata: {httpStatusCode: 404}});
		expect(fixture.phases).toContain(`emptying bucket ${Bucket}: 11 object versions deleted`);
		expect(fixture.phases.at(-1)).toBe(`deleting bucket ${Bucket}`);
	});

	it('refuses to delete a non-empty bucket without forceDestroy, naming the fix, and leaves it as it is', async () => {
		const clients = moto.clients();
		const s3 = clients.s3();
		const fixture = providerFixture<S3Spec>('S3', 'keep', {}, clients);
		const Bucket = fixture.context.names.primary!;
		const created = await s3Provider.create(fixture.context, fixture.spec);
		await s3.send(new PutObjectCommand({Bucket, Key: 'one', Body: '1'}));
		await s3.send(new PutObjectCommand({Bucket, Key: 'two', Body: '2'}));

		const failure = s3Provider.delete(fixture.context, appliedState('S3', created, fixture.spec));
		await expect(failure).rejects.toBeInstanceOf(ProviderError);
		await expect(failure).rejects.toMatchObject({
			code: 'BucketNotEmpty',
			message: `bucket ${Bucket} is not empty (2 objects); set bucket.forceDestroy: true to let panka empty it`,
		});
		await s3.send(new HeadBucketCommand({Bucket}));
		expect((await s3.send(new ListObjectVersionsCommand({Bucket}))).Versions).toHaveLength(2);
	});

	it('adopts its own bucket by tags, and never a same-named bucket that belongs to another stack', async () => {
		const clients = moto.clients();
		const s3 = clients.s3();
		const mine = providerFixture<S3Spec>('S3', 'media', {}, clients);
		const created = await s3Provider.create(mine.context, mine.spec);
		expect(await s3Provider.find(mine.context, mine.spec)).toEqual(created);

		const fixture = providerFixture<S3Spec>('S3', 'billing', {}, clients);
		const Bucket = fixture.context.names.primary!;
		const foreignTags = {...fixture.context.tags, 'panka:stack': 'other-stack'};
		await s3.send(new CreateBucketCommand({Bucket}));
		await s3.send(
			new PutBucketTaggingCommand({Bucket, Tagging: {TagSet: Object.entries(foreignTags).map(([Key, Value]) => ({Key, Value}))}}),
		);
		await s3.send(new PutBucketVersioningCommand({Bucket, VersioningConfiguration: {Status: 'Enabled'}}));

		expect(await s3Provider.find(fixture.context, fixture.spec)).toBeUndefined();
		const failure = s3Provider.create(fixture.context, fixture.spec);
		await expect(failure).rejects.toBeInstanceOf(ProviderError);
		await expect(failure).rejects.toThrow(
			`bucket ${Bucket} already exists and belongs to component svc/billing of stack other-stack (tenant acme, env test)`,
		);
		// Untouched: still the other stack's tags and settings.
		expect(tagRecord((await s3.send(new GetBucketTaggingCommand({Bucket}))).TagSet)).toEqual(foreignTags);
		expect((await s3.send(new GetBucketVersioningCommand({Bucket}))).Status).toBe('Enabled');
	});
});
