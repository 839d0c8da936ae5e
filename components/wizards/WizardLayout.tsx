/**
 * The frame of every wizard step: a title, the answers given so far (✓), the current question,
 * a spinner while the files are written, the engine's objection to the last answer (✗, red) and
 * the key hints for this step from the keymap registry.
 */
import {Box, Text} from 'ink';
import Spinner from 'ink-spinner';
import type {ReactNode} from 'react';
import {printable} from '../../engine/index.js';
import {footerHints} from '../keymap.js';
import {column} from '../model/line.js';
import {theme} from '../theme.js';
import {type StepKind, stepContexts} from './wizard-core.js';

export interface Answer {
	label: string;
	value: string;
}

export interface WizardLayoutProps {
	/** Omitted when a surrounding pane already shows it. */
	title?: string;
	subtitle?: string;
	answers: readonly Answer[];
	kind: StepKind;
	error?: string;
	width: number;
	children?: ReactNode;
}

export function WizardLayout({title, subtitle, answers, kind, error, width, children}: WizardLayoutProps) {
	const hints = footerHints(stepContexts(kind));
	return (
		<Box flexDirection="column" width={width}>
			{title ? (
				<Text wrap="truncate-end">
					<Text bold color={theme.accent}>
						{title}
					</Text>
					{subtitle ? <Text dimColor>{`  ${subtitle}`}</Text> : null}
				</Text>
			) : null}
			{answers.map((a) => (
				<Text key={a.label} wrap="truncate-end">
					<Text color={theme.ok}>{'✓ '}</Text>
					<Text dimColor>{column(a.label, 12)}</Text>
					{` ${printable(a.value)}`}
				</Text>
			))}
			{children}
			{kind === 'busy' ? (
				<Text>
					<Text color={theme.accent}>
						<Spinner type="dots" />
					</Text>
					{' writing the files…'}
				</Text>
			) : null}
			{error ? (
				<Text color={theme.error} wrap="wrap">
					{`✗ ${printable(error)}`}
				</Text>
			) : null}
			{hints.length > 0 ? (
				<Text wrap="truncate-end">
					{hints.map((h, i) => (
						<Text key={h.id}>
							{i > 0 ? '  ' : ''}
							<Text bold color={theme.accent}>
								{h.keys}
							</Text>
							<Text dimColor>{` ${h.label}`}</Text>
						</Text>
					))}
				</Text>
			) : null}
		</Box>
	);
}
