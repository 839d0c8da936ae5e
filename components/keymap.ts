/**
 * The keymap registry: every key binding of the workbench and its wizards, in one table.
 *
 * The same entries drive three things: what a key does (`resolveBinding`, used by the reducers),
 * the footer hints (`footerHints`: the bindings of the contexts active on the current screen and
 * focus) and the `?` help overlay (`helpSections`: every binding, grouped by context). A binding
 * that is not in this table does not exist, so the hints and the help can never drift from what
 * the keys really do.
 *
 * Invariants:
 * - Contexts are listed most specific first by the caller (`activeContexts` in state/); the first
 *   binding whose context is active and whose key matches wins, so a pane can shadow a screen-wide
 *   key without the generic entry knowing about it.
 * - Binding ids are commands: the reducer switches on them. Adding a screen (plan review `p`,
 *   apply `a`, logs `l`) means adding a context, its entries here and a Screen variant; nothing
 *   else is restructured.
 * - On a running apply dashboard ctrl+c is the dashboard's (stop, then abort), never the global
 *   exit: leaving mid-apply would abandon the engine with the stack's lock held.
 * - A footer hint never shows a key that a more specific binding has taken: with a filter set in
 *   the plan review, `esc` clears the filter, so the `esc back` hint is not shown (`footerHints`).
 * - Matchers are pure functions of a KeyPress (no Ink types leak past `keyPressFromInk`).
 */
import type {Key} from 'ink';
import {kindsWithLogs, listText} from '../engine/index.js';

/** A key as the reducers see it: Ink's Key without Ink. */
export interface KeyPress {
	input: string;
	up?: boolean;
	down?: boolean;
	left?: boolean;
	right?: boolean;
	pageUp?: boolean;
	pageDown?: boolean;
	home?: boolean;
	end?: boolean;
	enter?: boolean;
	escape?: boolean;
	tab?: boolean;
	backspace?: boolean;
	delete?: boolean;
	ctrl?: boolean;
	shift?: boolean;
	meta?: boolean;
}

export function keyPressFromInk(input: string, key: Key): KeyPress {
	return {
		input,
		up: key.upArrow,
		down: key.downArrow,
		left: key.leftArrow,
		right: key.rightArrow,
		pageUp: key.pageUp,
		pageDown: key.pageDown,
		home: key.home,
		end: key.end,
		enter: key.return,
		escape: key.escape,
		tab: key.tab,
		backspace: key.backspace,
		delete: key.delete,
		ctrl: key.ctrl,
		shift: key.shift,
		meta: key.meta,
	};
}

/**
 * The key presses in one Ink input event. Ink delivers a chunk without escape sequences as one
 * string ("jjg" when keys arrive together: a fast typist, key repeat, tmux send-keys, a paste);
 * the workbench wants each key, so such a chunk is split into one press per character, with
 * enter, tab, backspace and ctrl+letter recognised as Ink would for a single character.
 */
export function keyPressesFromInk(input: string, key: Key): KeyPress[] {
	const special =
		key.upArrow ||
		key.downArrow ||
		key.leftArrow ||
		key.rightArrow ||
		key.pageUp ||
		key.pageDown ||
		key.home ||
		key.end ||
		key.escape ||
		key.meta;
	if (special || input.length <= 1) return [keyPressFromInk(input, key)];
	return [...input].map(charPress);
}

function charPress(ch: string): KeyPress {
	if (ch === '\r' || ch === '\n') return {input: '\r', enter: true};
	if (ch === '\t') return {input: '', tab: true};
	if (ch === '\u007f') return {input: '', delete: true};
	if (ch === '\b') return {input: '', backspace: true};
	const code = ch.charCodeAt(0);
	if (code >= 1 && code <= 26) return {input: String.fromCharCode(code + 96), ctrl: true};
	return {input: ch, ...(/[A-Z]/.test(ch) ? {shift: true} : {})};
}

export interface KeySpec {
	/** How the key is shown in hints and help: `↓`, `j`, `shift+tab`, `ctrl+c`. */
	display: string;
	match: (press: KeyPress) => boolean;
}

type NamedKey =
	| 'up'
	| 'down'
	| 'left'
	| 'right'
	| 'pageUp'
	| 'pageDown'
	| 'home'
	| 'end'
	| 'enter'
	| 'escape'
	| 'tab'
	| 'backspace'
	| 'delete';

const named = (name: NamedKey, display: string, modifiers: {shift?: boolean} = {}): KeySpec => ({
	display,
	match: (p) => p[name] === true && !p.ctrl && (modifiers.shift === undefined || Boolean(p.shift) === modifiers.shift),
});
const char = (c: string, display = c): KeySpec => ({display, match: (p) => p.input === c && !p.ctrl && !p.escape});
const ctrl = (c: string): KeySpec => ({display: `ctrl+${c}`, match: (p) => Boolean(p.ctrl) && p.input === c});

/**
 * Where a binding applies. `main` is every main screen (overview and graph: where `q` quits);
 * `tree`, `detail` and `diagnostics` are the overview's panes; the rest are one screen each.
 */
export type KeyContext =
	| 'global'
	| 'main'
	| 'overview'
	| 'overview-deploy'
	| 'tree'
	| 'detail'
	| 'diagnostics'
	| 'graph'
	| 'graph-list'
	| 'graph-drawn'
	| 'graph-jump'
	| 'diagnostic'
	| 'planning'
	| 'plan-failed'
	| 'review'
	| 'review-filter'
	| 'review-filtered'
	| 'review-confirm-env'
	| 'review-workbench'
	| 'review-terminal'
	| 'review-plan'
	| 'review-apply'
	| 'dashboard'
	| 'dashboard-running'
	| 'dashboard-done'
	| 'dashboard-workbench'
	| 'logs'
	| 'logs-filter'
	| 'logs-filtered'
	| 'status'
	| 'history'
	| 'help'
	| 'wizard'
	| 'wizard-text'
	| 'wizard-choice'
	| 'wizard-confirm';

export const contextTitles: Readonly<Record<KeyContext, string>> = {
	global: 'Everywhere',
	main: 'Main screens (overview, graph, plan review)',
	overview: 'Stack overview',
	'overview-deploy': 'Stack overview, with a tenant to plan and apply for',
	tree: 'Components pane',
	detail: 'Details pane',
	diagnostics: 'Diagnostics pane',
	graph: 'Graph view',
	'graph-list': 'Graph view as a list (v)',
	'graph-drawn': 'Graph view as a drawing',
	'graph-jump': 'Graph view: typing a component to jump to',
	diagnostic: 'Diagnostic view',
	planning: 'Planning',
	'plan-failed': 'A plan that failed',
	review: 'Plan review',
	'review-filter': 'Plan review: typing a filter',
	'review-filtered': 'Plan review: while a filter is set',
	'review-confirm-env': "Plan review: typing a protected environment's name to apply it",
	'review-workbench': 'Plan review in the workbench',
	'review-terminal': 'Plan review in panka plan and panka apply',
	'review-plan': 'Plan review in panka plan',
	'review-apply': 'Plan review before an apply (panka apply, and in the workbench)',
	dashboard: 'Apply dashboard',
	'dashboard-running': 'Apply dashboard while the apply runs',
	'dashboard-done': 'Apply dashboard once the apply has ended',
	'dashboard-workbench': 'Apply dashboard in the workbench',
	logs: 'Logs pane',
	'logs-filter': 'Logs pane: typing a filter',
	'logs-filtered': 'Logs pane: while a filter is set',
	status: 'Status pane',
	history: 'Deployment history (H)',
	help: 'This help',
	wizard: 'Wizards',
	'wizard-text': 'Wizards: typing an answer',
	'wizard-choice': 'Wizards: choosing from a list',
	'wizard-confirm': 'Wizards: confirming the files',
};

export type BindingId =
	| 'interrupt'
	| 'quit'
	| 'help'
	| 'close'
	| 'focus-next'
	| 'focus-prev'
	| 'move-up'
	| 'move-down'
	| 'page-up'
	| 'page-down'
	| 'first'
	| 'last'
	| 'collapse'
	| 'expand'
	| 'toggle'
	| 'open-diagnostic'
	| 'graph'
	| 'new-service'
	| 'plan'
	| 'apply'
	| 'switch-env'
	| 'review-toggle'
	| 'review-expand'
	| 'review-approve-all'
	| 'review-approve-broadening'
	| 'review-filter'
	| 'review-filter-done'
	| 'review-filter-clear'
	| 'review-confirm-env-done'
	| 'review-confirm-env-cancel'
	| 'review-save'
	| 'review-confirm'
	| 'review-cancel'
	| 'review-apply'
	| 'apply-stop'
	| 'dashboard-follow'
	| 'dashboard-leave'
	| 'logs'
	| 'status'
	| 'status-scope'
	| 'status-logs'
	| 'history'
	| 'logs-pause'
	| 'logs-follow'
	| 'logs-live'
	| 'logs-filter'
	| 'logs-filter-done'
	| 'logs-filter-clear'
	| 'graph-recentre'
	| 'graph-prev'
	| 'graph-next'
	| 'graph-deeper'
	| 'graph-shallower'
	| 'graph-pan-left'
	| 'graph-pan-right'
	| 'graph-pan-up'
	| 'graph-pan-down'
	| 'graph-view'
	| 'graph-scope'
	| 'graph-jump'
	| 'graph-jump-done'
	| 'graph-jump-cancel'
	| 'wizard-submit'
	| 'wizard-cancel'
	| 'wizard-erase'
	| 'wizard-cursor'
	| 'wizard-clear'
	| 'wizard-up'
	| 'wizard-down'
	| 'wizard-write';

export interface Binding {
	id: BindingId;
	keys: readonly KeySpec[];
	/** One line for the help overlay. */
	description: string;
	contexts: readonly KeyContext[];
	/**
	 * Shown in the footer when one of `contexts` is active; `keys` overrides the joined key list;
	 * `minor` hints are the first to go when the footer is too narrow.
	 */
	hint?: {label: string; keys?: string; minor?: boolean};
}

const up = named('up', '↑');
const down = named('down', '↓');
const esc = named('escape', 'esc');
const enter = named('enter', 'enter');

export const bindings: readonly Binding[] = [
	{
		id: 'interrupt',
		keys: [ctrl('c')],
		description: 'exit at once (exit code 130); wizards cancel and write nothing; a running apply is stopped instead (see the dashboard)',
		contexts: ['global'],
	},
	{id: 'quit', keys: [char('q')], description: 'quit the workbench', contexts: ['main'], hint: {label: 'quit'}},
	{
		id: 'help',
		keys: [char('?')],
		description: 'show or hide this help',
		contexts: ['main', 'diagnostic', 'help', 'dashboard-workbench'],
		hint: {label: 'help'},
	},
	{
		id: 'close',
		keys: [esc],
		description: 'close the view or overlay, back to the screen below (a graph opened in the review: the review)',
		contexts: ['graph', 'diagnostic', 'help', 'planning', 'plan-failed', 'review-workbench', 'logs', 'status', 'history'],
		hint: {label: 'back'},
	},
	{
		id: 'focus-next',
		keys: [named('tab', 'tab', {shift: false})],
		description: 'focus the next pane',
		contexts: ['overview'],
		hint: {label: 'pane', keys: 'tab/⇧tab'},
	},
	{id: 'focus-prev', keys: [named('tab', 'shift+tab', {shift: true})], description: 'focus the previous pane', contexts: ['overview']},
	{
		id: 'move-up',
		keys: [up, char('k')],
		description: 'move up (in the details and help: scroll)',
		contexts: ['tree', 'detail', 'diagnostics', 'graph-list', 'help', 'review', 'dashboard', 'logs', 'status', 'history'],
	},
	{
		id: 'move-down',
		keys: [down, char('j')],
		description: 'move down (in the details and help: scroll)',
		contexts: ['tree', 'detail', 'diagnostics', 'graph-list', 'help', 'review', 'dashboard', 'logs', 'status', 'history'],
		hint: {label: 'move', keys: '↑↓/jk'},
	},
	{
		id: 'page-up',
		keys: [named('pageUp', 'pgup'), ctrl('u')],
		description: 'one page up (in the history: scroll the changes)',
		contexts: ['tree', 'detail', 'diagnostics', 'graph-list', 'help', 'review', 'dashboard', 'logs', 'status', 'history'],
	},
	{
		id: 'page-down',
		keys: [named('pageDown', 'pgdn'), ctrl('d')],
		description: 'one page down (in the history: scroll the changes)',
		contexts: ['tree', 'detail', 'diagnostics', 'graph-list', 'help', 'review', 'dashboard', 'logs', 'status', 'history'],
	},
	{
		id: 'first',
		keys: [named('home', 'home')],
		description: 'first row',
		contexts: ['tree', 'detail', 'diagnostics', 'graph-list', 'help', 'review', 'dashboard', 'logs', 'status', 'history'],
	},
	{
		id: 'last',
		keys: [named('end', 'end')],
		description: 'last row',
		contexts: ['tree', 'detail', 'diagnostics', 'graph-list', 'help', 'review', 'dashboard', 'logs', 'status', 'history'],
	},
	{id: 'collapse', keys: [named('left', '←')], description: 'collapse the service (on a component: go to its service)', contexts: ['tree']},
	{id: 'expand', keys: [named('right', '→')], description: 'expand the service', contexts: ['tree'], hint: {label: 'fold', keys: '←→'}},
	{
		id: 'toggle',
		keys: [enter, char(' ', 'space')],
		description: 'fold or unfold a service; on a component, focus its details',
		contexts: ['tree'],
	},
	{
		id: 'open-diagnostic',
		keys: [enter],
		description: 'show the offending lines of the file, with the hint',
		contexts: ['diagnostics'],
		hint: {label: 'show lines'},
	},
	{
		id: 'graph-recentre',
		keys: [enter],
		description: 'centre the graph on the highlighted component',
		contexts: ['graph-list'],
		hint: {label: 'centre'},
	},
	{
		id: 'graph-recentre',
		keys: [enter],
		description: 'centre the view on the selected component (in the neighbourhood: its neighbourhood)',
		contexts: ['graph-drawn'],
		hint: {label: 'centre'},
	},
	{id: 'graph-prev', keys: [named('left', '←')], description: 'centre on the previous component (tree order)', contexts: ['graph-list']},
	{
		id: 'graph-next',
		keys: [named('right', '→')],
		description: 'centre on the next component (tree order)',
		contexts: ['graph-list'],
		hint: {label: 'prev/next', keys: '←→'},
	},
	{id: 'graph-pan-left', keys: [named('left', '←'), char('h')], description: 'pan left', contexts: ['graph-drawn']},
	{id: 'graph-pan-right', keys: [named('right', '→'), char('l')], description: 'pan right', contexts: ['graph-drawn']},
	{id: 'graph-pan-up', keys: [up, char('k')], description: 'pan up', contexts: ['graph-drawn']},
	{
		id: 'graph-pan-down',
		keys: [down, char('j')],
		description: 'pan down',
		contexts: ['graph-drawn'],
		hint: {label: 'pan', keys: '←↑↓→/hjkl'},
	},
	{
		id: 'graph-next',
		keys: [named('tab', 'tab', {shift: false})],
		description: 'select the next component (tree order) and centre on it',
		contexts: ['graph-drawn'],
		hint: {label: 'next', keys: 'tab/⇧tab', minor: true},
	},
	{
		id: 'graph-prev',
		keys: [named('tab', 'shift+tab', {shift: true})],
		description: 'select the previous component (tree order) and centre on it',
		contexts: ['graph-drawn'],
	},
	{
		id: 'graph-jump',
		keys: [char('/')],
		description: 'jump to a component: type part of its name, enter selects the first match and centres on it',
		contexts: ['graph-drawn'],
		hint: {label: 'jump'},
	},
	{
		id: 'graph-jump-done',
		keys: [enter],
		description: 'jump to the first component that matches',
		contexts: ['graph-jump'],
		hint: {label: 'jump'},
	},
	{
		id: 'graph-jump-cancel',
		keys: [esc],
		description: 'stop typing, stay where the view is',
		contexts: ['graph-jump'],
		hint: {label: 'cancel'},
	},
	{
		id: 'graph-scope',
		keys: [char('s')],
		description: 'scope: the whole stack, or the selection’s neighbourhood (+/- set its depth)',
		contexts: ['graph'],
		hint: {label: 'scope'},
	},
	{
		id: 'graph-view',
		keys: [char('v')],
		description: 'drawing or list (the list reads well in a screen reader)',
		contexts: ['graph'],
		hint: {label: 'list/drawing', minor: true},
	},
	{id: 'graph-deeper', keys: [char('+'), char('=')], description: 'show one more level up- and downstream', contexts: ['graph']},
	{id: 'graph-shallower', keys: [char('-')], description: 'show one level less', contexts: ['graph'], hint: {label: 'depth', keys: '+/-'}},
	{
		id: 'graph',
		keys: [char('g')],
		description: 'graph view centred on the selected component (g again: back)',
		contexts: ['overview', 'graph'],
		hint: {label: 'graph'},
	},
	{
		id: 'new-service',
		keys: [char('n')],
		description: 'add a service (wizard); the workbench picks up the new files',
		contexts: ['overview'],
		hint: {label: 'new service', minor: true},
	},
	{
		id: 'plan',
		keys: [char('p')],
		description: 'plan: compare the stack folder with the recorded state and review the changes (after a failed plan: try again)',
		contexts: ['overview-deploy', 'plan-failed'],
		hint: {label: 'plan'},
	},
	{
		id: 'apply',
		keys: [char('a')],
		description: 'apply: plan, review the changes, then y applies the approved ones on a live dashboard',
		contexts: ['overview-deploy'],
		hint: {label: 'apply'},
	},
	{
		id: 'switch-env',
		keys: [char('e')],
		description:
			'switch environment: the next one stack.yaml declares; tree markers, details, diagnostics, graph, plan, apply and logs follow, the selection is kept',
		contexts: ['overview'],
		hint: {label: 'env', minor: true},
	},
	// Without a tenant (or read-only), p and a are not offered: no hint, and the key says why.
	{
		id: 'plan',
		keys: [char('p')],
		description: 'plan is not offered here (read-only, or no tenant logged in): says why',
		contexts: ['overview'],
	},
	{
		id: 'apply',
		keys: [char('a')],
		description: 'apply is not offered here (read-only, or no tenant logged in): says why',
		contexts: ['overview'],
	},
	{
		id: 'apply-stop',
		keys: [ctrl('c')],
		description:
			'stop after the operations in flight: nothing new starts, the running steps finish and are saved; again: abort them (they stay pending and the next apply resolves them)',
		contexts: ['dashboard-running'],
		hint: {label: 'stop'},
	},
	{
		id: 'dashboard-follow',
		keys: [char('f')],
		description: 'follow the running steps again (after scrolling)',
		contexts: ['dashboard-running'],
		hint: {label: 'follow', minor: true},
	},
	{
		id: 'dashboard-leave',
		keys: [enter, esc, char('q')],
		description:
			'leave the finished dashboard: back to the components tree, which shows what is deployed (after panka apply: back to the shell)',
		contexts: ['dashboard-done'],
		hint: {label: 'leave'},
	},
	{
		id: 'logs',
		keys: [char('l')],
		description: `logs of the selected ${listText(kindsWithLogs, 'or')} component (on a service: all of its components), live`,
		contexts: ['overview'],
		hint: {label: 'logs'},
	},
	{
		id: 'status',
		keys: [char('s')],
		description:
			'status pane: the health of the selected component (on a service: its components) read from AWS, refreshed every few seconds',
		contexts: ['overview'],
		hint: {label: 'status', minor: true},
	},
	{
		id: 'status-scope',
		keys: [char('s')],
		description: 'switch between the selection and the whole stack',
		contexts: ['status'],
		hint: {label: 'selection/stack'},
	},
	{
		id: 'status-logs',
		keys: [char('l')],
		description: 'logs of the failing components shown (none failing: of every component shown that has logs)',
		contexts: ['status'],
		hint: {label: 'logs'},
	},
	{
		id: 'history',
		keys: [char('H')],
		description: 'deployment history of this stack and environment: every recorded deployment and what the selected one changed',
		contexts: ['overview'],
		hint: {label: 'history', minor: true},
	},
	{
		id: 'logs-pause',
		keys: [char(' ', 'space')],
		description: 'pause: the view stays where it is while new lines are kept and counted; again: back to live',
		contexts: ['logs'],
		hint: {label: 'pause'},
	},
	{
		id: 'logs-live',
		keys: [char('G')],
		description: 'back to live: jump to the newest line and keep up (like end)',
		contexts: ['logs'],
		hint: {label: 'live', minor: true},
	},
	{
		id: 'logs-follow',
		keys: [char('f')],
		description: 'follow on/off: keep reading new lines as they are written, or show what is there and stop',
		contexts: ['logs'],
		hint: {label: 'follow on/off'},
	},
	{
		id: 'logs-filter',
		keys: [char('/')],
		description: 'filter the lines: only those containing the text (any case) are shown',
		contexts: ['logs'],
		hint: {label: 'filter'},
	},
	{
		id: 'logs-filter-done',
		keys: [enter],
		description: 'keep the filter and go back to the lines',
		contexts: ['logs-filter'],
		hint: {label: 'keep'},
	},
	{
		id: 'logs-filter-clear',
		keys: [esc],
		description: 'clear the filter: every line is shown again',
		contexts: ['logs-filter', 'logs-filtered'],
		hint: {label: 'clear filter'},
	},
	{
		id: 'review-toggle',
		keys: [char(' ', 'space')],
		description: 'approve or skip the change: skipping also skips what depends on it, approving also approves what it needs',
		contexts: ['review'],
		hint: {label: 'approve/skip'},
	},
	{
		id: 'review-expand',
		keys: [enter],
		description: 'show or hide the field diff of the change',
		contexts: ['review'],
		hint: {label: 'diff'},
	},
	{
		id: 'review-approve-all',
		keys: [char('a')],
		description: 'approve every change',
		contexts: ['review'],
		hint: {label: 'approve all', minor: true},
	},
	{
		id: 'review-approve-broadening',
		keys: [char('B')],
		description: 'approve every change that widens access (a leaves them skipped)',
		contexts: ['review'],
		hint: {label: 'approve widening', minor: true},
	},
	{
		id: 'review-filter',
		keys: [char('/')],
		description: 'filter the changes by address, kind or action (every word must match)',
		contexts: ['review'],
		hint: {label: 'filter'},
	},
	{
		id: 'review-filter-done',
		keys: [enter],
		description: 'keep the filter and go back to the changes',
		contexts: ['review-filter'],
		hint: {label: 'keep'},
	},
	{
		id: 'review-confirm-env-done',
		keys: [enter],
		description: "apply, if the name typed is the protected environment's",
		contexts: ['review-confirm-env'],
		hint: {label: 'apply'},
	},
	{
		id: 'review-confirm-env-cancel',
		keys: [esc],
		description: 'apply nothing',
		contexts: ['review-confirm-env'],
		hint: {label: 'cancel'},
	},
	{
		id: 'review-filter-clear',
		keys: [esc],
		description: 'clear the filter: every change is listed again',
		contexts: ['review-filter', 'review-filtered'],
		hint: {label: 'clear filter'},
	},
	{
		id: 'review-save',
		keys: [char('s')],
		description: 'confirm: save the plan with this selection as a plan file',
		contexts: ['review-workbench'],
		hint: {label: 'save plan'},
	},
	{
		id: 'graph',
		keys: [char('g')],
		description: 'the plan on the dependency graph: boxes by action, skips and what they cut off (esc: back to the review)',
		contexts: ['review-workbench'],
		hint: {label: 'graph', minor: true},
	},
	{
		id: 'review-confirm',
		keys: [char('s')],
		description: 'confirm this selection: panka plan --out saves it with the plan',
		contexts: ['review-plan'],
		hint: {label: 'confirm'},
	},
	{
		id: 'review-apply',
		keys: [char('y')],
		description: 'apply the approved changes now, on a live dashboard (skipped ones are left as they are)',
		contexts: ['review-apply'],
		hint: {label: 'apply approved changes'},
	},
	{
		id: 'review-cancel',
		keys: [esc, char('q')],
		description: 'cancel: nothing is confirmed or saved',
		contexts: ['review-terminal'],
		hint: {label: 'cancel'},
	},
	{id: 'wizard-cancel', keys: [esc], description: 'cancel: nothing is written', contexts: ['wizard'], hint: {label: 'cancel'}},
	{id: 'wizard-submit', keys: [enter], description: 'accept the answer', contexts: ['wizard-text', 'wizard-choice'], hint: {label: 'next'}},
	{
		id: 'wizard-erase',
		keys: [named('backspace', 'backspace'), named('delete', 'del')],
		description: 'delete the character before the cursor',
		contexts: ['wizard-text', 'review-filter', 'review-confirm-env', 'logs-filter', 'graph-jump'],
	},
	{
		id: 'wizard-cursor',
		keys: [named('left', '←'), named('right', '→')],
		description: 'move the cursor within the answer',
		contexts: ['wizard-text'],
	},
	{
		id: 'wizard-clear',
		keys: [ctrl('u')],
		description: 'clear what was typed',
		contexts: ['wizard-text', 'review-filter', 'review-confirm-env', 'logs-filter', 'graph-jump'],
	},
	{id: 'wizard-up', keys: [up, char('k')], description: 'previous choice', contexts: ['wizard-choice']},
	{
		id: 'wizard-down',
		keys: [down, char('j')],
		description: 'next choice',
		contexts: ['wizard-choice'],
		hint: {label: 'choose', keys: '↑↓'},
	},
	{id: 'wizard-write', keys: [enter], description: 'write the files shown', contexts: ['wizard-confirm'], hint: {label: 'write files'}},
];

/** The binding a key triggers in the given contexts (most specific first), if any. */
export function resolveBinding(press: KeyPress, contexts: readonly KeyContext[]): Binding | undefined {
	for (const context of contexts) {
		for (const binding of bindings) {
			if (binding.contexts.includes(context) && binding.keys.some((k) => k.match(press))) return binding;
		}
	}
	return undefined;
}

export function keysLabel(binding: Binding): string {
	return binding.keys.map((k) => k.display).join('/');
}

export interface Hint {
	id: BindingId;
	keys: string;
	label: string;
	minor?: boolean;
}

/**
 * Footer hints for the active contexts: specific ones first, each binding once, and only with the
 * keys that still reach it (a key a more specific binding has taken is left out; a binding with no
 * key left is not hinted at all).
 */
export function footerHints(contexts: readonly KeyContext[]): Hint[] {
	const seen = new Set<BindingId>();
	const taken = new Set<string>();
	const hints: Hint[] = [];
	for (const context of contexts) {
		for (const binding of bindings) {
			if (seen.has(binding.id) || !binding.contexts.includes(context)) continue;
			seen.add(binding.id);
			const free = binding.keys.filter((k) => !taken.has(k.display));
			for (const k of binding.keys) taken.add(k.display);
			if (!binding.hint || free.length === 0) continue;
			const keys = binding.hint.keys ?? free.map((k) => k.display).join('/');
			hints.push({id: binding.id, keys, label: binding.hint.label, ...(binding.hint.minor ? {minor: true} : {})});
		}
	}
	return hints;
}

export interface HelpSection {
	context: KeyContext;
	title: string;
	entries: Array<{id: BindingId; keys: string; description: string}>;
}

/** Every binding, grouped by context, in the registry's order: the `?` overlay and the docs. */
export function helpSections(): HelpSection[] {
	return (Object.keys(contextTitles) as KeyContext[])
		.map((context) => ({
			context,
			title: contextTitles[context],
			entries: bindings
				.filter((b) => b.contexts.includes(context))
				.map((b) => ({id: b.id, keys: keysLabel(b), description: b.description})),
		}))
		.filter((section) => section.entries.length > 0);
}

/** The keymap as a Markdown table, for the docs. */
export function keymapMarkdown(): string {
	const out: string[] = [];
	for (const section of helpSections()) {
		out.push(`### ${section.title}`, '', '| keys | what it does |', '| --- | --- |');
		for (const entry of section.entries) out.push(`| \`${entry.keys}\` | ${entry.description} |`);
		out.push('');
	}
	return out.join('\n');
}
