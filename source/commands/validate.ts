/** `panka validate [folder | stack.yaml]`: every problem of a stack, at file:line:col; exit 1 on errors. */
import {hasErrors} from '../../engine/index.js';
import type {CommandContext} from '../context.js';
import {UsageError} from '../errors.js';
import type {Flags} from '../flags.js';
import {validateViews} from '../views/validate-view.js';
import {chooseView} from '../views/view.js';
import {loadWorkspaceFromFlags} from '../workspace-options.js';

export async function validateCommand(args: string[], flags: Flags, context: CommandContext): Promise<number> {
	if (args.length > 1) throw new UsageError(`panka validate takes one folder, got: ${args.join(' ')}`);
	const view = chooseView(validateViews, flags, context);
	const workspace = await loadWorkspaceFromFlags(context, args[0], flags);
	view.result(workspace);
	return hasErrors(workspace.diagnostics) ? 1 : 0;
}
