/**
 * The stack-init wizard: asks for the stack name, its services and their template (only what the
 * request lacks), shows the files, writes them on enter. Calls `onDone` once: with the written
 * files, or undefined when cancelled (nothing written).
 */
import {Box, Text, useInput, useStdin} from 'ink';
import {useCallback, useEffect, useReducer} from 'react';
import {templateNames, templateSummaries} from '../../engine/scaffold/templates.js';
import {keyPressesFromInk} from '../keymap.js';
import {theme} from '../theme.js';
import {ChoicePrompt} from './ChoicePrompt.js';
import {FilePlanView} from './FilePlanView.js';
import {initStackInit, type StackInitRequestDraft, stackInitReducer, stackInitStepKind} from './stack-init-state.js';
import {TextPrompt} from './TextPrompt.js';
import {useScaffoldWrite} from './use-scaffold-write.js';
import {type Answer, WizardLayout} from './WizardLayout.js';

export interface WizardOutcome {
	base: string;
	written: string[];
}

export interface StackInitWizardProps {
	request: StackInitRequestDraft;
	onDone: (outcome: WizardOutcome | undefined) => void;
	width?: number;
	height?: number;
}

const templateChoices = templateNames.map((name) => ({name, summary: templateSummaries[name]}));

export function StackInitWizard({request, onDone, width = 100, height = 30}: StackInitWizardProps) {
	const [state, dispatch] = useReducer(stackInitReducer, request, initStackInit);
	const {isRawModeSupported} = useStdin();
	const onKey = useCallback((input: string, key: Parameters<typeof keyPressesFromInk>[1]) => {
		for (const press of keyPressesFromInk(input, key)) dispatch({type: 'key', press});
	}, []);
	useInput(onKey, {isActive: isRawModeSupported === true});
	useScaffoldWrite(state.plan, state.step === 'writing', dispatch);
	useEffect(() => {
		if (state.step === 'done' && state.plan) onDone({base: state.plan.base, written: state.written ?? []});
		if (state.step === 'cancelled') onDone(undefined);
	}, [state.step, state.plan, state.written, onDone]);

	if (state.step === 'done' || state.step === 'cancelled') return null;
	const {request: r} = state;
	const answers: Answer[] = [];
	if (r.name !== undefined && state.step !== 'name') answers.push({label: 'name', value: r.name});
	if (r.services !== undefined && state.step !== 'services' && state.step !== 'name') answers.push({label: 'services', value: r.services.length > 0 ? r.services.join(', ') : '(none yet)'});
	if (r.template !== undefined && (r.services?.length ?? 0) > 0 && (state.step === 'confirm' || state.step === 'writing' || state.step === 'failed'))
		answers.push({label: 'template', value: r.template});
	const kind = stackInitStepKind(state);
	const reserved = 4 + answers.length + (state.error ? 2 : 0);

	return (
		<WizardLayout title="New stack" subtitle={`in ${request.parentDir}`} answers={answers} kind={kind} {...(state.error ? {error: state.error} : {})} width={width}>
			{state.step === 'name' ? <TextPrompt label="stack name" text={state.text} help="lowercase letters, digits and hyphens; it becomes the folder name" /> : null}
			{state.step === 'services' ? <TextPrompt label="services" text={state.text} help="comma-separated, e.g. api, worker; leave empty to add them later" /> : null}
			{state.step === 'template' ? <ChoicePrompt label={`template for ${r.services?.join(', ')}`} choices={templateChoices} index={state.choice} /> : null}
			{(state.step === 'confirm' || state.step === 'failed') && state.plan ? <FilePlanView base={state.plan.base} files={state.plan.files} maxRows={height - reserved} width={width} /> : null}
			{state.step === 'writing' ? (
				<Box>
					<Text color={theme.warning}>writing…</Text>
				</Box>
			) : null}
		</WizardLayout>
	);
}
