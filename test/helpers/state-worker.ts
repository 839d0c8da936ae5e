/**
 * A real, separate panka-like process for the state and lock tests, started by `runWorkers`
 * (backend-fixture.ts) as `node --import tsx test/helpers/state-worker.ts '<job JSON>'`.
 *
 * It opens the backend, prints `ready`, waits for `go` on stdin (so that every worker starts its
 * race at the same moment), runs its job and prints one JSON line with the result:
 *
 *   {"command":"lock"}          acquireLock with no timeout → {"won":true,"id":…} and exit still
 *                               holding the lock, or {"won":false,"message":…,"holderId":…}
 *   {"command":"write","times"} `times` recordWrite calls → {"attempts":[…]}
 */
import os from 'node:os';
import {createInterface} from 'node:readline';
import {acquireLock, LockHeldError} from '../../engine/state/lock.js';
import {type BackendTarget, openTarget, recordWrite, shopProd} from './state-workload.js';

export type WorkerJob = {command: 'lock'} | {command: 'write'; times: number};
export type WorkerResult = {won: true; id: string; pid: number} | {won: false; message: string; holderId: string} | {attempts: number[]};

const [target, job] = JSON.parse(process.argv[2] ?? '[]') as [BackendTarget, WorkerJob];
const {backend, close} = openTarget(target);

process.stdout.write('ready\n');
const lines = createInterface({input: process.stdin});
for await (const line of lines) if (line === 'go') break;
lines.close();

let result: WorkerResult;
if (job.command === 'lock') {
	try {
		const held = await acquireLock(backend, shopProd, {
			operation: 'apply',
			who: `worker@${os.hostname()}`,
			host: os.hostname(),
			pid: process.pid,
			version: 'test',
		});
		result = {won: true, id: held.info.id, pid: process.pid};
	} catch (error) {
		if (!(error instanceof LockHeldError)) throw error;
		result = {won: false, message: error.message, holderId: error.holder.id};
	}
} else {
	const attempts: number[] = [];
	for (let i = 0; i < job.times; i++) attempts.push(await recordWrite(backend, shopProd, `process-${process.pid}-${i}`));
	result = {attempts};
}
process.stdout.write(`${JSON.stringify(result)}\n`);
close();
