/**
 * The views of the commands that write or delete a stack's files: `panka stack init` and `panka
 * service add` (one `+ file` line per file written and what to run next, or one StackInit /
 * ServiceAdd document) and `panka service remove` (the folder deleted, or one ServiceRemove
 * document). Paths are shown relative to the working folder, the same in both.
 */
import {plural} from '../../engine/index.js';
import {failureLine, jsonDocument} from '../render/json.js';
import {displayFile} from '../workspace-options.js';
import type {Views} from './view.js';

export interface ScaffoldView {
	/** `written` are the files under `base`, relative to it. */
	written(base: string, written: readonly string[]): void;
	/** The wizard was left: nothing was written (exit 1). */
	cancelled(): void;
}

/** The views of `command`, whose document `document` builds. */
function scaffoldViews(command: string, document: (body: Record<string, unknown>) => string): Views<ScaffoldView> {
	const cancelled = `${command} cancelled: nothing written`;
	return {
		human: (out) => ({
			written(base, written) {
				const {paint, context} = out;
				for (const file of written) out.line(`${paint('+', 'green')} ${displayFile(context, base, file)}`);
				out.line(
					`${paint('✓', 'green', 'bold')} wrote ${plural(written.length, 'file')}; next: panka validate ${displayFile(context, base, '.')}`,
				);
			},
			cancelled: () => out.note(cancelled),
		}),
		json: (out) => ({
			written(base, written) {
				const root = displayFile(out.context, base, '.');
				const files = written.map((file) => displayFile(out.context, base, file));
				out.line(document({root, files, next: `panka validate ${root}`}));
			},
			cancelled: () => out.line(failureLine(cancelled)),
		}),
	};
}

export const stackInitViews = scaffoldViews('stack init', (body) => jsonDocument('StackInit', body));
export const serviceAddViews = scaffoldViews('service add', (body) => jsonDocument('ServiceAdd', body));

export interface ServiceRemoveView {
	/** Other services use it, and --force was not given: nothing deleted (exit 1). */
	stillUsed(service: string, problems: readonly string[]): void;
	/** The confirmation was answered no (exit 1). */
	cancelled(): void;
	removed(service: string, folder: string): void;
}

const stillUsedHint = 'remove those uses first, or pass --force to remove it anyway';

export const serviceRemoveViews: Views<ServiceRemoveView> = {
	human: (out) => ({
		stillUsed(service, problems) {
			out.note(`${out.errPaint('✗', 'red')} service ${service} is still used:`);
			for (const problem of problems) out.note(`  ${problem}`);
			out.note(stillUsedHint);
		},
		cancelled: () => out.note('service remove cancelled: nothing deleted'),
		removed(service, folder) {
			const {paint} = out;
			out.line(`${paint('-', 'red')} ${folder}`);
			out.line(`${paint('✓', 'green', 'bold')} removed service ${service}; its deployed resources are deleted by the next apply`);
		},
	}),
	json: (out) => ({
		stillUsed: (service, problems) => out.line(failureLine(`service ${service} is still used: ${problems.join('; ')}`, stillUsedHint)),
		cancelled: () => out.line(failureLine('service remove cancelled: nothing deleted')),
		removed: (service, folder) => out.line(jsonDocument('ServiceRemove', {service, folder})),
	}),
};
