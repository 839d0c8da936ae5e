/**
 * A one-line text question: `? label › answer▌`, with a dim help line under it.
 */
import {Box, Text} from 'ink';
import {theme} from '../theme.js';

export interface TextPromptProps {
	label: string;
	text: string;
	help?: string;
}

export function TextPrompt({label, text, help}: TextPromptProps) {
	return (
		<Box flexDirection="column">
			<Text wrap="truncate-start">
				<Text color={theme.accent} bold>
					{'? '}
				</Text>
				<Text bold>{label}</Text>
				<Text dimColor>{' › '}</Text>
				{text}
				<Text inverse> </Text>
			</Text>
			{help ? (
				<Text dimColor wrap="truncate-end">
					{`  ${help}`}
				</Text>
			) : null}
		</Box>
	);
}
