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
import {readState} from '../../engine/backends.js';
import {componentsNamed, folderAndNames} from '../component-names.js';
import type {CommandContext} from '../context.js';
import {exitCodes} from '../errors.js';
import type {Flags} from '../flags.js';
import {openStackOperation, type StackOperation} from '../stack-operation.js';
import {type StatusView, statusViews} from '../views/status-view.js';
import {chooseView} from '../views/view.js';

/** How often --watch reads again. */
export const statusWatchIntervalMs = 5_000;

export async function statusCommand(args: string[], flags: Flags, context: CommandContext): Promise<number> {
	const {folder, names} = folderAndNames(args, context.cwd);
	const op = await openStackOperation(context, folder, flags, {allowErrors: true});
	const picked = componentsNamed(op.workspace.components, names, 'component', 'panka service list shows them');
	const view = chooseView(statusViews, flags, context);
	const controller = new AbortController();
	const onSigint = () => controller.abort();
	process.on('SIGINT', onSigint);
	try {
		let code: number = exitCodes.ok;
		for (;;) {
			code = await readAndShow(op, picked, flags, context, view, controller.signal);
			if (!flags.watch) return code;
			await sleep(statusWatchIntervalMs, controller.signal);
			if (controller.signal.aborted) return exitCodes.interrupted;
		}
	} finally {
		process.off('SIGINT', onSigint);
	}
}

async function readAndShow(
	op: StackOperation,
	picked: readonly {address: string}[],
	flags: Flags,
	context: CommandContext,
	view: StatusView,
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
	const folder = path.relative(context.cwd, op.workspace.source);
	view.status(op.key, status, notDeployed, {
		watching: flags.watch === true,
		logsCommand: (component) => `panka logs ${folder ? `${folder} ` : ''}${component} --env ${op.key.environment}`,
	});
	return status.components.some((c) => c.verdict === 'failing') ? exitCodes.errors : exitCodes.ok;
}

/** Wait `ms`, or less when `signal` aborts (Ctrl-C ends a --watch between reads). */
async function sleep(ms: number, signal: AbortSignal): Promise<void> {
	await delay(ms, undefined, {signal}).catch(() => {});
}
