/**
 * `panka completion bash|zsh|fish`: shell completion scripts written from the command table and
 * the flag declarations, so they offer exactly the commands, subcommands, flags and flag values
 * panka accepts. The scripts find the command being typed the way panka does (the longest run of
 * command words, flag values skipped), then offer its subcommands and, after a `-`, its flags; a
 * flag with choices completes them, a file or folder flag completes paths.
 */
import {type CommandSpec, commands} from './command-table.js';
import type {CommandContext} from './context.js';
import {UsageError} from './errors.js';
import {type FlagDeclaration, type FlagName, type Flags, flagDeclarations, globalFlags, kebab} from './flags.js';
import {commandFlags, flagSyntax} from './help.js';
import {completionViews} from './views/completion-view.js';
import {chooseView} from './views/view.js';

export const shells = ['bash', 'zsh', 'fish'] as const;
type Shell = (typeof shells)[number];

export async function completionCommand(args: string[], flags: Flags, context: CommandContext): Promise<number> {
	const shell = args[0];
	if (args.length !== 1 || !shells.includes(shell as Shell))
		throw new UsageError(
			args.length === 0 ? 'panka completion needs a shell' : `panka completion ${args.join(' ')}: expected one of ${shells.join(', ')}`,
			'panka completion bash|zsh|fish',
		);
	chooseView(completionViews, flags, context).script(shell!, completionScript(shell as Shell));
	return 0;
}

export function completionScript(shell: Shell): string {
	const tree = commandTree();
	return shell === 'bash' ? bashScript(tree) : shell === 'zsh' ? zshScript(tree) : fishScript(tree);
}

/** A place in the command tree: `` (panka itself), `admin`, `admin tenant`, `admin tenant init`. */
interface Node {
	path: string;
	/** The words that may follow: subcommands. */
	next: {word: string; summary: string}[];
	/** The flags taken here, as typed (`--env`, `--no-tui`). */
	flags: {syntax: string; name: FlagName; declaration: FlagDeclaration; description: string}[];
	/** Whether a positional argument is a path (a folder or a file). */
	takesPath: boolean;
}

function commandTree(): Node[] {
	const nodes = new Map<string, Node>();
	const node = (path: string, spec?: CommandSpec): Node => {
		let found = nodes.get(path);
		if (!found) {
			found = {path, next: [], flags: [], takesPath: false};
			nodes.set(path, found);
		}
		if (spec) {
			found.flags = [...commandFlags(spec), ...commandFlags({flags: [...globalFlags]})].map((f) => ({
				syntax: flagSyntax(f.name, f.declaration).split(' ')[0]!,
				name: f.name,
				declaration: f.declaration,
				description: f.description,
			}));
			found.takesPath = /folder|file|\.json|\.yaml/.test(spec.args ?? '');
		}
		return found;
	};
	for (const [name, spec] of Object.entries(commands)) {
		if (name === 'workbench') {
			node('', spec);
			continue;
		}
		const words = name.split(' ');
		const place = node(name, spec);
		if (name === 'completion') place.next = shells.map((shell) => ({word: shell, summary: `the ${shell} script`}));
		for (let i = 0; i < words.length; i++) {
			const parent = node(words.slice(0, i).join(' '));
			const word = words[i]!;
			const summary = i === words.length - 1 ? spec.summary : `panka ${words.slice(0, i + 1).join(' ')} commands`;
			if (!parent.next.some((n) => n.word === word)) parent.next.push({word, summary});
		}
	}
	return [...nodes.values()];
}

/** The flags that take a value (their next word is skipped when finding the command). */
function valueFlags(): string[] {
	return (Object.entries(flagDeclarations) as [FlagName, FlagDeclaration][])
		.filter(([, d]) => d.type === 'string')
		.flatMap(([name, d]) => [`--${kebab(name)}`, ...(d.shortFlag ? [`-${d.shortFlag}`] : [])]);
}

/** `--format`'s choices, `--config`'s files, …: what a flag's value completes to. */
function valueCompletions(): {flag: string; choices?: readonly string[]; completes?: 'file' | 'folder'}[] {
	return (Object.entries(flagDeclarations) as [FlagName, FlagDeclaration][])
		.filter(([, d]) => d.type === 'string')
		.map(([name, d]) => ({
			flag: `--${kebab(name)}`,
			...(d.choices ? {choices: d.choices} : {}),
			...(d.completes ? {completes: d.completes} : {}),
		}));
}

/** The `case $prev in` arms (bash and zsh) that complete a flag's value: its choices, a folder, a file or nothing. */
function valueCases(reply: {choices: (choices: readonly string[]) => string; folder: string; file: string; other: string}): string {
	return valueCompletions()
		.map(({flag, choices, completes}) => {
			const answer = choices ? reply.choices(choices) : completes ? reply[completes] : reply.other;
			return `		${flag}) ${answer}; return ;;`;
		})
		.join('\n');
}

const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;
const words = (list: readonly string[]) => quote(list.join(' '));

/** The shell `case` that walks the typed words to the command (bash and zsh share its syntax). */
function findCommand(tree: Node[], first: string, last: string): string {
	const paths = tree.filter((n) => n.path !== '').map((n) => quote(n.path));
	return `	local cmd='' word next i skip=0
	for ((i = ${first}; i < ${last}; i++)); do
		word=\${words_[i]}
		if ((skip)); then skip=0; continue; fi
		case $word in
		--*=*) continue ;;
		${valueFlags().join('|')}) skip=1; continue ;;
		-*) continue ;;
		esac
		next=\${cmd:+$cmd }$word
		case $next in
		${paths.join('|')}) cmd=$next ;;
		*) break ;;
		esac
	done`;
}

function bashScript(tree: Node[]): string {
	const values = valueCases({
		choices: (choices) => `COMPREPLY=($(compgen -W ${words(choices)} -- "$cur"))`,
		folder: 'COMPREPLY=($(compgen -d -- "$cur"))',
		file: 'COMPREPLY=($(compgen -f -- "$cur"))',
		other: 'COMPREPLY=()',
	});
	const places = tree
		.map(
			(n) =>
				`		${quote(n.path)}) subs=${words(n.next.map((x) => x.word))}; opts=${words(n.flags.map((f) => f.syntax))}; paths=${n.takesPath ? 1 : 0} ;;`,
		)
		.join('\n');
	return `# panka completion for bash, written by \`panka completion bash\`.
# Load it with: source <(panka completion bash)
_panka() {
	local words_=("\${COMP_WORDS[@]}") cur=\${COMP_WORDS[COMP_CWORD]} prev=\${COMP_WORDS[COMP_CWORD-1]}
${findCommand(tree, '1', 'COMP_CWORD')}
	case $prev in
${values}
	esac
	local subs='' opts='' paths=0
	case $cmd in
${places}
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$opts" -- "$cur"))
	else
		COMPREPLY=($(compgen -W "$subs" -- "$cur"))
		if ((paths)); then COMPREPLY+=($(compgen -f -- "$cur")); fi
	fi
}
complete -o filenames -F _panka panka`;
}

function zshScript(tree: Node[]): string {
	const values = valueCases({choices: (choices) => `compadd -- ${choices.join(' ')}`, folder: '_files -/', file: '_files', other: ':'});
	const places = tree
		.map(
			(n) =>
				`		${quote(n.path)}) subs=(${n.next.map((x) => quote(`${x.word}:${x.summary}`)).join(' ')}); opts=(${n.flags
					.map((f) => quote(`${f.syntax}:${f.description}`))
					.join(' ')}); paths=${n.takesPath ? 1 : 0} ;;`,
		)
		.join('\n');
	return `#compdef panka
# panka completion for zsh, written by \`panka completion zsh\`.
# Load it with: source <(panka completion zsh), or save it as _panka in a folder of $fpath.
_panka() {
	local -a words_ subs opts
	local cur=\${words[CURRENT]} prev=\${words[CURRENT-1]} paths=0
	words_=("\${words[@]}")
${findCommand(tree, '2', 'CURRENT')}
	case $prev in
${values}
	esac
	case $cmd in
${places}
	esac
	if [[ $cur == -* ]]; then
		_describe -t flags 'flag' opts
	else
		_describe -t commands 'command' subs
		if ((paths)); then _files; fi
	fi
}
if [[ $zsh_eval_context[-1] == loadautoload ]]; then _panka "$@"; else compdef _panka panka; fi`;
}

function fishScript(tree: Node[]): string {
	const paths = tree.filter((n) => n.path !== '').map((n) => quote(n.path));
	const lines: string[] = [];
	for (const n of tree) {
		const at = `'__panka_at ${quote(n.path).replace(/'/g, '"')}'`;
		for (const next of n.next) lines.push(`complete -c panka -n ${at} -a ${quote(next.word)} -d ${quote(next.summary)}`);
		for (const f of n.flags) {
			const long = f.syntax.replace(/^--/, '');
			const short = f.declaration.shortFlag ? ` -s ${f.declaration.shortFlag}` : '';
			const value =
				f.declaration.type === 'boolean'
					? ''
					: f.declaration.choices
						? ` -x -a ${words(f.declaration.choices)}`
						: f.declaration.completes === 'folder'
							? " -x -a '(__fish_complete_directories)'"
							: f.declaration.completes === 'file'
								? ' -r -F'
								: ' -x';
			lines.push(`complete -c panka -n ${at} -l ${long}${short}${value} -d ${quote(f.description)}`);
		}
		if (n.takesPath) lines.push(`complete -c panka -n ${at} -F`);
	}
	return `# panka completion for fish, written by \`panka completion fish\`.
# Load it with: panka completion fish > ~/.config/fish/completions/panka.fish
function __panka_command --description 'the panka command being typed'
	set -l cmd
	set -l skip 0
	for word in (commandline -opc)[2..-1]
		if test $skip = 1
			set skip 0
			continue
		end
		switch $word
			case '--*=*'
				continue
			case ${valueFlags().map(quote).join(' ')}
				set skip 1
				continue
			case '-*'
				continue
		end
		set -l next (string join ' ' $cmd $word)
		if contains -- $next ${paths.join(' ')}
			set cmd $next
		else
			break
		end
	end
	string join ' ' panka $cmd
end
function __panka_at --description 'whether the panka command being typed is $argv'
	test (__panka_command) = (string join ' ' panka $argv | string trim)
end
complete -c panka -f
${lines.join('\n')}`;
}
