/**
 * The workbench's colours, in one place so every pane agrees: errors red, warnings yellow, kinds
 * cyan, the focused pane's border green, secondary text dim. Colour names are Ink/chalk names;
 * nothing here depends on the terminal's palette beyond the 8 basic colours.
 */
import type {Severity} from '../engine/index.js';

export const theme = {
	error: 'red',
	warning: 'yellow',
	info: 'blue',
	ok: 'green',
	kind: 'cyan',
	variable: 'magenta',
	focusBorder: 'green',
	border: 'gray',
	accent: 'cyan',
	heading: 'white',
} as const;

export function severityColor(severity: Severity): string {
	return severity === 'error' ? theme.error : severity === 'warning' ? theme.warning : theme.info;
}

export function severityIcon(severity: Severity): string {
	return severity === 'error' ? '✗' : severity === 'warning' ? '⚠' : 'ℹ';
}
