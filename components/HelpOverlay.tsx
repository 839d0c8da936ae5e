/**
 * The `?` overlay: every key binding of the registry, grouped by context. Scrolls with ↑/↓;
 * `esc` or `?` closes it and restores the screen underneath.
 */
import {ListView} from './ListView.js';
import {helpLines} from './model/help-lines.js';
import {Pane} from './Pane.js';

export interface HelpOverlayProps {
	offset: number;
	width: number;
	height: number;
}

export function HelpOverlay({offset, width, height}: HelpOverlayProps) {
	const lines = helpLines();
	const rows = height - 2;
	const start = Math.min(offset, Math.max(0, lines.length - rows));
	const more = lines.length > rows ? `${start + 1}–${Math.min(start + rows, lines.length)} of ${lines.length} · ` : '';
	return (
		<Pane title="Keys" right={`${more}esc close`} focused width={width} height={height}>
			<ListView lines={lines} offset={start} height={rows} width={width - 2} />
		</Pane>
	);
}
