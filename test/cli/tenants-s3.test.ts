/**
 * The admin and tenant flow on an S3 backend (moto_server), checked through the S3 API where it
 * matters: admin init makes a versioned, private, encrypted bucket and records the STS caller as
 * admin; tenants, sessions, suspension, rotation and deletion behave as on the local backend; a
 * missing registry object or a missing bucket is an error and nothing is written.
 */
import {
	DeleteObjectCommand,
	GetBucketEncryptionCommand,
	GetBucketVersioningCommand,
	GetObjectCommand,
	GetPublicAccessBlockCommand,
	HeadBucketCommand,
	ListObjectsV2Command,
	PutObjectCommand,
	type S3Client,
} from '@aws-sdk/client-s3';
import {afterAll, beforeAll, expect, it} from 'vitest';
import type {AwsClients} from '../../engine/aws/aws-clients.js';
import {describeAws, useMoto} from '../helpers/moto.js';
import {pankaWorld, type PankaWorld, readText} from '../helpers/panka-world.js';
import {hasStackTrace} from '../helpers/run-cli.js';
import {demoStack} from '../helpers/stack-fixture.js';
import path from 'node:path';

const bucket = 'panka-cli-flow';
const backendUrl = `s3://${bucket}/org/panka`;
const motoAdmin = 'arn:aws:sts::123456789012:user/moto';

describeAws('the admin and tenant flow on an S3 backend', () => {
	const moto = useMoto();
	let world: PankaWorld;
	let clients: AwsClients;
	let s3: S3Client;
	let secret = '';

	beforeAll(() => {
		world = pankaWorld(moto.env);
		clients = moto.clients();
		s3 = clients.s3();
	});
	afterAll(() => clients?.destroy());

	const keys = async (b = bucket) => ((await s3.send(new ListObjectsV2Command({Bucket: b}))).Contents ?? []).map((o) => o.Key!).sort();

	it('admin init creates the bucket (versioning, public access blocked, SSE-S3) and records the STS caller', async () => {
		const result = world.run(['admin', 'init', '--backend', backendUrl]);
		expect(result.code, result.stderr).toBe(0);
		expect(result.stdout).toContain(
			`✓ Bucket ${bucket} (us-east-1): created; versioning Enabled, public access blocked, default encryption SSE-S3`,
		);
		expect(result.stdout).toContain(`✓ Admin: ${motoAdmin}`);
		expect((await s3.send(new GetBucketVersioningCommand({Bucket: bucket}))).Status).toBe('Enabled');
		expect((await s3.send(new GetPublicAccessBlockCommand({Bucket: bucket}))).PublicAccessBlockConfiguration).toMatchObject({
			BlockPublicAcls: true,
			RestrictPublicBuckets: true,
		});
		expect(
			(await s3.send(new GetBucketEncryptionCommand({Bucket: bucket}))).ServerSideEncryptionConfiguration?.Rules?.[0]
				?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm,
		).toBe('AES256');
		expect(await keys()).toEqual(['org/panka/tenants.yaml']);
		expect(JSON.parse(readText(path.join(world.configDir, 'config.json')))).toMatchObject({backend: backendUrl, region: 'us-east-1'});
		expect(world.run(['admin', 'login']).stdout).toBe(`✓ ${motoAdmin} is an admin of ${backendUrl} (0 tenants)\n`);
	});

	it('tenant init writes tenant.yaml and a registry entry without the secret', async () => {
		const result = world.run([
			'admin',
			'tenant',
			'init',
			'notifications-team',
			'--aws-account',
			'123456789012',
			'--region',
			'us-east-1',
			'--vpc-cidr',
			'10.0.0.0/16',
			'--nat-gateway',
			'--output',
			'credentials.txt',
		]);
		expect(result.code, result.stderr).toBe(0);
		expect(result.stdout).toMatch(/^✓ Tenant created: notifications-team\n○ VPC configured: 10\.0\.0\.0\/16\n/);
		secret = world.secretIn(readText(path.join(world.root, 'credentials.txt')));
		expect(await keys()).toEqual(['org/panka/tenants.yaml', 'org/panka/tenants/notifications-team/tenant.yaml']);
		const registry = await (await s3.send(new GetObjectCommand({Bucket: bucket, Key: 'org/panka/tenants.yaml'}))).Body!.transformToString();
		expect(registry).toMatch(/name: notifications-team[\s\S]*algorithm: scrypt/);
		expect(registry).not.toContain(secret.slice(4));
	});

	it('login by session and by CI variables; validate takes the tenant config from the bucket', () => {
		const ci = world.run(['stack', 'info', demoStack], {PANKA_TENANT: 'notifications-team', PANKA_TENANT_SECRET: secret});
		expect(ci.code, ci.stderr).toBe(0);
		expect(ci.stdout).toContain(`Tenant      notifications-team (tenants/notifications-team/tenant.yaml on ${backendUrl})`);
		expect(world.run(['login', '--tenant', 'notifications-team'], {PANKA_TENANT_SECRET: secret}).code).toBe(0);
		expect(JSON.parse(readText(world.sessionFile))).toMatchObject({
			tenant: 'notifications-team',
			backend: backendUrl,
			backendRegion: 'us-east-1',
		});
		const validate = world.run(['validate', demoStack]);
		expect(validate.code, validate.stderr).toBe(0);
		expect(validate.stdout).not.toMatch(/no tenant config/);
	});

	it('suspend, activate and rotate act on the very next command', () => {
		expect(world.run(['admin', 'tenant', 'suspend', 'notifications-team']).code).toBe(0);
		const suspended = world.run(['validate', demoStack]);
		expect(suspended.code).toBe(1);
		expect(suspended.stderr).toMatch(/tenant notifications-team is suspended/);
		expect(world.run(['admin', 'tenant', 'activate', 'notifications-team']).code).toBe(0);
		expect(world.run(['validate', demoStack]).code).toBe(0);
		const rotated = world.run(['admin', 'tenant', 'rotate', 'notifications-team', '--output', 'credentials.txt']);
		expect(rotated.code).toBe(0);
		const session = world.run(['validate', demoStack]);
		expect(session.code).toBe(1);
		expect(session.stderr).toMatch(/credentials were rotated: run panka login again/);
		const old = world.run(['login', '--tenant', 'notifications-team'], {PANKA_TENANT_SECRET: secret});
		expect(old.code).toBe(1);
		expect(old.stderr).toMatch(/^panka: error: tenant ID or secret is wrong/);
		secret = world.secretIn(readText(path.join(world.root, 'credentials.txt')));
		expect(world.run(['login', '--tenant', 'notifications-team'], {PANKA_TENANT_SECRET: secret}).code).toBe(0);
	});

	it('delete refuses while a stack has resources, then --force archives the prefix', async () => {
		const stateKey = 'org/panka/tenants/notifications-team/v1/stacks/notification-platform/production/state.json';
		await s3.send(
			new PutObjectCommand({
				Bucket: bucket,
				Key: stateKey,
				Body: JSON.stringify({version: '1.0.0', serial: 1, lineage: 'l', metadata: {}, resources: {'api/q': {}}, outputs: {}, pending: []}),
			}),
		);
		const refused = world.run(['admin', 'tenant', 'delete', 'notifications-team', '--yes']);
		expect(refused.code).toBe(1);
		expect(refused.stderr).toMatch(/still has deployed stacks: notification-platform\/production \(1 resource\)/);
		const deleted = world.run(['admin', 'tenant', 'delete', 'notifications-team', '--yes', '--force']);
		expect(deleted.code, deleted.stderr).toBe(0);
		const after = await keys();
		expect(after.filter((k) => k.startsWith('org/panka/tenants/'))).toEqual([]);
		expect(
			after
				.filter((k) => k.startsWith('org/panka/tenants-archive/'))
				.map((k) => k.replace(/notifications-team-\d{8}T\d{6}Z/, 'notifications-team-T')),
		).toEqual([
			'org/panka/tenants-archive/notifications-team-T/sessions.json',
			'org/panka/tenants-archive/notifications-team-T/tenant.yaml',
			'org/panka/tenants-archive/notifications-team-T/v1/stacks/notification-platform/production/state.json',
		]);
		const session = world.run(['validate', demoStack]);
		expect(session.code).toBe(1);
		expect(session.stderr).toMatch(/tenant notifications-team no longer exists/);
		expect(world.run(['logout']).code).toBe(0);
	});

	it('a deleted registry object is an error; nothing writes a new one', async () => {
		expect(
			world.run([
				'admin',
				'tenant',
				'init',
				'payments-team',
				'--aws-account',
				'123456789012',
				'--region',
				'us-east-1',
				'--vpc-cidr',
				'10.1.0.0/16',
			]).code,
		).toBe(0);
		await s3.send(new DeleteObjectCommand({Bucket: bucket, Key: 'org/panka/tenants.yaml'}));
		const before = await keys();
		for (const args of [
			['admin', 'tenant', 'list'],
			['admin', 'init'],
			['admin', 'tenant', 'init', 'other-team', '--aws-account', '123456789012', '--region', 'us-east-1'],
		]) {
			const result = world.run(args);
			expect(result.code, args.join(' ')).toBe(1);
			expect(result.stderr).toMatch(
				/(tenants\.yaml on s3:\/\/panka-cli-flow\/org\/panka is missing, but the backend holds tenant data|holds tenant data .* but no tenants\.yaml)/,
			);
			expect(result.stderr).toMatch(/hint: .*aws s3api list-object-versions --bucket panka-cli-flow --prefix org\/panka\/tenants\.yaml/);
			expect(hasStackTrace(result.stderr)).toBe(false);
		}
		expect(await keys()).toEqual(before);
		expect(before).not.toContain('org/panka/tenants.yaml');
	});

	it('a bucket that does not exist is an error for every command but admin init, and stays missing', async () => {
		for (const args of [
			['admin', 'tenant', 'list'],
			['login', '--tenant', 'acme'],
			['validate', demoStack],
		]) {
			const result = world.run(args, {PANKA_BACKEND: 's3://panka-no-such-bucket/x', PANKA_TENANT: 'acme', PANKA_TENANT_SECRET: secret});
			expect(result.code, args.join(' ')).toBe(1);
			expect(result.stderr).toMatch(
				/cannot read the tenant registry: cannot read s3:\/\/panka-no-such-bucket\/x\/tenants\.yaml: NoSuchBucket/,
			);
		}
		await expect(s3.send(new HeadBucketCommand({Bucket: 'panka-no-such-bucket'}))).rejects.toMatchObject({
			$metadata: {httpStatusCode: 404},
		});
	});
});
