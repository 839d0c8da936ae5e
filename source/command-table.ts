/**
 * The commands panka has, each with its arguments, a summary, the flags it takes (declared in
 * flags.ts, named here) and how to run it. main.ts dispatches from this table, help.ts writes the
 * help from it and completion.ts the shell completions, so a command or flag added here appears in
 * all three. Command modules are imported only when their command runs.
 */
import type {CommandContext} from './context.js';
import type {FlagName, Flags} from './flags.js';

/**
 * A flag a command takes; the object form gives it a description, a value name, an example (or a
 * requirement) of its own there: rollback's `--to SERIAL` is diff's `--to ENV` with another meaning.
 */
export type FlagUse = FlagName | {flag: FlagName; description?: string; value?: string; example?: string; required?: true};

export interface CommandSpec {
	/** The positional arguments, as usage shows them: `<name>`, `[folder]`. */
	args?: string;
	summary: string;
	flags: FlagUse[];
	details?: string;
	run(args: string[], flags: Flags, context: CommandContext): Promise<number>;
}

const workspaceFlags: FlagUse[] = ['var', 'env', 'tenantConfig'];
/** Which backend an admin command works on (else PANKA_BACKEND, the config file, PANKA_HOME). */
const backendFlags: FlagUse[] = ['backend', 'home'];

export const commands: Record<string, CommandSpec> = {
	validate: {
		args: '[folder]',
		summary: 'Check a stack folder: every problem at file:line:col (exit 1 on errors)',
		flags: ['json', ...workspaceFlags],
		run: async (...a) => (await import('./commands/validate.js')).validateCommand(...a),
	},
	graph: {
		args: '[folder]',
		summary: 'Print the dependency graph: levels, critical path, cycles; or draw it as SVG or HTML',
		flags: ['format', 'json', 'plan', 'out', ...workspaceFlags],
		run: async (...a) => (await import('./commands/graph.js')).graphCommand(...a),
	},
	migrate: {
		args: '[folder | stack.yaml]',
		summary: "Rewrite the original tool's deprecated forms into panka's, keeping comments (shows the diff; --write rewrites)",
		flags: ['write', 'tenantConfig', 'json'],
		details:
			"The forms are the ones panka validate warns about (deprecated-form): v1 apiVersions, spec.provider, a string GSI projection, a flat S3 cors rule, … Without --write the diff is shown and nothing is written. spec.provider is removed only when it agrees with the tenant's region and account.",
		run: async (...a) => (await import('./commands/migrate.js')).migrateCommand(...a),
	},
	schema: {
		summary: 'Print the JSON Schema of panka YAML, for editors (yaml-language-server)',
		flags: ['kind', 'json'],
		run: async (...a) => (await import('./commands/schema.js')).schemaCommand(...a),
	},
	version: {
		summary: 'Print the version of panka and its runtime',
		flags: ['json'],
		run: async (...a) => (await import('./commands/version.js')).versionCommand(...a),
	},
	'stack init': {
		args: '<name>',
		summary: 'Create a stack folder (a wizard asks for what flags did not give, in a terminal)',
		flags: ['services', 'template', 'tenant', 'env', 'dir', 'yes', 'json'],
		details: 'Templates: http-api (MicroService + RDS + SQS), worker (Lambda + SQS + DynamoDB), scheduled (Lambda on a schedule), empty.',
		run: async (...a) => (await import('./commands/stack.js')).stackInitCommand(...a),
	},
	'stack info': {
		args: '[folder]',
		summary: 'Summarise a stack: tenant, environment, networking, services and components',
		flags: ['json', ...workspaceFlags],
		run: async (...a) => (await import('./commands/stack.js')).stackInfoCommand(...a),
	},
	'stack list': {
		summary: "The logged-in tenant's stacks on the backend: environments, resources, last apply (when, who, serial), locks",
		flags: ['allEnvs', 'json', 'tenant', 'prices'],
		details:
			'One row per stack; --all-envs gives one row per environment. --json lists every environment with its state serial, pending operations and lock holder.',
		run: async (...a) => (await import('./commands/stack.js')).stackListCommand(...a),
	},
	'service add': {
		args: '<name>',
		summary: 'Add a service folder from a template',
		flags: ['template', 'stack', 'yes', 'json', ...workspaceFlags],
		run: async (...a) => (await import('./commands/service.js')).serviceAddCommand(...a),
	},
	'service remove': {
		args: '<name>',
		summary: 'Delete a service folder (refuses while other services use it, unless --force)',
		flags: ['stack', 'yes', {flag: 'force', description: 'remove it even while other services use it'}, 'json', ...workspaceFlags],
		run: async (...a) => (await import('./commands/service.js')).serviceRemoveCommand(...a),
	},
	'service list': {
		summary: 'List the services of a stack with their components',
		flags: ['stack', 'json', ...workspaceFlags],
		run: async (...a) => (await import('./commands/service.js')).serviceListCommand(...a),
	},
	'admin init': {
		summary: 'Set up a backend (S3 bucket with versioning, or a local folder) and its tenant registry; you become its admin',
		flags: [...backendFlags, {flag: 'region', description: 'the region of a new S3 bucket'}, 'json'],
		details:
			'The backend is remembered in config.json in $PANKA_CONFIG_DIR, else $XDG_CONFIG_HOME/panka, else ~/.config/panka. Admin identity: the STS caller ARN on S3, user@host on a local folder.',
		run: async (...a) => (await import('./commands/admin.js')).adminInitCommand(...a),
	},
	'admin login': {
		summary: 'Check that your identity (STS caller ARN, or user@host) is an admin of the backend',
		flags: [...backendFlags, 'json'],
		run: async (...a) => (await import('./commands/admin.js')).adminLoginCommand(...a),
	},
	'admin tenant init': {
		args: '<name>',
		summary: 'Create a tenant: networking computed from the VPC CIDR, a secret shown once',
		flags: [
			{flag: 'awsAccount', required: true},
			{flag: 'region', required: true},
			'vpcCidr',
			'natGateway',
			'natType',
			'azs',
			'costLimit',
			'costWarnAt',
			'prices',
			'requireApproval',
			'createRole',
			'trustPrincipal',
			'config',
			'output',
			{flag: 'force', description: 'give the name of a deleted tenant to a new one'},
			...backendFlags,
			'network',
			'json',
		],
		details: [
			'Subnets:',
			'AZ N gets public x.y.N.0/24 and private x.y.(10·N).0/24 in a /16 (smaller slots in smaller VPCs).',
			'--config merges a partial or complete TenantConfig over the computed one.',
			'--output writes "Tenant ID / Secret" with mode 600.',
			'--force gives the name of a deleted tenant to a new one.',
			"Without a role panka acts with the caller's own credentials in the tenant's account;",
			'--create-role creates the role panka-<name> there (its trust policy and permissions are shown first), trusting you or --trust-principal ARN.',
			'Either way the AWS access is checked with STS and reported.',
		].join(' '),
		run: async (...a) => (await import('./commands/admin.js')).adminTenantInitCommand(...a),
	},
	'admin tenant list': {
		summary: 'List the tenants with their status and secret version',
		flags: ['json', ...backendFlags],
		run: async (...a) => (await import('./commands/admin.js')).adminTenantListCommand(...a),
	},
	'admin tenant show': {
		args: '<name>',
		summary: 'Show a tenant: status, AWS binding, networking, limits',
		flags: ['json', 'prices', ...backendFlags],
		run: async (...a) => (await import('./commands/admin.js')).adminTenantShowCommand(...a),
	},
	'admin tenant update': {
		args: '<name>',
		summary: 'Change a tenant config: FILE (partial or complete TenantConfig) is merged over it and validated',
		flags: [
			{flag: 'config', description: 'a partial or complete TenantConfig merged over the current one'},
			'costLimit',
			'costWarnAt',
			'requireApproval',
			...backendFlags,
			'network',
			'json',
		],
		run: async (...a) => (await import('./commands/admin.js')).adminTenantUpdateCommand(...a),
	},
	'admin tenant delete': {
		args: '<name>',
		summary: 'Delete a tenant: refused while its stacks have resources (unless --force); its folder is archived, not destroyed',
		flags: [{flag: 'force', description: 'delete it even while its stacks have resources'}, 'yes', ...backendFlags, 'network', 'json'],
		run: async (...a) => (await import('./commands/admin.js')).adminTenantDeleteCommand(...a),
	},
	'admin tenant rotate': {
		args: '<name>',
		summary: 'Give a tenant a new secret: the old one and every session stop working at once',
		flags: [{flag: 'output', description: 'write the tenant ID and new secret to FILE (mode 600)'}, ...backendFlags, 'json'],
		run: async (...a) => (await import('./commands/admin.js')).adminTenantRotateCommand(...a),
	},
	'admin tenant suspend': {
		args: '<name>',
		summary: 'Suspend a tenant: its next command is refused',
		flags: [...backendFlags, 'json'],
		run: async (...a) => (await import('./commands/admin.js')).adminTenantSuspendCommand(...a),
	},
	'admin tenant activate': {
		args: '<name>',
		summary: 'Reactivate a suspended tenant',
		flags: [...backendFlags, 'json'],
		run: async (...a) => (await import('./commands/admin.js')).adminTenantActivateCommand(...a),
	},
	login: {
		summary: 'Log in as a tenant: asks for the tenant ID and secret in a terminal (CI: PANKA_TENANT + PANKA_TENANT_SECRET)',
		flags: [{flag: 'tenant', description: 'the tenant ID to log in as (asked in a terminal)'}, ...backendFlags, 'json'],
		details: [
			'Opens a session on the backend (valid 12 hours; the backend decides when it ends) and writes session.json (mode 600) in $PANKA_CONFIG_DIR, else $XDG_STATE_HOME/panka, else the config folder ($XDG_CONFIG_HOME/panka, else ~/.config/panka).',
			'Every command re-checks the tenant and the session against the backend, so a suspension, a rotated secret or a logout acts at once.',
			'In CI no login is needed:',
			'PANKA_TENANT and PANKA_TENANT_SECRET are checked on every command.',
		].join(' '),
		run: async (...a) => (await import('./commands/login.js')).loginCommand(...a),
	},
	logout: {
		summary: 'End the tenant session (on the backend too) and remove the session file',
		flags: ['json'],
		run: async (...a) => (await import('./commands/login.js')).logoutCommand(...a),
	},
	plan: {
		args: '[folder]',
		summary: 'Show what an apply would change against the recorded state (the review in a terminal)',
		flags: ['env', 'var', 'target', 'out', 'json', 'detailedExitcode', 'refresh', 'tenant', 'tenantConfig', 'prices', 'usage'],
		details: [
			'In a terminal the plan opens in the review: space approves or skips a change (dependents follow), a approves all but the changes that widen access, B approves those, enter shows the field diff; confirming saves the plan and your selection with --out.',
			'--detailed-exitcode: 0 no changes, 1 error, 2 changes.',
			'--refresh reads every resource from AWS first and plans against what it has.',
			"Each change shows its estimated monthly cost and the plan the stack's new total, with the price table and its date (--prices FILE replaces the table, --usage FILE prices what is billed by use); a plan that takes the tenant over its budget (spec.limits.monthlyCost) is refused, exit 1.",
		].join(' '),
		run: async (...a) => (await import('./commands/plan.js')).planCommand(...a),
	},
	apply: {
		args: '[folder | plan.json]',
		summary: 'Create, update, replace and delete AWS resources to match the stack folder',
		flags: [
			'env',
			'var',
			'yes',
			'approveBroadening',
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
			'prices',
			'usage',
		],
		details: [
			'Without a plan file it plans, then asks: the review in a terminal, --yes in CI.',
			'Changes that widen access (new ingress, an internet-facing load balancer, a public bucket, encryption off, new IAM permissions or readable secrets) need their own approval:',
			"B or space in the review, --approve-broadening with --yes (the tenant's requireApproval: broadening, any-change or never).",
			'With a plan file it applies exactly that plan (refused when the state or the folder changed since).',
			'--refresh first reads every resource from AWS, so changes made outside panka are undone.',
			'--wait-timeout 20m limits every wait for AWS (an ECS rollout, a database becoming available), --wait-timeout MicroService=45m one kind (default 30m each).',
			'Ctrl-C (or SIGTERM, SIGHUP, a closed output) once: finish the steps in flight and stop; twice: abort them.',
			'Exit codes: 0 applied (also when you skipped changes in the review), 1 a step failed, changes that widen access wait for approval, the state could not be saved or the lock was lost, 130 Ctrl-C, 143 SIGTERM, 129 SIGHUP, 141 closed output.',
			'--json streams one NDJSON event per line.',
		].join(' '),
		run: async (...a) => (await import('./commands/apply.js')).applyCommand(...a),
	},
	destroy: {
		args: '[folder]',
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
			'deleteOrphans',
			'prices',
		],
		details: [
			'In a terminal you confirm by typing the stack name; in CI pass --yes.',
			'The state is removed when the stack is empty.',
			'RDS databases with backups take a final snapshot first unless --skip-final-snapshot.',
			'A destroy that leaves no state ends by looking in AWS for resources still tagged for the stack and environment that no state records, and names them;',
			'--delete-orphans deletes them (owned ones only; a bucket with objects is left and named).',
		].join(' '),
		run: async (...a) => (await import('./commands/apply.js')).destroyCommand(...a),
	},
	promote: {
		args: '<from> <to> [folder]',
		summary: 'Plan and apply <to> with the releasable values <from> has deployed (stack.yaml spec.promote)',
		flags: [
			'var',
			'yes',
			'approveBroadening',
			'confirmEnv',
			'out',
			'target',
			'parallelism',
			'lockTimeout',
			'waitTimeout',
			'json',
			'tenant',
			'prices',
			'usage',
		],
		details:
			"The values of spec.promote (e.g. VERSION) are read from <from>'s recorded state; everything else stays <to>'s own. Refused when <from> was never applied or is not wholly deployed. Same review as apply (--yes in CI); --out saves the plan instead. A protected <to> needs --confirm-env <to> (or typing its name in a terminal).",
		run: async (...a) => (await import('./commands/promote.js')).promoteCommand(...a),
	},
	history: {
		args: '[folder]',
		summary: 'List every recorded deployment of the stack and environment: serial, when, who, operation, changes, outcome',
		flags: ['env', 'var', 'json', 'tenant'],
		details:
			"Read from the state backend's versions (numbered backups of a local backend, bucket versions on S3); one row per run, named by the serial of the state it left. A serial of a state since destroyed and applied anew is written serial@lineage. panka history show <serial> shows what one changed; panka rollback --to <serial> plans the stack back to it.",
		run: async (...a) => (await import('./commands/history.js')).historyCommand(...a),
	},
	'history show': {
		args: '<serial> [folder]',
		summary: 'Show what one deployment changed: field diffs between the state before and after it, secrets redacted',
		flags: ['env', 'var', 'json', 'tenant'],
		run: async (...a) => (await import('./commands/history.js')).historyShowCommand(...a),
	},
	rollback: {
		args: '[folder]',
		summary: 'Plan the stack back to the configuration an earlier deployment recorded, then apply it after review',
		flags: [
			{
				flag: 'to',
				value: 'SERIAL',
				description: 'the serial of the deployment to roll back to (panka history lists them)',
				example: '--to 12',
				required: true,
			},
			'env',
			'yes',
			'approveBroadening',
			'confirmEnv',
			'out',
			'writePatch',
			'target',
			'parallelism',
			'lockTimeout',
			'waitTimeout',
			'skipFinalSnapshot',
			'json',
			'tenant',
			'prices',
			'usage',
		],
		details: [
			'Each resource gets back the resolved inputs that deployment recorded; resources added since are planned for deletion.',
			'Same review as apply (--yes in CI);',
			'--out saves the plan instead; a protected environment needs --confirm-env.',
			'Only configuration rolls back: data written since (databases, tables, buckets, queues) and code packaged from the folder do not.',
			'The folder still holds the newer configuration, so the next apply from it moves forward again;',
			'--write-patch prints the rolled-back values to put in the folder.',
			'Refused, with the reason, when the deployment did not complete, belongs to a state since destroyed, or the folder no longer declares one of its components.',
		].join(' '),
		run: async (...a) => (await import('./commands/rollback.js')).rollbackCommand(...a),
	},
	'env list': {
		args: '[folder]',
		summary: "The stack's environments: resources, last apply (when, who, serial), lock, protected",
		flags: ['json', 'var', 'tenant'],
		run: async (...a) => (await import('./commands/env.js')).envListCommand(...a),
	},
	diff: {
		args: '[folder]',
		summary: 'The configuration differences between two environments, field by field, with where each value comes from',
		flags: ['env', 'to', 'json', 'var', 'tenantConfig'],
		details: 'panka diff --env staging --to production: every field that differs, each value with the layer it came from.',
		run: async (...a) => (await import('./commands/env.js')).diffCommand(...a),
	},
	drift: {
		args: '[folder]',
		summary: 'Read every deployed resource from AWS and report what changed outside panka (exit 3 on drift)',
		flags: ['env', 'var', 'json', 'tenant', 'tenantConfig'],
		details:
			'Nothing is written. Exit codes: 0 no drift, 3 drift found, 1 an error (a resource that could not be read included), 2 a usage error; panka apply --refresh restores the configuration.',
		run: async (...a) => (await import('./commands/drift.js')).driftCommand(...a),
	},
	status: {
		args: '[folder] [component|service …]',
		summary: "The health of the stack's deployed components, read from AWS, with one verdict: healthy, degraded, failing or unknown",
		flags: ['watch', 'json', 'env', 'var', 'tenant'],
		details: [
			'Each component shows the facts behind its verdict (tasks running, dead-letter messages, rule enabled, …); a failing component that writes logs names the panka logs command that shows them.',
			'Names may be components or services.',
			'--watch reads again every 5 seconds (with --json, one Status document per line).',
			'Exit codes: 0 nothing failing (degraded and unknown included), 1 a component is failing or an error, 2 a usage error, 130 Ctrl-C.',
		].join(' '),
		run: async (...a) => (await import('./commands/status.js')).statusCommand(...a),
	},
	logs: {
		args: '[folder] [component|service …]',
		// The kinds with logs by name: this table loads for every command (--help, completion), which
		// must not load the kind registry, so a spec holds the words to its `kindsWithLogs`.
		summary: 'Show (and follow) the CloudWatch logs of MicroService and Lambda components, interleaved by time',
		flags: ['follow', 'since', 'filter', 'json', 'env', 'var', 'tenant'],
		details:
			'Names may be components or services (all their components). Lines of several components are interleaved by timestamp and coloured by component. --follow keeps reading (live tail where the endpoint has it, else polling every second); Ctrl-C stops.',
		run: async (...a) => (await import('./commands/logs.js')).logsCommand(...a),
	},
	'state list': {
		summary: 'List the resources recorded in the state',
		flags: ['stack', 'env', 'var', 'json', 'tenant'],
		run: async (...a) => (await import('./commands/state.js')).stateListCommand(...a),
	},
	'state show': {
		args: '<address>',
		summary: 'Show one recorded resource: ids, names, outputs and inputs (secrets redacted)',
		flags: ['stack', 'env', 'var', 'json', 'tenant'],
		run: async (...a) => (await import('./commands/state.js')).stateShowCommand(...a),
	},
	'state remove': {
		args: '<address>',
		summary: 'Forget a resource without touching AWS (asks first; --yes in CI)',
		flags: ['stack', 'env', 'var', 'yes', 'lockTimeout', 'json', 'tenant'],
		run: async (...a) => (await import('./commands/state.js')).stateRemoveCommand(...a),
	},
	'state unlock': {
		args: '<lock-id>',
		summary: 'Break a stack lock on purpose, by its id (asks first; --yes in CI)',
		flags: ['stack', 'env', 'var', 'yes', 'json', 'tenant'],
		run: async (...a) => (await import('./commands/state.js')).stateUnlockCommand(...a),
	},
	'state push': {
		args: '[errored-state file]',
		summary: 'Write back a state an apply saved locally when the backend failed (only the direct successor of the stored state)',
		flags: ['stack', 'env', 'var', 'lockTimeout', 'json', 'tenant'],
		run: async (...a) => (await import('./commands/state.js')).statePushCommand(...a),
	},
	completion: {
		args: '<bash|zsh|fish>',
		summary: "Print the shell completion script for panka's commands and flags",
		flags: ['json'],
		details:
			'bash: source <(panka completion bash) in ~/.bashrc. zsh: panka completion zsh > "${fpath[1]}/_panka" (or source <(panka completion zsh) in ~/.zshrc). fish: panka completion fish > ~/.config/fish/completions/panka.fish.',
		run: async (...a) => (await import('./completion.js')).completionCommand(...a),
	},
	workbench: {
		args: '[folder]',
		summary: 'Open the workbench on a stack folder (the default command)',
		flags: [...workspaceFlags, 'readOnly'],
		details:
			'--read-only browses the folder only: no plan, apply or logs are offered, and nothing outside the folder is read (the demo opens it this way without moto_server).',
		run: async (...a) => (await import('./commands/workbench.js')).workbenchCommand(...a),
	},
};
