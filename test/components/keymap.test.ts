/**
 * The keymap registry: one binding per key per context, keys free for the screens to come, and
 * the footer and help derived from the same entries.
 */
import {describe, expect, test} from 'vitest';
import {
	bindings,
	contextTitles,
	footerHints,
	helpSections,
	type KeyContext,
	type KeyPress,
	keymapMarkdown,
	resolveBinding,
} from '../../components/keymap.js';
import {activeContexts} from '../../components/state/contexts.js';
import {kindsWithLogs, listText} from '../../engine/index.js';

const samples: KeyPress[] = [
	...'abcdefghijklmnopqrstuvwxyz?+-= '.split('').map((input) => ({input})),
	...(['up', 'down', 'left', 'right', 'pageUp', 'pageDown', 'home', 'end', 'enter', 'escape', 'backspace', 'delete'] as const).map((k) => ({
		input: '',
		[k]: true,
	})),
	{input: '', tab: true},
	{input: '', tab: true, shift: true},
	...'cdu'.split('').map((input) => ({input, ctrl: true})),
];

describe('the keymap registry', () => {
	test("l's help names the kinds with logs as the kind registry lists them", () => {
		const logs = bindings.find((binding) => binding.id === 'logs');
		expect(logs?.description).toContain(`logs of the selected ${listText(kindsWithLogs, 'or')} component`);
		expect(kindsWithLogs.length).toBeGreaterThan(0);
	});

	test('no key means two things in one context', () => {
		for (const context of Object.keys(contextTitles) as KeyContext[]) {
			for (const press of samples) {
				const matching = bindings.filter((b) => b.contexts.includes(context) && b.keys.some((k) => k.match(press)));
				expect(
					matching.map((b) => b.id),
					`${context}: ${JSON.stringify(press)}`,
				).toHaveLength(Math.min(matching.length, 1));
			}
		}
	});

	test('p plans, a applies and l tails logs from the overview; on the graph l pans (drawing) or is free (list), and free on the dashboard', () => {
		const overview = activeContexts({screen: {type: 'overview'}, focus: 'tree'});
		const graphScreen = {type: 'graph', centre: 'x', depth: 2, cursor: {index: 0, offset: 0}, scope: 'stack', pan: {x: 0, y: 0}} as const;
		const graph = activeContexts({screen: {...graphScreen, drawn: false}, focus: 'tree'});
		const drawn = activeContexts({screen: {...graphScreen, drawn: true}, focus: 'tree'});
		expect(resolveBinding({input: 'l'}, drawn)?.id).toBe('graph-pan-right');
		expect(resolveBinding({input: 'h'}, drawn)?.id).toBe('graph-pan-left');
		expect(resolveBinding({input: 'p'}, overview)?.id).toBe('plan');
		expect(resolveBinding({input: 'a'}, overview)?.id).toBe('apply');
		expect(resolveBinding({input: 'a'}, graph)).toBeUndefined();
		expect(resolveBinding({input: 'l'}, overview)?.id).toBe('logs');
		for (const contexts of [
			graph,
			['dashboard-running', 'dashboard', 'global'],
			['dashboard-done', 'dashboard', 'global'],
		] as KeyContext[][])
			expect(resolveBinding({input: 'l'}, contexts)).toBeUndefined();
	});

	test('on a running dashboard ctrl+c stops the apply instead of exiting, also under the help; once it ended, q and esc leave', () => {
		const running: KeyContext[] = ['dashboard-running', 'dashboard', 'global'];
		expect(resolveBinding({input: 'c', ctrl: true}, running)?.id).toBe('apply-stop');
		expect(resolveBinding({input: 'q'}, running)).toBeUndefined();
		expect(resolveBinding({input: '', escape: true}, running)).toBeUndefined();
		expect(footerHints(running).map((h) => `${h.keys} ${h.label}`)).toEqual(['ctrl+c stop', 'f follow', '↑↓/jk move']);
		// The help overlay is the workbench's: panka apply's dashboard does not offer it.
		expect(footerHints(['dashboard-running', 'dashboard', 'dashboard-workbench', 'global']).map((h) => h.keys)).toContain('?');
		expect(resolveBinding({input: '?'}, running)).toBeUndefined();
		const done: KeyContext[] = ['dashboard-done', 'dashboard', 'global'];
		for (const press of [{input: 'q'}, {input: '', escape: true}, {input: '\r', enter: true}])
			expect(resolveBinding(press, done)?.id).toBe('dashboard-leave');
		expect(resolveBinding({input: 'c', ctrl: true}, done)?.id).toBe('interrupt');
		// In the review, y applies (the workbench and panka apply); s confirms only in panka plan.
		expect(resolveBinding({input: 'y'}, ['review', 'review-apply', 'review-terminal', 'global'])?.id).toBe('review-apply');
		expect(resolveBinding({input: 's'}, ['review', 'review-apply', 'review-terminal', 'global'])).toBeUndefined();
		expect(resolveBinding({input: 's'}, ['review', 'review-plan', 'review-terminal', 'global'])?.id).toBe('review-confirm');
	});

	test('in the review a filter takes esc first, and the footer stops offering esc for going back', () => {
		const workbench = (filter: string) =>
			[...(filter ? (['review-filtered'] as const) : []), 'review', 'review-workbench', 'main', 'global'] as KeyContext[];
		expect(resolveBinding({input: '', escape: true}, workbench(''))?.id).toBe('close');
		expect(resolveBinding({input: '', escape: true}, workbench('api'))?.id).toBe('review-filter-clear');
		expect(footerHints(workbench('')).map((h) => `${h.keys} ${h.label}`)).toContain('esc back');
		expect(footerHints(workbench('api')).map((h) => `${h.keys} ${h.label}`)).not.toContain('esc back');
		// In panka plan, esc and q both cancel; with a filter set, only q is left to offer.
		expect(footerHints(['review-filtered', 'review', 'review-terminal', 'global']).map((h) => `${h.keys} ${h.label}`)).toContain(
			'q cancel',
		);
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
		expect(resolveBinding({input: '\r', enter: true}, activeContexts({screen: {type: 'overview'}, focus: 'diagnostics'}))?.id).toBe(
			'open-diagnostic',
		);
	});

	test('footer hints and help sections come from the same entries; p and a are offered only where planning is possible', () => {
		expect(footerHints(['tree', 'overview', 'main', 'global']).map((h) => h.id)).toEqual([
			'move-down',
			'expand',
			'focus-next',
			'graph',
			'new-service',
			'switch-env',
			'logs',
			'status',
			'history',
			'quit',
			'help',
		]);
		const hints = footerHints(['tree', 'overview-deploy', 'overview', 'main', 'global']);
		expect(hints.map((h) => h.id)).toEqual([
			'move-down',
			'expand',
			'plan',
			'apply',
			'focus-next',
			'graph',
			'new-service',
			'switch-env',
			'logs',
			'status',
			'history',
			'quit',
			'help',
		]);
		const listed = new Set(helpSections().flatMap((s) => s.entries.map((e) => e.id)));
		for (const binding of bindings) expect(listed.has(binding.id)).toBe(true);
		expect(keymapMarkdown()).toContain('| `q` | quit the workbench |');
	});
});
