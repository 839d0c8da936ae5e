/** The view of `panka service list`: one line per service with its components by kind, or one ServiceList document. */
import {plural} from '../../engine/essentials.js';
import {jsonDocument} from '../render/json.js';
import type {Views} from './view.js';

export interface ServiceRow {
	name: string;
	file: string | undefined;
	description: string | undefined;
	dependsOn: readonly string[];
	components: Array<{name: string; kind: string}>;
	/** Errors in the service's component files. */
	errors: number;
}

export interface ServiceListView {
	services(stack: string, rows: readonly ServiceRow[]): void;
}

export const serviceListViews: Views<ServiceListView> = {
	human: (out) => ({
		services(stack, rows) {
			const {paint} = out;
			if (rows.length === 0) out.line(`no services in ${stack}; add one with panka service add <name>`);
			for (const row of rows) {
				const kinds = row.components.map((c) => c.kind);
				const counts = [...new Set(kinds)].map((k) => `${kinds.filter((x) => x === k).length}× ${k}`).join(', ');
				const errors = row.errors ? paint(`  ${plural(row.errors, 'error')}`, 'red') : '';
				out.line(
					`${paint(row.name.padEnd(20), 'bold')} ${String(row.components.length).padStart(3)} components  ${paint(counts, 'gray')}${errors}`,
				);
			}
		},
	}),
	json: (out) => ({
		services: (stack, rows) => out.line(jsonDocument('ServiceList', {stack, services: rows})),
	}),
};
