/**
 * Executor overhead: a random 1,000-node DAG whose every operation takes 20 ms, run with
 * parallelism 10. The ideal schedule takes max(critical path, total work / parallelism); the
 * target is a wall time within 1.10× of it.
 */
import {setTimeout as sleep} from 'node:timers/promises';
import {executeOperations, type Operation} from '../engine/apply/executor.js';

export interface ExecutorBenchResult {
	wallMs: number;
	idealMs: number;
	criticalPathMs: number;
	ratio: number;
}

/** A reproducible random DAG: each node depends on up to 3 earlier nodes. */
function randomDag(nodes: number, seed: number): string[][] {
	let state = seed;
	const random = () => {
		state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
		return state / 2 ** 31;
	};
	return Array.from({length: nodes}, (_, i) => {
		const deps = new Set<string>();
		const count = i === 0 ? 0 : Math.floor(random() * 4);
		for (let k = 0; k < count; k++) deps.add(`n${Math.floor(random() * i)}`);
		return [...deps];
	});
}

export async function benchExecutor(nodes = 1_000, operationMs = 20, parallelism = 10): Promise<ExecutorBenchResult> {
	const dag = randomDag(nodes, 42);
	const depth: number[] = [];
	dag.forEach((deps, i) => {
		depth[i] = 1 + Math.max(0, ...deps.map((d) => depth[Number(d.slice(1))]!));
	});
	const criticalPathMs = Math.max(...depth) * operationMs;
	const idealMs = Math.max(criticalPathMs, (nodes * operationMs) / parallelism);
	const operations: Operation<void>[] = dag.map((dependsOn, i) => ({
		id: `n${i}`,
		dependsOn,
		estimateMs: operationMs,
		run: () => sleep(operationMs),
	}));
	const started = performance.now();
	for await (const _ of executeOperations(operations, {parallelism})) {
		// drain
	}
	const wallMs = performance.now() - started;
	return {wallMs, idealMs, criticalPathMs, ratio: wallMs / idealMs};
}
