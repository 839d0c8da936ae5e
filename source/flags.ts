/**
 * Flags: one meow spec for all commands, plus a per-command allow-list checked against the raw
 * arguments, so `panka validate --format dot` is a usage error naming the flag instead of being
 * silently ignored; and the values that have a form (durations, counts, `--var`) checked before
 * any command runs, so a bad one is a usage error (exit 2) naming the flag, never a failure
 * halfway through.
 */
import {isReservedKey} from '../engine/index.js';
import {UsageError} from './errors.js';

export const flagSpec = {
	json: {type: 'boolean', default: false},
	tui: {type: 'boolean', default: true},
	var: {type: 'string', isMultiple: true},
	env: {type: 'string'},
	tenantConfig: {type: 'string'},
	format: {type: 'string'},
	kind: {type: 'string'},
	services: {type: 'string'},
	tenant: {type: 'string'},
	template: {type: 'string'},
	stack: {type: 'string'},
	dir: {type: 'string'},
	yes: {type: 'boolean', shortFlag: 'y', default: false},
	force: {type: 'boolean', default: false},
	// admin, tenants and login
	backend: {type: 'string'},
	home: {type: 'string'},
	awsAccount: {type: 'string'},
	region: {type: 'string'},
	vpcCidr: {type: 'string'},
	natGateway: {type: 'boolean', default: false},
	natType: {type: 'string'},
	azs: {type: 'string'},
	config: {type: 'string'},
	output: {type: 'string'},
	createRole: {type: 'boolean', default: false},
	trustPrincipal: {type: 'string'},
	// plan, apply, state
	target: {type: 'string', isMultiple: true},
	out: {type: 'string'},
	detailedExitcode: {type: 'boolean', default: false},
	lockTimeout: {type: 'string'},
	waitTimeout: {type: 'string', isMultiple: true},
	parallelism: {type: 'string'},
	refresh: {type: 'boolean', default: false},
	readOnly: {type: 'boolean', default: false},
	network: {type: 'boolean', default: true},
	skipFinalSnapshot: {type: 'boolean', default: false},
	// environments: protected ones, diff
	confirmEnv: {type: 'string'},
	to: {type: 'string'},
	// migrate, stack list
	write: {type: 'boolean', default: false},
	allEnvs: {type: 'boolean', default: false},
	// logs
	follow: {type: 'boolean', shortFlag: 'f', default: false},
	since: {type: 'string'},
	filter: {type: 'string'},
	help: {type: 'boolean', shortFlag: 'h', default: false},
	version: {type: 'boolean', shortFlag: 'v', default: false},
} as const;

export type FlagName = keyof typeof flagSpec;

export interface Flags {
	json: boolean;
	tui: boolean;
	var?: string[];
	env?: string;
	tenantConfig?: string;
	format?: string;
	kind?: string;
	services?: string;
	tenant?: string;
	template?: string;
	stack?: string;
	dir?: string;
	yes: boolean;
	force: boolean;
	backend?: string;
	home?: string;
	awsAccount?: string;
	region?: string;
	vpcCidr?: string;
	natGateway: boolean;
	natType?: string;
	azs?: string;
	config?: string;
	output?: string;
	createRole: boolean;
	trustPrincipal?: string;
	target?: string[];
	out?: string;
	detailedExitcode: boolean;
	lockTimeout?: string;
	waitTimeout?: string[];
	parallelism?: string;
	refresh: boolean;
	readOnly: boolean;
	network: boolean;
	skipFinalSnapshot: boolean;
	confirmEnv?: string;
	to?: string;
	write: boolean;
	allEnvs: boolean;
	follow: boolean;
	since?: string;
	filter?: string;
	help: boolean;
	version: boolean;
}

const alwaysAllowed: FlagName[] = ['help', 'tui'];
const shortFlags: Record<string, FlagName> = {y: 'yes', h: 'help', v: 'version', f: 'follow'};

const camel = (name: string) => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** Throws a UsageError for the first flag in `argv` that `allowed` does not list. */
export function checkFlags(argv: readonly string[], allowed: readonly FlagName[], command: string): void {
	const permitted = new Set<string>([...alwaysAllowed, ...allowed]);
	for (const token of argv) {
		if (token === '--') break;
		if (!token.startsWith('-') || token === '-') continue;
		const names = token.startsWith('--')
			? [camel(token.slice(2).split('=')[0]!.replace(/^no-/, ''))]
			: [...token.slice(1).split('=')[0]!].map((c) => shortFlags[c] ?? c);
		for (const name of names) {
			if (permitted.has(name)) continue;
			const known = name in flagSpec;
			const list = [...permitted].filter((f) => f !== 'help').map((f) => `--${kebab(f)}`);
			throw new UsageError(
				known ? `panka ${command} does not take --${kebab(name)}` : `unknown flag ${token.split('=')[0]}`,
				`panka ${command} takes: ${list.join(', ')} (see panka ${command} --help)`,
			);
		}
	}
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
