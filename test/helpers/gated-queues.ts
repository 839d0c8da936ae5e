/**
 * Runs whose every moment the test chooses: the SQS kind's provider replaced by one whose creates
 * each wait until the test lets them finish (`gate.next()`), recording which reached "AWS"; and a
 * stack of independent queues for it to create. The backend stays real.
 *
 *   const gate = gatedQueues();               // in a describe: installs and removes the provider
 *   const dir = queueStack('queues', 5);
 *   … await until(() => gate.waiting.length === 2); gate.next(); …
 *
 * The provider is swapped with a spy on the kind's `provider` (vi.mock of the module races when
 * parallel steps import it at the same moment).
 */
import {afterAll, beforeAll, vi} from 'vitest';
import {getKind} from '../../engine/kinds/registry.js';
import type {Provider, ResourceContext} from '../../engine/providers/provider.js';
import {writeStackFolder} from './stack-fixture.js';

export interface QueueGate {
	/** Queue names whose create reached "AWS", in order. */
	readonly created: string[];
	/** Creates waiting for the test. */
	readonly waiting: Array<() => void>;
	/** Lets the oldest waiting create finish. */
	next(): void;
	reset(): void;
}

export function gatedQueues(): QueueGate {
	const gate: QueueGate = {
		created: [],
		waiting: [],
		next() {
			const release = gate.waiting.shift();
			if (!release) throw new Error('no create is waiting');
			release();
		},
		reset() {
			gate.created.length = 0;
			gate.waiting.length = 0;
		},
	};
	const provider: Provider<unknown> = {
		async create(context: ResourceContext) {
			gate.created.push(context.names.primary!);
			context.progress(`creating queue ${context.names.primary}`);
			await new Promise<void>((resolve) => gate.waiting.push(resolve));
			return {physicalId: `https://sqs.local/123456789012/${context.names.primary}`, outputs: {queueUrl: `q://${context.names.primary}`}};
		},
		async update() {
			throw new Error('not used');
		},
		async delete() {},
		async read() {
			throw new Error('not used');
		},
		async find() {
			return undefined;
		},
	};
	beforeAll(() => {
		vi.spyOn(getKind('SQS')!, 'provider').mockResolvedValue(provider);
	});
	afterAll(() => vi.restoreAllMocks());
	return gate;
}

/** A stack `stack` (tenant acme) with `count` independent queues q0…q<count-1> in service jobs. */
export function queueStack(stack: string, count: number): string {
	const docs = Array.from({length: count}, (_, i) => `---\napiVersion: components.panka.io/v1\nkind: SQS\nmetadata:\n  name: q${i}\n`);
	return writeStackFolder(stack, {jobs: {'queues.yaml': docs.join('')}});
}

/** Waits (polling) until `check` holds; `describe` says what was seen when it times out. */
export async function until(check: () => boolean, describe: () => string = () => ''): Promise<void> {
	await vi.waitFor(
		() => {
			if (!check()) throw new Error(`not yet: ${describe()}`);
		},
		{timeout: 5_000, interval: 2},
	);
}
