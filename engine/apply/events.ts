/**
 * One event stream, three renderers (DESIGN.md §3): everything an apply or destroy does is an
 * EngineEvent, consumed alike by the workbench dashboard, the `--no-tui` line renderer and the
 * `--json` NDJSON renderer. Events are plain JSON values (no Errors, no Maps), so NDJSON is a
 * straight serialisation and nothing secret can hide in an object graph.
 *
 * Invariants: `apply.start` lists every step the run may start (the stack security group's
 * included), and every listed step ends in exactly one of resource.done, resource.failed,
 * resource.skipped or resource.not-started; no resource event names a step it did not list; the
 * stream ends with one `summary`, whose lists name those steps.
 */
import type {ChangeAction} from '../plan/plan.js';

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
	| {type: 'apply.interrupted'; at: string; mode: 'stop' | 'abort'}
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
	  };
