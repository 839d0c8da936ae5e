/**
 * A one-line text question: `? label › answer▌`, with a dim help line under it. The answer is
 * edited by @inkjs/ui's TextInput (typing, backspace, ←/→ within the answer, enter), which reports
 * the whole answer through `onTyped`: as it changes, then with a trailing `\r` when enter submits
 * it (wizard-core `typedAnswer`). The keymap keeps esc, ctrl+c and ctrl+u (wizard-core
 * `textInputOwns`), so TextInput is the only input that types.
 *
 * Invariants: the wizard's state owns the answer. TextInput keeps its own copy (it takes only a
 * default value), so whenever the state's `text` is not what the input last reported (ctrl+u
 * cleared it, a refused answer was emptied, a paste answered this step) the input is mounted
 * afresh with the state's text. Without raw mode (a piped stdin) the input is disabled, so Ink
 * never throws on a non-TTY.
 */
import {TextInput} from '@inkjs/ui';
import {Box, Text, useStdin} from 'ink';
import {useCallback, useRef} from 'react';
import {theme} from '../theme.js';

export interface TextPromptProps {
	label: string;
	text: string;
	help?: string;
	onTyped: (text: string) => void;
}

export function TextPrompt({label, text, help, onTyped}: TextPromptProps) {
	const {isRawModeSupported} = useStdin();
	const reported = useRef(text);
	const mounts = useRef(0);
	if (text !== reported.current) {
		reported.current = text;
		mounts.current += 1;
	}
	const onChange = useCallback(
		(value: string) => {
			reported.current = value;
			onTyped(value);
		},
		[onTyped],
	);
	const onSubmit = useCallback(
		(value: string) => {
			reported.current = `${value}\r`;
			onTyped(`${value}\r`);
		},
		[onTyped],
	);
	return (
		<Box flexDirection="column">
			<Text wrap="truncate-start">
				<Text color={theme.accent} bold>
					{'? '}
				</Text>
				<Text bold>{label}</Text>
				<Text dimColor>{' › '}</Text>
				<TextInput
					key={mounts.current}
					defaultValue={text}
					onChange={onChange}
					onSubmit={onSubmit}
					isDisabled={isRawModeSupported !== true}
				/>
			</Text>
			{help ? (
				<Text dimColor wrap="truncate-end">
					{`  ${help}`}
				</Text>
			) : null}
		</Box>
	);
}
