/**
 * The outcome of an apply or destroy: one value, computed once (by applyPlan, from what happened)
 * and printed as it is by every view — the `--no-tui` lines, the `--json` summary, the dashboard,
 * the workbench's footer — and turned into the exit code by the CLI. No view decides by itself
 * whether a run succeeded.
 *
 *   kind                 when                                                         exit
 *   success              every change asked for was applied and the state saved        0
 *   no-changes           there was nothing to do                                       0
 *   partial-by-choice    everything approved was applied and saved, but the review     0
 *                        (or a saved plan's selection) left some of the plan's changes
 *                        out: the user's choice, said in the last line
 *   awaiting-approval    everything approved was applied and saved, but changes that   1
 *                        widen access were held back: nobody approved them on their
 *                        own (an unattended apply under the tenant's requireApproval,
 *                        engine/plan/approval.ts); the details say what each widens
 *   partial-by-failure   a step failed; what depends on it was skipped                 1
 *   held-back            a destroy ran every step, but the state still records         1
 *                        entries too damaged to plan from (state/damaged-entries.ts):
 *                        the stack is not fully destroyed; the details name each entry
 *                        and its repair
 *   interrupted          Ctrl-C, SIGTERM, SIGHUP or a closed output stopped the run    130, 143,
 *                        (what ran finished and was saved)                             129, 141
 *   state-not-saved      a state write was refused: AWS has what the recorded state    1
 *                        does not say; the details name each resource and the one
 *                        command that reconciles them
 *   lock-lost            the stack's lock was broken or taken while the run held it    1
 *
 * When several apply the most serious wins, in the order lock-lost, state-not-saved,
 * interrupted, partial-by-failure, held-back, awaiting-approval, partial-by-choice (the held-back entries are
 * named in the details of a partial-by-failure too); the headline of a lost lock or an unsaved
 * state still counts what ran. (The exit codes are the CLI's: source/errors.ts.)
 *
 * Counting is by change, as the plan counts: a replace (two steps) is one change, the stack
 * security group's step is one; a change is applied when every one of its steps is done.
 *
 * Pure: no clock, no I/O.
 */
import type {DamagedEntry} from '../state/damaged-entries.js';
import type {StateDocument} from '../state/state-document.js';
import {plural} from '../presentation.js';

export type OutcomeKind =
	| 'success'
	| 'no-changes'
	| 'partial-by-choice'
	| 'awaiting-approval'
	| 'partial-by-failure'
	| 'held-back'
	| 'interrupted'
	| 'state-not-saved'
	| 'lock-lost';

/** What the recorded state gets wrong about AWS after a run that could not save it. */
export interface UnrecordedChange {
	address: string;
	/** created: exists in AWS, not recorded; deleted: gone from AWS, still recorded; updated: AWS has the new configuration, the state the old; in-flight: recorded as in flight, its result not. */
	change: 'created' | 'updated' | 'deleted' | 'in-flight';
	physicalId?: string;
}

export interface ChangeCounts {
	/** Changes in the plan (no-ops aside), approved or not. */
	total: number;
	applied: number;
	failed: number;
	/** Skipped because a change they need failed. */
	skipped: number;
	/** Not started: a stop (Ctrl-C, a signal, a lost lock or an unsaved state) came first. */
	notStarted: number;
	/** Left out of this run by the user (the review, a saved plan's selection). */
	unselected: number;
}

export interface RunOutcome {
	kind: OutcomeKind;
	/** How views colour it: ok (✓), warning (⚠: interrupted, or partial by choice), error (✗). */
	tone: 'ok' | 'warning' | 'error';
	/** The run's last line, with its ✓ ⚠ ✗ (unstyled): what every view ends with. */
	headline: string;
	/** Lines under the headline: what AWS has that the state does not record, and what to run. */
	details: string[];
	changes: ChangeCounts;
	/** For state-not-saved and lock-lost: the differences between AWS and the recorded state. */
	unrecorded?: UnrecordedChange[];
	/** The one command that brings the recorded state in line with AWS, when it is not. */
	reconcile?: string;
}

export interface StepResult {
	address: string;
	outcome: 'done' | 'failed' | 'skipped' | 'not-started';
}

export interface OutcomeInput {
	operation: 'apply' | 'destroy';
	steps: readonly StepResult[];
	/** Addresses of the plan's changes the selection left out. */
	unselected: readonly string[];
	/** Of those, the changes held back for their own approval (the selection's `withheld`), with why. */
	awaitingApproval?: ReadonlyMap<string, string>;
	/** A user's stop: Ctrl-C and the like. */
	interrupted?: {cause?: string};
	/** The backend refused a state write. */
	stateNotSaved?: {message: string; savedTo?: string};
	/** For a destroy: the entries the state still records because they are damaged (nothing was planned for them). */
	heldBack?: readonly DamagedEntry[];
	/** The lock was lost while the run held it. */
	lockLost?: {message: string};
	/** What the backend last accepted, and what the run knows AWS has (for the two above). */
	recorded?: StateDocument;
	actual?: StateDocument;
	/** The commands that reconcile, as the caller spells them. */
	commands?: ReconcileCommands;
}

/** How the CLI spells the two commands that reconcile a state with AWS. */
export interface ReconcileCommands {
	/** `panka state push errored-state.json --stack shop --env prod` */
	statePush(file: string): string;
	/** `panka apply shop --env prod` */
	rerun: string;
}

export function runOutcome(input: OutcomeInput): RunOutcome {
	const verdict = judge(input);
	return {
		...verdict,
		tone:
			verdict.kind === 'success' || verdict.kind === 'no-changes'
				? 'ok'
				: verdict.kind === 'interrupted' || verdict.kind === 'partial-by-choice' || verdict.kind === 'awaiting-approval'
					? 'warning'
					: 'error',
	};
}

function judge(input: OutcomeInput): Omit<RunOutcome, 'tone'> {
	const changes = countChanges(input.steps, input.unselected.length);
	const destroy = input.operation === 'destroy';
	const unrecorded = input.recorded && input.actual ? unrecordedChanges(input.recorded, input.actual) : undefined;
	const ran = ranSummary(changes, input.operation);

	if (input.lockLost || input.stateNotSaved) {
		const reconcile = input.stateNotSaved?.savedTo
			? (input.commands?.statePush(input.stateNotSaved.savedTo) ?? `panka state push ${input.stateNotSaved.savedTo}`)
			: (input.commands?.rerun ?? `panka ${input.operation}`);
		const details = [
			...(input.lockLost ? [input.lockLost.message] : []),
			...(input.stateNotSaved ? [input.stateNotSaved.message] : []),
			...unrecordedLines(unrecorded ?? []),
		];
		const what =
			(unrecorded?.length ?? 0) === 0
				? 'the recorded state still matches what this run did'
				: `${plural(unrecorded!.length, 'change')} made in AWS ${unrecorded!.length === 1 ? 'is' : 'are'} not in the recorded state`;
		const fix =
			(unrecorded?.length ?? 0) === 0
				? ''
				: input.stateNotSaved?.savedTo
					? `; run: ${reconcile}`
					: `; run ${reconcile} once the backend takes writes again (it resolves the operations recorded in flight first)`;
		const held = changes.notStarted > 0 ? 'nothing new was started once that was known' : 'found as the run ended';
		const headline = input.lockLost
			? `✗ The stack's lock was lost while this run held it (${held}; ${ran}); ${what}${fix}`
			: `✗ The state could not be saved (${ran}): ${what}${fix}`;
		return {
			kind: input.lockLost ? 'lock-lost' : 'state-not-saved',
			headline,
			details,
			changes,
			...(unrecorded ? {unrecorded} : {}),
			...((unrecorded?.length ?? 0) > 0 ? {reconcile} : {}),
		};
	}
	if (input.interrupted) {
		const what = destroy ? 'Destroy' : 'Deploy';
		const done = input.steps.filter((s) => s.outcome === 'done').length;
		const failed = input.steps.filter((s) => s.outcome === 'failed').length;
		const notStarted = input.steps.filter((s) => s.outcome === 'not-started').length;
		return {
			kind: 'interrupted',
			headline: `⚠ ${what} interrupted${input.interrupted.cause ? ` (${input.interrupted.cause})` : ''}: ${done} done, ${failed} failed, ${notStarted} not started. Run it again to finish.`,
			details: [],
			changes,
		};
	}
	const heldBack = input.heldBack ?? [];
	const heldBackDetails = heldBack.map(
		(entry) => `${entry.address}: the state entry is damaged: ${entry.problem}; to repair it: ${entry.repair}`,
	);
	if (changes.failed > 0 || changes.skipped > 0 || changes.notStarted > 0)
		return {
			kind: 'partial-by-failure',
			headline: `✗ ${capitalise(ran)}: the stack is not fully ${destroy ? 'destroyed' : 'deployed'}; ${destroy ? 'panka destroy again deletes what is left' : 'panka plan shows what is left'}`,
			details: heldBackDetails,
			changes,
		};
	if (heldBack.length > 0) {
		const addresses = heldBack.map((entry) => entry.address).join(', ');
		const them = heldBack.length === 1 ? 'it' : 'them';
		return {
			kind: 'held-back',
			headline: `✗ ${capitalise(ran)}: the stack is not fully destroyed: the state still records ${addresses}, damaged, so nothing was planned for ${them}; repair ${them} as said above, then run panka destroy again`,
			details: heldBackDetails,
			changes,
		};
	}
	const awaiting = input.awaitingApproval ?? new Map<string, string>();
	if (awaiting.size > 0)
		return {
			kind: 'awaiting-approval',
			headline: `⚠ ${capitalise(ran)}: the stack is not fully deployed: ${plural(awaiting.size, 'change')} that ${awaiting.size === 1 ? 'widens' : 'widen'} access ${awaiting.size === 1 ? 'waits' : 'wait'} for ${awaiting.size === 1 ? 'its' : 'their'} own approval`,
			details: [...awaiting].map(([address, why]) => `${address}: ${why}`),
			changes,
		};
	if (changes.unselected > 0)
		return {
			kind: 'partial-by-choice',
			headline: `⚠ ${capitalise(ran)}: the stack is not fully ${destroy ? 'destroyed' : 'deployed'}; panka plan shows what is left`,
			details: [],
			changes,
		};
	if (changes.applied === 0)
		return {kind: 'no-changes', headline: '✓ No changes: the stack matches the configuration.', details: [], changes};
	return {
		kind: 'success',
		headline: destroy ? '✓ Stack destroyed successfully!' : '✓ Stack deployed successfully!',
		details: [],
		changes,
	};
}

/** What a halt is, in the words every view uses: "The stack's lock was lost", "The state could not be saved". */
export function haltTitle(reason: 'lock-lost' | 'state-not-saved'): string {
	return reason === 'lock-lost' ? "The stack's lock was lost" : 'The state could not be saved';
}

/** `applied 2 of 6 changes; 1 failed, 1 skipped because of it, 2 left out by choice`. */
function ranSummary(changes: ChangeCounts, operation: 'apply' | 'destroy'): string {
	const head =
		operation === 'destroy'
			? `deleted ${changes.applied} of ${plural(changes.total, 'resource')}`
			: `applied ${changes.applied} of ${plural(changes.total, 'change')}`;
	const parts: string[] = [];
	if (changes.failed > 0) parts.push(`${changes.failed} failed`);
	if (changes.skipped > 0) parts.push(`${changes.skipped} skipped because of ${changes.failed === 1 ? 'it' : 'the failures'}`);
	if (changes.notStarted > 0) parts.push(`${changes.notStarted} not started`);
	if (changes.unselected > 0)
		parts.push(`${changes.unselected} skipped${changes.failed + changes.skipped + changes.notStarted > 0 ? ' by choice' : ''}`);
	return parts.length > 0 ? `${head}; ${parts.join(', ')}` : head;
}

/** Steps grouped into changes by address: applied when all done, failed when any failed, … */
function countChanges(steps: readonly StepResult[], unselected: number): ChangeCounts {
	const byAddress = new Map<string, StepResult['outcome'][]>();
	for (const step of steps) byAddress.set(step.address, [...(byAddress.get(step.address) ?? []), step.outcome]);
	const counts: ChangeCounts = {total: byAddress.size + unselected, applied: 0, failed: 0, skipped: 0, notStarted: 0, unselected};
	for (const outcomes of byAddress.values()) {
		if (outcomes.every((o) => o === 'done')) counts.applied++;
		else if (outcomes.includes('failed')) counts.failed++;
		else if (outcomes.includes('skipped')) counts.skipped++;
		else counts.notStarted++;
	}
	return counts;
}

/** How the recorded state differs from what the run knows AWS has. */
export function unrecordedChanges(recorded: StateDocument, actual: StateDocument): UnrecordedChange[] {
	const out: UnrecordedChange[] = [];
	const pending = new Set(recorded.pending.map((p) => p.address));
	for (const [address, resource] of Object.entries(actual.resources)) {
		const was = recorded.resources[address];
		if (!was) out.push({address, change: 'created', physicalId: resource.physicalId});
		else if (was.physicalId !== resource.physicalId || JSON.stringify(was.inputs) !== JSON.stringify(resource.inputs))
			out.push({address, change: 'updated', physicalId: resource.physicalId});
		else if (pending.has(address) && !actual.pending.some((p) => p.address === address)) out.push({address, change: 'in-flight'});
	}
	for (const [address, resource] of Object.entries(recorded.resources))
		if (!actual.resources[address]) out.push({address, change: 'deleted', physicalId: resource.physicalId});
	const group = actual.networking.stackSecurityGroupId;
	if (group && recorded.networking.stackSecurityGroupId !== group)
		out.push({address: 'stack#security-group', change: 'created', physicalId: group});
	if (!group && recorded.networking.stackSecurityGroupId)
		out.push({address: 'stack#security-group', change: 'deleted', physicalId: recorded.networking.stackSecurityGroupId});
	return out.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
}

const unrecordedText: Record<UnrecordedChange['change'], (address: string, id: string) => string> = {
	created: (address, id) => `${address}: exists in AWS${id} but not in the recorded state`,
	updated: (address, id) => `${address}: updated in AWS${id}; the recorded state has its previous configuration`,
	deleted: (address, id) => `${address}: deleted from AWS${id} but still in the recorded state`,
	'in-flight': (address) => `${address}: recorded as in flight; its result is not recorded`,
};

function unrecordedLines(changes: readonly UnrecordedChange[]): string[] {
	return changes.map((c) => unrecordedText[c.change](c.address, c.physicalId ? ` (${c.physicalId})` : ''));
}

function capitalise(text: string): string {
	return text.charAt(0).toUpperCase() + text.slice(1);
}
