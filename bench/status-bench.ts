/**
 * `panka status` of the demo stack (issue 14, Speed): the health reads run in parallel, so the
 * wall time is about the slowest single describe call, not the sum of them.
 *
 *   1. start moto as `npm run demo` does, deploy the demo stack (demo-apply-bench.ts's setup);
 *   2. warm up: every kind's health reader loaded, one round untimed (connections open);
 *   3. timed, several rounds: readStackStatus of the whole stack (every call recorded), then the
 *      same calls from a bare SDK loop: each alone (the slowest is the reference), one after
 *      another, and all at once;
 *   4. target, with 100 ms of network latency in front of moto (bench/latency-proxy.ts): status
 *      ≤ 1.5 × the slowest single call + 50 ms (medians over the rounds). Against moto directly
 *      the same figures are reported only: moto answers in a few milliseconds, one request at a
 *      time, so there the calls cost their sum however they are sent (the bare loop "at once" is
 *      no faster than "one by one"), which says nothing about sending them together.
 *
 * `node dist/bench/status-bench.js` runs this alone; bench/run.ts runs it in a child process.
 */
import {mkdtempSync, rmSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {AwsClients, type AwsSettings} from '../engine/aws/aws-clients.js';
import type {StateDocument} from '../engine/state/state-document.js';
import {kindNames, getKind} from '../engine/kinds/registry.js';
import {planChanges} from '../engine/plan/plan.js';
import {readStackStatus} from '../engine/status/stack-status.js';
import {readState} from '../engine/state/state-store.js';
import {demoOnMoto, probes, runToEnd, startDemoMoto} from './demo-apply-bench.js';
import {CallRecorder, motoSettings, warmUp} from './moto-apply.js';
import {startLatencyProxy} from './latency-proxy.js';
import {type RecordResult, runStandalone} from './standalone.js';

const rounds = 7;
const constantMs = 50;
/** A plausible round trip to an AWS regional endpoint. */
const latencyMs = 100;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

type Sendable = {send(command: object): Promise<unknown>};

function clientFor(clients: AwsClients, Client: unknown): Sendable {
	const name = (Client as {name: string}).name;
	return name === 'S3Client' ? clients.s3() : clients.get(Client as new (config: unknown) => Sendable);
}

interface Figures {
	/** Medians over the rounds, ms. */
	status: number;
	slowest: number;
	sequential: number;
	together: number;
	calls: number;
	verdict: string;
}

/** readStackStatus against `settings`' endpoint, then the same calls from a bare loop (see the header). */
async function measure(state: StateDocument, settings: AwsSettings): Promise<Figures> {
	const status: number[] = [];
	const slowest: number[] = [];
	const sequential: number[] = [];
	const together: number[] = [];
	let calls = 0;
	let verdict = '';
	// One recording client and one bare client for every round: both keep their connections warm.
	const recorder = new CallRecorder();
	const recording = new AwsClients({...settings, onSend: recorder.onSend});
	const bare = new AwsClients(settings);
	const send = (call: (typeof recorder.calls)[number]) =>
		clientFor(bare, call.Client)
			.send(call.command)
			.catch(() => {});
	for (let round = 0; round <= rounds; round++) {
		const first = recorder.calls.length;
		const started = performance.now();
		const read = await readStackStatus({state, clients: recording});
		const statusMs = performance.now() - started;
		// A reader that failed says `read`; metrics it could not read say `metrics: not read: …`.
		const unreadable = read.components.flatMap((c) =>
			c.facts.filter((f) => f.name === 'read' || f.name === 'metrics').map((f) => `${c.address}: ${f.value}`),
		);
		if (unreadable.length > 0) throw new Error(`status could not read ${unreadable.join('; ')}`);
		const sent = recorder.calls.slice(first);

		let slowestMs = 0;
		for (const call of sent) {
			const t = performance.now();
			await send(call);
			slowestMs = Math.max(slowestMs, performance.now() - t);
		}
		let t = performance.now();
		for (const call of sent) await send(call);
		const sequentialMs = performance.now() - t;
		t = performance.now();
		await Promise.all(sent.map(send));
		const togetherMs = performance.now() - t;
		if (round === 0) continue; // warm-up round: connections opened, moto's backends loaded
		status.push(statusMs);
		slowest.push(slowestMs);
		sequential.push(sequentialMs);
		together.push(togetherMs);
		calls = sent.length;
		verdict = read.verdict;
	}
	recording.destroy();
	bare.destroy();
	return {
		status: median(status),
		slowest: median(slowest),
		sequential: median(sequential),
		together: median(together),
		calls,
		verdict,
	};
}

export async function benchStatus(record: RecordResult): Promise<void> {
	const moto = await startDemoMoto();
	const scratch = mkdtempSync(path.join(os.tmpdir(), 'panka-status-bench-'));
	const settings = motoSettings(moto.endpoint);
	const setup = new AwsClients(settings);
	try {
		const {common, network} = await demoOnMoto(scratch, setup);
		const clients = new AwsClients(settings);
		await warmUp(settings, kindNames, probes);
		await runToEnd({...common, plan: planChanges(common.workspace, undefined), stored: undefined, clients, network});
		const stored = await readState(common.backend, common.key);
		if (!stored) throw new Error('the apply left no state');
		for (const kind of kindNames) await getKind(kind)?.health?.();
		const components = Object.keys(stored.state.resources).length;

		const direct = await measure(stored.state, settings);
		const proxy = await startLatencyProxy(moto.endpoint, latencyMs);
		const distant = await measure(stored.state, {...settings, endpoint: proxy.endpoint}).finally(() => proxy.close());
		for (const [where, figures, target] of [
			[`${latencyMs} ms network latency in front of moto`, distant, true],
			['moto direct', direct, false],
		] as const) {
			const limit = 1.5 * figures.slowest + constantMs;
			record(
				`status of the demo stack, ${where} (${components} components, ${figures.calls} calls, ${figures.verdict})`,
				`${figures.status.toFixed(0)} ms; slowest call ${figures.slowest.toFixed(0)} ms`,
				target ? `≤ 1.5 × slowest + ${constantMs} ms = ${limit.toFixed(0)} ms` : 'report',
				!target || figures.status <= limit,
			);
			record(
				'  same calls from a bare SDK loop',
				`${figures.together.toFixed(0)} ms at once, ${figures.sequential.toFixed(0)} ms one by one`,
				'report',
				true,
			);
		}
	} finally {
		setup.destroy();
		moto.stop();
		rmSync(scratch, {recursive: true, force: true});
	}
}

await runStandalone(import.meta.url, benchStatus);
