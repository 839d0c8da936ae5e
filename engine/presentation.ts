/**
 * The words panka shows for a plan and its run, one home for every view: the line renderers
 * (source/render), the workbench (components) and the engine's own messages use these, so a
 * symbol, a summary sentence, a replace's reasons, a step's verb or a plural reads the same
 * everywhere. No colours here: a view maps a `Tone` to its
 * own styling (a paint style on a line, a theme colour in the workbench). It imports nothing, so
 * any module can use it.
 */

export type Tone = 'ok' | 'warning' | 'error';

/** `+` create, `~` update in place, `-/+` / `+/-` replace (delete first / create first), `-` delete. */
export type ChangeSymbol = '+' | '~' | '-/+' | '+/-' | '-';

/** The symbol of a change; a no-op shows as `~` where it is listed at all (the review's unchanged rows). */
export function changeSymbol(change: {
	action: 'create' | 'update' | 'no-op' | 'replace' | 'delete';
	replaceStrategy?: string;
}): ChangeSymbol {
	switch (change.action) {
		case 'create':
			return '+';
		case 'update':
		case 'no-op':
			return '~';
		case 'replace':
			return change.replaceStrategy === 'create-before-delete' ? '+/-' : '-/+';
		case 'delete':
			return '-';
	}
}

/** Every symbol with what it means and its tone, in legend order. */
export const changeSymbols: ReadonlyArray<{symbol: ChangeSymbol; meaning: string; tone: Tone}> = [
	{symbol: '+', meaning: 'create', tone: 'ok'},
	{symbol: '~', meaning: 'update in place', tone: 'warning'},
	{symbol: '-/+', meaning: 'replace (delete, then create)', tone: 'error'},
	{symbol: '+/-', meaning: 'replace (create, then delete)', tone: 'warning'},
	{symbol: '-', meaning: 'delete', tone: 'error'},
];

export const symbolTone = Object.fromEntries(changeSymbols.map((s) => [s.symbol, s.tone])) as Record<ChangeSymbol, Tone>;

/** The plan's summary after `Plan:`: `3 to add, 1 to change, 1 to replace, 2 to destroy`; undefined when nothing changes. */
export function planCounts(summary: {create: number; update: number; replace: number; delete: number}): string | undefined {
	const {create, update, replace, delete: destroy} = summary;
	if (create + update + replace + destroy === 0) return undefined;
	return `${create} to add, ${update} to change, ${replace} to replace, ${destroy} to destroy`;
}

/** What a plan without changes says, in two parts a view may style apart. */
export const noChanges = {head: 'No changes.', rest: 'Your infrastructure matches the configuration.'} as const;

/** `1 change`, `3 changes`; `plural(2, 'entry', 'entries')`. */
export function plural(n: number, word: string, pluralWord = `${word}s`): string {
	return `${n} ${n === 1 ? word : pluralWord}`;
}

/** Words as one list in a sentence: `a`, `a and b`, `a, b or c`. */
export function listText(words: readonly string[], conjunction: 'and' | 'or' = 'and'): string {
	if (words.length <= 1) return words[0] ?? '';
	return `${words.slice(0, -1).join(', ')} ${conjunction} ${words.at(-1)}`;
}

/** A replace's reasons as one clause: `a, b and c`; `it must be` when the plan gave none. */
export function joinReasons(reasons: readonly string[]): string {
	return reasons.length === 0 ? 'it must be' : listText(reasons);
}

/** Why a change is a replace, as the plan text's comment and the review's line read it. */
export function replaceReason(reasons: readonly string[]): string {
	return `replaced because ${joinReasons(reasons)}`;
}

/** How one apply step's action reads in each view. */
export interface StepActionWords {
	/** The dashboard's action column: `create`, `replace: new`. */
	label: string;
	/** The `--no-tui` step line: `Creating api/db...`; its first word, lower-cased, is the heartbeat's (`still creating… 40s`). */
	starting: string;
	/** The dashboard's status while the step runs. */
	running: string;
	/** The dashboard's status once it is done. */
	done: string;
}

/**
 * The words of every apply step action (engine/apply/events.ts `ApplyAction`; the views index this
 * table with it, so a new action fails the typecheck until it has its words here).
 */
export const stepActionWords = {
	create: {label: 'create', starting: 'Creating', running: 'creating…', done: 'created'},
	update: {label: 'update', starting: 'Updating', running: 'updating…', done: 'updated'},
	replace: {label: 'replace', starting: 'Replacing', running: 'replacing…', done: 'replaced'},
	delete: {label: 'delete', starting: 'Deleting', running: 'deleting…', done: 'deleted'},
	'replace-create': {
		label: 'replace: new',
		starting: 'Creating replacement for',
		running: 'creating the replacement…',
		done: 'replacement created',
	},
	'replace-delete': {label: 'replace: old', starting: 'Deleting the replaced', running: 'deleting the old one…', done: 'old one deleted'},
} as const satisfies Record<string, StepActionWords>;
