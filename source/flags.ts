/**
 * Every flag panka takes, declared once: its type, a one-line description, its default, its
 * choices and an example. meow parses with these declarations (only the running command's, so its
 * result names every flag the command does not take), and the help (help.ts), the shell
 * completions (completion.ts) and the unknown-flag check are all made from them.
 *
 * Invariants:
 * - A value flag takes the next word whatever it looks like (`--filter -ERROR`), as getopt does;
 *   `valueFlagsJoined` gives meow `--filter=-ERROR` for it.
 * - The values that have a form (durations, counts, `--var`) are checked before any command runs,
 *   so a bad one is a usage error (exit 2) naming the flag, never a failure halfway through.
 */
import {approvalRules, isReservedKey, natTypes, templateNames} from '../engine/essentials.js';
import {UsageError} from './errors.js';

export interface FlagDeclaration {
	type: 'string' | 'boolean';
	/** One line, lower case, no full stop: `environment to use`. */
	description: string;
	/** The value's name in usage lines: `--env ENV` (a flag with choices shows them instead). */
	value?: string;
	/** The parsed default (booleans always have one). */
	default?: boolean;
	/** What happens when the flag is not given, when that is not a literal value. */
	defaultText?: string;
	choices?: readonly string[];
	isMultiple?: boolean;
	shortFlag?: string;
	/** A complete, realistic use: `--env production`. */
	example: string;
	/** What a shell completes for the value. */
	completes?: 'file' | 'folder';
}

const durationForm = 'a duration: 90s, 10m, 2h';

export const flagDeclarations = {
	json: {type: 'boolean', default: false, description: 'print JSON instead of text (errors too)', example: '--json'},
	tui: {
		type: 'boolean',
		default: true,
		description: 'never open the terminal UI (also CI=true, TERM=dumb, or no terminal)',
		example: '--no-tui',
	},
	color: {
		type: 'boolean',
		default: true,
		description: 'no colour (also NO_COLOR=1; FORCE_COLOR=1 forces colour, FORCE_COLOR=0 turns it off)',
		example: '--no-color',
	},
	help: {type: 'boolean', shortFlag: 'h', default: false, description: 'show the help of the command', example: '--help'},
	version: {type: 'boolean', shortFlag: 'v', default: false, description: 'print the version of panka', example: '--version'},
	var: {
		type: 'string',
		isMultiple: true,
		value: 'NAME=VALUE',
		description: 'set a stack variable (repeatable; also PANKA_VAR_<NAME>)',
		defaultText: 'the variables of the stack files',
		example: '--var IMAGE_TAG=1.4.2',
	},
	env: {
		type: 'string',
		value: 'ENV',
		description: 'the environment to work on',
		defaultText: "the stack's environment label",
		example: '--env production',
	},
	tenantConfig: {
		type: 'string',
		value: 'FILE',
		description: 'a TenantConfig file to use instead of the logged-in tenant (also PANKA_TENANT_CONFIG)',
		defaultText: "the session's tenant",
		example: '--tenant-config tenant.yaml',
		completes: 'file',
	},
	format: {
		type: 'string',
		choices: ['ascii', 'dot', 'mermaid', 'svg', 'html'],
		description: 'how to draw the graph (dot for graphviz, mermaid for Markdown, svg and html drawn by panka)',
		defaultText: 'ascii',
		example: '--format dot',
	},
	kind: {
		type: 'string',
		value: 'KIND',
		description: 'only the schema of this document kind',
		defaultText: 'every kind',
		example: '--kind MicroService',
	},
	services: {
		type: 'string',
		value: 'A,B',
		description: 'the services to create, comma-separated',
		defaultText: 'asked by the wizard; none in CI',
		example: '--services orders,billing',
	},
	tenant: {
		type: 'string',
		value: 'TENANT',
		description: 'the tenant to act as (also PANKA_TENANT)',
		defaultText: "the session's tenant",
		example: '--tenant acme',
	},
	template: {
		type: 'string',
		choices: templateNames,
		description: 'the service template to start from',
		defaultText: 'asked by the wizard; empty in CI',
		example: '--template worker',
	},
	stack: {
		type: 'string',
		value: 'FOLDER',
		description: 'the stack folder',
		defaultText: 'the current folder',
		example: '--stack ./shop',
		completes: 'folder',
	},
	dir: {
		type: 'string',
		value: 'FOLDER',
		description: 'where to create the stack folder',
		defaultText: './<name>',
		example: '--dir stacks/shop',
		completes: 'folder',
	},
	yes: {type: 'boolean', shortFlag: 'y', default: false, description: 'do not ask: go ahead (for CI)', example: '--yes'},
	force: {type: 'boolean', default: false, description: 'go ahead despite the safety check', example: '--force'},
	backend: {
		type: 'string',
		value: 'URL',
		description: 'the backend: s3://bucket/prefix or a folder (also PANKA_BACKEND)',
		defaultText: 'the config file, else PANKA_HOME, else ~/.panka',
		example: '--backend s3://acme-panka/prod',
	},
	home: {
		type: 'string',
		value: 'FOLDER',
		description: 'a local folder as the backend (also PANKA_HOME)',
		defaultText: '~/.panka',
		example: '--home ./panka-home',
		completes: 'folder',
	},
	awsAccount: {type: 'string', value: 'ID', description: "the tenant's 12-digit AWS account", example: '--aws-account 123456789012'},
	region: {
		type: 'string',
		value: 'REGION',
		description: 'the AWS region',
		defaultText: 'AWS_REGION, else the AWS profile',
		example: '--region eu-west-1',
	},
	vpcCidr: {
		type: 'string',
		value: 'CIDR',
		description: "the tenant VPC's address range",
		defaultText: '10.0.0.0/16',
		example: '--vpc-cidr 10.20.0.0/16',
	},
	natGateway: {
		type: 'boolean',
		default: false,
		description: 'give private subnets a NAT gateway to the internet',
		example: '--nat-gateway',
	},
	natType: {
		type: 'string',
		choices: natTypes,
		description: 'one NAT gateway, or one per availability zone (implies --nat-gateway)',
		defaultText: 'single',
		example: '--nat-type per-az',
	},
	requireApproval: {
		type: 'string',
		choices: approvalRules,
		description: 'which changes a --yes apply may not run without their own approval: those that widen access, every change, or none',
		defaultText: 'broadening',
		example: '--require-approval any-change',
	},
	approveBroadening: {
		type: 'boolean',
		default: false,
		description: 'with --yes: also apply the changes that widen access (ingress, public buckets, IAM permissions, …)',
		example: '--approve-broadening',
	},
	azs: {
		type: 'string',
		value: 'A,B',
		description: 'the availability zones, comma-separated',
		defaultText: "the region's first two",
		example: '--azs eu-west-1a,eu-west-1b',
	},
	config: {
		type: 'string',
		value: 'FILE',
		description: 'a partial or complete TenantConfig merged over the computed one',
		defaultText: 'none',
		example: '--config tenant.yaml',
		completes: 'file',
	},
	output: {
		type: 'string',
		value: 'FILE',
		description: 'write the tenant ID and secret to FILE (mode 600)',
		defaultText: 'printed once',
		example: '--output acme.credentials',
		completes: 'file',
	},
	prices: {
		type: 'string',
		value: 'FILE',
		description: 'a price table (JSON) for cost estimates instead of the one shipped with panka (also PANKA_PRICES)',
		defaultText: 'the shipped table, dated in every estimate',
		example: '--prices prices.json',
		completes: 'file',
	},
	usage: {
		type: 'string',
		value: 'FILE',
		description: 'usage assumptions (YAML) that price the components billed by use (also PANKA_USAGE)',
		defaultText: 'none: those components show "usage-based"',
		example: '--usage usage.yaml',
		completes: 'file',
	},
	costLimit: {
		type: 'string',
		value: 'USD',
		description: "the tenant's monthly cost limit in US dollars: plans over it are refused",
		defaultText: 'no limit',
		example: '--cost-limit 2500',
	},
	costWarnAt: {
		type: 'string',
		value: 'PERCENT',
		description: 'the share of the cost limit from which plans warn',
		defaultText: '80',
		example: '--cost-warn-at 90',
	},
	createRole: {
		type: 'boolean',
		default: false,
		description: "create the role panka-<name> in the tenant's account",
		example: '--create-role',
	},
	trustPrincipal: {
		type: 'string',
		value: 'ARN',
		description: 'who the created role trusts',
		defaultText: 'you (the STS caller)',
		example: '--trust-principal arn:aws:iam::123456789012:role/ci',
	},
	target: {
		type: 'string',
		isMultiple: true,
		value: 'ADDRESS',
		description: 'only this component and what it depends on (repeatable)',
		defaultText: 'every component',
		example: '--target orders/api',
	},
	out: {
		type: 'string',
		value: 'FILE',
		description: 'write to FILE: the plan (and your selection) for panka apply FILE; the graph picture',
		defaultText: 'not saved',
		example: '--out plan.json',
		completes: 'file',
	},
	plan: {
		type: 'string',
		value: 'FILE',
		description: 'colour the graph picture by the actions of a saved plan (svg, html)',
		defaultText: 'no plan',
		example: '--plan plan.json',
		completes: 'file',
	},
	detailedExitcode: {
		type: 'boolean',
		default: false,
		description: 'exit 0 without changes, 2 with changes, 1 on error',
		example: '--detailed-exitcode',
	},
	lockTimeout: {
		type: 'string',
		value: 'DURATION',
		description: `how long to wait for the stack lock (${durationForm}; at most 24h)`,
		defaultText: '0s: fail at once',
		example: '--lock-timeout 5m',
	},
	waitTimeout: {
		type: 'string',
		isMultiple: true,
		value: '[KIND=]DURATION',
		description: 'the longest wait for AWS, for every kind or one (repeatable)',
		defaultText: '30m',
		example: '--wait-timeout MicroService=45m',
	},
	parallelism: {
		type: 'string',
		value: 'N',
		description: 'how many changes run at once (1 to 100)',
		defaultText: '10',
		example: '--parallelism 4',
	},
	refresh: {
		type: 'boolean',
		default: false,
		description: 'read every resource from AWS first, so changes made outside panka show',
		example: '--refresh',
	},
	readOnly: {
		type: 'boolean',
		default: false,
		description: 'browse the folder only: no plan, apply or logs, nothing read outside it',
		example: '--read-only',
	},
	network: {
		type: 'boolean',
		default: true,
		description: 'record the tenant networking without creating it in AWS',
		example: '--no-network',
	},
	skipFinalSnapshot: {
		type: 'boolean',
		default: false,
		description: 'delete RDS databases without a final snapshot',
		example: '--skip-final-snapshot',
	},
	confirmEnv: {
		type: 'string',
		value: 'ENV',
		description: 'confirm a change to a protected environment by naming it (--yes alone is not enough)',
		defaultText: 'asks in a terminal',
		example: '--confirm-env production',
	},
	to: {
		type: 'string',
		value: 'ENV',
		description: 'the environment to compare with (panka diff --env A --to B)',
		example: '--to production',
	},
	writePatch: {
		type: 'boolean',
		default: false,
		description: 'print the rolled-back values where the folder differs, to write back (plans nothing)',
		example: '--write-patch',
	},
	deleteOrphans: {
		type: 'boolean',
		default: false,
		description: 'after the destroy, delete what AWS still holds tagged for the stack and environment',
		example: '--delete-orphans',
	},
	write: {type: 'boolean', default: false, description: 'rewrite the files (else only show the diff)', example: '--write'},
	allEnvs: {type: 'boolean', default: false, description: 'one row per environment instead of per stack', example: '--all-envs'},
	follow: {
		type: 'boolean',
		shortFlag: 'f',
		default: false,
		description: 'keep reading new lines until Ctrl-C',
		example: '--follow',
	},
	since: {
		type: 'string',
		value: 'DURATION',
		description: `how far back to start (${durationForm}; at most a year)`,
		defaultText: '10m',
		example: '--since 2h',
	},
	watch: {
		type: 'boolean',
		shortFlag: 'w',
		default: false,
		description: 'read again every 5 seconds until Ctrl-C',
		example: '--watch',
	},
	filter: {
		type: 'string',
		value: 'PATTERN',
		description: 'only lines matching a CloudWatch filter pattern (may start with -)',
		defaultText: 'every line',
		example: '--filter ERROR',
	},
} as const satisfies Record<string, FlagDeclaration>;

export type FlagName = keyof typeof flagDeclarations;

/** The flags every command takes. */
export const globalFlags = ['help', 'tui', 'color'] as const satisfies readonly FlagName[];

type FlagValue<D> = D extends {type: 'boolean'}
	? boolean
	: D extends {isMultiple: true}
		? string[]
		: D extends {choices: readonly (infer C)[]}
			? C
			: string;

/** What a command receives: every declared flag, its parsed value (booleans their default when not given). */
export type Flags = {
	[K in FlagName as (typeof flagDeclarations)[K] extends {type: 'boolean'} ? K : never]: boolean;
} & {
	[K in FlagName as (typeof flagDeclarations)[K] extends {type: 'boolean'} ? never : K]?: FlagValue<(typeof flagDeclarations)[K]>;
};

export const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** meow's flag options for `names`. */
export function meowFlags(names: readonly FlagName[]): Record<string, {type: 'string' | 'boolean'; [key: string]: unknown}> {
	return Object.fromEntries(
		names.map((name) => {
			const {type, default: value, choices, isMultiple, shortFlag} = flagDeclarations[name] as FlagDeclaration;
			return [
				name,
				{
					type,
					...(value !== undefined ? {default: value} : {}),
					...(choices ? {choices: [...choices]} : {}),
					...(isMultiple ? {isMultiple} : {}),
					...(shortFlag ? {shortFlag} : {}),
				},
			];
		}),
	);
}

/** Every flag's default, for the flags a command does not declare (so `Flags` holds for every command). */
export function flagDefaults(): Flags {
	const defaults: Record<string, unknown> = {};
	for (const [name, d] of Object.entries(flagDeclarations) as [string, FlagDeclaration][])
		if (d.default !== undefined) defaults[name] = d.default;
	return defaults as Flags;
}

/**
 * `--filter -ERROR` → `--filter=-ERROR`: a value flag takes the next word as its value, whatever
 * it starts with (meow would read `-ERROR` as flags). Stops at `--`.
 */
export function valueFlagsJoined(argv: readonly string[]): string[] {
	const byName = new Map<string, FlagDeclaration>(
		(Object.entries(flagDeclarations) as [string, FlagDeclaration][]).flatMap(([name, d]) => [
			[`--${kebab(name)}`, d],
			...(d.shortFlag ? ([[`-${d.shortFlag}`, d]] as const) : []),
		]),
	);
	const joined: string[] = [];
	for (let i = 0; i < argv.length; i++) {
		const token = argv[i]!;
		if (token === '--') return [...joined, ...argv.slice(i)];
		const next = argv[i + 1];
		if (byName.get(token)?.type === 'string' && next !== undefined && next.startsWith('-') && next !== '--') {
			joined.push(`${token}=${next}`);
			i++;
		} else joined.push(token);
	}
	return joined;
}

/**
 * The flags in meow's result that `allowed` does not declare, as the user wrote them (`--format`,
 * `-x`). meow (allowUnknownFlags) keeps an unknown flag under its own name, camel-cased.
 */
export function undeclaredFlags(parsed: Record<string, unknown>, allowed: readonly FlagName[]): string[] {
	const declared = new Set<string>(allowed);
	return Object.keys(parsed)
		.filter((key) => !declared.has(key))
		.map((key) => (key.length === 1 ? `-${key}` : `--${kebab(key)}`));
}

/** The usage error for an undeclared flag: a flag of another command, or one panka does not know. */
export function undeclaredFlagError(flag: string, command: string, allowed: readonly FlagName[]): UsageError {
	const name = flag.replace(/^--?/, '').replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
	const known = name in flagDeclarations;
	const takes = allowed
		.filter((f) => f !== 'help')
		.map((f) => ((flagDeclarations[f] as FlagDeclaration).default === true ? `--no-${kebab(f)}` : `--${kebab(f)}`));
	return new UsageError(
		known ? `panka ${command} does not take ${flag}` : `unknown flag ${flag}`,
		`panka ${command} takes: ${takes.join(', ')} (see panka ${command} --help)`,
	);
}

/** `--var K=V` (repeatable) → {K: V}; a malformed one is a usage error naming it. */
export function parseVarFlags(values: readonly string[] | undefined): Record<string, string> {
	const vars: Record<string, string> = {};
	for (const item of values ?? []) {
		const eq = item.indexOf('=');
		const name = eq > 0 ? item.slice(0, eq) : '';
		if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
			throw new UsageError(`--var ${item}: expected NAME=value with NAME made of letters, digits and underscores`);
		if (isReservedKey(name))
			throw new UsageError(`--var ${name}: "${name}" is reserved in JavaScript, which panka is written in`, 'rename the variable');
		vars[name] = item.slice(eq + 1);
	}
	return vars;
}

/** The longest each duration flag may ask for. */
const durationFlags = [
	{name: 'since', flag: '--since', maxMs: 366 * 24 * 3_600_000, max: '8784h (a year)'},
	{name: 'lockTimeout', flag: '--lock-timeout', maxMs: 24 * 3_600_000, max: '24h'},
] as const;

/**
 * Checks the flag values that have a form before the command runs (see the module header). The
 * commands parse them again with the same functions; only the failure moves to the start.
 */
export async function checkFlagValues(flags: Flags): Promise<void> {
	parseVarFlags(flags.var);
	parseCostLimitFlags(flags);
	if (flags.parallelism !== undefined) (await import('./stack-change.js')).parseParallelism(flags.parallelism);
	for (const {name, flag, maxMs, max} of durationFlags) {
		const value = flags[name];
		if (value === undefined) continue;
		const {parseDuration, DurationError} = await import('../engine/backends.js');
		let ms: number;
		try {
			ms = parseDuration(value, flag);
		} catch (error) {
			if (error instanceof DurationError) throw new UsageError(error.message);
			throw error;
		}
		if (ms > maxMs) throw new UsageError(`${flag} ${value}: at most ${max}`);
	}
}

export function splitList(value: string | undefined): string[] {
	return (value ?? '')
		.split(',')
		.map((s) => s.trim())
		.filter(Boolean);
}

/** --cost-limit USD and --cost-warn-at PERCENT as TenantConfig's limits.monthlyCost and monthlyCostWarnAt. */
export function parseCostLimitFlags(flags: Pick<Flags, 'costLimit' | 'costWarnAt'>): {monthlyCost?: number; monthlyCostWarnAt?: number} {
	const limit = flags.costLimit?.trim().replace(/^\$/, '');
	if (limit !== undefined && !/^\d+(\.\d{1,2})?$/.test(limit))
		throw new UsageError(`--cost-limit ${flags.costLimit}: a number of US dollars a month, e.g. 2500 or 99.50`);
	const percent = flags.costWarnAt?.trim().replace(/%$/, '');
	if (percent !== undefined && (!/^\d+(\.\d+)?$/.test(percent) || Number(percent) <= 0 || Number(percent) > 100))
		throw new UsageError(`--cost-warn-at ${flags.costWarnAt}: a percentage above 0 and at most 100, e.g. 80`);
	if (percent !== undefined && limit === undefined) throw new UsageError('--cost-warn-at needs --cost-limit');
	return {
		...(limit !== undefined ? {monthlyCost: Number(limit)} : {}),
		...(percent !== undefined ? {monthlyCostWarnAt: Number(percent) / 100} : {}),
	};
}
