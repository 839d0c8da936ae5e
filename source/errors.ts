import type {Diagnostic, RunOutcome} from '../engine/index.js';

/** A problem with how panka was called (a missing argument, a bad flag): exit code 2. */
export class UsageError extends Error {
	readonly exitCode = 2;
	constructor(
		message: string,
		readonly hint?: string,
	) {
		super(message);
	}
}

/**
 * An expected failure the command has put in words itself: `lines` for stderr (diagnostics at
 * file:line:col, the refusal), and under --json the Error document with `message`, `hint` and the
 * diagnostics. main.ts prints it (exit 1), so a script always gets its document.
 */
export class FailureReport extends Error {
	constructor(
		readonly lines: readonly string[],
		message: string,
		readonly details: {hint?: string | undefined; diagnostics?: readonly Diagnostic[]} = {},
	) {
		super(message);
	}
}

/**
 * 0 ok, 1 problems found (or a failed run), 2 usage error, 3 drift found (`panka drift`: not 2,
 * so a CI step can tell drift from a mistyped flag), 130 Ctrl-C.
 */
export const exitCodes = {ok: 0, errors: 1, usage: 2, drift: 3, interrupted: 130} as const;

/**
 * The exit code of an apply or destroy, from the engine's outcome (engine/apply/outcome.ts):
 * 0 when everything asked for was applied and saved (a plan part of which the user chose to skip
 * included), 1 when a step failed, changes that widen access were held back for their own approval, a destroy left damaged state entries behind, the state could not be saved or the lock was lost, and for an
 * interruption the code of its cause (130 Ctrl-C, 143 SIGTERM, 129 SIGHUP, 141 closed output).
 */
export function outcomeExitCode(outcome: RunOutcome, interruption?: {exitCode: number}): number {
	switch (outcome.kind) {
		case 'success':
		case 'no-changes':
		case 'partial-by-choice':
			return exitCodes.ok;
		case 'interrupted':
			return interruption?.exitCode ?? exitCodes.interrupted;
		case 'awaiting-approval':
		case 'partial-by-failure':
		case 'held-back':
		case 'state-not-saved':
		case 'lock-lost':
			return exitCodes.errors;
	}
}
