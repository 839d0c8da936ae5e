/**
 * The view of `panka drift`: each drifted resource with its fields (state → AWS) and a count line,
 * or one Drift document. `plan --refresh` and `apply --refresh` tell the same on stderr first
 * (`noteRefreshedDrift`, through stack-notes.ts), before their plan or its events.
 */
import type {StateKey} from '../../engine/index.js';
import type {DriftEntry} from '../../engine/operations.js';
import type {Paint} from '../context.js';
import {jsonDocument} from '../render/json.js';
import type {Output, Views} from './view.js';

export interface DriftView {
	/** Nothing is recorded for the stack and environment: nothing can have drifted. */
	noState(key: StateKey): void;
	drift(key: StateKey, resources: number, drift: readonly DriftEntry[]): void;
}

export const driftViews: Views<DriftView> = {
	human: (out) => ({
		noState(key) {
			out.line(`No state for ${key.stack} (${key.environment}): nothing deployed, nothing to drift.`);
		},
		drift(_key, resources, drift) {
			out.lines(renderDrift(drift, resources, out.paint));
		},
	}),
	json: (out) => ({
		noState(key) {
			out.line(jsonDocument('Drift', {stack: key, drift: [], resources: 0}));
		},
		drift(key, resources, drift) {
			out.line(jsonDocument('Drift', {stack: key, resources, drift}));
		},
	}),
};

/** What a refresh before a plan found, on stderr: stdout keeps the plan (or its document, or its events). */
export function noteRefreshedDrift(out: Output, drift: readonly DriftEntry[], resources: number): void {
	for (const line of renderDrift(drift, resources, out.errPaint)) out.note(line);
}

export function renderDrift(drift: readonly DriftEntry[], resources: number, paint: Paint): string[] {
	if (drift.length === 0) return [`${paint('✓', 'green')} no drift: all ${resources} resources match the state`];
	const lines: string[] = [];
	for (const entry of drift) {
		const mark = entry.status === 'deleted' ? paint('-', 'red') : entry.status === 'changed' ? paint('~', 'yellow') : paint('?', 'red');
		lines.push(`${mark} ${paint(entry.address, 'bold')}  ${paint(entry.kind, 'cyan')}  ${entry.message}`);
		for (const field of entry.fields)
			lines.push(`    ~ ${field.path}: ${JSON.stringify(field.recorded)} (state) → ${JSON.stringify(field.actual)} (AWS)`);
	}
	lines.push(
		`Drift: ${drift.filter((d) => d.status === 'changed').length} changed, ${drift.filter((d) => d.status === 'deleted').length} deleted outside panka, ${drift.filter((d) => d.status === 'unreadable').length} unreadable (of ${resources} resources). Nothing was written; panka apply --refresh restores the configuration.`,
	);
	return lines;
}
