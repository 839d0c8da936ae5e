/**
 * An AWS response whose body is not an AWS error (a bare 503 from a proxy or a throttled front
 * end, an HTML page) becomes one line naming the HTTP status, the service and the operation, and
 * is retried like any transient error. A local HTTP server on 127.0.0.1 plays the endpoint, so
 * every response is chosen by the test.
 */
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {ListQueuesCommand, SQSClient} from '@aws-sdk/client-sqs';
import {ListTopicsCommand, SNSClient} from '@aws-sdk/client-sns';
import {GetObjectCommand} from '@aws-sdk/client-s3';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {AwsClients} from '../../../engine/aws/aws-clients.js';
import {awsError} from '../../../engine/providers/provider.js';

type Reply = {status: number; type?: string; body: string};

describe('readable AWS errors', () => {
	let server: http.Server;
	let replies: Reply[] = [];
	let requests = 0;
	beforeAll(async () => {
		server = http.createServer((request, response) => {
			requests++;
			request.resume();
			request.on('end', () => {
				const reply = replies.shift() ?? {status: 503, body: ''};
				response.writeHead(reply.status, reply.type ? {'content-type': reply.type} : {});
				response.end(reply.body);
			});
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	});
	afterAll(() => server.close());

	const clients = (maxAttempts = 3) =>
		new AwsClients({
			region: 'us-east-1',
			endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
			credentials: {accessKeyId: 'a', secretAccessKey: 'b'},
			allowedHosts: ['127.0.0.1'],
			forcePathStyle: true,
			maxAttempts,
		});
	const serve = (...next: Reply[]) => {
		replies = next;
		requests = 0;
	};

	it.each([
		['an empty body (JSON protocol)', () => clients().get(SQSClient).send(new ListQueuesCommand({})), 'SQS ListQueues'],
		['a text body (query protocol, XML parse error)', () => clients().get(SNSClient).send(new ListTopicsCommand({})), 'SNS ListTopics'],
		[
			'an HTML page (REST XML)',
			() =>
				clients()
					.s3()
					.send(new GetObjectCommand({Bucket: 'b', Key: 'k'})),
			'S3 GetObject',
		],
	])('a bare 503 with %s: one line with the status and the operation, retried', async (_what, call, operation) => {
		serve(
			{status: 503, body: ''},
			{status: 503, type: 'text/plain', body: 'Service Unavailable'},
			{status: 503, type: 'text/html', body: '<html><body><h1>503</h1>'},
		);
		const error = await call().then(
			() => undefined,
			(e: unknown) => e as Error,
		);
		expect(requests).toBe(3);
		expect(error).toMatchObject({name: 'ServiceUnavailable', $metadata: {httpStatusCode: 503, attempts: 3}});
		expect(error?.message).toBe(`${operation}: HTTP 503 Service Unavailable (the response was not an AWS error, so it says no more)`);
		expect(error?.message).not.toMatch(/\$response|Deserialization|\n/);
		expect(awsError(`${operation} orders`, error).message).toBe(
			`${operation} orders: ServiceUnavailable: ${operation}: HTTP 503 Service Unavailable (the response was not an AWS error, so it says no more)`,
		);
	});

	it('a transient unreadable failure followed by an answer succeeds (retried like any 5xx)', async () => {
		serve(
			{status: 502, type: 'text/html', body: '<html>Bad Gateway'},
			{status: 503, body: ''},
			{
				status: 200,
				type: 'application/x-amz-json-1.0',
				body: '{"QueueUrls":["http://q/1"]}',
			},
		);
		await expect(clients().get(SQSClient).send(new ListQueuesCommand({}))).resolves.toMatchObject({QueueUrls: ['http://q/1']});
		expect(requests).toBe(3);
	});

	it('an unreadable answer that is not transient is reported once, not retried', async () => {
		serve({status: 200, type: 'text/html', body: '<html>a captive portal'});
		const error = await clients()
			.get(SNSClient)
			.send(new ListTopicsCommand({}))
			.catch((e: unknown) => e as Error);
		expect(requests).toBe(1);
		expect(error).toMatchObject({
			name: 'Http200',
			message: 'SNS ListTopics: HTTP 200 (the response was not an AWS error, so it says no more)',
		});
	});

	it('leaves AWS’s own errors as they are', async () => {
		serve({
			status: 400,
			type: 'text/xml',
			body: '<ErrorResponse><Error><Type>Sender</Type><Code>InvalidParameter</Code><Message>bad name</Message></Error></ErrorResponse>',
		});
		const error = await clients(1)
			.get(SNSClient)
			.send(new ListTopicsCommand({}))
			.catch((e: unknown) => e as Error);
		expect(error).toMatchObject({name: expect.stringMatching(/^InvalidParameter/), message: 'bad name'});
	});
});
