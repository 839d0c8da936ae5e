/**
 * The views of `panka env list` (each declared environment with what the backend holds for it) and
 * `panka diff --env A --to B` (the configuration differences, field by field, with each value's origin).
 */
import type {EnvironmentInventory} from '../../engine/backends.js';
import {type EnvironmentDifference, environmentLabel, printable, type Workspace} from '../../engine/index.js';
import {renderDiagnostics} from '../render/diagnostics-text.js';
import {jsonDocument} from '../render/json.js';
import {lastApplyText, lockText, writeTable} from './tables.js';
import type {Output, Views} from './view.js';

export interface EnvironmentListing {
	tenant: string;
	stack: string;
	backend: string;
	/** stack.yaml declares its environments (else the one environment is listed). */
	declared: boolean;
	environments: Array<EnvironmentInventory & {protected: boolean; description?: string}>;
}

export interface EnvListView {
	list(listing: EnvironmentListing): void;
}

export const envListViews: Views<EnvListView> = {
	human: (out) => ({
		list({tenant, stack, backend, declared, environments}) {
			const rows = environments.map((env) => [
				environmentLabel(env.name, env.protected),
				env.problem ? 'unreadable' : `${env.resources}${env.pending > 0 ? ` (+${env.pending} in flight)` : ''}`,
				lastApplyText(env.lastApply),
				lockText(env),
				env.description ?? '',
			]);
			writeTable(out, ['ENVIRONMENT', 'RESOURCES', 'LAST APPLY', 'LOCK', 'DESCRIPTION'], rows, 3);
			out.line(
				out.paint(
					`${declared ? `${environments.length} declared in stack.yaml` : 'none declared in stack.yaml: the one environment'} · stack ${stack} · tenant ${tenant} · ${backend}`,
					'gray',
				),
			);
		},
	}),
	json: (out) => ({
		list(listing) {
			out.line(jsonDocument('EnvironmentList', {...listing}));
		},
	}),
};

export interface EnvDiffView {
	/** The stack does not resolve for `workspace`'s environment: nothing was compared. */
	unresolved(workspace: Workspace): void;
	differences(from: Workspace, to: Workspace, differences: readonly EnvironmentDifference[]): void;
}

export const envDiffViews: Views<EnvDiffView> = {
	human: (out) => ({
		unresolved: (workspace) => unresolved(out, workspace),
		differences(from, to, differences) {
			const {paint} = out;
			out.line(
				paint(
					`Stack ${from.stack.name}: ${environmentLabel(from.environment, from.environmentSettings?.protected)} → ${environmentLabel(to.environment, to.environmentSettings?.protected)}`,
					'bold',
				),
			);
			if (differences.length === 0) {
				out.line(`No differences: ${from.environment} and ${to.environment} resolve to the same configuration.`);
				return;
			}
			let address: string | undefined;
			for (const difference of differences) {
				if (difference.address !== address) {
					address = difference.address;
					out.line(`${paint(printable(difference.address), 'bold')} ${paint(difference.kind, 'gray')}`);
				}
				out.line(`  ${differenceText(difference, from.environment, to.environment)}`);
			}
			const components = new Set(differences.map((d) => d.address)).size;
			out.line(
				paint(
					`${differences.length} difference${differences.length === 1 ? '' : 's'} in ${components} component${components === 1 ? '' : 's'}`,
					'gray',
				),
			);
		},
	}),
	json: (out) => ({
		unresolved: (workspace) => unresolved(out, workspace),
		differences(from, to, differences) {
			out.line(jsonDocument('EnvironmentDiff', {stack: from.stack.name, from: from.environment, to: to.environment, differences}));
		},
	}),
};

/** The errors on stderr, with either view: stdout stays empty (no document claims a comparison). */
function unresolved(out: Output, workspace: Workspace): void {
	const errors = workspace.diagnostics.filter((d) => d.severity === 'error');
	for (const line of renderDiagnostics(errors, workspace, out.context, out.errPaint)) out.note(line);
	out.note(`panka diff: the stack does not resolve for ${workspace.environment}; nothing compared`);
}

/** `replicas: 2 (services/api/ecs.yaml:12) → 5 (env production, services/api/ecs.yaml:30)`. */
function differenceText(difference: EnvironmentDifference, from: string, to: string): string {
	if (difference.type === 'only-in') return `only in ${difference.environment}`;
	const side = (value: {value: string; origin: string} | undefined, environment: string) =>
		value ? `${printable(value.value)} (${printable(value.origin)})` : `(unset in ${environment})`;
	return `${printable(difference.path)}: ${side(difference.from, from)} → ${side(difference.to, to)}`;
}
