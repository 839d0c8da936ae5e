/**
 * The bottom row: key hints for the current screen and focus (from the keymap registry) and, on
 * the right, the latest notice. When the hints do not fit, minor ones go first, then the least
 * specific ones, except help and quit, which always stay.
 */
import {footerHints, type Hint, type KeyContext} from './keymap.js';
import {LineText} from './LineText.js';
import {type Line, lineWidth, seg, spread} from './model/line.js';
import type {Notice} from './state/workbench-state.js';
import {theme} from './theme.js';

export interface FooterProps {
	contexts: readonly KeyContext[];
	notice?: Notice;
	width: number;
}

function hintLine(hints: readonly Hint[]): Line {
	return hints.flatMap((h, i) => [
		...(i > 0 ? [seg('  ')] : []),
		seg(h.keys, {color: theme.accent, bold: true}),
		seg(` ${h.label}`, {dim: true}),
	]);
}

export function Footer({contexts, notice, width}: FooterProps) {
	const right: Line = notice
		? [seg(notice.text, {color: notice.tone === 'error' ? theme.error : notice.tone === 'ok' ? theme.ok : undefined})]
		: [];
	const all = footerHints(contexts);
	const sticky = all.filter((h) => h.id === 'help' || h.id === 'quit');
	let shown = all;
	const room = width - lineWidth(right) - 2;
	while (shown.length > sticky.length && lineWidth(hintLine(shown)) > room) {
		const droppable = (h: Hint) => h.id !== 'help' && h.id !== 'quit';
		const drop = shown.findLast((h) => h.minor && droppable(h)) ?? shown.findLast(droppable);
		shown = shown.filter((h) => h !== drop);
	}
	return <LineText line={spread(hintLine(shown), right, width)} width={width} />;
}
