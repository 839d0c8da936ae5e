/**
 * panka's help texts, written from the command table and the flag declarations: a usage line names
 * every flag the command takes, and the Flags section gives each one a line with its description,
 * its default and an example. Nothing here is written by hand per command.
 */
import {type CommandSpec, commands, type FlagUse} from './command-table.js';
import {type FlagDeclaration, type FlagName, flagDeclarations, globalFlags, kebab} from './flags.js';

export interface FlagHelp {
	name: FlagName;
	declaration: FlagDeclaration;
	description: string;
	required: boolean;
}

/** The flags `spec` takes, each with the description, value name and example it has there. */
export function commandFlags(spec: Pick<CommandSpec, 'flags'>): FlagHelp[] {
	return spec.flags.map((use: FlagUse) => {
		if (typeof use === 'string') {
			const declaration: FlagDeclaration = flagDeclarations[use];
			return {name: use, declaration, description: declaration.description, required: false};
		}
		const declared: FlagDeclaration = flagDeclarations[use.flag];
		const declaration: FlagDeclaration = {...declared, value: use.value ?? declared.value, example: use.example ?? declared.example};
		return {name: use.flag, declaration, description: use.description ?? declared.description, required: use.required === true};
	});
}

/** `--env ENV`, `--format ascii|dot|mermaid`, `--no-network`, `--yes`: how the flag is written when used. */
export function flagSyntax(name: FlagName, declaration: FlagDeclaration = flagDeclarations[name]): string {
	if (declaration.type === 'boolean') return declaration.default === true ? `--no-${kebab(name)}` : `--${kebab(name)}`;
	return `--${kebab(name)} ${declaration.choices?.join('|') ?? declaration.value ?? 'VALUE'}`;
}

export function usageLine(name: string, spec: CommandSpec): string {
	const words = name === 'workbench' ? ['panka'] : ['panka', name];
	if (spec.args) words.push(spec.args);
	for (const flag of commandFlags(spec)) {
		const syntax = flagSyntax(flag.name, flag.declaration);
		words.push(`${flag.required ? syntax : `[${syntax}]`}${flag.declaration.isMultiple ? '…' : ''}`);
	}
	return words.join(' ');
}

/** One line per flag: syntax (with its choices), description, default, example. */
function flagRows(flags: readonly FlagHelp[]): string[] {
	const syntaxes = flags.map(
		({name, declaration}) => `${flagSyntax(name, declaration)}${declaration.shortFlag ? `, -${declaration.shortFlag}` : ''}`,
	);
	const width = Math.max(...syntaxes.map((s) => s.length));
	return flags.map(({declaration, description, required}, i) => {
		const when = required ? 'Required' : `Default: ${defaultText(declaration)}`;
		return `  ${syntaxes[i]!.padEnd(width)}  ${description}. ${when}. Example: ${declaration.example}`;
	});
}

/** A boolean is off unless written (`--no-tui` too: it is the flag that is off). */
function defaultText(declaration: FlagDeclaration): string {
	if (declaration.defaultText) return declaration.defaultText;
	return declaration.type === 'boolean' ? 'off' : 'none';
}

const globalFlagHelp = (): FlagHelp[] => commandFlags({flags: [...globalFlags]});

export function generalHelp(): string {
	const rows = Object.entries(commands).map(([name, spec]) => `  ${usageLine(name, spec)}\n      ${spec.summary}`);
	return `panka — deploy multi-tenant AWS infrastructure from YAML stack folders

Usage
  panka [command] [folder] [flags]

Commands
${rows.join('\n')}

Flags for every command
${flagRows([...globalFlagHelp(), commandFlags({flags: ['version']})[0]!]).join('\n')}

Folders default to the current directory. --tenant-config also reads PANKA_TENANT_CONFIG;
variables also come from PANKA_VAR_<NAME>. Exit codes: 0 ok, 1 problems found, 2 usage error,
3 drift found (panka drift), 130 Ctrl-C; apply and destroy document theirs (panka apply --help).
panka <command> --help documents each command and its flags.`;
}

/** The commands of a group (`admin`, `admin tenant`, `state`, …), or undefined when `group` is none. */
export function groupHelp(group: string): string | undefined {
	const members = Object.entries(commands).filter(([name]) => group !== '' && name.startsWith(`${group} `));
	if (members.length === 0) return undefined;
	const rows = members.map(([name, spec]) => `  ${usageLine(name, spec)}\n      ${spec.summary}`);
	return `panka ${group}\n\nCommands\n${rows.join('\n')}\n\npanka <command> --help documents each one.`;
}

export function commandHelp(name: string, spec: CommandSpec): string {
	const own = commandFlags(spec);
	const sections = [spec.summary, `Usage\n  ${usageLine(name, spec)}`];
	if (spec.details) sections.push(spec.details);
	if (own.length > 0) sections.push(`Flags\n${flagRows(own).join('\n')}`);
	sections.push(`Flags for every command\n${flagRows(globalFlagHelp()).join('\n')}`);
	sections.push(`See also: panka --help (${name})`);
	return sections.join('\n\n');
}
