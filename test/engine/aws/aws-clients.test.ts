/** The AWS client factory against moto: the standard calls work, and other hosts are refused. */
import {CreateBucketCommand, ListBucketsCommand} from '@aws-sdk/client-s3';
import {GetCallerIdentityCommand} from '@aws-sdk/client-sts';
import {expect, it} from 'vitest';
import {AwsClients} from '../../../engine/aws/aws-clients.js';
import {describeAws, useMoto} from '../../helpers/moto.js';

describeAws('AwsClients', () => {
	const moto = useMoto();

	it('talks to the endpoint it is given', async () => {
		const clients = moto.clients();
		await clients.s3().send(new CreateBucketCommand({Bucket: 'panka-client-test'}));
		const {Buckets} = await clients.s3().send(new ListBucketsCommand({}));
		expect(Buckets?.map((b) => b.Name)).toContain('panka-client-test');
		expect((await clients.sts().send(new GetCallerIdentityCommand({}))).Account).toBe('123456789012');
	});

	it('refuses hosts outside allowedHosts before sending anything', async () => {
		const clients = new AwsClients({
			region: 'us-east-1',
			endpoint: 'http://localhost:1',
			credentials: {accessKeyId: 'a', secretAccessKey: 'b'},
			allowedHosts: ['127.0.0.1'],
			maxAttempts: 1,
		});
		await expect(clients.sts().send(new GetCallerIdentityCommand({}))).rejects.toThrow(/refusing to send an AWS request to localhost/);
	});

	it('assumes a tenant role: calls then act in that role’s account', async () => {
		const tenant = moto.clients().forTenant('arn:aws:iam::111111111111:role/panka-tenant', 'panka-test');
		expect((await tenant.sts().send(new GetCallerIdentityCommand({}))).Account).toBe('111111111111');
	});
});
