/**
 * `panka logs [folder] [component|service …] [--follow] [--since 10m] [--filter TEXT] [--json]`:
 * the CloudWatch logs of the stack's components whose kind has logs (`hasLogs`: MicroService,
 * Lambda), interleaved by timestamp and coloured by component; NDJSON with --json. Ctrl-C stops cleanly (exit 130).
 */
import {statSync} from 'node:fs';
import path from 'node:path';
import type {LogSource} from '../../engine/observe.js';
import {didYouMean, hasLogs, kindsWithLogs} from '../../engine/index.js';
import {parseDuration} from '../../engine/backends.js';
import type {CommandContext} from '../context.js';
import {UsageError} from '../errors.js';
import type {Flags} from '../flags.js';
import {openStackOperation, type StackOperation} from '../stack-operation.js';
import {logsViews} from '../views/logs-view.js';
import {chooseView} from '../views/view.js';

export async function logsCommand(args: string[], flags: Flags, context: CommandContext): Promise<number> {
	const folder = args[0] && isDirectory(path.resolve(context.cwd, args[0])) ? args[0] : undefined;
	const names = folder ? args.slice(1) : args;
	const sinceMs = parseDuration(flags.since ?? '10m', '--since');
	const op = await openStackOperation(context, folder, flags, {allowErrors: true});
	if ('exitCode' in op) return op.exitCode;
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
	const chosen =
		names.length === 0
			? withLogs
			: names.flatMap((name) => {
					const matches = withLogs.filter((c) => c.name === name || c.service === name || c.address === name);
					if (matches.length === 0)
						throw new UsageError(
							`no ${kindsWithLogs.join(' or ')} component or service named ${name}${didYouMean(name, [...withLogs.map((c) => c.name), ...new Set(withLogs.map((c) => c.service))])}`,
							'panka service list shows them',
						);
					return matches;
				});
	return [...new Map(chosen.map((c) => [c.name, c])).values()].map((c) => ({
		component: c.name,
		address: c.address,
		logGroup: c.physicalNames.logGroup!,
		logGroupArn: `arn:aws:logs:${op.region}:${op.accountId}:log-group:${c.physicalNames.logGroup}`,
	}));
}

function isDirectory(file: string): boolean {
	try {
		return statSync(file).isDirectory();
	} catch {
		return false;
	}
}
