/**
 * `admin init` on S3, checked through the S3 API (not through panka): the bucket exists with
 * versioning Enabled, public access blocked and default encryption, in the caller's region; the
 * registry records the admin. A bucket that exists is configured, not recreated.
 */
import {
	CreateBucketCommand,
	GetBucketEncryptionCommand,
	GetBucketLocationCommand,
	GetBucketVersioningCommand,
	GetObjectCommand,
	GetPublicAccessBlockCommand,
	ListObjectsV2Command,
} from '@aws-sdk/client-s3';
import {afterAll, expect, it} from 'vitest';
import type {AwsClients} from '../../../engine/aws/aws-clients.js';
import {openBackend} from '../../../engine/state/backend.js';
import {initBackend} from '../../../engine/tenants/bootstrap.js';
import {readRegistry} from '../../../engine/tenants/registry.js';
import {describeAws, useMoto} from '../../helpers/moto.js';

const admin = 'arn:aws:sts::123456789012:user/moto';

describeAws('admin init on S3', () => {
	const moto = useMoto();
	const opened: AwsClients[] = [];
	const clients = (region = 'us-east-1') => {
		const c = moto.clients({region});
		opened.push(c);
		return c;
	};
	afterAll(() => {
		for (const c of opened) c.destroy();
	});

	it('creates the bucket with versioning, public access blocked and SSE-S3, then the registry', async () => {
		const aws = clients();
		const backend = openBackend({kind: 's3', bucket: 'panka-init-a', prefix: 'org/panka'}, aws);
		const result = await initBackend(backend, {identity: admin, s3: aws.s3()});
		expect(result).toMatchObject({
			alreadyInitialised: false,
			admins: [admin],
			bucket: {bucket: 'panka-init-a', region: 'us-east-1', created: true, versioning: 'Enabled'},
		});
		const s3 = aws.s3();
		expect((await s3.send(new GetBucketVersioningCommand({Bucket: 'panka-init-a'}))).Status).toBe('Enabled');
		expect((await s3.send(new GetPublicAccessBlockCommand({Bucket: 'panka-init-a'}))).PublicAccessBlockConfiguration).toEqual({
			BlockPublicAcls: true,
			IgnorePublicAcls: true,
			BlockPublicPolicy: true,
			RestrictPublicBuckets: true,
		});
		const encryption = await s3.send(new GetBucketEncryptionCommand({Bucket: 'panka-init-a'}));
		expect(encryption.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm).toBe('AES256');
		const listed = await s3.send(new ListObjectsV2Command({Bucket: 'panka-init-a'}));
		expect(listed.Contents?.map((o) => o.Key)).toEqual(['org/panka/tenants.yaml']);
		const body = await (
			await s3.send(new GetObjectCommand({Bucket: 'panka-init-a', Key: 'org/panka/tenants.yaml'}))
		).Body!.transformToString();
		expect(body).toContain(`identity: ${admin}`);
		expect((await readRegistry(backend)).registry.admins.map((a) => a.identity)).toEqual([admin]);
	});

	it('creates the bucket in the caller region outside us-east-1', async () => {
		const aws = clients('eu-west-1');
		const backend = openBackend({kind: 's3', bucket: 'panka-init-eu', prefix: ''}, aws);
		const result = await initBackend(backend, {identity: admin, s3: aws.s3()});
		expect(result.bucket).toMatchObject({region: 'eu-west-1', created: true});
		expect((await aws.s3().send(new GetBucketLocationCommand({Bucket: 'panka-init-eu'}))).LocationConstraint).toBe('eu-west-1');
	});

	it('configures an existing bucket instead of recreating it, and a second init is a no-op for the admin', async () => {
		const aws = clients();
		await aws.s3().send(new CreateBucketCommand({Bucket: 'panka-init-existing'}));
		const backend = openBackend({kind: 's3', bucket: 'panka-init-existing', prefix: 'p'}, aws);
		expect((await initBackend(backend, {identity: admin, s3: aws.s3()})).bucket).toMatchObject({created: false, versioning: 'Enabled'});
		expect((await aws.s3().send(new GetBucketVersioningCommand({Bucket: 'panka-init-existing'}))).Status).toBe('Enabled');
		expect(await initBackend(backend, {identity: admin, s3: aws.s3()})).toMatchObject({alreadyInitialised: true});
	});
});
