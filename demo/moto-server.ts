/**
 * moto_server (the AWS API emulator) as a child process on 127.0.0.1 and a free port. The demo,
 * the test harness and the benchmarks all start it this way (ready when GET /moto-api/ answers;
 * reset with POST /moto-api/reset); stop() kills it by its PID.
 *
 * One emulator workaround lives here, on the server side: moto checks an S3 write's If-Match /
 * If-None-Match and then writes with no lock between, so under load two conditional writers can
 * both win, which S3 never allows (the state backend's compare-and-swap and its lock rely on it).
 * moto is started through a small launcher that serialises S3 object writes and deletes; where
 * moto's Python cannot be imported directly, the plain `moto_server` runs instead.
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

/** moto_server's main, with S3 object writes serialised so a conditional write is atomic, as on AWS. */
const atomicConditionalWritesLauncher = `
import sys, threading
from moto.s3.responses import S3Response
from moto.server import main
write = threading.Lock()
def serialised(handler):
    def handle(self, *args, **kwargs):
        with write:
            return handler(self, *args, **kwargs)
    return handle
S3Response.put_object = serialised(S3Response.put_object)
S3Response.delete_object = serialised(S3Response.delete_object)
main(sys.argv[1:])
`;

let launcher: {command: string; prefix: string[]} | undefined;
function motoCommand(): {command: string; prefix: string[]} {
	launcher ??=
		spawnSync('python3', ['-c', 'import moto.server, moto.s3.responses'], {stdio: 'ignore'}).status === 0
			? {command: 'python3', prefix: ['-c', atomicConditionalWritesLauncher]}
			: {command: 'moto_server', prefix: []};
	return launcher;
}

export async function startMotoServer(env: Record<string, string> = {}): Promise<MotoServer> {
	if (!motoInstalled()) throw new Error(motoInstallHint);
	const port = await freePort();
	const endpoint = `http://127.0.0.1:${port}`;
	const {command, prefix} = motoCommand();
	const child = spawn(command, [...prefix, '-H', '127.0.0.1', '-p', String(port)], {stdio: 'ignore', env: {...process.env, ...env}});
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
