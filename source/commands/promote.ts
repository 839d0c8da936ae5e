/**
 * `panka promote <from> <to> [folder] [--yes] [--confirm-env <to>] [--out plan.json] [--var K=V]`:
 * plan `<to>` with the releasable values `<from>` has deployed (stack.yaml `spec.promote`, read
 * from `<from>`'s recorded state), keeping everything else `<to>`'s own; then the same review and
 * run as `panka apply` (or, with --out, the same saved plan as `panka plan --out`).
 *
 * Refuses, naming why, when `<from>` is not declared, was never applied, or is not wholly deployed
 * (engine/plan/promotion.ts), and when a --var sets a promoted variable (the promotion decides it).
 * A protected `<to>` needs its confirmation (source/protected-environment.ts).
 */
import {
	planChanges,
	PlanError,
	promotedNames,
	promotionVars,
	readPromotion,
	undeclaredEnvironment,
	undeployedChanges,
} from '../../engine/index.js';
import {readState} from '../../engine/backends.js';
import type {CommandContext} from '../context.js';
import {UsageError} from '../errors.js';
import type {Flags} from '../flags.js';
import {loadTenantWorkspace, openStackOperation} from '../stack-operation.js';
import {promoteApply} from './apply.js';
import {planCommand} from './plan.js';

/** `<from>` cannot be promoted (exit 1): why, and what to do. */
export class PromotionRefused extends Error {
	constructor(
		message: string,
		readonly hint: string,
	) {
		super(message);
	}
}

export async function promoteCommand(args: string[], flags: Flags, context: CommandContext): Promise<number> {
	if (args.length < 2 || args.length > 3)
		throw new UsageError('panka promote takes <from> <to> [folder]', 'e.g. panka promote staging production');
	const [from, to, folder] = args as [string, string, string | undefined];
	if (flags.env) throw new UsageError('panka promote names its environments as arguments: drop --env', `panka promote ${from} ${to}`);
	if (from === to) throw new UsageError(`panka promote needs two different environments, got ${from} twice`);
	const op = await openStackOperation(context, folder, {...flags, env: to});
	const undeclared = undeclaredEnvironment(op.workspace.stack.document, from);
	if (undeclared) throw new UsageError(undeclared.message, undeclared.hint);
	const names = promotedNames(op.workspace);
	const overridden = (flags.var ?? []).map((entry) => entry.split('=')[0]!).filter((name) => names.includes(name));
	if (overridden.length > 0)
		throw new UsageError(
			`--var ${overridden.join(', ')}: the promotion takes ${overridden.length === 1 ? 'it' : 'them'} from ${from}`,
			'drop the --var, or apply with it: panka apply --env ' + to,
		);

	const fromKey = {...op.key, environment: from};
	const stored = await readState(op.session.backend, fromKey);
	const source = readPromotion(from, names, stored?.state);
	if (!source.ok) throw new PromotionRefused(`cannot promote from ${from}: ${source.message}`, source.hint);
	const {promotion} = source;
	const promotedFlags = {...flags, var: [...(flags.var ?? []), ...promotionVars(promotion)]};

	// Only what is wholly deployed is promoted: <from> planned with the values it recorded has nothing left to do.
	const fromWorkspace = await loadTenantWorkspace(context, {...promotedFlags, env: from}, op.session, op.workspace.source);
	try {
		const undeployed = undeployedChanges(from, planChanges(fromWorkspace, stored!.state));
		if (undeployed) throw new PromotionRefused(`cannot promote from ${from}: ${undeployed.message}`, undeployed.hint);
	} catch (error) {
		if (!(error instanceof PlanError)) throw error;
		throw new PromotionRefused(`cannot promote from ${from}: ${error.message}`, error.hint ?? `panka plan --env ${from}`);
	}

	const target = folder ? [folder] : [];
	const targetFlags = {...promotedFlags, env: to};
	return flags.out ? planCommand(target, targetFlags, context, promotion) : promoteApply(target, targetFlags, context, promotion);
}
