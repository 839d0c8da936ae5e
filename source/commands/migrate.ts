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
import {loadTenantConfigFile, loadWorkspace, planMigration, writeMigration} from '../../engine/index.js';
import type {CommandContext} from '../context.js';
import {UsageError} from '../errors.js';
import type {Flags} from '../flags.js';
import {migrationViews} from '../views/migrate-view.js';
import {chooseView} from '../views/view.js';
import {resolveWorkspaceOptions, stackFolderArg} from '../workspace-options.js';

export async function migrateCommand(args: string[], flags: Flags, context: CommandContext): Promise<number> {
	if (args.length > 1) throw new UsageError(`panka migrate takes one folder or stack file, got: ${args.join(' ')}`);
	const target = await stackFolderArg(context, args[0]);
	const options = await resolveWorkspaceOptions(context, flags);
	const tenant =
		options.tenantConfig?.config ?? (options.tenantConfigPath ? await tenantFromFile(options.tenantConfigPath, target) : undefined);
	const plan = await planMigration(target, tenant ? {tenant} : {});
	const view = chooseView(migrationViews, flags, context);
	const name = plan.stackName ?? path.basename(target);
	if (plan.files.length === 0) {
		view.unchanged(plan, name);
		return plan.problems.length === 0 ? 0 : 1;
	}
	if (!flags.write) {
		view.preview(plan, name, `panka migrate${args[0] ? ` ${args[0]}` : ''} --write`);
		return 0;
	}
	await writeMigration(plan);
	const after = await loadWorkspace(target, options);
	const deprecated = after.diagnostics.filter((d) => d.code === 'deprecated-form' || d.code === 'missing-service-file').length;
	const errors = after.diagnostics.filter((d) => d.severity === 'error').length;
	view.written(plan, name, {deprecated, errors});
	return errors > 0 || deprecated > 0 || plan.problems.length > 0 ? 1 : 0;
}

async function tenantFromFile(file: string, target: string) {
	return (await loadTenantConfigFile(file, target)).config;
}
