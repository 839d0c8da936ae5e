/**
 * A list question: `? label`, then one row per choice with its summary; `❯` marks the
 * highlighted one. The list is short (the templates), so it is drawn whole.
 */
import {Box, Text} from 'ink';
import {column} from '../model/line.js';
import {theme} from '../theme.js';

export interface Choice {
	name: string;
	summary: string;
}

export interface ChoicePromptProps {
	label: string;
	choices: readonly Choice[];
	index: number;
}

export function ChoicePrompt({label, choices, index}: ChoicePromptProps) {
	const nameWidth = Math.max(...choices.map((c) => c.name.length));
	return (
		<Box flexDirection="column">
			<Text wrap="truncate-end">
				<Text color={theme.accent} bold>
					{'? '}
				</Text>
				<Text bold>{label}</Text>
			</Text>
			{choices.map((choice, i) => (
				<Text key={choice.name} wrap="truncate-end">
					<Text color={theme.accent}>{i === index ? '  ❯ ' : '    '}</Text>
					<Text bold={i === index} color={i === index ? theme.accent : undefined}>
						{column(choice.name, nameWidth)}
					</Text>
					<Text dimColor>{`  ${choice.summary}`}</Text>
				</Text>
			))}
		</Box>
	);
}
