/**
 * Shown instead of the panes when the terminal is smaller than the workbench can lay out.
 */
import {Text} from 'ink';
import {minimumSize, type TerminalSize} from './state/layout.js';
import {theme} from './theme.js';

export function TooSmall({size}: {size: TerminalSize}) {
	return (
		<Text color={theme.warning} wrap="truncate-end">
			{`terminal too small (${size.columns}×${size.rows}); the workbench needs ${minimumSize.columns}×${minimumSize.rows} · q quits`}
		</Text>
	);
}
