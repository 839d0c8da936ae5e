/** Tables of what the state backend holds (stack list, env list): one rule for their columns and cells. */
import type {EnvironmentInventory} from '../../engine/backends.js';
import type {Output} from './view.js';

/** `2026-12-06 09:12 by ana@host (serial 7)`, or `never`. */
export function lastApplyText(a: EnvironmentInventory['lastApply']): string {
	return a ? `${a.at ? a.at.replace('T', ' ').slice(0, 16) : 'unknown time'} by ${a.by ?? 'unknown'} (serial ${a.serial})` : 'never';
}

/** `locked: apply by ana@host since …`, or `-`. */
export function lockText(env: EnvironmentInventory): string {
	return env.lock
		? `locked: ${env.lock.info ? `${env.lock.info.operation} by ${env.lock.info.who} since ${env.lock.info.created.slice(0, 16).replace('T', ' ')}` : 'unreadable lock'} (${env.lock.id.slice(0, 13)})`
		: '-';
}

/** A table with a bold header; cells of column `highlight` (if given) other than `-` in yellow (locks). */
export function writeTable(out: Output, header: readonly string[], rows: readonly (readonly string[])[], highlight?: number): void {
	const {paint} = out;
	const widths = header.map((_, i) => Math.max(...[header, ...rows].map((row) => row[i]!.length)));
	const line = (row: readonly string[]) =>
		row
			.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!)))
			.join('  ')
			.trimEnd();
	out.line(paint(line(header), 'bold'));
	for (const row of rows)
		out.line(
			highlight === undefined || row[highlight] === '-' ? line(row) : line(row).replace(row[highlight]!, paint(row[highlight]!, 'yellow')),
		);
}
