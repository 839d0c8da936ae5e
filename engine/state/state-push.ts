/**
 * `panka state push`: when a state document from a file may replace the stored state.
 *
 * Invariant: only a direct successor is accepted — the same lineage, built on the serial stored
 * now (the file's serial is exactly that + 1; with no state stored, serial 1). That is what an
 * apply whose state write failed saves (state-writer.ts keeps its document the successor of the
 * last state stored), and the only case in which nothing anyone wrote since can be lost. A file
 * built on an older serial, on a newer one, on another lineage, or on a state that was deleted
 * since is refused, and the refusal says which resources pushing it would have dropped or brought
 * back. Nothing here forces a push: the way past a refusal is a plan against the stored state.
 */
import type {StateDocument} from './state-document.js';
import {plural} from '../presentation.js';

export interface PushRefusal {
	message: string;
	hint: string;
}

const planAgain =
	'nothing was written; reconcile instead: panka plan --refresh reads what exists in AWS and plans against the stored state';

/** Undefined when `document` (read from `file`) may replace `stored`; else why not. */
export function pushRefusal(file: string, document: StateDocument, stored: StateDocument | undefined): PushRefusal | undefined {
	const builtOn = document.serial - 1;
	if (!stored) {
		if (builtOn === 0) return undefined;
		return {
			message: `${file} was built on state serial ${builtOn}, but no state is stored now (it was destroyed or removed since): pushing it would bring back ${describe(Object.keys(document.resources))}`,
			hint: planAgain,
		};
	}
	if (document.lineage !== stored.lineage)
		return {
			message: `${file} has lineage ${document.lineage}, the stored state ${stored.lineage}: it is another state (another environment, or a state destroyed and created again), not a successor of this one`,
			hint: planAgain,
		};
	if (builtOn === stored.serial) return undefined;
	const written = `${stored.metadata.deployedBy ? ` by ${stored.metadata.deployedBy}` : ''}${stored.metadata.deployedAt ? ` at ${stored.metadata.deployedAt}` : ''}`;
	if (builtOn < stored.serial) {
		const dropped = Object.keys(stored.resources).filter((address) => !(address in document.resources));
		return {
			message: `${file} was built on state serial ${builtOn}, but the stored state is at serial ${stored.serial} (written${written}): pushing it would lose what was written since${dropped.length > 0 ? `, dropping ${describe(dropped)} from the state while they still exist` : ''}`,
			hint: planAgain,
		};
	}
	return {
		message: `${file} claims to be built on state serial ${builtOn}, ahead of the stored serial ${stored.serial} (written${written}): it does not descend from the stored state`,
		hint: planAgain,
	};
}

function describe(addresses: readonly string[]): string {
	if (addresses.length === 0) return 'no resources';
	const shown = addresses.slice(0, 5).join(', ');
	return `${plural(addresses.length, 'resource')} (${shown}${addresses.length > 5 ? ', …' : ''})`;
}
