/**
 * A reverse proxy on 127.0.0.1 that holds every answer from its target back by a fixed delay: an
 * AWS endpoint's network latency in front of moto, for benches whose point is calls in flight
 * together (moto on its own answers in a few milliseconds, one request at a time, which hides
 * whether a client waits for one call before sending the next). Only ever connects to the
 * 127.0.0.1 target it is given.
 */
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {setTimeout as delay} from 'node:timers/promises';

export interface LatencyProxy {
	endpoint: string;
	close(): Promise<void>;
}

export async function startLatencyProxy(target: string, latencyMs: number): Promise<LatencyProxy> {
	const upstream = new URL(target);
	if (upstream.hostname !== '127.0.0.1') throw new Error(`the latency proxy forwards to 127.0.0.1 only, not ${upstream.hostname}`);
	const agent = new http.Agent({keepAlive: true});
	const server = http.createServer((request, response) => {
		const forwarded = http.request(
			{host: '127.0.0.1', port: upstream.port, method: request.method, path: request.url, headers: request.headers, agent},
			async (answer) => {
				const chunks: Buffer[] = [];
				for await (const chunk of answer) chunks.push(chunk as Buffer);
				await delay(latencyMs);
				response.writeHead(answer.statusCode ?? 502, answer.headers);
				response.end(Buffer.concat(chunks));
			},
		);
		forwarded.on('error', () => response.destroy());
		request.pipe(forwarded);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const {port} = server.address() as AddressInfo;
	return {
		endpoint: `http://127.0.0.1:${port}`,
		close: () =>
			new Promise((resolve) => {
				agent.destroy();
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}
