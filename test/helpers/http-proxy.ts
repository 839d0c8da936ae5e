/**
 * A forward HTTP proxy on 127.0.0.1 for tests, as a corporate proxy sits between panka and AWS:
 * it forwards absolute-URI requests (`GET http://host:port/path`, what a client sends through an
 * HTTP proxy) and tunnels CONNECT (what it sends for https), and logs what passed through.
 *
 * It runs in its own process (the CLI tests run panka with spawnSync, which would block a proxy
 * in the test's own event loop) and appends each request's `host:port` to a log file.
 *
 * It only ever connects to 127.0.0.1: anything else is answered 403 and never forwarded, so a
 * test can never send traffic off the machine through it.
 */
import {spawn} from 'node:child_process';
import {appendFileSync, existsSync, readFileSync} from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import {createInterface} from 'node:readline';
import {repoRoot, tempDir} from './stack-fixture.js';

export interface TestProxy {
	url: string;
	/** `host:port` of every request that went through so far, in order. */
	seen(): string[];
	close(): Promise<void>;
}

/** Starts the proxy in a child process; resolves once it listens. */
export async function startTestProxy(): Promise<TestProxy> {
	const log = path.join(tempDir('panka-proxy-'), 'seen.log');
	const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'test', 'helpers', 'http-proxy.ts'), log], {
		cwd: repoRoot,
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	const port = await new Promise<number>((resolve, reject) => {
		createInterface({input: child.stdout!}).once('line', (line) => resolve(Number(line)));
		child.once('exit', (code) => reject(new Error(`the test proxy exited (${code})`)));
	});
	return {
		url: `http://127.0.0.1:${port}`,
		seen: () => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : []),
		close: () =>
			new Promise<void>((resolve) => {
				child.once('exit', () => resolve());
				child.kill();
			}),
	};
}

/** The proxy itself: listens on 127.0.0.1, prints its port, logs each request to `log`. */
async function serveProxy(log: string): Promise<void> {
	const seen = {push: (host: string) => appendFileSync(log, `${host}\n`)};
	const server = http.createServer((request, response) => {
		const target = URL.canParse(request.url ?? '') ? new URL(request.url!) : undefined;
		if (target?.hostname !== '127.0.0.1') {
			response.writeHead(403).end('this test proxy forwards only to 127.0.0.1');
			return;
		}
		seen.push(target.host);
		const upstream = http.request(
			{host: '127.0.0.1', port: target.port, method: request.method, path: `${target.pathname}${target.search}`, headers: request.headers},
			(answer) => {
				response.writeHead(answer.statusCode ?? 502, answer.headers);
				answer.pipe(response);
			},
		);
		upstream.on('error', () => response.writeHead(502).end());
		request.pipe(upstream);
	});
	server.on('connect', (request, socket, head) => {
		const [host, port] = (request.url ?? '').split(':');
		if (host !== '127.0.0.1' || !port) {
			socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
			return;
		}
		seen.push(`${host}:${port}`);
		const upstream = net.connect(Number(port), host, () => {
			socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
			upstream.write(head);
			upstream.pipe(socket);
			socket.pipe(upstream);
		});
		upstream.on('error', () => socket.destroy());
		socket.on('error', () => upstream.destroy());
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	process.stdout.write(`${(server.address() as net.AddressInfo).port}\n`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) await serveProxy(process.argv[2]!);
