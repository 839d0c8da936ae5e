import {describe, expect, it} from 'vitest';
import {
	type ChangeSymbol,
	changeSymbol,
	changeSymbols,
	noChanges,
	planCounts,
	listText,
	plural,
	replaceReason,
	stepActionWords,
} from '../../engine/presentation.js';

describe('the words of a plan, for every view', () => {
	it('one symbol per action, a replace by its strategy, and every symbol in the legend once', () => {
		const symbols: ChangeSymbol[] = [
			changeSymbol({action: 'create'}),
			changeSymbol({action: 'update'}),
			changeSymbol({action: 'replace', replaceStrategy: 'delete-before-create'}),
			changeSymbol({action: 'replace', replaceStrategy: 'create-before-delete'}),
			changeSymbol({action: 'delete'}),
		];
		expect(symbols).toEqual(['+', '~', '-/+', '+/-', '-']);
		expect(changeSymbols.map((s) => s.symbol)).toEqual(symbols);
	});

	it('counts changes as Terraform words them, and says nothing when nothing changes', () => {
		expect(planCounts({create: 3, update: 1, replace: 0, delete: 2})).toBe('3 to add, 1 to change, 0 to replace, 2 to destroy');
		expect(planCounts({create: 0, update: 0, replace: 0, delete: 0})).toBeUndefined();
		expect(`${noChanges.head} ${noChanges.rest}`).toBe('No changes. Your infrastructure matches the configuration.');
	});

	it('plural: one word for one, the plural for every other count', () => {
		expect([plural(1, 'change'), plural(0, 'change'), plural(2, 'change'), plural(2, 'entry', 'entries')]).toEqual([
			'1 change',
			'0 changes',
			'2 changes',
			'2 entries',
		]);
	});

	it('lists words as a sentence does: commas, then the conjunction before the last', () => {
		expect([listText([]), listText(['a']), listText(['a', 'b']), listText(['a', 'b', 'c'], 'or')]).toEqual([
			'',
			'a',
			'a and b',
			'a, b or c',
		]);
	});

	it('a replace names its reasons as one clause, and says it must be when the plan gave none', () => {
		expect(replaceReason(['engine changed'])).toBe('replaced because engine changed');
		expect(replaceReason(['a', 'b', 'c'])).toBe('replaced because a, b and c');
		expect(replaceReason([])).toBe('replaced because it must be');
	});

	it('a step action reads the same in the dashboard and the --no-tui lines: a label, a starting verb, running and done', () => {
		expect(stepActionWords['replace-create']).toEqual({
			label: 'replace: new',
			starting: 'Creating replacement for',
			running: 'creating the replacement…',
			done: 'replacement created',
		});
		for (const words of Object.values(stepActionWords))
			expect(words.running.startsWith(words.starting.split(' ')[0]!.toLowerCase())).toBe(true);
	});
});
