/**
 * The view of `panka migrate`: what could not be migrated (warnings on stderr), then nothing to do,
 * the diff of each file (without --write) or the files rewritten and what validate still finds;
 * or one Migration document saying all of it (the diff as lines, uncoloured).
 */
import type {MigrationPlan} from '../../engine/index.js';
import {plural} from '../../engine/index.js';
import {jsonDocument} from '../render/json.js';
import {unifiedDiff} from '../render/unified-diff.js';
import {displayFile} from '../workspace-options.js';
import type {Output, Views} from './view.js';

/** What validate finds in the stack after the rewrite. */
export interface AfterMigration {
	deprecated: number;
	errors: number;
}

export interface MigrationView {
	/** No file needs a rewrite (the problems, if any, could not be migrated automatically). */
	unchanged(plan: MigrationPlan, stack: string): void;
	/** Without --write: the rewrites as diffs; `rerun` is the command that writes them. */
	preview(plan: MigrationPlan, stack: string, rerun: string): void;
	written(plan: MigrationPlan, stack: string, after: AfterMigration): void;
}

const changeCount = (plan: MigrationPlan) => plan.files.reduce((sum, file) => sum + file.changes.length, 0);
const fileDiff = (file: MigrationPlan['files'][number]) => unifiedDiff(file.file, file.before, file.after, {created: file.created});

export const migrationViews: Views<MigrationView> = {
	human: (out) => ({
		unchanged(plan, stack) {
			warnings(out, plan);
			out.line(
				plan.problems.length === 0
					? `${out.paint('✓', 'green')} nothing to migrate: ${stack} uses panka's current forms`
					: `nothing was migrated automatically in ${stack}; see the warnings above`,
			);
		},
		preview(plan, stack, rerun) {
			warnings(out, plan);
			for (const file of plan.files) {
				for (const line of fileDiff(file)) out.line(colourDiffLine(line, out.paint));
				out.line();
			}
			out.line(
				`${plural(changeCount(plan), 'change')} in ${plural(plan.files.length, 'file')} of ${stack} would be rewritten; nothing was written. Run ${rerun} to rewrite them in place (comments kept).`,
			);
		},
		written(plan, stack, {deprecated, errors}) {
			warnings(out, plan);
			const {paint} = out;
			for (const file of plan.files) {
				out.line(`${paint('✓', 'green')} ${file.created ? 'created' : 'rewrote'} ${displayFile(out.context, plan.root, file.file)}`);
				for (const change of file.changes) out.line(paint(`    line ${change.line}: ${change.message}`, 'gray'));
			}
			out.line(
				`Migrated ${stack}: ${plural(changeCount(plan), 'change')} in ${plural(plan.files.length, 'file')}; ${
					deprecated === 0
						? 'no deprecated form is left'
						: `${deprecated} deprecated form${deprecated === 1 ? ' is' : 's are'} left (panka validate shows them)`
				}${errors > 0 ? `, and the stack has ${plural(errors, 'error')} (panka validate shows them)` : ''}.`,
			);
		},
	}),
	json: (out) => {
		const document = (plan: MigrationPlan, stack: string, written: boolean, extra: Record<string, unknown> = {}) => {
			const shown = (file: string) => displayFile(out.context, plan.root, file);
			out.line(
				jsonDocument('Migration', {
					stack,
					written,
					problems: plan.problems.map((p) => ({...p, file: shown(p.file)})),
					files: plan.files.map((file) => ({
						file: shown(file.file),
						created: file.created,
						changes: file.changes,
						...(written ? {} : {diff: fileDiff(file)}),
					})),
					...extra,
				}),
			);
		};
		return {
			unchanged: (plan, stack) => document(plan, stack, false),
			preview: (plan, stack) => document(plan, stack, false),
			written: (plan, stack, after) => document(plan, stack, true, {after}),
		};
	},
};

/** What could not be migrated, on stderr at file:line. */
function warnings(out: Output, plan: MigrationPlan): void {
	const paint = out.errPaint;
	for (const problem of plan.problems)
		out.note(
			`${paint(`${displayFile(out.context, plan.root, problem.file)}:${problem.line}`, 'bold')}  ${paint('warning', 'yellow', 'bold')}  ${problem.message}`,
		);
}

function colourDiffLine(line: string, paint: Output['paint']): string {
	if (line.startsWith('---') || line.startsWith('+++')) return paint(line, 'bold');
	if (line.startsWith('@@')) return paint(line, 'cyan');
	if (line.startsWith('+')) return paint(line, 'green');
	if (line.startsWith('-')) return paint(line, 'red');
	return line;
}
