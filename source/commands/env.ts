/**
 * `panka env list [folder] [--json]`: the environments a stack declares, each with what the state
 * backend holds for it (resources, pending operations, last apply: when, who, serial; lock).
 * `panka diff [folder] --env A --to B [--json]`: how the configuration differs between two
 * environments, field by field, with where each value comes from. Both only read.
 */
import {type EnvironmentDifference, diffEnvironments, environmentLabel, hasErrors, printable} from '../../engine/index.js';
import {type CommandContext, painter, writeLine} from '../context.js';
import {UsageError} from '../errors.js';
import type {Flags} from '../flags.js';
import {renderDiagnostics} from '../render/diagnostics-text.js';
import {jsonDocument} from '../render/json.js';
import {loadTenantWorkspace} from '../stack-operation.js';
import {loadWorkspaceFromFlags, stackFolderArg} from '../workspace-options.js';
import {lastApplyText, lockText, writeTable} from './stack.js';

export async function envListCommand(args: string[], flags: Flags, context: CommandContext): Promise<number> {
	if (args.length > 1) throw new UsageError(`panka env list takes one folder, got: ${args.join(' ')}`);
	const [{openTenantSession}, {environmentInventory}] = await Promise.all([
		import('../tenant-session.js'),
		import('../../engine/backends.js'),
	]);
	const session = (await openTenantSession(context, flags, {required: true}))!;
	const workspace = await loadTenantWorkspace(context, flags, session, await stackFolderArg(context, args[0]));
	const names = workspace.environments.length > 0 ? workspace.environments : [workspace.environment];
	const declared = workspace.stack.document?.spec.environments ?? {};
	const environments = await Promise.all(
		names.map(async (name) => ({
			...(await environmentInventory(session.backend, {tenant: session.tenant, stack: workspace.stack.name, environment: name})),
			protected: declared[name]?.protected === true,
			...(declared[name]?.description ? {description: declared[name].description} : {}),
		})),
	);
	if (flags.json) {
		writeLine(
			context.stdout,
			jsonDocument('EnvironmentList', {
				tenant: session.tenant,
				stack: workspace.stack.name,
				backend: session.backend.description,
				declared: workspace.environments.length > 0,
				environments,
			}),
		);
		return 0;
	}
	const rows = environments.map((env) => [
		environmentLabel(env.name, env.protected),
		env.problem ? 'unreadable' : `${env.resources}${env.pending > 0 ? ` (+${env.pending} in flight)` : ''}`,
		lastApplyText(env.lastApply),
		lockText(env),
		env.description ?? '',
	]);
	writeTable(context, ['ENVIRONMENT', 'RESOURCES', 'LAST APPLY', 'LOCK', 'DESCRIPTION'], rows, 3);
	writeLine(
		context.stdout,
		painter(context.color)(
			`${workspace.environments.length > 0 ? `${names.length} declared in stack.yaml` : 'none declared in stack.yaml: the one environment'} · stack ${workspace.stack.name} · tenant ${session.tenant} · ${session.backend.description}`,
			'gray',
		),
	);
	return 0;
}

export async function diffCommand(args: string[], flags: Flags, context: CommandContext): Promise<number> {
	if (args.length > 1) throw new UsageError(`panka diff takes one folder, got: ${args.join(' ')}`);
	if (!flags.env || !flags.to)
		throw new UsageError('panka diff compares two environments: pass --env A --to B', 'e.g. panka diff --env staging --to production');
	const [from, to] = await Promise.all([
		loadWorkspaceFromFlags(context, args[0], flags),
		loadWorkspaceFromFlags(context, args[0], {...flags, env: flags.to}),
	]);
	for (const workspace of [from, to])
		if (hasErrors(workspace.diagnostics)) {
			const paint = painter(context.color && !!context.stderr.isTTY);
			const errors = workspace.diagnostics.filter((d) => d.severity === 'error');
			for (const line of renderDiagnostics(errors, workspace, context, paint)) writeLine(context.stderr, line);
			writeLine(context.stderr, `panka diff: the stack does not resolve for ${workspace.environment}; nothing compared`);
			return 1;
		}
	const differences = diffEnvironments(from, to);
	if (flags.json) {
		writeLine(
			context.stdout,
			jsonDocument('EnvironmentDiff', {stack: from.stack.name, from: from.environment, to: to.environment, differences}),
		);
		return 0;
	}
	const paint = painter(context.color);
	writeLine(
		context.stdout,
		paint(
			`Stack ${from.stack.name}: ${environmentLabel(from.environment, from.environmentSettings?.protected)} → ${environmentLabel(to.environment, to.environmentSettings?.protected)}`,
			'bold',
		),
	);
	if (differences.length === 0) {
		writeLine(context.stdout, `No differences: ${from.environment} and ${to.environment} resolve to the same configuration.`);
		return 0;
	}
	let address: string | undefined;
	for (const difference of differences) {
		if (difference.address !== address) {
			address = difference.address;
			writeLine(context.stdout, `${paint(printable(difference.address), 'bold')} ${paint(difference.kind, 'gray')}`);
		}
		writeLine(context.stdout, `  ${differenceText(difference, from.environment, to.environment)}`);
	}
	const components = new Set(differences.map((d) => d.address)).size;
	writeLine(
		context.stdout,
		paint(
			`${differences.length} difference${differences.length === 1 ? '' : 's'} in ${components} component${components === 1 ? '' : 's'}`,
			'gray',
		),
	);
	return 0;
}

/** `replicas: 2 (services/api/ecs.yaml:12) → 5 (env production, services/api/ecs.yaml:30)`. */
function differenceText(difference: EnvironmentDifference, from: string, to: string): string {
	if (difference.type === 'only-in') return `only in ${difference.environment}`;
	const side = (value: {value: string; origin: string} | undefined, environment: string) =>
		value ? `${printable(value.value)} (${printable(value.origin)})` : `(unset in ${environment})`;
	return `${printable(difference.path)}: ${side(difference.from, from)} → ${side(difference.to, to)}`;
}
