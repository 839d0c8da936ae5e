/**
 * One event stream, three renderers (docs/ARCHITECTURE.md §3): everything an apply or destroy does is an
 * EngineEvent, consumed alike by the workbench dashboard, the `--no-tui` line renderer and the
 * `--json` NDJSON renderer. Events are plain JSON values (no Errors, no Maps), so NDJSON is a
 * straight serialisation and nothing secret can hide in an object graph.
 *
 * Invariants: `apply.start` lists every step the run may start (the stack security group's
 * included), and every listed step ends in exactly one of resource.done, resource.failed,
 * resource.skipped or resource.not-started; no resource event names a step it did not list; the
 * stream ends with one `summary`, whose lists name those steps and whose `outcome` is the run's
 * one verdict (outcome.ts): views print it, none computes its own.
 * A running step is heard from at least every 10 s (`resource.heartbeat` when it is otherwise
 * quiet); a stop is reported the moment it comes (`apply.interrupted`, or `apply.halted` when the
 * run stops itself because its lock was lost or its state could not be saved).
 */
import type {ChangeAction} from '../plan/plan.js';
import {entriesADestroyKeeps} from '../state/damaged-entries.js';
import type {StateDocument} from '../state/state-document.js';
import {type RunOutcome, runOutcome} from './outcome.js';

export const engineEventVersion = 1;

/** The step a resource event is about: a replace runs as two steps (create the new, delete the old). */
export type ApplyAction = Exclude<ChangeAction, 'no-op'> | 'replace-create' | 'replace-delete';

export type EngineEvent =
	| {
			type: 'apply.start';
			at: string;
			stack: string;
			tenant: string;
			environment: string;
			operation: 'apply' | 'destroy';
			changes: Array<{address: string; action: ApplyAction; kind: string}>;
			parallelism: number;
	  }
	| {type: 'resource.start'; at: string; address: string; action: ApplyAction; kind: string}
	| {type: 'resource.progress'; at: string; address: string; action: ApplyAction; phase: string}
	/** Still running, `elapsedMs` since it started; `phase` is its latest progress. */
	| {type: 'resource.heartbeat'; at: string; address: string; action: ApplyAction; kind: string; elapsedMs: number; phase?: string}
	/** `unchanged`: the step found AWS as desired and changed nothing (the stack security group's update, when its rules already matched). */
	| {
			type: 'resource.done';
			at: string;
			address: string;
			action: ApplyAction;
			kind: string;
			physicalId?: string;
			outputs: Record<string, unknown>;
			elapsedMs: number;
			unchanged?: true;
	  }
	| {
			type: 'resource.failed';
			at: string;
			address: string;
			action: ApplyAction;
			kind: string;
			code: string;
			message: string;
			elapsedMs: number;
	  }
	| {type: 'resource.skipped'; at: string; address: string; action: ApplyAction; kind: string; reason: string}
	| {type: 'resource.not-started'; at: string; address: string; action: ApplyAction; kind: string}
	| {type: 'state.saved'; at: string; serial: number}
	| {type: 'state.save-failed'; at: string; message: string; savedTo?: string; instructions: string}
	/** The user's stop (`stop`: start nothing new) or abort; `cause` says what it was (`SIGHUP`, `standard output closed`), absent for Ctrl-C. */
	| {type: 'apply.interrupted'; at: string; mode: 'stop' | 'abort'; cause?: string}
	/** The run stops starting new steps by itself: its lock was lost, or the state could not be saved. */
	| {type: 'apply.halted'; at: string; reason: 'lock-lost' | 'state-not-saved'; message: string}
	| {
			type: 'summary';
			at: string;
			operation: 'apply' | 'destroy';
			done: string[];
			failed: string[];
			skipped: string[];
			notStarted: string[];
			/** `component.output` → value, after the apply (the whole stack's, not only what changed). */
			outputs: Record<string, unknown>;
			durationMs: number;
			interrupted: boolean;
			stateSerial: number;
			/** The run's verdict: its kind, the last line every view prints, details and counts. */
			outcome: RunOutcome;
	  };

/** The summary of a run that had nothing to do (the plan has no changes): the one a run ends with, for --json. */
export function noChangesSummary(
	operation: 'apply' | 'destroy',
	state: StateDocument | undefined,
	at: string,
): Extract<EngineEvent, {type: 'summary'}> {
	return {
		type: 'summary',
		at,
		operation,
		done: [],
		failed: [],
		skipped: [],
		notStarted: [],
		outputs: state?.outputs ?? {},
		durationMs: 0,
		interrupted: false,
		stateSerial: state?.serial ?? 0,
		outcome: runOutcome({operation, steps: [], unselected: [], ...heldBackOf(operation, state)}),
	};
}

/** A destroy with nothing to run may still leave damaged entries in the state: the stack is then not gone. */
function heldBackOf(operation: 'apply' | 'destroy', state: StateDocument | undefined) {
	const heldBack = operation === 'destroy' ? entriesADestroyKeeps(state) : [];
	return heldBack.length > 0 ? {heldBack} : {};
}
