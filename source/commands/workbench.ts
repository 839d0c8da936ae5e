/**
 * `panka [folder]`: the workbench. It is the only command that loads Ink, through import(), and
 * only when stdin and stdout are terminals, CI is unset and TERM is not dumb. Otherwise it prints
 * the stack summary (what the workbench's first screen shows) and says how to get the rest.
 * The services (session, state backend, AWS clients) are imported only on the TUI path, so the
 * summary printed without a terminal loads no AWS SDK client. `--read-only` gives it no services: it reads the folder and nothing else (no session, state,
 * AWS), and p, a and l say so.
 */
import {type CommandContext, canUseTui, writeLine} from '../context.js';
import {UsageError} from '../errors.js';
import type {Flags} from '../flags.js';
import {resolveWorkspaceOptions, stackFolderArg} from '../workspace-options.js';
import {stackInfoCommand} from './stack.js';
import {loadUi} from '../ui.js';

/** What p, a and l say in a read-only workbench. */
export const readOnlyReason = 'read-only (--read-only): this workbench plans, applies and tails nothing';

export async function workbenchCommand(args: string[], flags: Flags, context: CommandContext): Promise<number> {
	if (args.length > 1) throw new UsageError(`the workbench opens one folder, got: ${args.join(' ')}`);
	if (!canUseTui(context, flags.tui)) {
		const code = await stackInfoCommand(args, flags, context);
		writeLine(context.stdout);
		writeLine(
			context.stdout,
			'The workbench needs an interactive terminal (no CI, TERM not dumb, no --no-tui). Plain commands: panka validate, panka graph, panka stack info; panka --help lists them all.',
		);
		return code;
	}
	const root = await stackFolderArg(context, args[0]);
	const [options, services] = await Promise.all([
		resolveWorkspaceOptions(context, flags),
		flags.readOnly ? {readOnly: readOnlyReason} : import('../workbench-services.js').then((m) => m.workbenchServices(context, flags, root)),
	]);
	const {runWorkbench} = await loadUi(context, () => import('../../components/run-workbench.js'));
	return runWorkbench({root, options, services, noColor: !context.color});
}
