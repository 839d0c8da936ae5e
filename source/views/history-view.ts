/**
 * The views of `panka history` (a table of deployments, newest first) and `panka history show`
 * (what one deployment changed, as a plan shows changes); or the DeploymentHistory and
 * DeploymentChanges documents.
 */
import {
	countsText,
	type Deployment,
	type DeploymentChanges,
	type DeploymentHistory,
	deploymentTime as when,
	environmentLabel,
	operationText,
	outcomeText,
	planCounts,
	printable,
	type StateKey,
} from '../../engine/index.js';
import type {Paint} from '../context.js';
import {jsonDocument} from '../render/json.js';
import {renderChange, renderField} from '../render/plan-text.js';
import {writeTable} from './tables.js';
import type {Views} from './view.js';

export interface HistoryView {
	history(key: StateKey, backend: string, protectedEnvironment: boolean, history: DeploymentHistory): void;
	changes(key: StateKey, deployment: Deployment, changes: DeploymentChanges): void;
}

export const historyViews: Views<HistoryView> = {
	human: (out) => ({
		history(key, backend, protectedEnvironment, history) {
			const {paint} = out;
			out.line(
				paint(
					`History of ${key.stack} · tenant ${key.tenant} · environment ${environmentLabel(key.environment, protectedEnvironment)}`,
					'bold',
				),
			);
			if (history.deployments.length === 0 && history.unreadable.length === 0) {
				out.line(`No deployments recorded: ${key.stack} (${key.environment}) has never been applied on ${backend}.`);
				return;
			}
			const rows = history.deployments.map((d) => [
				printable(d.label),
				printable(when(d.at)),
				printable(d.by ?? 'unknown'),
				operationText(d),
				countsText(d),
				outcomeText(d),
			]);
			writeTable(out, ['SERIAL', 'WHEN', 'WHO', 'OPERATION', 'CHANGES', 'OUTCOME'], rows);
			for (const version of history.unreadable)
				out.line(paint(`  unreadable version ${version.versionId} (${when(version.modified)}): ${printable(version.problem)}`, 'yellow'));
			out.line(
				paint(
					`${history.deployments.length} deployment${history.deployments.length === 1 ? '' : 's'} on ${backend}${history.exists ? '' : '; no state now (destroyed)'} · panka history show <serial> shows what one changed`,
					'gray',
				),
			);
		},
		changes(_key, deployment, changes) {
			out.lines(deploymentChangesText(deployment, changes, out.paint));
		},
	}),
	json: (out) => ({
		history(key, backend, _protected, history) {
			out.line(jsonDocument('DeploymentHistory', {stack: key, backend, ...history}));
		},
		changes(key, deployment, changes) {
			out.line(jsonDocument('DeploymentChanges', {stack: key, deployment, ...changes}));
		},
	}),
};

/** The deployment's header, then each resource's change as a plan shows it, then the counts. */
export function deploymentChangesText(deployment: Deployment, changes: DeploymentChanges, paint: Paint): string[] {
	const lines = [
		paint(
			`Deployment ${deployment.label}: ${operationText(deployment)} by ${printable(deployment.by ?? 'unknown')} at ${when(deployment.at)}, ${outcomeText(deployment)}`,
			'bold',
		),
		paint(
			deployment.beforeVersionId
				? `Compared with the state before it (serial ${deployment.firstSerial - 1}); secrets show as (sensitive).`
				: `The first deployment of this state (lineage ${printable(deployment.lineage)}): everything it recorded is new.`,
			'gray',
		),
	];
	for (const variable of changes.variables) lines.push(`  ${renderField({...variable, path: `variables.${variable.path}`}, paint)}`);
	for (const change of changes.changes) {
		lines.push('');
		// A state may have been edited by hand: what it names is shown printable (values and paths are already).
		const shown = {
			...change,
			address: printable(change.address),
			kind: printable(change.kind),
			physicalName: printable(change.physicalName),
			reasons: change.reasons.map(printable),
		};
		lines.push(...renderChange(shown, paint));
	}
	lines.push('');
	const counts = planCounts(changes.summary);
	lines.push(
		counts
			? `${paint('Changed:', 'bold')} ${counts.replace(/ to /g, ' ')}.`
			: 'It changed no resource (its writes recorded the same resources).',
	);
	return lines;
}
