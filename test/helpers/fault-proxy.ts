/**
 * A fault-injecting reverse proxy for tests, on 127.0.0.1 in front of moto: panka is pointed at it
 * (AWS_ENDPOINT_URL) and it forwards every request to moto, except a seeded share of them, which
 * it answers with one of the faults AWS and networks produce:
 *
 *   throttle      a throttling error in the service's own wire format: query/XML (IAM, SNS, ELBv2,
 *                 RDS, STS), EC2's query dialect, JSON 1.0/1.1 (`x-amz-target`: SQS, DynamoDB,
 *                 ECS, Logs, …), rest-json (Lambda, 429) and rest-xml (S3, 503 SlowDown)
 *   status-5xx    a bare 500/502/503 with no AWS error body
 *   drop-before   the connection is closed before the request reaches moto
 *   drop-after    the request is forwarded (moto acts on it), then the connection is closed
 *                 before the answer is sent: the client cannot know it happened
 *   slow          the answer is held back 0.2–1.5 s
 *
 * and it can fail the state backend's writes (S3 PUTs of `…/state.json`) from the N+1th on, with
 * S3's 503 SlowDown, to simulate a backend that stops taking writes mid-run.
 *
 * It runs in its own process (CLI tests run panka with spawnSync, which would block a proxy in the
 * test's event loop), logs every fault it injects as one JSON line, and only ever connects to the
 * 127.0.0.1 target it was given. The same seed gives the same sequence of decisions.
 */
import {spawn} from 'node:child_process';
import {appendFileSync, existsSync, readFileSync} from 'node:fs';
import http from 'node:http';
import type net from 'node:net';
import path from 'node:path';
import {createInterface} from 'node:readline';
import {repoRoot, tempDir} from './stack-fixture.js';

export const faultKinds = ['throttle', 'status-5xx', 'drop-before', 'drop-after', 'slow'] as const;
export type FaultKind = (typeof faultKinds)[number];

export interface FaultProxyOptions {
	/** moto's endpoint, http://127.0.0.1:PORT. */
	target: string;
	/** Share of requests that get a fault, 0–1. */
	rate: number;
	seed: number;
	/** Which faults are drawn from (default: all). */
	kinds?: readonly FaultKind[];
	/** State backend writes (S3 PUT of a state.json) after this many succeed are refused. */
	failStateWritesAfter?: number;
}

export interface InjectedFault {
	kind: FaultKind | 'state-write-refused';
	service: string;
	method: string;
	path: string;
}

export interface FaultProxy {
	/** The endpoint to give panka instead of moto's. */
	endpoint: string;
	/** Every fault injected so far, in order. */
	injected(): InjectedFault[];
	close(): Promise<void>;
}

/** Starts the proxy in a child process; resolves once it listens. */
export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
	const log = path.join(tempDir('panka-faults-'), 'faults.log');
	const child = spawn(
		process.execPath,
		['--import', 'tsx', path.join(repoRoot, 'test', 'helpers', 'fault-proxy.ts'), log, JSON.stringify(options)],
		{
			cwd: repoRoot,
			stdio: ['ignore', 'pipe', 'inherit'],
		},
	);
	const port = await new Promise<number>((resolve, reject) => {
		createInterface({input: child.stdout!}).once('line', (line) => resolve(Number(line)));
		child.once('exit', (code) => reject(new Error(`the fault proxy exited (${code})`)));
	});
	return {
		endpoint: `http://127.0.0.1:${port}`,
		injected: () =>
			existsSync(log)
				? readFileSync(log, 'utf8')
						.split('\n')
						.filter(Boolean)
						.map((line) => JSON.parse(line) as InjectedFault)
				: [],
		close: () =>
			new Promise<void>((resolve) => {
				if (child.exitCode !== null) return resolve();
				child.once('exit', () => resolve());
				child.kill();
			}),
	};
}

/** mulberry32: a small seeded generator, so a seed replays the same faults. */
export function seededRandom(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** The signing service of a request (`Credential=…/us-east-1/sqs/aws4_request`): which wire format it speaks. */
function serviceOf(request: http.IncomingMessage): string {
	return /Credential=[^/]+\/[^/]+\/[^/]+\/([^/]+)\/aws4_request/.exec(request.headers.authorization ?? '')?.[1] ?? 'unknown';
}

/** A throttling error as `service` answers it. */
export function throttlingAnswer(
	service: string,
	request: http.IncomingMessage,
): {status: number; headers: Record<string, string>; body: string} {
	const requestId = 'fault-proxy-0000';
	const target = request.headers['x-amz-target'];
	if (service === 's3')
		return {
			status: 503,
			headers: {'content-type': 'application/xml'},
			body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message><RequestId>${requestId}</RequestId></Error>`,
		};
	if (service === 'ec2')
		return {
			status: 503,
			headers: {'content-type': 'text/xml'},
			body: `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>Request limit exceeded.</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`,
		};
	if (service === 'lambda')
		return {
			status: 429,
			headers: {'content-type': 'application/json', 'x-amzn-errortype': 'TooManyRequestsException'},
			body: JSON.stringify({Type: 'User', message: 'Rate exceeded', Reason: 'CallerRateLimitExceeded'}),
		};
	if (typeof target === 'string') {
		const version = String(request.headers['content-type'] ?? '').includes('1.1') ? '1.1' : '1.0';
		const code = service === 'sqs' ? 'RequestThrottled' : 'ThrottlingException';
		return {
			status: 400,
			headers: {'content-type': `application/x-amz-json-${version}`, 'x-amzn-requestid': requestId},
			body: JSON.stringify({__type: code, message: 'Rate exceeded'}),
		};
	}
	return {
		status: 400,
		headers: {'content-type': 'text/xml'},
		body: `<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
	};
}

const isStateWrite = (request: http.IncomingMessage) => request.method === 'PUT' && /\/state\.json(\?|$)/.test(request.url ?? '');

/** The proxy itself: listens on 127.0.0.1, prints its port, logs each injected fault to `log`. */
async function serveFaultProxy(log: string, options: FaultProxyOptions): Promise<void> {
	const target = new URL(options.target);
	if (target.hostname !== '127.0.0.1') throw new Error('the fault proxy forwards only to 127.0.0.1');
	const random = seededRandom(options.seed);
	const kinds = options.kinds?.length ? options.kinds : faultKinds;
	let stateWrites = 0;
	const record = (fault: InjectedFault) => appendFileSync(log, `${JSON.stringify(fault)}\n`);

	const forward = (
		request: http.IncomingMessage,
		body: Buffer,
		answer: (status: number, headers: http.IncomingHttpHeaders, payload: Buffer) => void,
		fail: () => void,
	) => {
		const upstream = http.request(
			{host: '127.0.0.1', port: target.port, method: request.method, path: request.url, headers: request.headers},
			(response) => {
				const chunks: Buffer[] = [];
				response.on('data', (chunk: Buffer) => chunks.push(chunk));
				response.on('end', () => answer(response.statusCode ?? 502, response.headers, Buffer.concat(chunks)));
				response.on('error', fail);
			},
		);
		upstream.on('error', fail);
		upstream.end(body);
	};

	const server = http.createServer((request, response) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => {
			const body = Buffer.concat(chunks);
			const service = serviceOf(request);
			const fault = {service, method: request.method ?? '', path: (request.url ?? '').split('?')[0]!};
			const drop = () => request.socket.destroy();
			const send = (status: number, headers: http.IncomingHttpHeaders, payload: Buffer) => {
				if (response.destroyed) return;
				response.writeHead(status, headers);
				response.end(payload);
			};
			const passThrough = () => forward(request, body, send, () => send(502, {}, Buffer.alloc(0)));

			if (isStateWrite(request) && options.failStateWritesAfter !== undefined) {
				stateWrites++;
				if (stateWrites > options.failStateWritesAfter) {
					record({kind: 'state-write-refused', ...fault});
					const refused = throttlingAnswer('s3', request);
					send(refused.status, refused.headers, Buffer.from(refused.body));
					return;
				}
			}
			// Two draws per request whatever happens, so one decision never shifts the next.
			const hit = random() < options.rate;
			const kind = kinds[Math.floor(random() * kinds.length)]!;
			if (!hit) return passThrough();
			record({kind, ...fault});
			switch (kind) {
				case 'throttle': {
					const throttled = throttlingAnswer(service, request);
					return send(throttled.status, throttled.headers, Buffer.from(throttled.body));
				}
				case 'status-5xx':
					return send([500, 502, 503][Math.floor(random() * 3)]!, {'content-length': '0'}, Buffer.alloc(0));
				case 'drop-before':
					return drop();
				case 'drop-after':
					return forward(request, body, drop, drop);
				case 'slow': {
					const delay = 200 + Math.floor(random() * 1300);
					return void setTimeout(passThrough, delay);
				}
			}
		});
	});
	server.keepAliveTimeout = 1_000;
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	process.stdout.write(`${(server.address() as net.AddressInfo).port}\n`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename))
	await serveFaultProxy(process.argv[2]!, JSON.parse(process.argv[3]!) as FaultProxyOptions);
