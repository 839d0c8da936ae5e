/**
 * `panka status [folder] [component|service …] [--watch] [--json]`: each deployed component's
 * health read from AWS (engine/status/), with the facts behind its verdict and one verdict for the
 * stack. Reads only: nothing is written to AWS or the state.
 *
 * Exit codes: 0 nothing failing (healthy, degraded or unknown), 1 a component is failing (or an
 * error), 2 a usage error (an unknown component name: with a suggestion), 130 Ctrl-C (--watch).
 * With --watch the code is that of the last read when Ctrl-C ends it.
 */
import path from 'node:path';
import {setTimeout as delay} from 'node:timers/promises';
import type {StackStatus} from '../../engine/observe.js';
import {readState} from '../../engine/backends.js';
import {printable} from '../../engine/index.js';
import {componentsNamed, folderAndNames} from '../component-names.js';
import {type CommandContext, type Paint, painter, writeLine} from '../context.js';
import {exitCodes} from '../errors.js';
import type {Flags} from '../flags.js';
import {jsonDocument, jsonLine} from '../render/json.js';
import {openStackOperation, type StackOperation} from '../stack-operation.js';

/** How often --watch reads again. */
export const statusWatchIntervalMs = 5_000;

const marks = {healthy: ['✓', 'green'], unknown: ['?', 'gray'], degraded: ['⚠', 'yellow'], failing: ['✗', 'red']} as const;

export async function statusCommand(args: string[], flags: Flags, context: CommandContext): Promise<number> {
	const {folder, names} = folderAndNames(args, context.cwd);
	const op = await openStackOperation(context, folder, flags, {allowErrors: true});
	if ('exitCode' in op) return op.exitCode;
	const picked = componentsNamed(op.workspace.components, names, 'component', 'panka service list shows them');
	const controller = new AbortController();
	const onSigint = () => controller.abort();
	process.on('SIGINT', onSigint);
	try {
		let code: number = exitCodes.ok;
		for (;;) {
			code = await readAndPrint(op, picked, flags, context, controller.signal);
			if (!flags.watch) return code;
			await sleep(statusWatchIntervalMs, controller.signal);
			if (controller.signal.aborted) return exitCodes.interrupted;
		}
	} finally {
		process.off('SIGINT', onSigint);
	}
}

async function readAndPrint(
	op: StackOperation,
	picked: readonly {address: string}[],
	flags: Flags,
	context: CommandContext,
	signal: AbortSignal,
): Promise<number> {
	const stored = await readState(op.session.backend, op.key);
	const recorded = new Set(Object.keys(stored?.state.resources ?? {}));
	const addresses = picked.map((c) => c.address);
	const notDeployed = addresses.filter((address) => !recorded.has(address));
	const {readStackStatus} = await import('../../engine/observe.js');
	const status = stored
		? await readStackStatus({state: stored.state, clients: op.tenantClients, addresses, signal})
		: {verdict: 'unknown' as const, components: [], readAt: new Date().toISOString()};
	if (signal.aborted) return exitCodes.interrupted;
	if (flags.json) {
		const body = {stack: op.key, ...status, notDeployed};
		writeLine(context.stdout, flags.watch ? jsonLine('Status', body) : jsonDocument('Status', body));
	} else {
		if (flags.watch && context.stdout.isTTY) context.stdout.write('\x1b[2J\x1b[H');
		const folder = path.relative(context.cwd, op.workspace.source);
		const logsCommand = (component: string) => `panka logs ${folder ? `${folder} ` : ''}${component} --env ${op.key.environment}`;
		for (const line of renderStatus(op.key, status, notDeployed, logsCommand, painter(context.color))) writeLine(context.stdout, line);
	}
	return status.components.some((c) => c.verdict === 'failing') ? exitCodes.errors : exitCodes.ok;
}

/** The human view of a read: the stack's verdict, then each component with its facts and events; `logsCommand` names how to see a failing component's logs. */
export function renderStatus(
	key: {stack: string; environment: string},
	status: StackStatus,
	notDeployed: readonly string[],
	logsCommand: (component: string) => string,
	paint: Paint,
): string[] {
	const {stack, environment} = key;
	const counts = (['healthy', 'degraded', 'failing', 'unknown'] as const)
		.map((verdict) => [verdict, status.components.filter((c) => c.verdict === verdict).length] as const)
		.filter(([, n]) => n > 0)
		.map(([verdict, n]) => `${n} ${verdict}`);
	const [mark, colour] = marks[status.verdict];
	const lines = [
		`${paint(mark, colour)} ${paint(`${stack} (${environment})`, 'bold')}: ${paint(status.verdict, colour, 'bold')}${counts.length ? ` — ${counts.join(', ')}` : ''}  ${paint(`read ${status.readAt.slice(11, 19)} UTC`, 'gray')}`,
	];
	if (status.components.length === 0 && notDeployed.length === 0) lines.push('Nothing deployed: panka apply deploys the stack.');
	const width = Math.max(0, ...status.components.map((c) => c.address.length));
	for (const component of status.components) {
		const [m, c] = marks[component.verdict];
		lines.push(
			`${paint(m, c)} ${paint(component.address.padEnd(width), 'bold')}  ${paint(component.kind, 'cyan')}  ${paint(component.verdict, c)}`,
		);
		for (const fact of component.facts) {
			const text = `${fact.name}: ${printable(fact.value)}`;
			lines.push(`    ${fact.verdict ? paint(text, marks[fact.verdict][1]) : text}`);
		}
		for (const event of component.events) lines.push(paint(`    ${event.at.slice(11, 19)} ${printable(event.message)}`, 'gray'));
		if (component.verdict === 'failing' && component.hasLogs) lines.push(`    ${paint('→', 'gray')} ${logsCommand(component.component)}`);
	}
	for (const address of notDeployed) lines.push(`${paint('○', 'gray')} ${paint(address, 'bold')}  not deployed`);
	return lines;
}

/** Wait `ms`, or less when `signal` aborts (Ctrl-C ends a --watch between reads). */
async function sleep(ms: number, signal: AbortSignal): Promise<void> {
	await delay(ms, undefined, {signal}).catch(() => {});
}
