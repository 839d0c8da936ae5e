/**
 * The view of `panka rollback --write-patch`: the rolled-back values where the folder differs, per
 * component (folder value → rolled-back value), the components added since, and the release
 * variables as deployed then; or one RollbackPatch document with --json. (A rollback that plans or
 * applies is shown by the plan and apply views.)
 */
import {environmentLabel, type FieldChange, printable, type StateKey} from '../../engine/index.js';
import {jsonDocument} from '../render/json.js';
import {renderField} from '../render/plan-text.js';
import type {Views} from './view.js';

/** What the folder would have to say to stay rolled back. */
export interface RollbackPatch {
	stack: StateKey;
	/** Whether the environment is protected (said in its label). */
	protectedEnvironment: boolean;
	serial: number;
	/** The release variables the deployment recorded. */
	variables: Record<string, string>;
	/** The same, as the `NAME=value` pairs they were resolved with. */
	recorded: readonly string[];
	values: Array<{address: string; changes: FieldChange[]}>;
	/** Components the folder has that the deployment did not. */
	addedSince: string[];
}

export interface RollbackView {
	patch(patch: RollbackPatch): void;
}

export const rollbackViews: Views<RollbackView> = {
	human: (out) => ({
		patch({stack, protectedEnvironment, serial, recorded, values, addedSince}) {
			const {paint} = out;
			out.line(
				paint(
					`Rolled-back values of ${stack.stack} (${environmentLabel(stack.environment, protectedEnvironment)}) at serial ${serial}, where the folder differs:`,
					'bold',
				),
			);
			if (recorded.length > 0)
				out.line(`release variables (spec.promote) as deployed then: ${recorded.map((v) => `--var ${printable(v)}`).join(' ')}`);
			for (const {address, changes} of values) {
				out.line(paint(printable(address), 'bold'));
				for (const change of changes) out.line(`  ${renderField(change, paint)}`);
			}
			for (const address of addedSince)
				out.line(`${paint(printable(address), 'bold')}  ${paint('added since: remove it from the folder', 'yellow')}`);
			if (values.length === 0 && addedSince.length === 0 && recorded.length === 0)
				out.line('None: the folder resolves to that configuration already.');
			else
				out.line(
					paint(
						'Each line reads folder value → rolled-back value, at the path of the resolved spec; set them in the YAML (or its variables) to keep the rollback.',
						'gray',
					),
				);
		},
	}),
	json: (out) => ({
		patch({stack, serial, variables, values, addedSince}) {
			out.line(jsonDocument('RollbackPatch', {stack, serial, variables, values, addedSince}));
		},
	}),
};
