/**
 * pushRefusal: what `panka state push` accepts. Only the direct successor of the stored state
 * (same lineage, serial = stored + 1; serial 1 when nothing is stored); everything else is refused
 * with what pushing would have lost or brought back.
 */
import {describe, expect, it} from 'vitest';
import {emptyState, type StateDocument} from '../../../engine/state/state-document.js';
import {pushRefusal} from '../../../engine/state/state-push.js';

const base = emptyState({tenant: 'acme', stack: 'shop', environment: 'prod'});

function state(serial: number, addresses: string[], lineage = base.lineage): StateDocument {
	const resources = Object.fromEntries(addresses.map((a) => [a, {} as StateDocument['resources'][string]]));
	return {...base, lineage, serial, resources, metadata: {...base.metadata, deployedBy: 'bob@laptop', deployedAt: '2026-05-01T10:00:00Z'}};
}

describe('pushRefusal', () => {
	it('accepts the successor of the stored serial, and serial 1 when nothing is stored', () => {
		expect(pushRefusal('f.json', state(8, ['api/a']), state(7, ['api/a', 'api/b']))).toBeUndefined();
		expect(pushRefusal('f.json', state(1, ['api/a']), undefined)).toBeUndefined();
	});

	it('refuses a file built on an older serial, naming what it would drop', () => {
		const refusal = pushRefusal('f.json', state(6, ['api/a']), state(7, ['api/a', 'api/b', 'api/c']));
		expect(refusal?.message).toBe(
			'f.json was built on state serial 5, but the stored state is at serial 7 (written by bob@laptop at 2026-05-01T10:00:00Z): pushing it would lose what was written since, dropping 2 resources (api/b, api/c) from the state while they still exist',
		);
		expect(refusal?.hint).toMatch(/^nothing was written; reconcile instead: panka plan --refresh/);
		// Stale even when it would drop nothing: what was written since may be changes, not additions.
		expect(pushRefusal('f.json', state(7, ['api/a']), state(7, ['api/a']))?.message).toMatch(
			/built on state serial 6, but the stored state is at serial 7/,
		);
	});

	it('refuses another lineage, a serial ahead, and a file for a state that no longer exists', () => {
		expect(pushRefusal('f.json', state(8, []), state(7, [], 'other-lineage'))?.message).toMatch(
			/has lineage .*, the stored state other-lineage: it is another state/,
		);
		expect(pushRefusal('f.json', state(12, []), state(7, []))?.message).toMatch(
			/claims to be built on state serial 11, ahead of the stored serial 7/,
		);
		expect(pushRefusal('f.json', state(5, ['api/a', 'api/b']), undefined)?.message).toBe(
			'f.json was built on state serial 4, but no state is stored now (it was destroyed or removed since): pushing it would bring back 2 resources (api/a, api/b)',
		);
	});
});
