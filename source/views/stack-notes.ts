/**
 * What the plan, apply and state views say the same way in every kind (lines, JSON, Ink): notes
 * on stderr, so stdout keeps the plan, its document or its events.
 * - a refresh before a plan: the drift it found (drift-view.ts words it);
 * - a plan over the tenant's budget: the refusal (plan-cost.ts words it);
 * - a lock left by a panka that died on this host, broken: one warning, since what the dead run
 *   left in flight is resolved next.
 */
import type {LockInfo} from '../../engine/backends.js';
import type {Plan, TenantConfig} from '../../engine/index.js';
import type {DriftEntry} from '../../engine/operations.js';
import {noteBudgetRefusal} from '../plan-cost.js';
import {noteRefreshedDrift} from './drift-view.js';
import type {Output} from './view.js';

export interface StackNotes {
	/** --refresh: what changed outside panka, among the stack's `resources`, told before the plan. */
	refreshed(drift: readonly DriftEntry[], resources: number): void;
	/** The plan, already shown, takes tenant `config` over its budget: it is refused (and never saved). */
	overBudget(plan: Plan, config: TenantConfig): void;
	/** The lock of a panka that died on this host was broken. */
	brokeLock(broken: LockInfo): void;
}

export function stackNotes(out: Output): StackNotes {
	return {
		refreshed: (drift, resources) => noteRefreshedDrift(out, drift, resources),
		overBudget: (plan, config) => noteBudgetRefusal(out, plan, config),
		brokeLock: (broken) =>
			out.note(
				`${out.errPaint('warning:', 'yellow', 'bold')} broke the lock of "${broken.operation}" by ${broken.who} (pid ${broken.pid}), which is no longer running on this host; resolving what it left in flight`,
			),
	};
}
