/**
 * What the apply benchmarks on moto share: client settings, the warm-up, recording every AWS
 * command an apply sends, and the bare SDK loop that sends exactly those commands again.
 *
 * Invariants:
 * - Recording hooks AwsClients' `onSend`, plus one middleware per client that notes the error code
 *   of every command AWS refused. A replay can then tell refusals the apply met as well (a lookup
 *   answering "not found" before a create) from refusals only the replay met ("diverged": moto's
 *   state or IDs differ from what the apply saw).
 * - The replay sends the recorded command objects, inputs exactly as panka sent them, through
 *   fresh clients of the same classes with the same settings (S3 path-style, as AwsClients.s3()).
 *   Workers take the next command in recorded order, `parallelism` at a time, and never wait for
 *   the commands an earlier one depends on: an upper bound on what a loop with that concurrency
 *   gets from moto. A refusal is counted, never retried, never fatal: the same number of requests
 *   reaches moto whatever it answers.
 * - Both sides start warm (warmUp): modules loaded and every moto backend touched, so neither
 *   figure includes module loading; each side's clients make their first connections in the
 *   timed part, alike.
 */
import {S3Client} from '@aws-sdk/client-s3';
import {AwsClients, type AwsSettings} from '../engine/aws/aws-clients.js';
import {getKind} from '../engine/kinds/registry.js';
import type {WaitSettings} from '../engine/providers/provider.js';

interface SdkClient {
	send(command: object): Promise<unknown>;
}
type ClientClass = new (config: object) => SdkClient;

interface Middleware {
	add(
		middleware: (next: (args: object) => Promise<unknown>) => (args: object) => Promise<unknown>,
		options: {step: 'initialize'; name: string},
	): void;
}

/** A waiter polls right away; moto is ready at once, so the delays only matter on a stray miss. */
export const benchWait: WaitSettings = {minDelay: 1, maxDelay: 1, maxWaitTime: 30};

/** AwsClients settings for moto on 127.0.0.1: fake credentials, no retries, nothing else reachable. */
export function motoSettings(endpoint: string): AwsSettings {
	return {
		region: 'us-east-1',
		endpoint,
		credentials: {accessKeyId: 'test', secretAccessKey: 'test'},
		allowedHosts: ['127.0.0.1'],
		forcePathStyle: true,
		maxAttempts: 1,
	};
}

/** A cheap read for one SDK client: its first call loads the client and moto's backend for it. */
export interface WarmUpProbe {
	Client: ClientClass;
	command: object;
}

/** Load the kinds' providers and send each probe once, from throwaway clients. */
export async function warmUp(settings: AwsSettings, kinds: readonly string[], probes: readonly WarmUpProbe[]): Promise<void> {
	for (const kind of kinds) await getKind(kind)?.provider?.();
	const clients = new AwsClients(settings);
	try {
		for (const {Client, command} of probes) await clientOf(clients, Client).send(command);
	} finally {
		clients.destroy();
	}
}

export interface RecordedCall {
	Client: ClientClass;
	command: object;
}

/** Every command sent through the AwsClients whose `onSend` is this recorder's, in sending order. */
export class CallRecorder {
	readonly calls: RecordedCall[] = [];
	readonly #refusals = new WeakMap<object, string>();
	readonly #watched = new WeakSet<object>();

	readonly onSend = (client: object, command: object): void => {
		if (!this.#watched.has(client)) {
			this.#watched.add(client);
			// The handler is called with the command itself: `args` is the command sent.
			(client as {middlewareStack: Middleware}).middlewareStack.add(
				(next) => async (args) => {
					try {
						return await next(args);
					} catch (error) {
						this.#refusals.set(args, errorCode(error));
						throw error;
					}
				},
				{step: 'initialize', name: 'benchRefusals'},
			);
		}
		this.calls.push({Client: client.constructor as ClientClass, command});
	};

	/** The error code AWS answered this recorded command with, if it refused it. */
	refusal(call: RecordedCall): string | undefined {
		return this.#refusals.get(call.command);
	}

	/** Client classes the recorded commands went through. */
	clientClasses(): Set<ClientClass> {
		return new Set(this.calls.map((call) => call.Client));
	}
}

export interface ReplayResult {
	calls: number;
	ms: number;
	callsPerSecond: number;
	/** Replayed commands moto refused. */
	failed: number;
	/** Of those, refused only on replay (the apply's same command went through), by `Command Code`. */
	diverged: Map<string, number>;
}

/** Send the recorded commands again from a bare loop, `parallelism` at a time (see the header). */
export async function replayCalls(recorder: CallRecorder, settings: AwsSettings, parallelism: number): Promise<ReplayResult> {
	const {calls} = recorder;
	const bare = new AwsClients(settings);
	const diverged = new Map<string, number>();
	let next = 0;
	let failed = 0;
	const started = performance.now();
	await Promise.all(
		Array.from({length: parallelism}, async () => {
			while (next < calls.length) {
				const call = calls[next++]!;
				await clientOf(bare, call.Client)
					.send(call.command)
					.catch((error: unknown) => {
						failed++;
						if (recorder.refusal(call) !== undefined) return;
						const key = `${call.command.constructor.name.replace(/Command$/, '')} ${errorCode(error)}`;
						diverged.set(key, (diverged.get(key) ?? 0) + 1);
					});
			}
		}),
	);
	const ms = performance.now() - started;
	bare.destroy();
	return {calls: calls.length, ms, callsPerSecond: calls.length / (ms / 1000), failed, diverged};
}

/** "3× CreateListener ValidationError, 1× …", most frequent first. */
export function describeDiverged(diverged: ReadonlyMap<string, number>): string {
	return [...diverged]
		.sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
		.map(([key, count]) => `${count}× ${key}`)
		.join(', ');
}

function clientOf(clients: AwsClients, Client: ClientClass): SdkClient {
	return Client === (S3Client as unknown) ? clients.s3() : clients.get(Client);
}

function errorCode(error: unknown): string {
	const {name, Code} = (error ?? {}) as {name?: string; Code?: string};
	return Code ?? name ?? 'Error';
}
