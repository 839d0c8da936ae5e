/**
 * The AWS client factory against moto: the standard calls work, other hosts are refused, and a
 * recorded queue URL never becomes the host a request is sent to.
 */
import {CreateBucketCommand, ListBucketsCommand} from '@aws-sdk/client-s3';
import {CreateQueueCommand, GetQueueAttributesCommand, ListQueuesCommand, SQSClient} from '@aws-sdk/client-sqs';
import {GetCallerIdentityCommand} from '@aws-sdk/client-sts';
import {expect, it, vi} from 'vitest';
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
		// The AssumeRole of a tenant's clients too (its STS client is the SDK's own).
		const tenant = clients.forTenant('arn:aws:iam::111111111111:role/panka-tenant', 'panka-guarded');
		await expect(tenant.get(SQSClient).send(new ListQueuesCommand({}))).rejects.toThrow(/refusing to send an AWS request to localhost/);
	});

	it('assumes a tenant role: calls then act in that role’s account', async () => {
		const tenant = moto.clients().forTenant('arn:aws:iam::111111111111:role/panka-tenant', 'panka-test');
		expect((await tenant.sts().send(new GetCallerIdentityCommand({}))).Account).toBe('111111111111');
	});

	it('sends SQS calls to the configured endpoint, never to the host of a queue URL recorded elsewhere', async () => {
		// As the CLI configures it: the endpoint comes from AWS_ENDPOINT_URL, not from the code.
		const saved = process.env.AWS_ENDPOINT_URL;
		process.env.AWS_ENDPOINT_URL = moto.endpoint;
		const warn = vi.spyOn(console, 'warn');
		try {
			const clients = new AwsClients({region: 'us-east-1', credentials: {accessKeyId: 'test', secretAccessKey: 'test'}, maxAttempts: 1});
			const {QueueUrl} = await clients.get(SQSClient).send(new CreateQueueCommand({QueueName: 'panka-endpoint-rule'}));
			// The URL a state recorded when moto (or the endpoint) lived elsewhere: nothing listens there.
			const recorded = QueueUrl!.replace(new URL(QueueUrl!).origin, 'http://127.0.0.1:9');
			const {Attributes} = await clients
				.get(SQSClient)
				.send(new GetQueueAttributesCommand({QueueUrl: recorded, AttributeNames: ['QueueArn']}));
			expect(Attributes?.QueueArn).toMatch(/:panka-endpoint-rule$/);
			expect(warn).not.toHaveBeenCalled();
		} finally {
			if (saved === undefined) delete process.env.AWS_ENDPOINT_URL;
			else process.env.AWS_ENDPOINT_URL = saved;
			warn.mockRestore();
		}
	});
});
