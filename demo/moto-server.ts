/**
 * moto_server (the AWS API emulator) as a child process on 127.0.0.1 and a free port. The demo,
 * the test harness and the benchmarks all start it this way (ready when GET /moto-api/ answers;
 * reset with POST /moto-api/reset); stop() kills it by its PID.
 */
import {type ChildProcess, spawn, spawnSync} from 'node:child_process';
import {createServer} from 'node:net';

export interface MotoServer {
	endpoint: string;
	reset(): Promise<void>;
	stop(): void;
}

export const motoInstallHint = "moto_server is not installed: install it with `pip install 'moto[server]'`";

export function motoInstalled(): boolean {
	return spawnSync('sh', ['-c', 'command -v moto_server'], {encoding: 'utf8'}).status === 0;
}

export async function startMotoServer(env: Record<string, string> = {}): Promise<MotoServer> {
	if (!motoInstalled()) throw new Error(motoInstallHint);
	const port = await freePort();
	const endpoint = `http://127.0.0.1:${port}`;
	const child = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], {stdio: 'ignore', env: {...process.env, ...env}});
	await waitUntilReady(endpoint, child);
	return {
		endpoint,
		async reset() {
			const response = await fetch(`${endpoint}/moto-api/reset`, {method: 'POST'});
			if (!response.ok) throw new Error(`moto reset failed: ${response.status}`);
		},
		stop: () => {
			child.kill('SIGTERM');
		},
	};
}

function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			const port = typeof address === 'object' && address ? address.port : 0;
			server.close(() => resolve(port));
		});
	});
}

async function waitUntilReady(endpoint: string, child: ChildProcess): Promise<void> {
	const deadline = Date.now() + 20_000;
	let exited = false;
	child.once('exit', () => {
		exited = true;
	});
	while (Date.now() < deadline) {
		if (exited) throw new Error('moto_server exited during start-up');
		try {
			if ((await fetch(`${endpoint}/moto-api/`)).ok) return;
		} catch {
			// not listening yet
		}
		await new Promise((resolve) => setTimeout(resolve, 25));
	}
	child.kill('SIGTERM');
	throw new Error(`moto_server did not answer on ${endpoint} within 20 s`);
}
