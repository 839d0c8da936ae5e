/**
 * `panka migrate [folder | stack.yaml] [--write]`: rewrites the original tool's forms (the ones
 * `panka validate` warns about as deprecated) into panka's, keeping comments and formatting.
 * Without --write it shows the diff and changes nothing; with --write it rewrites the files, then
 * validates the stack again and says what, if anything, still needs a hand.
 *
 * Exit codes: 0 (migrated, or nothing to migrate, or the diff shown), 1 when something could not
 * be migrated automatically or the stack has errors after writing, 2 usage.
 */
import path from 'node:path';
import {type CommandContext, painter, writeLine} from '../context.js';
import {UsageError} from '../errors.js';
import type {Flags} from '../flags.js';
import {unifiedDiff} from '../render/unified-diff.js';
import {displayFile, resolveWorkspaceOptions, stackFolderArg} from '../workspace-options.js';
import {plural} from '../../engine/index.js';

export async function migrateCommand(args: string[], flags: Flags, context: CommandContext): Promise<number> {
	if (args.length > 1) throw new UsageError(`panka migrate takes one folder or stack file, got: ${args.join(' ')}`);
	const target = await stackFolderArg(context, args[0]);
	const [{planMigration, writeMigration}, options] = await Promise.all([
		import('../../engine/index.js'),
		resolveWorkspaceOptions(context, flags),
	]);
	const tenant =
		options.tenantConfig?.config ?? (options.tenantConfigPath ? await tenantFromFile(options.tenantConfigPath, target) : undefined);
	const plan = await planMigration(target, tenant ? {tenant} : {});
	const paint = painter(context.color);
	const shown = (file: string) => displayFile(context, plan.root, file);
	for (const problem of plan.problems)
		writeLine(
			context.stderr,
			`${paint(`${shown(problem.file)}:${problem.line}`, 'bold')}  ${paint('warning', 'yellow', 'bold')}  ${problem.message}`,
		);
	const name = plan.stackName ?? path.basename(target);
	if (plan.files.length === 0) {
		writeLine(
			context.stdout,
			plan.problems.length === 0
				? `${paint('✓', 'green')} nothing to migrate: ${name} uses panka's current forms`
				: `nothing was migrated automatically in ${name}; see the warnings above`,
		);
		return plan.problems.length === 0 ? 0 : 1;
	}
	const count = plan.files.reduce((sum, file) => sum + file.changes.length, 0);
	if (!flags.write) {
		for (const file of plan.files) {
			for (const line of unifiedDiff(file.file, file.before, file.after, {created: file.created}))
				writeLine(context.stdout, colourDiffLine(line, paint));
			writeLine(context.stdout);
		}
		writeLine(
			context.stdout,
			`${plural(count, 'change')} in ${plural(plan.files.length, 'file')} of ${name} would be rewritten; nothing was written. Run panka migrate${args[0] ? ` ${args[0]}` : ''} --write to rewrite them in place (comments kept).`,
		);
		return 0;
	}
	await writeMigration(plan);
	for (const file of plan.files) {
		writeLine(context.stdout, `${paint('✓', 'green')} ${file.created ? 'created' : 'rewrote'} ${shown(file.file)}`);
		for (const change of file.changes) writeLine(context.stdout, paint(`    line ${change.line}: ${change.message}`, 'gray'));
	}
	const {loadWorkspace} = await import('../../engine/index.js');
	const after = await loadWorkspace(target, options);
	const deprecated = after.diagnostics.filter((d) => d.code === 'deprecated-form' || d.code === 'missing-service-file');
	const errors = after.diagnostics.filter((d) => d.severity === 'error');
	writeLine(
		context.stdout,
		`Migrated ${name}: ${plural(count, 'change')} in ${plural(plan.files.length, 'file')}; ${
			deprecated.length === 0
				? 'no deprecated form is left'
				: `${deprecated.length} deprecated form${deprecated.length === 1 ? ' is' : 's are'} left (panka validate shows them)`
		}${errors.length > 0 ? `, and the stack has ${plural(errors.length, 'error')} (panka validate shows them)` : ''}.`,
	);
	return errors.length > 0 || deprecated.length > 0 || plan.problems.length > 0 ? 1 : 0;
}

async function tenantFromFile(file: string, target: string) {
	const {loadTenantConfigFile} = await import('../../engine/index.js');
	return (await loadTenantConfigFile(file, target)).config;
}

function colourDiffLine(line: string, paint: ReturnType<typeof painter>): string {
	if (line.startsWith('---') || line.startsWith('+++')) return paint(line, 'bold');
	if (line.startsWith('@@')) return paint(line, 'cyan');
	if (line.startsWith('+')) return paint(line, 'green');
	if (line.startsWith('-')) return paint(line, 'red');
	return line;
}
