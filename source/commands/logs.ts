/**
 * `panka logs [folder] [component|service …] [--follow] [--since 10m] [--filter TEXT] [--json]`:
 * the CloudWatch logs of the stack's MicroService and Lambda components, interleaved by timestamp
 * and coloured by component; NDJSON with --json. Ctrl-C stops cleanly (exit 130).
 */
import {statSync} from 'node:fs';
import path from 'node:path';
import type {LogSource} from '../../engine/observe.js';
import {didYouMean, printable} from '../../engine/index.js';
import {parseDuration} from '../../engine/backends.js';
import {type CommandContext, type Paint, painter, type Style, writeLine} from '../context.js';
import {UsageError} from '../errors.js';
import type {Flags} from '../flags.js';
import {openStackOperation, type StackOperation} from '../stack-operation.js';

const palette: Style[] = ['cyan', 'magenta', 'yellow', 'green', 'blue'];

export async function logsCommand(args: string[], flags: Flags, context: CommandContext): Promise<number> {
	const folder = args[0] && isDirectory(path.resolve(context.cwd, args[0])) ? args[0] : undefined;
	const names = folder ? args.slice(1) : args;
	const sinceMs = parseDuration(flags.since ?? '10m', '--since');
	const op = await openStackOperation(context, folder, flags, {allowErrors: true});
	if ('exitCode' in op) return op.exitCode;
	const sources = logSources(op, names);
	if (sources.length === 0) {
		writeLine(context.stderr, 'No MicroService or Lambda components to show logs of in this stack.');
		return 1;
	}
	const controller = new AbortController();
	const onSigint = () => controller.abort();
	process.on('SIGINT', onSigint);
	const paint = painter(context.color);
	const colours = new Map(sources.map((s, i) => [s.component, palette[i % palette.length]!]));
	const width = Math.max(...sources.map((s) => s.component.length));
	try {
		const {tailLogs} = await import('../../engine/observe.js');
		for await (const event of tailLogs(sources, {
			clients: op.tenantClients,
			since: Date.now() - sinceMs,
			follow: flags.follow,
			signal: controller.signal,
			...(flags.filter ? {filter: flags.filter} : {}),
		})) {
			if (flags.json) writeLine(context.stdout, JSON.stringify({v: 1, ...event}));
			else if (event.type === 'log.line') writeLine(context.stdout, formatLine(event, paint, colours.get(event.component)!, width));
			else writeLine(context.stderr, paint(event.message, event.level === 'warning' ? 'yellow' : 'gray'));
		}
	} finally {
		process.off('SIGINT', onSigint);
	}
	return controller.signal.aborted ? 130 : 0;
}

/** Log groups of the named components or services (all of them when none is named). */
export function logSources(op: StackOperation, names: readonly string[]): LogSource[] {
	const {workspace} = op;
	const withLogs = workspace.components.filter((c) => (c.kind === 'MicroService' || c.kind === 'Lambda') && c.physicalNames.logGroup);
	const chosen =
		names.length === 0
			? withLogs
			: names.flatMap((name) => {
					const matches = withLogs.filter((c) => c.name === name || c.service === name || c.address === name);
					if (matches.length === 0)
						throw new UsageError(
							`no MicroService or Lambda component or service named ${name}${didYouMean(name, [...withLogs.map((c) => c.name), ...new Set(withLogs.map((c) => c.service))])}`,
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

function formatLine(line: {timestamp: number; component: string; message: string}, paint: Paint, colour: Style, width: number): string {
	const time = new Date(line.timestamp).toISOString().slice(11, 23);
	return `${paint(time, 'gray')} ${paint(line.component.padEnd(width), colour)} ${paint('│', 'gray')} ${printable(line.message)}`;
}

function isDirectory(file: string): boolean {
	try {
		return statSync(file).isDirectory();
	} catch {
		return false;
	}
}
