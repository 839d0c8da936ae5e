/**
 * `panka admin …`: bootstrap a backend and manage its tenants.
 *
 *   admin init [--backend s3://… | --home DIR]      bucket/folder + registry; records the admin
 *   admin login                                      checks the caller is a registered admin
 *   admin tenant init <name> --aws-account --region --vpc-cidr [--nat-gateway] [--nat-type]
 *                    [--azs a,b] [--config FILE] [--output FILE] [--force]
 *   admin tenant list | show <name> | update <name> --config FILE | delete <name> [--force] [--yes]
 *              | rotate <name> [--output FILE] | suspend <name> | activate <name>
 *
 * Every admin command works on the selected backend (backend-selection.ts) and requires the
 * caller's identity (STS caller ARN on S3, user@host on a local folder) to be one of the
 * registry's admins. Tenant names are checked before anything is read or built. Secrets are
 * printed once (or written 0600 with --output) and never logged.
 */
import path from 'node:path';
import type {Diagnostic, TenantConfig} from '../../engine/index.js';
import {nameProblem, readTextFile, writePrivateFile} from '../../engine/index.js';
import type {AwsClients, Backend} from '../../engine/backends.js';
import {type BackendChoice, callerIdentity, openSelectedBackend, writeUserConfig} from '../backend-selection.js';
import type {CommandContext} from '../context.js';
import {UsageError} from '../errors.js';
import {type Flags, parseCostLimitFlags, splitList} from '../flags.js';
import {canPrompt, confirm} from '../prompt.js';
import {tenantAccess} from '../tenant-access.js';
import {
	adminInitViews,
	adminLoginViews,
	type NetworkingOutcome,
	type SecretDelivery,
	type TenantInitView,
	type TenantUpdateView,
	tenantDeleteViews,
	tenantInitViews,
	tenantRotateViews,
	tenantStatusViews,
	tenantUpdateViews,
} from '../views/admin-view.js';
import {tenantListViews, tenantShowViews} from '../views/tenant-view.js';
import {chooseView} from '../views/view.js';

interface AdminSession {
	backend: Backend;
	clients: AwsClients;
	choice: BackendChoice;
	identity: string;
}

/** `bucketRegion` (admin init --region) wins over AWS_REGION; elsewhere --region is the tenant's. */
async function openAsCaller(context: CommandContext, flags: Flags, bucketRegion?: string): Promise<AdminSession> {
	const opened = await openSelectedBackend(context, flags, bucketRegion ? {region: bucketRegion} : {});
	const identity = await callerIdentity(context, opened.backend, opened.clients);
	return {...opened, identity};
}

/** The caller, checked to be an admin of the selected backend. */
async function openAsAdmin(context: CommandContext, flags: Flags): Promise<AdminSession> {
	const session = await openAsCaller(context, flags);
	const {checkAdmin} = await import('../../engine/backends.js');
	await checkAdmin(session.backend, session.identity);
	return session;
}

function tenantArg(args: string[], command: string, usage: string): string {
	if (args.length === 0) throw new UsageError(`missing the tenant name`, `panka ${command} ${usage}`);
	if (args.length > 1) throw new UsageError(`panka ${command} takes one tenant name, got: ${args.join(' ')}`);
	const name = args[0]!;
	const problem = nameProblem(name, 'tenant');
	if (problem)
		throw new UsageError(problem, 'tenant names are lowercase letters, digits and hyphens, 3–63 characters, starting with a letter');
	return name;
}

function noArgs(args: string[], command: string): void {
	if (args.length > 0) throw new UsageError(`panka ${command} takes no arguments, got: ${args.join(' ')}`);
}

// ---- admin init / login ----

export async function adminInitCommand(args: string[], flags: Flags, context: CommandContext): Promise<number> {
	noArgs(args, 'admin init');
	const {backend, clients, identity} = await openAsCaller(context, flags, flags.region);
	const {initBackend} = await import('../../engine/admin.js');
	const result = await initBackend(backend, {identity, ...(backend.spec.kind === 's3' ? {s3: clients.s3()} : {})});
	const spec = backend.spec.kind === 's3' && result.bucket ? {...backend.spec, region: result.bucket.region} : backend.spec;
	const configFile = await writeUserConfig(context, spec);
	chooseView(adminInitViews, flags, context).initialised({
		backend: backend.description,
		...(backend.spec.kind === 'local' ? {folder: backend.spec.home} : {}),
		...(result.bucket ? {bucket: result.bucket} : {}),
		alreadyInitialised: result.alreadyInitialised,
		admins: result.admins,
		identity,
		warnings: result.warnings,
		configFile,
	});
	return 0;
}

export async function adminLoginCommand(args: string[], flags: Flags, context: CommandContext): Promise<number> {
	noArgs(args, 'admin login');
	const {backend, identity} = await openAsAdmin(context, flags);
	if (flags.backend !== undefined || flags.home !== undefined) await writeUserConfig(context, backend.spec);
	const {listTenants} = await import('../../engine/backends.js');
	const tenants = await listTenants(backend);
	const live = tenants.filter((t) => t.status !== 'deleted').length;
	chooseView(adminLoginViews, flags, context).admin(identity, backend.description, live);
	return 0;
}

// ---- tenant init ----

/** Flag problems are usage errors (exit 2); problems in a --config file are the view's, at file:line:col (exit 1). */
function reportProblems(view: {problems(d: readonly Diagnostic[]): void}, diagnostics: readonly Diagnostic[], command: string): number {
	if (diagnostics.every((d) => !d.file)) throw new UsageError(diagnostics.map((d) => d.message).join('; '), `see panka ${command} --help`);
	view.problems(diagnostics);
	return 1;
}

async function readConfigFlag(context: CommandContext, file: string): Promise<{file: string; text: string}> {
	const absolute = path.resolve(context.cwd, file);
	const shown = path.relative(context.cwd, absolute) || absolute;
	const read = await readTextFile(absolute, shown);
	if (!read.ok) throw new UsageError(`--config ${file}: ${read.missing ? 'no such file' : read.diagnostic.message}`);
	return {file: shown, text: read.text};
}

/** Writes the credentials to --output FILE (mode 600) when given; where the secret went, for the view. */
async function deliverSecret(context: CommandContext, flags: Flags, tenant: string, secret: string): Promise<SecretDelivery> {
	if (flags.output === undefined) return {secret};
	await writePrivateFile(path.resolve(context.cwd, flags.output), `Tenant ID: ${tenant}\nSecret: ${secret}\n`);
	return {credentialsFile: flags.output};
}

export async function adminTenantInitCommand(args: string[], flags: Flags, context: CommandContext): Promise<number> {
	const usage =
		'<name> --aws-account <12 digits> --region <region> [--vpc-cidr 10.0.0.0/16] [--nat-gateway] [--nat-type single|per-az] [--azs a,b] [--require-approval broadening|any-change|never] [--config FILE] [--output FILE]';
	const name = tenantArg(args, 'admin tenant init', usage);
	const view = chooseView(tenantInitViews, flags, context);
	const {buildTenantConfig} = await import('../../engine/admin.js');
	const override = flags.config !== undefined ? await readConfigFlag(context, flags.config) : undefined;
	const createdAt = new Date().toISOString();
	const built = buildTenantConfig({
		name,
		...(flags.awsAccount !== undefined ? {accountId: flags.awsAccount} : {}),
		...(flags.region !== undefined ? {region: flags.region} : {}),
		...(flags.vpcCidr !== undefined ? {vpcCidr: flags.vpcCidr} : {}),
		natGateway: flags.natGateway || flags.natType !== undefined,
		...(flags.natType !== undefined ? {natType: flags.natType} : {}),
		...(flags.azs !== undefined ? {azs: splitList(flags.azs)} : {}),
		...(flags.requireApproval !== undefined ? {requireApproval: flags.requireApproval} : {}),
		createdBy: 'panka',
		createdAt,
		...(override ? {override} : {}),
	});
	if (!built.ok) return reportProblems(view, built.diagnostics, 'admin tenant init');
	const costLimit = parseCostLimitFlags(flags);
	const {costSources, tenantCostTexts} = await import('../plan-cost.js');
	const costs = await costSources(context, {...flags, usage: undefined});
	built.config.spec.limits = {...built.config.spec.limits, ...costLimit};

	if (flags.createRole && built.config.spec.aws.assumeRoleArn)
		throw new UsageError(
			`--create-role: the config already names the role ${built.config.spec.aws.assumeRoleArn}`,
			'drop --create-role to use that role, or drop spec.aws.assumeRoleArn from --config to create one',
		);
	if (flags.trustPrincipal !== undefined && !flags.createRole)
		throw new UsageError('--trust-principal names who the role created by --create-role trusts', 'add --create-role');
	const {backend, identity, clients} = await openAsAdmin(context, flags);
	let config: TenantConfig = {...built.config, metadata: {...built.config.metadata, createdBy: identity}};
	if (flags.createRole) config = await createRoleFor(view, flags, clients, config);
	const {createTenant} = await import('../../engine/backends.js');
	const created = await createTenant(backend, config, {identity, reuseDeleted: flags.force});
	// With --no-network the networking lines are what is recorded, not built.
	view.created(backend.description, name, built.summary, !flags.network);
	// The secret first: it is shown only once, so a networking failure must not swallow it.
	view.secret(name, await deliverSecret(context, flags, name, created.secret));
	try {
		view.cost(tenantCostTexts(config, costs.table));
		if (flags.network || flags.createRole) {
			const access = await tenantAccess(clients, config, `panka-admin-${name}`, flags.createRole);
			view.access(access);
			if (!access.ok && flags.network) {
				view.networking(name, {state: 'no-access'});
				return 1;
			}
		} else view.accessNotChecked();
		return await provisionOrSay(view, flags, backend, clients, config);
	} catch (error) {
		if (view.failedAfterCreation(name, error as Error)) return 1;
		throw error;
	}
}

/**
 * `--create-role`: shows the role (trust policy and permissions), then creates it in the tenant's
 * account with the admin's credentials, which must be for that account; returns the config with
 * the role recorded.
 */
async function createRoleFor(view: TenantInitView, flags: Flags, clients: AwsClients, config: TenantConfig): Promise<TenantConfig> {
	const [{callerIdentityOf}, {createTenantRole, tenantRolePlan}] = await Promise.all([
		import('../../engine/backends.js'),
		import('../../engine/admin.js'),
	]);
	const caller = await callerIdentityOf(clients);
	const plan = tenantRolePlan(config, flags.trustPrincipal ?? caller.arn);
	const {accountId} = config.spec.aws;
	view.progress.line(`Role ${plan.roleName} for tenant ${config.metadata.name}, in account ${accountId}:`);
	view.progress.line(`  trust policy: ${JSON.stringify(plan.trustPolicy)}`);
	view.progress.line(`  permissions (inline policy panka-deploy): ${plan.permissions.flatMap((p) => p.Action).join(', ')} on *`);
	if (caller.account !== accountId)
		throw Object.assign(
			new Error(
				`--create-role creates the role with your credentials, which are for account ${caller.account}, not the tenant's account ${accountId}`,
			),
			{
				hint: `run it with credentials for account ${accountId}, or create the role shown above there yourself and record it in --config (spec.aws.assumeRoleArn)`,
			},
		);
	const arn = await createTenantRole(clients, config, plan);
	view.roleCreated(arn);
	return {...config, spec: {...config.spec, aws: {...config.spec.aws, assumeRoleArn: arn}}};
}

/** Provision the tenant's networking unless --no-network, and hand the outcome to the view (exit 1 when it failed). */
async function provisionOrSay(
	view: TenantInitView | TenantUpdateView,
	flags: Flags,
	backend: Backend,
	clients: AwsClients,
	config: TenantConfig,
): Promise<number> {
	const tenant = config.metadata.name;
	if (!flags.network) {
		view.networking(tenant, {state: 'not-asked'});
		return 0;
	}
	view.progress.line('');
	let outcome: NetworkingOutcome;
	try {
		const {provisionNetwork} = await import('../tenant-network.js');
		outcome = {state: 'provisioned', message: await provisionNetwork(view.progress, backend, clients, config)};
	} catch (error) {
		outcome = {state: 'failed', message: (error as Error).message, role: config.spec.aws.assumeRoleArn};
	}
	view.networking(tenant, outcome);
	return outcome.state === 'provisioned' ? 0 : 1;
}

// ---- tenant list / show ----

export async function adminTenantListCommand(args: string[], flags: Flags, context: CommandContext): Promise<number> {
	noArgs(args, 'admin tenant list');
	const {backend} = await openAsAdmin(context, flags);
	const {listTenants} = await import('../../engine/backends.js');
	const tenants = await listTenants(backend);
	chooseView(tenantListViews, flags, context).tenants(backend.description, tenants);
	return 0;
}

export async function adminTenantShowCommand(args: string[], flags: Flags, context: CommandContext): Promise<number> {
	const name = tenantArg(args, 'admin tenant show', '<name> [--json]');
	const {backend} = await openAsAdmin(context, flags);
	const {showTenant} = await import('../../engine/backends.js');
	const details = await showTenant(backend, name);
	const {costSources, tenantSpend} = await import('../plan-cost.js');
	const costs = await costSources(context, {...flags, usage: undefined});
	const spend = details.config ? await tenantSpend({session: {backend, config: details.config}}, costs) : undefined;
	chooseView(tenantShowViews, flags, context).tenant(backend.description, details, {table: costs.table, spend});
	return 0;
}

// ---- tenant update ----

export async function adminTenantUpdateCommand(args: string[], flags: Flags, context: CommandContext): Promise<number> {
	const name = tenantArg(args, 'admin tenant update', '[--config FILE]');
	const view = chooseView(tenantUpdateViews, flags, context);
	const file = flags.config !== undefined ? await readConfigFlag(context, flags.config) : undefined;
	const {backend, identity, clients} = await openAsAdmin(context, flags);
	const [{readTenantConfig, updateTenantConfig}, {updateTenantConfigFromFile, tenantSummaryLines}] = await Promise.all([
		import('../../engine/backends.js'),
		import('../../engine/admin.js'),
	]);
	const current = await readTenantConfig(backend, name);
	let config = current.config;
	let changed = false;
	const costLimit = parseCostLimitFlags(flags);
	if (file || Object.keys(costLimit).length > 0 || flags.requireApproval !== undefined) {
		if (file) {
			const updated = updateTenantConfigFromFile(current.config, file.file, file.text);
			if (!updated.ok) return reportProblems(view, updated.diagnostics, 'admin tenant update');
			config = updated.config;
		}
		// --cost-limit / --cost-warn-at and --require-approval win over the file's.
		config = {
			...config,
			spec: {
				...config.spec,
				limits: {...config.spec.limits, ...costLimit},
				...(flags.requireApproval !== undefined ? {requireApproval: flags.requireApproval} : {}),
			},
		};
		await updateTenantConfig(backend, name, config, {identity});
		changed = true;
	} else if (!flags.network)
		throw new UsageError(
			'nothing to update: pass --config FILE, --cost-limit USD or --require-approval RULE, or leave out --no-network to (re)provision the networking',
		);
	view.updated(backend.description, name, changed ? {changed, file: current.file} : {changed}, tenantSummaryLines(config).slice(1));
	return provisionOrSay(view, flags, backend, clients, config);
}

// ---- tenant delete / rotate / suspend / activate ----

export async function adminTenantDeleteCommand(args: string[], flags: Flags, context: CommandContext): Promise<number> {
	const name = tenantArg(args, 'admin tenant delete', '<name> [--force] [--yes]');
	const view = chooseView(tenantDeleteViews, flags, context);
	if (!flags.yes) {
		if (!canPrompt(context))
			throw new UsageError(
				`panka admin tenant delete asks for confirmation, and there is no terminal to ask in`,
				`pass --yes: panka admin tenant delete ${name} --yes`,
			);
		if (!(await confirm(context, `Delete tenant ${name}? Its sessions end now and its folder moves to tenants-archive/.`))) {
			view.cancelled();
			return 1;
		}
	}
	const {backend, identity, clients} = await openAsAdmin(context, flags);
	const {deleteTenant, describeStackInUse, readTenantConfig, stacksInUse} = await import('../../engine/backends.js');
	if (flags.network) {
		const inUse = await stacksInUse(backend, name);
		const current = await readTenantConfig(backend, name).catch(() => undefined);
		// With stacks still deployed, deleteTenant refuses (or, with --force, archives) and the network stays.
		if (inUse.length > 0 && flags.force) view.networkKept();
		else if (inUse.length === 0 && current) {
			const {teardownNetwork} = await import('../tenant-network.js');
			const removed = await teardownNetwork(view.progress, backend, clients, current.config);
			if (removed) view.networkRemoved(removed);
		}
	}
	const deleted = await deleteTenant(backend, name, {identity, force: flags.force});
	view.deleted({
		backend: backend.description,
		tenant: name,
		archivedAs: deleted.archivedAs,
		moved: deleted.moved,
		resumed: deleted.resumed,
		inUse: deleted.inUse.map(describeStackInUse),
	});
	return 0;
}

export async function adminTenantRotateCommand(args: string[], flags: Flags, context: CommandContext): Promise<number> {
	const name = tenantArg(args, 'admin tenant rotate', '<name> [--output FILE]');
	const {backend, identity} = await openAsAdmin(context, flags);
	const {rotateTenantSecret} = await import('../../engine/backends.js');
	const rotated = await rotateTenantSecret(backend, name, {identity});
	const view = chooseView(tenantRotateViews, flags, context);
	view.rotated(backend.description, name, rotated.secretVersion);
	view.secret(name, await deliverSecret(context, flags, name, rotated.secret));
	return 0;
}

export async function adminTenantSuspendCommand(args: string[], flags: Flags, context: CommandContext): Promise<number> {
	return setStatus(args, flags, context, 'suspended');
}

export async function adminTenantActivateCommand(args: string[], flags: Flags, context: CommandContext): Promise<number> {
	return setStatus(args, flags, context, 'active');
}

async function setStatus(args: string[], flags: Flags, context: CommandContext, status: 'active' | 'suspended'): Promise<number> {
	const verb = status === 'active' ? 'activate' : 'suspend';
	const name = tenantArg(args, `admin tenant ${verb}`, '<name>');
	const {backend, identity} = await openAsAdmin(context, flags);
	const {setTenantStatus} = await import('../../engine/backends.js');
	const {changed} = await setTenantStatus(backend, name, status, {identity});
	chooseView(tenantStatusViews, flags, context).status(backend.description, name, status, changed);
	return 0;
}
