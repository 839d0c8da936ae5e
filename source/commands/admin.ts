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
import {nameProblem, plural, readTextFile, writePrivateFile} from '../../engine/index.js';
import type {AwsClients, Backend} from '../../engine/backends.js';
import {type BackendChoice, callerIdentity, openSelectedBackend, writeUserConfig} from '../backend-selection.js';
import {type CommandContext, painter, writeLine} from '../context.js';
import {UsageError} from '../errors.js';
import {type Flags, parseCostLimitFlags, splitList} from '../flags.js';
import {canPrompt, confirm} from '../prompt.js';
import {reportTenantAccess} from '../tenant-access.js';
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
	const paint = painter(context.color);
	const ok = paint('✓', 'green', 'bold');
	for (const warning of result.warnings) writeLine(context.stderr, `${paint('warning:', 'yellow', 'bold')} ${warning}`);
	if (result.bucket) {
		const b = result.bucket;
		writeLine(
			context.stdout,
			`${ok} Bucket ${b.bucket} (${b.region}): ${b.created ? 'created' : 'exists'}; versioning ${b.versioning}, public access blocked, default encryption SSE-S3`,
		);
	} else if (backend.spec.kind === 'local') writeLine(context.stdout, `${ok} Folder ${backend.spec.home} (mode 700)`);
	if (result.alreadyInitialised)
		writeLine(context.stdout, `${ok} Backend already initialised: ${backend.description} (admins: ${result.admins.join(', ')})`);
	else {
		writeLine(context.stdout, `${ok} Tenant registry created: tenants.yaml on ${backend.description}`);
		writeLine(context.stdout, `${ok} Admin: ${identity}`);
	}
	writeLine(context.stdout, `Backend saved in ${configFile}: later panka commands use it.`);
	writeLine(
		context.stdout,
		`Next: panka admin tenant init <name> --aws-account <12 digits> --region <region> --vpc-cidr 10.0.0.0/16 --output credentials.txt`,
	);
	return 0;
}

export async function adminLoginCommand(args: string[], flags: Flags, context: CommandContext): Promise<number> {
	noArgs(args, 'admin login');
	const {backend, identity} = await openAsAdmin(context, flags);
	if (flags.backend !== undefined || flags.home !== undefined) await writeUserConfig(context, backend.spec);
	const {listTenants} = await import('../../engine/backends.js');
	const tenants = await listTenants(backend);
	const live = tenants.filter((t) => t.status !== 'deleted').length;
	writeLine(
		context.stdout,
		`${painter(context.color)('✓', 'green', 'bold')} ${identity} is an admin of ${backend.description} (${plural(live, 'tenant')})`,
	);
	return 0;
}

// ---- tenant init ----

function printDiagnostics(context: CommandContext, diagnostics: readonly Diagnostic[]): void {
	const paint = painter(context.stderrColor);
	for (const d of diagnostics) {
		const where = d.file ? `${d.file}${d.line ? `:${d.line}:${d.column ?? 1}` : ''}  ` : '';
		writeLine(context.stderr, `${paint(where, 'bold')}${paint('error', 'red', 'bold')}  ${d.message}  ${paint(`[${d.code}]`, 'gray')}`);
		if (d.hint) writeLine(context.stderr, `    ${paint('hint:', 'cyan')} ${d.hint}`);
	}
}

/** Flag problems are usage errors (exit 2); problems in a --config file are printed at file:line:col (exit 1). */
function reportProblems(context: CommandContext, diagnostics: readonly Diagnostic[], command: string): number {
	if (diagnostics.every((d) => !d.file)) throw new UsageError(diagnostics.map((d) => d.message).join('; '), `see panka ${command} --help`);
	printDiagnostics(context, diagnostics);
	return 1;
}

async function readConfigFlag(context: CommandContext, file: string): Promise<{file: string; text: string}> {
	const absolute = path.resolve(context.cwd, file);
	const shown = path.relative(context.cwd, absolute) || absolute;
	const read = await readTextFile(absolute, shown);
	if (!read.ok) throw new UsageError(`--config ${file}: ${read.missing ? 'no such file' : read.diagnostic.message}`);
	return {file: shown, text: read.text};
}

async function deliverSecret(context: CommandContext, flags: Flags, tenant: string, secret: string): Promise<void> {
	const text = `Tenant ID: ${tenant}\nSecret: ${secret}\n`;
	if (flags.output !== undefined) {
		await writePrivateFile(path.resolve(context.cwd, flags.output), text);
		writeLine(context.stdout, `Credentials saved to: ${flags.output}`);
		return;
	}
	context.stdout.write(text);
	writeLine(
		context.stderr,
		'The secret is shown only this once: panka stores only its hash. Give it to the tenant team over a safe channel.',
	);
}

export async function adminTenantInitCommand(args: string[], flags: Flags, context: CommandContext): Promise<number> {
	const usage =
		'<name> --aws-account <12 digits> --region <region> [--vpc-cidr 10.0.0.0/16] [--nat-gateway] [--nat-type single|per-az] [--azs a,b] [--require-approval broadening|any-change|never] [--config FILE] [--output FILE]';
	const name = tenantArg(args, 'admin tenant init', usage);
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
	if (!built.ok) return reportProblems(context, built.diagnostics, 'admin tenant init');
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
	const paint = painter(context.color);
	let config: TenantConfig = {...built.config, metadata: {...built.config.metadata, createdBy: identity}};
	if (flags.createRole) config = await createRoleFor(context, flags, clients, config);
	const {createTenant} = await import('../../engine/backends.js');
	const created = await createTenant(backend, config, {identity, reuseDeleted: flags.force});
	// The contract's summary; with --no-network the networking lines are what is recorded, not built (○).
	built.summary.forEach((line, i) => {
		const recordedOnly = !flags.network && i > 0;
		writeLine(context.stdout, recordedOnly ? line.replace(/^✓/, paint('○', 'yellow')) : line.replace(/^✓/, paint('✓', 'green', 'bold')));
	});
	writeLine(context.stdout);
	// The secret first: it is shown only once, so a networking failure must not swallow it.
	await deliverSecret(context, flags, name, created.secret);
	const cost = tenantCostTexts(config, costs.table);
	writeLine(context.stdout, `Networking cost: ${cost.networking}`);
	if (cost.limit) writeLine(context.stdout, `Cost limit: ${cost.limit}`);
	if (flags.network || flags.createRole) {
		const access = await reportTenantAccess(context, clients, config, `panka-admin-${name}`, flags.createRole);
		if (!access && flags.network) {
			writeLine(context.stderr, `Networking not provisioned: fix the AWS access, then run panka admin tenant update ${name}`);
			return 1;
		}
	} else writeLine(context.stdout, `${paint('○', 'yellow')} AWS access not checked (--no-network)`);
	return provisionOrSay(context, flags, backend, clients, config);
}

/**
 * `--create-role`: shows the role (trust policy and permissions), then creates it in the tenant's
 * account with the admin's credentials, which must be for that account; returns the config with
 * the role recorded.
 */
async function createRoleFor(context: CommandContext, flags: Flags, clients: AwsClients, config: TenantConfig): Promise<TenantConfig> {
	const [{callerIdentityOf}, {createTenantRole, tenantRolePlan}] = await Promise.all([
		import('../../engine/backends.js'),
		import('../../engine/admin.js'),
	]);
	const paint = painter(context.color);
	const caller = await callerIdentityOf(clients);
	const plan = tenantRolePlan(config, flags.trustPrincipal ?? caller.arn);
	const {accountId} = config.spec.aws;
	writeLine(context.stdout, `Role ${plan.roleName} for tenant ${config.metadata.name}, in account ${accountId}:`);
	writeLine(context.stdout, `  trust policy: ${JSON.stringify(plan.trustPolicy)}`);
	writeLine(context.stdout, `  permissions (inline policy panka-deploy): ${plan.permissions.flatMap((p) => p.Action).join(', ')} on *`);
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
	writeLine(context.stdout, `${paint('✓', 'green', 'bold')} Role created: ${arn}`);
	return {...config, spec: {...config.spec, aws: {...config.spec.aws, assumeRoleArn: arn}}};
}

/** Provision the tenant's networking unless --no-network; a failure names the retry command. */
async function provisionOrSay(
	context: CommandContext,
	flags: Flags,
	backend: Backend,
	clients: AwsClients,
	config: TenantConfig,
): Promise<number> {
	const paint = painter(context.color);
	if (!flags.network) {
		writeLine(
			context.stdout,
			`${paint('!', 'yellow')} Networking not provisioned (--no-network): recorded only; run panka admin tenant update ${config.metadata.name} --config … to provision it later`,
		);
		return 0;
	}
	writeLine(context.stdout);
	try {
		const {provisionNetwork} = await import('../tenant-network.js');
		writeLine(context.stdout, `${paint('✓', 'green', 'bold')} ${await provisionNetwork(context, backend, clients, config)}`);
		return 0;
	} catch (error) {
		writeLine(context.stderr, `${paint('✗ networking:', 'red', 'bold')} ${(error as Error).message}`);
		writeLine(
			context.stderr,
			`${paint('hint:', 'cyan')} fix the cause (AWS credentials, the role ${config.spec.aws.assumeRoleArn ?? 'in the tenant config'}, quotas) and run panka admin tenant update ${config.metadata.name}; what was created is found again by its tags`,
		);
		return 1;
	}
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
	const file = flags.config !== undefined ? await readConfigFlag(context, flags.config) : undefined;
	const {backend, identity, clients} = await openAsAdmin(context, flags);
	const [{readTenantConfig, updateTenantConfig}, {updateTenantConfigFromFile, tenantSummaryLines}] = await Promise.all([
		import('../../engine/backends.js'),
		import('../../engine/admin.js'),
	]);
	const current = await readTenantConfig(backend, name);
	let config = current.config;
	const paint = painter(context.color);
	const costLimit = parseCostLimitFlags(flags);
	if (file || Object.keys(costLimit).length > 0 || flags.requireApproval !== undefined) {
		if (file) {
			const updated = updateTenantConfigFromFile(current.config, file.file, file.text);
			if (!updated.ok) return reportProblems(context, updated.diagnostics, 'admin tenant update');
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
		writeLine(context.stdout, `${paint('✓', 'green', 'bold')} Tenant updated: ${name} (${current.file})`);
	} else if (!flags.network)
		throw new UsageError(
			'nothing to update: pass --config FILE, --cost-limit USD or --require-approval RULE, or leave out --no-network to (re)provision the networking',
		);
	else writeLine(context.stdout, `Tenant ${name}: configuration unchanged; reconciling its networking`);
	for (const line of tenantSummaryLines(config).slice(1)) writeLine(context.stdout, line.replace(/^✓/, paint('✓', 'green', 'bold')));
	return provisionOrSay(context, flags, backend, clients, config);
}

// ---- tenant delete / rotate / suspend / activate ----

export async function adminTenantDeleteCommand(args: string[], flags: Flags, context: CommandContext): Promise<number> {
	const name = tenantArg(args, 'admin tenant delete', '<name> [--force] [--yes]');
	if (!flags.yes) {
		if (!canPrompt(context))
			throw new UsageError(
				`panka admin tenant delete asks for confirmation, and there is no terminal to ask in`,
				`pass --yes: panka admin tenant delete ${name} --yes`,
			);
		if (!(await confirm(context, `Delete tenant ${name}? Its sessions end now and its folder moves to tenants-archive/.`))) {
			writeLine(context.stderr, 'Not deleted.');
			return 1;
		}
	}
	const {backend, identity, clients} = await openAsAdmin(context, flags);
	const {deleteTenant, describeStackInUse, readTenantConfig, stacksInUse} = await import('../../engine/backends.js');
	const paint = painter(context.color);
	if (flags.network) {
		const inUse = await stacksInUse(backend, name);
		const current = await readTenantConfig(backend, name).catch(() => undefined);
		// With stacks still deployed, deleteTenant refuses (or, with --force, archives) and the network stays.
		if (inUse.length > 0 && flags.force)
			writeLine(
				context.stderr,
				`${paint('warning:', 'yellow', 'bold')} stacks still have resources (--force): the networking is kept, since their resources use it`,
			);
		else if (inUse.length === 0 && current) {
			const {teardownNetwork} = await import('../tenant-network.js');
			const removed = await teardownNetwork(context, backend, clients, current.config);
			if (removed) writeLine(context.stdout, `${paint('✓', 'green', 'bold')} ${removed}`);
		}
	}
	const deleted = await deleteTenant(backend, name, {identity, force: flags.force});
	if (deleted.inUse.length > 0)
		writeLine(
			context.stderr,
			`${paint('warning:', 'yellow', 'bold')} archived with deployed stacks (--force): ${deleted.inUse.map(describeStackInUse).join('; ')}; their AWS resources still exist`,
		);
	writeLine(
		context.stdout,
		`${paint('✓', 'green', 'bold')} Tenant ${deleted.resumed ? 'deletion finished' : 'deleted'}: ${name} (archived as ${deleted.archivedAs} on ${backend.description}, ${plural(deleted.moved, 'object')} moved)`,
	);
	writeLine(context.stdout, `The name stays reserved; to give it to a new tenant: panka admin tenant init ${name} --force …`);
	return 0;
}

export async function adminTenantRotateCommand(args: string[], flags: Flags, context: CommandContext): Promise<number> {
	const name = tenantArg(args, 'admin tenant rotate', '<name> [--output FILE]');
	const {backend, identity} = await openAsAdmin(context, flags);
	const {rotateTenantSecret} = await import('../../engine/backends.js');
	const rotated = await rotateTenantSecret(backend, name, {identity});
	writeLine(
		context.stdout,
		`${painter(context.color)('✓', 'green', 'bold')} Secret rotated: ${name} (secret version ${rotated.secretVersion}); the old secret and every session of ${name} stop working now`,
	);
	writeLine(context.stdout);
	await deliverSecret(context, flags, name, rotated.secret);
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
	const paint = painter(context.color);
	if (!changed) writeLine(context.stdout, `Tenant ${name} is already ${status}.`);
	else if (status === 'suspended')
		writeLine(
			context.stdout,
			`${paint('✓', 'green', 'bold')} Tenant suspended: ${name}; its next command is refused (sessions stay, and work again after panka admin tenant activate ${name})`,
		);
	else writeLine(context.stdout, `${paint('✓', 'green', 'bold')} Tenant activated: ${name}`);
	return 0;
}
