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

export const exitCodes = {ok: 0, errors: 1, usage: 2, interrupted: 130} as const;
