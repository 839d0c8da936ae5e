/**
 * The `?` overlay as lines: every binding of the keymap registry, grouped by context. Pure; the
 * line count does not depend on the width.
 */
import {helpSections} from '../keymap.js';
import {theme} from '../theme.js';
import {column, type Line, seg} from './line.js';

export function helpLines(): Line[] {
	const sections = helpSections();
	const keysWidth = Math.max(...sections.flatMap((s) => s.entries.map((e) => e.keys.length)));
	const lines: Line[] = [];
	for (const section of sections) {
		if (lines.length > 0) lines.push([]);
		lines.push([seg(section.title, {bold: true})]);
		for (const entry of section.entries)
			lines.push([seg(`  ${column(entry.keys, keysWidth)}  `, {color: theme.accent}), seg(entry.description)]);
	}
	return lines;
}
