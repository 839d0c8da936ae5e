/**
 * diffEnvironments: how one stack's configuration differs between two environments, field by
 * field, with where each side's value comes from (`panka diff --env staging --to production`).
 *
 * Compares the resolved values (explainComponent) of every component of both workspaces, by
 * address: a component that exists in one environment only is one entry; otherwise each path whose
 * value differs is one entry with both values and their origins. Order: by address, then path.
 */
import type {Workspace} from '../workspace.js';
import {type ExplainedValue, explainComponent, type ValueOrigin} from './explain.js';
import {describeOrigin} from './interpolate.js';

export interface SideValue {
	value: string;
	/** Where the value comes from, in words: `services/api/ecs.yaml:12`, `env production, …`, `${VERSION} = "2" (--var)`. */
	origin: string;
}

export type EnvironmentDifference =
	| {address: string; kind: string; type: 'only-in'; environment: string}
	| {address: string; kind: string; type: 'value'; path: string; from?: SideValue; to?: SideValue};

export function diffEnvironments(from: Workspace, to: Workspace): EnvironmentDifference[] {
	const differences: EnvironmentDifference[] = [];
	const addresses = [...new Set([...from.components, ...to.components].map((c) => c.address))].sort();
	const byAddress = (workspace: Workspace, address: string) => workspace.components.find((c) => c.address === address);
	for (const address of addresses) {
		const a = byAddress(from, address);
		const b = byAddress(to, address);
		if (!a || !b) {
			const only = (a ?? b)!;
			differences.push({address, kind: only.kind, type: 'only-in', environment: a ? from.environment : to.environment});
			continue;
		}
		const values = (workspace: Workspace, name: string) =>
			new Map((explainComponent(workspace, name)?.values ?? []).map((v) => [v.path, v] as const));
		const left = values(from, a.name);
		const right = values(to, b.name);
		const paths = [...new Set([...left.keys(), ...right.keys()])];
		for (const path of paths) {
			const l = left.get(path);
			const r = right.get(path);
			if (l?.value === r?.value) continue;
			differences.push({
				address,
				kind: a.kind,
				type: 'value',
				path,
				...(l ? {from: side(l)} : {}),
				...(r ? {to: side(r)} : {}),
			});
		}
	}
	return differences;
}

function side(value: ExplainedValue): SideValue {
	return {value: value.value, origin: describeValueOrigin(value.origin)};
}

/** A value's origin in words, naming the environment when it came from there. */
export function describeValueOrigin(origin: ValueOrigin): string {
	const environment = 'environment' in origin && origin.environment !== undefined ? `env ${origin.environment}, ` : '';
	switch (origin.type) {
		case 'file':
			return `${environment}${origin.position.file}:${origin.position.line}`;
		case 'variable':
			return `${environment}${origin.uses.map((use) => `\${${use.name}} = ${JSON.stringify(use.value)} (${describeOrigin(use.origin)})`).join(', ')}`;
		case 'env-file':
			return `${origin.file}:${origin.line}`;
		case 'default':
			return 'default';
	}
}
