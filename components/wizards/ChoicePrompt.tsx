/**
 * A list question: `? label`, then one row per choice with its summary; `❯` marks the
 * highlighted one. The list is drawn by ink-select-input; the keys stay with the wizard's reducer
 * (keymap.ts: one home for every binding, the `?` help, pastes that answer several steps), so the
 * list takes no input itself and is redrawn at the reducer's `index` (it keeps its highlight as
 * state, so a new index is a new list: `key`).
 */
import {Box, Text} from 'ink';
import SelectInput from 'ink-select-input';
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
	const items = choices.map((choice) => ({key: choice.name, label: column(choice.name, nameWidth), value: choice.name}));
	const summaries = new Map(items.map((item, i) => [item.label, choices[i]!.summary]));
	return (
		<Box flexDirection="column">
			<Text wrap="truncate-end">
				<Text color={theme.accent} bold>
					{'? '}
				</Text>
				<Text bold>{label}</Text>
			</Text>
			<SelectInput
				key={index}
				items={items}
				initialIndex={index}
				isFocused={false}
				indicatorComponent={({isSelected}) => <Text color={theme.accent}>{isSelected ? '  ❯ ' : '    '}</Text>}
				itemComponent={({isSelected, label: name}) => (
					<Text wrap="truncate-end">
						<Text bold={isSelected === true} color={isSelected ? theme.accent : undefined}>
							{name}
						</Text>
						<Text dimColor>{`  ${summaries.get(name) ?? ''}`}</Text>
					</Text>
				)}
			/>
		</Box>
	);
}
