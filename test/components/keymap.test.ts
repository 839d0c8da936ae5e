/**
 * The keymap registry: one binding per key per context, keys free for the screens to come, and
 * the footer and help derived from the same entries.
 */
import {describe, expect, test} from 'vitest';
import {bindings, contextTitles, footerHints, helpSections, type KeyContext, type KeyPress, keymapMarkdown, resolveBinding} from '../../components/keymap.js';
import {activeContexts} from '../../components/state/contexts.js';

const samples: KeyPress[] = [
	...'abcdefghijklmnopqrstuvwxyz?+-= '.split('').map((input) => ({input})),
	...(['up', 'down', 'left', 'right', 'pageUp', 'pageDown', 'home', 'end', 'enter', 'escape', 'backspace', 'delete'] as const).map((k) => ({input: '', [k]: true})),
	{input: '', tab: true},
	{input: '', tab: true, shift: true},
	...'cdu'.split('').map((input) => ({input, ctrl: true})),
];

describe('the keymap registry', () => {
	test('no key means two things in one context', () => {
		for (const context of Object.keys(contextTitles) as KeyContext[]) {
			for (const press of samples) {
				const matching = bindings.filter((b) => b.contexts.includes(context) && b.keys.some((k) => k.match(press)));
				expect(matching.map((b) => b.id), `${context}: ${JSON.stringify(press)}`).toHaveLength(Math.min(matching.length, 1));
			}
		}
	});

	test('p plans from the overview; a and l stay free on the overview and the graph (apply, logs come next)', () => {
		const overview = activeContexts({screen: {type: 'overview'}, focus: 'tree'});
		const graph = activeContexts({screen: {type: 'graph', centre: 'x', depth: 2, cursor: {index: 0, offset: 0}}, focus: 'tree'});
		expect(resolveBinding({input: 'p'}, overview)?.id).toBe('plan');
		for (const input of ['a', 'l']) {
			expect(resolveBinding({input}, overview)).toBeUndefined();
			expect(resolveBinding({input}, graph)).toBeUndefined();
		}
	});

	test('in the review a filter takes esc first, and the footer stops offering esc for going back', () => {
		const workbench = (filter: string) => [...(filter ? (['review-filtered'] as const) : []), 'review', 'review-workbench', 'main', 'global'] as KeyContext[];
		expect(resolveBinding({input: '', escape: true}, workbench(''))?.id).toBe('close');
		expect(resolveBinding({input: '', escape: true}, workbench('api'))?.id).toBe('review-filter-clear');
		expect(footerHints(workbench('')).map((h) => `${h.keys} ${h.label}`)).toContain('esc back');
		expect(footerHints(workbench('api')).map((h) => `${h.keys} ${h.label}`)).not.toContain('esc back');
		// In panka plan, esc and q both cancel; with a filter set, only q is left to offer.
		expect(footerHints(['review-filtered', 'review', 'review-terminal', 'global']).map((h) => `${h.keys} ${h.label}`)).toContain('q cancel');
		// Typing a filter: every letter is text.
		for (const input of ['q', 'a', 's', '?', ' ']) expect(resolveBinding({input}, ['review-filter', 'global'])).toBeUndefined();
	});

	test('q quits only from the main screens; ctrl+c exits from everywhere', () => {
		const overview = activeContexts({screen: {type: 'overview'}, focus: 'diagnostics'});
		const help = activeContexts({screen: {type: 'help', under: {type: 'overview'}, offset: 0}, focus: 'tree'});
		expect(resolveBinding({input: 'q'}, overview)?.id).toBe('quit');
		expect(resolveBinding({input: 'q'}, help)).toBeUndefined();
		for (const contexts of [overview, help, activeContexts({screen: {type: 'wizard', wizard: 'service-add'}, focus: 'tree'})])
			expect(resolveBinding({input: 'c', ctrl: true}, contexts)?.id).toBe('interrupt');
	});

	test('the most specific context wins: enter folds in the tree, opens in the diagnostics pane', () => {
		expect(resolveBinding({input: '\r', enter: true}, activeContexts({screen: {type: 'overview'}, focus: 'tree'}))?.id).toBe('toggle');
		expect(resolveBinding({input: '\r', enter: true}, activeContexts({screen: {type: 'overview'}, focus: 'diagnostics'}))?.id).toBe('open-diagnostic');
	});

	test('footer hints and help sections come from the same entries', () => {
		const hints = footerHints(['tree', 'overview', 'main', 'global']);
		expect(hints.map((h) => h.id)).toEqual(['move-down', 'expand', 'focus-next', 'graph', 'new-service', 'plan', 'quit', 'help']);
		const listed = new Set(helpSections().flatMap((s) => s.entries.map((e) => e.id)));
		for (const binding of bindings) expect(listed.has(binding.id)).toBe(true);
		expect(keymapMarkdown()).toContain('| `q` | quit the workbench |');
	});
});
