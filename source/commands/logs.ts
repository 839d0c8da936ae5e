/**
 * `panka logs [folder] [component|service …] [--follow] [--since 10m] [--filter TEXT] [--json]`:
 * the CloudWatch logs of the stack's components whose kind has logs (`hasLogs` in the kind registry),
 * interleaved by timestamp and coloured by component; NDJSON with --json. Ctrl-C stops cleanly (exit 130).
 */
import type {LogSource} from '../../engine/observe.js';
import {hasLogs, kindsWithLogs, listText} from '../../engine/index.js';
import {componentsNamed, folderAndNames} from '../component-names.js';
import {parseDuration} from '../../engine/backends.js';
import type {CommandContext} from '../context.js';
import type {Flags} from '../flags.js';
import {openStackOperation, type StackOperation} from '../stack-operation.js';
import {logsViews} from '../views/logs-view.js';
import {chooseView} from '../views/view.js';

export async function logsCommand(args: string[], flags: Flags, context: CommandContext): Promise<number> {
	const {folder, names} = folderAndNames(args, context.cwd);
	const sinceMs = parseDuration(flags.since ?? '10m', '--since');
	const op = await openStackOperation(context, folder, flags, {allowErrors: true});
	const view = chooseView(logsViews, flags, context);
	const sources = logSources(op, names);
	if (sources.length === 0) {
		view.noSources();
		return 1;
	}
	view.sources(sources);
	const controller = new AbortController();
	const onSigint = () => controller.abort();
	process.on('SIGINT', onSigint);
	try {
		const {tailLogs} = await import('../../engine/observe.js');
		for await (const event of tailLogs(sources, {
			clients: op.tenantClients,
			since: Date.now() - sinceMs,
			follow: flags.follow,
			signal: controller.signal,
			...(flags.filter ? {filter: flags.filter} : {}),
		}))
			view.event(event);
	} finally {
		process.off('SIGINT', onSigint);
	}
	return controller.signal.aborted ? 130 : 0;
}

/** Log groups of the named components or services (all of them when none is named). */
export function logSources(op: StackOperation, names: readonly string[]): LogSource[] {
	const {workspace} = op;
	const withLogs = workspace.components.filter((c) => hasLogs(c.kind) && c.physicalNames.logGroup);
	const chosen = componentsNamed(withLogs, names, `${listText(kindsWithLogs, 'or')} component`, 'panka service list shows them');
	return [...new Map(chosen.map((c) => [c.name, c])).values()].map((c) => ({
		component: c.name,
		address: c.address,
		logGroup: c.physicalNames.logGroup!,
		logGroupArn: `arn:aws:logs:${op.region}:${op.accountId}:log-group:${c.physicalNames.logGroup}`,
	}));
}
