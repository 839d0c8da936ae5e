/**
 * A bordered pane with its title in the top border, lazygit-style. The focused pane's border and
 * title are green and bold; the others grey. The pane is exactly `width` × `height` (borders
 * included) whatever its content, so panes never push each other around. Content taller or wider
 * than the pane is clipped, unless the caller sizes it exactly and says so (`clip={false}`: Ink's
 * clipping costs a re-measure and a re-slice of every line on every frame).
 */
import {Box, Text} from 'ink';
import type {ReactNode} from 'react';
import {printable} from '../engine/index.js';
import {theme} from './theme.js';

export interface PaneProps {
	title: string;
	/** Short status at the right end of the top border (position, counts). */
	right?: string;
	focused?: boolean;
	width: number;
	height: number;
	/** Clip the content to the pane (default); false only for content drawn to the pane's exact size. */
	clip?: boolean;
	children?: ReactNode;
}

export function Pane({title: rawTitle, right, focused = false, width, height, clip = true, children}: PaneProps) {
	const color = focused ? theme.focusBorder : theme.border;
	const inner = Math.max(0, width - 2);
	const title = printable(rawTitle); // stack and component names come from user files
	const rightText = right ? ` ${printable(right)} ` : '';
	const room = Math.max(0, inner - 2 - rightText.length);
	const cut = title.length + 2 > room ? `${title.slice(0, Math.max(0, room - 3))}…` : title;
	const titleText = room > 2 ? ` ${cut} ` : '';
	const fill = Math.max(0, inner - 1 - titleText.length - rightText.length);
	return (
		<Box flexDirection="column" width={width} height={height} flexShrink={0}>
			<Text color={color} wrap="truncate-end">
				{'╭─'}
				<Text bold={focused} color={focused ? theme.focusBorder : undefined}>
					{titleText}
				</Text>
				{'─'.repeat(fill)}
				<Text dimColor={!focused}>{rightText}</Text>
				{'╮'}
			</Text>
			<Box
				borderStyle="round"
				borderTop={false}
				borderColor={color}
				flexDirection="column"
				width={width}
				height={Math.max(1, height - 1)}
				{...(clip ? {overflow: 'hidden' as const} : {})}
			>
				{children}
			</Box>
		</Box>
	);
}
