/**
 * readStackStatus: the health of every deployed component of a stack and environment, read from
 * AWS (`panka status`, the workbench's status pane).
 *
 * Invariants:
 * - What is read is what the state records (addresses, physical names, outputs); nothing is
 *   written anywhere. `x#deposed` entries (the old half of a replace in progress) are not
 *   components and are not read.
 * - Every component's reader starts at once, and each reader runs its own calls in parallel, so
 *   the wall time is about the slowest component's, not the sum (bench/status-bench.ts).
 * - One reader failing (an AWS error, a kind without a reader) makes that component `unknown`
 *   with the reason as a fact, never the others; a resource AWS no longer has is `failing`; a
 *   resource the last apply left failed or tainted is at least `degraded`.
 * - Components come out in address order; verdicts by the one rule of health.ts.
 */
import {setMaxListeners} from 'node:events';
import type {AwsClients} from '../aws/aws-clients.js';
import {getKind} from '../kinds/registry.js';
import type {StateDocument, StateResource} from '../state/state-document.js';
import {type ComponentHealth, type HealthContext, type HealthFact, type HealthReading, stackVerdict, verdictOfFacts} from './health.js';

export interface StackStatusInput {
	state: StateDocument;
	clients: AwsClients;
	/** Only these addresses (`service/component`); every recorded component when absent. */
	addresses?: readonly string[];
	signal?: AbortSignal;
	/** When the read starts (default: now), as `readAt` says. */
	now?: Date;
}

export interface StackStatus {
	verdict: ComponentHealth['verdict'];
	components: ComponentHealth[];
	/** When the read started (ISO). */
	readAt: string;
}

export async function readStackStatus(input: StackStatusInput): Promise<StackStatus> {
	const now = input.now ?? new Date();
	// Every call of every reader listens on one signal: more than Node's default of 10 listeners.
	const controller = new AbortController();
	setMaxListeners(0, controller.signal);
	const {signal} = controller;
	if (input.signal?.aborted) controller.abort(input.signal.reason);
	input.signal?.addEventListener('abort', () => controller.abort(input.signal?.reason), {once: true});
	const wanted = input.addresses ? new Set(input.addresses) : undefined;
	const resources = Object.entries(input.state.resources)
		.filter(([address]) => !address.includes('#') && (!wanted || wanted.has(address)))
		.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
	const components = await Promise.all(
		resources.map(([address, resource]) => componentHealth(address, resource, {clients: input.clients, signal, address, now})),
	);
	return {verdict: stackVerdict(components), components, readAt: now.toISOString()};
}

async function componentHealth(address: string, resource: StateResource, context: HealthContext): Promise<ComponentHealth> {
	const kind = getKind(resource.kind);
	const base = {address, service: resource.service, component: resource.name, kind: resource.kind, hasLogs: kind?.hasLogs === true};
	const reading = await readHealth(resource, context);
	const facts: HealthFact[] = reading.exists
		? [...reading.facts]
		: [{name: 'resource', value: `${resource.physicalId || address} not found in AWS (deleted outside panka?)`, verdict: 'failing'}];
	if (resource.status !== 'ready')
		facts.push({name: 'last apply', value: `left it ${resource.status} (panka plan shows what the next apply does)`, verdict: 'degraded'});
	return {...base, verdict: verdictOfFacts(facts), facts, events: reading.exists ? (reading.events ?? []) : []};
}

async function readHealth(resource: StateResource, context: HealthContext): Promise<HealthReading> {
	const reader = await getKind(resource.kind)?.health?.();
	if (!reader) return {exists: true, facts: [{name: 'health', value: `panka reads no health for ${resource.kind}`, verdict: 'unknown'}]};
	try {
		return await reader(context, resource);
	} catch (error) {
		return {exists: true, facts: [{name: 'read', value: (error as Error)?.message ?? String(error), verdict: 'unknown'}]};
	}
}
