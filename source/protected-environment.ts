/**
 * Protected environments (stack.yaml `spec.environments.<env>.protected: true`): applying,
 * promoting to or destroying one needs a confirmation that names it: typed in a terminal, or
 * `--confirm-env <name>` in CI. `--yes` approves the changes, never the environment: alone it is
 * refused, naming the flag.
 *
 * Invariants: asked before the stack's lock is taken and before anything is planned against AWS,
 * so a refusal changes nothing; a `--confirm-env` that names another environment is refused even
 * for an unprotected one (it says the caller meant another target).
 */
import type {CommandContext} from './context.js';
import {UsageError} from './errors.js';
import type {Flags} from './flags.js';
import {canPrompt, promptLine} from './prompt.js';

export type ProtectedAction = 'apply' | 'destroy' | 'promote to' | 'roll back';

/** Typed confirmation did not match: nothing was done (exit 1, with the flag for next time). */
export class EnvironmentNotConfirmed extends Error {
	constructor(
		message: string,
		readonly hint: string,
	) {
		super(message);
	}
}

const gerund: Record<ProtectedAction, string> = {
	apply: 'applying',
	destroy: 'destroying',
	'promote to': 'promoting to',
	'roll back': 'rolling back',
};

export async function confirmProtectedEnvironment(
	context: CommandContext,
	flags: Pick<Flags, 'confirmEnv' | 'yes' | 'json'>,
	target: {environment: string; protected: boolean; action: ProtectedAction},
): Promise<void> {
	const {environment, action} = target;
	const flag = `--confirm-env ${environment}`;
	if (flags.confirmEnv !== undefined && flags.confirmEnv !== environment)
		throw new UsageError(
			`--confirm-env ${flags.confirmEnv} does not name the environment to ${action}, ${environment}`,
			`pass ${flag}, or --env ${flags.confirmEnv} if that is the environment you meant`,
		);
	if (!target.protected || flags.confirmEnv === environment) return;
	if (canPrompt(context) && !flags.json) {
		const answer = await promptLine(context, `${environment} is a protected environment. Type its name to ${action} it: `);
		if (answer !== environment)
			throw new EnvironmentNotConfirmed(
				`${action} cancelled: "${answer}" is not ${environment}; nothing was changed`,
				`type ${environment} when asked, or pass ${flag}`,
			);
		return;
	}
	throw new UsageError(
		`${environment} is a protected environment: ${gerund[action]} it needs ${flag}${flags.yes ? ' (--yes alone is not enough)' : ''}`,
		`pass ${flag} to confirm the environment by name`,
	);
}
