/**
 * A plan as a --json document: `apiVersion: panka.io/cli/v1`, `kind: Plan`, `formatVersion: 1`,
 * then the stack, the state it was compared with, the summary, warnings and every change (no-ops
 * included, so scripts see the whole stack) with its field diff. Field names are stable
 * (additions only). Secrets are already redacted in the plan; valueFrom stays a reference
 * (`{valueFrom: {component, output}}`) and its diff entries say `knownAfterApply` when the value
 * will change. A change that widens access carries `broadening`: [{class, what}] (engine/plan/broadening.ts).
 * Pure.
 */
import type {FieldChange, Selection} from '../../engine/index.js';
import {type Change, type Plan, planHasChanges} from '../../engine/index.js';
import {diagnosticJson, jsonDocument} from './json.js';

export const planJsonFormatVersion = 1;

export interface PlanJsonOptions {
	selection?: Selection;
	/** What a cut-off run left (a held lock, operations in flight) and how the next apply resolves it. */
	recovery?: Record<string, unknown> | undefined;
}

export function planJson(plan: Plan, options: PlanJsonOptions = {}): Record<string, unknown> {
	const {selection, recovery} = options;
	return {
		formatVersion: planJsonFormatVersion,
		stack: {name: plan.stack, tenant: plan.tenant, environment: plan.environment},
		state: {serial: plan.stateSerial, lineage: plan.stateLineage},
		desiredHash: plan.desiredHash,
		createdAt: plan.createdAt,
		...(plan.targets ? {targets: plan.targets} : {}),
		hasChanges: planHasChanges(plan),
		summary: plan.summary,
		warnings: plan.warnings,
		changes: plan.changes.map(changeJson),
		...(plan.cost ? {cost: plan.cost} : {}),
		...(plan.diagnostics?.length ? {diagnostics: plan.diagnostics.map(diagnosticJson)} : {}),
		...(recovery ? {recovery} : {}),
		...(selection
			? {
					selection: {
						approved: plan.changes.filter((c) => selection.approved.has(c.address)).map((c) => c.address),
						skipped: [...selection.skipped].map(([address, reason]) => ({address, reason})),
						partial: selection.partial,
					},
				}
			: {}),
	};
}

export function renderPlanJson(plan: Plan, options: PlanJsonOptions = {}): string {
	return jsonDocument('Plan', planJson(plan, options));
}

function changeJson(change: Change): Record<string, unknown> {
	return {
		address: change.address,
		action: change.action,
		kind: change.kind,
		...(change.previousKind ? {previousKind: change.previousKind} : {}),
		type: change.type,
		physicalName: change.physicalName,
		...(change.previousPhysicalName ? {previousPhysicalName: change.previousPhysicalName} : {}),
		...(change.summary ? {summary: change.summary} : {}),
		reasons: change.reasons,
		...(change.replaceStrategy ? {replaceStrategy: change.replaceStrategy} : {}),
		...(change.broadening ? {broadening: change.broadening} : {}),
		diff: change.diff.map(fieldJson),
		dependsOn: change.dependsOn,
		requires: change.requires,
		...(change.before ? {before: change.before} : {}),
		...(change.after ? {after: change.after} : {}),
		...(change.cost ? {cost: change.cost} : {}),
	};
}

function fieldJson(entry: FieldChange): Record<string, unknown> {
	return {
		path: entry.path,
		action: entry.action,
		...(entry.action !== 'add' ? {before: entry.before ?? null} : {}),
		...(entry.action !== 'remove' ? {after: entry.after ?? null} : {}),
		...(entry.forcesReplace ? {forcesReplace: true} : {}),
		...(entry.sensitive ? {sensitive: true} : {}),
		...(entry.knownAfterApply ? {knownAfterApply: entry.knownAfterApply} : {}),
	};
}
