/**
 * Errored-state files: where an apply keeps the state it could not save to the backend, for
 * `panka state push` to write back once the backend answers again.
 *
 * Invariants:
 * - Named per tenant, stack and environment, `errored-state.{tenant}.{stack}.{env}.json`, in the
 *   folder panka ran in: a failure of one stack never overwrites the file of another.
 * - Never overwritten: when that name is taken (an earlier failure not pushed yet), the next free
 *   `errored-state.{tenant}.{stack}.{env}.{n}.json` is used, so no unpushed state is lost.
 * - Written 0600 through writePrivateFile (temp file + rename): a state holds resource ids,
 *   outputs and inputs, which are nobody else's business.
 */
import {stat} from 'node:fs/promises';
import path from 'node:path';
import {nameProblem, writePrivateFile} from '../engine/index.js';
import type {StateDocument, StateKey} from '../engine/index.js';

/** `errored-state.acme.shop.production.json`, or `….2.json` for the second copy. */
export function erroredStateFileName({tenant, stack, environment}: StateKey, copy = 1): string {
	for (const [role, name] of [
		['tenant', tenant],
		['stack', stack],
		['environment', environment],
	] as const) {
		const problem = nameProblem(name, role);
		if (problem) throw new Error(`cannot name an errored-state file: ${problem}`);
	}
	return `errored-state.${tenant}.${stack}.${environment}${copy > 1 ? `.${copy}` : ''}.json`;
}

/** Saves `document` in `dir` under the first free errored-state name; returns its path. */
export async function saveErroredState(dir: string, document: StateDocument): Promise<string> {
	const {tenant, stack, environment} = document.metadata;
	for (let copy = 1; ; copy++) {
		const file = path.join(dir, erroredStateFileName({tenant, stack, environment}, copy));
		const taken = await stat(file).then(
			() => true,
			() => false,
		);
		if (taken) continue;
		await writePrivateFile(file, `${JSON.stringify(document, null, 2)}\n`);
		return file;
	}
}
