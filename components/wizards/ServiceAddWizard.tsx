/**
 * The service-add wizard, standalone (`panka service add`) or inside the workbench (`n`): asks for
 * the service name and template (only what was not given), shows the files, writes them on enter.
 * Calls `onDone` once: with the written files, or undefined when cancelled (nothing written).
 */
import {Box, Text, useInput, useStdin} from 'ink';
import {useCallback, useEffect, useReducer} from 'react';
import {templateNames, templateSummaries} from '../../engine/scaffold/templates.js';
import type {Workspace} from '../../engine/workspace.js';
import {keyPressesFromInk} from '../keymap.js';
import {theme} from '../theme.js';
import {ChoicePrompt} from './ChoicePrompt.js';
import {FilePlanView} from './FilePlanView.js';
import {type ServiceAddGiven, initServiceAdd, serviceAddReducer, serviceAddStepKind} from './service-add-state.js';
import type {WizardOutcome} from './StackInitWizard.js';
import {TextPrompt} from './TextPrompt.js';
import {useScaffoldWrite} from './use-scaffold-write.js';
import {type Answer, WizardLayout} from './WizardLayout.js';

export interface ServiceAddWizardProps {
	workspace: Workspace;
	given?: ServiceAddGiven;
	onDone: (outcome: WizardOutcome | undefined) => void;
	width?: number;
	height?: number;
	/** Inside a pane that already says what this is (the workbench): no title line. */
	framed?: boolean;
}

const templateChoices = templateNames.map((name) => ({name, summary: templateSummaries[name]}));
const noneGiven: ServiceAddGiven = {};

export function ServiceAddWizard({workspace, given = noneGiven, onDone, width = 100, height = 30, framed = false}: ServiceAddWizardProps) {
	const [state, dispatch] = useReducer(serviceAddReducer, undefined, () => initServiceAdd(workspace, given));
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
	const answers: Answer[] = [];
	if (state.given.name !== undefined && state.step !== 'name') answers.push({label: 'name', value: state.given.name});
	if (state.given.template !== undefined && state.step !== 'template' && state.step !== 'name') answers.push({label: 'template', value: state.given.template});
	const kind = serviceAddStepKind(state);
	const reserved = (framed ? 3 : 4) + answers.length + (state.error ? 2 : 0);

	return (
		<WizardLayout {...(framed ? {} : {title: 'New service', subtitle: `in stack ${workspace.stack.name} (${workspace.root})`})} answers={answers} kind={kind} {...(state.error ? {error: state.error} : {})} width={width}>
			{state.step === 'name' ? <TextPrompt label="service name" text={state.text} help="lowercase letters, digits and hyphens; its components are named after it" /> : null}
			{state.step === 'template' ? <ChoicePrompt label={`template for ${state.given.name}`} choices={templateChoices} index={state.choice} /> : null}
			{(state.step === 'confirm' || state.step === 'failed') && state.plan ? <FilePlanView base={state.plan.base} files={state.plan.files} maxRows={height - reserved} width={width} /> : null}
			{state.step === 'writing' ? (
				<Box>
					<Text color={theme.warning}>writing…</Text>
				</Box>
			) : null}
		</WizardLayout>
	);
}
