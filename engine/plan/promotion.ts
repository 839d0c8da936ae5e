/**
 * Promotion: plan one environment with the releasable values another has deployed.
 *
 * The releasable values are the variables stack.yaml names in `spec.promote` (image tags, code
 * versions); every apply records their values in its state (`metadata.variables`, written with
 * every state write). `panka promote <from> <to>` reads them from `<from>`'s state and plans `<to>`
 * with them over every other layer; everything else stays `<to>`'s own.
 *
 * Invariants:
 * - A source is refused, naming why, when it was never applied, when a run left operations in
 *   flight or resources failed, when its state does not record a promoted variable, and when
 *   planning it with the recorded values still finds changes (its last apply was partial, or the
 *   folder changed since): only what is wholly deployed is promoted.
 */
import type {StateDocument} from '../state/state-document.js';
import type {Workspace} from '../workspace.js';
import {type Plan, planHasChanges, type Promotion} from './plan.js';

export type PromotionSource = {ok: true; promotion: Promotion} | {ok: false; message: string; hint: string};

/** The names stack.yaml lists in `spec.promote`. */
export function promotedNames(workspace: Pick<Workspace, 'stack'>): string[] {
	return workspace.stack.document?.spec.promote ?? [];
}

/** The promotable variables' values in a workspace (what an apply of it deploys); unset ones are left out. */
export function promotableValues(workspace: Pick<Workspace, 'stack' | 'scope'>): Record<string, string> {
	const values: Record<string, string> = {};
	for (const name of promotedNames(workspace)) {
		const value = workspace.scope.valueOf(name);
		if (value !== undefined) values[name] = value;
	}
	return values;
}

/** The values `from`'s state records for `names`, or why they cannot be promoted. */
export function readPromotion(from: string, names: readonly string[], state: StateDocument | undefined): PromotionSource {
	const applyFirst = `apply ${from} first: panka apply --env ${from}`;
	if (names.length === 0)
		return {
			ok: false,
			message: 'stack.yaml names no variable to promote',
			hint: 'list the releasable variables in spec.promote of stack.yaml, e.g. promote: [VERSION]',
		};
	if (!state || state.serial === 0 || Object.keys(state.resources).length === 0)
		return {ok: false, message: `${from} has never been applied: there is nothing deployed to promote`, hint: applyFirst};
	if (state.pending.length > 0)
		return {
			ok: false,
			message: `${from}'s last apply was interrupted: ${state.pending.length} operation${state.pending.length === 1 ? ' is' : 's are'} still in flight (${state.pending.map((p) => p.address).join(', ')})`,
			hint: `apply ${from} again (it resolves them first), then promote`,
		};
	const failed = Object.entries(state.resources).filter(([, resource]) => resource.status !== 'ready');
	if (failed.length > 0)
		return {
			ok: false,
			message: `${from}'s last apply failed: ${failed.map(([address, resource]) => `${address} is ${resource.status}`).join(', ')}`,
			hint: `fix and apply ${from} until it succeeds, then promote`,
		};
	const recorded = state.metadata.variables ?? {};
	const missing = names.filter((name) => recorded[name] === undefined);
	if (missing.length > 0)
		return {
			ok: false,
			message: `${from}'s state records no value for ${missing.join(', ')}: it was last applied before ${missing.length === 1 ? 'it was' : 'they were'} listed in spec.promote`,
			hint: applyFirst,
		};
	return {
		ok: true,
		promotion: {
			from,
			variables: Object.fromEntries(names.map((name) => [name, recorded[name]!])),
			...(state.metadata.deployedAt ? {deployedAt: state.metadata.deployedAt} : {}),
			...(state.metadata.deployedBy ? {deployedBy: state.metadata.deployedBy} : {}),
			serial: state.serial,
		},
	};
}

/** Why `from` is not wholly deployed: its plan with the recorded values still has changes; undefined when it is. */
export function undeployedChanges(from: string, plan: Plan): {message: string; hint: string} | undefined {
	if (!planHasChanges(plan)) return undefined;
	const pending = plan.changes.filter((change) => change.action !== 'no-op').map((change) => `${change.address} (${change.action})`);
	return {
		message: `${from} is not wholly deployed with these values: ${pending.join(', ')} ${pending.length === 1 ? 'differs' : 'differ'} from the folder (its last apply was partial, or the folder changed since)`,
		hint: `apply ${from} until its plan is empty, then promote`,
	};
}

/** The promoted values as `--var` flags (`K=V`): the layer a promotion resolves its target with. */
export function promotionVars(promotion: Pick<Promotion, 'variables'>): string[] {
	return Object.entries(promotion.variables).map(([name, value]) => `${name}=${value}`);
}

/** `VERSION 1.4.2, deployed to staging at 2026-12-06 09:12 by ana@host (state serial 7)`. */
export function describePromotion(promotion: Promotion): string {
	const values = Object.entries(promotion.variables)
		.map(([name, value]) => `${name} ${value}`)
		.join(', ');
	const at = promotion.deployedAt ? ` at ${promotion.deployedAt.replace('T', ' ').slice(0, 16)}` : '';
	const by = promotion.deployedBy ? ` by ${promotion.deployedBy}` : '';
	return `${values}, deployed to ${promotion.from}${at}${by} (state serial ${promotion.serial})`;
}
