/**
 * The stack-init wizard: asks for the stack name, its services and their template (only what the
 * request lacks), shows the files, writes them on enter. Calls `onDone` once: with the written
 * files, or undefined when cancelled (nothing written).
 */
import {useReducer} from 'react';
import {defaultEnvironments} from '../../engine/index.js';
import {ChoicePrompt} from './ChoicePrompt.js';
import {PlanStep, templateChoices} from './PlanStep.js';
import {initStackInit, type StackInitRequestDraft, stackInitReducer, stackInitStepKind} from './stack-init-state.js';
import {TextPrompt} from './TextPrompt.js';
import {useWizardDriver, type WizardOutcome} from './use-wizard-driver.js';
import {type Answer, WizardLayout} from './WizardLayout.js';

export interface StackInitWizardProps {
	request: StackInitRequestDraft;
	onDone: (outcome: WizardOutcome | undefined) => void;
	width?: number;
	height?: number;
}

export function StackInitWizard({request, onDone, width = 100, height = 30}: StackInitWizardProps) {
	const [state, dispatch] = useReducer(stackInitReducer, request, initStackInit);
	const kind = stackInitStepKind(state);
	const {onTyped} = useWizardDriver(state, kind, dispatch, onDone);

	if (state.step === 'done' || state.step === 'cancelled') return null;
	const {request: r} = state;
	const answers: Answer[] = [];
	if (r.name !== undefined && state.step !== 'name') answers.push({label: 'name', value: r.name});
	if (r.services !== undefined && state.step !== 'services' && state.step !== 'name')
		answers.push({label: 'services', value: r.services.length > 0 ? r.services.join(', ') : '(none yet)'});
	if (
		r.template !== undefined &&
		(r.services?.length ?? 0) > 0 &&
		(state.step === 'confirm' || state.step === 'writing' || state.step === 'failed')
	)
		answers.push({label: 'template', value: r.template});
	if (r.environments !== undefined && (state.step === 'confirm' || state.step === 'writing' || state.step === 'failed'))
		answers.push({label: 'environments', value: r.environments.join(', ')});
	const reserved = 4 + answers.length + (state.error ? 2 : 0);

	return (
		<WizardLayout
			title="New stack"
			subtitle={`in ${request.parentDir}`}
			answers={answers}
			kind={kind}
			{...(state.error ? {error: state.error} : {})}
			width={width}
		>
			{state.step === 'name' ? (
				<TextPrompt
					label="stack name"
					text={state.text}
					onTyped={onTyped}
					help="lowercase letters, digits and hyphens; it becomes the folder name"
				/>
			) : null}
			{state.step === 'services' ? (
				<TextPrompt
					label="services"
					text={state.text}
					onTyped={onTyped}
					help="comma-separated, e.g. api, worker; leave empty to add them later"
				/>
			) : null}
			{state.step === 'environments' ? (
				<TextPrompt
					label="environments"
					text={state.text}
					onTyped={onTyped}
					help={`comma-separated, in promotion order, e.g. staging, production (empty: ${defaultEnvironments.join(', ')})`}
				/>
			) : null}
			{state.step === 'template' ? (
				<ChoicePrompt label={`template for ${r.services?.join(', ')}`} choices={templateChoices} index={state.choice} />
			) : null}
			<PlanStep state={state} maxRows={height - reserved} width={width} />
		</WizardLayout>
	);
}
