/**
 * The words panka shows for a plan, one home for every view: the line renderers (source/render),
 * the workbench (components) and the engine's own messages use these, so a symbol, a summary
 * sentence or a plural reads the same everywhere. No colours here: a view maps a `Tone` to its
 * own styling (a paint style on a line, a theme colour in the workbench). It imports nothing, so
 * any module can use it.
 */

export type Tone = 'ok' | 'warning' | 'error';

/** `+` create, `~` update in place, `-/+` / `+/-` replace (delete first / create first), `-` delete. */
export type ChangeSymbol = '+' | '~' | '-/+' | '+/-' | '-';

/** The symbol of a change; a no-op shows as `~` where it is listed at all (the review's unchanged rows). */
export function changeSymbol(change: {action: 'create' | 'update' | 'no-op' | 'replace' | 'delete'; replaceStrategy?: string}): ChangeSymbol {
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
