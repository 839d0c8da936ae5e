/**
 * The service-add wizard, standalone (`panka service add`) or inside the workbench (`n`): asks for
 * the service name and template (only what was not given), shows the files, writes them on enter.
 * Calls `onDone` once: with the written files, or undefined when cancelled (nothing written).
 */
import {useReducer} from 'react';
import type {Workspace} from '../../engine/index.js';
import {ChoicePrompt} from './ChoicePrompt.js';
import {PlanStep, templateChoices} from './PlanStep.js';
import {type ServiceAddGiven, initServiceAdd, serviceAddReducer, serviceAddStepKind} from './service-add-state.js';
import {TextPrompt} from './TextPrompt.js';
import {useWizardDriver, type WizardOutcome} from './use-wizard-driver.js';
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

const noneGiven: ServiceAddGiven = {};

export function ServiceAddWizard({workspace, given = noneGiven, onDone, width = 100, height = 30, framed = false}: ServiceAddWizardProps) {
	const [state, dispatch] = useReducer(serviceAddReducer, undefined, () => initServiceAdd(workspace, given));
	const kind = serviceAddStepKind(state);
	const {onTyped} = useWizardDriver(state, kind, dispatch, onDone);

	if (state.step === 'done' || state.step === 'cancelled') return null;
	const answers: Answer[] = [];
	if (state.given.name !== undefined && state.step !== 'name') answers.push({label: 'name', value: state.given.name});
	if (state.given.template !== undefined && state.step !== 'template' && state.step !== 'name')
		answers.push({label: 'template', value: state.given.template});
	const reserved = (framed ? 3 : 4) + answers.length + (state.error ? 2 : 0);

	return (
		<WizardLayout
			{...(framed ? {} : {title: 'New service', subtitle: `in stack ${workspace.stack.name} (${workspace.root})`})}
			answers={answers}
			kind={kind}
			{...(state.error ? {error: state.error} : {})}
			width={width}
		>
			{state.step === 'name' ? (
				<TextPrompt
					label="service name"
					text={state.text}
					onTyped={onTyped}
					help="lowercase letters, digits and hyphens; its components are named after it"
				/>
			) : null}
			{state.step === 'template' ? (
				<ChoicePrompt label={`template for ${state.given.name}`} choices={templateChoices} index={state.choice} />
			) : null}
			<PlanStep state={state} maxRows={height - reserved} width={width} />
		</WizardLayout>
	);
}
