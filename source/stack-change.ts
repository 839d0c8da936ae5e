/**
 * What the CLI adds to a stack change (engine/apply/stack-change.ts): its settings from the flags
 * (--wait-timeout, --parallelism) and where a state the backend refused is kept (an errored-state
 * file in the folder panka ran in).
 */
import path from 'node:path';
import {kindNames, type StateDocument, type WaitTimeouts} from '../engine/index.js';
import {didYouMean} from '../engine/essentials.js';
import {parseDuration} from '../engine/backends.js';
import {saveErroredState} from './errored-state.js';
import {UsageError} from './errors.js';

/** Where a state the backend refused goes: an errored-state file in `cwd` (errored-state.ts); returns the path to show. */
export function erroredStateSaver(cwd: string): (document: StateDocument) => Promise<string> {
	return async (document) => {
		const file = await saveErroredState(cwd, document);
		return path.relative(cwd, file) || file;
	};
}

/**
 * `--wait-timeout 20m` (every kind) and `--wait-timeout MicroService=45m` (one kind; repeatable,
 * or comma-separated): how long a step waits for AWS to converge before it gives up.
 */
export function parseWaitTimeouts(values: readonly string[] | undefined): WaitTimeouts | undefined {
	if (!values?.length) return undefined;
	const timeouts: {all?: number; byKind: Record<string, number>} = {byKind: {}};
	const kinds = [...kindNames, 'SecurityGroup'];
	for (const item of values.flatMap((v) => v.split(',')).map((v) => v.trim())) {
		const eq = item.indexOf('=');
		const kind = eq >= 0 ? item.slice(0, eq).trim() : undefined;
		const value = eq >= 0 ? item.slice(eq + 1).trim() : item;
		if (kind !== undefined && !kinds.includes(kind))
			throw new UsageError(`--wait-timeout ${item}: unknown kind ${kind}${didYouMean(kind, kinds)}`, `kinds: ${kinds.join(', ')}`);
		let ms: number;
		try {
			ms = parseDuration(value, '--wait-timeout');
		} catch (error) {
			throw new UsageError((error as Error).message, 'for example --wait-timeout 20m or --wait-timeout MicroService=45m');
		}
		if (ms < 1_000) throw new UsageError(`--wait-timeout ${item}: a wait limit is at least 1s`);
		if (kind) timeouts.byKind[kind] = Math.ceil(ms / 1_000);
		else timeouts.all = Math.ceil(ms / 1_000);
	}
	return timeouts;
}

/** --parallelism: 1 to 100 steps at once, 10 by default. */
export function parseParallelism(value: string | undefined): number {
	if (value === undefined) return 10;
	const n = Number(value);
	if (!Number.isInteger(n) || n < 1 || n > 100) throw new UsageError(`--parallelism ${value}: expected a whole number from 1 to 100`);
	return n;
}
