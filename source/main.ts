/**
 * Command dispatch. Subcommands are parsed from meow's `cli.input` (not meow's `commands:`, which
 * stops flag parsing at the command), each command declares the flags it takes, and every error
 * ends here: usage errors exit 2 with the flag or argument named; expected failures (errors that
 * carry a `hint`: backend, tenant, session) exit 1 with one line and the hint; anything unexpected
 * exits 1 with one line (the stack trace only with PANKA_DEBUG=1). Messages are printed with
 * control characters escaped (they quote arguments and files). Under --json the error is also one
 * line of JSON on stdout (`kind: Error`), so a script always has a document to parse. Ink is never
 * imported here.
 */
import {statSync} from 'node:fs';
import path from 'node:path';
import meow from 'meow';
import {type CommandContext, painter, processContext, writeLine} from './context.js';
import {exitCodes, UsageError} from './errors.js';
import {checkFlagValues, checkFlags, type FlagName, type Flags, flagSpec} from './flags.js';
import {cliApiVersion} from './render/json.js';
import {didYouMean, printable} from '../engine/index.js';

interface CommandSpec {
	usage: string;
	summary: string;
	flags: FlagName[];
	details?: string;
	run(args: string[], flags: Flags, context: CommandContext): Promise<number>;
}

const workspaceFlags: FlagName[] = ['var', 'env', 'tenantConfig'];
/** Which backend an admin command works on (else PANKA_BACKEND, the config file, PANKA_HOME). */
const backendFlags: FlagName[] = ['backend', 'home'];

const commands: Record<string, CommandSpec> = {
	validate: {
		usage: 'panka validate [folder] [--json] [--var K=V] [--env E] [--tenant-config FILE]',
		summary: 'Check a stack folder: every problem at file:line:col (exit 1 on errors)',
		flags: ['json', ...workspaceFlags],
		run: async (...a) => (await import('./commands/validate.js')).validateCommand(...a),
	},
	graph: {
		usage: 'panka graph [folder] [--format ascii|dot|mermaid] [--json]',
		summary: 'Print the dependency graph: levels, critical path, cycles',
		flags: ['format', 'json', ...workspaceFlags],
		run: async (...a) => (await import('./commands/graph.js')).graphCommand(...a),
	},
	migrate: {
		usage: 'panka migrate [folder | stack.yaml] [--write] [--tenant-config FILE]',
		summary: "Rewrite the original tool's deprecated forms into panka's, keeping comments (shows the diff; --write rewrites)",
		flags: ['write', 'tenantConfig'],
		details:
			"The forms are the ones panka validate warns about (deprecated-form): v1 apiVersions, spec.provider, a string GSI projection, a flat S3 cors rule, … Without --write the diff is shown and nothing is written. spec.provider is removed only when it agrees with the tenant's region and account.",
		run: async (...a) => (await import('./commands/migrate.js')).migrateCommand(...a),
	},
	schema: {
		usage: 'panka schema [--kind K]',
		summary: 'Print the JSON Schema of panka YAML, for editors (yaml-language-server)',
		flags: ['kind', 'json'],
		run: async (...a) => (await import('./commands/schema.js')).schemaCommand(...a),
	},
	version: {
		usage: 'panka version [--json]',
		summary: 'Print the version of panka and its runtime',
		flags: ['json'],
		run: async (...a) => (await import('./commands/version.js')).versionCommand(...a),
	},
	'stack init': {
		usage: 'panka stack init <name> [--services a,b] [--template T] [--tenant T] [--env E] [--dir D] [--yes]',
		summary: 'Create a stack folder (a wizard asks for what flags did not give, in a terminal)',
		flags: ['services', 'template', 'tenant', 'env', 'dir', 'yes'],
		details: 'Templates: http-api (MicroService + RDS + SQS), worker (Lambda + SQS + DynamoDB), scheduled (Lambda on a schedule), empty.',
		run: async (...a) => (await import('./commands/stack.js')).stackInitCommand(...a),
	},
	'stack info': {
		usage: 'panka stack info [folder] [--json]',
		summary: 'Summarise a stack: tenant, environment, networking, services and components',
		flags: ['json', ...workspaceFlags],
		run: async (...a) => (await import('./commands/stack.js')).stackInfoCommand(...a),
	},
	'stack list': {
		usage: 'panka stack list [--all-envs] [--json]',
		summary: "The logged-in tenant's stacks on the backend: environments, resources, last apply (when, who, serial), locks",
		flags: ['allEnvs', 'json', 'tenant'],
		details:
			'One row per stack; --all-envs gives one row per environment. --json lists every environment with its state serial, pending operations and lock holder.',
		run: async (...a) => (await import('./commands/stack.js')).stackListCommand(...a),
	},
	'service add': {
		usage: 'panka service add <name> [--template http-api|worker|scheduled|empty] [--stack folder] [--yes]',
		summary: 'Add a service folder from a template',
		flags: ['template', 'stack', 'yes', ...workspaceFlags],
		run: async (...a) => (await import('./commands/service.js')).serviceAddCommand(...a),
	},
	'service remove': {
		usage: 'panka service remove <name> [--stack folder] [--yes] [--force]',
		summary: 'Delete a service folder (refuses while other services use it, unless --force)',
		flags: ['stack', 'yes', 'force', ...workspaceFlags],
		run: async (...a) => (await import('./commands/service.js')).serviceRemoveCommand(...a),
	},
	'service list': {
		usage: 'panka service list [--stack folder] [--json]',
		summary: 'List the services of a stack with their components',
		flags: ['stack', 'json', ...workspaceFlags],
		run: async (...a) => (await import('./commands/service.js')).serviceListCommand(...a),
	},
	'admin init': {
		usage: 'panka admin init [--backend s3://bucket/prefix | --home DIR] [--region R]',
		summary: 'Set up a backend (S3 bucket with versioning, or a local folder) and its tenant registry; you become its admin',
		flags: [...backendFlags, 'region'],
		details:
			'The backend is remembered in $PANKA_CONFIG_DIR/config.json (default ~/.config/panka). Admin identity: the STS caller ARN on S3, user@host on a local folder.',
		run: async (...a) => (await import('./commands/admin.js')).adminInitCommand(...a),
	},
	'admin login': {
		usage: 'panka admin login [--backend s3://… | --home DIR]',
		summary: 'Check that your identity (STS caller ARN, or user@host) is an admin of the backend',
		flags: [...backendFlags],
		run: async (...a) => (await import('./commands/admin.js')).adminLoginCommand(...a),
	},
	'admin tenant init': {
		usage:
			'panka admin tenant init <name> --aws-account ID --region R [--vpc-cidr 10.0.0.0/16] [--nat-gateway] [--nat-type single|per-az] [--azs a,b] [--create-role [--trust-principal ARN]] [--config FILE] [--output FILE] [--force] [--no-network]',
		summary: 'Create a tenant: networking computed from the VPC CIDR, a secret shown once',
		flags: [
			'awsAccount',
			'region',
			'vpcCidr',
			'natGateway',
			'natType',
			'azs',
			'createRole',
			'trustPrincipal',
			'config',
			'output',
			'force',
			...backendFlags,
			'network',
		],
		details:
			'Subnets: AZ N gets public x.y.N.0/24 and private x.y.(10·N).0/24 in a /16 (smaller slots in smaller VPCs). --config merges a partial or complete TenantConfig over the computed one. --output writes "Tenant ID / Secret" with mode 600. --force gives the name of a deleted tenant to a new one. Without a role panka acts with the caller\'s own credentials in the tenant\'s account; --create-role creates the role panka-<name> there (its trust policy and permissions are shown first), trusting you or --trust-principal ARN. Either way the AWS access is checked with STS and reported.',
		run: async (...a) => (await import('./commands/admin.js')).adminTenantInitCommand(...a),
	},
	'admin tenant list': {
		usage: 'panka admin tenant list [--json]',
		summary: 'List the tenants with their status and secret version',
		flags: ['json', ...backendFlags],
		run: async (...a) => (await import('./commands/admin.js')).adminTenantListCommand(...a),
	},
	'admin tenant show': {
		usage: 'panka admin tenant show <name> [--json]',
		summary: 'Show a tenant: status, AWS binding, networking, limits',
		flags: ['json', ...backendFlags],
		run: async (...a) => (await import('./commands/admin.js')).adminTenantShowCommand(...a),
	},
	'admin tenant update': {
		usage: 'panka admin tenant update <name> [--config FILE] [--no-network]',
		summary: 'Change a tenant config: FILE (partial or complete TenantConfig) is merged over it and validated',
		flags: ['config', ...backendFlags, 'network'],
		run: async (...a) => (await import('./commands/admin.js')).adminTenantUpdateCommand(...a),
	},
	'admin tenant delete': {
		usage: 'panka admin tenant delete <name> [--force] [--yes] [--no-network]',
		summary: 'Delete a tenant: refused while its stacks have resources (unless --force); its folder is archived, not destroyed',
		flags: ['force', 'yes', ...backendFlags, 'network'],
		run: async (...a) => (await import('./commands/admin.js')).adminTenantDeleteCommand(...a),
	},
	'admin tenant rotate': {
		usage: 'panka admin tenant rotate <name> [--output FILE]',
		summary: 'Give a tenant a new secret: the old one and every session stop working at once',
		flags: ['output', ...backendFlags],
		run: async (...a) => (await import('./commands/admin.js')).adminTenantRotateCommand(...a),
	},
	'admin tenant suspend': {
		usage: 'panka admin tenant suspend <name>',
		summary: 'Suspend a tenant: its next command is refused',
		flags: [...backendFlags],
		run: async (...a) => (await import('./commands/admin.js')).adminTenantSuspendCommand(...a),
	},
	'admin tenant activate': {
		usage: 'panka admin tenant activate <name>',
		summary: 'Reactivate a suspended tenant',
		flags: [...backendFlags],
		run: async (...a) => (await import('./commands/admin.js')).adminTenantActivateCommand(...a),
	},
	login: {
		usage: 'panka login [--tenant T] [--backend s3://… | --home DIR]',
		summary: 'Log in as a tenant: asks for the tenant ID and secret in a terminal (CI: PANKA_TENANT + PANKA_TENANT_SECRET)',
		flags: ['tenant', ...backendFlags],
		details:
			'Opens a session on the backend (valid 12 hours; the backend decides when it ends) and writes $PANKA_CONFIG_DIR/session.json (mode 600). Every command re-checks the tenant and the session against the backend, so a suspension, a rotated secret or a logout acts at once. In CI no login is needed: PANKA_TENANT and PANKA_TENANT_SECRET are checked on every command.',
		run: async (...a) => (await import('./commands/login.js')).loginCommand(...a),
	},
	logout: {
		usage: 'panka logout',
		summary: 'End the tenant session (on the backend too) and remove the session file',
		flags: [],
		run: async (...a) => (await import('./commands/login.js')).logoutCommand(...a),
	},
	plan: {
		usage: 'panka plan [folder] [--env E] [--var K=V] [--target addr…] [--out plan.json] [--json] [--detailed-exitcode] [--refresh]',
		summary: 'Show what an apply would change against the recorded state (the review in a terminal)',
		flags: ['env', 'var', 'target', 'out', 'json', 'detailedExitcode', 'refresh', 'tenant', 'tenantConfig'],
		details:
			'In a terminal the plan opens in the review: space approves or skips a change (dependents follow), a approves all, enter shows the field diff; confirming saves the plan and your selection with --out. --detailed-exitcode: 0 no changes, 1 error, 2 changes. --refresh reads every resource from AWS first and plans against what it has.',
		run: async (...a) => (await import('./commands/plan.js')).planCommand(...a),
	},
	apply: {
		usage:
			'panka apply [folder | plan.json] [--env E] [--var K=V] [--yes] [--target addr…] [--parallelism N] [--lock-timeout 30s] [--wait-timeout [Kind=]30m] [--refresh] [--skip-final-snapshot] [--json]',
		summary: 'Create, update, replace and delete AWS resources to match the stack folder',
		flags: [
			'env',
			'var',
			'yes',
			'target',
			'parallelism',
			'lockTimeout',
			'waitTimeout',
			'refresh',
			'skipFinalSnapshot',
			'confirmEnv',
			'json',
			'tenant',
			'tenantConfig',
		],
		details:
			'Without a plan file it plans, then asks: the review in a terminal, --yes in CI. With a plan file it applies exactly that plan (refused when the state or the folder changed since). --refresh first reads every resource from AWS, so changes made outside panka are undone. --wait-timeout 20m limits every wait for AWS (an ECS rollout, a database becoming available), --wait-timeout MicroService=45m one kind (default 30m each). Ctrl-C (or SIGTERM, SIGHUP, a closed output) once: finish the steps in flight and stop; twice: abort them. Exit codes: 0 applied (also when you skipped changes in the review), 1 a step failed, the state could not be saved or the lock was lost, 130 Ctrl-C, 143 SIGTERM, 129 SIGHUP, 141 closed output. --json streams one NDJSON event per line.',
		run: async (...a) => (await import('./commands/apply.js')).applyCommand(...a),
	},
	destroy: {
		usage:
			'panka destroy [folder] [--env E] [--yes] [--parallelism N] [--lock-timeout 30s] [--wait-timeout [Kind=]30m] [--skip-final-snapshot] [--json]',
		summary: 'Delete every resource of the stack, in reverse dependency order',
		flags: [
			'env',
			'var',
			'yes',
			'confirmEnv',
			'parallelism',
			'lockTimeout',
			'waitTimeout',
			'json',
			'tenant',
			'tenantConfig',
			'skipFinalSnapshot',
		],
		details:
			'In a terminal you confirm by typing the stack name; in CI pass --yes. The state is removed when the stack is empty. RDS databases with backups take a final snapshot first unless --skip-final-snapshot.',
		run: async (...a) => (await import('./commands/apply.js')).destroyCommand(...a),
	},
	promote: {
		usage: 'panka promote <from> <to> [folder] [--yes] [--confirm-env <to>] [--out plan.json] [--var K=V] [--json]',
		summary: 'Plan and apply <to> with the releasable values <from> has deployed (stack.yaml spec.promote)',
		flags: ['var', 'yes', 'confirmEnv', 'out', 'target', 'parallelism', 'lockTimeout', 'waitTimeout', 'json', 'tenant'],
		details:
			"The values of spec.promote (e.g. VERSION) are read from <from>'s recorded state; everything else stays <to>'s own. Refused when <from> was never applied or is not wholly deployed. Same review as apply (--yes in CI); --out saves the plan instead. A protected <to> needs --confirm-env <to> (or typing its name in a terminal).",
		run: async (...a) => (await import('./commands/promote.js')).promoteCommand(...a),
	},
	'env list': {
		usage: 'panka env list [folder] [--json]',
		summary: "The stack's environments: resources, last apply (when, who, serial), lock, protected",
		flags: ['json', 'var', 'tenant'],
		run: async (...a) => (await import('./commands/env.js')).envListCommand(...a),
	},
	diff: {
		usage: 'panka diff [folder] --env A --to B [--json]',
		summary: 'The configuration differences between two environments, field by field, with where each value comes from',
		flags: ['env', 'to', 'json', 'var', 'tenantConfig'],
		run: async (...a) => (await import('./commands/env.js')).diffCommand(...a),
	},
	drift: {
		usage: 'panka drift [folder] [--env E] [--json]',
		summary: 'Read every deployed resource from AWS and report what changed outside panka (exit 3 on drift)',
		flags: ['env', 'var', 'json', 'tenant', 'tenantConfig'],
		details:
			'Nothing is written. Exit codes: 0 no drift, 3 drift found, 1 an error (a resource that could not be read included), 2 a usage error; panka apply --refresh restores the configuration.',
		run: async (...a) => (await import('./commands/drift.js')).driftCommand(...a),
	},
	logs: {
		usage: 'panka logs [folder] [component|service …] [--follow] [--since 10m] [--filter TEXT] [--json]',
		summary: 'Show (and follow) the CloudWatch logs of MicroService and Lambda components, interleaved by time',
		flags: ['follow', 'since', 'filter', 'json', 'env', 'var', 'tenant'],
		details:
			'Names may be components or services (all their components). Lines of several components are interleaved by timestamp and coloured by component. --follow keeps reading (live tail where the endpoint has it, else polling every second); Ctrl-C stops.',
		run: async (...a) => (await import('./commands/logs.js')).logsCommand(...a),
	},
	'state list': {
		usage: 'panka state list [--stack folder] [--env E] [--json]',
		summary: 'List the resources recorded in the state',
		flags: ['stack', 'env', 'var', 'json', 'tenant'],
		run: async (...a) => (await import('./commands/state.js')).stateListCommand(...a),
	},
	'state show': {
		usage: 'panka state show <address> [--stack folder] [--env E] [--json]',
		summary: 'Show one recorded resource: ids, names, outputs and inputs (secrets redacted)',
		flags: ['stack', 'env', 'var', 'json', 'tenant'],
		run: async (...a) => (await import('./commands/state.js')).stateShowCommand(...a),
	},
	'state remove': {
		usage: 'panka state remove <address> [--stack folder] [--env E] [--yes]',
		summary: 'Forget a resource without touching AWS (asks first; --yes in CI)',
		flags: ['stack', 'env', 'var', 'yes', 'lockTimeout', 'tenant'],
		run: async (...a) => (await import('./commands/state.js')).stateRemoveCommand(...a),
	},
	'state unlock': {
		usage: 'panka state unlock <lock-id> [--stack folder] [--env E] [--yes]',
		summary: 'Break a stack lock on purpose, by its id (asks first; --yes in CI)',
		flags: ['stack', 'env', 'var', 'yes', 'tenant'],
		run: async (...a) => (await import('./commands/state.js')).stateUnlockCommand(...a),
	},
	'state push': {
		usage: 'panka state push [errored-state file] [--stack folder] [--env E]',
		summary: 'Write back a state an apply saved locally when the backend failed (only the direct successor of the stored state)',
		flags: ['stack', 'env', 'var', 'lockTimeout', 'tenant'],
		run: async (...a) => (await import('./commands/state.js')).statePushCommand(...a),
	},
	workbench: {
		usage: 'panka [folder] [--var K=V] [--env E] [--tenant-config FILE] [--read-only]',
		summary: 'Open the workbench on a stack folder (the default command)',
		flags: [...workspaceFlags, 'readOnly'],
		details:
			'--read-only browses the folder only: no plan, apply or logs are offered, and nothing outside the folder is read (the demo opens it this way without moto_server).',
		run: async (...a) => (await import('./commands/workbench.js')).workbenchCommand(...a),
	},
};

/**
 * The longest command whose words start `input` (`admin tenant init` before `admin`); an existing
 * folder opens the workbench; anything else is a usage error with the closest commands.
 */
function resolveCommand(input: string[], context: CommandContext): {name: string; args: string[]} {
	if (input.length === 0) return {name: 'workbench', args: []};
	for (let words = Math.min(3, input.length); words >= 1; words--) {
		const name = input.slice(0, words).join(' ');
		if (commands[name] && name !== 'workbench') return {name, args: input.slice(words)};
	}
	// A group (`panka admin tenant`, `panka state`) without a known subcommand.
	for (let words = Math.min(2, input.length); words >= 1; words--) {
		const group = input.slice(0, words).join(' ');
		const subs = [
			...new Set(
				Object.keys(commands)
					.filter((c) => c.startsWith(`${group} `))
					.map((c) => c.slice(group.length + 1).split(' ')[0]!),
			),
		];
		if (subs.length === 0) continue;
		const next = input[words];
		throw new UsageError(
			next ? `unknown command "panka ${group} ${next}"${didYouMean(next, subs)}` : `panka ${group} needs a subcommand`,
			`panka ${group} ${subs.join('|')}`,
		);
	}
	if (isStackTarget(context, input[0]!)) return {name: 'workbench', args: input};
	const first = input[0]!;
	throw new UsageError(
		`unknown command "${first}"${didYouMean(first, [...new Set(Object.keys(commands).map((c) => c.split(' ')[0]!)), 'help'])}`,
		'run panka --help for the list of commands',
	);
}

function generalHelp(): string {
	const rows = Object.entries(commands).map(([, spec]) => `  ${spec.usage}\n      ${spec.summary}`);
	return `panka — deploy multi-tenant AWS infrastructure from YAML stack folders

Usage
  panka [command] [folder] [flags]

Commands
${rows.join('\n')}

Flags for every command
  --no-tui      never open the terminal UI (also: CI=true, TERM=dumb, or no terminal)
  --help, -h    help for a command: panka <command> --help
  --version     print the version

Folders default to the current directory. --tenant-config also reads PANKA_TENANT_CONFIG;
variables also come from PANKA_VAR_<NAME>. Exit codes: 0 ok, 1 problems found, 2 usage error,
3 drift found (panka drift), 130 Ctrl-C; apply and destroy document theirs (panka apply --help).`;
}

/** The commands of a group (`admin`, `admin tenant`, `state`, …), or undefined when `group` is none. */
function groupHelp(group: string): string | undefined {
	const members = Object.entries(commands).filter(([name]) => group !== '' && name.startsWith(`${group} `));
	if (members.length === 0) return undefined;
	const rows = members.map(([, spec]) => `  ${spec.usage}\n      ${spec.summary}`);
	return `panka ${group}\n\nCommands\n${rows.join('\n')}\n\npanka <command> --help documents each one.`;
}

function commandHelp(name: string, spec: CommandSpec): string {
	const flagLines = spec.flags.map((f) => `  --${f.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);
	return `${spec.summary}\n\nUsage\n  ${spec.usage}\n${spec.details ? `\n${spec.details}\n` : ''}\nFlags\n${flagLines.join('\n')}\n  --no-tui\n\nSee also: panka --help (${name})`;
}

export async function main(argv: string[], context: CommandContext = processContext()): Promise<number> {
	const paint = painter(context.color && !!context.stderr.isTTY);
	let json = false;
	try {
		const cli = meow({
			argv,
			importMeta: import.meta,
			flags: flagSpec,
			autoHelp: false,
			autoVersion: false,
			allowUnknownFlags: true,
		});
		const flags = cli.flags as unknown as Flags;
		json = flags.json;
		const input = cli.input;
		if (flags.version && input.length === 0) return await commands.version!.run([], flags, context);
		if (input.length === 0 && flags.help) {
			writeLine(context.stdout, generalHelp());
			return exitCodes.ok;
		}
		if (input[0] === 'help') {
			const topic = input.slice(1).join(' ');
			const spec = commands[topic];
			const group = spec ? undefined : groupHelp(topic);
			writeLine(context.stdout, spec ? commandHelp(topic, spec) : (group ?? generalHelp()));
			return topic && !spec && !group ? exitCodes.usage : exitCodes.ok;
		}
		// `panka admin --help`, `panka state -h`: a group's commands, not a usage error.
		const group = flags.help ? groupHelp(input.join(' ')) : undefined;
		if (group && !commands[input.join(' ')]) {
			writeLine(context.stdout, group);
			return exitCodes.ok;
		}
		const {name, args} = resolveCommand(input, context);
		const spec = commands[name]!;
		if (flags.help) {
			writeLine(context.stdout, commandHelp(name, spec));
			return exitCodes.ok;
		}
		checkFlags(argv, spec.flags, name);
		await checkFlagValues(flags);
		return await spec.run(args, flags, context);
	} catch (error) {
		if (error instanceof UsageError) {
			writeLine(context.stderr, `${paint('panka:', 'bold')} ${printable(error.message)}`);
			if (error.hint) writeLine(context.stderr, `${paint('hint:', 'cyan')} ${printable(error.hint)}`);
			if (json) writeErrorJson(context, exitCodes.usage, error.message, error.hint);
			return exitCodes.usage;
		}
		const err = error as NodeJS.ErrnoException & {hint?: string};
		const message = err?.message ?? String(error);
		writeLine(context.stderr, `${paint('panka: error:', 'red', 'bold')} ${printable(message)}`);
		// An error that carries a hint (BackendError, TenantError, a session problem) is an expected
		// failure with advice, not a bug: its hint, and no stack trace or bug-report line.
		if (err && typeof err === 'object' && 'hint' in err) {
			if (err.hint) writeLine(context.stderr, `${paint('hint:', 'cyan')} ${printable(err.hint)}`);
			if (json) writeErrorJson(context, exitCodes.errors, message, err.hint);
			return exitCodes.errors;
		}
		if (json) writeErrorJson(context, exitCodes.errors, message);
		if (context.env.PANKA_DEBUG === '1' && err?.stack) writeLine(context.stderr, err.stack);
		else
			writeLine(
				context.stderr,
				paint('(set PANKA_DEBUG=1 for the stack trace; please report it if this looks like a bug in panka)', 'gray'),
			);
		return exitCodes.errors;
	}
}

/** The --json view of a failed command: one line, so it is also a valid NDJSON event. */
function writeErrorJson(context: CommandContext, exitCode: number, message: string, hint?: string): void {
	writeLine(
		context.stdout,
		JSON.stringify({apiVersion: cliApiVersion, kind: 'Error', ok: false, exitCode, message, ...(hint ? {hint} : {})}),
	);
}

/** `panka my-stack` (or `panka stack.yaml`) opens the workbench there: an existing folder or YAML file that is not a command. */
function isStackTarget(context: CommandContext, arg: string): boolean {
	try {
		const found = statSync(path.resolve(context.cwd, arg));
		return found.isDirectory() || (found.isFile() && /\.ya?ml$/i.test(arg));
	} catch {
		return false;
	}
}
